"""manage.py backup and restore (issue 17, item 6): the demo backed up, restored into a fresh
database and a fresh media folder, every table's row count and every file's checksum compared;
a database that has tables and a damaged archive refused, nothing written."""

import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from events.models import Organiser
from tests import factories
from tuanhang.kernel.backup.database import table_counts

ROOT = Path(__file__).resolve().parent.parent
UPLOADS = {
    "logos/3f/a1b2c3.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
    "documents/9e/giấy-phép-kinh-doanh.pdf": b"%PDF-1.7\n" + "Hợp tác xã Thủy Nguyên".encode() * 100,
    "products/00/ảnh sản phẩm.jpg": b"\xff\xd8\xff\xe0" + os.urandom(5000),
}


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media-source"
    for name, data in UPLOADS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    settings.MEDIA_ROOT = root
    return root


def checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# --- a fresh database: a new PostgreSQL database on the same server, or a new SQLite file ---------


def _server_connection():
    s = connection.settings_dict
    admin = psycopg2.connect(
        dbname="postgres", user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"] or 5432
    )
    admin.autocommit = True
    return admin


@pytest.fixture
def fresh_database(tmp_path):
    """(DATABASE_URL, counts()) of an empty database the restore goes into; dropped afterwards."""
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"

        def sqlite_counts():
            with sqlite3.connect(path) as db:
                tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                counts = {}
                for table in tables:
                    if table != "sqlite_sequence":
                        counts[table] = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                return counts

        yield f"sqlite:///{path}", sqlite_counts
        return
    name = f"th_restore_{uuid.uuid4().hex[:12]}"
    admin = _server_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    url = f"postgres://{auth}@{s['HOST']}:{s['PORT'] or 5432}/{name}"

    def postgres_counts():
        db = psycopg2.connect(
            dbname=name, user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"] or 5432
        )
        try:
            with db.cursor() as cursor:
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                counts = {}
                for (table,) in cursor.fetchall():
                    cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
                    counts[table] = cursor.fetchone()[0]
                return counts
        finally:
            db.close()

    try:
        yield url, postgres_counts
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def run_restore(archive: Path, database_url: str, media: Path, var: Path, *extra: str):
    """manage.py restore in its own process, configured like a new installation."""
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media), "TUANHANG_VAR_DIR": str(var)}
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


# --- the round trip -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_of_the_demo_restores_into_a_fresh_database_with_every_row_and_file(
    media_root, fresh_database, tmp_path
):
    call_command("seed_demo", stdout=io.StringIO())
    archive = tmp_path / "demo.tar.gz"
    out = io.StringIO()
    call_command("backup", output=archive, stdout=out)
    source_counts = table_counts(connection)
    database_url, restored_counts = fresh_database
    restored_media = tmp_path / "media-restored"

    result = run_restore(archive, database_url, restored_media, tmp_path / "var-restored")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "khớp với bản kê" in result.stdout
    assert sum(source_counts.values()) > 1000  # the demo really is in it
    assert restored_counts() == source_counts
    assert checksums(restored_media) == checksums(media_root)
    assert set(UPLOADS) <= set(checksums(restored_media))  # ours, with the files the demo seed wrote


@pytest.mark.django_db(transaction=True)
def test_backup_manifest_lists_engine_counts_and_checksums(media_root, tmp_path):
    factories.EventFactory()
    archive = tmp_path / "b.tar.gz"

    call_command("backup", output=archive, stdout=io.StringIO())

    with tarfile.open(archive) as tar:
        manifest = __import__("json").load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["format"] == 1
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["tables"]["events_organiser"] == Organiser.objects.count()
    assert {f"media/{name}" for name in UPLOADS} | {manifest["database"]["dump"], "manifest.json"} == names
    assert {name: manifest["files"][f"media/{name}"] for name in UPLOADS} == checksums(media_root)


@pytest.mark.django_db(transaction=True)
def test_backup_without_media_holds_the_database_only(media_root, tmp_path):
    archive = tmp_path / "b.tar.gz"

    call_command("backup", output=archive, no_media=True, stdout=io.StringIO())

    with tarfile.open(archive) as tar:
        assert not [name for name in tar.getnames() if name.startswith("media/")]


@pytest.mark.django_db(transaction=True)
def test_backup_default_path_is_under_var_backups(media_root, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"

    call_command("backup", no_media=True, stdout=io.StringIO())

    (written,) = (tmp_path / "var" / "backups").iterdir()
    assert written.name.startswith("tuanhang-") and written.name.endswith(".tar.gz")


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_has_tables_without_force(media_root, tmp_path, settings):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=archive, no_media=True, stdout=io.StringIO())
    organiser = factories.OrganiserFactory()  # written after the backup: a restore would lose it

    with pytest.raises(CommandError) as refused:
        call_command("restore", archive, stdout=io.StringIO())

    assert "--force" in str(refused.value)
    assert "không trống" in str(refused.value)
    assert Organiser.objects.filter(pk=organiser.pk).exists()


def _damaged_copy(archive: Path, target: Path, member: str) -> None:
    """The same archive with one byte of member changed (its manifest left as it was)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as damaged:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name == member:
                data = bytes([data[0] ^ 1]) + data[1:]
            damaged.addfile(info, io.BytesIO(data))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("member", ["media/logos/3f/a1b2c3.png", "dump"])
def test_restore_refuses_a_damaged_archive_and_writes_nothing(media_root, tmp_path, settings, member):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    if member == "dump":
        member = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    damaged = tmp_path / "damaged.tar.gz"
    _damaged_copy(archive, damaged, member)
    organiser = factories.OrganiserFactory()
    settings.MEDIA_ROOT = tmp_path / "media-target"

    with pytest.raises(CommandError) as refused:
        call_command("restore", damaged, force=True, stdout=io.StringIO())

    assert "Tệp sao lưu bị hỏng" in str(refused.value)
    assert f"mã kiểm tra không khớp: {member}" in str(refused.value)
    assert not (tmp_path / "media-target").exists()
    assert Organiser.objects.filter(pk=organiser.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_truncated_archive(media_root, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    with pytest.raises(CommandError) as refused:
        call_command("restore", truncated, force=True, stdout=io.StringIO())

    assert str(truncated) in str(refused.value)


def test_restore_refuses_an_archive_that_is_not_a_backup(db, tmp_path):
    archive = tmp_path / "other.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("notes.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))

    with pytest.raises(CommandError) as refused:
        call_command("restore", archive, force=True, stdout=io.StringIO())

    assert "manifest.json" in str(refused.value)
