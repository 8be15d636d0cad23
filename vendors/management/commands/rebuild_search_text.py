from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vendors.models import Vendor
from vendors.search import rebuild_search_texts


class Command(BaseCommand):
    help = gettext_lazy(
        "Rebuild the businesses' search text (names, province with its pre-2025 names, commune) after the "
        "reference data or the search rule changed. Safe to run again: only outdated rows are written."
    )

    def add_arguments(self, parser):
        parser.description = str(self.help)  # a lazy translation argparse cannot format

    def handle(self, *args, **options):
        changed = rebuild_search_texts(Vendor)
        self.stdout.write(_("Search text rebuilt for %(count)d businesses.") % {"count": changed})
