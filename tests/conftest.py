import pytest

from tests import clock
from tests.factories import OccupancyFactory, ProjectFactory, StaffFactory, UnitFactory


def pytest_configure(config):
    """PROPDESK_CLOCK shifts the whole run's clock (tests/clock.py)."""
    clock.start()
    config.pluginmanager.register(_SlowWithoutDatabaseFirst(), "propdesk-slow-first")


# Tests that take tens of seconds each (served processes, a browser, the whole demo) start early, so that
# the xdist workers do not wait for one of them at the end of the run. pytest-django orders a run as Django
# does (database tests, then transactional ones, whose flush empties the tables the data migrations filled,
# then the rest) and that order must hold in every worker: the slow ones go first within their group, and
# only those that use no test database (the fault drills) go before everything.
SLOW_FIRST = ("tests/fault/", "tests/engage/test_fanout_fault.py", "tests/test_demo.py", "tests/browser/")


def _slow_rank(item) -> int:
    return next((i for i, prefix in enumerate(SLOW_FIRST) if item.nodeid.startswith(prefix)), len(SLOW_FIRST))


def _uses_no_database(item) -> bool:
    return item.get_closest_marker("django_db") is None and not (
        {"db", "transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(tryfirst=True)  # before pytest-django's own (tryfirst too, registered earlier: called after)
def pytest_collection_modifyitems(session, config, items):
    items.sort(key=_slow_rank)  # stable; pytest-django's stable sort by group comes next


class _SlowWithoutDatabaseFirst:
    @pytest.hookimpl(trylast=True)  # after pytest-django's ordering
    def pytest_collection_modifyitems(self, items):
        items.sort(key=lambda item: 0 if _slow_rank(item) < len(SLOW_FIRST) and _uses_no_database(item) else 1)


def pytest_unconfigure(config):
    clock.stop()


def pytest_report_header(config):
    if clock.offset() is not None:
        from django.utils import timezone

        return f"clock shifted to {clock.os.environ.get(clock.CLOCK)} (now {timezone.localtime():%Y-%m-%d %H:%M %Z})"
    return None


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's fixture, with the test database cloned from a migrated template (tests/dbtemplate.py)."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from tests import dbtemplate

    verbosity = request.config.option.verbose
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        created = dbtemplate.setup_test_database(lambda keepdb: setup_databases(
            verbosity=verbosity, interactive=False, keepdb=keepdb, aliases=aliases,
            serialized_aliases=serialized_aliases))
    yield
    with django_db_blocker.unblock():
        teardown_databases(created, verbosity=verbosity)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language (Chinese): a request with an English cookie or an
    Accept-Language header activates English for the thread, and it must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def project(db):
    return ProjectFactory(code="sunny", name="阳光花园")


@pytest.fixture
def other_project(db):
    return ProjectFactory(code="river", name="江畔华庭")


@pytest.fixture
def staff(project):
    """A front-desk operator assigned to `project` only."""
    return StaffFactory(username="desk", role="front_desk", projects=[project])


@pytest.fixture
def outsider(other_project):
    """A project manager of another project: must see nothing of `project`."""
    return StaffFactory(username="outsider", role="project_manager", projects=[other_project])


@pytest.fixture
def admin_user(db):
    return StaffFactory(username="boss", role="company_admin")


@pytest.fixture
def occupancy(project):
    unit = UnitFactory(building__project=project, building__code="3", building__name="3栋",
                       entrance="2", number="1201", floor=12)
    return OccupancyFactory(unit=unit, customer__name="王建国", customer__phones=["13812345678"])
