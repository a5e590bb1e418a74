"""A migrated template of the test database, made once per set of migrations and cloned by every test run.

Applying every migration takes about 20 s of CPU (Django renders the model states of ~40 migrations), and
`make test` starts seven pytest runs of two workers each. The first worker of a run that finds no template
lets Django create its test database as usual (migrations, post-migrate signals) and saves a copy as the
template; every other worker, and every later run on the same engine and the same migrations, clones it
(SQLite: a file copy; PostgreSQL: CREATE DATABASE … TEMPLATE) and lets Django check it with `keepdb`, which
applies nothing. A file lock keeps two workers from building it at once. The template's name carries a
fingerprint of every installed app's migration files, so a changed migration makes a new one.
"""

import contextlib
import fcntl
import hashlib
import shutil
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections

PREFIX = "propdesk_test_template_"


def fingerprint() -> str:
    digest = hashlib.sha256()
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _locked():
    var = Path(settings.VAR_DIR)
    var.mkdir(parents=True, exist_ok=True)
    with open(var / "test-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class _SQLite:
    def __init__(self, connection, key):
        self.connection = connection
        self.path = Path(settings.VAR_DIR) / f"{PREFIX}{key}.sqlite3"
        self.test_path = Path(connection.creation._get_test_db_name())

    def exists(self) -> bool:
        return self.path.exists()

    def clone(self):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.test_path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.path, self.test_path)

    def save(self):
        self.connection.close()  # the last connection checkpoints the WAL into the file
        for old in self.path.parent.glob(f"{PREFIX}*.sqlite3"):
            old.unlink(missing_ok=True)
        partial = self.path.with_suffix(".partial")
        shutil.copyfile(self.test_path, partial)
        partial.replace(self.path)


class _PostgreSQL:
    def __init__(self, connection, key):
        self.connection = connection
        self.name = f"{PREFIX}{key}"
        self.test_name = connection.creation._get_test_db_name()

    def _admin(self, *statements, fetch=None):
        with self.connection._nodb_cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            return cursor.fetchall() if fetch else None

    def exists(self) -> bool:
        return bool(self._admin(f"SELECT 1 FROM pg_database WHERE datname = '{self.name}'", fetch=True))

    def clone(self):
        self._admin(f'DROP DATABASE IF EXISTS "{self.test_name}"',
                    f'CREATE DATABASE "{self.test_name}" TEMPLATE "{self.name}"')

    def save(self):
        self.connection.close()  # a template must have no session
        old = self._admin(f"SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%'", fetch=True)
        self._admin(*(f'DROP DATABASE IF EXISTS "{name}"' for (name,) in old),
                    f'CREATE DATABASE "{self.name}" TEMPLATE "{self.test_name}"')


def setup_test_database(setup):
    """Create the default test database through `setup(keepdb)` (django.test.utils.setup_databases), from
    the template when there is one; returns what `setup` returned."""
    connection = connections["default"]
    kind = {"sqlite": _SQLite, "postgresql": _PostgreSQL}.get(connection.vendor)
    if kind is None:
        return setup(False)
    template = kind(connection, fingerprint())
    with _locked():
        if template.exists():
            template.clone()
            return setup(True)
        created = setup(False)
        template.save()
        return created
