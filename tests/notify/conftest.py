"""Local servers on 127.0.0.1 that the notify tests talk to: a real SMTP server and an SMS gateway."""

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    """An aiosmtpd handler keeping every message it accepts; `refuse` answers RCPT with a 550."""

    def __init__(self, port: int):
        self.port = port
        self.messages = []
        self.refuse = False
        self.controller = None

    def start(self):
        # A stopped Controller cannot be started again (its event loop is closed): make a new one.
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free loopback port, with Django's SMTP backend pointed at it."""
    inbox = _Inbox(_free_port())
    inbox.start()
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": inbox.port, "timeout": 5},
    }}
    settings.DEFAULT_FROM_EMAIL = "desk@propdesk.test"
    yield inbox
    inbox.stop()


@dataclass
class _Gateway:
    url: str
    answer_status: int = 200
    answer: dict = field(default_factory=lambda: {"message_id": "gw-1"})
    received: list = field(default_factory=list)


@pytest.fixture
def sms_gateway(settings, monkeypatch):
    """A tiny HTTP SMS gateway on 127.0.0.1 recording each request; HttpSmsBackend is pointed at it."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    gateway = _Gateway(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            gateway.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
            payload = json.dumps(gateway.answer).encode()
            self.send_response(gateway.answer_status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    settings.NOTIFY_SMS_BACKEND = "propdesk.notify.backends.HttpSmsBackend"
    settings.NOTIFY_SMS_HTTP_URL = gateway.url
    settings.NOTIFY_SMS_HTTP_ACCOUNT = "propdesk-test"
    settings.NOTIFY_SMS_HTTP_SECRET = "s3cret-shared-key"
    yield gateway
    server.shutdown()
    server.server_close()
