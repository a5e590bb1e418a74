"""SQLite whose writers take turns through a gate instead of SQLite's busy handler.

Every write transaction is `BEGIN IMMEDIATE` (settings.base): it takes the database's write lock at
its start and holds it to its COMMIT or ROLLBACK. A connection that finds the lock taken waits in
SQLite's busy handler, which sleeps 1, 2, 5, 10 … up to 100 ms between tries: under load (several
served workers, each with threads) a waiting writer sleeps long after the lock came free while new
arrivals take it first, so the writes queue behind sleeps, not behind work (an intake's transaction
lasts about a millisecond; its p95 at full load was hundreds).

Here a write transaction first passes a gate held for exactly as long as SQLite's lock: a lock of this
process (threads wake as soon as it is released), then an exclusive `flock` on a file beside the
database (`<database>-writers.lock`) that other processes test every 0.5–2 ms. The kernel drops the
flock of a process that dies, so a killed worker never blocks the others. Waiting is bounded by the
connection's `timeout` (sqlite3's, 5 s by default), after which the transaction fails as SQLite would:
"database is locked", nothing written. What does not pass the gate (a write outside a transaction, a
tool like the sqlite3 shell) still meets SQLite's own lock and busy handler, so the gate changes how
writers wait, never what they may do. In-memory databases have no gate.
"""

import contextlib
import fcntl
import os
import threading
import time

from django.db.backends.sqlite3 import base, creation
from django.db.utils import OperationalError

_guard = threading.Lock()
_process_gates: dict[str, threading.Lock] = {}
os.register_at_fork(after_in_child=_process_gates.clear)  # a child starts with no gate held

FIRST_PAUSE = 0.0005
LONGEST_PAUSE = 0.002


def _process_gate(path: str) -> threading.Lock:
    with _guard:
        return _process_gates.setdefault(path, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _gate_path: str | None = None
    _gate_fd: int | None = None
    _gate_pid: int | None = None
    _gate_held = False

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        self._leave_gate()
        self._gate_path = None
        name = str(conn_params.get("database", ""))
        if self.transaction_mode in ("IMMEDIATE", "EXCLUSIVE") and not self.is_in_memory_db() \
                and not name.startswith("file:"):
            self._gate_path = f"{os.path.abspath(name)}-writers.lock"
            self._gate_wait = float(conn_params.get("timeout", 5.0))
        return connection

    def _gate_file(self) -> int:
        if self._gate_fd is None or self._gate_pid != os.getpid():  # not a descriptor shared with a parent
            self._gate_fd = os.open(self._gate_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            self._gate_pid = os.getpid()
        return self._gate_fd

    def _enter_gate(self):
        if self._gate_path is None or self._gate_held:
            return
        deadline = time.monotonic() + self._gate_wait
        gate = _process_gate(self._gate_path)
        if not gate.acquire(timeout=self._gate_wait):
            raise OperationalError("database is locked")
        try:
            fd, pause = self._gate_file(), FIRST_PAUSE
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise OperationalError("database is locked") from None
                    time.sleep(pause)
                    pause = min(pause * 2, LONGEST_PAUSE)
        except BaseException:
            gate.release()
            raise
        self._gate_held = True

    def _leave_gate(self):
        if not self._gate_held:
            return
        self._gate_held = False
        try:
            fcntl.flock(self._gate_fd, fcntl.LOCK_UN)
        finally:
            _process_gate(self._gate_path).release()

    def _start_transaction_under_autocommit(self):
        self._enter_gate()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_gate()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._leave_gate()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._leave_gate()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._leave_gate()
            if self._gate_fd is not None and self._gate_pid == os.getpid():
                os.close(self._gate_fd)
            self._gate_fd = None


class DatabaseCreation(creation.DatabaseCreation):
    def _destroy_test_db(self, test_database_name, verbosity):
        super()._destroy_test_db(test_database_name, verbosity)
        if not self.is_in_memory_db(test_database_name):
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{os.path.abspath(test_database_name)}-writers.lock")


DatabaseWrapper.creation_class = DatabaseCreation
