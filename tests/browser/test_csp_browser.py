"""The Content-Security-Policy holds in a real browser: pages work, and the policy really blocks inline script.

The `page` fixture fails a test on any "Content Security Policy" console message, so walking the pages that
use htmx, ECharts and the small static helpers proves none of them needs more than the policy allows.
"""

import pytest

from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-9")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")


def test_console_pages_work_under_the_policy(live_server, page, project):
    StaffFactory(username="boss", role="company_admin")
    base = live_server.url
    _sign_in(page, base, "boss")
    page.fill("#lookup-q", "138")  # htmx live lookup
    page.wait_for_timeout(800)
    for path in ["/quality/", "/catalogue/", "/surveys/", "/audit/", "/api/v1/docs", "/admin/login/"]:
        response = page.goto(f"{base}{path}")
        assert response.status < 400, path
        page.wait_for_load_state("networkidle")
    page.goto(f"{base}/catalogue/")
    with page.expect_navigation():
        page.select_option("#cat-project", str(project.pk))  # data-autosubmit, wired by console.js
    assert f"project={project.pk}" in page.url


def test_portal_login_works_under_the_policy(live_server, page, db):
    page.goto(f"{live_server.url}/portal/login/")
    page.wait_for_load_state("networkidle")
    assert page.locator("input[name=phone]").count() == 1


def test_the_policy_blocks_an_injected_inline_script(live_server, browser, db):
    context = browser.new_context()
    probe = context.new_page()
    messages = []
    probe.on("console", lambda msg: messages.append(msg.text))
    probe.goto(f"{live_server.url}/login/")
    probe.evaluate("""() => { const s = document.createElement('script');
                              s.textContent = 'window.injected = true'; document.body.appendChild(s); }""")
    probe.wait_for_timeout(300)
    assert probe.evaluate("() => window.injected === undefined")
    assert any("Content Security Policy" in m for m in messages), messages
    context.close()
