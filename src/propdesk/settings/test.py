"""The test suite: fast hashing, in-process cache, immediate tasks."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, database_from_env
from .dev import PROPDESK_DATA_KEY  # noqa: F401  (the same public, non-secret development key)

DATABASES = {"default": database_from_env(VAR_DIR / "test.sqlite3")}
if "postgresql" not in DATABASES["default"]["ENGINE"]:
    # A file, not Django's default in-memory database: concurrency tests need WAL and busy_timeout,
    # which a shared in-memory database does not honour ("database table is locked").
    # One file per test process, so two runs at once (or xdist workers) never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# The simulated handset: tests read what a phone received from it (the database keeps secrets masked).
NOTIFY_SMS_BACKEND = "propdesk.notify.backends.DemoHandsetSmsBackend"
NOTIFY_STAFF_EMAIL = False
NOTIFY_CUSTOMER_CHANNELS = ("sms", "email")
NOTIFY_SITE_URL = ""
