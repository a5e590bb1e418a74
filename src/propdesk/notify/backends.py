"""Delivery channels behind one small interface: email through Django's mail API, SMS through a provider.

Which SMS provider is used is a setting (NOTIFY_SMS_BACKEND, a dotted path to an SmsBackend);
email uses Django's EMAIL_BACKEND, i.e. real SMTP in production.
"""

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from email.utils import make_msgid
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.utils.module_loading import import_string

from propdesk.core.sensitive import mask_phone

sms_logger = logging.getLogger("propdesk.sms")

# Punctuation after which an SMS is best split (Chinese first, then ASCII).
_BREAKS = "。！？；，、!?;,. "


class DeliveryError(Exception):
    """The provider refused or could not be reached; the message is recorded as failed."""


# -- email ----------------------------------------------------------------------------------


def message_id(kind: str, *keys) -> str:
    """A Message-ID that is the same on every attempt to send one message: a copy sent again after an
    interrupted attempt (see services.retry_failed) is recognisably the same message, which mail
    systems that suppress duplicates (by Message-ID) drop."""
    return f"<propdesk.{kind}.{'.'.join(str(key) for key in keys)}@{DNS_NAME}>"


def send_email(address: str, subject: str, body: str, message_id: str | None = None) -> str:
    """Send one plain-text email (UTF-8) and return its Message-ID (`message_id`, or a new one)."""
    message_id = message_id or make_msgid(domain=str(DNS_NAME))
    message = EmailMessage(
        subject=" ".join(subject.split()),  # a header cannot hold a line break
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={"Message-ID": message_id},
    )
    if not message.send(fail_silently=False):
        raise DeliveryError("the email backend accepted no message")
    return message_id


# -- SMS ------------------------------------------------------------------------------------


def split_sms(text: str, limit: int | None = None, max_parts: int | None = None) -> list[str]:
    """Cut a text into SMS parts of at most `limit` characters (70: one UCS-2 segment of Chinese).

    Line breaks and runs of spaces become one space. A long text is split at the last punctuation
    mark of each part (or hard at the limit when there is none in its second half) and each part is
    sent as an SMS of its own, so every message reads whole whatever the handset. A link is never
    cut: a part ends before a link that would not fit in it, and the link starts the next part. At
    most `max_parts` parts are sent: beyond that the last part is truncated and ends with "…", which
    keeps the cost of one notification bounded.
    """
    limit = limit or settings.NOTIFY_SMS_SEGMENT_CHARS
    max_parts = max_parts or settings.NOTIFY_SMS_MAX_PARTS
    rest = " ".join(text.split())
    parts: list[str] = []
    while rest:
        if len(rest) <= limit:
            parts.append(rest)
            break
        if len(parts) == max_parts - 1:
            parts.append(rest[: limit - 1].rstrip() + "…")
            break
        window = rest[:limit]
        cut = max(window.rfind(mark) for mark in _BREAKS) + 1
        if cut <= limit // 2:
            cut = limit
        start = max(window.rfind("http://"), window.rfind("https://"))
        end = rest.find(" ", start) if start > 0 else -1
        if start > 0 and start < cut < (end if end >= 0 else len(rest)):
            cut = start  # the link would be cut: it starts the next part instead
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return parts


class SmsBackend(ABC):
    """A provider of text messages. One call sends one SMS (one part of a split text)."""

    @abstractmethod
    def send(self, phone: str, text: str, *, shown: str = "") -> str:
        """Send `text` to `phone` (digits only); return the provider's message id or raise DeliveryError.

        `shown` is the same part with its secrets masked (a sign-in code as ******): what a backend may
        log or keep. `text` itself goes to the handset and nowhere else."""


class LogSmsBackend(SmsBackend):
    """The default: writes the message, secrets masked, to the `propdesk.sms` log and sends nothing.

    The notification row itself keeps the (masked) text, so the desk's outbox shows what the owner
    would have received.
    """

    def send(self, phone: str, text: str, *, shown: str = "") -> str:
        message_id = f"log-{secrets.token_hex(8)}"
        sms_logger.info("SMS %s to %s: %s", message_id, mask_phone(phone), shown)
        return message_id


DEMO_HANDSET_SECONDS = 300


class DemoHandsetSmsBackend(LogSmsBackend):
    """For the demo installation only (settings.dev; production refuses it): a simulated handset.

    Besides logging, it keeps the last text delivered to each number for 5 minutes in the cache, so
    the demo's sign-in page can show the code a real phone would receive (`demo_handset()`). Nothing
    is stored in the database, and no staff page reads it.
    """

    def send(self, phone: str, text: str, *, shown: str = "") -> str:
        from django.core.cache import cache

        cache.set(f"demo-handset:{phone}", text, DEMO_HANDSET_SECONDS)
        return super().send(phone, text, shown=shown)


def demo_handset(phone: str) -> str:
    """The last SMS the demo handset of `phone` received, or ""; only when the demo backend is in use."""
    if not issubclass(_sms_backend_class(settings.NOTIFY_SMS_BACKEND), DemoHandsetSmsBackend):
        return ""
    from django.core.cache import cache

    return cache.get(f"demo-handset:{phone}", "")


class HttpSmsBackend(SmsBackend):
    """A generic HTTP SMS gateway: a signed JSON POST, answered with JSON holding the message id.

    The request body is `{"account", "phone", "text", "timestamp", "nonce"}` in UTF-8; the header
    `X-Signature` is the hex HMAC-SHA256 of the exact body bytes with the shared secret, so the
    gateway can check both the sender and that nothing was altered; timestamp and nonce let it refuse
    replays. Settings: NOTIFY_SMS_HTTP_URL, NOTIFY_SMS_HTTP_ACCOUNT, NOTIFY_SMS_HTTP_SECRET,
    NOTIFY_SMS_HTTP_TIMEOUT.
    """

    def __init__(self, url=None, account=None, secret=None, timeout=None):
        self.url = url or settings.NOTIFY_SMS_HTTP_URL
        self.account = account or settings.NOTIFY_SMS_HTTP_ACCOUNT
        self.secret = secret or settings.NOTIFY_SMS_HTTP_SECRET
        self.timeout = timeout or settings.NOTIFY_SMS_HTTP_TIMEOUT
        if not self.url.startswith(("https://", "http://")) or not self.secret:
            raise DeliveryError("NOTIFY_SMS_HTTP_URL (http/https) and NOTIFY_SMS_HTTP_SECRET must be set")

    def sign(self, body: bytes) -> str:
        return hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()

    def build_request(self, phone: str, text: str) -> tuple[str, dict[str, str], bytes]:
        """The (url, headers, body) that `send` posts."""
        payload = {
            "account": self.account, "phone": phone, "text": text,
            "timestamp": int(time.time()), "nonce": secrets.token_hex(8),
        }
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Account": self.account,
            "X-Signature": self.sign(body),
        }
        return self.url, headers, body

    def send(self, phone: str, text: str, *, shown: str = "") -> str:
        url, headers, body = self.build_request(phone, text)
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # scheme checked in __init__
                answer = response.read(65536)
        except urllib.error.HTTPError as exc:
            detail = exc.read(500).decode("utf-8", "replace")
            raise DeliveryError(f"SMS gateway answered HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"SMS gateway unreachable: {exc}") from exc
        try:
            return str(json.loads(answer)["message_id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DeliveryError(f"SMS gateway answered without a message_id: {answer[:200]!r}") from exc


@lru_cache(maxsize=4)
def _sms_backend_class(path: str) -> type[SmsBackend]:
    return import_string(path)


def get_sms_backend() -> SmsBackend:
    """The configured provider (a fresh instance, so settings overridden in tests apply)."""
    return _sms_backend_class(settings.NOTIFY_SMS_BACKEND)()
