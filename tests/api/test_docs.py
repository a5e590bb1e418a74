"""The OpenAPI document and the docs page, which must work without reaching any CDN."""

import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_openapi_document_loads_and_lists_the_resources(db):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for resource, one in [("projects", "project"), ("buildings", "building"), ("units", "unit"),
                          ("customers", "customer"), ("occupancies", "occupancy")]:
        assert set(paths[f"/api/v1/{resource}"]) == {"get", "post"}
        assert set(paths[f"/api/v1/{resource}/{{{one}_id}}"]) == {"get", "patch"}
    assert "/api/v1/auth/token" in paths


def test_customer_schema_exposes_only_the_masked_id_number(db):
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert "id_number_masked" in schemas["CustomerOut"]["properties"]
    assert "id_number" not in schemas["CustomerOut"]["properties"]
    assert "id_number" in schemas["CustomerIn"]["properties"]


def test_docs_page_loads_swagger_from_local_static_files(db):
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert not [s for s in sources if s.startswith(("http://", "https://", "//"))]
    # No CDN named anywhere (a word match: the page's random CSRF token may contain the letters "cdn").
    assert not re.search(r"\bcdn\b|cdn\.|jsdelivr|unpkg", html, re.I)
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
