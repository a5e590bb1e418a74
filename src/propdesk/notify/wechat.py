"""WeChat template messages (模板消息) through the property company's service account (服务号).

One small interface, like the SMS providers: `send(openid, title, text, url, shown)` returns the
message id or raises DeliveryError. Which backend runs is a setting (NOTIFY_WECHAT_BACKEND): the
default writes the message to the `propdesk.wechat` log and sends nothing; `HttpWechatBackend` talks to
the official API (settings NOTIFY_WECHAT_API, NOTIFY_WECHAT_APPID, NOTIFY_WECHAT_SECRET,
NOTIFY_WECHAT_TEMPLATE_ID, NOTIFY_WECHAT_FIELDS, NOTIFY_WECHAT_TIMEOUT):

1. an access token from `GET {api}/cgi-bin/token?grant_type=client_credential&appid=…&secret=…`,
   answered `{"access_token": "…", "expires_in": 7200}` and kept in the cache until five minutes
   before it expires (every web and task worker shares it: the API limits how often one is issued);
2. `POST {api}/cgi-bin/message/template/send?access_token=…` with the JSON body
   `{"touser": openid, "template_id": …, "url": …, "data": {field: {"value": …}}}`, answered
   `{"errcode": 0, "errmsg": "ok", "msgid": …}`; any other errcode is a DeliveryError (40001/42001, a
   token expired early, drops the cached token so the next attempt fetches a new one).

A template's fields are "thing" fields of at most 20 characters: the title and the text are cut to
fit (ending with "…"); the full message is on the page the url opens.
"""

import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string

from .backends import DeliveryError

wechat_logger = logging.getLogger("propdesk.wechat")

THING_CHARS = 20
TOKEN_CACHE_KEY = "notify:wechat:access-token"
TOKEN_EXPIRED = {40001, 40014, 42001}


def fit(text: str, limit: int = THING_CHARS) -> str:
    """One line of at most `limit` characters, cut with an ellipsis."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class WechatBackend(ABC):
    @abstractmethod
    def send(self, openid: str, title: str, text: str, url: str = "", *, shown: str = "") -> str:
        """Send one template message; return its id or raise DeliveryError. `shown` is `text` with its
        secrets masked: what a backend may log."""


class LogWechatBackend(WechatBackend):
    """The default: logs the message (openid shortened, secrets masked) and sends nothing."""

    def send(self, openid: str, title: str, text: str, url: str = "", *, shown: str = "") -> str:
        message_id = f"log-{secrets.token_hex(8)}"
        wechat_logger.info("WeChat %s to %s…: %s / %s", message_id, openid[:6], fit(title), fit(shown or text))
        return message_id


class HttpWechatBackend(WechatBackend):
    def __init__(self, api=None, appid=None, secret=None, template_id=None, timeout=None, fields=None):
        self.api = (api or settings.NOTIFY_WECHAT_API).rstrip("/")
        self.appid = appid or settings.NOTIFY_WECHAT_APPID
        self.secret = secret or settings.NOTIFY_WECHAT_SECRET
        self.template_id = template_id or settings.NOTIFY_WECHAT_TEMPLATE_ID
        self.timeout = timeout or settings.NOTIFY_WECHAT_TIMEOUT
        self.fields = fields or settings.NOTIFY_WECHAT_FIELDS
        if not self.api.startswith(("https://", "http://")) or not (self.appid and self.secret and self.template_id):
            raise DeliveryError("NOTIFY_WECHAT_API, NOTIFY_WECHAT_APPID, NOTIFY_WECHAT_SECRET and "
                                "NOTIFY_WECHAT_TEMPLATE_ID must be set")

    def token_url(self) -> str:
        query = urllib.parse.urlencode({"grant_type": "client_credential", "appid": self.appid,
                                        "secret": self.secret})
        return f"{self.api}/cgi-bin/token?{query}"

    def build_request(self, token: str, openid: str, title: str, text: str, url: str = ""
                      ) -> tuple[str, dict[str, str], bytes]:
        """The (url, headers, body) that `send` posts."""
        payload = {"touser": openid, "template_id": self.template_id,
                   "data": {self.fields["title"]: {"value": fit(title)}, self.fields["text"]: {"value": fit(text)}}}
        if url:
            payload["url"] = url
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        endpoint = f"{self.api}/cgi-bin/message/template/send?{urllib.parse.urlencode({'access_token': token})}"
        return endpoint, {"Content-Type": "application/json; charset=utf-8"}, body

    def _call(self, request) -> dict:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # scheme checked in __init__
                return json.loads(response.read(65536))
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"WeChat API answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"WeChat API unreachable: {exc}") from exc
        except ValueError as exc:
            raise DeliveryError("WeChat API answered something that is not JSON") from exc

    def access_token(self) -> str:
        token = cache.get(TOKEN_CACHE_KEY)
        if token:
            return token
        answer = self._call(urllib.request.Request(self.token_url(), method="GET"))
        token = answer.get("access_token")
        if not token:
            raise DeliveryError(f"WeChat API issued no access token: errcode {answer.get('errcode')}")
        cache.set(TOKEN_CACHE_KEY, token, max(60, int(answer.get("expires_in", 7200)) - 300))
        return token

    def send(self, openid: str, title: str, text: str, url: str = "", *, shown: str = "") -> str:
        endpoint, headers, body = self.build_request(self.access_token(), openid, title, text, url)
        answer = self._call(urllib.request.Request(endpoint, data=body, headers=headers, method="POST"))
        code = answer.get("errcode", -1)
        if code != 0:
            if code in TOKEN_EXPIRED:
                cache.delete(TOKEN_CACHE_KEY)
            raise DeliveryError(f"WeChat API refused the message: errcode {code} {answer.get('errmsg', '')}")
        return str(answer.get("msgid", ""))


@lru_cache(maxsize=4)
def _backend_class(path: str) -> type[WechatBackend]:
    return import_string(path)


def get_wechat_backend() -> WechatBackend:
    return _backend_class(settings.NOTIFY_WECHAT_BACKEND)()
