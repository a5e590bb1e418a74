"""Backup and restore: taken while another process writes, restored into an empty installation.

The commands run as real subprocesses against the test database (a file on SQLite, the test database
on PostgreSQL), so the backup reads committed data while this process keeps writing.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from propdesk.core.models import TimelineEvent

ROOT = Path(__file__).resolve().parent.parent.parent
VERB = "test.backup.upload"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pg_url(settings_dict: dict, name: str | None = None) -> str:
    user = quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD")
    auth = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{settings_dict.get('HOST') or 'localhost'}{port}/{name or settings_dict['NAME']}"


def _manage(*args, var: Path, db_env: dict):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SQLITE_PATH"}}
    env.update(db_env)
    env["PROPDESK_VAR"] = str(var)
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def live_db_env():
    """The environment that points a subprocess at this test's database."""
    if connection.vendor == "postgresql":
        return {"DATABASE_URL": _pg_url(connection.settings_dict)}
    return {"SQLITE_PATH": connection.settings_dict["NAME"]}


class Target:
    """An empty installation to restore into: a fresh var folder and an empty database."""

    def __init__(self, var: Path, db_env: dict, pg_url: str | None):
        self.var, self.db_env, self.pg_url = var, db_env, pg_url

    def _query(self, sql: str):
        if self.pg_url:
            import psycopg

            with psycopg.connect(self.pg_url) as db:
                return db.execute(sql).fetchall()
        import sqlite3

        path = self.var / "propdesk.sqlite3"
        if not path.exists():
            return []
        db = sqlite3.connect(path)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def tables(self) -> list[str]:
        if self.pg_url:
            rows = self._query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        else:
            rows = self._query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return sorted(name for (name,) in rows)

    def count(self, table: str) -> int:
        return self._query(f'SELECT COUNT(*) FROM "{table}"')[0][0]

    def rows(self, sql: str):
        return self._query(sql)


@pytest.fixture
def target(tmp_path):
    var = tmp_path / "restored"
    if connection.vendor != "postgresql":
        yield Target(var, {}, None)
        return
    import psycopg

    admin_url = _pg_url(connection.settings_dict)
    name = f"{connection.settings_dict['NAME']}_restore"
    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    url = _pg_url(connection.settings_dict, name)
    yield Target(var, {"DATABASE_URL": url}, url)
    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _write_upload(media: Path, index: int) -> tuple[str, str]:
    """Store one upload the way storage does (complete before its row exists); return path and hash."""
    relative = f"work-orders/2026/11/photo-{index:05d}.jpg"
    data = os.urandom(1000 + index * 37 % 5000)
    path = media / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_bytes(data)
    os.replace(partial, path)
    return relative, _sha(data)


class Writer(threading.Thread):
    """Keeps writing uploads and the rows that name them until stopped."""

    def __init__(self, media: Path):
        super().__init__(daemon=True)
        self.media = media
        self.stop = threading.Event()
        self.files: dict[str, str] = {}
        self.error: BaseException | None = None

    def run(self):
        try:
            index = 0
            while not self.stop.is_set():
                relative, digest = _write_upload(self.media, index)
                self.files[relative] = digest
                TimelineEvent.objects.create(at=timezone.now(), verb=VERB, message="photo uploaded",
                                             params={"file": relative})
                index += 1
                time.sleep(0.002)
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            connection.close()


def _read_manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def _backup(tmp_path: Path, live_db_env: dict, source_var: Path) -> Path:
    archive = tmp_path / "out" / "propdesk-backup.tar"
    result = _manage("backup", "--output", str(archive), var=source_var, db_env=live_db_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert str(archive) in result.stdout
    return archive


@pytest.mark.django_db(transaction=True)
def test_backup_while_writing_restores_exactly_into_an_empty_installation(tmp_path, live_db_env, target):
    source_var = tmp_path / "source"
    media = source_var / "media"
    for index in range(10):
        _write_upload(media, 100000 + index)
    writer = Writer(media)
    writer.start()
    try:
        deadline = time.monotonic() + 10
        while len(writer.files) < 30 and time.monotonic() < deadline and writer.error is None:
            time.sleep(0.01)
        written_before = len(writer.files)
        archive = _backup(tmp_path, live_db_env, source_var)
        written_during = len(writer.files) - written_before
    finally:
        writer.stop.set()
        writer.join(timeout=10)
    assert writer.error is None, writer.error
    assert written_during > 0, "the writer must keep writing while the backup runs"
    originals = {p.relative_to(media).as_posix(): _sha(p.read_bytes()) for p in media.rglob("*.jpg")}

    manifest = _read_manifest(archive)
    assert manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["migrations"]["core"].startswith("0")
    event_table = TimelineEvent._meta.db_table
    assert 0 < manifest["tables"][event_table]["rows"] < TimelineEvent.objects.count()

    result = _manage("restore", str(archive), var=target.var, db_env=target.db_env)
    assert result.returncode == 0, result.stdout + result.stderr

    # Row counts of every table are those of the snapshot.
    restored_tables = target.tables()
    assert restored_tables == sorted(manifest["tables"])
    for table, entry in manifest["tables"].items():
        assert target.count(table) == entry["rows"], table
    # Every file is the original, and every file a restored row names is there.
    restored_media = target.var / "media"
    assert manifest["media"]
    for relative, entry in manifest["media"].items():
        data = (restored_media / relative).read_bytes()
        assert _sha(data) == entry["sha256"] == originals[relative], relative
    named = [json.loads(params)["file"] if isinstance(params, str) else params["file"]
             for (params,) in target.rows(f"SELECT params FROM \"{event_table}\" WHERE verb = '{VERB}'")]
    assert len(named) == manifest["tables"][event_table]["rows"]
    for relative in named:
        assert _sha((restored_media / relative).read_bytes()) == writer.files[relative], relative
    assert not list(target.var.glob(".propdesk-restore-*"))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path, live_db_env):
    source_var = tmp_path / "source"
    _write_upload(source_var / "media", 1)
    TimelineEvent.objects.create(at=timezone.now(), verb=VERB, message="before")
    archive = _backup(tmp_path, live_db_env, source_var)
    TimelineEvent.objects.create(at=timezone.now(), verb=VERB, message="after the backup")

    result = _manage("restore", str(archive), var=tmp_path / "other-var", db_env=live_db_env)
    assert result.returncode != 0
    assert "--force" in result.stderr
    assert TimelineEvent.objects.filter(verb=VERB).count() == 2
    assert not (tmp_path / "other-var" / "media").exists()

    # --force without --yes asks, and without a terminal to answer it does nothing.
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive), "--force")
    assert TimelineEvent.objects.filter(verb=VERB).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_corrupt_archive_is_refused_and_leaves_nothing_half_written(tmp_path, live_db_env, target):
    source_var = tmp_path / "source"
    for index in range(3):
        _write_upload(source_var / "media", index)
    archive = _backup(tmp_path, live_db_env, source_var)

    # One flipped byte in the last uploaded file: the database member before it is intact.
    corrupt = tmp_path / "corrupt.tar"
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        last_file = [m for m in tar.getmembers() if m.name.startswith("media/")][-1]
    data[last_file.offset_data + 10] ^= 0xFF
    corrupt.write_bytes(bytes(data))

    result = _manage("restore", str(corrupt), var=target.var, db_env=target.db_env)
    assert result.returncode != 0
    assert last_file.name in result.stderr
    assert target.tables() == []
    media = target.var / "media"
    assert not media.exists() or not any(media.iterdir())
    assert not list(target.var.glob(".propdesk-restore-*"))
    assert not list(target.var.glob("*.restoring"))

    # Cut short: the manifest at the end is gone.
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError):
        call_command("restore", str(truncated))


@pytest.mark.django_db
def test_unknown_versions_and_non_archives_are_refused(tmp_path):
    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(os.urandom(3000))
    with pytest.raises(CommandError):
        call_command("restore", str(garbage))

    future = tmp_path / "future.tar"
    payload = json.dumps({"format_version": 99, "database": {}, "tables": {}, "media": {},
                          "migrations": {}}).encode()
    with tarfile.open(future, "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    with pytest.raises(CommandError, match="99"):
        call_command("restore", str(future))

    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.tar"))
