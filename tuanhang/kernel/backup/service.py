"""Backup and restore of the configured database and MEDIA_ROOT (see the package docstring)."""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from . import database
from .archive import FORMAT, MEDIA_PREFIX, BackupError, extract_archive, media_files, sha256_file, write_archive

Progress = Callable[[str], None]


@dataclass
class BackupResult:
    path: Path
    manifest: dict

    @property
    def rows(self) -> int:
        return sum(self.manifest["tables"].values())

    @property
    def media_count(self) -> int:
        return sum(1 for name in self.manifest["files"] if name.startswith(MEDIA_PREFIX))


@dataclass
class RestoreResult:
    manifest: dict
    tables: int = 0
    rows: int = 0
    media_count: int = 0
    extra_tables: list[str] = field(default_factory=list)


def app_release() -> str:
    """The application's release: APP_RELEASE from the environment, else the git commit of the
    checkout, else "unknown" (an image built without .git and without the variable)."""
    release = os.environ.get("APP_RELEASE", "").strip()
    if release:
        return release
    try:
        result = subprocess.run(  # noqa: S603 (fixed arguments; git from PATH if there is one)
            ["git", "rev-parse", "HEAD"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"tuanhang-{stamp}.tar.gz"


def _quiet(message: str) -> None:
    pass


def create_backup(*, output: Path | None = None, media: bool = True, progress: Progress = _quiet) -> BackupResult:
    """Writes one archive with the database dump, the files under MEDIA_ROOT (unless media is
    False) and the manifest. Changes nothing in the database or the media folder."""
    connection = connections[DEFAULT_DB_ALIAS]
    target = Path(output) if output else default_backup_path()
    dump_name = database.dump_name(connection)
    with tempfile.TemporaryDirectory(prefix="tuanhang-backup-") as work:
        dump_path = Path(work) / dump_name
        progress(_("Dumping the database (%(engine)s)…") % {"engine": connection.vendor})
        counts = database.dump(connection, dump_path)
        members = [(dump_name, dump_path)]
        if media:
            files = media_files(Path(settings.MEDIA_ROOT))
            progress(
                _("Adding %(count)s uploaded file(s) from %(root)s…")
                % {"count": len(files), "root": settings.MEDIA_ROOT}
            )
            members += [(MEDIA_PREFIX + name, path) for name, path in files]
        manifest = {
            "format": FORMAT,
            "app": {"release": app_release()},
            "created_at": timezone.now().isoformat(),
            "database": {"engine": connection.vendor, "dump": dump_name},
            "media": media,
            "tables": counts,
        }
        progress(_("Writing %(path)s…") % {"path": target})
        manifest = write_archive(target, members, manifest)
    return BackupResult(path=target, manifest=manifest)


def database_has_tables(connection) -> list[str]:
    return connection.introspection.table_names()


def restore_backup(source: Path, *, force: bool = False, progress: Progress = _quiet) -> RestoreResult:
    """Restores the archive into the configured database and MEDIA_ROOT. Checks every checksum
    first and refuses a damaged archive before writing anything; refuses a database that has
    tables unless force; afterwards compares the row counts and the files with the manifest and
    raises BackupError on any difference."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(_("There is no archive at %(path)s.") % {"path": source})
    connection = connections[DEFAULT_DB_ALIAS]
    with tempfile.TemporaryDirectory(prefix="tuanhang-restore-") as work:
        folder = Path(work)
        progress(_("Checking the archive %(path)s…") % {"path": source})
        manifest = extract_archive(source, folder)
        engine = manifest["database"].get("engine")
        if engine != connection.vendor:
            raise BackupError(
                _("The archive holds a %(archive)s database; the configured database is %(configured)s.")
                % {"archive": engine, "configured": connection.vendor}
            )
        existing = database_has_tables(connection)
        if existing and not force:
            raise BackupError(
                _(
                    "The database %(name)s is not empty (%(count)s tables). A restore replaces its content: "
                    "run again with --force if that is what you want."
                )
                % {"name": connection.settings_dict["NAME"], "count": len(existing)}
            )
        progress(_("Restoring the database…"))
        database.restore(connection, folder / manifest["database"]["dump"])
        media = [name for name in manifest["files"] if name.startswith(MEDIA_PREFIX)]
        if media:
            progress(
                _("Restoring %(count)s uploaded file(s) into %(root)s…")
                % {"count": len(media), "root": settings.MEDIA_ROOT}
            )
            _restore_media(folder, media)
    progress(_("Comparing with the manifest…"))
    return _verify(connection, manifest, media)


def _restore_media(folder: Path, names: list[str]) -> None:
    root = Path(settings.MEDIA_ROOT)
    for name in names:
        target = root / name.removeprefix(MEDIA_PREFIX)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(folder / name, partial)
        os.replace(partial, target)


def _verify(connection, manifest: dict, media: list[str]) -> RestoreResult:
    counts = database.table_counts(connection)
    expected = manifest["tables"]
    problems = [
        _("table %(table)s: %(found)s rows instead of %(expected)s")
        % {"table": table, "found": counts.get(table, _("no table")), "expected": rows}
        for table, rows in sorted(expected.items())
        if counts.get(table) != rows
    ]
    root = Path(settings.MEDIA_ROOT)
    problems += [
        _("file %(name)s differs from the archive") % {"name": name}
        for name in media
        if sha256_file(root / name.removeprefix(MEDIA_PREFIX)) != manifest["files"][name]
    ]
    if problems:
        raise BackupError(
            _("The restore does not match the manifest: %(problems)s") % {"problems": "; ".join(problems[:20])}
        )
    return RestoreResult(
        manifest=manifest,
        tables=len(expected),
        rows=sum(expected.values()),
        media_count=len(media),
        extra_tables=sorted(set(counts) - set(expected)),
    )
