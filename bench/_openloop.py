"""A fixed-rate (open-loop) HTTP load generator for loopback: N requests per second, whatever the answers.

wrk keeps each connection busy (closed loop): when the server slows down, wrk sends less, and the
latency it reports leaves out the time requests would have waited. Here request i is due at
start + i / rate; it is sent on the free keep-alive connection that has waited longest (`connections`
are opened first, like that many desk clients, and more when all are busy, up to `max_connections`),
and its latency is counted from the moment it was due, so queueing in
the client or the server is part of the figure. Plain HTTP/1.1 over asyncio streams, no dependency,
so it runs in propdesk's venv and in django-helpdesk's.
"""

import asyncio
import time
from collections import deque
from collections.abc import Callable
from urllib.parse import urlsplit


def _percentile(samples, p):
    ordered = sorted(samples)
    if not ordered:
        return None
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


async def _read_response(reader) -> int:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length, chunked, close = 0, False, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            close = True
    if chunked:
        while True:
            size = int((await reader.readline()).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return -status if close else status


async def _run(url: str, request: Callable[[int], tuple[bytes, dict]], rate: float, seconds: float,
               connections: int, max_connections: int, timeout: float) -> dict:
    parts = urlsplit(url)
    host, port, path = parts.hostname, parts.port, parts.path or "/"
    loop = asyncio.get_running_loop()
    idle: deque = deque()
    for _ in range(connections):
        idle.append(await asyncio.wait_for(asyncio.open_connection(host, port), timeout))
    opened = connections
    slot = asyncio.Condition()
    latencies, statuses, errors = [], {}, 0
    n = int(rate * seconds)
    start = loop.time() + 0.1
    last_done = start

    async def connection():
        nonlocal opened
        async with slot:
            while not idle and opened >= max_connections:
                await slot.wait()
            if idle:
                return idle.popleft()
            opened += 1
        try:
            return await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
        except BaseException:
            async with slot:
                opened -= 1
                slot.notify()
            raise

    async def release(conn, reuse: bool):
        nonlocal opened
        async with slot:
            if reuse:
                idle.append(conn)
            else:
                opened -= 1
                conn[1].close()
            slot.notify()

    async def one(i: int):
        nonlocal errors, last_done
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        body, headers = request(i)
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        data = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {len(body)}\r\n{head}\r\n"
                .encode("latin-1") + body)
        try:
            conn = await connection()
        except Exception:
            errors += 1
            return
        reuse = False
        try:
            conn[1].write(data)
            await conn[1].drain()
            status = await asyncio.wait_for(_read_response(conn[0]), timeout)
            reuse = status > 0
            status = abs(status)
            latencies.append((loop.time() - due) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            last_done = max(last_done, loop.time())
        except Exception:
            errors += 1
        finally:
            await release(conn, reuse)

    await asyncio.gather(*(one(i) for i in range(n)))
    for _reader, writer in idle:
        writer.close()
    elapsed = last_done - start
    ok = sum(c for s, c in statuses.items() if 200 <= s < 300)
    return {
        "target_per_s": rate, "sent": n, "seconds": round(elapsed, 2), "ok": ok,
        "non2xx": sum(statuses.values()) - ok, "errors": errors, "connections": opened,
        "achieved_per_s": round(ok / elapsed, 1) if elapsed > 0 else 0.0,
        "p50_ms": round(_percentile(latencies, 50), 1), "p95_ms": round(_percentile(latencies, 95), 1),
        "p99_ms": round(_percentile(latencies, 99), 1), "max_ms": round(max(latencies), 1),
    }


def fixed_rate(url: str, request: Callable[[int], tuple[bytes, dict]], rate: float = 50, seconds: float = 10,
               connections: int = 8, max_connections: int = 64, timeout: float = 10) -> dict:
    """POST rate × seconds requests to a loopback URL at a fixed rate; request(i) -> (body, headers).

    Returns the achieved rate of 2xx answers, p50/p95/p99/max latency from each request's due time
    (ms), the counts of non-2xx answers and errors, and how many connections were used in all.
    """
    assert url.startswith("http://127.0.0.1:"), "load tests go to loopback only"
    assert seconds <= 15
    t = time.perf_counter()
    out = asyncio.run(_run(url, request, rate, seconds, connections, max_connections, timeout))
    out["wall_s"] = round(time.perf_counter() - t, 2)
    return out
