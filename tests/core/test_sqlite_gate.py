"""SQLite's writers take turns through a gate (propdesk.core.sqlite): held from BEGIN IMMEDIATE to COMMIT or
ROLLBACK, by this process's threads and by other processes (a flock beside the database); a writer
that cannot pass in time fails as SQLite would, with nothing written; a holder that dies frees it."""

import subprocess
import sys
import threading

import pytest
from django.db import OperationalError, connection, transaction

from propdesk.org.models import Company

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "sqlite", reason="the gate is SQLite's")]

HOLD = """
import fcntl, sys
f = open(sys.argv[1], "a+")
fcntl.flock(f, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


def _gate_path():
    connection.ensure_connection()
    assert connection._gate_path and connection._gate_path.endswith("-writers.lock")
    return connection._gate_path


@pytest.fixture
def short_wait():
    connection.ensure_connection()
    saved, connection._gate_wait = connection._gate_wait, 0.3
    yield
    connection._gate_wait = saved


@pytest.fixture
def other_process():
    """Another process holding the gate, as a served worker inside its write transaction does."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, _gate_path()], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    yield proc
    proc.kill()
    proc.wait()


def _create(name):
    with transaction.atomic():
        Company.objects.create(name=name)


def test_a_writer_waits_for_another_processs_transaction_and_fails_cleanly_in_the_end(short_wait, other_process):
    with pytest.raises(OperationalError, match="database is locked"):
        _create("等候的物业")
    assert not Company.objects.filter(name="等候的物业").exists()  # nothing written; reads pass (WAL)

    other_process.stdin.write("\n")
    other_process.stdin.flush()
    other_process.wait()
    _create("等候的物业")
    assert Company.objects.filter(name="等候的物业").count() == 1


def test_a_holder_that_is_killed_frees_the_gate(short_wait, other_process):
    other_process.kill()
    other_process.wait()
    _create("接手的物业")
    assert Company.objects.filter(name="接手的物业").exists()


def test_threads_take_turns_and_a_rolled_back_transaction_frees_the_gate(short_wait):
    inside, leave, failed = threading.Event(), threading.Event(), []

    def holder():
        try:
            with transaction.atomic():
                Company.objects.create(name="回滚的物业")
                inside.set()
                leave.wait(10)
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert inside.wait(10)
    waiter = threading.Thread(target=lambda: _waiting_create(failed))
    waiter.start()
    waiter.join()
    assert failed == ["database is locked"]  # the other thread held the gate for its whole transaction

    leave.set()
    thread.join()
    _create("之后的物业")
    assert list(Company.objects.values_list("name", flat=True)) == ["之后的物业"]


def _waiting_create(failed):
    connection.ensure_connection()
    connection._gate_wait = 0.3
    try:
        _create("另一线程的物业")
    except OperationalError as exc:
        failed.append(str(exc))
    finally:
        connection.close()
