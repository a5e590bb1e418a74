"""Demo data of public affairs (settings.DEMO_LOADERS): a realistic, deterministic set in 阳光花园 and 科技园写字楼.

Written through the services where the rules matter (handovers and their warranty work orders, permits,
patrols, passes, releases, allocations, visits, found items); dates in the past are then set on the rows,
as a real service center's history would have them.
"""

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from propdesk.archive.models import Occupancy
from propdesk.billing import payments
from propdesk.org.models import Project, User

from . import charges, handover, lost_found, parking, release, renovation, visitors
from .models import FoundItem, Handover, ParkingAllocation, PatrolInspection, Renovation

SEED = 13


def _photo(rng, name="现场照片.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (rng.randint(90, 220), rng.randint(90, 220), rng.randint(90, 220))).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def _owner_units(project, count, rng, role=Occupancy.Role.OWNER):
    rows = list(Occupancy.objects.current().filter(unit__project=project, role=role)
                .select_related("unit__building", "customer").order_by("unit_id")[:400])
    rng.shuffle(rows)
    seen, out = set(), []
    for occ in rows:
        if occ.unit_id not in seen:
            seen.add(occ.unit_id)
            out.append(occ)
        if len(out) == count:
            break
    return out


def load_affairs_demo(now) -> str:
    """Handovers, renovations with permits and patrol findings, passes and releases, parking, visitors and
    found items; returns a one-line summary."""
    sunshine = Project.objects.filter(code="sunshine").first()
    if sunshine is None or Handover.objects.filter(unit__project=sunshine).exists():
        return "public affairs: nothing to do"
    rng = random.Random(SEED)
    staff = {u.username: u for u in User.objects.filter(username__in=["desk", "manager", "guard", "tech", "desk2",
                                                                      "manager2"])}
    desk, manager, guard, tech = staff["desk"], staff["manager"], staff["guard"], staff["tech"]
    today = timezone.localdate(now)
    with transaction.atomic():
        counts = {
            "handovers": _handovers(sunshine, desk, rng, today),
            "renovations": _renovations(sunshine, desk, manager, guard, tech, rng, now),
            "passes": _passes(sunshine, desk, guard, rng, today),
            "allocations": _parking(sunshine, desk, rng, today),
            "visits": _visitors(sunshine, guard, rng, now),
            "found": _found(sunshine, guard, desk, manager, rng, now),
        }
    return ("public affairs: {handovers} handovers, {renovations} renovations, {passes} release passes, "
            "{allocations} parking allocations, {visits} visits, {found} found items").format(**counts)


def _handovers(project, desk, rng, today) -> int:
    occs = _owner_units(project, 6, rng)
    defects = [("窗户及玻璃", "主卧窗玻璃有裂纹"), ("给排水及卫浴", "卫生间地漏返味"), ("墙面地面", "客厅地砖空鼓两块")]
    for n, occ in enumerate(occs[:5]):
        h = handover.start_handover(desk, unit=occ.unit, customer=occ.customer, date=today - dt.timedelta(days=3 + n * 9))
        open_one = n == 4
        for line in h.lines.all():
            if open_one and line.position > 6:
                break
            name_note = next((d for d in defects if d[0] == line.name), None)
            if name_note and n < 3 and rng.random() < 0.7:
                handover.record_line(desk, line, status="defective", note=name_note[1], photos=[_photo(rng)])
            else:
                reading = (rng.randint(0, 300) + rng.randint(0, 99) / 100) if line.group == "meters" else None
                handover.record_line(desk, line, status="ok", quantity=line.expected_quantity, reading=reading)
        if not open_one:
            handover.sign_handover(desk, h, signed_by=occ.customer.name)
    # a move-out inspection: cabling left in the ceiling by the previous tenant (seed 001)
    occ = occs[5] if len(occs) > 5 else occs[0]
    moving_in = handover.start_handover(desk, unit=occ.unit, customer=occ.customer, date=today - dt.timedelta(days=400))
    for line in moving_in.lines.all():
        handover.record_line(desk, line, status="ok", quantity=line.expected_quantity,
                             reading=100 if line.group == "meters" else None)
    handover.sign_handover(desk, moving_in, signed_by=occ.customer.name)
    out = handover.start_handover(desk, unit=occ.unit, customer=occ.customer, kind=Handover.Kind.MOVE_OUT)
    extra = handover.add_line(desk, out, name="吊顶内遗留网线")
    handover.record_line(desk, extra, status="defective", note="前租户在吊顶内遗留网线未拆除", photos=[_photo(rng)])
    return 7


def _renovations(project, desk, manager, guard, tech, rng, now) -> int:
    today = timezone.localdate(now)
    occs = _owner_units(project, 4, random.Random(SEED + 1))
    plans = [("厨卫改造、全屋墙面翻新", "美居装饰工程有限公司", "周建军", "13512345678"),
             ("阳台封窗、加装储物柜", "安家装饰设计有限公司", "吴国庆", "13687654321"),
             ("全屋地板更换", "木匠之家装饰有限公司", "钱立新", "13711112222"),
             ("卫生间防水重做", "宏达装修队", "孙建", "13822223333")]
    made = []
    for occ, (scope, contractor, foreman, phone) in zip(occs, plans, strict=False):
        made.append(renovation.apply(desk, unit=occ.unit, applicant=occ.customer, scope=scope, contractor=contractor,
                                     foreman=foreman, foreman_phone=phone, workers=f"{foreman} {phone}\n李师傅 13900002222",
                                     planned_start=today, planned_end=today + dt.timedelta(days=60),
                                     attachments=[_photo(rng, "平面布置图.png")]))
    active1, active2, waiting, done = made
    renovation.review(manager, active1, decision="conditions", conditions="每日18:00后及周末不得进行噪音施工")
    renovation.review(manager, active2, decision="approve")
    renovation.review(manager, done, decision="approve")
    for r, deposit in ((active1, "3000"), (active2, "2000"), (done, "2000")):
        renovation.sign_agreement(desk, r, signed_by=r.applicant.name, deposit=deposit,
                                  deposit_receipt=f"SJ{rng.randint(100000, 999999)}", fee="300", fee_receipt="GL-0012")
    renovation.issue_permit(tech, active1, location="厨房", work="燃气管道焊接", starts_at=now - dt.timedelta(hours=2),
                            ends_at=now + dt.timedelta(days=2), fire_watch="李师傅", extinguisher_checked=True)
    renovation.issue_permit(tech, active2, location="阳台", work="窗框切割", starts_at=now - dt.timedelta(days=4),
                            ends_at=now - dt.timedelta(days=2), fire_watch="吴国庆", extinguisher_checked=True)
    renovation.record_patrol(guard, active1, result="ok", now=now - dt.timedelta(days=2))
    renovation.record_patrol(guard, active2, result="violation", findings="阳台动火作业无看火人在场，灭火器未放置",
                             photos=[_photo(rng)], notice="立即停止动火，落实看火人和灭火器后方可继续",
                             deadline=today + dt.timedelta(days=1), now=now - dt.timedelta(hours=5))
    renovation.accept(tech, done, items=[("水电隐蔽工程", True, ""), ("防水闭水试验", True, ""),
                                         ("公共走道及电梯保护", False, "电梯轿厢壁板划伤")])
    # the deposits were paid at the cashier on signing (billing holds them); the finished one is refunded
    for r in (active1, active2, done):
        deposit = charges.renovation_deposit(r)
        payments.take_payment(desk, r.unit, amount=deposit.amount, method="bank", deposit=deposit,
                              reference=r.deposit_receipt, received_at=now - dt.timedelta(days=20))
    renovation.refund_deposit(manager, done, deductions=[("300", "电梯轿厢壁板修复")], voucher="TK-2026-031")
    # the works of the active ones began some weeks ago
    Renovation.objects.filter(pk__in=[active1.pk, active2.pk]).update(
        planned_start=today - dt.timedelta(days=21), submitted_at=now - dt.timedelta(days=25))
    PatrolInspection.objects.filter(renovation=active1).update(done_at=now - dt.timedelta(days=2))
    return len(made)


def _passes(project, desk, guard, rng, today) -> int:
    tenants = _owner_units(project, 3, random.Random(SEED + 2), role=Occupancy.Role.TENANT)
    owners = _owner_units(project, 3, random.Random(SEED + 3))
    made = 0
    for occ, items in zip(owners, [[("旧沙发", 1), ("纸箱", 6)], [("钢琴", 1)], [("床垫", 2), ("衣柜", 1)]],
                          strict=False):
        p = release.apply_pass(desk, unit=occ.unit, applicant=occ.customer, items=items, carrier="顺达搬家公司")
        release.release(guard, p, quantities={i.pk: i.quantity for i in p.items.all()})
        made += 1
    for n, occ in enumerate(tenants):
        p = release.apply_pass(desk, unit=occ.unit, applicant=occ.customer, carrier=occ.customer.name,
                               items=[("办公桌", 4), ("办公椅", 6), ("电脑主机", 3)])
        made += 1
        owner = next((o.customer for o in Occupancy.objects.current().filter(unit=occ.unit, role="owner")
                      .select_related("customer")), None)
        if owner is None or n == 0:
            continue  # the first one still waits for its owner
        desk_item, chair, pc = p.items.all()
        release.authorise_in_portal(owner, p, quantities={desk_item.pk: 4, chair.pk: 6, pc.pk: 0})
        release.release(guard, p, quantities={desk_item.pk: 2, chair.pk: 6})
        if n == 2:
            release.set_hold(owner, occ.unit, reason="租金未付清")
    return made


def _parking(project, desk, rng, today) -> int:
    owners = _owner_units(project, 14, random.Random(SEED + 4))
    spaces = [parking.add_space(desk, project, number=f"B1-{n:03d}", zone="地下一层B区" if n <= 12 else "地下一层C区",
                                kind="owned" if n <= 6 else "rented" if n <= 18 else "visitor") for n in range(1, 23)]
    made = 0
    for n, (space, occ) in enumerate(zip(spaces[:14], owners, strict=False)):
        plate = f"粤B{rng.choice('ACDEFGHJK')}{rng.randint(1000, 9999)}"
        if space.kind == "owned":
            parking.allocate(desk, space, unit=occ.unit, customer=occ.customer, start_date=today, plates=plate)
        else:
            end = today + dt.timedelta(days=12 + n * 11)
            parking.allocate(desk, space, unit=occ.unit, customer=occ.customer, start_date=today, end_date=end,
                             plates=plate, monthly_price="350.00" if space.zone.endswith("B区") else "300.00",
                             receipt=f"TC{rng.randint(10000, 99999)}")
        made += 1
    ParkingAllocation.objects.filter(space__project=project, end_date__isnull=False).update(
        start_date=today - dt.timedelta(days=180))
    return made


def _visitors(project, guard, rng, now) -> int:
    occs = _owner_units(project, 8, random.Random(SEED + 5))
    names = ["孙丽华", "周国平", "吴晓燕", "郑海涛", "冯秀兰", "陈建业", "褚玉梅", "卫东升"]
    purposes = ["探亲", "送货", "访友", "维修", "家政服务"]
    made = 0
    for n, occ in enumerate(occs):
        id_number = f"4403{rng.randint(10, 99)}19{rng.randint(60, 99)}0{rng.randint(1, 9)}{rng.randint(10, 28)}{rng.randint(1000, 9999)}"
        for repeat in range(1 + n % 3):
            visit = visitors.register_visit(guard, project, unit_text=occ.unit.label, name=names[n],
                                            id_number=id_number, phone=f"133{rng.randint(10000000, 99999999)}"
                                            if repeat == 0 else "", purpose=rng.choice(purposes),
                                            people=1 + n % 2, now=now - dt.timedelta(days=repeat * 6, hours=n))
            if repeat or n % 2:
                visitors.check_out(guard, visit, now=visit.checked_in_at + dt.timedelta(hours=1, minutes=20))
            made += 1
    visitors.pre_register(occs[0].customer, occs[0].unit, visitor_name="钱立群", date=timezone.localdate(now),
                          people=2, purpose="聚餐")
    return made


def _found(project, guard, desk, manager, rng, now) -> int:
    building = project.buildings.order_by("code").first()
    specs = [("黑色双肩包", "笔记本电脑一台、工牌", "1", "大堂休息区", 1), ("钥匙一串（3把）", "", "B1", "地下车库电梯口", 3),
             ("儿童滑板车", "", "", "中心花园", 12), ("钱包", "身份证、银行卡两张、现金若干", "1", "3栋电梯内", 2),
             ("雨伞", "", "1", "物业服务中心门口", 200)]
    items = []
    for what, contents, floor, place, days in specs:
        items.append(lost_found.register_item(
            guard, project, description=what, contents=contents, building=building, floor=floor, place=place,
            found_at=now - dt.timedelta(minutes=30), kept_at="物业服务中心失物柜", finder_name="保洁员何秀英",
            finder_phone="13800138000", photos=[_photo(rng)]))
        FoundItem.objects.filter(pk=items[-1].pk).update(found_at=now - dt.timedelta(days=days))
    lost_found.claim_item(desk, items[3], claimant_name="马文斌", id_type="resident_id", id_number="440305198807071234",
                          described_contents="黑色钱包，内有身份证和两张银行卡", paper_reference="LQ-2026-118")
    lost_found.post_unclaimed(now)
    items[4].refresh_from_db()
    lost_found.dispose_item(manager, items[4], note="无人认领，移交社区公益捐赠点", now=now)
    return len(items)

