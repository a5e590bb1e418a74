"""Production's web-hardening settings, applied to the test run (the suite's own database and cache)."""

import importlib
import secrets
import sys

import pytest
from django.test import override_settings

# What production decides about headers, cookies and TLS; everything else stays the suite's.
HARDENING = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CSP", "X_FRAME_OPTIONS", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_SAMESITE", "MIDDLEWARE",
]
PROD_ENV = {"SECRET_KEY": "s" * 10 + secrets.token_urlsafe(50), "EMAIL_HOST": "smtp.propdesk.example",
            "PROPDESK_DATA_KEY": secrets.token_hex(32), "ALLOWED_HOSTS": "testserver"}


def production_values(monkeypatch, tmp_path) -> dict:
    for name, value in PROD_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PROPDESK_VAR", str(tmp_path))
    sys.modules.pop("propdesk.settings.prod", None)
    try:
        prod = importlib.import_module("propdesk.settings.prod")
    finally:
        sys.modules.pop("propdesk.settings.prod", None)
    return {name: getattr(prod, name) for name in HARDENING}


@pytest.fixture
def prod_settings(monkeypatch, tmp_path):
    values = production_values(monkeypatch, tmp_path)
    with override_settings(**values):
        yield values
from tests.notify.conftest import smtp_server  # noqa: E402,F401  (a real SMTP server for tests/security)
