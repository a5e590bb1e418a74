"""The demo has a realistic set of public affairs (issue 13, item 9), loaded once."""

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


def test_the_demo_loads_every_kind_of_public_affair_once(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "public affairs:" in out.getvalue()
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
    before = Handover.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert Handover.objects.count() == before
