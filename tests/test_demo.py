"""`manage.py load_demo` brings every domain to life, once: the desk's history and live queue, public affairs,
fees, communication and care, and the logins to try it with. One test loads the whole demo (it takes most of a minute on a busy machine);
each domain's checks are a function below, called on that one load. A domain's own small demo tests (the
archive's, the surveys') load only their part."""

import io

from django.core.management import call_command

from propdesk.affairs.models import (
    FoundItem,
    Handover,
    HotWorkPermit,
    ParkingAllocation,
    PatrolInspection,
    ReleaseEntry,
    ReleasePass,
    Renovation,
    Visit,
)
from propdesk.org.models import Department, User
from propdesk.service.models import PriceItem, WorkOrder


def check_service_desk(summary: str) -> None:
    """Work orders in every stage, and they say so."""
    assert "250 张工单 work orders" in summary
    states = set(WorkOrder.objects.values_list("state", flat=True))
    assert {"closed", "received", "dispatched"} <= states
    assert WorkOrder.objects.filter(priority="emergency").exists()
    assert WorkOrder.objects.filter(callbacks__rating__lte=2).exists()  # not every figure is perfect
    assert PriceItem.objects.filter(project__code="sunshine", kind="special", name="空调清洗").exists()
    assert User.objects.get(username="tech").departments.filter(code="engineering").exists()
    assert Department.objects.filter(project__code="techpark").count() == 5


def check_public_affairs(summary: str) -> None:
    """Every kind of public affair (issue 13, item 9)."""
    assert "public affairs:" in summary
    assert Handover.objects.filter(status="signed").count() >= 4
    assert Handover.objects.filter(kind="move_out").exists()
    assert Handover.objects.filter(lines__work_order__isnull=False).exists()  # warranty work orders
    active = Renovation.objects.filter(status="active")
    assert active.count() == 2
    assert all(r.files.exists() for r in Renovation.objects.all())  # every application has its drawing
    assert HotWorkPermit.objects.filter(renovation__in=active).count() == 2
    assert PatrolInspection.objects.filter(result="violation", rectification__isnull=False).exists()
    assert Renovation.objects.filter(status="closed", refund_amount__isnull=False).exists()
    assert ReleasePass.objects.filter(status="awaiting").exists() and ReleaseEntry.objects.exists()
    assert ParkingAllocation.objects.filter(kind="rented").count() >= 5
    assert Visit.objects.count() >= 10 and FoundItem.objects.filter(posted_at__isnull=False).exists()


def check_fees_and_communication(summary: str) -> None:
    """The fees and communication demos ran on the whole demo (their contents: tests/billing/test_demo.py,
    tests/engage/test_demo.py), and the fees reconcile to the fen."""
    from propdesk.billing import reconcile
    from propdesk.billing.models import Bill

    assert "fees:" in summary and "communication and care:" in summary
    assert Bill.objects.exists()
    for project_id in Bill.objects.order_by().values_list("project_id", flat=True).distinct():
        assert reconcile.check_project(project_id) == []


def check_logins() -> None:
    """The printed logins name an owner and a tenant for the portal."""
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "/portal/" in text and "业主" in text and "租户" in text


def test_the_demo_loads_every_domain_once_and_says_so(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    summary = out.getvalue()
    check_service_desk(summary)
    check_public_affairs(summary)
    check_fees_and_communication(summary)
    check_logins()
    counts = (WorkOrder.objects.count(), Handover.objects.count(), Visit.objects.count())
    call_command("load_demo", stdout=io.StringIO())  # a second run adds nothing
    assert (WorkOrder.objects.count(), Handover.objects.count(), Visit.objects.count()) == counts
