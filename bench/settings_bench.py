"""Settings for the large benchmarks: production-like (DEBUG off, no query log), loopback only.

The database is SQLite at SQLITE_PATH (default var/bench/service-1m.sqlite3) or DATABASE_URL,
with the same connection settings as every other environment (base.py: CONN_MAX_AGE=600 on
PostgreSQL, WAL and immediate transactions on SQLite).
"""

import os

from propdesk.settings.base import *  # noqa: F403
from propdesk.settings.base import BASE_DIR, LOGGING

os.environ.setdefault("SQLITE_PATH", str(BASE_DIR / "var" / "bench" / "service-1m.sqlite3"))
from propdesk.settings.base import VAR_DIR, database_from_env  # noqa: E402

DATABASES = {"default": database_from_env(VAR_DIR / "bench" / "service-1m.sqlite3")}
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Under load a 4xx would log one line per request: keep the log to errors.
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "ERROR"},
           "loggers": {"django.db.backends": {"level": "WARNING"}, "django.request": {"level": "ERROR"}}}
