"""Bill runs: preview, post, idempotence, new units, immutability (issue 14, item 2)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from propdesk.billing import runs, standards, sums
from propdesk.billing.models import Bill, BillRun, ChargeLine, ImmutableRow, UnitAccount
from propdesk.core.errors import Conflict
from propdesk.core.models import TimelineLink
from propdesk.core.timeline import events_for
from tests.billing.conftest import add_home, post_month

D = Decimal
MARCH, APRIL = dt.date(2027, 3, 1), dt.date(2027, 4, 1)


def previewed(actor, project, period):
    run = runs.open_run(actor, project, period)
    runs.start_preview(actor, run)
    return runs.preview(run.pk), BillRun.objects.get(pk=run.pk)


def test_the_preview_shows_totals_by_item_skipped_units_and_writes_nothing(home, clerk):
    add_home(home.project, "501", owner_since=None)  # no owner on record
    add_home(home.project, "502", owner_since=dt.date(2027, 5, 1))  # handed over later
    summary, run = previewed(clerk, home.project, MARCH)
    assert run.status == BillRun.Status.PREVIEWED
    assert not Bill.objects.exists()
    totals = {row["name"]: D(row["amount"]) for row in summary["totals"]}
    assert totals == {"物业服务费": D("223.75"), "垃圾清运费": D("10.00")}
    assert summary["bills_to_post"] == 1 and D(summary["total"]) == D("233.75")
    assert sorted(code for _unit, _label, code in summary["skipped"]) == ["no_payer", "not_started"]


def test_posting_writes_the_previewed_bills_with_their_lines_and_timeline(home, clerk):
    run = post_month(clerk, home.project, MARCH)
    assert run.status == BillRun.Status.POSTED and run.bills_posted == 1
    bill = Bill.objects.get()
    assert (bill.unit, bill.payer, bill.period, bill.total, bill.due_date) == (
        home.unit, home.owner, MARCH, D("233.75"), dt.date(2027, 3, 15))
    assert list(bill.lines.values_list("description", "amount", "outstanding", "days")) == [
        ("物业服务费", D("223.75"), D("223.75"), 31), ("垃圾清运费", D("10.00"), D("10.00"), 31)]
    cards = set(TimelineLink.objects.filter(event__verb="billing.bill_posted").values_list("subject_id", flat=True))
    assert cards == {home.unit.pk, home.owner.pk}
    event = events_for(home.unit).get(verb="billing.bill_posted")
    assert (event.actor, event.at, event.params) == (
        clerk, bill.issued_at, {"month": "2027-03", "total": "233.75", "due": "2027-03-15"})
    assert list(events_for(home.owner).filter(verb="billing.bill_posted")) == [event]


def test_the_preview_compares_with_the_previous_month(home, clerk):
    post_month(clerk, home.project, MARCH)
    standards.add_standard(clerk, home.fees.property, price="2.80", effective_from=APRIL)
    summary, _run = previewed(clerk, home.project, APRIL)
    row = next(r for r in summary["totals"] if r["name"] == "物业服务费")
    assert (D(row["amount"]), D(row["previous"]), D(row["difference"])) == (D("250.60"), D("223.75"), D("26.85"))


def test_posting_twice_posts_nothing_new(home, clerk):
    post_month(clerk, home.project, MARCH)
    run = post_month(clerk, home.project, MARCH)
    assert Bill.objects.count() == 1 and run.preview["bills_to_post"] == 0 and run.preview["already_posted"] == 1


def test_a_new_unit_after_posting_gets_only_its_own_bill(home, clerk):
    post_month(clerk, home.project, MARCH)
    first = Bill.objects.get()
    newcomer = add_home(home.project, "601", owner_since=dt.date(2027, 3, 20))
    run = post_month(clerk, home.project, MARCH)
    assert run.preview["bills_to_post"] == 1
    assert list(Bill.objects.order_by("id").values_list("unit_id", flat=True)) == [home.unit.pk, newcomer.unit.pk]
    assert Bill.objects.get(pk=first.pk).total == first.total
    # 100 m² × 2.50 × 12/31 = 96.77; rubbish 10 × 12/31 = 3.87
    assert Bill.objects.get(unit=newcomer.unit).total == D("100.64")


def test_a_standard_change_never_rewrites_a_posted_bill(home, clerk):
    post_month(clerk, home.project, MARCH)
    standards.add_standard(clerk, home.fees.property, price="3.00", effective_from=dt.date(2027, 3, 10))
    post_month(clerk, home.project, MARCH)
    assert ChargeLine.objects.get(fee_item=home.fees.property).amount == D("223.75")
    april = post_month(clerk, home.project, APRIL)
    assert Bill.objects.get(run=april).total == D("278.50")  # 89.50 × 3.00 + 10


def test_posting_refuses_a_stale_preview_and_writes_nothing(home, clerk):
    _summary, run = previewed(clerk, home.project, MARCH)
    digest = run.preview["digest"]
    UnitAccount.objects.create(unit=home.unit, project=home.project, unit_type="residential", parking_spaces=1)
    runs.start_posting(clerk, run, digest)
    assert runs.post(run.pk, clerk.pk) == 0
    run.refresh_from_db()
    assert run.status == BillRun.Status.DRAFT and "preview" in run.error.lower() or "预览" in run.error
    assert not Bill.objects.exists()


def test_a_run_cannot_be_posted_twice_at_once(home, clerk):
    """Two browsers press "post": the second is told the run is being posted; nothing is posted twice."""
    _summary, run = previewed(clerk, home.project, MARCH)
    runs.start_posting(clerk, run, run.preview["digest"])
    with pytest.raises(Conflict) as exc:
        runs.start_posting(clerk, BillRun.objects.get(pk=run.pk), run.preview["digest"])
    assert exc.value.code == "busy"
    runs.post(run.pk, clerk.pk)
    assert Bill.objects.count() == 1


def test_a_post_delivered_again_after_posting_changes_nothing(home, clerk):
    run = post_month(clerk, home.project, MARCH)
    assert run.status == BillRun.Status.POSTED
    assert runs.post(run.pk, clerk.pk) == 0  # the worker's task run a second time
    run.refresh_from_db()
    assert run.status == BillRun.Status.POSTED and run.error == "" and run.bills_posted == 1
    assert Bill.objects.count() == 1


def test_posting_needs_a_preview(home, clerk):
    run = runs.open_run(clerk, home.project, MARCH)
    with pytest.raises(Conflict):
        runs.start_posting(clerk, run, "x")


def test_the_database_refuses_a_second_bill_for_the_same_unit_and_month(home, clerk):
    run = post_month(clerk, home.project, MARCH)
    line = ChargeLine.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChargeLine.objects.bulk_create([ChargeLine(
            bill=line.bill, project=line.project, unit=line.unit, fee_item=line.fee_item, periodic=True,
            description="x", service_start=line.service_start, service_end=line.service_end, quantity=1,
            unit_price=1, amount=1, outstanding=1, due_date=line.due_date)])
    assert run.bills.count() == 1


def test_posted_rows_are_immutable(home, clerk):
    post_month(clerk, home.project, MARCH)
    bill, line = Bill.objects.get(), ChargeLine.objects.first()
    bill.total = D("1.00")
    with pytest.raises(ImmutableRow):
        bill.save()
    with pytest.raises(ImmutableRow):
        line.delete()
    with pytest.raises(ImmutableRow):
        ChargeLine.objects.filter(pk=line.pk).update(amount=D("1"))
    with pytest.raises(ImmutableRow):
        Bill.objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChargeLine.objects.filter(pk=line.pk).update(outstanding=line.amount + 1)  # never above the amount
    assert Bill.objects.get().total == D("233.75")


def test_only_clerks_run_bills(home, project):
    from django.core.exceptions import PermissionDenied

    from tests.factories import StaffFactory

    butler = StaffFactory(username="butler", role="butler", projects=[project])
    with pytest.raises(PermissionDenied):
        runs.open_run(butler, project, MARCH)


def test_totals_match_the_lines_over_many_units(home, clerk):
    for n in range(30):
        add_home(home.project, f"{n + 1}01", area=f"{60 + n}.25",
                 owner_since=dt.date(2027, 3, 1 + n % 28) if n % 3 else dt.date(2019, 1, 1))
    run = post_month(clerk, home.project, MARCH)
    lines = ChargeLine.objects.filter(bill__run=run)
    assert D(run.preview["total"]) == sums.aggregate(lines, "amount") == \
        sums.aggregate(Bill.objects.filter(run=run), "total")
    assert run.bills_posted == 31


def test_a_run_in_several_batches_gives_each_unit_its_own_bill_lines_and_card(home, clerk, monkeypatch):
    monkeypatch.setattr(runs, "BATCH", 2)
    others = [add_home(home.project, number, area=area) for number, area in (("701", "80.00"), ("702", "120.50"))]
    run = post_month(clerk, home.project, MARCH)
    assert run.bills_posted == 3 and run.progress_done == run.progress_total == 3
    _each_unit_has_its_bill_lines_and_card([home, *others])


@pytest.mark.django_db(transaction=True)
def test_the_worker_posts_batches_side_by_side_on_postgresql(home, clerk, monkeypatch):
    """As the worker runs it (no transaction around the post): on PostgreSQL two batches at a time, each on
    its own connection; on SQLite one after the other. Either way every unit gets its bill once, the prepayment
    is used, the progress counts every unit and the ledger reconciles."""
    import threading

    from django.db import connection

    from propdesk.billing import payments, reconcile

    monkeypatch.setattr(runs, "BATCH", 2)
    others = [add_home(home.project, f"7{n:02d}", area="90.00") for n in range(1, 8)]
    payments.take_payment(clerk, others[3].unit, amount="100", method="cash", prepay_rest=True)
    threads = set()
    write = runs._post_batch
    monkeypatch.setattr(runs, "_post_batch", lambda *a, **k: threads.add(threading.get_ident()) or write(*a, **k))
    run = post_month(clerk, home.project, MARCH)
    assert run.status == BillRun.Status.POSTED, run.error
    assert run.bills_posted == 8 and run.progress_done == run.progress_total == 8
    _each_unit_has_its_bill_lines_and_card([home, *others])
    assert Bill.objects.get(unit=others[3].unit).open_amount == Bill.objects.get(unit=others[3].unit).total - 100
    assert reconcile.check_project(home.project.pk) == []
    if connection.vendor == "postgresql":
        assert len(threads) == 2 and threading.get_ident() not in threads
    else:
        assert threads == {threading.get_ident()}


def _each_unit_has_its_bill_lines_and_card(homes):
    for h in homes:
        bill = Bill.objects.get(unit=h.unit)
        assert bill.payer == h.owner
        assert set(bill.lines.values_list("unit_id", flat=True)) == {h.unit.pk}
        assert sum(bill.lines.values_list("amount", flat=True)) == bill.total
        event = events_for(h.unit).get(verb="billing.bill_posted")
        assert event.params["total"] == str(bill.total)
        assert list(events_for(h.owner).filter(verb="billing.bill_posted")) == [event]
