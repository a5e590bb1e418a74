"""The quarterly staff evaluation (2026-Q4, Asia/Shanghai), with hand-computed figures.

Staff of the project: 张丽 (front desk, the `staff` fixture: receives everything, makes most callbacks),
王小明 and 李强 (technicians); the project manager is not evaluated. Normal response limit 120 min,
emergency 30 min, general complaints 24 h; the clock is 5 November 2026.
- 王小明: a1 responded at 1 h (met), a2 at 3 h (late), a3 complaint responded at 30 min and resolved at
  20 h (both met), a4 complaint responded at 30 min, never resolved (resolution late), a5 cancelled (out)
  → handled 4, response 3/4 = 75.0 %, complaints 1/2 = 50.0 %; ratings a1 5, a2 3, a3 4 → 4.00;
  callbacks 0; complaints naming him: u1 (October), u2 (November) — s1 (September) is another quarter → 2.
- 李强: b1 responded at 10 min (met), b2 emergency never responded (late) → handled 2, 1/2 = 50.0 %;
  no complaint → —; b1's callbacks: not reached, then 2 → 2.00; he called a3's owner → 1 callback;
  named in u2 → 1.
- 张丽: handles nothing; callbacks a1, a2, b1 (twice: the unanswered call counts) → 4; named nowhere.
- the project: 8 work orders (a1–a4, b1, b2, u1, u2); responses met a1 a3 a4 b1 u1 → 5/8 = 62.5 %;
  complaints a3, u1 met, a4, u2 late → 2/4 = 50.0 %; ratings 5 3 4 2 → 3.50; counts over the 3 staff:
  handled 6/3 = 2.0, callbacks 5/3 = 1.7, complaints naming 3/3 = 1.0.
"""

import datetime as dt
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from propdesk.core.errors import NotFound
from propdesk.core.timeline import events_for
from propdesk.quality import evaluation
from propdesk.quality.evaluation_services import save_evaluation
from propdesk.quality.periods import quarter
from propdesk.service import services
from propdesk.service.transitions import transition
from tests.factories import StaffFactory
from tests.quality.conftest import NOW, SH, at

T = dt.datetime(2026, 10, 10, 9, 0, tzinfo=SH)
M, H = dt.timedelta(minutes=1), dt.timedelta(hours=1)
Q4 = quarter(2026, 4)


@pytest.fixture
def team(project, occupancy, staff, manager_user):
    staff.last_name, staff.first_name = "张", "丽"
    staff.save()
    a = StaffFactory(username="wang", role="technician", projects=[project], last_name="王", first_name="小明")
    b = StaffFactory(username="li", role="technician", projects=[project], last_name="李", first_name="强")
    w = SimpleNamespace(project=project, desk=staff, a=a, b=b, pm=manager_user)

    def new(when, **kw):
        kw.setdefault("kind", "repair_home")
        kw.setdefault("description", "厨房水龙头滴水")
        wo, _ = at(when, services.create_work_order, staff, project=project, channel="hotline",
                   unit=occupancy.unit, requester=occupancy.customer, **kw)
        return wo

    def act(when, wo, action, actor=staff, **params):
        wo.refresh_from_db()
        return at(when, transition, actor, wo, action, **params)

    complaint = {"kind": "complaint", "complexity": "general"}
    w.a1 = new(T)
    act(T + H, w.a1, "respond")
    act(T + 2 * H, w.a1, "dispatch", assignee=a)
    act(T + 3 * H, w.a1, "resolve", note="已修")
    act(T + 4 * H, w.a1, "callback", rating=5)
    w.a2 = new(T)
    act(T + 3 * H, w.a2, "respond")
    act(T + 3 * H, w.a2, "dispatch", assignee=a)
    act(T + 5 * H, w.a2, "resolve", note="已修")
    act(T + 6 * H, w.a2, "callback", rating=3)
    w.a3 = new(T, description="楼道灯不亮没人管", **complaint)
    act(T + 30 * M, w.a3, "respond")
    act(T + H, w.a3, "dispatch", assignee=a)
    act(T + 20 * H, w.a3, "resolve", note="已修")
    act(T + 21 * H, w.a3, "callback", actor=b, rating=4)
    w.a4 = new(T, description="电梯异响", **complaint)
    act(T + 30 * M, w.a4, "respond")
    act(T + H, w.a4, "dispatch", assignee=a)
    w.a5 = new(T)
    act(T + M, w.a5, "dispatch", assignee=a)
    act(T + 2 * M, w.a5, "cancel", note="业主自行处理")
    w.b1 = new(T)
    act(T + 10 * M, w.b1, "respond")
    act(T + 20 * M, w.b1, "dispatch", assignee=b)
    act(T + 2 * H, w.b1, "resolve", note="已修")
    act(T + 3 * H, w.b1, "callback", reached=False, note="无人接听")
    act(T + 5 * H, w.b1, "callback", rating=2)
    w.b2 = new(T, priority="emergency", description="水管爆裂")
    act(T + 5 * M, w.b2, "dispatch", assignee=b)
    w.u1 = new(T, description="维修工王小明态度很差", **complaint)
    act(T + 10 * M, w.u1, "respond")
    act(T + 2 * H, w.u1, "resolve", note="已道歉")
    w.u2 = new(dt.datetime(2026, 11, 2, 9, 0, tzinfo=SH), description="李强和王小明都没来", **complaint)
    w.s1 = new(dt.datetime(2026, 9, 20, 9, 0, tzinfo=SH), description="王小明没来", **complaint)
    return w


def _figures(user, w):
    rows, average = evaluation.figures(user, w.project, Q4, now=NOW)
    return {r.staff.username: r for r in rows}, average


def _summary(r):
    return (r.handled, r.response_rate, r.resolution_rate, r.average_rating, r.callbacks, r.complaints_naming)


def test_every_figure_beside_the_projects_averages(team):
    rows, average = _figures(team.pm, team)
    assert {name: _summary(r) for name, r in rows.items()} == {
        "wang": (4, Decimal("75.0"), Decimal("50.0"), Decimal("4.00"), 0, 2),
        "li": (2, Decimal("50.0"), None, Decimal("2.00"), 1, 1),
        "desk": (0, None, None, None, 4, 0),
    }
    assert _summary(average) == (Decimal("2.0"), Decimal("62.5"), Decimal("50.0"), Decimal("3.50"),
                                 Decimal("1.7"), Decimal("1.0"))
    assert average.response == (5, 8) and average.resolution == (2, 4) and average.rating == (14, 4)


def test_the_figures_take_a_fixed_number_of_queries(team, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        evaluation.figures(team.pm, team.project, Q4, now=NOW)


def test_a_staff_member_sees_only_themselves(team):
    rows, average = _figures(team.a, team)
    assert list(rows) == ["wang"] and average.callbacks == Decimal("1.7")
    with pytest.raises(NotFound):
        evaluation.staff_figures(team.a, team.project.pk, team.b.pk, Q4, now=NOW)
    assert evaluation.staff_figures(team.a, team.project.pk, team.a.pk, Q4, now=NOW)[1].handled == 4


def test_another_projects_manager_sees_nothing(team, outsider):
    with pytest.raises(NotFound):
        evaluation.staff_figures(outsider, team.project.pk, team.a.pk, Q4, now=NOW)
    assert evaluation.project_for(outsider, team.project.pk) != team.project


def test_the_manager_comments_then_finalises_and_it_no_longer_changes(team):
    e = save_evaluation(team.pm, team.project, team.a.pk, Q4, " 响应偏慢，投诉处理需改进 ")
    assert (e.quarter, e.manager_comment, e.final) == ("2026Q4", "响应偏慢，投诉处理需改进", False)
    e = save_evaluation(team.pm, team.project, team.a.pk, Q4, "响应偏慢", finalise=True)
    assert e.final and e.finalised_by == team.pm and e.finalised_at is not None
    with pytest.raises(ValidationError):
        save_evaluation(team.pm, team.project, team.a.pk, Q4, "改")
    e.refresh_from_db()
    assert e.manager_comment == "响应偏慢"
    assert [ev.verb for ev in events_for(e)] == ["quality.evaluation_finalised", "quality.evaluation_commented"]
    assert _figures(team.pm, team)[0]["wang"].evaluation == e


def test_only_the_projects_managers_may_comment(team, outsider, admin_user):
    with pytest.raises(PermissionDenied):
        save_evaluation(team.a, team.project, team.a.pk, Q4, "自评")
    with pytest.raises(PermissionDenied):
        save_evaluation(admin_user, team.project, team.a.pk, Q4, "x")
    with pytest.raises(NotFound):
        save_evaluation(outsider, team.project, team.a.pk, Q4, "x")
    with pytest.raises(NotFound):  # a project manager is not evaluated
        save_evaluation(team.pm, team.project, team.pm.pk, Q4, "x")


@pytest.fixture
def pm_client(client, team):
    client.force_login(team.pm)
    client.cookies["django_language"] = "en"
    with time_machine.travel(NOW, tick=True):
        yield client


def test_the_pages_and_the_export(pm_client, team):
    html = pm_client.get(reverse("console:staff_evaluations"), {"project": team.project.pk, "quarter": "2026-Q4"}
                         ).content.decode()
    assert html.count('class="evaluation"') == 3 and f'data-staff="{team.a.pk}"' in html
    assert team.a.display_name in html and "Project average" in html
    url = reverse("console:staff_evaluation", args=[team.project.pk, team.a.pk])
    page = pm_client.get(url, {"quarter": "2026-Q4"}).content.decode()
    assert "75.0 %" in page and "62.5 %" in page and "Save and mark final" in page
    response = pm_client.post(url, {"quarter": "2026-Q4", "manager_comment": "不错", "finalise": "1"})
    assert response.status_code == 302
    page = pm_client.get(url, {"quarter": "2026-Q4"}).content.decode()
    assert 'data-final="1"' in page and "Save and mark final" not in page
    assert pm_client.post(url, {"quarter": "2026-Q4", "manager_comment": "改"}).status_code == 400
    xlsx = pm_client.get(reverse("console:staff_evaluation_export"), {"project": team.project.pk,
                                                                     "quarter": "2026Q4"})
    ws = load_workbook(BytesIO(xlsx.content)).active
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=3, values_only=True)}
    mine = rows[team.a.display_name]
    assert mine[:6] == (4, 75.0, 50.0, 4.0, 0, 2) and mine[6:] == ("不错", "yes")
    assert rows["Project average"][:6] == (2.0, 62.5, 50.0, 3.5, 1.7, 1.0)
