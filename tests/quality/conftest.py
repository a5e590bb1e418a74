"""A month of work orders with every edge case the KPIs must get right (October 2026, Asia/Shanghai).

Hand-computed expected figures for October (see EXPECTED) and November:
- emergencies: E1 responded at exactly 30:00 (met), E2 at 30:01 (late), E3 held 20 min then responded at
  45:00 wall time (limit moved to 50:00: met), E4 cancelled (out), E5 merged into E1 (out: counted once),
  E6 received 23:50 local on 31 October and responded 10 min later (October, met), E7 never responded
  (past due: late); E9 received 00:10 local on 1 November (16:10 UTC on 31 October: November's).
  → 3 met / 5 decided = 60.0 %.
- complaints (24 h): C1 resolved at 23 h (met); C2 resolved at 2 h, called back, reopened and finally
  resolved at 30 h (late: judged on the final resolution); C3 transferred for 19 h, resolved at 25 h
  (late: the whole clock counts); C4 held 10 h, resolved at 30 h wall time (limit 34 h: met); C5
  cancelled (out); C6 merged into C1 (out); C7 received 20 October, never resolved (past due: late).
  → 2 / 5 = 40.0 %.
- satisfaction: last reached rating of work orders called back in October: E1 4, C1 5, C2 4 (its first
  callback, 1, was before the reopen) → 13 / 3 = 4.33.
- callback coverage: resolved in October E1, C1, C2, C3, C4; reached callbacks E1, C1, C2 (C3's call
  did not reach anyone) → 3 / 5 = 60.0 %.
- repeat complaints: unit A: C1, C2 (+1 min), C7 (20 Oct); unit B: S1 (5 Sep, 35 days before C3: not
  a repeat), C3, C4 (+1 min) → C2, C4, C7 = 3 of 5.
- complaints per 100 households: 5 complaints; households on 31 October: units A, B, D (unit C's
  lease ended in 2025, unit E's owner moves in on 15 November) → 5 × 100 / 3 = 166.67.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from propdesk.org.models import Department
from propdesk.service import services
from propdesk.service.transitions import transition
from tests.factories import OccupancyFactory, UnitFactory

SH = ZoneInfo("Asia/Shanghai")
T = dt.datetime(2026, 10, 10, 9, 0, tzinfo=SH)
NOW = dt.datetime(2026, 11, 5, 12, 0, tzinfo=dt.UTC)
M = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)

EXPECTED = {  # code: (value, numerator, denominator)
    "emergency_response_30": (Decimal("60.0"), 3, 5),
    "complaints_on_time": (Decimal("40.0"), 2, 5),
    "satisfaction": (Decimal("4.33"), 13, 3),
    "callback_coverage": (Decimal("60.0"), 3, 5),
    "repeat_complaints": (Decimal("3"), 3, 5),
    "complaints_per_100_households": (Decimal("166.67"), 5, 3),
}


def at(when, fn, *args, **kwargs):
    with time_machine.travel(when, tick=False):
        return fn(*args, **kwargs)


@pytest.fixture
def kpi_world(project, occupancy, staff):
    unit_a, owner_a = occupancy.unit, occupancy.customer
    occ_b = OccupancyFactory(unit=UnitFactory(building=unit_a.building, number="1301", floor=13))
    unit_b, owner_b = occ_b.unit, occ_b.customer
    OccupancyFactory(unit=UnitFactory(building=unit_a.building, number="1401", floor=14), role="tenant",
                     start_date=dt.date(2024, 1, 1), end_date=dt.date(2025, 6, 30))
    OccupancyFactory(unit=UnitFactory(building=unit_a.building, number="1501", floor=15))
    OccupancyFactory(unit=UnitFactory(building=unit_a.building, number="1601", floor=16),
                     start_date=dt.date(2026, 11, 15))
    other_dept = Department.objects.create(project=project, code="engineering", name="工程部")
    w = SimpleNamespace(project=project, staff=staff)

    def new(when, unit, requester, **kw):
        kw.setdefault("kind", "repair_home")
        kw.setdefault("description", "厨房水龙头滴水")
        wo, _ = at(when, services.create_work_order, staff, project=project, channel="hotline", unit=unit,
                   requester=requester, **kw)
        return wo

    def act(when, wo, action, **params):
        wo.refresh_from_db()
        return at(when, transition, staff, wo, action, **params)

    emergency = {"priority": "emergency", "description": "卫生间天花板漏水"}
    # -- emergencies
    w.e1 = new(T, unit_a, owner_a, **emergency)
    w.e5 = new(T + M, unit_a, owner_a, **emergency)
    act(T + 2 * M, w.e5, "merge", parent=w.e1)
    act(T + 30 * M, w.e1, "respond")
    act(T + 2 * H, w.e1, "resolve", note="已修复")
    act(T + 3 * H, w.e1, "callback", rating=4)
    w.e2 = new(T, unit_a, owner_a, **emergency)
    act(T + 30 * M + dt.timedelta(seconds=60), w.e2, "respond")
    w.e3 = new(T, unit_a, owner_a, **emergency)
    act(T + 5 * M, w.e3, "hold", note="等业主回家开门")
    act(T + 25 * M, w.e3, "resume")
    act(T + 45 * M, w.e3, "respond")
    w.e4 = new(T, unit_a, owner_a, **emergency)
    act(T + 5 * M, w.e4, "cancel", note="业主自行处理")
    w.e6 = new(dt.datetime(2026, 10, 31, 23, 50, tzinfo=SH), unit_b, owner_b, **emergency)
    act(dt.datetime(2026, 11, 1, 0, 0, tzinfo=SH), w.e6, "respond")
    w.e7 = new(dt.datetime(2026, 10, 12, 20, 0, tzinfo=SH), unit_b, owner_b, **emergency)
    w.e9 = new(dt.datetime(2026, 11, 1, 0, 10, tzinfo=SH), unit_b, owner_b, **emergency)
    act(dt.datetime(2026, 11, 1, 0, 15, tzinfo=SH), w.e9, "respond")
    # -- complaints (general: 24 h)
    complaint = {"kind": "complaint", "complexity": "general", "description": "楼上装修噪音太大"}
    w.s1 = new(dt.datetime(2026, 9, 5, 9, 0, tzinfo=SH), unit_b, owner_b, **complaint)
    w.c1 = new(T, unit_a, owner_a, **complaint)
    w.c6 = new(T + 5 * M, unit_a, owner_a, **complaint)
    act(T + 6 * M, w.c6, "merge", parent=w.c1)
    act(T + 23 * H, w.c1, "resolve", note="已协调")
    act(T + 24 * H, w.c1, "callback", rating=5)
    w.c2 = new(T + M, unit_a, owner_a, **complaint)
    act(T + M + 2 * H, w.c2, "resolve", note="已协调")
    act(T + M + 150 * M, w.c2, "callback", rating=1)
    act(T + M + 3 * H, w.c2, "reopen", note="噪音还在")
    act(T + M + 30 * H, w.c2, "resolve", note="已处理", late_explanation="装修队拖延")
    act(T + M + 31 * H, w.c2, "callback", rating=4)
    w.c3 = new(T + 2 * M, unit_b, owner_b, **complaint)
    act(T + 2 * M + H, w.c3, "transfer", department=other_dept, note="需工程部处理")
    act(T + 2 * M + 20 * H, w.c3, "accept_transfer")
    act(T + 2 * M + 25 * H, w.c3, "resolve", note="已处理", late_explanation="工程部排期")
    act(T + 2 * M + 26 * H, w.c3, "callback", reached=False, note="无人接听")
    w.c4 = new(T + 3 * M, unit_b, owner_b, **complaint)
    act(T + 3 * M + H, w.c4, "hold", note="业主出差")
    act(T + 3 * M + 11 * H, w.c4, "resume")
    act(T + 3 * M + 30 * H, w.c4, "resolve", note="已处理")
    w.c5 = new(T + 4 * M, unit_a, owner_a, **complaint)
    act(T + 5 * M, w.c5, "cancel", note="误报")
    w.c7 = new(dt.datetime(2026, 10, 20, 10, 0, tzinfo=SH), unit_a, owner_a, **complaint)
    return w


@pytest.fixture
def manager_user(project):
    from tests.factories import StaffFactory

    return StaffFactory(username="pm", role="project_manager", projects=[project])
