from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanhang.kernel.backup import BackupError, create_backup
from tuanhang.kernel.commands import BaseCommand


class Command(BaseCommand):
    help = gettext_lazy(
        "Back up the database and the uploaded files into one archive (.tar.gz) with a manifest of row "
        "counts and SHA-256 checksums. Default: var/backups/tuanhang-YYYYmmdd-HHMMSS.tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help=str(gettext_lazy("Where to write the archive.")))
        parser.add_argument(
            "--no-media",
            action="store_true",
            help=str(gettext_lazy("Leave the uploaded files (MEDIA_ROOT) out: the database only.")),
        )

    def handle(self, *args, output=None, no_media=False, **options):
        try:
            result = create_backup(output=output, media=not no_media, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written: %(path)s (%(tables)s tables, %(rows)s rows, %(files)s uploaded file(s)).")
                % {
                    "path": result.path,
                    "tables": len(result.manifest["tables"]),
                    "rows": result.rows,
                    "files": result.media_count,
                }
            )
        )
