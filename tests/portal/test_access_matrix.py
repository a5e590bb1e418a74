"""Every portal URL, called by ANOTHER owner with the first owner's ids, reveals nothing of the first
owner (the portal issue, item 2); signed-out visitors are sent to sign in; a staff session is no
portal session and an owner session is no staff session.

The matrix names every URL pattern of propdesk.portal.urls; a new pattern without an entry here
makes `test_matrix_covers_every_portal_url` fail, so no page escapes review.
"""

import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, reverse
from PIL import Image

from propdesk.portal import urls as portal_urls
from propdesk.service import services, transitions
from propdesk.service.models import PriceItem, WorkOrder
from tests import domain_matrices
from tests.factories import BuildingFactory, OccupancyFactory, ProjectFactory, UnitFactory
from tests.portal.conftest import report, sign_in

# The first owner's things that another owner must never see.
SECRETS = ["王建国", "13812345678", "厨房水管爆了", "3-2-1201", "李师傅", "业主脾气较急"]
# ... and, for an owner of another project, the first project itself.
PROJECT_SECRETS = ["阳光花园", "阳光空调清洗"]

# What each portal URL is, for the matrix:
#   object  — kwargs point at the first owner's objects: another owner gets 404;
#   list    — no object in the URL (or one of the owner's own project's catalogue): 200, none of the
#             first owner's data in it;
#   public  — sign-in and sign-out, which hold no data.
# A kwarg names an attribute of the `world` fixture; a form value "<attr>" is that attribute's pk.
OBJ, LIST, PUBLIC = "object", "list", "public"
WO = {"work_order_id": "work_order"}
MATRIX = {
    "home": (LIST, ["GET"], {}, {}),
    "login": (PUBLIC, ["GET"], {}, {}),
    "logout": (PUBLIC, ["POST"], {}, {}),
    "report": (LIST, ["GET", "POST"], {}, [
        {"place": "unit:<unit>", "kind": "repair", "description": "借他家报修", "idempotency_key": "m1"},
        {"place": "building:<building_far>", "kind": "repair", "description": "借他楼报修", "idempotency_key": "m2"}]),
    "report_triage": (LIST, ["GET"], {}, {"description": "厨房漏水", "place": "unit:<unit>"}),
    "requests": (LIST, ["GET"], {}, [{}, {"page": "2"}]),
    "request": (OBJ, ["GET"], WO, {}),
    "request_confirm": (OBJ, ["POST"], WO, {"version": "4"}),
    "request_not_fixed": (OBJ, ["POST"], WO, {"version": "4", "note": "没修好"}),
    "request_rate": (OBJ, ["POST"], WO, {"rating": "1", "comment": "差"}),
    "request_photo": (OBJ, ["GET"], {**WO, "photo_id": "photo"}, {}),
    # the other half of the portal: the catalogue of the owner's OWN project, the promises, the FAQ
    "services": (LIST, ["GET"], {}, {}),
    # An item of the first project: a neighbour in that project may open it, but can order only for
    # their own home; an owner of another project gets 404 (see OTHER_PROJECT_ONLY).
    "service_order": (LIST, ["GET", "POST"], {"item_id": "price_item"},
                      {"unit": "<unit>", "date": "2099-01-01", "time": "10:00", "idempotency_key": "m3"}),
    "promises": (LIST, ["GET"], {}, {}),
    "faq": (LIST, ["GET"], {}, {}),
    # satisfaction surveys: a survey is sent to every household of the target, so a neighbour opens it
    # for their own home (never 王建国's answers); an owner of another project gets 404
    "surveys": (LIST, ["GET"], {}, {}),
    "survey": (LIST, ["GET", "POST"], {"survey_id": "survey"}, {"q<survey_question>": "5"}),
}
# Object pages only for an owner of another project (the object is public within its project).
OTHER_PROJECT_ONLY = {"service_order", "survey"}


def portal_patterns(patterns=None):
    for entry in portal_urls.urlpatterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from portal_patterns(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry.name, entry


def test_matrix_covers_every_portal_url():
    """This matrix (the service desk's) and the domains' (tests/domain_matrices.py) together name every URL."""
    matrix = {**MATRIX, **domain_matrices.portal()}
    assert not set(MATRIX) & set(domain_matrices.portal()), "a URL is in two matrices"
    names = [name for name, _ in portal_patterns()]
    assert None not in names, "every portal URL needs a name to be in the access matrix"
    assert set(names) == set(matrix), f"missing: {set(names) - set(matrix)}; stale: {set(matrix) - set(names)}"
    for name, pattern in portal_patterns():
        assert set(pattern.pattern.converters) == set(matrix[name][2]), f"{name}: kwargs differ from the matrix"


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (9, 9, 9)).save(out, "JPEG")
    return SimpleUploadedFile("leak.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def world(project, other_project, occupancy, owner, desk_staff, settings, tmp_path):
    """王建国's resolved leak with a photo and an internal note; 李邻居 next door; 陈外人 elsewhere."""
    settings.MEDIA_ROOT = tmp_path
    wo = report(owner, photos=[_jpeg()])
    wo = transitions.transition(desk_staff.desk, wo, "dispatch", assignee=desk_staff.tech)
    services.add_note(desk_staff.desk, wo, "业主脾气较急，注意沟通方式")
    wo = transitions.transition(desk_staff.tech, wo, "respond")
    wo = transitions.transition(desk_staff.tech, wo, "resolve", note="修好了")
    next_door = UnitFactory(building=occupancy.unit.building, entrance="1", number="1202")
    OccupancyFactory(unit=next_door, customer__name="李邻居", customer__phones=["13700001111"])
    far = UnitFactory(building=BuildingFactory(project=other_project, code="8", name="8栋"), number="0801")
    OccupancyFactory(unit=far, customer__name="陈外人", customer__phones=["13655556666"])
    item = PriceItem.objects.create(project=project, kind="special", name="阳光空调清洗", unit="visit",
                                    price=Decimal("150.00"))
    survey, question = _survey(project, desk_staff.manager)
    return SimpleNamespace(work_order=wo, photo=wo.attachments.get(), unit=occupancy.unit,
                           building_far=occupancy.unit.building, price_item=item, survey=survey,
                           survey_question=question)


def _survey(project, manager):
    """A survey sent to the households of the first project, answered by 王建国's household."""
    from propdesk.surveys import services as surveys

    survey = surveys.save_survey(manager, project, {"title": "满意度调查", "roles": ["owner"]},
                                 questions=[{"kind": "rating", "text": "满意吗"}])
    question = survey.questions.get()
    token = next(i.token for i in surveys.send_survey(manager, survey) if i.customer.name == "王建国")
    surveys.answer(token, {str(question.pk): 1})
    return survey, question


def _value(world, v):
    """"<attr>" anywhere in a form value becomes that attribute's pk ("unit:<unit>" → "unit:12")."""
    return re.sub(r"<(\w+)>", lambda m: str(getattr(world, m.group(1)).pk), v) if isinstance(v, str) else v


def _calls(name, world):
    kind, methods, kwargs, data = MATRIX[name]
    url = reverse(f"portal:{name}", kwargs={k: getattr(world, attr).pk for k, attr in kwargs.items()})
    for method in methods:
        for payload in data if isinstance(data, list) else [data]:
            yield method, url, {_value(world, k): _value(world, v) for k, v in payload.items()}


def _request(client, method, url, payload):
    return client.get(url, payload) if method == "GET" else client.post(url, payload)


def _unchanged(world):
    wo = WorkOrder.objects.get(pk=world.work_order.pk)
    assert wo.state == "resolved" and wo.version == 4 and wo.owner_rating is None
    assert not wo.needs_manager_attention
    assert WorkOrder.objects.count() == 1, "another owner created a work order for the first owner's home"
    answer = world.survey.invitations.get(customer__name="王建国").response
    assert answer.answers == {str(world.survey_question.pk): 1}, "another owner changed 王建国's survey answer"


@pytest.mark.parametrize("phone,same_project", [("13700001111", True), ("13655556666", False)],
                         ids=["neighbour-same-project", "owner-of-another-project"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_another_owner_gets_nothing(client, world, name, phone, same_project):
    if same_project:  # the first project's public areas are the neighbour's too: try a project of nobody's
        world.building_far = BuildingFactory(project=ProjectFactory(name="无人小区"), code="9")
    assert sign_in(client, phone).status_code == 302
    kind = MATRIX[name][0]
    if name in OTHER_PROJECT_ONLY and not same_project:
        kind = OBJ
    secrets = SECRETS + ([] if same_project else PROJECT_SECRETS)
    for method, url, payload in _calls(name, world):
        response = _request(client, method, url, payload)
        if kind == OBJ:
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
        elif kind == PUBLIC:
            assert response.status_code in (200, 302), f"{method} {url} answered {response.status_code}"
        elif kind == LIST:
            assert response.status_code in (200, 302), f"{method} {url} answered {response.status_code}"
            if response.status_code == 302:
                assert not response["Location"].startswith("/portal/login"), f"{method} {url} signed out"
        body = response.content.decode(errors="replace")
        leaked = [s for s in secrets if s in body]
        assert not leaked, f"{method} {url} shows {leaked}"
    _unchanged(world)


@pytest.mark.parametrize("name", sorted(set(MATRIX) - {"login", "logout"}))
def test_signed_out_visitors_are_sent_to_sign_in(client, world, name):
    for method, url, payload in _calls(name, world):
        response = _request(client, method, url, payload)
        assert response.status_code == 302 and response["Location"].startswith("/portal/login/"), (
            f"{method} {url} answered {response.status_code}")
    _unchanged(world)


def test_the_first_owner_does_see_everything_of_theirs(client, world):
    sign_in(client, "13812345678")
    assert client.get(reverse("portal:request", args=[world.work_order.pk])).status_code == 200
    photo = client.get(reverse("portal:request_photo", args=[world.work_order.pk, world.photo.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_the_survey_link_opens_only_with_its_token(client, world):
    """/s/<token>/ needs no session: the token is the key. A wrong or shortened one is a 404, signed in or not."""
    for _signed_in in (False, True):
        for url in ("/s/wrong/", "/s/x" + "A" * 31 + "/", f"/s/{world.survey.pk}/"):
            assert client.get(url).status_code == 404
            assert client.post(url, {f"q{world.survey_question.pk}": "5"}).status_code == 404
        sign_in(client, "13700001111")
    _unchanged(world)


def test_a_staff_session_is_no_portal_session(client, world, desk_staff):
    client.force_login(desk_staff.desk)
    for url in ("/portal/", "/portal/requests/", f"/portal/requests/{world.work_order.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


def test_an_owner_session_is_no_console_or_api_session(client, world):
    sign_in(client, "13812345678")
    for url in ("/", "/work-orders/", f"/work-orders/{world.work_order.pk}/", "/my-jobs/"):
        response = client.get(url)
        assert response.status_code == 302 and not response["Location"].startswith("/portal/"), url
    assert client.get("/api/v1/work-orders").status_code == 401
    assert client.get(f"/api/v1/work-orders/{world.work_order.pk}").status_code == 401
    assert client.get("/admin/").status_code == 302
