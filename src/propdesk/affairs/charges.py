"""The seam between public affairs and billing: the charges a renovation or a parking rental owes.

Billing (issue 14) posts charges; public affairs only records amounts with their receipt numbers. These
functions describe, in one place, what billing will post once it is connected (the lead wires them to
billing's posting service after the merge): item, amount, period, payer and the source record. Nothing
here writes.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import ParkingAllocation, Renovation

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Charge:
    item: str                 # "renovation_deposit", "renovation_fee", "deposit_refund", "parking_rent"
    amount: Decimal           # 2 places; a refund is negative
    period_start: dt.date | None
    period_end: dt.date | None
    payer_id: int             # archive.Customer
    unit_id: int
    source: str               # "affairs.renovation:<id>", "affairs.parking_allocation:<id>"
    receipt: str = ""


def renovation_charges(r: Renovation) -> list[Charge]:
    """The deposit and the management fee recorded at the agreement, and the refund (negative) at closure."""
    source = f"affairs.renovation:{r.pk}"
    out = []
    if r.deposit is not None:
        out.append(Charge("renovation_deposit", r.deposit, r.planned_start, r.planned_end, r.applicant_id, r.unit_id,
                          source, r.deposit_receipt))
    if r.fee is not None:
        out.append(Charge("renovation_fee", r.fee, r.planned_start, r.planned_end, r.applicant_id, r.unit_id, source,
                          r.fee_receipt))
    if r.refund_amount is not None:
        out.append(Charge("deposit_refund", -r.refund_amount, None, None, r.applicant_id, r.unit_id, source,
                          r.refund_receipt))
    return out


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
                          f"affairs.parking_allocation:{a.pk}", a.receipt))
    return out
