"""What a month charges a unit (issue 14, items 1 and 2): proration by days from handover, move-in and
a standard change, the owner or the tenant, "from the month after handover", metered readings."""

import datetime as dt
from decimal import Decimal

from propdesk.billing import calc

D = Decimal
MARCH = dt.date(2027, 3, 1)
PROPERTY, RUBBISH, WATER = 1, 2, 3
ITEMS = [calc.Item(PROPERTY, "物业服务费", "property"), calc.Item(RUBBISH, "垃圾清运费", "fixed"),
         calc.Item(WATER, "水费", "metered")]
OWNER, TENANT, BUYER = 100, 200, 300


def project(standards=None, next_month=False, period=MARCH):
    standards = standards or [calc.Standard(11, PROPERTY, "", D("2.50"), dt.date(2020, 1, 1), None),
                              calc.Standard(12, RUBBISH, "", D("10"), dt.date(2020, 1, 1), None),
                              calc.Standard(13, WATER, "", D("3.50"), dt.date(2020, 1, 1), None)]
    return calc.Project(period=period, items=ITEMS, standards=standards, next_month_start=next_month)


def unit(**kw):
    kw.setdefault("owners", [calc.Span(dt.date(2020, 1, 1), None, OWNER)])
    return calc.UnitFacts(unit_id=1, label="3-2-1201", area=D("89.50"), unit_type="residential",
                          fee_start=kw.pop("fee_start", None), **kw)


def amounts(plan):
    return [(line.fee_item_id, line.payer_id, line.start.day, line.end.day, line.amount) for line in plan.lines]


def test_a_whole_month_is_area_times_price():
    plan = calc.plan_unit(project(), unit())
    assert amounts(plan) == [(PROPERTY, OWNER, 1, 31, D("223.75")), (RUBBISH, OWNER, 1, 31, D("10.00"))]


def test_handover_mid_month_bills_the_days_from_handover():
    plan = calc.plan_unit(project(), unit(fee_start=dt.date(2027, 3, 16),
                                          owners=[calc.Span(dt.date(2027, 3, 16), None, OWNER)]))
    # 223.75 × 16/31 = 115.4838… and 10 × 16/31 = 5.1612…
    assert amounts(plan) == [(PROPERTY, OWNER, 16, 31, D("115.48")), (RUBBISH, OWNER, 16, 31, D("5.16"))]


def test_a_project_may_bill_from_the_month_after_handover():
    facts = unit(fee_start=dt.date(2027, 3, 16), owners=[calc.Span(dt.date(2027, 3, 16), None, OWNER)])
    assert calc.plan_unit(project(next_month=True), facts).skipped == calc.SKIP_NOT_STARTED
    april = calc.plan_unit(project(next_month=True, period=dt.date(2027, 4, 1)), facts)
    assert amounts(april)[0] == (PROPERTY, OWNER, 1, 30, D("223.75"))


def test_a_tenant_who_pays_is_billed_from_move_in_and_the_owner_before():
    tenant = calc.Span(dt.date(2027, 3, 11), dt.date(2028, 3, 10), TENANT)
    plan = calc.plan_unit(project(), unit(tenants=[tenant]))
    assert amounts(plan) == [
        (PROPERTY, OWNER, 1, 10, D("72.18")),    # 223.75 × 10/31 = 72.177…
        (PROPERTY, TENANT, 11, 31, D("151.57")),  # 223.75 × 21/31 = 151.572…
        (RUBBISH, OWNER, 1, 10, D("3.23")),
        (RUBBISH, TENANT, 11, 31, D("6.77")),
    ]


def test_a_standard_change_mid_month_cuts_the_line():
    standards = [calc.Standard(11, PROPERTY, "", D("2.50"), dt.date(2020, 1, 1), dt.date(2027, 3, 20)),
                 calc.Standard(14, PROPERTY, "", D("2.80"), dt.date(2027, 3, 21), None)]
    plan = calc.plan_unit(project(standards), unit())
    assert amounts(plan) == [(PROPERTY, OWNER, 1, 20, D("144.35")),   # 223.75 × 20/31
                             (PROPERTY, OWNER, 21, 31, D("88.92"))]   # 250.60 × 11/31 = 88.9225…


def test_a_unit_sold_mid_month_bills_each_owner_their_days():
    owners = [calc.Span(dt.date(2020, 1, 1), dt.date(2027, 3, 15), OWNER), calc.Span(dt.date(2027, 3, 16), None, BUYER)]
    plan = calc.plan_unit(project(), unit(owners=owners))
    assert [(p, s, e) for _i, p, s, e, _a in amounts(plan)][:2] == [(OWNER, 1, 15), (BUYER, 16, 31)]


def test_a_unit_type_standard_wins_over_the_general_one():
    standards = [calc.Standard(11, PROPERTY, "", D("2.50"), dt.date(2020, 1, 1), None),
                 calc.Standard(15, PROPERTY, "shop", D("6.00"), dt.date(2020, 1, 1), None)]
    shop = unit()
    shop.unit_type = "shop"
    assert amounts(calc.plan_unit(project(standards), shop)) == [(PROPERTY, OWNER, 1, 31, D("537.00"))]


def test_units_skipped_say_why():
    assert calc.plan_unit(project(), unit(owners=[])).skipped == calc.SKIP_NO_PAYER
    assert calc.plan_unit(project(), unit(fee_start=dt.date(2027, 4, 2))).skipped == calc.SKIP_NOT_STARTED
    empty = project(standards=[calc.Standard(13, WATER, "", D("3.5"), dt.date(2020, 1, 1), None)])
    assert calc.plan_unit(empty, unit()).skipped == calc.SKIP_NO_STANDARD


def test_days_without_a_payer_are_not_billed_and_counted():
    owners = [calc.Span(dt.date(2020, 1, 1), dt.date(2027, 3, 10), OWNER)]
    plan = calc.plan_unit(project(), unit(owners=owners, fee_start=dt.date(2020, 1, 1)))
    assert amounts(plan)[0] == (PROPERTY, OWNER, 1, 10, D("72.18"))
    assert plan.unbilled_days == 21


def test_a_metered_item_bills_the_reading_unprorated():
    facts = unit(readings=[calc.Reading(7, WATER, dt.date(2027, 3, 25), D("12.30"))])
    water = [line for line in calc.plan_unit(project(), facts).lines if line.fee_item_id == WATER]
    assert [(w.quantity, w.unit_price, w.amount, w.reading_id) for w in water] == [(D("12.30"), D("3.50"), D("43.05"), 7)]


def test_late_fees_are_capped_at_the_principal_and_never_compounded():
    line = calc.OpenLine(1, 1, OWNER, PROPERTY, D("100.00"), D("100.00"), dt.date(2027, 1, 15), D("0"))
    fee = calc.late_fee(line, rate=D("0.0005"), month=dt.date(2027, 2, 1), late_fee_item_id=9)
    assert (fee.amount, fee.days, fee.start) == (D("1.40"), 28, dt.date(2027, 2, 1))  # 100 × 0.0005 × 28
    nearly = calc.OpenLine(1, 1, OWNER, PROPERTY, D("100.00"), D("100.00"), dt.date(2020, 1, 15), D("99.50"))
    assert calc.late_fee(nearly, rate=D("0.0005"), month=dt.date(2027, 2, 1), late_fee_item_id=9).amount == D("0.50")
    capped = calc.OpenLine(1, 1, OWNER, PROPERTY, D("100.00"), D("100.00"), dt.date(2020, 1, 15), D("100.00"))
    assert calc.late_fee(capped, rate=D("0.0005"), month=dt.date(2027, 2, 1), late_fee_item_id=9) is None
    assert calc.late_fee(line, rate=D("0"), month=dt.date(2027, 2, 1), late_fee_item_id=9) is None


def test_the_digest_changes_when_a_line_changes():
    plan = calc.plan_unit(project(), unit())
    other = calc.plan_unit(project([calc.Standard(11, PROPERTY, "", D("2.51"), dt.date(2020, 1, 1), None)]), unit())
    assert calc.digest(plan.lines) == calc.digest(list(reversed(plan.lines)))
    assert calc.digest(plan.lines) != calc.digest(other.lines)
