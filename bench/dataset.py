"""Generate the large benchmark dataset: 1 company, 20 projects, 100,000 units, ~100,000 customers,
1,000,000 work orders (≈95 % closed history over two years, ≈5 % open and recent) with their timers.

    .venv/bin/python bench/dataset.py                      # SQLite: var/bench/service-1m.sqlite3
    DATABASE_URL=postgres://… .venv/bin/python bench/dataset.py
    options: --projects 20 --units 5000 --orders 50000 (per project), --open-share 0.05

Into a fresh database (migrated here). Resumable: each project is written in one transaction with
ids derived from its number, so a run that was interrupted continues with the first missing project;
a complete dataset is refused. Speed: bulk inserts with explicit primary keys (no RETURNING, the
timers are built before their work orders reach the database), next_due_at set directly, no
timeline for the history and no notifications. Ends with ANALYZE and stores the reference time of the
dataset ("now" of the generation) in the cache table, for the SLA sweep benchmark.
"""

import argparse
import random
import sys
import time
from datetime import timedelta

from _big import DATASET_KEY, db_label, setup_django

SEED = 61
ID_STRIDE = 10_000_000  # ids of project n start at n * ID_STRIDE (work orders, timers, units, customers)

KINDS = [("repair_home", 45), ("repair_public", 15), ("complaint", 12), ("inquiry", 17), ("suggestion", 4),
         ("praise", 3), ("special_service", 4)]
CHANNELS = [("hotline", 50), ("walk_in", 15), ("portal", 10), ("wechat", 20), ("email", 2), ("door_visit", 3)]
OPEN_STATES = [("received", 25), ("responded", 20), ("dispatched", 25), ("in_progress", 22), ("on_hold", 4),
               ("transferred", 2), ("reopened", 2)]
CLOSED_STATES = [("closed", 90), ("cancelled", 3), ("resolved", 3), ("called_back", 4)]
TEXTS = {
    "repair_home": ["卫生间天花板漏水", "厨房水管爆了", "客厅插座没电", "马桶一直流水", "阳台推拉门关不严",
                    "洗手盆下水很慢", "卧室墙角有水渍发霉", "热水器打不着火"],
    "repair_public": ["电梯按键失灵", "地下车库几盏灯不亮", "门禁刷卡没反应", "楼道声控灯坏了", "消防门闭门器坏了"],
    "complaint": ["楼上装修噪音太大", "车位被别人占了", "垃圾桶满了没人清理", "邻居的狗晚上叫个不停",
                  "前台工作人员态度很差"],
    "inquiry": ["物业费怎么交", "装修需要办理什么手续", "月租车位还有没有", "停水通知什么时候恢复"],
    "suggestion": ["建议儿童游乐区多种几棵树", "建议增加电动车充电桩"],
    "praise": ["感谢师傅半夜上门修好水管", "保安很负责"],
    "special_service": ["预约空调清洗", "预约家政保洁", "开锁服务"],
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文辉"


def pick(rng, weighted):
    total = sum(w for _, w in weighted)
    r = rng.uniform(0, total)
    for value, w in weighted:
        r -= w
        if r <= 0:
            return value
    return weighted[-1][0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--projects", type=int, default=20)
    ap.add_argument("--units", type=int, default=5000, help="units (and owners) per project")
    ap.add_argument("--orders", type=int, default=50_000, help="work orders per project")
    ap.add_argument("--open-share", type=float, default=0.05)
    ap.add_argument("--batch", type=int, default=5000)
    args = ap.parse_args()
    setup_django()

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from propdesk.service.models import WorkOrder

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    info = cache.get(DATASET_KEY)
    if info and info.get("complete"):
        sys.exit(f"This database already holds a complete benchmark dataset ({info['work_orders']:,} work "
                 f"orders, generated {info['generated']}); use a fresh database.")
    if WorkOrder.objects.filter(project__code__startswith="bench-").count() != WorkOrder.objects.count():
        sys.exit("This database holds work orders that are not benchmark data: use a fresh database.")
    print(f"dataset on {db_label()}: {args.projects} projects × {args.units:,} units, "
          f"{args.orders:,} work orders each", flush=True)

    from django.utils import timezone

    if info is None:
        info = {"now": timezone.now().replace(microsecond=0).isoformat(), "complete": False}
        cache.set(DATASET_KEY, info, None)
    from datetime import datetime

    now = datetime.fromisoformat(info["now"])
    base = _base(now)
    totals = {"units": 0, "customers": 0, "work_orders": 0, "timers": 0}
    for n in range(1, args.projects + 1):
        counts = _project(n, base, now, args)
        for k, v in counts.items():
            totals[k] += v
    t_analyze = time.perf_counter()
    _finish()
    print(f"  sequences reset and statistics refreshed in {time.perf_counter() - t_analyze:.1f} s", flush=True)
    elapsed = time.perf_counter() - t0
    info.update(complete=True, generated=timezone.now().isoformat(timespec="seconds"), seconds=round(elapsed, 1),
                projects=args.projects, units=args.units * args.projects,
                work_orders=WorkOrder.objects.count(), open_share=args.open_share,
                database=connection.vendor)
    cache.set(DATASET_KEY, info, None)
    print(f"done: {info['work_orders']:,} work orders in {elapsed:.0f} s ({elapsed / 60:.1f} min)", flush=True)


def _base(now):
    """Company, projects, shared staff and limits: small, created once."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from propdesk.org.models import Company, User

    with transaction.atomic():
        company, _ = Company.objects.get_or_create(name="基准物业服务有限公司")
        password = make_password("bench-password")
        admin, _ = User.objects.get_or_create(username="bench-admin", defaults={
            "role": User.Role.COMPANY_ADMIN, "company": company, "password": password, "is_staff": True})
    return {"company": company, "password": password, "admin": admin}


def _project(n, base, now, args):
    """One project with everything in it, in one transaction; skipped when already complete."""
    from django.db import transaction

    from propdesk.archive.models import Customer, CustomerPhone, Occupancy
    from propdesk.org.models import Building, Department, Project, Unit, User
    from propdesk.service.models import Category, SlaPolicy, SlaTimer, WorkOrder

    code = f"bench-{n:02d}"
    project = Project.objects.filter(code=code).first()
    if project and WorkOrder.objects.filter(project=project).count() == args.orders:
        print(f"  {code}: already complete, skipped", flush=True)
        return {}
    rng = random.Random(SEED * 1000 + n)
    start = time.perf_counter()
    bs = args.batch
    with transaction.atomic():
        project = Project.objects.create(company=base["company"], code=code, name=f"基准花园{n}期",
                                         address=f"深圳市南山区基准路{n}号", phone="0755-8888" + f"{n:04d}")
        SlaPolicy.objects.create(project=project)
        departments = [Department.objects.create(project=project, code=c, name=name) for c, name in
                       [("engineering", "工程部"), ("service", "客服部"), ("security", "秩序部"),
                        ("cleaning", "保洁部")]]
        staff = []
        for role, count in [(User.Role.FRONT_DESK, 4), (User.Role.TECHNICIAN, 8), (User.Role.PROJECT_MANAGER, 1),
                            (User.Role.BUTLER, 3)]:
            for i in range(1, count + 1):
                u = User.objects.create(username=f"{code}-{role}-{i}", role=role, company=base["company"],
                                        password=base["password"], first_name=f"员工{i}")
                u.projects.add(project)
                if role == User.Role.TECHNICIAN:
                    u.departments.add(departments[0])
                elif role in (User.Role.FRONT_DESK, User.Role.BUTLER):
                    u.departments.add(departments[1])
                staff.append(u)
        desks = [u for u in staff if u.role == User.Role.FRONT_DESK]
        techs = [u for u in staff if u.role == User.Role.TECHNICIAN]

        # 20 buildings × 2 entrances × 25 floors × 5 rooms = 5,000 units
        per_building = 250
        n_buildings = max(1, -(-args.units // per_building))
        buildings = Building.objects.bulk_create(
            [Building(id=n * 1000 + b, project=project, code=str(b), name=f"{b}栋", floors=25)
             for b in range(1, n_buildings + 1)])
        units, uid = [], n * ID_STRIDE
        for b in buildings:
            for entrance in ("1", "2"):
                for floor in range(1, 26):
                    for room in range(1, 6):
                        if len(units) >= args.units:
                            break
                        uid += 1
                        units.append(Unit(id=uid, project=project, building=b, entrance=entrance,
                                          number=f"{floor}{room:02d}", floor=floor, area=88 + room * 7,
                                          layout="三室两厅", status=Unit.Status.OCCUPIED))
        Unit.objects.bulk_create(units, batch_size=bs)
        customers, phones, occupancies = [], [], []
        for i, unit in enumerate(units):
            cid = n * ID_STRIDE + i + 1
            customers.append(Customer(id=cid, project=project, code=f"C{i + 1:06d}",
                                      name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                                      gender=rng.choice(("male", "female")), last_confirmed_at=now,
                                      created_at=now - timedelta(days=rng.randint(30, 900))))
            phones.append(CustomerPhone(id=cid, customer_id=cid, number=f"13{n:02d}{i:07d}", label="手机"))
            occupancies.append(Occupancy(id=cid, unit=unit, customer_id=cid, role=Occupancy.Role.OWNER,
                                         start_date=(now - timedelta(days=rng.randint(100, 2000))).date()))
        Customer.objects.bulk_create(customers, batch_size=bs)
        CustomerPhone.objects.bulk_create(phones, batch_size=bs)
        Occupancy.objects.bulk_create(occupancies, batch_size=bs)
        t_archive = time.perf_counter() - start

        categories = list(Category.objects.filter(project__isnull=True, parent__isnull=False).values_list(
            "id", flat=True))
        policy = SlaPolicy.objects.get(project=project)
        written = timers_written = 0
        n_open = round(args.orders * args.open_share)
        woid = tid = n * ID_STRIDE
        two_years = 730 * 86400
        wo_table, timer_table = RawTable(WorkOrder), RawTable(SlaTimer)
        wos, timers = [], []
        warn = policy.warn_at_percent / 100
        tech_ids, desk_ids = [u.pk for u in techs], [u.pk for u in desks]
        building_ids = [b.pk for b in buildings]
        unit_rows = [(u.pk, u.building_id) for u in units]
        for i in range(args.orders):
            is_open = i >= args.orders - n_open  # the newest are the open ones
            kind = pick(rng, KINDS)
            unit = rng.choice(unit_rows) if kind in ("repair_home", "complaint", "inquiry", "special_service") \
                else None
            emergency = kind in ("repair_home", "repair_public") and rng.random() < 0.06
            if is_open:
                # mostly the last 3 days; a few stragglers up to a month old
                age = rng.uniform(60, 3 * 86400) if rng.random() < 0.9 else rng.uniform(3 * 86400, 30 * 86400)
            else:
                age = rng.uniform(4 * 86400, two_years)
            received = now - timedelta(seconds=age)
            woid += 1
            complexity = ("complex" if rng.random() < 0.2 else "general") if kind == "complaint" else ""
            wo = {
                "id": woid, "project_id": project.pk, "kind": kind, "channel": pick(rng, CHANNELS),
                "category_id": rng.choice(categories), "priority": "emergency" if emergency else "normal",
                "complexity": complexity, "unit_id": unit[0] if unit else None,
                "building_id": unit[1] if unit else rng.choice(building_ids),
                "location": "" if unit else "大堂", "description": rng.choice(TEXTS[kind]),
                # the owner of unit k is customer k (same id)
                "requester_id": unit[0] if unit else None, "first_receiver_id": rng.choice(desk_ids),
                "received_at": received,
            }
            respond_limit = timedelta(minutes=policy.emergency_response_minutes if emergency
                                      else policy.normal_response_minutes)
            resolve_limit = (timedelta(hours=policy.complaint_complex_hours if complexity == "complex"
                                       else policy.complaint_general_hours) if kind == "complaint" else None)
            rt = _timer(woid, "respond", received, respond_limit, warn)
            tt = [rt]
            if resolve_limit:
                tt.append(_timer(woid, "resolve", received, resolve_limit, warn))
            if not is_open:
                state = pick(rng, CLOSED_STATES)
                wo["state"] = state
                wo["responded_at"] = received + respond_limit * rng.uniform(0.05, 1.2)
                wo["resolved_at"] = wo["responded_at"] + timedelta(hours=rng.uniform(0.5, 60))
                if state in ("closed", "called_back"):
                    wo["called_back_at"] = wo["resolved_at"] + timedelta(hours=rng.uniform(2, 48))
                if state == "closed":
                    wo["closed_at"] = wo["called_back_at"]
                wo["assignee_id"] = rng.choice(tech_ids)
                wo["department_id"] = departments[0].pk
                rt["stopped_at"] = wo["responded_at"]
                if resolve_limit:
                    tt[1]["stopped_at"] = wo["resolved_at"]
            else:
                state = pick(rng, OPEN_STATES)
                wo["state"] = state
                if state not in ("received", "dispatched"):
                    wo["responded_at"] = min(received + respond_limit * rng.uniform(0.05, 0.9), now)
                    rt["stopped_at"] = wo["responded_at"]
                if state in ("dispatched", "in_progress", "on_hold", "reopened"):
                    wo["assignee_id"] = rng.choice(tech_ids)
                    wo["department_id"] = departments[0].pk
                if state == "transferred":
                    wo["department_id"] = departments[2].pk
                    tt.append(_timer(woid, "transfer", received + timedelta(minutes=30),
                                     timedelta(days=policy.transfer_answer_days), warn))
                if state == "on_hold":
                    wo["held_from"] = "in_progress"
                    for t in tt:
                        if t["stopped_at"] is None:
                            t["paused_at"] = now - timedelta(seconds=rng.uniform(0, min(age, 86400)))
                running = [t["due_at"] for t in tt if t["stopped_at"] is None and t["paused_at"] is None]
                wo["next_due_at"] = min(running) if running else None
            # Limits already past were told by earlier sweeps: a sweep at the dataset's "now" finds nothing.
            for t in tt:
                end = t["stopped_at"] or (now if t["paused_at"] is None else t["paused_at"])
                if end >= t["warn_at"]:
                    t["warned_at"] = t["warn_at"]
                if end >= t["due_at"]:
                    t["breached_at"] = t["due_at"]
                tid += 1
                t["id"] = tid
            wos.append(wo)
            timers.extend(tt)
            if len(wos) >= bs * 4:
                wo_table.insert(wos)
                timer_table.insert(timers)
                written += len(wos)
                timers_written += len(timers)
                wos, timers = [], []
        if wos:
            wo_table.insert(wos)
            timer_table.insert(timers)
            written += len(wos)
            timers_written += len(timers)
    elapsed = time.perf_counter() - start
    print(f"  {code}: {len(units):,} units/customers in {t_archive:.1f} s, {written:,} work orders + "
          f"{timers_written:,} timers in {elapsed - t_archive:.1f} s "
          f"({(written + timers_written) / (elapsed - t_archive):,.0f} rows/s)", flush=True)
    return {"units": len(units), "customers": len(units), "work_orders": written, "timers": timers_written}


def _timer(work_order_id, kind, start, limit, warn):
    seconds = int(limit.total_seconds())
    return {"work_order_id": work_order_id, "kind": kind, "started_at": start, "due_at": start + limit,
            "warn_at": start + timedelta(seconds=seconds * warn), "limit_seconds": seconds,
            "stopped_at": None, "paused_at": None}


class RawTable:
    """Inserts plain rows (dicts by attribute name) without building model instances: COPY on
    PostgreSQL, executemany on SQLite. Fields a row leaves out get the model's default."""

    def __init__(self, model):
        from django.db import connection
        from django.db.models import NOT_PROVIDED

        self.connection = connection
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields]
        self.defaults = {}
        for f in self.fields:
            if f.default is not NOT_PROVIDED and not callable(f.default):
                self.defaults[f.attname] = f.default
            elif f.null:
                self.defaults[f.attname] = None
            elif f.get_internal_type() in ("CharField", "TextField", "SlugField"):
                self.defaults[f.attname] = ""
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.datetimes = {f.attname for f in self.fields if f.get_internal_type() == "DateTimeField"}

    def insert(self, rows):
        from datetime import UTC

        defaults, names, dts = self.defaults, self.attnames, self.datetimes
        sqlite = self.connection.vendor == "sqlite"
        tuples = []
        for row in rows:
            values = []
            for name in names:
                v = row.get(name, defaults.get(name))
                if sqlite and v is not None and name in dts:
                    v = v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
                values.append(v)
            tuples.append(values)
        cols = ", ".join(f'"{c}"' for c in self.columns)
        self.connection.ensure_connection()
        if sqlite:
            marks = ", ".join("?" * len(self.columns))
            self.connection.connection.executemany(f'INSERT INTO "{self.table}" ({cols}) VALUES ({marks})', tuples)
        else:
            with self.connection.connection.cursor() as cursor:
                with cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN') as copy:
                    for t in tuples:
                        copy.write_row(t)


def _finish():
    """Sequences past the explicit ids (PostgreSQL), then planner statistics for every loaded table."""
    from django.core.management.color import no_style
    from django.db import connection

    from propdesk.archive.models import Customer, CustomerPhone, Occupancy
    from propdesk.core.db import refresh_statistics
    from propdesk.org.models import Building, Unit
    from propdesk.service.models import SlaTimer, WorkOrder

    models = [Building, Unit, Customer, CustomerPhone, Occupancy, WorkOrder, SlaTimer]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    refresh_statistics(*(m._meta.db_table for m in models))


if __name__ == "__main__":
    main()
