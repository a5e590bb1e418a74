"""Security headers and cookie flags with production settings, on console, portal and API responses."""

import re

import pytest
from django.test import Client

from propdesk.org.models import SecurityEvent
from tests.portal.conftest import sent_code

HTTPS = {"secure": True}  # what the app sees behind the TLS proxy (X-Forwarded-Proto: https)


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def _assert_hardened(response, *, nonce: bool):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"].startswith("max-age=")
    csp = _directives(response)
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    scripts = csp["script-src"]
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "'unsafe-inline'" not in csp["style-src"]
    if nonce:
        assert any(re.fullmatch(r"'nonce-[\w+/=-]{16,}'", s) for s in scripts), scripts


def _nonce_of(response) -> str:
    return next(s[7:-1] for s in _directives(response)["script-src"] if s.startswith("'nonce-"))


def test_console_pages_carry_every_header(prod_settings, client, staff):
    login = client.get("/login/", **HTTPS)
    assert login.status_code == 200
    _assert_hardened(login, nonce=True)
    client.force_login(staff)
    home = client.get("/", **HTTPS)
    assert home.status_code == 200
    _assert_hardened(home, nonce=True)
    # every <script> of the page is an external file carrying this response's nonce
    body = home.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", body)
    assert scripts and all("src=" in s and f'nonce="{_nonce_of(home)}"' in s for s in scripts)


def test_each_response_gets_a_fresh_nonce(prod_settings, client, db):
    assert _nonce_of(client.get("/login/", **HTTPS)) != _nonce_of(client.get("/login/", **HTTPS))


def test_portal_pages_carry_every_header(prod_settings, client, occupancy):
    page = client.get("/portal/login/", **HTTPS)
    assert page.status_code == 200
    _assert_hardened(page, nonce=True)
    client.post("/portal/login/", {"phone": "13812345678"}, **HTTPS)
    client.post("/portal/login/", {"phone": "13812345678", "code": sent_code("13812345678")}, **HTTPS)
    home = client.get("/portal/", **HTTPS)
    assert home.status_code == 200
    _assert_hardened(home, nonce=True)


def test_api_responses_carry_every_header(prod_settings, staff):
    from tests.api.conftest import PASSWORD

    client = Client()
    token = client.post("/api/v1/auth/token", {"username": "desk", "password": PASSWORD},
                        content_type="application/json", **HTTPS)
    assert token.status_code == 200
    _assert_hardened(token, nonce=False)
    listing = client.get("/api/v1/projects", headers={"authorization": f"Bearer {token.json()['token']}"}, **HTTPS)
    assert listing.status_code == 200
    _assert_hardened(listing, nonce=False)


def test_the_proxy_header_marks_the_request_secure(prod_settings, client, db):
    response = client.get("/login/", headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_plain_http_is_redirected_and_gets_no_hsts(prod_settings, client, db):
    response = client.get("/login/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert "Strict-Transport-Security" not in response


def test_session_and_csrf_cookies_are_flagged(prod_settings, client, staff):
    login = client.get("/login/", **HTTPS)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post("/login/", {"username": "desk", "password": "correct-horse-9",
                                       "csrfmiddlewaretoken": csrf.value}, **HTTPS)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_portal_session_cookie_is_flagged(prod_settings, client, occupancy):
    client.post("/portal/login/", {"phone": "13812345678"}, **HTTPS)
    response = client.post("/portal/login/", {"phone": "13812345678", "code": sent_code("13812345678")}, **HTTPS)
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_development_and_tests_run_with_the_same_policy():
    from django.conf import settings

    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE
    assert "'unsafe-inline'" not in settings.SECURE_CSP["script-src"]


@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/docs"])
def test_admin_and_api_docs_have_no_inline_script(client, db, path):
    body = client.get(path).content.decode()
    inline = [s for s in re.findall(r"<script\b([^>]*)>", body) if "src=" not in s and "json" not in s]
    assert not inline, inline
    assert not SecurityEvent.objects.exists()
