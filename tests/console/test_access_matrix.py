"""Every console URL, called by a staff member of ANOTHER project, reveals nothing of the first one.

The matrix names every URL pattern of propdesk.console.urls with how to call it; a new pattern
without an entry here makes `test_matrix_covers_every_console_url` fail, so no page escapes review.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, reverse

from propdesk.console import urls as console_urls
from tests import domain_matrices
from tests.factories import StaffFactory

# Names, numbers and addresses of the first project that must never show to the outsider.
SECRETS = ["阳光花园", "王建国", "李秀英", "赵前租", "13812345678", "13900001111", "湘A12345", "交房查验",
           "卫生间天花板漏水", "李师傅", "阳光空调深度清洗", "阳光花园停车须知", "下午有人在家"]

# What each console URL is, for the matrix:
#   object — kwargs point at the first project's objects: the outsider must get 403 or 404;
#   list   — no object in the URL: 200, with none of the first project's data in it;
#   public — the login/logout pages, which hold no archive data;
#   action — a POST about the user's own things only (mark all read): 200 or 302, nothing of the first project.
#   admin  — company administrators only (the security log): every other role gets 403.
# A kwarg written "=value" is passed as that literal; a form value "<attr>" is the pk of that attribute.
OBJ, LIST, PUBLIC, ACTION, ADMIN = "object", "list", "public", "action", "admin"
WO = {"work_order_id": "work_order"}
INTAKE_POST = {"project": "<project>", "unit": "<unit>", "requester": "<owner>", "kind": "repair_home",
               "channel": "hotline", "description": "灯不亮", "idempotency_key": "matrix"}
XLSX_UPLOAD = {"file": lambda: SimpleUploadedFile("a.xlsx", b"PK\x03\x04", content_type="application/octet-stream")}

MATRIX = {
    # name: (kind, methods, {kwarg: attribute of the `archive` fixture}, query/form data)
    "home": (LIST, ["GET"], {}, {}),
    "login": (PUBLIC, ["GET"], {}, {}),
    "logout": (PUBLIC, ["POST"], {}, {}),
    "lookup": (LIST, ["GET"], {}, [{"q": "王建"}, {"q": "1381234"}, {"q": "3-2-1201"}, {"q": "3栋1201"}]),
    "project_list": (LIST, ["GET"], {}, {}),
    "project_detail": (OBJ, ["GET"], {"project_id": "project"}, {}),
    "building_detail": (OBJ, ["GET"], {"building_id": "building"}, {}),
    "unit_detail": (OBJ, ["GET"], {"unit_id": "unit"}, {}),
    "customer_detail": (OBJ, ["GET"], {"customer_id": "owner"}, {}),
    "customer_edit": (OBJ, ["GET", "POST"], {"customer_id": "owner"}, {"name": "改名", "phones": ""}),
    "customer_confirm": (OBJ, ["POST"], {"customer_id": "owner"}, {}),
    "customer_reveal_id": (OBJ, ["POST"], {"customer_id": "owner"}, {}),
    "review": (LIST, ["GET"], {}, [{}, {"project": "<project>"}]),
    "transfer": (LIST, ["GET"], {}, {}),
    "transfer_template": (LIST, ["GET"], {}, {}),
    "project_transfer": (OBJ, ["GET"], {"project_id": "project"}, {}),
    "project_export": (OBJ, ["POST"], {"project_id": "project"}, {"reveal_ids": "on"}),
    "project_import": (OBJ, ["POST"], {"project_id": "project"}, XLSX_UPLOAD),
    # the service desk
    "queue": (LIST, ["GET"], {}, [{}, {"tab": "mine"}, {"tab": "team"}, {"flag": "manager"},
                                  {"unit": "<unit>", "all": "on"}, {"requester": "<owner>", "all": "on"},
                                  {"kpi": "callback_coverage", "kpi_project": "<project>"},
                                  {"kpi": "complaints_per_100_households", "kpi_project": "all"}]),
    "intake": (LIST, ["GET", "POST"], {}, [INTAKE_POST, {**INTAKE_POST, "unit": "", "unit_label": "3-2-1201"}]),
    "intake_caller": (LIST, ["GET"], {}, [{"contact_phone": "1381234"}, {"contact_phone": "王建"}]),
    "intake_triage": (LIST, ["GET"], {}, {"description": "卫生间漏水", "project": "<project>"}),
    "work_order": (OBJ, ["GET"], WO, {}),
    "work_order_act": (OBJ, ["POST"], {**WO, "action": "=cancel"}, {"cancel-version": "1", "cancel-note": "x"}),
    "work_order_quote": (OBJ, ["POST"], WO, {"cause": "x", "method": "y", "price_item": "1", "quantity": "1"}),
    "work_order_consent": (OBJ, ["POST"], WO, {"consent_by": "x", "method": "phone"}),
    "work_order_measure": (OBJ, ["POST"], WO, {"kind": "other", "note": "x"}),
    "work_order_note": (OBJ, ["POST"], WO, {"text": "x"}),
    "work_order_photo": (OBJ, ["GET"], {**WO, "photo_id": "photo"}, {}),
    "my_jobs": (LIST, ["GET"], {}, {}),
    "callbacks": (LIST, ["GET"], {}, {}),
    # the callback plan and care flags
    "callback_plan": (LIST, ["GET"], {}, {}),
    "callback_outcome": (OBJ, ["POST"], {"task_id": "callback_task"}, {"reached": "yes", "comment": "x"}),
    "customer_care": (OBJ, ["GET", "POST"], {"customer_id": "owner"}, {"reason": "other", "note": "x"}),
    "notifications": (LIST, ["GET"], {}, [{}, {"tab": "outbox"}]),
    "notification_read": (OBJ, ["POST"], {"notification_id": "notification"}, {"open": "1"}),
    "notifications_read_all": (ACTION, ["POST"], {}, {}),
    # the price list, paid-service revenue and the FAQ: a form naming a foreign project is invalid (200)
    "catalogue": (LIST, ["GET"], {}, [{}, {"project": "<project>"}]),
    "catalogue_add": (LIST, ["GET", "POST"], {}, {"project": "<project>", "kind": "special", "name": "外人",
                                                  "unit": "visit", "price": "1.00", "is_published": "on"}),
    "catalogue_edit": (OBJ, ["GET", "POST"], {"item_id": "price_item"},
                       {"kind": "special", "name": "改", "unit": "visit", "price": "1.00"}),
    "catalogue_publish": (OBJ, ["POST"], {"item_id": "price_item"}, {"published": "0"}),
    "paid_services": (LIST, ["GET"], {}, [{}, {"project": "<project>"}, {"kind": "repairs"}]),
    "faq": (LIST, ["GET"], {}, [{}, {"q": "停车"}, {"q": "阳光"}]),
    "faq_add": (LIST, ["GET", "POST"], {}, {"project": "<project>", "category": "other", "question": "外人",
                                            "answer": "x", "is_published": "on"}),
    "faq_edit": (OBJ, ["GET", "POST"], {"faq_id": "faq"}, {"category": "other", "question": "改", "answer": "x"}),
    "faq_publish": (OBJ, ["POST"], {"faq_id": "faq"}, {"published": "0"}),
    # quality and KPIs: another project's id or the company view (admins only) falls back to one's own project
    "quality": (LIST, ["GET"], {}, [{}, {"project": "<project>"}, {"project": "all"},
                                    {"project": "<project>", "period": "quarter", "quarter": "2026-Q4"}]),
    "quality_export": (LIST, ["GET"], {}, [{}, {"project": "<project>"}, {"project": "all"}]),
    # the quarterly staff evaluation: another project's id falls back to one's own project; a staff member
    # of another project (or a colleague, see test_a_staff_member_sees_only_their_own_evaluation) gets 404
    "staff_evaluations": (LIST, ["GET"], {}, [{}, {"project": "<project>"}, {"project": "<project>", "quarter": "2026-Q4"}]),
    "staff_evaluation_export": (LIST, ["GET"], {}, [{}, {"project": "<project>", "quarter": "2026-Q4"}]),
    "staff_evaluation": (OBJ, ["GET", "POST"], {"project_id": "project", "staff_id": "tech"},
                         {"quarter": "2026-Q4", "manager_comment": "外人", "finalise": "1"}),
    # the monthly report PDF names one project: another project's is not found
    "quality_report": (OBJ, ["GET"], {}, [{"project": "<project>", "month": "2026-10"}, {"project": "<project>"}]),
    # satisfaction surveys: a form naming the first project's project, buildings or survey is invalid (200)
    "surveys": (LIST, ["GET"], {}, {}),
    "survey_add": (LIST, ["GET", "POST"], {}, {"project": "<project>", "title": "外人", "roles": "owner",
                                               "buildings": "<building>", "previous": "<survey>",
                                               "questions": "rating | 外人问"}),
    "survey": (OBJ, ["GET"], {"survey_id": "survey"}, {}),
    "survey_edit": (OBJ, ["GET", "POST"], {"survey_id": "survey"}, {"title": "改", "roles": "owner",
                                                                    "questions": "rating | 改"}),
    "survey_send": (OBJ, ["GET", "POST"], {"survey_id": "survey"}, {}),
    "survey_close": (OBJ, ["POST"], {"survey_id": "survey"}, {}),
    "survey_rate": (OBJ, ["GET"], {"survey_id": "survey"}, {}),
    "survey_results": (OBJ, ["GET"], {"survey_id": "survey"}, {}),
    "survey_export": (OBJ, ["GET"], {"survey_id": "survey"}, {}),
    # the security log: company administrators only (see test_admin_only_pages_refuse_every_other_role)
    "audit": (ADMIN, ["GET"], {}, [{}, {"who": "desk"}, {"kind": "refused"}]),
}


def console_patterns(patterns=None, prefix=""):
    """(name, pattern) for every named URL of the console, walking included resolvers too."""
    for entry in console_urls.urlpatterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from console_patterns(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            yield entry.name, entry


def test_matrix_covers_every_console_url():
    """This matrix (the service desk's) and the domains' (tests/domain_matrices.py) together name every URL."""
    matrix = {**MATRIX, **domain_matrices.console()}
    assert not set(MATRIX) & set(domain_matrices.console()), "a URL is in two matrices"
    names = [name for name, _ in console_patterns()]
    assert None not in names, "every console URL needs a name to be in the access matrix"
    assert set(names) == set(matrix), f"missing from matrix: {set(names) - set(matrix)}; stale: {set(matrix) - set(names)}"
    for name, pattern in console_patterns():
        assert set(pattern.pattern.converters) == set(matrix[name][2]), f"{name}: kwargs differ from the matrix"


def _value(archive, v):
    if callable(v):
        return v()
    if isinstance(v, str) and v.startswith("<") and v.endswith(">"):
        return getattr(archive, v[1:-1]).pk
    return v


def _calls(name, archive):
    kind, methods, kwargs, data = MATRIX[name]
    url = reverse(f"console:{name}", kwargs={
        k: attr[1:] if attr.startswith("=") else getattr(archive, attr).pk for k, attr in kwargs.items()})
    for method in methods:
        for payload in data if isinstance(data, list) else [data]:
            yield method, url, {k: _value(archive, v) for k, v in payload.items()}


def _request(client, method, url, payload):
    return client.get(url, payload) if method == "GET" else client.post(url, payload)


@pytest.fixture
def world(archive, staff, settings, tmp_path):
    """The archive plus a dispatched leak in the first project, with its notifications (in-app and SMS)."""
    from propdesk.notify.models import Notification
    from propdesk.service import services, transitions

    tech = StaffFactory(username="tech", role="technician", projects=[archive.project], first_name="李师傅")
    wo, _ = services.create_work_order(staff, project=archive.project, kind="repair_home", channel="hotline",
                                       description="3栋1201卫生间天花板漏水", unit=archive.unit,
                                       requester=archive.owner)
    archive.work_order = transitions.transition(staff, wo, "dispatch", assignee=tech)
    settings.MEDIA_ROOT = tmp_path
    archive.photo = services.add_attachment(staff, archive.work_order, _jpeg())
    archive.tech = tech
    archive.notification = Notification.objects.get(recipient_user=tech)
    _paid_services_and_faq(archive)
    _callback_task(archive)
    _survey(archive)
    return archive


def _jpeg():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), (9, 9, 9)).save(out, "JPEG")
    return SimpleUploadedFile("leak.jpg", out.getvalue(), content_type="image/jpeg")


def _callback_task(archive):
    """A half-yearly callback due today to 王建国 (the callback plan)."""
    from django.utils import timezone

    from propdesk.engage.models import CallbackTask

    archive.callback_task = CallbackTask.objects.create(
        project=archive.project, kind="half_year", customer=archive.owner, unit=archive.unit,
        due_date=timezone.localdate())


def _survey(archive):
    """A survey of the first project, sent, with 王建国's household's answer (satisfaction surveys)."""
    from propdesk.surveys import services as surveys

    manager = StaffFactory(username="survey-pm", role="project_manager", projects=[archive.project])
    archive.survey = surveys.save_survey(manager, archive.project, {"title": "阳光花园满意度调查", "roles": ["owner"]},
                                         questions=[{"kind": "text", "text": "下午有人在家吗"}])
    token = surveys.send_survey(manager, archive.survey)[0].token
    surveys.answer(token, {str(archive.survey.questions.get().pk): "卫生间天花板漏水"})


def _paid_services_and_faq(archive):
    """A published special service ordered by 王建国, and a project FAQ (the portal issue, items 5 and 7)."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from propdesk.archive.owners import owner_for_phone
    from propdesk.knowledge import services as knowledge
    from propdesk.service import ordering
    from propdesk.service.models import PriceItem

    manager = StaffFactory(username="pm", role="project_manager", projects=[archive.project])
    archive.price_item = PriceItem.objects.create(project=archive.project, kind="special", name="阳光空调深度清洗",
                                                  unit="visit", price=Decimal("150.00"))
    archive.special_order, _ = ordering.order_special_service(
        owner_for_phone("13812345678"), item_id=archive.price_item.pk, unit_id=archive.unit.pk,
        when=timezone.now() + dt.timedelta(days=1), note="下午有人在家")
    archive.faq = knowledge.save_faq(manager, archive.project, {
        "category": "parking", "question": "阳光花园停车须知", "answer": "地库限高2.1米。"})


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_staff_of_another_project_gets_nothing(client, world, outsider, name):
    archive = world
    if name == "transfer_template":
        pytest.importorskip("propdesk.archive.excel", reason="archive/excel.py is not written yet")
    client.force_login(outsider)
    kind = MATRIX[name][0]
    for method, url, payload in _calls(name, archive):
        response = _request(client, method, url, payload)
        if kind == OBJ:
            assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
        elif kind == LIST:
            assert response.status_code == 200, f"{method} {url} answered {response.status_code}"
        elif kind == ACTION:
            assert response.status_code in (200, 302), f"{method} {url} answered {response.status_code}"
        elif kind == ADMIN:
            assert response.status_code == 403, f"{method} {url} answered {response.status_code}"
        else:
            assert response.status_code in (200, 302)
        body = response.content.decode(errors="replace")
        leaked = [s for s in SECRETS if s in body]
        assert not leaked, f"{method} {url} shows {leaked}"
    archive.owner.refresh_from_db()
    assert archive.owner.name == "王建国"
    archive.work_order.refresh_from_db()
    assert archive.work_order.state == "dispatched" and archive.work_order.version == 2
    assert not archive.work_order.measures.exists() and not hasattr(archive.work_order, "quote")
    archive.notification.refresh_from_db()
    assert archive.notification.read_at is None
    assert archive.work_order.project.work_orders.count() == 2  # the leak and the ordered special service
    archive.price_item.refresh_from_db()
    assert archive.price_item.is_published and archive.price_item.name == "阳光空调深度清洗"
    assert archive.price_item.project.price_items.count() == 1
    archive.faq.refresh_from_db()
    assert archive.faq.is_published and archive.faq.question == "阳光花园停车须知"
    assert archive.faq.__class__.objects.count() == 1
    archive.callback_task.refresh_from_db()
    assert archive.callback_task.status == "open" and not archive.owner.care_flags.exists()
    archive.survey.refresh_from_db()
    assert archive.survey.status == "open" and archive.survey.title == "阳光花园满意度调查"
    assert archive.survey.invitations.count() == 1 and archive.survey.questions.get().text == "下午有人在家吗"
    from propdesk.quality.models import StaffEvaluation

    assert not StaffEvaluation.objects.exists()


ADMIN_ONLY = sorted(name for name, entry in MATRIX.items() if entry[0] == ADMIN)


@pytest.mark.parametrize("role", ["project_manager", "front_desk", "butler", "technician", "security", "cleaning"])
def test_admin_only_pages_refuse_every_other_role(client, archive, role):
    """Even staff of the same project: only a company administrator reaches an admin page."""
    user = StaffFactory(username=f"same-{role}", role=role, projects=[archive.project])
    client.force_login(user)
    for name in ADMIN_ONLY:
        for method, url, payload in _calls(name, archive):
            response = _request(client, method, url, payload)
            assert response.status_code == 403, f"{role}: {method} {url} answered {response.status_code}"


def test_admin_only_pages_open_to_a_company_administrator(client, archive, admin_user):
    client.force_login(admin_user)
    for name in ADMIN_ONLY:
        for method, url, payload in _calls(name, archive):
            response = _request(client, method, url, payload)
            assert response.status_code == 200, f"{method} {url} answered {response.status_code}"


# Pages that only some roles of the SAME project may open (org.access names the roles): every other role
# gets 403. (url name, query, the roles allowed)
ROLE_RULES = [
    ("notifications", {"tab": "outbox"}, ("company_admin", "project_manager", "front_desk", "butler")),
]
ROLES = ["company_admin", "project_manager", "front_desk", "butler", "technician", "security", "cleaning"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "query", "allowed"), ROLE_RULES, ids=[r[0] for r in ROLE_RULES])
def test_role_rules_hold_within_the_project(client, world, role, name, query, allowed):
    user = StaffFactory(username=f"role-{role}", role=role, projects=[world.project])
    client.force_login(user)
    response = client.get(reverse(f"console:{name}"), query)
    assert response.status_code == (200 if role in allowed else 403), f"{role}: {response.status_code}"
    body = response.content.decode()
    # The allowed read what 王建国 was sent (the leak's SMS); the others not even his number.
    assert ("13812345678" in body) == (role in allowed)


def test_a_photo_is_served_to_staff_of_its_project_only(client, world, outsider):
    """Uploads have no public URL: the console serves a work order's photo to those who see the order."""
    url = reverse("console:work_order_photo", args=[world.work_order.pk, world.photo.pk])
    client.force_login(world.tech)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    page = client.get(reverse("console:work_order", args=[world.work_order.pk])).content.decode()
    assert f'src="{url}"' in page and "/media/" not in page
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    other_photo = reverse("console:work_order_photo", args=[world.work_order.pk, world.photo.pk + 1])
    client.force_login(world.tech)
    assert client.get(other_photo).status_code == 404


def test_a_staff_member_sees_only_their_own_evaluation(client, world):
    """A staff member of the same project: their own evaluation, never a colleague's (404), no comment."""
    archive = world
    client.force_login(archive.tech)
    colleague = reverse("console:staff_evaluation", args=[archive.project.pk, archive.tech.pk + 10_000])
    desk = archive.work_order.first_receiver
    assert client.get(reverse("console:staff_evaluation", args=[archive.project.pk, desk.pk])).status_code == 404
    assert client.get(colleague).status_code == 404
    own = reverse("console:staff_evaluation", args=[archive.project.pk, archive.tech.pk])
    assert client.get(own).status_code == 200
    assert client.post(own, {"manager_comment": "自评", "finalise": "1"}).status_code == 400
    listing = client.get(reverse("console:staff_evaluations"), {"project": archive.project.pk}).content.decode()
    assert f'data-staff="{archive.tech.pk}"' in listing and f'data-staff="{desk.pk}"' not in listing


def test_the_outsider_does_see_their_own_project(client, archive, outsider):
    """Guards the matrix against passing on pages that show nothing to anybody."""
    client.force_login(outsider)
    assert "江畔华庭" in client.get(reverse("console:project_list")).content.decode()
    assert "陈外人" in client.get(reverse("console:customer_detail", args=[archive.stranger.pk])).content.decode()
    response = client.get(reverse("console:lookup"), {"q": "13655556666"})
    assert response["Location"] == reverse("console:customer_detail", args=[archive.stranger.pk])


@pytest.mark.parametrize("name", sorted(set(MATRIX) - {"login", "logout"}))
def test_anonymous_visitors_are_sent_to_login(client, world, name):
    archive = world
    for method, url, payload in _calls(name, archive):
        response = _request(client, method, url, payload)
        assert response.status_code == 302, f"{method} {url} answered {response.status_code}"
        assert response["Location"].startswith(reverse("console:login"))
