"""`manage.py load_demo` brings the service desk to life: history to learn from and a live queue."""

import io

from django.core.management import call_command

from propdesk.org.models import Department, User
from propdesk.service.models import PriceItem, WorkOrder


def test_the_demo_has_work_orders_in_every_stage_and_says_so(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "250 张工单 work orders" in out.getvalue()
    states = set(WorkOrder.objects.values_list("state", flat=True))
    assert {"closed", "received", "dispatched"} <= states
    assert WorkOrder.objects.filter(priority="emergency").exists()
    assert WorkOrder.objects.filter(callbacks__rating__lte=2).exists()  # not every figure is perfect
    assert PriceItem.objects.filter(project__code="sunshine", kind="special", name="空调清洗").exists()
    assert User.objects.get(username="tech").departments.filter(code="engineering").exists()
    assert Department.objects.filter(project__code="techpark").count() == 5
    loaded = WorkOrder.objects.count()  # the desk's 250 and the warranty work orders of the affairs demo
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert WorkOrder.objects.count() == loaded


def test_the_demo_logins_name_an_owner_and_a_tenant_for_the_portal(db):
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "/portal/" in text and "业主" in text and "租户" in text
