"""Fixtures for the JSON API: a small JSON client authenticated with a real bearer token."""

import json

import pytest
from django.test import Client

from propdesk.org.services import issue_api_token
from tests.factories import (
    BuildingFactory,
    CustomerFactory,
    OccupancyFactory,
    StaffFactory,
    UnitFactory,
)

BASE = "/api/v1"
PASSWORD = "correct-horse-9"


class Api:
    """A Django test client speaking JSON to /api/v1/, with a bearer token and a language."""

    def __init__(self, token: str | None = None, language: str = "zh-hans", client: Client | None = None):
        self.client = client or Client()
        self.headers = {"accept-language": language}
        if token:
            self.headers["authorization"] = f"Bearer {token}"

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path: str, data=None, raw: str | None = None):
        body = raw if raw is not None else json.dumps(data or {})
        return self.client.post(BASE + path, body, content_type="application/json", headers=self.headers)

    def patch(self, path: str, data=None):
        return self.client.patch(BASE + path, json.dumps(data or {}), content_type="application/json",
                                 headers=self.headers)

    def call(self, method: str, path: str, data=None):
        """Any operation by its OpenAPI method name; `data` is the JSON body (ignored for GET)."""
        if method == "get":
            return self.get(path)
        return {"post": self.post, "patch": self.patch}[method](path, data or {})


def token_for(user) -> str:
    raw, _token = issue_api_token(user.username, PASSWORD, "127.0.0.1")
    return raw


@pytest.fixture
def api_as():
    """api_as(user, language="en") -> an Api client carrying a fresh token of `user`."""

    def make(user, language: str = "zh-hans") -> Api:
        return Api(token_for(user), language)

    return make


@pytest.fixture
def desk_api(staff, api_as):
    """The front-desk operator of `project`, speaking Chinese (the default)."""
    return api_as(staff)


@pytest.fixture
def admin_api(admin_user, api_as):
    return api_as(admin_user)


@pytest.fixture
def outsider_api(outsider, api_as):
    return api_as(outsider)


@pytest.fixture
def manager(project):
    """A project manager of `project`: may change the project's own settings."""
    return StaffFactory(username="manager", role="project_manager", projects=[project])


@pytest.fixture
def estate(project, occupancy):
    """`project` with a building, two units and a customer who owns one of them (王建国, 3-2-1201)."""
    building = occupancy.unit.building
    spare = UnitFactory(building=building, entrance="2", number="1202", floor=12)
    return {"project": project, "building": building, "unit": occupancy.unit, "spare_unit": spare,
            "customer": occupancy.customer, "occupancy": occupancy}


def fill_project(project, rows: int = 20, start: int = 0):
    """`rows` buildings, units, customers (with two phones each) and occupancies in `project`."""
    for i in range(start, start + rows):
        building = BuildingFactory(project=project, code=f"B{i}", name=f"{i}号楼")
        unit = UnitFactory(building=building, number=f"{i + 1}01")
        customer = CustomerFactory(project=project, phones=[f"1380000{i:04d}", f"1390000{i:04d}"])
        OccupancyFactory(unit=unit, customer=customer)
