"""Public affairs' money in billing (issue 13, item 2 and 4; issue 14, item 8): renovation deposits and
fees and parking rents become billing records, each once per source.

- The renovation fee is a one-off charge (billing.corrections.post_charge) on the unit's bills when the
  agreement is signed; the deposit is a deposit demanded in billing (demand_deposit), paid at the cashier
  and held as a liability.
- The deposit refund at closure goes through billing's deposit release: the refunded rest and each
  deduction (kept, with its reason) are release requests a manager other than the requester approves.
- A parking rental's rent is one charge per calendar month (a part month prorated by its days, 2 places,
  half up), posted once the month has begun: at the allocation for the months started, then by the daily
  job. Parking rents use their own fee item (one-off, accounted as parking): billing's monthly run bills
  the spaces counted on a billing account, so a rental registered here is not counted there as well.

Every posting is idempotent on its source ("affairs.renovation:<id>:fee", "affairs.parking:<id>:<yyyy-mm>"):
a second call returns the first bill or deposit and writes nothing.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.billing import corrections
from propdesk.billing.models import Bill, Deposit, DepositRelease, FeeItem

from .models import ParkingAllocation, Renovation

CENT = Decimal("0.01")

# code, name, kind, accounting, sort: created in a project the first time they are needed.
ITEMS = {
    "renovation_deposit": ("affairs-renovation-deposit", "装修押金", FeeItem.Kind.DEPOSIT, FeeItem.Accounting.DEPOSIT, 900),
    "renovation_fee": ("affairs-renovation-fee", "装修管理费", FeeItem.Kind.ONE_OFF, FeeItem.Accounting.OTHER, 901),
    "parking_rent": ("affairs-parking-rent", "车位租金（租赁协议）", FeeItem.Kind.ONE_OFF, FeeItem.Accounting.PARKING, 902),
}


@dataclass(frozen=True)
class Charge:
    item: str                 # "renovation_deposit", "renovation_fee", "deposit_refund", "parking_rent"
    amount: Decimal           # 2 places; a refund is negative
    period_start: dt.date | None
    period_end: dt.date | None
    payer_id: int             # archive.Customer
    unit_id: int
    source: str               # "affairs.renovation:<id>:fee", "affairs.parking:<id>:<yyyy-mm>"
    receipt: str = ""


def item_for(project_id: int, item: str) -> FeeItem:
    code, name, kind, accounting, sort = ITEMS[item]
    fee_item, _created = FeeItem.objects.get_or_create(
        project_id=project_id, code=code,
        defaults={"name": name, "kind": kind, "accounting": accounting, "late_fee_applies": False,
                  "is_published": False, "sort": sort})
    return fee_item


def renovation_source(r: Renovation, what: str) -> str:
    return f"affairs.renovation:{r.pk}:{what}"


def renovation_charges(r: Renovation) -> list[Charge]:
    """The deposit and the management fee recorded at the agreement, and the refund (negative) at closure."""
    out = []
    if r.deposit is not None:
        out.append(Charge("renovation_deposit", r.deposit, r.planned_start, r.planned_end, r.applicant_id, r.unit_id,
                          renovation_source(r, "deposit"), r.deposit_receipt))
    if r.fee is not None:
        out.append(Charge("renovation_fee", r.fee, r.planned_start, r.planned_end, r.applicant_id, r.unit_id,
                          renovation_source(r, "fee"), r.fee_receipt))
    if r.refund_amount is not None:
        out.append(Charge("deposit_refund", -r.refund_amount, None, None, r.applicant_id, r.unit_id,
                          renovation_source(r, "deposit"), r.refund_receipt))
    return out


def post_renovation(actor, r: Renovation) -> tuple[Deposit | None, Bill | None]:
    """At the agreement: the deposit demanded in billing (paid at the cashier, then held) and the fee
    posted as a charge on the unit's bills, payer the applicant. Runs inside the caller's transaction."""
    deposit = bill = None
    description = f"{r.unit.label} {r.planned_start:%Y-%m-%d}～{r.planned_end:%Y-%m-%d}"
    if r.deposit:
        deposit, _created = corrections.demand_deposit(
            actor, unit=r.unit, fee_item=item_for(r.project_id, "renovation_deposit"), amount=r.deposit,
            source=renovation_source(r, "deposit"), payer=r.applicant, description=f"装修押金（{description}）")
    if r.fee:
        bill, _created = corrections.post_charge(
            actor, unit=r.unit, fee_item=item_for(r.project_id, "renovation_fee"), amount=r.fee,
            source=renovation_source(r, "fee"), payer=r.applicant, description=f"装修管理费（{description}）")
    return deposit, bill


def renovation_deposit(r: Renovation) -> Deposit | None:
    return Deposit.objects.filter(project_id=r.project_id, source=renovation_source(r, "deposit")).first()


@dataclass(frozen=True)
class RenovationBilling:
    deposit: Deposit | None
    held: Decimal
    fee_bill: Bill | None
    fee_open: Decimal


def renovation_billing(r: Renovation) -> RenovationBilling:
    """What billing says of a renovation's money: the deposit's state and what it holds, and what is still
    open of the fee's bill (the renovation page shows it beside the recorded amounts)."""
    deposit = Deposit.objects.filter(project_id=r.project_id, source=renovation_source(r, "deposit")).select_related(
        "payment").first()
    bill = Bill.objects.filter(project_id=r.project_id, source=renovation_source(r, "fee")).prefetch_related(
        "lines").first()
    return RenovationBilling(
        deposit=deposit, held=corrections.deposit_held(deposit) if deposit else Decimal("0.00"), fee_bill=bill,
        fee_open=sum((line.outstanding for line in bill.lines.all()), Decimal("0.00")) if bill else Decimal("0.00"))


def release_renovation_deposit(actor, r: Renovation, *, refund: Decimal, deductions, voucher: str) -> list:
    """The refund with deductions as billing deposit releases: the rest refunded (reason: the voucher)
    and each deduction kept with its reason, all pending a manager's approval. The deposit must be held
    (paid at the cashier) and hold at least the renovation's deposit. A renovation signed before billing
    was connected has no deposit there: its refund is recorded in public affairs only, as it was."""
    deposit = renovation_deposit(r)
    if deposit is None:
        # signed before billing was connected (or no deposit): the recorded amounts stay the only record
        return []
    held = corrections.deposit_held(deposit)
    if held < refund + sum((d.amount for d in deductions), Decimal("0.00")):
        raise ValidationError({"deductions": _(
            "Billing holds ¥%(held)s of this deposit: it must be paid at the cashier before it is refunded.")
            % {"held": held}})
    releases = []
    if refund > 0:
        releases.append(corrections.request_release(actor, deposit, amount=refund, reason=f"装修竣工退还押金（{voucher}）",
                                                    kind=DepositRelease.Kind.REFUND))
    for d in deductions:
        if d.amount > 0:
            releases.append(corrections.request_release(actor, deposit, amount=d.amount, reason=d.reason,
                                                        kind=DepositRelease.Kind.FORFEIT))
    return releases


def _months(start: dt.date, end: dt.date):
    """Calendar months touched by [start, end], each with the days of it inside the period."""
    day = start
    while day <= end:
        nxt = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        last = min(end, nxt - dt.timedelta(days=1))
        yield day, last
        day = nxt


def parking_charges(a: ParkingAllocation) -> list[Charge]:
    """One rent charge per calendar month of a rental; a part month is prorated by its days (2 places,
    half up). Owned and open-ended allocations owe no rent here."""
    if a.monthly_price is None or a.end_date is None:
        return []
    out = []
    for first, last in _months(a.start_date, a.end_date):
        month_days = ((first.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - first.replace(day=1)).days
        days = (last - first).days + 1
        amount = (a.monthly_price * days / month_days).quantize(CENT, rounding=ROUND_HALF_UP)
        out.append(Charge("parking_rent", amount, first, last, a.customer_id, a.unit_id,
                          f"affairs.parking:{a.pk}:{first:%Y-%m}", a.receipt))
    return out


def post_parking_rent(actor, a: ParkingAllocation, today: dt.date, since: dt.date | None = None,
                      posted: set[str] | None = None) -> list[Bill]:
    """Post the rent of every month of the rental that has begun by `today` (and not before `since`),
    unless its source is in `posted`; returns the bills created. A month's bill is that month's charge
    (billing's due day of the month; no late fee on this item)."""
    created = []
    fee_item = None
    for charge in parking_charges(a):
        if charge.period_start > today or charge.amount <= 0 or (since and charge.period_end < since):
            continue
        if posted is not None and charge.source in posted:
            continue
        fee_item = fee_item or item_for(a.space.project_id, "parking_rent")
        bill, new = corrections.post_charge(
            actor, unit=a.unit, fee_item=fee_item, source=charge.source, amount=charge.amount,
            period=charge.period_start, payer=a.customer,
            description=f"车位租金 {a.space.number}（{charge.period_start:%Y-%m-%d}～{charge.period_end:%Y-%m-%d}）")
        if new:
            created.append(bill)
    return created


def post_parking_rents_due(today: dt.date | None = None) -> int:
    """The daily job: the rent of this month and of last month (a month boundary the job missed) of every
    rental, where not posted yet; the allocation's own posting covered the months begun when it was
    registered. Reads the rentals and what is posted in two queries: an hourly run with nothing due costs two.
    Returns the number of bills posted."""
    today = today or timezone.localdate()
    since = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    rentals = list(ParkingAllocation.objects.filter(
        monthly_price__isnull=False, end_date__gte=since, start_date__lte=today).select_related(
        "space", "unit__building", "customer"))
    wanted = [c.source for a in rentals for c in parking_charges(a) if c.period_end >= since
              and c.period_start <= today]
    posted = set(Bill.objects.filter(source__in=wanted).values_list("source", flat=True))
    return sum(len(post_parking_rent(None, a, today, since=since, posted=posted)) for a in rentals)
