"""The access matrices of the second wave's domains (affairs, billing, engage), one module per domain.

Each domain's module (`tests/<domain>/matrix.py`) declares, in the shapes of the service desk's matrices:

    CONSOLE = {url name: (kind, methods, kwargs, data)}          # tests/console/test_access_matrix.py
    PORTAL = {url name: (kind, methods, kwargs, data)}           # tests/portal/test_access_matrix.py
    API_LISTS = {(path, method): lambda world: [query, ...]}     # tests/api/test_access_matrix.py
    API_OBJECTS = {(path, method): lambda world: (path, body)}

and the domain's own tests call every entry as the wrong person (staff of another project, the wrong
role, a neighbour, an owner of another project). The coverage tests (every console, portal and API URL
in a matrix; tests/test_url_coverage.py) read the union of these and the service desk's matrices, so a
new URL in any domain fails until its domain's matrix names it.
"""

from importlib import import_module

DOMAINS = ("affairs", "billing", "engage")


def _modules():
    return [import_module(f"tests.{domain}.matrix") for domain in DOMAINS]


def console() -> dict:
    return {k: v for m in _modules() for k, v in getattr(m, "CONSOLE", {}).items()}


def portal() -> dict:
    return {k: v for m in _modules() for k, v in getattr(m, "PORTAL", {}).items()}


def api_operations() -> set:
    return {k for m in _modules() for k in (*getattr(m, "API_LISTS", {}), *getattr(m, "API_OBJECTS", {}))}
