"""Production: every secret from the environment; HTTPS assumed in front of the app server."""

import os

from django.core.exceptions import ImproperlyConfigured

from propdesk.core.crypto import key_problem

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of at least 50 characters.")
# Encrypts ID document numbers at rest; losing it loses them (docs/deployment.md).
PROPDESK_DATA_KEY = os.environ.get("PROPDESK_DATA_KEY", "")
if _data_key_problem := key_problem(PROPDESK_DATA_KEY):
    raise ImproperlyConfigured(_data_key_problem)

# No demo shortcut in production: the sign-in code reaches the owner's phone and nothing else.
PORTAL_DEMO_SHOW_CODE = False
if NOTIFY_SMS_BACKEND.endswith("DemoHandsetSmsBackend"):  # noqa: F405
    raise ImproperlyConfigured("NOTIFY_SMS_BACKEND: the demo handset is for the demo installation only.")

SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# HttpOnly session cookie, SameSite=Lax cookies and the Content-Security-Policy come from base.py, so
# development and the tests run with them too. Behind the reverse proxy the proxy must set
# X-Forwarded-Proto and pass the client's address as REMOTE_ADDR (rate limits, audit log): docs/security.md.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
