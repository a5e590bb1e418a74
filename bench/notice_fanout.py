"""A notice to 100,000 households (issue 15 item 1): how long until every message is in the queue, and that
no household is sent it twice, also when the task worker is killed half-way.

    .venv/bin/python bench/notice_fanout.py [--households 100000]            (DATABASE_URL for PostgreSQL)
    .venv/bin/python bench/notice_fanout.py --kill --households 3000

The first run seeds one project of --households homes, each with an owner and a mobile, into a database of
its own (SQLite: var/bench/notice-fanout.sqlite3); later runs reuse it. Each run then drafts an
announcement to the whole project on the notice board, in-app and by SMS and sends it.

Default: the fan-out task runs here, as the worker would run it (`dispatch.fan_out`), and is timed from
the manager's click (`send_notice`) to the last delivery task enqueued: the read receipts, the SMS rows
(each with its own read link) and the delivery tasks. The goal is ≤ 60 s for 100,000 households.

--kill: the real task worker (`manage.py db_worker`) runs the fan-out and the deliveries, sending SMS
to a local HTTP gateway (notify.backends.HttpSmsBackend) that counts what each phone receives. The
harness kills the worker with SIGKILL half-way through the fan-out, starts a new one, lets the periodic
job (`dispatch.resume_stalled`, its clock moved past the stall limit) hand the fan-out back to the queue,
kills the worker again while it delivers, starts it again and has the retry job run. Then it checks: one
read receipt and one SMS row per household, no phone received the notice twice, and every household
received it except at most the messages that were on the wire when a worker died (marked interrupted,
never re-sent: at most once). It prints a JSON report; the exit status is 1 when a check fails.
"""

import argparse
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
os.environ.setdefault("SQLITE_PATH", str(BENCH.parent / "var" / "bench" / "notice-fanout.sqlite3"))
# The harness and its workers must seal and open the read links with one key (bench data only).
os.environ.setdefault("PROPDESK_DATA_KEY", "bench-only-notice-fanout-data-key-0123456789abcdef")
from _big import RESULTS, ROOT, db_label, env_for_django, setup_django  # noqa: E402

CODE = "fanout"
SECRET = "bench-only-gateway-secret"


def seed(households: int):
    """One project of `households` homes (100 buildings), an owner with a mobile in each, and a manager."""
    import datetime as dt
    from decimal import Decimal

    from django.db import transaction

    from propdesk.archive.models import Customer, CustomerPhone, Occupancy
    from propdesk.org.models import Building, Company, Project, Unit
    project = Project.objects.filter(code=CODE).first()
    if project is not None:
        if Unit.objects.filter(project=project).count() != households:
            sys.exit(f"The database holds a project of another size; remove {os.environ['SQLITE_PATH']} or "
                     "pass its --households.")
        from propdesk.org.models import User

        return project, User.objects.get(username="fanout-manager")
    started = time.perf_counter()
    per_building = -(-households // 100)
    with transaction.atomic():
        company = Company.objects.create(name="万户物业")
        project = Project.objects.create(company=company, code=CODE, name="万户花园")
        buildings = Building.objects.bulk_create(
            [Building(project=project, code=str(b + 1), name=f"{b + 1}栋", floors=40) for b in range(100)])
        units = [Unit(project=project, building=buildings[n // per_building], entrance="1",
                      number=f"{(n % per_building) // 8 + 1:02d}{n % 8 + 1:02d}", floor=(n % per_building) // 8 + 1,
                      area=Decimal("89.50")) for n in range(households)]
        Unit.objects.bulk_create(units, batch_size=5000)
        units = list(Unit.objects.filter(project=project).order_by("pk"))
        people = Customer.objects.bulk_create(
            [Customer(project=project, code=f"F{n:07d}", name=f"业主{n}") for n in range(households)], batch_size=5000)
        people = list(Customer.objects.filter(project=project).order_by("pk"))
        CustomerPhone.objects.bulk_create([CustomerPhone(customer=c, number=f"138{n:08d}")
                                           for n, c in enumerate(people)], batch_size=5000)
        Occupancy.objects.bulk_create([Occupancy(unit=u, customer=c, role=Occupancy.Role.OWNER,
                                                 start_date=dt.date(2020, 1, 1)) for u, c in zip(units, people, strict=True)],
                                      batch_size=5000)
        from propdesk.org.models import User

        manager = User.objects.create_user("fanout-manager", password=None, role=User.Role.PROJECT_MANAGER,
                                           company=company)
        manager.projects.set([project])
    print(f"seeded {households:,} households in {time.perf_counter() - started:.1f} s", flush=True)
    return project, manager


def draft(project, manager):
    from propdesk.engage.notices import services

    return services.save_notice(manager, project, {
        "kind": "announcement", "title": "关于小区二次供水改造的公告",
        "body": "小区二次供水设施将于下周起分楼栋改造，每栋停水约 4 小时，具体时间以楼栋公告为准。",
        "channels": ["board", "in_app", "sms"]})[0]


def clean():
    """Remove what earlier runs wrote (notices, their messages, queued tasks), keeping the households."""
    from django_tasks_db.models import DBTaskResult

    from propdesk.engage.models import Notice, NoticeDispatch, NoticeRecipient
    from propdesk.notify.models import Notification

    Notification.objects.filter(event="engage.notice").delete()
    NoticeRecipient.objects.all().delete()
    NoticeDispatch.objects.all().delete()
    Notice.objects.all().delete()
    DBTaskResult.objects.all().delete()


def measure(project, manager, households: int) -> dict:
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from propdesk.engage.models import NoticeDispatch, NoticeRecipient
    from propdesk.engage.notices import dispatch, services
    from propdesk.notify.models import Notification

    notice = draft(project, manager)
    started = time.perf_counter()
    with transaction.atomic():
        services.send_notice(manager, notice)
    clicked = time.perf_counter() - started
    sending = NoticeDispatch.objects.get(notice=notice)
    fan, cpu = time.perf_counter(), time.process_time()
    dispatch.fan_out(sending.pk)
    done, cpu = time.perf_counter(), time.process_time() - cpu
    sms = Notification.objects.filter(event="engage.notice", channel="sms").count()
    out = {"benchmark": "notice_fanout", "database": db_label(), "households": households,
           "send_click_ms": round(clicked * 1000, 1), "fan_out_s": round(done - fan, 1),
           "fan_out_cpu_s": round(cpu, 1),
           "click_to_enqueued_s": round(done - started, 1),
           "receipts": NoticeRecipient.objects.filter(notice=notice).count(), "sms_rows": sms,
           "delivery_tasks": DBTaskResult.objects.filter(task_path__endswith="deliver_notifications").count(),
           "households_per_s": round(households / (done - started)), "load": os.getloadavg()[0]}
    out["ok"] = out["receipts"] == households == sms and out["click_to_enqueued_s"] <= 60
    return out


class Gateway(http.server.ThreadingHTTPServer):
    """The SMS provider on loopback: answers each POST with a message id and counts texts per phone."""

    def __init__(self):
        self.received = Counter()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _GatewayHandler)


class _GatewayHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.received[body["phone"]] += 1
            n = sum(self.server.received.values())
        answer = json.dumps({"message_id": f"gw{n}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def _worker(env, log):
    return subprocess.Popen([sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _kill(proc):
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _wait(condition, timeout: float, step: float = 0.2, worker=None) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        if worker is not None and worker.poll() is not None:
            raise SystemExit("the task worker died by itself: see var/bench/notice-fanout-worker.log")
        time.sleep(step)
    return False


def kill_drill(project, manager, households: int) -> dict:
    import datetime as dt

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from propdesk.engage.models import NoticeDispatch, NoticeRecipient
    from propdesk.engage.notices import dispatch, services
    from propdesk.notify.models import Notification
    from propdesk.notify.services import retry_failed

    gateway = Gateway()
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    env = {**env_for_django(), "ENGAGE_NOTICE_CHUNK": str(max(50, households // 20)),
           "NOTIFY_SMS_BACKEND": "propdesk.notify.backends.HttpSmsBackend",
           "NOTIFY_SMS_HTTP_URL": f"http://127.0.0.1:{gateway.server_address[1]}/sms",
           "NOTIFY_SMS_HTTP_SECRET": SECRET, "NOTIFY_SMS_HTTP_ACCOUNT": "bench"}
    log = open(ROOT / "var" / "bench" / "notice-fanout-worker.log", "ab")  # noqa: SIM115
    notice = draft(project, manager)
    report = {"benchmark": "notice_fanout_kill", "database": db_label(), "households": households, "kills": []}
    sms = Notification.objects.filter(event="engage.notice", channel="sms")
    worker = _worker(env, log)
    try:
        with transaction.atomic():
            services.send_notice(manager, notice)
        sending = NoticeDispatch.objects.get(notice=notice)
        # 1. Killed during the fan-out: once some households have their receipt, before all have.
        half = _wait(lambda: NoticeRecipient.objects.filter(notice=notice).count() >= 1, 120, 0.05, worker)
        _kill(worker)
        print(f"killed the worker during the fan-out (found receipts: {half})", flush=True)
        stored = NoticeRecipient.objects.filter(notice=notice).count()
        report["kills"].append({"during": "fan-out", "receipts_then": stored, "sms_rows_then": sms.count(),
                                "finished_then": NoticeDispatch.objects.get(pk=sending.pk).finished_at is not None})
        worker = _worker(env, log)
        resumed = dispatch.resume_stalled(now=timezone.now() + dispatch.STALL + dt.timedelta(seconds=1))
        report["resumed"] = resumed
        print(f"resumed {resumed} fan-out(s)", flush=True)
        finished = _wait(lambda: NoticeDispatch.objects.get(pk=sending.pk).finished_at is not None, 600, 0.2, worker)
        # 2. Killed while delivering: once some SMS have reached the gateway, before all have.
        _wait(lambda: sum(gateway.received.values()) >= min(50, households // 10), 300, 0.05, worker)
        _kill(worker)
        print("killed the worker during the delivery", flush=True)
        report["kills"].append({"during": "delivery", "received_then": sum(gateway.received.values())})
        # The periodic retry job, its clock moved past the stale limit (nothing is in flight now that the worker
        # is dead): a message caught on the wire is marked interrupted and never sent again, the pending ones
        # of the killed task are enqueued again (a row is claimed once, so a second task for it sends nothing).
        settings.NOTIFY_STALE_SECONDS = 0
        report["re_enqueued"] = retry_failed()
        worker = _worker(env, log)
        _wait(lambda: not sms.filter(status__in=["pending", "failed"]).exists(), 900, 0.5, worker)
        time.sleep(2)
    finally:
        if worker.poll() is None:
            _kill(worker)
        gateway.shutdown()
    statuses = Counter(sms.values_list("status", flat=True))
    rows_per_home = Counter(sms.values_list("recipient_customer_id", flat=True))
    twice = [phone for phone, n in gateway.received.items() if n > 1]
    report.update({
        "fan_out_finished": finished and half, "receipts": NoticeRecipient.objects.filter(notice=notice).count(),
        "sms_rows": sms.count(), "homes_with_two_rows": sum(1 for n in rows_per_home.values() if n > 1),
        "phones_received": len(gateway.received), "phones_received_twice": len(twice),
        "statuses": dict(statuses), "lost_in_flight": statuses.get("interrupted", 0)})
    report["ok"] = (report["fan_out_finished"] and report["receipts"] == households == report["sms_rows"]
                    and not report["homes_with_two_rows"] and not twice
                    # a message cut on the wire is marked interrupted and may or may not have arrived
                    and households - report["lost_in_flight"] <= report["phones_received"] <= households)
    return report


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=100_000)
    ap.add_argument("--kill", action="store_true", help="kill the real worker half-way (see the module)")
    args = ap.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    project, manager = seed(args.households)
    clean()
    report = kill_drill(project, manager, args.households) if args.kill else measure(project, manager,
                                                                                     args.households)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"notice_fanout{'-kill' if args.kill else ''}-{db_label()}.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2, default=str))
    print(json.dumps(report, default=str), flush=True)
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
