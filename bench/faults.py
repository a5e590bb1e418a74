"""Faults under load: the real server keeps every acknowledged work order, once, through crashes.

    python bench/faults.py --db postgres --seconds 60
    python bench/faults.py --db sqlite --seconds 60

Serves propdesk as production does (production settings, granian with 2 WSGI workers that are
respawned when they die, the db_worker task worker and the scheduler, both restarted by a supervisor
loop as systemd would) on loopback, with a local SMTP server taking the staff emails. Client threads
send work-order creations with an Idempotency-Key for `--seconds`, retrying each until it is
acknowledged (200/201), while the harness:

- kills a web worker with SIGKILL (twice),
- kills the task worker with SIGKILL (twice),
- PostgreSQL only: crashes the database server (immediate shutdown) and starts it again a few seconds
  later. On SQLite the task worker stays dead for a few seconds instead.

A few work orders have their response limit moved so that its warning and its escalation fall due
while the worker or the database is down. Afterwards the harness checks, from the database and the
SMTP server: every acknowledged request exists exactly once, no work order is duplicated, every
warning and escalation that fell due during the outage was recorded, notified and emailed exactly
once, every email the product's rules owe (those notifications, and the monthly reports that
quality.report.reports_owed says are due now) arrived exactly once and no other did, and no request got
a 5xx once the database was back. Under PROPDESK_CLOCK (tests/clock.py) every served process runs
with libfaketime at the suite's shifted time; the database server keeps the real clock. It prints a JSON report; the exit status
is 1 when a check fails. tests/fault/test_faults_under_load.py runs a 30-second version.

The subcommands `seed`, `shift` and `verify` run inside Django (in a subprocess with the harness's
environment); the orchestrator itself never imports Django, so it can run beside any settings.
"""

import argparse
import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the shifted clock's helpers live in tests/clock.py
    sys.path.insert(0, str(ROOT))
from tests.clock import faked_env, real_env  # noqa: E402

MARK = "故障演练"  # every description the harness sends starts with it
PROBES = 6  # work orders whose response limit falls due during the outage


# ----------------------------------------------------------------------------------------------
# Inside Django (subcommands run by the orchestrator with the server's environment)
# ----------------------------------------------------------------------------------------------

def _django():
    import django

    django.setup()


def seed() -> dict:
    """A project, a building with units, a desk clerk with an API token, two managers with email."""
    _django()
    from propdesk.org.models import Building, Company, Project, Unit, User
    from propdesk.org.services import issue_api_token

    company = Company.objects.create(name="演练物业")
    project = Project.objects.create(company=company, code="drill", name="演练花园")
    building = Building.objects.create(project=project, code="1", name="1栋", floors=30)
    Unit.objects.bulk_create(
        Unit(project=project, building=building, number=f"{floor}0{n}", floor=floor, area=90)
        for floor in range(1, 11) for n in range(1, 5))
    password = secrets.token_urlsafe(16)
    desk = User.objects.create_user("drill-desk", password=password, role=User.Role.FRONT_DESK,
                                    first_name="前台", email="desk@drill.test")
    desk.projects.add(project)
    for name in ("drill-manager-1", "drill-manager-2"):
        manager = User.objects.create_user(name, password=password, role=User.Role.PROJECT_MANAGER,
                                           email=f"{name}@drill.test")
        manager.projects.add(project)
    token, _ = issue_api_token("drill-desk", password, "127.0.0.1")
    return {"token": token, "project": project.pk, "units": [u.pk for u in Unit.objects.filter(building=building)]}


def shift(ids: list[int], warn_at: float, due_at: float) -> dict:
    """Move the response limit of work orders `ids` so its warning and its escalation fall due at the
    given moments (epoch seconds): as if they had been received just under 30 minutes earlier."""
    _django()
    from propdesk.service.models import SlaTimer, WorkOrder

    warn = datetime.fromtimestamp(warn_at, UTC)
    due = datetime.fromtimestamp(due_at, UTC)
    timers = SlaTimer.objects.filter(work_order__in=ids, kind=SlaTimer.Kind.RESPOND, stopped_at__isnull=True)
    moved = timers.update(warn_at=warn, due_at=due)
    WorkOrder.objects.filter(pk__in=ids).update(next_due_at=due)
    return {"moved": moved}


def monthly_report_emails() -> list[dict]:
    """The monthly-report emails the product's own rule (quality.report.reports_owed) says are owed now,
    one per manager, with whether the report row says it went out. Derived, not fixed: a project that
    had work last month is owed its report in the first days of a month, the drill's new project never."""
    from propdesk.quality.models import MonthlyReport
    from propdesk.quality.report import managers_of, report_subject, reports_owed

    owed = []
    for project, period in reports_owed():
        row = MonthlyReport.objects.filter(project=project, month=period.first).first()
        for manager in managers_of(project):
            address = manager.email.strip()
            sent = row is not None and address in row.recipients
            owed.append({"address": address, "subject": report_subject(project, period),
                         "status": "sent" if sent else "pending", "attempts": 1, "monthly_report": period.label})
    return owed


def verify(acked: dict[str, int], probes: list[int]) -> dict:
    """Count what the database holds against what the clients were told."""
    _django()
    from django.conf import settings
    from django.db.models import Count
    from django.utils import translation

    from propdesk.core.models import TimelineEvent
    from propdesk.notify.models import Notification
    from propdesk.service.models import IdempotencyKey, SlaTimer, WorkOrder

    drills = WorkOrder.objects.filter(description__startswith=MARK)
    per_key = Counter(d.split(" ", 1)[1] for d in drills.values_list("description", flat=True))
    keys = dict(IdempotencyKey.objects.filter(work_order__in=drills).values_list("key", "work_order_id"))
    lost = [k for k, wo in acked.items() if keys.get(k) != wo or per_key.get(k, 0) == 0]
    duplicated = {k: n for k, n in per_key.items() if n > 1}

    timers = SlaTimer.objects.filter(work_order__in=probes, kind=SlaTimer.Kind.RESPOND)
    events = Counter(TimelineEvent.objects.filter(
        verb__in=["service.sla_warning", "service.sla_breached"], links__subject_id__in=probes,
        links__subject_type__model="workorder").values_list("verb", "links__subject_id"))
    notes = list(Notification.objects.filter(event__in=["work_order.sla_warning", "work_order.sla_breached"])
                 .values("event", "link", "recipient_user_id", "channel").annotate(n=Count("id")))
    with translation.override(settings.LANGUAGE_CODE):  # as delivered: in Chinese
        emails = [{"address": n.address, "subject": n.subject_text, "status": n.status, "attempts": n.attempts}
                  for n in Notification.objects.filter(
                      event__in=["work_order.sla_warning", "work_order.sla_breached"], channel="email")]
        emails += monthly_report_emails()
    return {
        "work_orders": drills.count(),
        "acked": len(acked),
        "lost": lost,
        "duplicated": duplicated,
        "probes": {
            "timers": timers.count(),
            "warned": timers.filter(warned_at__isnull=False).count(),
            "breached": timers.filter(breached_at__isnull=False).count(),
            "warning_events": {str(wo): events[("service.sla_warning", wo)] for wo in probes},
            "breach_events": {str(wo): events[("service.sla_breached", wo)] for wo in probes},
            "notifications": notes,
            "emails": emails,
        },
    }


# ----------------------------------------------------------------------------------------------
# The orchestrator
# ----------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (granian's workers), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return sorted(found)


class Mailbox:
    """A local SMTP server (aiosmtpd) counting the messages it accepts by recipient and subject: the
    distinct messages (by Message-ID, as a mail system that suppresses duplicates delivers them) and
    every copy."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.received: Counter = Counter()  # (recipient, subject) -> distinct messages (by Message-ID)
        self.copies: Counter = Counter()  # (recipient, subject) -> every copy that arrived
        self.seen: set = set()  # (recipient, Message-ID)
        self.arrivals: list[float] = []  # when each copy arrived (epoch seconds)
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        from email import message_from_bytes
        from email.header import decode_header, make_header

        message = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(message.get("Subject", ""))))
        with self.lock:
            self.arrivals.append(time.time())
            for rcpt in envelope.rcpt_tos:
                self.copies[(rcpt, subject)] += 1
                if (rcpt, message["Message-ID"]) not in self.seen:  # a mail system's duplicate suppression
                    self.seen.add((rcpt, message["Message-ID"]))
                    self.received[(rcpt, subject)] += 1
        return "250 OK"


class Supervised:
    """A process restarted whenever it exits, like a systemd service with Restart=always."""

    def __init__(self, name: str, argv: list[str], env: dict, log: Path, restart_delay: float = 1.0):
        self.name, self.argv, self.env, self.log = name, argv, env, log
        self.restart_delay = restart_delay
        self.proc: subprocess.Popen | None = None
        self.stopping = False
        self.hold_until = 0.0  # the supervisor waits until then before restarting (an outage)
        self.restarts = 0
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self):
        self._spawn()
        self._thread.start()

    def _spawn(self):
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(self.argv, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def _loop(self):
        while not self.stopping:
            if self.proc.poll() is not None:
                time.sleep(self.restart_delay)
                while time.time() < self.hold_until and not self.stopping:
                    time.sleep(0.1)
                if self.stopping:
                    return
                self.restarts += 1
                self._spawn()
            time.sleep(0.1)

    def kill(self, hold_seconds: float = 0.0):
        self.hold_until = time.time() + hold_seconds
        # Already gone (it exited when the database went away, and the supervisor is restarting it).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)

    def stop(self):
        self.stopping = True
        if self.proc and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@dataclass
class Tally:
    attempts: int = 0
    acked: dict = field(default_factory=dict)  # idempotency key -> work order id
    replayed: int = 0
    retries: int = 0
    connection_errors: int = 0
    statuses: Counter = field(default_factory=Counter)
    server_errors: list = field(default_factory=list)  # (sent at, status)
    client_errors: list = field(default_factory=list)  # (status, body) for 4xx: must not happen
    lock: threading.Lock = field(default_factory=threading.Lock)


class Harness:
    def __init__(self, db: str, seconds: int, workdir: Path, clients: int = 4):
        assert db in ("sqlite", "postgres")
        self.db, self.seconds, self.workdir, self.clients = db, seconds, workdir, clients
        self.python = sys.executable
        self.bin = Path(sys.executable).parent
        self.faults: list[dict] = []
        self.tally = Tally()
        self.db_back_at = 0.0  # the database came back at (epoch); no 5xx for requests sent after
        self.processes: list[Supervised] = []
        self.granian: subprocess.Popen | None = None
        self.pg_dir = workdir / "pg"
        self.log_dir = workdir / "logs"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.mailbox = Mailbox()
        self.env = self._environment()

    # -- set-up ---------------------------------------------------------------------------------
    def _environment(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_URL"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "propdesk.settings.prod",
            "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
            "PROPDESK_VAR": str(self.workdir / "var"),
            "SECRET_KEY": secrets.token_urlsafe(64),
            "PROPDESK_DATA_KEY": secrets.token_hex(32),
            "SECURE_SSL_REDIRECT": "0",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.mailbox.port),
            "NOTIFY_STAFF_EMAIL": "1",
            "SCHEDULER_INTERVAL": "1",
            # A delivery cut by a killed worker is retried after NOTIFY_STALE_SECONDS (10 minutes in
            # production): the drill shortens it, as it shortens the probes' deadlines.
            "NOTIFY_STALE_SECONDS": "5",
            "PG_DURABLE": "1",
        })
        return faked_env(env)  # under PROPDESK_CLOCK the served processes share the suite's shifted clock

    def _django(self, command: str, **arguments) -> dict:
        """Run a subcommand inside Django; its arguments go as JSON on stdin (they can be long)."""
        out = subprocess.run([self.python, str(Path(__file__)), command], input=json.dumps(arguments),
                             env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=120)
        if out.returncode:
            raise RuntimeError(f"{command} failed:\n{out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])

    def _manage(self, *args: str):
        subprocess.run([self.python, "manage.py", *args], env=self.env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, timeout=300)

    def set_up(self):
        if self.db == "postgres":
            url = subprocess.run([str(ROOT / "scripts/test-postgres.sh"), "start", str(self.pg_dir)], env=real_env(self.env),
                                 check=True, capture_output=True, text=True).stdout.strip()
            import psycopg

            with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
                conn.execute("CREATE DATABASE propdesk")
            self.env["DATABASE_URL"] = url
        self._manage("migrate", "--noinput", "-v", "0")
        self._manage("createcachetable")
        self.seeded = self._django("seed")

    def start(self):
        self.port = free_port()
        self.mailbox.controller.start()
        with open(self.log_dir / "granian.log", "ab") as out:
            self.granian = subprocess.Popen(
                [str(self.bin / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(self.port),
                 "--workers", "2", "--respawn-failed-workers", "--respawn-interval", "0.5",
                 "propdesk.wsgi:application"],
                env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        for name, argv in (("worker", ["manage.py", "db_worker", "--queue-name", "*", "--no-reload"]),
                           ("scheduler", ["manage.py", "scheduler"])):
            proc = Supervised(name, [self.python, *argv], self.env, self.log_dir / f"{name}.log")
            proc.start()
            self.processes.append(proc)
        deadline = time.time() + 60
        while True:
            with contextlib.suppress(OSError):
                status, _ = self.request("GET", "/api/v1/projects")
                if status == 200:
                    break
            if time.time() > deadline or self.granian.poll() is not None:
                raise RuntimeError("the server did not start; see granian.log")
            time.sleep(0.3)

    # -- HTTP -----------------------------------------------------------------------------------
    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None,
                timeout: float = 10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None, headers={
                "Authorization": f"Bearer {self.seeded['token']}", "Content-Type": "application/json",
                "Accept-Language": "zh-hans", **(headers or {})})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def create(self, key: str, n: int, stop_at: float | None = None) -> int | None:
        """POST one work order with `key`, retrying until acknowledged; returns its id."""
        units = self.seeded["units"]
        body = {"project": self.seeded["project"], "kind": "repair_home", "channel": "hotline",
                "unit": units[n % len(units)], "description": f"{MARK} {key}", "priority": "normal"}
        t = self.tally
        first = True
        while True:
            if not first:
                with t.lock:
                    t.retries += 1
                time.sleep(0.2)
            first = False
            if stop_at and time.time() > stop_at + 60:
                return None  # gave up: counted as unacknowledged, never as lost
            sent = time.time()
            with t.lock:
                t.attempts += 1
            try:
                status, payload = self.request("POST", "/api/v1/work-orders", body, {"Idempotency-Key": key})
            except (OSError, http.client.HTTPException):
                with t.lock:
                    t.connection_errors += 1
                continue
            with t.lock:
                t.statuses[status] += 1
                if status >= 500:
                    t.server_errors.append((sent, status))
                elif status >= 400:
                    t.client_errors.append((status, payload[:300].decode("utf-8", "replace")))
            if status in (200, 201):
                wo = json.loads(payload)["id"]
                with t.lock:
                    t.acked[key] = wo
                    t.replayed += status == 200
                return wo
            if 400 <= status < 500:
                return None

    def _client(self, index: int, stop_at: float):
        n = index
        while time.time() < stop_at:
            self.create(str(uuid.uuid4()), n, stop_at)
            n += self.clients

    # -- faults ---------------------------------------------------------------------------------
    def _fault(self, kind: str, **extra):
        self.faults.append({"kind": kind, "at": round(time.time() - self.started, 1), **extra})

    def kill_web_worker(self):
        children = children_of(self.granian.pid)
        if children:
            os.kill(children[0], signal.SIGKILL)
            self._fault("kill -9 web worker", pid=children[0])

    def kill_task_worker(self, hold: float = 0.0):
        worker = self.processes[0]
        worker.kill(hold)
        self._fault("kill -9 task worker", down_seconds=hold or 1.0)

    def crash_database(self, down: float):
        subprocess.run([str(ROOT / "scripts/test-postgres.sh"), "crash", str(self.pg_dir)], env=real_env(self.env),
                       check=True)
        self._fault("PostgreSQL immediate shutdown", down_seconds=down)
        time.sleep(down)
        subprocess.run([str(ROOT / "scripts/test-postgres.sh"), "restart", str(self.pg_dir)], env=real_env(self.env),
                       check=True)
        self.db_back_at = time.time()
        self._fault("PostgreSQL started again")

    def _probes(self) -> list[int]:
        ids = [self.create(f"probe-{uuid.uuid4()}", i) for i in range(PROBES)]
        if None in ids:
            raise RuntimeError(f"the probe work orders were refused: {self.tally.client_errors[:1]}")
        return ids

    def run(self) -> dict:
        self.set_up()
        try:
            self.start()
            probes = self._probes()
            self.started = time.time()
            stop_at = self.started + self.seconds
            at = lambda fraction: self.started + fraction * self.seconds  # noqa: E731
            outage_start = at(0.45)
            down = max(4.0, self.seconds / 10)
            # The probes' warnings and escalations fall due in the middle of the outage.
            self._django("shift", ids=probes, warn_at=outage_start + down * 0.3, due_at=outage_start + down * 0.6)
            clients = [threading.Thread(target=self._client, args=(i, stop_at), daemon=True)
                       for i in range(self.clients)]
            for c in clients:
                c.start()
            plan = [(at(0.15), self.kill_web_worker), (at(0.30), self.kill_task_worker)]
            if self.db == "postgres":
                plan.append((outage_start, lambda: self.crash_database(down)))
            else:
                plan.append((outage_start, lambda: self.kill_task_worker(hold=down)))
            plan += [(at(0.70), self.kill_web_worker), (at(0.85), self.kill_task_worker)]
            for moment, fault in plan:
                time.sleep(max(0.0, moment - time.time()))
                fault()
            if self.db == "sqlite":
                self.db_back_at = self.started  # the database never went away: no 5xx at all
            for c in clients:
                c.join(timeout=self.seconds + 90)
            result = self._settle(probes)
        finally:
            self.stop()
        return result

    def _settle(self, probes: list[int]) -> dict:
        """Wait (bounded) until the sweep and the deliveries caught up, then verify."""
        deadline = time.time() + 60
        while True:
            found = self._django("verify", acked=self.tally.acked, probes=probes)
            p = found["probes"]
            emails_done = p["emails"] and all(e["status"] == "sent" for e in p["emails"])
            if (p["warned"] == p["breached"] == PROBES and emails_done) or time.time() > deadline:
                break
            time.sleep(1)
        return self._report(found)

    def _report(self, found: dict) -> dict:
        t = self.tally
        p = found["probes"]
        late_5xx = [s for sent, s in t.server_errors if sent >= self.db_back_at]
        smtp = {f"{rcpt} {subject}": n for (rcpt, subject), n in self.mailbox.received.items()}
        expected_emails = p["emails"]
        # Once each; a second copy (same Message-ID) only of a message whose row records a second attempt:
        # a worker killed after the SMTP server accepted it, before marking it sent.
        box = self.mailbox
        not_once = [e | {"received": box.received[key], "copies": box.copies[key]}
                    for e in expected_emails for key in [(e["address"], e["subject"])]
                    if e["status"] != "sent" or box.received[key] != 1 or box.copies[key] > e["attempts"]]
        checks = {
            "no acknowledged request lost": not found["lost"],
            "no work order duplicated": not found["duplicated"],
            "every probe warned and escalated": p["warned"] == p["breached"] == PROBES,
            "one warning and one escalation recorded per probe": all(
                n == 1 for n in [*p["warning_events"].values(), *p["breach_events"].values()]),
            "one notification per recipient and channel": bool(p["notifications"]) and all(
                row["n"] == 1 for row in p["notifications"]),
            "every email sent once": bool(expected_emails) and not not_once
            and sum(box.received.values()) == len(expected_emails),
            "no 5xx once the database was back": not late_5xx,
            "no 4xx": not t.client_errors,
        }
        return {
            "database": self.db,
            "seconds": self.seconds,
            "started_at": datetime.fromtimestamp(self.started, UTC).isoformat(),
            "clients": self.clients,
            "requests": t.attempts,
            "acknowledged": len(t.acked),
            "replayed": t.replayed,
            "retries": t.retries,
            "connection_errors": t.connection_errors,
            "statuses": {str(k): v for k, v in sorted(t.statuses.items())},
            "5xx_total": len(t.server_errors),
            "5xx_after_recovery": len(late_5xx),
            "faults": self.faults,
            "worker_restarts": {p.name: p.restarts for p in self.processes},
            "work_orders": found["work_orders"],
            "lost": len(found["lost"]),
            "duplicated": len(found["duplicated"]),
            "sla": {"probes": PROBES, "warned": p["warned"], "escalated": p["breached"],
                    "notifications": len(p["notifications"]), "emails": len(expected_emails),
                    "emails_received": sum(self.mailbox.received.values()),
                    "copies_sent_again": sum(self.mailbox.copies.values()) - sum(self.mailbox.received.values())},
            "smtp": smtp,
            "emails_arrived_at": [round(at - self.started, 1) for at in self.mailbox.arrivals],
            "client_errors": t.client_errors[:5],
            "emails_not_sent_once": not_once,
            "checks": checks,
            "ok": all(checks.values()),
            "logs": {} if all(checks.values()) else {
                log.name: log.read_text(errors="replace")[-2000:] for log in sorted(self.log_dir.glob("*.log"))},
        }

    def stop(self):
        for proc in self.processes:
            proc.stop()
        if self.granian and self.granian.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.granian.pid, signal.SIGTERM)
            try:
                self.granian.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.granian.pid, signal.SIGKILL)
                self.granian.wait()
        with contextlib.suppress(Exception):
            self.mailbox.controller.stop()
        if self.db == "postgres":
            subprocess.run([str(ROOT / "scripts/test-postgres.sh"), "stop", str(self.pg_dir)], env=real_env(self.env))


def run(db: str, seconds: int, workdir: Path | None = None, clients: int = 4) -> dict:
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="propdesk-faults-")))
        if db == "postgres":
            os.chmod(workdir, 0o755)  # the postgres user must reach the data directory below it
        return Harness(db, seconds, workdir, clients).run()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", help="run inside Django, arguments as JSON on stdin")
    for command in ("seed", "shift", "verify"):
        sub.add_parser(command)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workdir", type=Path, help="keep the logs and the database here (an empty directory)")
    args = parser.parse_args(argv)
    if args.command:
        command = {"seed": seed, "shift": shift, "verify": verify}[args.command]
        print(json.dumps(command(**json.load(sys.stdin)), default=str))
    else:
        report = run(args.db, args.seconds, workdir=args.workdir, clients=args.clients)
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0 if report["ok"] else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
