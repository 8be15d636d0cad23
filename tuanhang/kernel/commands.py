"""The base of our management commands."""

from django.core.management.base import BaseCommand as DjangoBaseCommand


class BaseCommand(DjangoBaseCommand):
    """A management command whose `help` may be a lazy translation (gettext_lazy): argparse wraps
    the description with a regular expression, which needs a plain string, so `--help` crashed."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        if self.help:
            self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
