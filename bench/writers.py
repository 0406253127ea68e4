"""Many concurrent API writers against a real server on loopback, and a reader timing it meanwhile.

    .venv/bin/python bench/writers.py [--writers 48] [--duration 20] [--workers 1] [--database-url URL]

Starts `claimtrack serve` (one worker unless --workers says more; the environment, such as
CLAIMTRACK_SQLITE_WRITE_WAIT, passes to it) on a new database (SQLite in a temporary directory unless
--database-url names an empty PostgreSQL database), creates an editor with an API token, then runs
N writers, each on its own keep-alive connection, that POST /api/v1/claims one after the other until
the duration has passed, while one reader alternates GET /healthz and GET / (a page). Prints writes
per second, the writers' answers by status (and the details of the refusals), transport errors, and
the reader's p50 / p95 / max in milliseconds. Bounded: at most 256 writers and 120 seconds, a 60-second
timeout per request, and only loopback.
"""

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from app.accounts.service import create_user, issue_token
from app.cli import upgrade_database
from app.db import create_db_engine, make_session_factory
from app.vocabulary import Role

MAX_WRITERS = 256
MAX_DURATION = 120.0
REQUEST_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def editor_token(database_url: str) -> str:
    """Migrate the new database and issue an editor's API token (the server seeds it on start)."""
    engine = create_db_engine(database_url)
    try:
        upgrade_database(engine)
        with make_session_factory(engine)() as session:
            user = create_user(session, "bench-editor", "a-long-bench-passphrase-9", Role.EDITOR, by="bench")
            secret = issue_token(session, user, "bench", by="bench").secret
            session.commit()
    finally:
        engine.dispose()
    return secret


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not come up")


def percentiles(timings: list[float]) -> str:
    if not timings:
        return "no answers"
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    median = statistics.median(ordered)
    return f"p50 {median:7.1f}  p95 {p95:7.1f}  max {ordered[-1]:7.1f} ms  (n={len(ordered)})"


class Tally:
    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.refusals: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.write_ms: list[float] = []
        self.retry_after: Counter[str] = Counter()
        self.reader_ms: dict[str, list[float]] = {"/healthz": [], "/": []}
        self.reader_statuses: Counter[str] = Counter()


async def writer(client: httpx.AsyncClient, number: int, stop_at: float, tally: Tally) -> None:
    sequence = 0
    while time.monotonic() < stop_at:
        sequence += 1
        body = {"text": f"Benchmark claim {number}-{sequence} written under concurrent load."}
        started = time.perf_counter()
        try:
            response = await client.post("/api/v1/claims", json=body)
        except httpx.HTTPError as error:
            tally.errors[type(error).__name__] += 1
            await asyncio.sleep(0.1)
            continue
        tally.statuses[response.status_code] += 1
        if response.status_code == 201:
            tally.write_ms.append((time.perf_counter() - started) * 1000)
        else:
            detail = response.text[:160]
            with contextlib.suppress(ValueError):
                detail = str(response.json().get("detail", detail))[:160]
            tally.refusals[f"{response.status_code}: {detail}"] += 1
            tally.retry_after[response.headers.get("retry-after", "-")] += 1
            # A client that honours Retry-After would wait; a pause keeps refused writers from spinning.
            await asyncio.sleep(min(float(response.headers.get("retry-after", "1") or 1), 1.0))


async def reader(client: httpx.AsyncClient, stop_at: float, tally: Tally) -> None:
    while time.monotonic() < stop_at:
        for path in ("/healthz", "/"):
            started = time.perf_counter()
            try:
                response = await client.get(path)
            except httpx.HTTPError as error:
                tally.reader_statuses[f"{path} {type(error).__name__}"] += 1
                continue
            tally.reader_ms[path].append((time.perf_counter() - started) * 1000)
            tally.reader_statuses[f"{path} {response.status_code}"] += 1
        await asyncio.sleep(0.05)


async def run(base: str, token: str, writers: int, duration: float) -> Tally:
    tally = Tally()
    async with contextlib.AsyncExitStack() as clients:
        # Every client made before the clock starts: each builds an SSL context, some 50 ms of CPU that
        # would otherwise land in the first requests' latencies.
        headers = {"Authorization": f"Bearer {token}"}
        writer_clients = [
            await clients.enter_async_context(
                httpx.AsyncClient(base_url=base, headers=headers, timeout=REQUEST_TIMEOUT)
            )
            for _ in range(writers)
        ]
        reader_client = await clients.enter_async_context(
            httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT)
        )
        stop_at = time.monotonic() + duration
        await asyncio.gather(
            reader(reader_client, stop_at, tally),
            *(writer(client, n, stop_at, tally) for n, client in enumerate(writer_clients)),
        )
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--writers", type=int, default=48)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds")
    parser.add_argument("--workers", type=int, default=1, help="server processes (1 to 8)")
    args = parser.parse_args()
    writers = max(1, min(args.writers, MAX_WRITERS))
    duration = max(1.0, min(args.duration, MAX_DURATION))
    workers = max(1, min(args.workers, 8))

    with tempfile.TemporaryDirectory() as scratch:
        database_url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        token = editor_token(database_url)
        port = free_port()
        serve = ["serve", "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", *serve],
            env={**os.environ, "DATABASE_URL": database_url},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, server)
            started = time.monotonic()
            tally = asyncio.run(run(base, token, writers, duration))
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            _, stderr = server.communicate(timeout=60)
    written = tally.statuses[201]
    backend = database_url.split("://")[0]
    print(f"database: {backend}, {workers} worker(s); {writers} writers for {duration:.0f} s")
    print(f"elapsed: {elapsed:.1f} s")
    statuses = dict(sorted(tally.statuses.items()))
    print(f"writes: {written} ({written / elapsed:.1f}/s); answers by status: {statuses}")
    print(f"write latency (201): {percentiles(tally.write_ms)}")
    print(f"transport errors: {dict(tally.errors) or 'none'}")
    for refusal, count in tally.refusals.most_common(5):
        print(f"  {count} × {refusal}")
    if tally.refusals:
        print(f"  Retry-After of refusals: {dict(tally.retry_after)}")
    for path, timings in tally.reader_ms.items():
        print(f"reader {path:9} {percentiles(timings)}")
    print(f"reader answers: {dict(tally.reader_statuses)}")
    tracebacks = stderr.decode(errors="replace").count("Traceback")
    print(f"server tracebacks logged: {tracebacks}")


if __name__ == "__main__":
    main()
