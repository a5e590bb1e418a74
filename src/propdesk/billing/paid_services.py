"""Paid services billed to owners (issue 14, item 8): special services ordered in the portal (the price
agreed when ordered, `WorkOrder.agreed_price`) and chargeable repairs the owner consented to
(`ChargeQuote.fee`), each posted once through corrections.post_charge() to its own fee item, accounted as
special services — apart from property fees. The revenue report of the service desk (service.revenue)
reads the same orders, so the month's report and the month's paid-service bills reconcile.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from propdesk.service import revenue
from propdesk.service.models import ChargeQuote, WorkOrder

from . import access
from .corrections import post_charge
from .models import Bill, FeeItem

ITEMS = {
    revenue.SPECIAL: ("special-service", "特约服务费"),
    revenue.REPAIRS: ("paid-repair", "有偿维修费"),
}


def item_for(project_id: int, kind: str) -> FeeItem:
    code, name = ITEMS[kind]
    item, _created = FeeItem.objects.get_or_create(
        project_id=project_id, code=code,
        defaults={"name": name, "kind": FeeItem.Kind.ONE_OFF, "accounting": FeeItem.Accounting.SPECIAL_SERVICE,
                  "late_fee_applies": False, "is_published": False, "sort": 800})
    return item


def source_of(row) -> str:
    if isinstance(row, ChargeQuote):
        return f"service.quote:{row.pk}"
    return f"service.work_order:{row.pk}"


def to_bill(user, project_id: int | None, month: dt.date, kind: str = revenue.SPECIAL) -> list[dict]:
    """The month's paid work (as the revenue report reads it) with the bill of each, if billed yet."""
    access.require_reader(user)
    report = revenue.paid_service_orders(user, project_id, month, kind)
    sources = {source_of(row): row for row in report.rows}
    billed = dict(Bill.objects.filter(source__in=list(sources)).values_list("source", "id"))
    out = []
    for source, row in sources.items():
        wo = row.work_order if isinstance(row, ChargeQuote) else row
        out.append({"source": source, "row": row, "work_order": wo,
                    "amount": row.fee if isinstance(row, ChargeQuote) else row.agreed_price,
                    "bill_id": billed.get(source)})
    return out


def bill_paid_service(actor, row: "WorkOrder | ChargeQuote") -> tuple[Bill, bool]:
    """Bill one special service or consented repair to the unit's payer (the requester when on record).

    Read again from the database: a cancelled or merged order, or a quote not consented, is refused."""
    if isinstance(row, ChargeQuote):
        row = ChargeQuote.objects.select_related("work_order__requester", "work_order__unit", "price_item").get(
            pk=row.pk)
        wo = row.work_order
    else:
        row = wo = WorkOrder.objects.select_related("requester", "unit", "price_item").get(pk=row.pk)
    access.require(actor, wo.project_id, access.clerks())
    if wo.unit_id is None:
        raise ValidationError(_("This work order has no unit to bill."))
    if wo.state in revenue.NO_REVENUE:
        raise ValidationError(_("A cancelled or merged work order is not billed."))
    if isinstance(row, ChargeQuote):
        if not row.consented:
            raise ValidationError(_("The owner has not consented to this fee yet."))
        kind, amount, name = revenue.REPAIRS, row.fee, row.price_item.name
    else:
        if wo.kind != WorkOrder.Kind.SPECIAL_SERVICE or wo.agreed_price is None:
            raise ValidationError(_("Only a special service with an agreed price is billed."))
        kind, amount, name = revenue.SPECIAL, wo.agreed_price, wo.price_item.name if wo.price_item_id else ""
    payer = wo.requester if wo.requester_id and wo.requester.project_id == wo.project_id else None
    return post_charge(actor, unit=wo.unit, fee_item=item_for(wo.project_id, kind), source=source_of(row),
                       amount=amount, payer=payer, description=f"{name}（{wo.number}）")
