"""Start a WSGI app under granian on loopback (as scripts/serve.sh does) and load it with wrk."""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def granian(app: str, env: dict, granian_bin: str, workers: int = 2, cwd=None, log=None,
            threads: int | None = None):
    """Serve `app` ("module:attr") on 127.0.0.1 with `workers` WSGI workers of `threads` threads each
    (default: GRANIAN_BLOCKING_THREADS or 2, as scripts/serve.sh); yields the base URL."""
    port = free_port()
    threads = threads or int(os.environ.get("GRANIAN_BLOCKING_THREADS") or 2)
    out = open(log, "ab") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [granian_bin, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port), "--workers",
         str(workers), "--blocking-threads", str(threads), app], env=env, cwd=cwd, stdout=out,
        stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"granian exited with {proc.returncode} (see {log})")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            if time.time() > deadline:
                raise RuntimeError("granian did not start within 60 s")
            time.sleep(0.2)
        time.sleep(1.0)  # let every worker finish loading Django
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if log:
            out.close()


def wrk(url: str, script: str, seconds: int = 10, threads: int = 2, connections: int = 8,
        env: dict | None = None, timeout: int = 10) -> dict:
    """Run wrk against a loopback URL for a bounded time; returns its JSON summary (see the Lua)."""
    assert url.startswith("http://127.0.0.1:"), "load tests go to loopback only"
    assert seconds <= 15
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    result = subprocess.run(
        [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s",
         "-s", str(BENCH / script), url],
        env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=seconds + 60)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary:\n{result.stdout}\n{result.stderr}")
    data = json.loads(line[len("WRKJSON "):])
    data["seconds"] = data["duration_us"] / 1e6
    data["req_per_s"] = data["requests"] / data["seconds"]
    return data
