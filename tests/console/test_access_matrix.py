"""Every console URL, called by a staff member of ANOTHER project, reveals nothing of the first one.

The matrix names every URL pattern of propdesk.console.urls with how to call it; a new pattern
without an entry here makes `test_matrix_covers_every_console_url` fail, so no page escapes review.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, reverse

from propdesk.console import urls as console_urls

# Names, numbers and addresses of the first project that must never show to the outsider.
SECRETS = ["阳光花园", "王建国", "李秀英", "赵前租", "13812345678", "13900001111", "湘A12345", "交房查验"]

# What each console URL is, for the matrix:
#   object — kwargs point at the first project's objects: the outsider must get 403 or 404;
#   list   — no object in the URL: 200, with none of the first project's data in it;
#   public — the login/logout pages, which hold no archive data.
OBJ, LIST, PUBLIC = "object", "list", "public"
XLSX_UPLOAD = {"file": lambda: SimpleUploadedFile("a.xlsx", b"PK\x03\x04", content_type="application/octet-stream")}

MATRIX = {
    # name: (kind, methods, {kwarg: attribute of the `archive` fixture}, query/form data)
    "home": (LIST, ["GET"], {}, {}),
    "login": (PUBLIC, ["GET"], {}, {}),
    "logout": (PUBLIC, ["POST"], {}, {}),
    "lookup": (LIST, ["GET"], {}, [{"q": "王建"}, {"q": "1381234"}, {"q": "3-2-1201"}, {"q": "3栋1201"}]),
    "project_list": (LIST, ["GET"], {}, {}),
    "project_detail": (OBJ, ["GET"], {"project_id": "project"}, {}),
    "building_detail": (OBJ, ["GET"], {"building_id": "building"}, {}),
    "unit_detail": (OBJ, ["GET"], {"unit_id": "unit"}, {}),
    "customer_detail": (OBJ, ["GET"], {"customer_id": "owner"}, {}),
    "customer_edit": (OBJ, ["GET", "POST"], {"customer_id": "owner"}, {"name": "改名", "phones": ""}),
    "customer_confirm": (OBJ, ["POST"], {"customer_id": "owner"}, {}),
    "customer_reveal_id": (OBJ, ["POST"], {"customer_id": "owner"}, {}),
    "review": (LIST, ["GET"], {}, [{}, {"project": "<project>"}]),
    "transfer": (LIST, ["GET"], {}, {}),
    "transfer_template": (LIST, ["GET"], {}, {}),
    "project_transfer": (OBJ, ["GET"], {"project_id": "project"}, {}),
    "project_export": (OBJ, ["POST"], {"project_id": "project"}, {"reveal_ids": "on"}),
    "project_import": (OBJ, ["POST"], {"project_id": "project"}, XLSX_UPLOAD),
}


def console_patterns(patterns=None, prefix=""):
    """(name, pattern) for every named URL of the console, walking included resolvers too."""
    for entry in console_urls.urlpatterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from console_patterns(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            yield entry.name, entry


def test_matrix_covers_every_console_url():
    names = [name for name, _ in console_patterns()]
    assert None not in names, "every console URL needs a name to be in the access matrix"
    assert set(names) == set(MATRIX), f"missing from matrix: {set(names) - set(MATRIX)}; stale: {set(MATRIX) - set(names)}"
    for name, pattern in console_patterns():
        assert set(pattern.pattern.converters) == set(MATRIX[name][2]), f"{name}: kwargs differ from the matrix"


def _calls(name, archive):
    kind, methods, kwargs, data = MATRIX[name]
    url = reverse(f"console:{name}", kwargs={k: getattr(archive, attr).pk for k, attr in kwargs.items()})
    for method in methods:
        for payload in data if isinstance(data, list) else [data]:
            payload = {k: (archive.project.pk if v == "<project>" else v() if callable(v) else v)
                       for k, v in payload.items()}
            yield method, url, payload


def _request(client, method, url, payload):
    return client.get(url, payload) if method == "GET" else client.post(url, payload)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_staff_of_another_project_gets_nothing(client, archive, outsider, name):
    if name == "transfer_template":
        pytest.importorskip("propdesk.archive.excel", reason="archive/excel.py is not written yet")
    client.force_login(outsider)
    kind = MATRIX[name][0]
    for method, url, payload in _calls(name, archive):
        response = _request(client, method, url, payload)
        if kind == OBJ:
            assert response.status_code in (403, 404), f"{method} {url} answered {response.status_code}"
        elif kind == LIST:
            assert response.status_code == 200, f"{method} {url} answered {response.status_code}"
        else:
            assert response.status_code in (200, 302)
        body = response.content.decode(errors="replace")
        leaked = [s for s in SECRETS if s in body]
        assert not leaked, f"{method} {url} shows {leaked}"
    archive.owner.refresh_from_db()
    assert archive.owner.name == "王建国"


def test_the_outsider_does_see_their_own_project(client, archive, outsider):
    """Guards the matrix against passing on pages that show nothing to anybody."""
    client.force_login(outsider)
    assert "江畔华庭" in client.get(reverse("console:project_list")).content.decode()
    assert "陈外人" in client.get(reverse("console:customer_detail", args=[archive.stranger.pk])).content.decode()
    response = client.get(reverse("console:lookup"), {"q": "13655556666"})
    assert response["Location"] == reverse("console:customer_detail", args=[archive.stranger.pk])


@pytest.mark.parametrize("name", sorted(set(MATRIX) - {"login", "logout"}))
def test_anonymous_visitors_are_sent_to_login(client, archive, name):
    for method, url, payload in _calls(name, archive):
        response = _request(client, method, url, payload)
        assert response.status_code == 302, f"{method} {url} answered {response.status_code}"
        assert response["Location"].startswith(reverse("console:login"))
