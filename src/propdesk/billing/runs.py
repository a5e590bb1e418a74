"""Bill runs (计费): preview, then post, in the worker with a progress row (issue 14, item 2).

- `start_preview()` / `start_posting()` are what a clerk does (console, API); each claims the run with a
  conditional UPDATE and enqueues the work, so a run is previewed or posted by one worker at a time and
  the second of two browsers gets a clear refusal.
- `preview()` computes every unit's lines (calc.plan_unit) from facts loaded in a few queries, and
  stores the summary: totals by fee item beside the previous month, units skipped and why, units already
  posted, and the digest of what posting would write.
- `post()` recomputes; if the digest differs from the preview's (a standard, a unit or an occupancy
  changed meanwhile) it posts nothing and asks for a new preview. Otherwise it writes the missing bills in
  batches of BATCH units, each batch one transaction (bills, lines, timeline, prepayments used; two at a
  time on PostgreSQL, see _write_batches): a run that stopped half-way, or one re-previewed after new units
  appeared, posts only the missing bills. It acts on a run claimed for posting only (a task delivered
  twice posts once and leaves the run posted).
  The unique constraints (one bill per run, unit and payer; one periodic line per unit, item and first
  day) make a double post impossible even if two workers raced.
"""

import datetime as dt
import logging
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Customer, Occupancy
from propdesk.core import bulk, timeline
from propdesk.core.db import refresh_statistics
from propdesk.core.errors import Conflict
from propdesk.core.models import TimelineEvent, TimelineLink
from propdesk.core.timeline import Message
from propdesk.org.access import get_scoped, scope
from propdesk.org.models import Unit

from . import access, calc, ledger, money, sums
from .models import (
    OPEN,
    UNPAID,
    Bill,
    BillRun,
    ChargeLine,
    FeeItem,
    FeeStandard,
    MeterReading,
    TenantPays,
    UnitAccount,
)
from .standards import settings_for

logger = logging.getLogger(__name__)

BATCH = 5000
STALE_CLAIM = dt.timedelta(minutes=30)
SKIP_REASONS = {
    calc.SKIP_NO_PAYER: gettext_noop("No owner on record (or no payer for the month)"),
    calc.SKIP_NOT_STARTED: gettext_noop("Fees start after this month (handover later)"),
    calc.SKIP_NO_STANDARD: gettext_noop("No fee standard for this unit type"),
    calc.SKIP_NO_AREA: gettext_noop("No floor area on record"),
    calc.SKIP_NOTHING: gettext_noop("Nothing to charge"),
}


# -- reads -------------------------------------------------------------------------------------------

def runs_for(user, project_id: int | None = None):
    access.require_reader(user)
    qs = scope(BillRun.objects.select_related("project", "posted_by"), user)
    return qs.filter(project_id=project_id) if project_id else qs


def get_run(user, run_id: int) -> BillRun:
    access.require_reader(user)
    return get_scoped(BillRun.objects.select_related("project", "posted_by"), user, pk=run_id)


# -- the clerk's actions -----------------------------------------------------------------------------

def open_run(actor, project, period: dt.date) -> BillRun:
    """The project's run of the month (created when first asked for)."""
    access.require(actor, project.pk, access.clerks())
    period = money.month_start(period)
    run, _created = BillRun.objects.get_or_create(project=project, period=period,
                                                  defaults={"created_by": actor})
    return run


def _claim(run: BillRun, status: str, allowed: tuple) -> None:
    now = timezone.now()
    stale = now - STALE_CLAIM
    claimed = BillRun.objects.filter(pk=run.pk).filter(
        Q(status__in=allowed) | Q(status=status, claimed_at__lt=stale)).update(
        status=status, claimed_at=now, progress_done=0, progress_total=0, error="")
    if not claimed:
        run.refresh_from_db()
        if run.status == BillRun.Status.POSTING:
            raise Conflict(_("This bill run is being posted right now (perhaps from another browser)."),
                           code="busy", state=run.status)
        if run.status == BillRun.Status.PREVIEWING:
            raise Conflict(_("This bill run is being previewed right now."), code="busy", state=run.status)
        raise Conflict(_("Preview the bill run before posting it."), code="not_previewed", state=run.status)
    run.refresh_from_db()


def start_preview(actor, run: BillRun) -> BillRun:
    """Preview (again) in the worker; refused while the run is being posted or previewed."""
    access.require(actor, run.project_id, access.clerks())
    S = BillRun.Status
    _claim(run, S.PREVIEWING, (S.DRAFT, S.PREVIEWED, S.POSTED, S.FAILED))
    from .tasks import preview_bill_run

    transaction.on_commit(lambda: preview_bill_run.enqueue(run.pk))
    return run


def start_posting(actor, run: BillRun, digest: str) -> BillRun:
    """Post what the clerk previewed: `digest` is the preview they saw. Refused when the run is not
    previewed, is being posted (another browser) or the preview shown is not the latest one."""
    access.require(actor, run.project_id, access.clerks())
    if not digest or digest != run.preview.get("digest"):
        raise Conflict(_("The preview you saw is no longer current: preview the run again."), code="stale",
                       state=run.status)
    S = BillRun.Status
    _claim(run, S.POSTING, (S.PREVIEWED,))
    from .tasks import post_bill_run

    transaction.on_commit(lambda: post_bill_run.enqueue(run.pk, actor.pk))
    return run


# -- facts, plans --------------------------------------------------------------------------------

def _label(building: str, entrance: str, number: str) -> str:
    return "-".join(p for p in (building, entrance, number) if p)


def load_project(run: BillRun) -> calc.Project:
    items = [calc.Item(i.id, i.name, i.kind, i.late_fee_applies)
             for i in FeeItem.objects.filter(project_id=run.project_id, is_active=True)]
    standards = [calc.Standard(s.id, s.fee_item_id, s.unit_type, s.price, s.effective_from, s.effective_to)
                 for s in FeeStandard.objects.filter(fee_item__project_id=run.project_id, fee_item__is_active=True)]
    rules = settings_for(run.project_id)
    return calc.Project(period=run.period, items=items, standards=standards,
                        next_month_start=rules.start_rule == rules.StartRule.NEXT_MONTH)


def load_facts(run: BillRun, unit_ids=None) -> dict[int, calc.UnitFacts]:
    """Every unit's facts for the month in a fixed number of queries (no query per unit)."""
    start, end = run.period, money.month_end(run.period)
    units = Unit.objects.filter(project_id=run.project_id)
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    facts = {pk: calc.UnitFacts(pk, _label(b, e, n), area, "residential", None, building_id=building_id)
             for pk, area, b, e, n, building_id in units.values_list("id", "area", "building__code", "entrance",
                                                                      "number", "building_id")
             .order_by("building__code", "entrance", "number")}

    def mine(qs, field="unit_id"):
        return qs.filter(**{f"{field}__in": list(facts)}) if unit_ids is not None else qs

    for unit_id, unit_type, fee_start, spaces in mine(UnitAccount.objects.filter(project_id=run.project_id)) \
            .values_list("unit_id", "unit_type", "fee_start", "parking_spaces"):
        if unit_id in facts:
            f = facts[unit_id]
            f.unit_type, f.fee_start, f.parking_spaces = unit_type, fee_start, spaces
    owners = Occupancy.objects.filter(unit__project_id=run.project_id, role=Occupancy.Role.OWNER)
    for unit_id, first in mine(owners).values("unit_id").annotate(first=Min("start_date")).values_list(
            "unit_id", "first"):
        if unit_id in facts and facts[unit_id].fee_start is None:
            facts[unit_id].fee_start = first
    overlapping = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    for unit_id, customer_id, s, e, pk in mine(owners.filter(overlapping)).values_list(
            "unit_id", "customer_id", "start_date", "end_date", "id"):
        if unit_id in facts:
            facts[unit_id].owners.append(calc.Span(s, e, customer_id, pk))
    tenants = TenantPays.objects.filter(occupancy__unit__project_id=run.project_id,
                                        occupancy__start_date__lte=end).filter(
        Q(occupancy__end_date__isnull=True) | Q(occupancy__end_date__gte=start))
    for unit_id, customer_id, s, e in mine(tenants, "occupancy__unit_id").values_list(
            "occupancy__unit_id", "occupancy__customer_id", "occupancy__start_date", "occupancy__end_date"):
        if unit_id in facts:
            facts[unit_id].tenants.append(calc.Span(s, e, customer_id))
    for pk, unit_id, item_id, read_on, previous, value in mine(MeterReading.objects.filter(
            project_id=run.project_id, period=start)).values_list(
            "id", "unit_id", "fee_item_id", "read_on", "previous", "value"):
        if unit_id in facts:
            facts[unit_id].readings.append(calc.Reading(pk, item_id, read_on, value - previous))
    return facts


def _late_fee_lines(run: BillRun, project: calc.Project, unit_ids=None) -> dict[int, list[calc.Line]]:
    """Late fees of the month before the run's, on lines still overdue (billing settings' daily rate)."""
    rules = settings_for(run.project_id)
    if not rules.late_fees_on:
        return {}
    month = money.previous_month(run.period)
    item = late_fee_item(run.project_id)
    open_qs = ChargeLine.objects.filter(
        OPEN, bill__in=Bill.objects.filter(UNPAID, project_id=run.project_id, due_date__lt=money.month_end(month))
    ).exclude(kind=ChargeLine.Kind.LATE_FEE)
    open_qs = open_qs.filter(fee_item__late_fee_applies=True)
    if unit_ids is not None:
        open_qs = open_qs.filter(unit_id__in=list(unit_ids))
    rows = list(open_qs.values_list("id", "unit_id", "bill__payer_id", "fee_item_id", "amount", "outstanding",
                                    "due_date"))
    so_far = sums.by(ChargeLine.objects.filter(late_fee_of_id__in=[r[0] for r in rows]), "late_fee_of_id")
    out = defaultdict(list)
    for pk, unit_id, payer_id, item_id, amount, outstanding, due in rows:
        line = calc.late_fee(calc.OpenLine(pk, unit_id, payer_id, item_id, amount, outstanding, due,
                                           so_far.get(pk) or Decimal(0)),
                             rate=rules.late_fee_daily_rate, month=month, late_fee_item_id=item.pk)
        if line is not None:
            out[unit_id].append(line)
    return out


def late_fee_item(project_id: int) -> FeeItem:
    item, _created = FeeItem.objects.get_or_create(
        project_id=project_id, code="late-fee",
        defaults={"name": "滞纳金", "kind": FeeItem.Kind.LATE_FEE, "accounting": FeeItem.Accounting.OTHER,
                  "late_fee_applies": False, "is_published": False, "sort": 900})
    return item


def posted_units(run: BillRun) -> set[int]:
    return set(Bill.objects.filter(run=run).values_list("unit_id", flat=True))


def plans(run: BillRun, unit_ids=None) -> tuple[calc.Project, dict[int, calc.UnitFacts], list[calc.UnitPlan]]:
    project = load_project(run)
    facts = load_facts(run, unit_ids)
    late = _late_fee_lines(run, project, unit_ids)
    out = []
    for unit_id, unit_facts in facts.items():
        plan = calc.plan_unit(project, unit_facts)
        if late.get(unit_id):
            plan.lines.extend(late[unit_id])
            plan.skipped = ""
        out.append(plan)
    return project, facts, out


# -- preview -----------------------------------------------------------------------------------

def preview(run_id: int) -> dict:
    """Compute the run and store its summary on the run (the worker's task)."""
    run = BillRun.objects.select_related("project").get(pk=run_id)
    try:
        summary = _preview(run)
    except Exception as exc:
        logger.exception("preview of bill run %s failed", run_id)
        BillRun.objects.filter(pk=run.pk).update(status=BillRun.Status.FAILED, error=str(exc)[:2000])
        raise
    BillRun.objects.filter(pk=run.pk).update(status=BillRun.Status.PREVIEWED, preview=summary,
                                             previewed_at=timezone.now(), claimed_at=None)
    return summary


def _preview(run: BillRun) -> dict:
    project, facts, unit_plans = plans(run)
    BillRun.objects.filter(pk=run.pk).update(progress_total=len(unit_plans), progress_done=len(unit_plans) // 2)
    done = posted_units(run)
    items = {i.id: i for i in FeeItem.objects.filter(project_id=run.project_id)}
    totals: dict[int, list] = {}
    to_post = []
    skipped, unbilled = [], []
    for plan in unit_plans:
        if plan.unit_id in done:
            continue
        if plan.skipped:
            skipped.append([plan.unit_id, facts[plan.unit_id].label, plan.skipped])
            continue
        if plan.unbilled_days:
            unbilled.append([plan.unit_id, facts[plan.unit_id].label, plan.unbilled_days])
        to_post.extend(plan.lines)
        for line in plan.lines:
            entry = totals.setdefault(line.fee_item_id, [Decimal(0), 0])
            entry[0] += line.amount
            entry[1] += 1
    previous = sums.by(ChargeLine.objects.filter(
        project_id=run.project_id, bill__period=money.previous_month(run.period), bill__kind=Bill.Kind.PERIODIC),
        "fee_item_id")
    already = sums.by(ChargeLine.objects.filter(bill__run=run), "fee_item_id")
    rows = []
    for item_id in sorted(set(totals) | set(previous) | set(already),
                          key=lambda i: (items[i].sort, items[i].code) if i in items else (0, "")):
        amount, count = totals.get(item_id, [Decimal(0), 0])
        before = previous.get(item_id) or Decimal(0)
        posted = already.get(item_id) or Decimal(0)
        rows.append({"item_id": item_id, "name": items[item_id].name if item_id in items else "?",
                     "amount": str(amount), "lines": count, "posted": str(posted), "previous": str(before),
                     "difference": str(amount + posted - before)})
    counts = defaultdict(int)
    for _unit, _label_text, code in skipped:
        counts[code] += 1
    total = sum((line.amount for line in to_post), Decimal(0))
    return {
        "digest": calc.digest(to_post), "units": len(unit_plans), "already_posted": len(done),
        "units_to_post": len({line.unit_id for line in to_post}),
        "bills_to_post": len({(line.unit_id, line.payer_id) for line in to_post}), "lines": len(to_post),
        "total": str(total), "posted_total": str(sum(already.values(), Decimal(0))),
        "previous_total": str(sum(previous.values(), Decimal(0))), "totals": rows, "skipped": skipped,
        "skipped_counts": dict(counts), "unbilled": unbilled,
        "late_fees": str(sum((x.amount for x in to_post if x.late_fee_of), Decimal(0))),
    }


def preview_lines(run: BillRun, unit_ids) -> list[calc.UnitPlan]:
    """The planned lines of a few units (a page of the preview), computed again on demand."""
    _project, _facts, unit_plans = plans(run, unit_ids)
    return unit_plans


# -- post ----------------------------------------------------------------------------------------

def post(run_id: int, actor_id: int | None) -> int:
    """Post the missing bills of a previewed run (the worker's task); returns how many bills it wrote."""
    from propdesk.org.models import User

    run = BillRun.objects.select_related("project").get(pk=run_id)
    if run.status != BillRun.Status.POSTING:
        # claimed by start_posting() only: a task delivered again after the run posted does nothing
        logger.info("bill run %s is %s, not claimed for posting: nothing to do", run_id, run.status)
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        written = _post(run, actor)
    except Exception as exc:
        logger.exception("posting bill run %s failed", run_id)
        BillRun.objects.filter(pk=run.pk).update(status=BillRun.Status.FAILED, error=str(exc)[:2000],
                                                 claimed_at=None)
        raise
    return written


def _post(run: BillRun, actor) -> int:
    project, facts, unit_plans = plans(run)
    done = posted_units(run)
    # in the order of the units: the indexes keyed by unit (bills, lines, timeline links) grow in order
    todo = sorted((p for p in unit_plans if p.unit_id not in done and not p.skipped and p.lines),
                  key=lambda p: p.unit_id)
    lines = [line for p in todo for line in p.lines]
    if calc.digest(lines) != run.preview.get("digest"):
        BillRun.objects.filter(pk=run.pk).update(
            status=BillRun.Status.DRAFT, claimed_at=None,
            error=_("Standards, units or occupancies changed since the preview: nothing was posted. "
                    "Preview the run again."))
        return 0
    BillRun.objects.filter(pk=run.pk).update(progress_total=len(todo), progress_done=0)
    rules = settings_for(run.project_id)
    due = run.period.replace(day=min(rules.due_day, money.days_in_month(run.period)))
    items = {i.id: i for i in FeeItem.objects.filter(project_id=run.project_id)}
    batches = [todo[offset:offset + BATCH] for offset in range(0, len(todo), BATCH)]
    written = _write_batches(run, batches, lambda batch: _post_batch(run, batch, items, facts, due, actor))
    now = timezone.now()
    with transaction.atomic():
        BillRun.objects.filter(pk=run.pk).update(status=BillRun.Status.POSTED, posted_at=now, posted_by=actor,
                                                 claimed_at=None, bills_posted=F("bills_posted") + written)
        timeline.record(actor, "billing.run_posted", Message(
            gettext_noop("Bill run %(month)s posted: %(bills)s bills"), {"month": run.label, "bills": written}),
            subjects=[run.project])
    if written:
        refresh_statistics("billing_bill", "billing_chargeline")
        from .tasks import announce_bill_run

        announce_bill_run.enqueue(run.pk)
    return written


def _write_batches(run: BillRun, batches: list[list], write) -> int:
    """Write each batch in its own transaction (`write(batch)` returns the bills written), counting the units
    done on the run's progress row; return the bills written.

    On PostgreSQL, unless the caller holds a transaction, two batches at a time, each on its own thread and
    connection: while the server checks one batch's foreign keys and commits it (40 % of a post of 100,000
    units), the next batch's rows are prepared in Python, so both cores work. The batches hold disjoint
    units, and a batch that fails stops the ones not started, as one after the other would. SQLite has one
    writer at a time: there (and inside a caller's transaction, as in most tests) one after the other."""
    done = written = 0
    if connection.vendor != "postgresql" or connection.in_atomic_block or len(batches) < 2:
        for batch in batches:
            written += write(batch)
            done += len(batch)
            BillRun.objects.filter(pk=run.pk).update(progress_done=done)
        return written

    def on_own_connection(batch):
        try:
            return write(batch)
        finally:
            connection.close()  # this thread's

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="bill-run") as pool:
        futures = {pool.submit(on_own_connection, batch): len(batch) for batch in batches}
        try:
            for future in as_completed(futures):
                written += future.result()
                done += futures[future]
                BillRun.objects.filter(pk=run.pk).update(progress_done=done)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return written


def _post_batch(run: BillRun, batch: list[calc.UnitPlan], items, facts, due: dt.date, actor) -> int:
    """One transaction: the batch's bills, their lines, one timeline event per bill on the unit's and the
    payer's cards, and the prepayments used. Written as plain rows (bulk.insert), a few statements per
    table whatever the batch's size."""
    now = timezone.now()
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    bills, grouped = [], []
    for plan in batch:
        by_payer = defaultdict(list)
        for line in plan.lines:
            by_payer[line.payer_id].append(line)
        for payer_id, payer_lines in by_payer.items():
            total = sum((x.amount for x in payer_lines), Decimal(0))
            bills.append((run.project_id, plan.unit_id, payer_id, Bill.Kind.PERIODIC.value, run.pk, run.period, "",
                          now, due, total, money.fen(total), actor_id, facts[plan.unit_id].building_id))
            grouped.append(payer_lines)
    charge, late = ChargeLine.Kind.CHARGE.value, ChargeLine.Kind.LATE_FEE.value
    unit_type, customer_type = (ContentType.objects.get_for_model(m) for m in (Unit, Customer))
    summary = gettext_noop("Bill %(month)s posted: ¥%(total)s, due %(due)s")
    with transaction.atomic():
        ids = {(unit_id, payer_id): pk for pk, unit_id, payer_id in bulk.insert(
            Bill, BILL_COLUMNS, bills, returning=("id", "unit", "payer"))}
        rows = []
        for bill, payer_lines in zip(bills, grouped, strict=True):
            bill_id = ids[bill[1], bill[2]]
            for x in payer_lines:
                rows.append((bill_id, run.project_id, bill[1], x.fee_item_id, late if x.late_fee_of else charge,
                             x.periodic, items[x.fee_item_id].name, x.start, x.end, x.quantity, x.unit_price, x.days,
                             x.days_in_period, x.amount, x.amount, due, x.standard_id, x.reading_id, x.late_fee_of))
        bulk.insert(ChargeLine, LINE_COLUMNS, rows)
        events = bulk.insert(TimelineEvent, EVENT_COLUMNS, [
            (now, actor_id, "billing.bill_posted", summary, {"month": run.label, "total": str(bill[9]),
                                                             "due": due.isoformat()}, {}, False)
            for bill in bills], returning=("id",))
        links = []
        for (event_id,), bill in zip(events, bills, strict=True):
            links.append((event_id, unit_type.pk, bill[1], now))
            links.append((event_id, customer_type.pk, bill[2], now))
        bulk.insert(TimelineLink, LINK_COLUMNS, links)
        prepaid = ledger.units_with_prepayment(run.project_id, {bill[1] for bill in bills})
        if prepaid:
            ledger.apply_prepayments(prepaid, now)
    return len(bills)


BILL_COLUMNS = ["project", "unit", "payer", "kind", "run", "period", "source", "issued_at", "due_date", "total",
                "open_fen", "created_by", "building"]
LINE_COLUMNS = ["bill", "project", "unit", "fee_item", "kind", "periodic", "description", "service_start",
                "service_end", "quantity", "unit_price", "days", "days_in_period", "amount", "outstanding", "due_date",
                "standard", "reading", "late_fee_of"]
EVENT_COLUMNS = ["at", "actor", "verb", "message", "params", "changes", "internal"]
LINK_COLUMNS = ["event", "subject_type", "subject_id", "at"]
