"""The callback plan page, the outcome form and the care flags page."""

from django.urls import reverse
from django.utils import timezone

from propdesk.engage.models import CallbackTask, CareFlag
from propdesk.service.models import WorkOrder

PLAN = reverse("console:callback_plan")


def test_the_plan_lists_todays_callbacks_with_their_reason(client, staff, occupancy, project):
    CallbackTask.objects.create(project=project, kind="care_visit", channel="door_visit",
                                customer=occupancy.customer, unit=occupancy.unit, due_date=timezone.localdate())
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    body = client.get(PLAN).content.decode()
    assert "王建国" in body and "Household under care: quarterly door visit" in body and "13812345678" in body
    assert reverse("console:callbacks") in body
    assert PLAN in client.get(reverse("console:callbacks")).content.decode()


def test_recording_an_outcome_with_a_work_order(client, staff, occupancy, project):
    task = CallbackTask.objects.create(project=project, kind="half_year", customer=occupancy.customer,
                                       unit=occupancy.unit, due_date=timezone.localdate())
    client.force_login(staff)
    p = f"t{task.pk}-"
    response = client.post(reverse("console:callback_outcome", args=[task.pk]), {
        p + "reached": "yes", p + "rating": "3", p + "comment": "门禁卡坏了", p + "create_work_order": "on",
        p + "kind": "repair_home", p + "description": "门禁卡失灵"})
    assert response.status_code == 302 and response["Location"] == PLAN
    task.refresh_from_db()
    assert task.status == "done" and task.rating == 3
    assert WorkOrder.objects.get(pk=task.created_work_order_id).description == "门禁卡失灵"
    assert f'data-task="{task.pk}"' not in client.get(PLAN).content.decode()


def test_a_work_order_without_description_is_refused(client, staff, occupancy, project):
    task = CallbackTask.objects.create(project=project, kind="half_year", customer=occupancy.customer,
                                       due_date=timezone.localdate())
    client.force_login(staff)
    p = f"t{task.pk}-"
    client.post(reverse("console:callback_outcome", args=[task.pk]), {p + "reached": "yes",
                                                                      p + "create_work_order": "on"})
    task.refresh_from_db()
    assert task.status == "open"


def test_flagging_a_household_for_care(client, staff, occupancy):
    url = reverse("console:customer_care", args=[occupancy.customer.pk])
    client.force_login(staff)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "elderly_alone", "note": "独居", "since": "2025-01-01"})
    assert response.status_code == 302
    flag = CareFlag.objects.get()
    assert "独居" in client.get(url).content.decode()
    client.post(url, {"end": flag.pk})
    flag.refresh_from_db()
    assert flag.until is not None
    assert url in client.get(reverse("console:customer_detail", args=[occupancy.customer.pk])).content.decode()


def test_a_technician_sees_the_care_page_but_may_not_flag(client, occupancy, technician_user):
    url = reverse("console:customer_care", args=[occupancy.customer.pk])
    client.force_login(technician_user)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "other"}).status_code == 403
