"""Demo data of the service desk: departments, limits, price lists and a few hundred work orders
with their history, so the queue, the cards and the figures have something true-to-life to show.

Deterministic (fixed seed); history is recorded with the time it happened and without notifying
anyone; open work orders are recent, so the queue shows live countdowns, a warning and a breach.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction

from propdesk.archive.models import Occupancy
from propdesk.org.models import Department, Project, User

from . import notices, services
from .models import Category, PriceItem, SlaPolicy
from .transitions import transition

SEED = 20261124

DEPARTMENTS = [("engineering", "工程部"), ("service", "客服部"), ("security", "秩序部"), ("cleaning", "保洁部"),
               ("greenery", "绿化部")]
STAFF_DEPARTMENTS = {"tech": "engineering", "guard": "security", "cleaner": "cleaning", "desk": "service",
                     "butler": "service", "desk2": "service"}
PRICES = [
    ("repair", "更换水龙头", "item", "80.00"), ("repair", "疏通下水道", "visit", "120.00"),
    ("repair", "更换灯具", "item", "50.00"), ("repair", "维修门锁", "visit", "60.00"),
    ("repair", "更换马桶配件", "item", "90.00"),
    ("special", "空调清洗", "item", "150.00"), ("special", "开锁", "visit", "80.00"),
    ("special", "家政保洁", "hour", "45.00"), ("special", "地板打蜡", "sqm", "8.00"),
]
# (kind, category code, emergency, text); {unit} is replaced by the unit's address.
REPORTS = [
    ("repair_home", "plumbing", True, "{unit}卫生间天花板漏水，水一直往下滴"),
    ("repair_home", "plumbing", True, "{unit}厨房水管爆了，地上全是水"),
    ("repair_home", "electrical", True, "{unit}家里突然停电了，总闸推不上去"),
    ("repair_home", "gas", True, "{unit}厨房闻到很重的煤气味"),
    ("repair_home", "plumbing", False, "{unit}洗手盆下水很慢，可能堵了"),
    ("repair_home", "electrical", False, "{unit}客厅插座没电"),
    ("repair_home", "doors-windows", False, "{unit}阳台推拉门关不严，漏风"),
    ("repair_home", "plumbing", False, "{unit}马桶一直流水，水箱配件坏了"),
    ("repair_home", "leak-roof-wall", False, "{unit}卧室墙角有水渍发霉"),
    ("repair_public", "elevator", True, "2单元电梯困人，有老人在里面"),
    ("repair_public", "elevator", False, "1单元电梯按键失灵"),
    ("repair_public", "electrical", False, "地下车库B区几盏灯不亮"),
    ("repair_public", "access-control", False, "小区东门门禁刷卡没反应"),
    ("repair_public", "greenery", False, "3栋门口的树枝挡住了路灯"),
    ("repair_public", "cleaning", False, "5栋楼道有人乱堆杂物"),
    ("complaint", "noise", False, "楼上装修噪音太大，晚上十点还在电钻"),
    ("complaint", "parking", False, "我的车位又被别人占了"),
    ("complaint", "service-attitude", False, "前台工作人员态度很差"),
    ("complaint", "cleaning", False, "垃圾桶满了两天没人清理，臭味很大"),
    ("complaint", "pets", False, "邻居的狗每天晚上叫个不停"),
    ("inquiry", "fees", False, "请问今年物业费怎么交，可以微信支付吗"),
    ("inquiry", "other", False, "装修需要办理什么手续"),
    ("inquiry", "parking", False, "想咨询一下月租车位还有没有"),
    ("suggestion", "greenery", False, "建议在儿童游乐区多种几棵树遮阴"),
    ("praise", "service-attitude", False, "感谢刘师傅半夜上门帮我修好了水管"),
]


def load_service_demo(now: datetime) -> int:
    """Create the service desk's demo data for every demo project; returns the work orders created."""
    rng = random.Random(SEED)
    created = 0
    with transaction.atomic(), notices.muted():
        for project in Project.objects.filter(code__in=["sunshine", "techpark"]).order_by("code"):
            departments = {code: Department.objects.create(project=project, code=code, name=name)
                           for code, name in DEPARTMENTS}
            SlaPolicy.objects.get_or_create(project=project)
            PriceItem.objects.bulk_create(PriceItem(project=project, kind=kind, name=name, unit=unit,
                                                    price=Decimal(price)) for kind, name, unit, price in PRICES)
            _assign_departments(project, departments)
            count = 200 if project.code == "sunshine" else 50
            created += _work_orders(project, departments, rng, now, count)
    return created


def _assign_departments(project, departments):
    for user in User.objects.filter(username__in=STAFF_DEPARTMENTS, projects=project):
        user.departments.add(departments[STAFF_DEPARTMENTS[user.username]])


def _work_orders(project, departments, rng, now, count) -> int:
    desk = User.objects.filter(projects=project, role=User.Role.FRONT_DESK).first()
    tech = User.objects.filter(projects=project, role=User.Role.TECHNICIAN).first()
    categories = {c.code: c for c in Category.objects.filter(project__isnull=True)}
    homes = list(Occupancy.objects.filter(unit__project=project, role=Occupancy.Role.OWNER, end_date__isnull=True)
                 .select_related("unit__building", "customer")[:400])
    channels = ["hotline", "hotline", "hotline", "walk_in", "wechat", "portal"]
    for i in range(count):
        kind, code, emergency, text = REPORTS[i % len(REPORTS)]
        home = rng.choice(homes)
        # Most are history (closed); the last dozen are recent and still open, for the live queue.
        open_now = i >= count - 12
        received = now - (timedelta(minutes=rng.randint(2, 150)) if open_now
                          else timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600)))
        public = kind == "repair_public"
        wo, _ = services.create_work_order(
            desk, project=project, kind=kind, channel=rng.choice(channels), received_at=received,
            description=text.format(unit=home.unit.full_label), category=categories[code],
            unit=None if public else home.unit, building=home.unit.building if public else None,
            location="公共区域" if public else "", requester=home.customer,
            priority="emergency" if emergency else "normal")
        if open_now:
            if i % 3 == 0:
                transition(desk, wo, "dispatch", assignee=tech, at=received + timedelta(minutes=1))
            continue
        _history(wo, desk, tech, departments, rng, received)
    return count


def _history(wo, desk, tech, departments, rng, received):
    """Run a past work order through its life at plausible times."""
    step = received
    late = rng.random() < 0.12  # some limits were missed, so the figures are not all perfect

    def later(minutes):
        nonlocal step
        step = step + timedelta(minutes=minutes)
        return step

    if wo.kind in ("inquiry", "suggestion", "praise"):
        wo = transition(desk, wo, "resolve", note="已答复业主", at=later(rng.randint(3, 40)))
    else:
        wo = transition(desk, wo, "dispatch", assignee=tech, department=departments["engineering"],
                        at=later(rng.randint(1, 10)))
        respond_after = rng.randint(35, 180) if late else rng.randint(5, 25 if wo.priority == "emergency" else 90)
        wo = transition(tech, wo, "respond", at=later(respond_after))
        wo = transition(tech, wo, "start", at=later(rng.randint(1, 20)))
        resolve_after = rng.randint(60, 300) + (24 * 60 if late and wo.kind == "complaint" else 0)
        explanation = "涉及多个业主协调，已向业主说明原因" if late and wo.kind == "complaint" else ""
        wo = transition(tech, wo, "resolve", note="已处理完毕", late_explanation=explanation,
                        at=later(resolve_after))
    if rng.random() < 0.8:
        wo = transition(desk, wo, "confirm", at=later(rng.randint(30, 600)))
    rating = rng.choices([5, 4, 3, 2, 1], weights=[55, 25, 10, 6, 4])[0]
    wo = transition(desk, wo, "callback", rating=rating, note="回访完成", at=later(rng.randint(60, 2000)))
    transition(desk, wo, "close", at=later(rng.randint(1, 60)))
