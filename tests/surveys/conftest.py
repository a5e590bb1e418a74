"""A project with three buildings' households for the survey tests, and one household elsewhere."""

import datetime as dt
from types import SimpleNamespace

import pytest

from propdesk.archive.models import Occupancy
from propdesk.surveys import services
from tests.factories import BuildingFactory, CustomerFactory, OccupancyFactory, StaffFactory, UnitFactory

QUESTIONS = [
    {"kind": "rating", "text": "您对保洁服务满意吗？"},
    {"kind": "single", "text": "您多久来一次服务中心？", "choices": ["每周", "每月", "很少"]},
    {"kind": "multiple", "text": "您希望增加哪些服务？", "choices": ["家政", "维修", "快递代收"]},
    {"kind": "text", "text": "您还有什么建议？"},
]


@pytest.fixture
def manager(project):
    return StaffFactory(username="pm", role="project_manager", projects=[project], first_name="周经理")


@pytest.fixture
def homes(project, other_project, occupancy):
    """3-2-1201: 王建国 (owner, middle income, born 1970) and his wife; 3-2-1202: a landlord and his tenant;
    5-1-0501: an enterprise owner; 3-2-1203: a tenant whose lease has ended; 8-0801 in another project."""
    wang = occupancy.customer
    wang.income_band, wang.birth_date = "middle", dt.date(1970, 5, 1)
    wang.save()
    b3 = occupancy.unit.building
    wife = CustomerFactory(project=project, name="李秀英", phones=["13900001111"], birth_date=dt.date(1992, 3, 3))
    OccupancyFactory(unit=occupancy.unit, customer=wife, role=Occupancy.Role.MEMBER)
    u1202 = UnitFactory(building=b3, entrance="2", number="1202")
    landlord = CustomerFactory(project=project, name="赵房东", phones=["13700003333"], income_band="high")
    tenant = CustomerFactory(project=project, name="钱租客", phones=["13700004444"], birth_date=dt.date(1995, 1, 1))
    OccupancyFactory(unit=u1202, customer=landlord)
    OccupancyFactory(unit=u1202, customer=tenant, role=Occupancy.Role.TENANT)
    b5 = BuildingFactory(project=project, code="5", name="5栋")
    u0501 = UnitFactory(building=b5, entrance="1", number="0501")
    firm = CustomerFactory(project=project, name="阳光科技有限公司", kind="organisation", customer_type="enterprise",
                           phones=["13600005555"])
    OccupancyFactory(unit=u0501, customer=firm)
    u1203 = UnitFactory(building=b3, entrance="2", number="1203")
    OccupancyFactory(unit=u1203, customer__project=project, customer__phones=["13500006666"],
                     role=Occupancy.Role.TENANT, start_date=dt.date(2018, 1, 1), end_date=dt.date(2019, 1, 1))
    far = UnitFactory(building=BuildingFactory(project=other_project, code="8", name="8栋"), number="0801")
    OccupancyFactory(unit=far, customer__project=other_project, customer__name="陈外人",
                     customer__phones=["13655556666"])
    return SimpleNamespace(b3=b3, b5=b5, u1201=occupancy.unit, u1202=u1202, u0501=u0501, u1203=u1203, far=far,
                           wang=wang, wife=wife, landlord=landlord, tenant=tenant, firm=firm)


def draft(actor, project, title="2026年上半年满意度调查", questions=QUESTIONS, **data):
    data.setdefault("roles", ["owner", "tenant", "member"])
    return services.save_survey(actor, project, {"title": title, **data}, questions=questions)


def sent(actor, project, **data):
    """A survey drafted and sent; returns (survey, {unit id: token})."""
    survey = draft(actor, project, **data)
    invitations = services.send_survey(actor, survey)
    survey.refresh_from_db()
    return survey, {i.unit_id: i.token for i in invitations}


def q(survey, order):
    return survey.questions.get(order=order)


def full_answer(survey, rating=5, single="每月", multiple=("家政",), text="保洁很好，电梯维修太慢"):
    return {str(q(survey, 1).pk): rating, str(q(survey, 2).pk): single, str(q(survey, 3).pk): list(multiple),
            str(q(survey, 4).pk): text}
