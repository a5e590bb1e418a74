"""Demo data of fees (settings.DEMO_LOADERS): 阳光花园's fee items and standards, two posted months and this
month's run previewed, payments at the desk and online with their receipts, prepayments, a few homes in
arrears with their reminders, a payment plan, a deposit, a correction awaiting approval and a published
income and expense statement. Deterministic (seeded), written through the services, a few seconds.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from propdesk.archive.models import Occupancy
from propdesk.org.models import Project, Unit, User

from . import corrections, money, payments, reminders, runs, standards, statements
from .models import OPEN, ChargeLine, FeeItem, UnitAccount

SEED = 14
D = Decimal
PAYING_PERCENT = 60  # of the homes, who pay each month at the desk (the rest: online later, or in arrears)


def _post(actor, project, period: dt.date, post: bool = True):
    run = runs.open_run(actor, project, period)
    runs.start_preview(actor, run)
    runs.preview(run.pk)
    run.refresh_from_db()
    if post:
        runs.start_posting(actor, run, run.preview["digest"])
        runs.post(run.pk, actor.pk)
        run.refresh_from_db()
    return run


def load_billing_demo(now) -> str:
    """Fees of 阳光花园; returns a one-line summary."""
    sunshine = Project.objects.filter(code="sunshine").first()
    if sunshine is None or FeeItem.objects.filter(project=sunshine).exists():
        return "fees: nothing to do"
    staff = {u.username: u for u in User.objects.filter(username__in=["desk", "manager"])}
    desk, manager = staff["desk"], staff["manager"]
    rng = random.Random(SEED)
    today = timezone.localdate(now)
    this_month = money.month_start(today)
    months = [money.previous_month(money.previous_month(this_month)), money.previous_month(this_month)]
    with transaction.atomic():
        items = _items(sunshine, desk, months[0], this_month)
        _accounts(sunshine, rng)
        for month in months:
            _post(desk, sunshine, month)
        _post(desk, sunshine, this_month, post=False)
        paid = _payments(sunshine, desk, rng, months, now)
        arrears = _arrears(sunshine, desk, manager, rng, today)
        _corrections(sunshine, desk, items, rng)
        _statement(sunshine, desk, manager, months[-1])
    units = Unit.objects.filter(project=sunshine).count()
    return (f"fees: {len(items)} fee items, {units} homes billed for {months[0]:%Y-%m} and {months[1]:%Y-%m}, "
            f"{paid} payments, {arrears} reminders sent, one statement published")


def _items(project, desk, since, this_month) -> list[FeeItem]:
    def item(code, name, kind, accounting, sort, **extra):
        return standards.save_fee_item(desk, project, {"code": code, "name": name, "kind": kind,
                                                       "accounting": accounting, "sort": sort, **extra})

    prop = item("property", "物业服务费", "property", "property_fee", 1,
                description="按建筑面积计收，含公共区域保洁、秩序维护、绿化养护、共用设施设备维护")
    rubbish = item("rubbish", "生活垃圾清运费", "fixed", "property_fee", 2)
    parking = item("parking", "车位租金", "parking", "parking", 3)
    water = item("water", "二次供水水费", "metered", "utilities", 4, meter_unit="吨")
    deposit = item("reno_deposit", "装修押金", "deposit", "deposit", 9, is_published=True)
    start = dt.date(2021, 1, 1)
    standards.add_standard(desk, prop, price="2.50", effective_from=start, note="2020 年业主大会决议")
    standards.add_standard(desk, prop, unit_type="shop", price="5.80", effective_from=start)
    # the price change agreed by the owners' assembly applies from this month on (posted bills keep 2.50)
    standards.add_standard(desk, prop, price="2.80", effective_from=this_month, note="业主大会表决通过的调价")
    standards.add_standard(desk, rubbish, price="8.00", effective_from=start)
    standards.add_standard(desk, parking, price="300.00", effective_from=start)
    standards.add_standard(desk, water, price="4.20", effective_from=start, note="深圳市居民用水价格")
    units = list(Unit.objects.filter(project=project, building__code="1").order_by("id"))
    for n, unit in enumerate(units):
        value = D(1000 + n * 7)
        standards.enter_reading(desk, unit, water, period=since, value=value, previous=value - 9)
        standards.enter_reading(desk, unit, water, period=money.next_month(since), value=value + 8 + n % 5)
    return [prop, rubbish, parking, water, deposit]


def _accounts(project, rng) -> None:
    """Parking spaces rented by about one home in eight (the fee facts the run reads)."""
    units = list(Unit.objects.filter(project=project).order_by("id").values_list("id", flat=True))
    UnitAccount.objects.bulk_create([UnitAccount(project=project, unit_id=pk, parking_spaces=1)
                                     for pk in units if rng.randrange(8) == 0], ignore_conflicts=True)


def _payments(project, desk, rng, months, now) -> int:
    """Most homes pay each month's bill (cash, bank transfer or card); some prepay a quarter; the rest owe."""
    open_by_unit: dict[int, D] = {}
    for unit_id, outstanding in ChargeLine.objects.filter(OPEN, project=project).values_list(
            "unit_id", "outstanding"):
        open_by_unit[unit_id] = open_by_unit.get(unit_id, D(0)) + outstanding
    units = Unit.objects.in_bulk(list(open_by_unit))
    count = 0
    for unit_id in sorted(open_by_unit):
        roll = rng.randrange(100)
        if roll >= PAYING_PERCENT:
            continue  # pays online later, or owes (the arrears the ladder climbs)
        method = rng.choice(["cash", "bank", "pos", "pos"])
        extra = D(rng.choice([0, 0, 0, 300, 600])) if roll < 10 else D(0)
        payments.take_payment(desk, units[unit_id], amount=open_by_unit[unit_id] + extra, method=method,
                              prepay_rest=bool(extra), received_at=now - dt.timedelta(days=rng.randint(1, 20)))
        count += 1
    return count


def _arrears(project, desk, manager, rng, today) -> int:
    """The ladder run over the last weeks (first notices), and a payment plan agreed with one household."""
    sent = 0
    for days_ago in (21, 14, 7, 0):
        report = reminders.run_reminders(today=today - dt.timedelta(days=days_ago), project_ids=[project.pk])
        sent += sum(report.values())
    owing = (ChargeLine.objects.filter(OPEN, project=project, due_date__lt=today)
             .order_by("unit_id").values_list("unit_id", flat=True).first())
    if owing:
        reminders.agree_plan(manager, Unit.objects.get(pk=owing), terms="每月 10 日前还款 500 元，至欠费还清",
                             until=today + dt.timedelta(days=120), today=today)
    return sent


def _corrections(project, desk, items, rng) -> None:
    """A renovation deposit demanded and paid, and a vacancy credit awaiting the manager's approval."""
    deposit_item = items[-1]
    owners = list(Occupancy.objects.current().filter(unit__project=project, role=Occupancy.Role.OWNER)
                  .select_related("unit").order_by("unit_id")[:40])
    renovating = owners[rng.randrange(len(owners))]
    deposit, _created = corrections.demand_deposit(desk, unit=renovating.unit, fee_item=deposit_item,
                                                   amount="2000", source="demo:renovation",
                                                   description="装修押金（装修期间）")
    payments.take_payment(desk, renovating.unit, amount="2000", method="bank", deposit=deposit, reference="转账")
    line = ChargeLine.objects.filter(OPEN, project=project, fee_item=items[0]).order_by("id").first()
    if line is not None:
        corrections.request_credit(desk, line, amount=min(line.outstanding, D("50.00")),
                                   reason="房屋空置且已报备，按物业服务合同减免部分物业费")


def _statement(project, desk, manager, month) -> None:
    lines = statements.fee_income(project, month) or []
    lines += [
        {"side": "income", "category": "公共收益（电梯广告位租金）", "amount": "12600.00"},
        {"side": "expense", "category": "人员工资及社保", "amount": "186400.00"},
        {"side": "expense", "category": "公共区域保洁外包", "amount": "42800.00"},
        {"side": "expense", "category": "电梯维保（32 台）", "amount": "19200.00"},
        {"side": "expense", "category": "公共水电费", "amount": "23560.80"},
        {"side": "expense", "category": "绿化养护", "amount": "8600.00"},
    ]
    statement = statements.save_statement(desk, project, month, lines,
                                          note="公共收益单独列示，其中 50% 计入业主共有资金。如有疑问请到服务中心查阅凭证。")
    statements.submit(desk, statement)
    statements.decide(manager, statement, approve=True)
    statements.publish(manager, statement)
