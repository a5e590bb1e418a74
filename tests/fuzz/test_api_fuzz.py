"""Schemathesis over the whole OpenAPI document, as a project manager and as a signed-in owner.

Every operation gets valid and invalid data (the coverage phase's boundaries and negative values,
then random examples) from a fixed seed. Whatever is sent, the API must not fail (no 5xx), must
answer what its document declares (status, content type, body), must reject invalid input with a
4xx, and every 422 names the fields with readable messages. An owner reaches no operation at all.
"""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from propdesk.wsgi import application

from . import budget
from .budget import COUNTS

# Loaded from the application itself (in process, no server), once at collection; the openapi.json
# view reads no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application,
                                        config=SchemathesisConfig.from_dict(budget.config()))
owner_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application,
                                              config=SchemathesisConfig.from_dict(budget.config(coverage=False)))

# Operations without a session or token: signing in, and the payment provider's signed notification.
PUBLIC = {"POST /api/v1/auth/token", "POST /api/v1/payments/notify/{provider}"}
FUZZ_SETTINGS = settings(deadline=None, derandomize=True, database=None,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    COUNTS.write()


def _json(response):
    try:
        return json.loads(response.content or b"null")
    except ValueError:
        return None


def _other_method(case) -> bool:
    """The coverage phase also tries methods the path does not have: 405 is the answer."""
    return case.method.upper() != case.operation.method.upper()


def _invalid_body(case) -> bool:
    """Whether the case's JSON body was generated to break the schema.

    A JSON body is sent as generated. Broken query and path values are left to Schemathesis'
    `negative_data_rejection`, which knows how they serialise: [] is not sent at all, ["x"] is
    sent as x, an unknown query parameter is ignored (the document does not forbid one).
    """
    meta = case.meta
    if meta is None or meta.generation.mode != GenerationMode.NEGATIVE:
        return False
    info = meta.components.get(ParameterLocation.BODY)
    return info is not None and info.mode == GenerationMode.NEGATIVE


def _field_errors(case, response) -> None:
    """Invalid input is a 400 (not JSON) or a 422 naming each field with readable messages."""
    if _other_method(case):
        assert response.status_code == 405, response.status_code
        return
    if _invalid_body(case):
        assert response.status_code in (400, 422), f"an invalid body answered {response.status_code}"
    if response.status_code not in (400, 422):
        return
    body = _json(response)
    assert isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"], body
    if response.status_code == 422:
        errors = body.get("errors")
        assert isinstance(errors, dict) and errors, f"a 422 without field errors: {body}"
        for field, messages in errors.items():
            assert isinstance(field, str) and field
            assert messages and all(isinstance(m, str) and m for m in messages), errors


def _run(who: str, case, call_kwargs: dict, extra_check) -> None:
    op = case.operation.label
    response = case.call(**call_kwargs)
    COUNTS.sent(who, op, response.status_code)
    try:
        case.validate_response(response)
        extra_check(case, response)
    except BaseException as exc:
        first = str(exc).splitlines()[0][:120] if str(exc) else ""
        COUNTS.failed(who, f"{op} (sent {case.method.upper()})", f"{type(exc).__name__}: {first}")
        raise


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_manager(case, fuzz_world):
    """A project manager with real buildings, units, customers and work orders behind the ids."""
    fuzz_world.aim(case)
    _run("manager", case, {"headers": {"Authorization": f"Bearer {fuzz_world.token}"}}, _field_errors)


def _refused(case, response) -> None:
    if _other_method(case):
        assert response.status_code in (401, 403, 405), response.status_code
        return
    if case.operation.label in PUBLIC:
        assert response.status_code in (400, 401, 422, 429), response.status_code
        return
    assert response.status_code in (401, 403), f"an owner got {response.status_code}"
    assert set(_json(response) or {}) <= {"detail"}, "an owner got data"


@owner_schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_owner(case, fuzz_world, owner_cookies):
    """An owner signed in to the portal: every operation refused (401/403), never data, never 5xx."""
    fuzz_world.aim(case)
    _run("owner", case, {"cookies": owner_cookies}, _refused)


def test_the_owner_run_is_signed_in_to_the_portal(client, fuzz_world, owner_cookies):
    """The owner's cookie is a real portal session: the refusals above are not just a bad cookie."""
    for name, value in owner_cookies.items():
        client.cookies[name] = value

    assert client.get("/portal/").status_code == 200
    assert client.get("/api/v1/projects").status_code == 401
