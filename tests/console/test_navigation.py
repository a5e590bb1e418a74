"""The console's navigation: one menu per area, each role's daily pages first, each role's landing page."""

import re

import pytest
from django.urls import reverse

from propdesk.console import navigation
from tests.factories import StaffFactory

AREAS_ZH = ["服务台", "公共事务", "收费", "沟通", "质量", "档案"]


def bar(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("console:home")).content.decode()
    return html[html.index('<nav class="mainnav"'):html.index("</nav>")]


def test_the_bar_groups_pages_by_area_in_chinese(client, project):
    manager = StaffFactory(username="pm", role="project_manager", projects=[project])
    nav = bar(client, manager)
    labels = re.findall(r"<summary[^>]*>([^<]+)</summary>", nav)
    # Areas with no page yet are left out; the others keep the order of the areas.
    assert labels == [a for a in AREAS_ZH if a in labels]
    assert {"服务台", "沟通", "质量", "档案"} <= set(labels)
    assert nav.count("<details") == len(labels)


@pytest.mark.parametrize(("role", "first"), [("technician", "my_jobs"), ("front_desk", "queue"),
                                             ("project_manager", "queue")])
def test_each_role_sees_its_daily_pages_in_front_of_the_menus(client, project, role, first):
    user = StaffFactory(username=f"u-{role}", role=role, projects=[project])
    nav = bar(client, user)
    daily = re.findall(r'<a class="daily" href="[^"]+" data-nav="(\w+)"', nav)
    assert daily and daily[0] == first
    assert nav.index('class="daily"') < nav.index("<details")


def test_admin_pages_stay_out_of_other_roles_bars(client, project, admin_user):
    desk = StaffFactory(username="desk2", role="front_desk", projects=[project])
    assert 'data-nav="audit"' not in bar(client, desk)
    assert 'data-nav="transfer"' not in bar(client, desk)
    assert 'data-nav="audit"' in bar(client, admin_user)


def test_the_current_page_is_marked_in_its_area(client, project):
    manager = StaffFactory(username="pm2", role="project_manager", projects=[project])
    client.force_login(manager)
    html = client.get(reverse("console:surveys")).content.decode()
    assert re.search(r'data-area="engage">\s*<summary class="active">', html)
    assert 'data-nav="surveys" aria-current="page"' in html


@pytest.mark.parametrize(("role", "landing"), [("technician", "console:my_jobs"), ("cleaning", "console:my_jobs"),
                                               ("front_desk", "console:home"), ("project_manager", "console:home")])
def test_each_role_lands_on_its_daily_page_after_signing_in(client, project, role, landing):
    StaffFactory(username=f"in-{role}", role=role, projects=[project], password="s3cret-pass")
    response = client.post(reverse("console:login"), {"username": f"in-{role}", "password": "s3cret-pass"})
    assert response.status_code == 302 and response["Location"] == reverse(landing)


def test_a_next_address_wins_over_the_landing_page(client, project):
    StaffFactory(username="in-tech", role="technician", projects=[project], password="s3cret-pass")
    response = client.post(reverse("console:login") + "?next=/work-orders/",
                           {"username": "in-tech", "password": "s3cret-pass", "next": "/work-orders/"})
    assert response["Location"] == "/work-orders/"


def test_every_entry_of_every_area_names_a_console_page():
    """An entry is skipped while its page does not exist; a typo must not hide a real page for ever."""
    names = {e.url_name for area in navigation.AREAS for e in area.entries}
    missing = {n for n in names if navigation._url(n) is None}
    assert not missing, f"navigation entries without a console page: {missing}"
