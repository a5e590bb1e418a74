"""WeChat template messages (issue 15 item 1): the request the API adapter sends, against a local server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from propdesk.notify import wechat
from propdesk.notify.backends import DeliveryError
from propdesk.notify.services import Outgoing, deliver, send_bulk


def test_the_template_request_carries_the_openid_the_fields_and_the_link():
    backend = wechat.HttpWechatBackend(api="https://wx.example.com", appid="wx123", secret="s", template_id="T1")
    url, headers, body = backend.build_request("TOKEN", "oAbC", "5栋水管爆裂紧急停水通知今日十四时至十八时停水", "正文",
                                               "https://wy.example.com/portal/notices/7/")
    assert url == "https://wx.example.com/cgi-bin/message/template/send?access_token=TOKEN"
    assert headers["Content-Type"].startswith("application/json")
    payload = json.loads(body)
    assert payload["touser"] == "oAbC" and payload["template_id"] == "T1"
    assert payload["url"] == "https://wy.example.com/portal/notices/7/"
    assert len(payload["data"]["thing1"]["value"]) == 20 and payload["data"]["thing1"]["value"].endswith("…")
    assert payload["data"]["thing2"] == {"value": "正文"}
    assert parse_qs(urlparse(backend.token_url()).query) == {
        "grant_type": ["client_credential"], "appid": ["wx123"], "secret": ["s"]}


def test_the_adapter_refuses_to_run_unconfigured(settings):
    with pytest.raises(DeliveryError):
        wechat.HttpWechatBackend(api="https://wx.example.com", appid="", secret="", template_id="")


@pytest.fixture
def wechat_api(settings, monkeypatch):
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    seen = {"token": 0, "sent": [], "answer": {"errcode": 0, "errmsg": "ok", "msgid": 200228332}}

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, payload):
            data = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            seen["token"] += 1
            self._answer({"access_token": f"ACCESS{seen['token']}", "expires_in": 7200})

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen["sent"].append({"path": self.path, "body": json.loads(body)})
            self._answer(seen["answer"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.NOTIFY_WECHAT_BACKEND = "propdesk.notify.wechat.HttpWechatBackend"
    settings.NOTIFY_WECHAT_API = f"http://127.0.0.1:{server.server_address[1]}"
    settings.NOTIFY_WECHAT_APPID, settings.NOTIFY_WECHAT_SECRET = "wx123", "secret"
    settings.NOTIFY_WECHAT_TEMPLATE_ID = "TEMPLATE-1"
    settings.NOTIFY_SITE_URL = "https://wy.example.com"
    yield seen
    server.shutdown()
    server.server_close()


def _one(project, key="k1"):
    send_bulk(project=project, event="engage.notice", batch="notice:1:1", messages=[Outgoing(
        once_key=key, channel="wechat", address="oOpenId", customer_id=7, name="王建国", subject="5栋停水",
        body="今日14:00至18:00停水", link="/portal/notices/1/")])


@pytest.mark.django_db
def test_a_message_is_sent_through_the_api_with_a_cached_token(project, wechat_api,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _one(project, "k1")
        _one(project, "k2")
    assert wechat_api["token"] == 1 and len(wechat_api["sent"]) == 2  # the token is fetched once
    first = wechat_api["sent"][0]
    assert first["path"] == "/cgi-bin/message/template/send?access_token=ACCESS1"
    assert first["body"]["url"] == "https://wy.example.com/portal/notices/1/"
    assert first["body"]["data"]["thing1"]["value"] == "5栋停水"


@pytest.mark.django_db
def test_an_api_refusal_marks_the_message_failed_and_drops_an_expired_token(project, wechat_api, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    wechat_api["answer"] = {"errcode": 42001, "errmsg": "access_token expired"}
    _one(project)
    from propdesk.notify.models import Notification

    row = Notification.objects.get(once_key="k1")
    assert deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert "42001" in row.last_error
    wechat_api["answer"] = {"errcode": 0, "msgid": 1}
    assert deliver(row.pk) == "sent" and wechat_api["token"] == 2
