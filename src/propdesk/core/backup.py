"""Backups of one installation: the database and the uploaded files in one archive file.

An archive is an uncompressed tar file:

    database/propdesk.sqlite3  or  database/propdesk.pgdump   a consistent copy of the database
    media/<path>                                             every file under MEDIA_ROOT
    manifest.json                                            written last (see `FORMAT_VERSION`)

The database is copied first and the files after, so every file a row refers to is in the archive
(uploads are stored before the row that names them is committed). The copy is consistent while the
system keeps serving writes: SQLite's online backup API copies a snapshot in one step; on PostgreSQL
the row counts are taken in a REPEATABLE READ transaction whose snapshot pg_dump shares.

This module knows nothing of the domain: tables come from the database's own catalogue.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBERS = {"sqlite": "database/propdesk.sqlite3", "postgresql": "database/propdesk.pgdump"}
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024
INDENT = "      "

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is meant for the operator."""


@dataclass
class RestoreResult:
    manifest: dict
    tables: int
    rows: int
    files: int


def _quiet(message: str) -> None:
    pass


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _vendor() -> str:
    if connection.vendor not in DB_MEMBERS:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.")
                          % {"vendor": connection.vendor})
    return connection.vendor


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _latest_migrations(rows) -> dict[str, str]:
    """{app: name of its latest applied migration} from (app, name) rows of django_migrations."""
    latest: dict[str, str] = {}
    for app, name in rows:
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


# -- PostgreSQL client tools --------------------------------------------------------------------

def _pg_env() -> dict[str, str]:
    """The connection of the default database as libpq environment variables for pg_dump/pg_restore."""
    db = connection.settings_dict
    env = dict(os.environ)
    options = db.get("OPTIONS") or {}
    pairs = {
        "PGDATABASE": db.get("NAME"), "PGUSER": db.get("USER"), "PGPASSWORD": db.get("PASSWORD"),
        "PGHOST": db.get("HOST"), "PGPORT": db.get("PORT"),
        "PGSSLMODE": options.get("sslmode"), "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"), "PGSSLKEY": options.get("sslkey"),
        "PGSERVICE": options.get("service"), "PGPASSFILE": options.get("passfile"),
    }
    for key, value in pairs.items():
        if value:
            env[key] = str(value)
    return env


def _run_pg_tool(args: list[str]) -> None:
    try:
        result = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(_("%(tool)s was not found: install the PostgreSQL client tools.")
                          % {"tool": args[0]}) from exc
    if result.returncode != 0:
        raise BackupError(_("%(tool)s failed: %(error)s")
                          % {"tool": args[0], "error": result.stderr.strip()[-2000:]})


# -- reading the database -------------------------------------------------------------------------

def _count_rows(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(name for (name,) in rows)


def _snapshot_sqlite(target: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Copy the live database into `target` with the online backup API; count rows in the copy."""
    connection.ensure_connection()
    live = connection.connection
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1): the whole copy is read in one read transaction, so it is one snapshot
        # however many writes other processes commit meanwhile (WAL readers do not block writers).
        live.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")
        tables = _sqlite_tables(copy)
        counts = _count_rows(copy.cursor(), tables)
        migrations = _latest_migrations(copy.execute("SELECT app, name FROM django_migrations")) \
            if "django_migrations" in tables else {}
    finally:
        copy.close()
    return counts, migrations


def _snapshot_postgresql(target: Path) -> tuple[dict[str, int], dict[str, str]]:
    """pg_dump -Fc into `target` from the same snapshot in which the rows are counted."""
    with transaction.atomic(durable=True), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = connection.introspection.table_names(cursor)
        counts = _count_rows(cursor, tables)
        migrations = {}
        if "django_migrations" in tables:
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = _latest_migrations(cursor.fetchall())
        # The transaction stays open while pg_dump runs: an exported snapshot lives only as long.
        _run_pg_tool(["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(target)])
    return counts, migrations


def _app_of_tables() -> dict[str, str]:
    """{table: app label} for the installed models (for the manifest's reader)."""
    from django.apps import apps

    owners = {}
    for model in apps.get_models(include_auto_created=True):
        owners[model._meta.db_table] = model._meta.app_label
    return owners


# -- backup --------------------------------------------------------------------------------------

def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M%S")


def default_archive_path() -> Path:
    return Path(settings.VAR_DIR) / "backups" / f"propdesk-backup-{_stamp()}.tar"


def _media_files(root: Path):
    """Every regular file under MEDIA_ROOT as (absolute path, posix path relative to root), sorted."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


def _add_media_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict | None:
    """Add one file, hashing exactly the bytes stored (a file may be growing or vanish meanwhile)."""
    digest = hashlib.sha256()
    size = 0
    with tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as spool:
        try:
            with open(path, "rb") as fh:
                stat = os.fstat(fh.fileno())
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
                    spool.write(chunk)
                    size += len(chunk)
        except FileNotFoundError:
            return None  # deleted after it was listed: no row of the snapshot can need it
        spool.seek(0)
        info = tarfile.TarInfo(arcname)
        info.size = size
        info.mtime = int(stat.st_mtime)
        info.mode = 0o644
        tar.addfile(info, spool)
    return {"sha256": digest.hexdigest(), "size": size}


def create_backup(output: Path | None = None, progress: Progress = _quiet) -> tuple[Path, dict]:
    """Write one archive of the database and the uploaded files; return its path and manifest."""
    vendor = _vendor()
    output = Path(output) if output else default_archive_path()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    media_root = Path(settings.MEDIA_ROOT)
    created_at = timezone.now()

    with tempfile.TemporaryDirectory(prefix="propdesk-backup-", dir=output.parent) as tmp:
        dump = Path(tmp) / PurePosixPath(DB_MEMBERS[vendor]).name
        progress(_("[1/3] Copying the database (%(vendor)s) from one consistent snapshot…")
                 % {"vendor": vendor})
        if vendor == "sqlite":
            counts, migrations = _snapshot_sqlite(dump)
        else:
            counts, migrations = _snapshot_postgresql(dump)
        progress(INDENT + _("tables: %(tables)d, rows: %(rows)d, size: %(size)s")
                 % {"tables": len(counts), "rows": sum(counts.values()), "size": human_size(dump.stat().st_size)})

        progress(_("[2/3] Adding the uploaded files…"))
        media: dict[str, dict] = {}
        try:
            with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
                tar.add(dump, arcname=DB_MEMBERS[vendor], recursive=False)
                for path, relative in _media_files(media_root):
                    entry = _add_media_file(tar, path, MEDIA_PREFIX + relative)
                    if entry is not None:
                        media[relative] = entry
                        if len(media) % 500 == 0:
                            progress(INDENT + _("files: %(count)d") % {"count": len(media)})
                progress(INDENT + _("files: %(count)d, size: %(size)s")
                         % {"count": len(media), "size": human_size(sum(m["size"] for m in media.values()))})

                progress(_("[3/3] Writing the manifest…"))
                owners = _app_of_tables()
                manifest = {
                    "format_version": FORMAT_VERSION,
                    "created_at": created_at.isoformat(),
                    "database": {
                        "vendor": vendor,
                        "member": DB_MEMBERS[vendor],
                        "sha256": _sha256_file(dump),
                        "size": dump.stat().st_size,
                    },
                    "migrations": migrations,
                    "tables": {t: {"rows": n, "app": owners.get(t)} for t, n in counts.items()},
                    "media": media,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(created_at.timestamp())
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
            with open(partial, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return output, manifest


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


# -- restore ---------------------------------------------------------------------------------------

def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read())
    except (KeyError, AttributeError, ValueError, tarfile.TarError, OSError) as exc:
        raise BackupError(_("The archive has no readable manifest: it is not a propdesk backup or it is "
                            "damaged.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        version = manifest.get("format_version") if isinstance(manifest, dict) else None
        raise BackupError(_("Unknown backup format version %(version)s (this version reads %(known)s).")
                          % {"version": version, "known": FORMAT_VERSION})
    for key in ("database", "tables", "media", "migrations"):
        if not isinstance(manifest.get(key), dict):
            raise BackupError(_("The archive's manifest is incomplete (%(key)s missing).") % {"key": key})
    return manifest


def existing_tables() -> list[str]:
    """Every table of the configured database (an empty installation has none)."""
    with connection.cursor() as cursor:
        return sorted(t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_"))


def media_is_empty() -> bool:
    root = Path(settings.MEDIA_ROOT)
    return not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(_("The archive contains an unsafe path: %(path)s") % {"path": name})
    return path


def _extract_verified(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, expected: str) -> None:
    """Copy one member to `target`, refusing it unless its SHA-256 is the expected one."""
    source = tar.extractfile(member)
    if source is None:
        raise BackupError(_("The archive member %(name)s is not a file.") % {"name": member.name})
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected:
        raise BackupError(_("The archive is corrupt: the checksum of %(name)s does not match its manifest.")
                          % {"name": member.name})


def _unpack(archive: Path, manifest: dict, dump: Path, media_dir: Path, progress: Progress) -> None:
    """Extract and verify every member before anything is put into place."""
    db_member = manifest["database"].get("member")
    expected_media = manifest["media"]
    seen_db = False
    seen_media: set[str] = set()
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if member.name == db_member:
                    _extract_verified(tar, member, dump, manifest["database"].get("sha256"))
                    seen_db = True
                elif member.name.startswith(MEDIA_PREFIX):
                    relative = member.name[len(MEDIA_PREFIX):]
                    entry = expected_media.get(relative)
                    if entry is None or not member.isfile():
                        raise BackupError(_("The archive contains %(name)s, which its manifest does not list.")
                                          % {"name": member.name})
                    _extract_verified(tar, member, media_dir / _safe_relative(relative), entry.get("sha256"))
                    seen_media.add(relative)
                    if len(seen_media) % 500 == 0:
                        progress(INDENT + _("files: %(count)d") % {"count": len(seen_media)})
                else:
                    raise BackupError(_("The archive contains %(name)s, which its manifest does not list.")
                                      % {"name": member.name})
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(_("The archive is corrupt or truncated: %(error)s") % {"error": exc}) from exc
    missing = sorted(set(expected_media) - seen_media)
    if not seen_db or missing:
        raise BackupError(_("The archive is incomplete: %(count)d of its listed members are missing.")
                          % {"count": len(missing) + (0 if seen_db else 1)})


def _clear_database() -> None:
    """Drop every table of the configured database (restore --force)."""
    tables = existing_tables()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {_quote(table)} CASCADE")
    # SQLite: the file is replaced as a whole.


def _place_sqlite(dump: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    # Check the copy before it replaces anything.
    db = sqlite3.connect(dump)
    try:
        ok = db.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        db.close()
    if ok != "ok":
        raise BackupError(_("The database in the archive fails SQLite's integrity check: %(error)s")
                          % {"error": ok})
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(dump, staged)
    with open(staged, "rb+") as fh:
        os.fsync(fh.fileno())
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(staged, target)


def _place_postgresql(dump: Path) -> None:
    # One transaction: a failure leaves the database as empty as it was.
    _run_pg_tool(["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
                  "--dbname", connection.settings_dict["NAME"], str(dump)])
    connection.close()


def _place_media(staged: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        if not media_is_empty():
            root.rename(root.with_name(f"{root.name}-before-restore-{_stamp()}"))
        else:
            shutil.rmtree(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, root)


def verify(manifest: dict) -> list[str]:
    """Compare the installation with the manifest; return the differences (none: restored exactly)."""
    problems = []
    expected = {t: e["rows"] for t, e in manifest["tables"].items()}
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        for table, rows in sorted(expected.items()):
            if table not in present:
                problems.append(_("table %(table)s is missing") % {"table": table})
                continue
            count = _count_rows(cursor, [table])[table]
            if count != rows:
                problems.append(_("table %(table)s has %(count)d rows, the manifest says %(rows)d")
                                % {"table": table, "count": count, "rows": rows})
    root = Path(settings.MEDIA_ROOT)
    for relative, entry in sorted(manifest["media"].items()):
        path = root / relative
        if not path.is_file():
            problems.append(_("file %(path)s is missing") % {"path": relative})
        elif _sha256_file(path) != entry["sha256"]:
            problems.append(_("file %(path)s differs from the manifest") % {"path": relative})
    return problems


def unknown_migrations(manifest: dict) -> list[str]:
    """Migrations recorded in the archive that this code does not have (an archive from newer code)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    return [f"{app}.{name}" for app, name in manifest["migrations"].items() if (app, name) not in known]


def inspect_archive(archive: Path) -> dict:
    """Open the archive and return its manifest, refusing an unreadable or unknown one."""
    if not archive.is_file():
        raise BackupError(_("No such archive: %(path)s") % {"path": archive})
    try:
        with tarfile.open(archive, "r:") as tar:
            return read_manifest(tar)
    except tarfile.TarError as exc:
        raise BackupError(_("The archive is corrupt or not a tar file: %(error)s") % {"error": exc}) from exc


def restore_backup(archive: Path, manifest: dict, *, force: bool = False,
                   progress: Progress = _quiet) -> RestoreResult:
    """Restore `archive` (already read with inspect_archive) into this installation, then verify it.

    Without `force` the database must have no table and MEDIA_ROOT no file. Everything is extracted
    and checked into a temporary folder first, so a corrupt archive leaves nothing half-written.
    """
    vendor = _vendor()
    if manifest["database"].get("vendor") != vendor:
        raise BackupError(_("The archive holds a %(archive)s database but this installation uses %(vendor)s.")
                          % {"archive": manifest["database"].get("vendor"), "vendor": vendor})
    if not force:
        tables = existing_tables()
        if tables:
            raise BackupError(_("The database is not empty (%(count)d tables, e.g. %(example)s): restore only "
                                "into an empty installation, or use --force to replace it.")
                              % {"count": len(tables), "example": tables[0]})
        if not media_is_empty():
            raise BackupError(_("The uploads folder %(path)s is not empty: restore only into an empty "
                                "installation, or use --force to replace it.") % {"path": settings.MEDIA_ROOT})

    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".propdesk-restore-", dir=media_root.parent) as tmp:
        dump = Path(tmp) / "database"
        staged_media = Path(tmp) / "media"
        staged_media.mkdir()
        progress(_("[1/3] Checking and unpacking the archive…"))
        _unpack(archive, manifest, dump, staged_media, progress)

        progress(_("[2/3] Restoring the database and %(count)d files…") % {"count": len(manifest["media"])})
        if force:
            _clear_database()
        if vendor == "sqlite":
            _place_sqlite(dump)
        else:
            _place_postgresql(dump)
        _place_media(staged_media)

    progress(_("[3/3] Verifying row counts and checksums…"))
    problems = verify(manifest)
    if problems:
        raise BackupError(_("The restored installation does not match the archive: %(problems)s")
                          % {"problems": "; ".join(problems[:20])})
    return RestoreResult(manifest=manifest, tables=len(manifest["tables"]),
                         rows=sum(e["rows"] for e in manifest["tables"].values()), files=len(manifest["media"]))

