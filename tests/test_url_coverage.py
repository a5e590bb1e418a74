"""No endpoint outside the access matrix: every URL the project serves is accounted for.

The access-matrix tests of the API, the console and the portal each call every entry of their matrix
as the wrong person (staff of another project, a neighbour, an owner of another project, the wrong
role) and fail when their own URL list and their matrix differ. This test walks the project's ROOT
URL configuration, so an endpoint added anywhere — at the root, under a new include, or in the API
but hidden from its OpenAPI document — fails here until it is in one of those matrices or in the short
list of deliberately public addresses below, with the reason.
"""

import re

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from propdesk.api.urls import api
from tests import domain_matrices
from tests.api import test_access_matrix as api_matrix
from tests.console import test_access_matrix as console_matrix
from tests.portal import test_access_matrix as portal_matrix

# Deliberately reachable without the matrices' scoping, and why.
PUBLIC = {
    "survey_by_token": "the survey SMS link: its hashed per-household token is the key (tests/surveys)",
    "set_language": "switches the interface language of the caller's own session",
    "api:openapi-json": "the API's description, no data",
    "api:openapi-view": "Swagger UI over the API's description, no data",
    "api:api-root": "the API's root answers 404 JSON",
    None: "any other address under /api/v1/ answers a JSON 404 (api.urls.not_found)",
}


def leaves(patterns=None, prefix="", namespace=""):
    """(full route, namespaced name) of every URL pattern, walking every include."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from leaves(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name


def openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_every_url_is_in_an_access_matrix_or_deliberately_public():
    operations = api_matrix.schema_operations()
    covered_api = set(api_matrix.LISTS) | set(api_matrix.OBJECTS) | api_matrix.PUBLIC | domain_matrices.api_operations()
    operation_ids = {op["operationId"] for ops in api.get_openapi_schema()["paths"].values() for op in ops.values()}
    unaccounted = []
    for route, name in leaves():
        if name in PUBLIC:
            continue
        namespace, _, short = (name or "").rpartition(":")
        if namespace == "console":
            ok = short in console_matrix.MATRIX or short in domain_matrices.console()
        elif namespace == "portal":
            ok = short in portal_matrix.MATRIX or short in domain_matrices.portal()
        elif namespace == "admin":
            ok = True  # Django's admin: every view behind admin_site.admin_view (see the test below)
        elif namespace == "api":
            path = openapi_path(route)
            methods = {m for p, m in operations if p == path}
            ok = bool(methods) and all((path, m) in covered_api for m in methods) and any(
                op.endswith(f"_{short}") for op in operation_ids)
        else:
            ok = False
        if not ok:
            unaccounted.append((route, name))
    assert not unaccounted, f"URLs in no access matrix: {unaccounted}"


def test_the_admin_site_refuses_signed_in_staff_who_are_not_admin_staff(staff):
    assert not staff.is_staff
    client = Client()
    client.force_login(staff)
    admin_urls = [route for route, name in leaves() if (name or "").startswith("admin:") and "<" not in route
                  and "(?P" not in route and name not in ("admin:login", "admin:logout")]
    assert len(admin_urls) > 10
    for route in admin_urls:
        response = client.get("/" + route)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], (route, response.status_code)
