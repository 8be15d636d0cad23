"""The archive: one .tar.gz with the database dump, the media files under media/ and manifest.json."""

import hashlib
import io
import json
import os
import tarfile
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the person running the command."""


class _HashingReader:
    """Reads a file for tarfile and hashes exactly what was read: the checksum in the manifest is
    the checksum of the bytes in the archive, even if the file changes while the backup runs."""

    def __init__(self, handle):
        self.handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> list[tuple[str, Path]]:
    """(name relative to root with / separators, path) of every regular file under root, sorted;
    symbolic links are not followed (an upload is never one)."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return found


def write_archive(target: Path, members: list[tuple[str, Path]], manifest: dict) -> dict:
    """Writes the members (archive name, path) and then the manifest, completed with the checksum
    of every member, into target. The archive appears under its name only once complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    checksums = {}
    try:
        with tarfile.open(partial, "w:gz") as tar:
            for name, path in members:
                with open(path, "rb") as handle:
                    info = tar.gettarinfo(fileobj=handle, arcname=name)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    info.mode = 0o644
                    reader = _HashingReader(handle)
                    tar.addfile(info, reader)
                checksums[name] = reader.sha256.hexdigest()
            manifest = {**manifest, "files": checksums}
            data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = int(Path(partial).stat().st_mtime)
            tar.addfile(info, io.BytesIO(data))
        partial.chmod(0o600)  # personal data: readable by the account that made it only
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def extract_archive(source: Path, into: Path) -> dict:
    """Extracts the archive into an empty folder and returns its manifest after checking that every
    file is listed with the right SHA-256 and nothing else is there. Raises BackupError."""
    try:
        with tarfile.open(source, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                if not (member.isfile() or member.isdir()) or not _safe_name(member.name):
                    raise BackupError(_("The archive holds an unexpected entry: %(name)s.") % {"name": member.name})
            tar.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(
            _("The archive %(path)s cannot be read (%(error)s).") % {"path": source, "error": exc}
        ) from exc
    manifest = read_manifest(into)
    verify_files(into, manifest)
    return manifest


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(_("The archive has no readable manifest.json: it is not a tuanhang backup.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            _("The archive's format (%(found)s) is not the one this version reads (%(expected)s).")
            % {"found": manifest.get("format") if isinstance(manifest, dict) else "?", "expected": FORMAT}
        )
    for key in ("files", "tables", "database"):
        if not isinstance(manifest.get(key), dict):
            raise BackupError(_("The archive's manifest.json is incomplete (no “%(key)s”).") % {"key": key})
    return manifest


def verify_files(folder: Path, manifest: dict) -> None:
    """Every file under folder except the manifest is listed with its SHA-256, and every listed
    file is there. Raises BackupError naming what differs."""
    present = {
        path.relative_to(folder).as_posix(): path
        for path in folder.rglob("*")
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST
    }
    listed = manifest["files"]
    problems = [_("missing: %(name)s") % {"name": name} for name in sorted(set(listed) - set(present))]
    problems += [_("not in the manifest: %(name)s") % {"name": name} for name in sorted(set(present) - set(listed))]
    problems += [
        _("checksum differs: %(name)s") % {"name": name}
        for name in sorted(set(listed) & set(present))
        if sha256_file(present[name]) != listed[name]
    ]
    if problems:
        raise BackupError(
            _("The archive is damaged; nothing was restored. %(count)s problem(s): %(problems)s")
            % {"count": len(problems), "problems": "; ".join(problems[:10])}
        )
