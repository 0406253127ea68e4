"""A bounded HTTP/1.1 load generator, meant to run in its own process against a server on loopback.

    python -m app.bench.load http://127.0.0.1:8000/livez --connections 16 --duration 5

Each of N keep-alive connections sends one GET at a time (no pipelining) and the next as soon as the
answer is complete, until the duration has passed or the request count is reached, whichever comes
first; it prints requests per second, latency p50 / p99 / max, the status codes and the errors as JSON.

It is written on asyncio Protocols (on uvloop when installed), with the request bytes built once and
only the framing of an answer parsed (status line, Content-Length or chunked), because a general client
such as httpx spends more time per request than a bare Starlette app does: on a 2-core machine it
would measure itself. Only loopback addresses are accepted: this is for servers on this machine.
"""

import argparse
import asyncio
import concurrent.futures
import importlib
import ipaddress
import json
import socket
import sys
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, cast
from urllib.parse import urlsplit

MAX_CONNECTIONS = 1024
MAX_DURATION = 600.0  # seconds
MAX_HEAD = 64 * 1024  # bytes of status line and headers before an answer is called malformed


@dataclass(frozen=True)
class LoadResult:
    """What one bounded run measured. Latencies run from writing a request to its answer's last byte."""

    url: str
    connections: int
    requests: int
    """Answers received complete, whatever their status."""
    elapsed_s: float
    requests_per_s: float
    latency_p50_ms: float
    latency_p99_ms: float
    latency_max_ms: float
    status_counts: dict[int, int]
    errors: dict[str, int]
    """Requests or connections that failed, by reason (refused, timed out, closed mid-answer, ...)."""

    def to_json(self) -> dict[str, Any]:
        document = asdict(self)
        document["status_counts"] = {str(status): n for status, n in sorted(self.status_counts.items())}
        return document


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    address: str
    request: bytes


def target(url: str, headers: Iterable[tuple[str, str]] = ()) -> Target:
    """The loopback address and the request bytes for a GET of `url`; anything else is refused."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"{url}: give an http:// URL of a server on this machine")
    port = parts.port or 80
    resolved = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    addresses = {str(info[4][0]) for info in resolved}
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise ValueError(f"{url}: {parts.hostname} is not a loopback address; load only this machine")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host_header = parts.netloc.rpartition("@")[2]
    lines = [f"GET {path} HTTP/1.1", f"Host: {host_header}", "User-Agent: claimtrack-bench"]
    lines += [f"{name}: {value}" for name, value in headers]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return Target(host=parts.hostname, port=port, address=sorted(addresses)[0], request=request)


class _Run:
    """The state every connection of one run shares: the budget, and what was measured."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        request: bytes,
        deadline: float | None,
        max_requests: int | None,
    ) -> None:
        self.loop = loop
        self.request = request
        self.deadline = deadline
        self.remaining = max_requests
        self.stopping = False
        self.latencies = array("d")
        self.statuses: Counter[int] = Counter()
        self.errors: Counter[str] = Counter()
        self.live: set[_Connection] = set()

    def exhausted(self) -> bool:
        """Is the budget spent (time or requests), so that no new connection is worth opening?"""
        return (
            self.stopping
            or (self.remaining is not None and self.remaining <= 0)
            or (self.deadline is not None and self.loop.time() >= self.deadline)
        )

    def take(self) -> bool:
        """May one more request be sent? Every attempt counts against the request budget."""
        if self.stopping:
            return False
        if self.deadline is not None and self.loop.time() >= self.deadline:
            self.stopping = True
            return False
        if self.remaining is not None:
            if self.remaining <= 0:
                self.stopping = True
                return False
            self.remaining -= 1
        return True


class _Connection(asyncio.Protocol):
    """One keep-alive connection: send, read the answer's framing, record, send again."""

    def __init__(self, run: _Run) -> None:
        self.run = run
        self.transport: asyncio.Transport | None = None
        self.closed: asyncio.Future[None] = run.loop.create_future()
        self.buffer = bytearray()
        self.sent_at = 0.0
        self.in_flight = False
        self._reset()

    def _reset(self) -> None:
        self.status = 0
        self.body_start = -1  # -1 until the head is read
        self.body_end = -1  # with Content-Length: where the answer ends
        self.chunk_at = -1  # chunked: where the next chunk-size line starts
        self.until_close = False  # neither: the body runs to the end of the connection
        self.close_after = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it
        self.transport = cast(asyncio.Transport, transport)
        self.run.live.add(self)
        self._send_next()

    def _send_next(self) -> None:
        assert self.transport is not None
        if self.run.take():
            self.in_flight = True
            self.sent_at = time.perf_counter()
            self.transport.write(self.run.request)
        else:
            self.in_flight = False
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        if not self.in_flight:
            self.run.errors["bytes nobody asked for"] += 1
            self.abort()
            return
        end = self._answer_end(buffer)
        if end == -2:
            self.run.errors["malformed answer"] += 1
            self.abort()
        elif end >= 0:
            self._complete(end)

    def _answer_end(self, buffer: bytearray) -> int:
        """Where the answer in the buffer ends; -1 if more is needed, -2 if it is not HTTP/1.x."""
        if self.body_start < 0:
            head_end = buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return -2 if len(buffer) > MAX_HEAD else -1
            if not buffer.startswith(b"HTTP/1."):
                return -2
            status = buffer[9:12]
            if not status.isdigit():
                return -2
            self.status = int(status)
            if 100 <= self.status < 200:  # an interim answer: the real one follows
                del buffer[: head_end + 4]
                return self._answer_end(buffer)
            head = bytes(buffer[:head_end]).lower()
            self.body_start = head_end + 4
            self.close_after = b"\r\nconnection: close" in head or (
                head.startswith(b"http/1.0") and b"\r\nconnection: keep-alive" not in head
            )
            if self.status in (204, 304):
                self.body_end = self.body_start
            elif b"\r\ntransfer-encoding:" in head and b"chunked" in head:
                self.chunk_at = self.body_start
            elif (length := _header(head, b"\r\ncontent-length:")) is not None:
                if not length.isdigit():
                    return -2
                self.body_end = self.body_start + int(length)
            else:
                self.until_close = True
        if self.body_end >= 0:
            return self.body_end if len(buffer) >= self.body_end else -1
        if self.chunk_at >= 0:
            return self._chunked_end(buffer)
        return -1  # until close: connection_lost completes it

    def _chunked_end(self, buffer: bytearray) -> int:
        at = self.chunk_at
        while True:
            line_end = buffer.find(b"\r\n", at)
            if line_end < 0:
                self.chunk_at = at
                return -1
            try:
                size = int(bytes(buffer[at:line_end]).split(b";", 1)[0], 16)
            except ValueError:
                return -2
            if size == 0:  # the last chunk, then trailers, if any, and an empty line
                trailers_end = buffer.find(b"\r\n\r\n", line_end)
                if trailers_end < 0:
                    self.chunk_at = at
                    return -1
                return trailers_end + 4
            next_at = line_end + 2 + size + 2
            if len(buffer) < next_at:
                self.chunk_at = at
                return -1
            at = next_at

    def _complete(self, end: int) -> None:
        run = self.run
        run.latencies.append(time.perf_counter() - self.sent_at)
        run.statuses[self.status] += 1
        self.in_flight = False
        del self.buffer[:end]
        close_after = self.close_after
        self._reset()
        if close_after:
            assert self.transport is not None
            self.transport.close()  # the driver opens a new connection
        else:
            self._send_next()

    def connection_lost(self, exc: Exception | None) -> None:
        self.run.live.discard(self)
        if self.in_flight:
            if self.until_close and self.body_start >= 0:
                self._complete_at_close()
            else:
                self.run.errors["connection closed mid-answer"] += 1
        if not self.closed.done():
            self.closed.set_result(None)

    def _complete_at_close(self) -> None:
        self.run.latencies.append(time.perf_counter() - self.sent_at)
        self.run.statuses[self.status] += 1
        self.in_flight = False

    def abort(self) -> None:
        self.in_flight = False
        if self.transport is not None:
            self.transport.abort()


def _header(head: bytes, name: bytes) -> bytes | None:
    start = head.find(name)
    if start < 0:
        return None
    end = head.find(b"\r\n", start + 2)
    return head[start + len(name) : end if end >= 0 else len(head)].strip()


async def _drive(run: _Run, address: str, port: int, timeout: float) -> None:
    """One connection slot: connect, and again when the server closes, until the budget is spent."""
    while not run.exhausted():
        try:
            _transport, connection = await asyncio.wait_for(
                run.loop.create_connection(lambda: _Connection(run), address, port), timeout
            )
        except (OSError, TimeoutError) as error:
            run.errors[f"connect: {type(error).__name__}"] += 1
            return  # a server that refuses one connection refuses the next: do not spin on it
        await connection.closed


async def _watch(run: _Run, timeout: float) -> None:
    """Abort requests left unanswered for longer than `timeout` seconds."""
    while True:
        await asyncio.sleep(min(0.25, timeout / 4))
        now = time.perf_counter()
        for connection in list(run.live):
            if connection.in_flight and now - connection.sent_at > timeout:
                run.errors["timeout"] += 1
                connection.abort()


async def load(
    url: str,
    *,
    connections: int = 16,
    duration: float | None = None,
    requests: int | None = None,
    timeout: float = 10.0,
    headers: Iterable[tuple[str, str]] = (),
) -> LoadResult:
    """GET `url` over `connections` keep-alive connections for `duration` s and/or `requests` requests."""
    if duration is None and requests is None:
        raise ValueError("bound the run: give a duration, a request count, or both")
    if not 1 <= connections <= MAX_CONNECTIONS:
        raise ValueError(f"connections: 1 to {MAX_CONNECTIONS}")
    if duration is not None and not 0 < duration <= MAX_DURATION:
        raise ValueError(f"duration: more than 0 and at most {MAX_DURATION:g} seconds")
    if requests is not None and requests < 1:
        raise ValueError("requests: at least 1")
    where = target(url, headers)
    loop = asyncio.get_running_loop()
    deadline = None if duration is None else loop.time() + duration
    run = _Run(loop, where.request, deadline, requests)
    started = time.perf_counter()
    drivers = [
        asyncio.ensure_future(_drive(run, where.address, where.port, timeout)) for _ in range(connections)
    ]
    watchdog = asyncio.ensure_future(_watch(run, timeout))
    # Hard stop, whatever the server does: the duration (or as long as the requests could take one
    # after another at the timeout each, at most MAX_DURATION), plus one timeout for the last answers.
    limit = (duration if duration is not None else MAX_DURATION) + timeout + 1
    _done, pending = await asyncio.wait(drivers, timeout=limit)
    run.stopping = True
    for connection in list(run.live):
        if connection.in_flight:
            run.errors["stopped at the hard limit"] += 1
        connection.abort()
    for task in (*pending, watchdog):
        task.cancel()
    await asyncio.gather(*pending, watchdog, return_exceptions=True)
    elapsed = time.perf_counter() - started
    return _result(url, connections, elapsed, run)


def _result(url: str, connections: int, elapsed: float, run: _Run) -> LoadResult:
    latencies = sorted(run.latencies)
    count = len(latencies)

    def percentile(fraction: float) -> float:
        return round(latencies[min(count - 1, int(fraction * count))] * 1000, 3) if count else 0.0

    return LoadResult(
        url=url,
        connections=connections,
        requests=count,
        elapsed_s=round(elapsed, 3),
        requests_per_s=round(count / elapsed, 1) if elapsed > 0 else 0.0,
        latency_p50_ms=percentile(0.50),
        latency_p99_ms=percentile(0.99),
        latency_max_ms=round(latencies[-1] * 1000, 3) if count else 0.0,
        status_counts=dict(sorted(run.statuses.items())),
        errors=dict(run.errors),
    )


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop]:
    try:
        uvloop = importlib.import_module("uvloop")
    except ImportError:
        return asyncio.new_event_loop
    new_event_loop: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return new_event_loop


def run_load(
    url: str,
    *,
    connections: int = 16,
    duration: float | None = None,
    requests: int | None = None,
    timeout: float = 10.0,
    headers: Iterable[tuple[str, str]] = (),
) -> LoadResult:
    """`load` in an event loop of its own (uvloop when installed), on a thread of its own.

    The thread lets synchronous callers whose thread already runs an event loop (Playwright's sync
    API leaves one running) measure too.
    """

    def run() -> LoadResult:
        with asyncio.Runner(loop_factory=_loop_factory()) as runner:
            return runner.run(
                load(
                    url,
                    connections=connections,
                    duration=duration,
                    requests=requests,
                    timeout=timeout,
                    headers=headers,
                )
            )

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run).result()


def measure_throughput(
    base_url: str,
    paths: Sequence[str],
    *,
    connections: int = 16,
    duration: float = 5.0,
    warmup: float = 1.0,
    headers: Iterable[tuple[str, str]] = (),
) -> dict[str, LoadResult]:
    """Load each path in turn, after `warmup` seconds of unrecorded load, for comparing endpoints.

    For example the claims-by-actor endpoint against the constant `/livez` of the same server:
    `results[path].requests_per_s / results["/livez"].requests_per_s`.
    """
    headers = list(headers)
    results: dict[str, LoadResult] = {}
    for path in paths:
        url = base_url.rstrip("/") + path
        if warmup > 0:
            run_load(url, connections=connections, duration=warmup, headers=headers)
        results[path] = run_load(url, connections=connections, duration=duration, headers=headers)
    return results


def _header_argument(value: str) -> tuple[str, str]:
    name, colon, header_value = value.partition(":")
    if not colon or not name.strip():
        raise argparse.ArgumentTypeError(f"{value!r}: write a header as 'Name: value'")
    return name.strip(), header_value.strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.bench.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("url", help="an http:// URL on this machine (loopback)")
    parser.add_argument("--connections", "-c", type=int, default=16, help="keep-alive connections (16)")
    parser.add_argument("--duration", "-d", type=float, help=f"seconds, at most {MAX_DURATION:g}")
    parser.add_argument("--requests", "-n", type=int, help="stop after this many requests")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for an answer (10)")
    parser.add_argument(
        "--header", "-H", type=_header_argument, action="append", default=[], help="'Name: value'"
    )
    args = parser.parse_args(argv)
    duration = args.duration if args.duration is not None or args.requests is not None else 5.0
    try:
        result = run_load(
            args.url,
            connections=args.connections,
            duration=duration,
            requests=args.requests,
            timeout=args.timeout,
            headers=args.header,
        )
    except (ValueError, OSError) as error:
        print(f"app.bench.load: {error}", file=sys.stderr)
        return 2
    json.dump(result.to_json(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
