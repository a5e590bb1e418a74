"""Checks on the project as a whole: migrations, deploy settings, password hashing, translations."""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "propdesk"


def _manage(*args, env_extra=None, cwd=ROOT):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra={
        "DJANGO_SETTINGS_MODULE": "propdesk.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "propdesk.example", "PROPDESK_VAR": str(tmp_path),
        # Without an SMTP host mail goes to the console, which the deploy check rightly refuses.
        "EMAIL_HOST": "smtp.propdesk.example", "PROPDESK_DATA_KEY": secrets.token_hex(32),
    })
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_harden_cookies_headers_and_tls(tmp_path):
    """What docs/security.md promises, read from the production settings module itself."""
    script = ("from django.conf import settings as s; import json; print(json.dumps({k: getattr(s, k) for k in ["
              "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SECURE',"
              "'CSRF_COOKIE_SAMESITE', 'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', 'SECURE_HSTS_SECONDS',"
              "'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_REFERRER_POLICY', 'X_FRAME_OPTIONS', 'SECURE_CSP', 'MIDDLEWARE']}))")
    result = _manage("shell", "-c", script, env_extra={
        "DJANGO_SETTINGS_MODULE": "propdesk.settings.prod", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "propdesk.example", "PROPDESK_VAR": str(tmp_path), "EMAIL_HOST": "smtp.propdesk.example",
        "PROPDESK_DATA_KEY": secrets.token_hex(32),
    })
    assert result.returncode == 0, result.stdout + result.stderr
    import json

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] and values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] in ("same-origin", "strict-origin-when-cross-origin")
    assert "'unsafe-inline'" not in values["SECURE_CSP"]["script-src"]
    assert values["SECURE_CSP"]["frame-ancestors"] == ["'none'"]
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in values["MIDDLEWARE"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _manage("check", env_extra={"DJANGO_SETTINGS_MODULE": "propdesk.settings.prod",
                                         "SECRET_KEY": "", "PROPDESK_VAR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_passwords_are_hashed_with_argon2_outside_tests():
    from propdesk.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    from django.contrib.auth.hashers import make_password

    assert make_password("s3cret-pass", hasher="argon2").startswith("argon2$")


def test_chinese_is_the_default_language():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def test_every_user_facing_string_has_a_chinese_translation(tmp_path):
    """Extract every msgid from the code and templates; each must be translated in zh_Hans."""
    copy = tmp_path / "propdesk"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    result = _manage("makemessages", "-l", "zh_Hans", "--no-obsolete", "-v", "0", cwd=copy,
                     env_extra={"DJANGO_SETTINGS_MODULE": "propdesk.settings.test"})
    assert result.returncode == 0, result.stderr
    catalogue = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in catalogue if e.msgid and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"{len(missing)} strings lack a Chinese translation, e.g. {missing[:10]}"
