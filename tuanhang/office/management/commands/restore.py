from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanhang.kernel.backup import BackupError, restore_backup
from tuanhang.kernel.commands import BaseCommand


class Command(BaseCommand):
    help = gettext_lazy(
        "Restore an archive made by “backup” into the configured database and MEDIA_ROOT, then compare "
        "the row counts and file checksums with its manifest. A damaged archive is refused before anything "
        "is written; a database that already has tables only with --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help=str(gettext_lazy("The archive (.tar.gz) to restore.")))
        parser.add_argument(
            "--force",
            action="store_true",
            help=str(gettext_lazy("Restore even though the database already has tables (their content is replaced).")),
        )

    def handle(self, *args, archive, force=False, **options):
        try:
            result = restore_backup(archive, force=force, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored from %(path)s (made %(created)s, release %(release)s): %(tables)s tables, %(rows)s "
                    "rows and %(files)s uploaded file(s), all matching the manifest."
                )
                % {
                    "path": archive,
                    "created": result.manifest.get("created_at", "?"),
                    "release": result.manifest.get("app", {}).get("release", "?"),
                    "tables": result.tables,
                    "rows": result.rows,
                    "files": result.media_count,
                }
            )
        )
        if result.extra_tables:
            self.stdout.write(
                self.style.WARNING(
                    _("Tables in the database that the archive does not have (left as they were): %(tables)s")
                    % {"tables": ", ".join(result.extra_tables)}
                )
            )
