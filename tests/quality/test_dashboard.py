"""The quality dashboard: figures, colours, drill-down to the queue, company view, .xlsx export."""

import re
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from propdesk.quality.kpis import KPIS
from tests.factories import StaffFactory
from tests.quality.conftest import EXPECTED, NOW

OCTOBER = {"period": "month", "month": "2026-10"}


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def pm_client(client, kpi_world, manager_user):
    client.force_login(manager_user)
    client.cookies["django_language"] = "en"
    return client


def kpi_rows(html):
    return dict(re.findall(r'data-kpi="([a-z0-9_]+)" data-value="([^"]*)"', html))


def test_the_dashboard_shows_every_figure_with_its_status(pm_client, kpi_world):
    html = pm_client.get(reverse("console:quality"), {"project": kpi_world.project.pk, **OCTOBER}).content.decode()
    assert f'data-scope="{kpi_world.project.pk}"' in html and "2026-10" in html
    assert kpi_rows(html) == {code: str(value) for code, (value, _n, _d) in EXPECTED.items()}
    assert re.search(r'class="kpi kpi-missed" data-kpi="emergency_response_30"', html)
    assert re.search(r'class="kpi kpi-none" data-kpi="repeat_complaints"', html)
    assert "12-month trend" in html and html.count('<th class="num">2026-') + html.count(
        '<th class="num">2025-') == 12


def test_every_drill_down_lists_exactly_the_work_orders_behind_the_figure(pm_client, kpi_world):
    html = pm_client.get(reverse("console:quality"), {"project": kpi_world.project.pk, **OCTOBER}).content.decode()
    links = dict(re.findall(r'<a href="([^"]+)" class="drill" data-count="(\d+)"', html))
    assert len(links) == len(KPIS)
    for href, count in links.items():
        page = pm_client.get(href.replace("&amp;", "&")).content.decode()
        assert f'class="card kpi-drill" data-count="{count}"' in page, href
        assert page.count('data-number="GD') == int(count), href


def test_drill_down_numbers(pm_client, kpi_world):
    w = kpi_world
    page = pm_client.get(reverse("console:queue"), {"kpi": "repeat_complaints", "kpi_project": w.project.pk,
                                                    "kpi_period": "month", "kpi_month": "2026-10"}).content.decode()
    assert set(re.findall(r'data-number="(GD\d+)"', page)) == {w.c2.number, w.c4.number, w.c7.number}


def test_the_company_view_is_for_company_administrators_only(client, kpi_world, other_project, manager_user):
    from propdesk.service import services

    admin = StaffFactory(username="boss", role="company_admin")
    services.create_work_order(admin, project=other_project, kind="complaint", channel="hotline",
                               description="噪音", complexity="general")
    client.force_login(admin)
    html = client.get(reverse("console:quality"), {"project": "all", **{"period": "month", "month": "2026-11"}}
                      ).content.decode()
    assert 'data-scope="company"' in html
    # November, every project: the other project's complaint over 4 households on 30 November
    # (units A, B, D, and E whose owner moved in on 15 November)
    assert kpi_rows(html)["complaints_per_100_households"] == "25.00"
    assert 'data-kpi="emergency_response_30" data-value="100.0"' in html  # E9
    client.force_login(manager_user)
    html = client.get(reverse("console:quality"), {"project": "all", **OCTOBER}).content.decode()
    assert 'data-scope="company"' not in html and f'data-scope="{kpi_world.project.pk}"' in html
    page = client.get(reverse("console:queue"), {"kpi": "complaints_on_time", "kpi_project": "all"}).content.decode()
    assert 'class="card kpi-drill"' in page and "All projects (company)" not in page


def test_another_projects_staff_get_their_own_figures(client, kpi_world, outsider):
    client.force_login(outsider)
    html = client.get(reverse("console:quality"), {"project": kpi_world.project.pk, **OCTOBER}).content.decode()
    assert f'data-scope="{outsider.projects.get().pk}"' in html
    assert all(v in ("", "0") for v in kpi_rows(html).values())
    data = client.get(reverse("console:quality_export"), {"project": kpi_world.project.pk, **OCTOBER}).content
    assert kpi_world.project.name not in [c.value for c in load_workbook(BytesIO(data)).active[1]]


def test_the_export_opens_with_the_figures(pm_client, kpi_world):
    response = pm_client.get(reverse("console:quality_export"), {"project": kpi_world.project.pk, **OCTOBER})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "kpis-" in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    ws = wb.worksheets[0]
    assert ws["A1"].value == kpi_world.project.name and ws["B1"].value == "2026-10"
    got = {row[0]: (row[2], row[6], row[7]) for row in ws.iter_rows(min_row=3, values_only=True)}
    assert got == {code: (float(v), n, d) for code, (v, n, d) in EXPECTED.items()}
    trend = list(wb.worksheets[1].iter_rows(values_only=True))
    assert len(trend) == 13 and trend[-1][0] == "2026-10"
    assert trend[-1][1:] == tuple(float(EXPECTED[c][0]) for c in KPIS)


def test_the_page_works_without_echarts_and_uses_it_when_installed(pm_client, kpi_world, monkeypatch):
    from propdesk.console.views import quality

    monkeypatch.setattr(quality.finders, "find", lambda path: None)
    html = pm_client.get(reverse("console:quality"), OCTOBER).content.decode()
    assert "echarts.min.js" not in html and 'id="kpi-chart-data"' in html and "<details open>" in html
    monkeypatch.setattr(quality.finders, "find", lambda path: "/somewhere/" + path)
    html = pm_client.get(reverse("console:quality"), OCTOBER).content.decode()
    assert "/static/vendor/echarts.min.js" in html and 'class="kpi-chart"' in html


@pytest.mark.parametrize("query,label", [({"period": "quarter", "quarter": "2026-Q4"}, "2026-Q4"),
                                         ({"period": "range", "date_from": "2026-10-01", "date_to": "2026-10-31"},
                                          "2026-10-01 – 2026-10-31")])
def test_quarter_and_custom_range(pm_client, kpi_world, query, label):
    html = pm_client.get(reverse("console:quality"), {"project": kpi_world.project.pk, **query}).content.decode()
    assert label in html
    if query["period"] == "range":  # the same days as October: the same figures
        assert kpi_rows(html) == {code: str(value) for code, (value, _n, _d) in EXPECTED.items()}
