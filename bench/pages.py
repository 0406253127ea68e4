"""Latency of the pages and API on the seed data, measured against a real server on loopback.

    .venv/bin/python bench/pages.py [--database-url URL] [--requests 200]

Starts `claimtrack serve` on a new database (SQLite in a temporary directory unless --database-url
names an empty PostgreSQL database), sends a bounded number of sequential requests to each URL and
prints p50 / p95 / max in milliseconds: the server's own time (its Server-Timing header: from the
request reaching the application to its response starting) and the wall-clock time the client saw
(one connection on loopback, the whole body read).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

URLS = [
    "/",
    "/?actor=kuleba&stance=could_not_verify",
    "/search?q=ropcke",
    "/search?q=helicopters&status=unconfirmed",
    "/claims/{claim}",
    "/actors/{actor}",
    "/sources/{source}",
    "/api/v1/claims?limit=200",
    "/api/v1/claims/{claim}",
    "/api/v1/attributions?limit=200",
    "/api/v1/attributions?actor=roepcke",
    "/api/v1/actors?limit=200",
    "/api/v1/sources/{source}",
    "/api/v1/search?q=zelensky",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up")


def server_time(response: httpx.Response) -> float:
    """The `app;dur=` of the response's Server-Timing header, in milliseconds."""
    for metric in response.headers.get("server-timing", "").split(","):
        name, _, duration = metric.strip().partition(";dur=")
        if name == "app":
            return float(duration)
    raise SystemExit(f"{response.url} has no Server-Timing app;dur= header")


def summary(timings: list[float]) -> str:
    """p50, p95 and max, in milliseconds."""
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered):7.1f} {p95:7.1f} {ordered[-1]:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--requests", type=int, default=200, help="requests per URL (1 to 10000)")
    args = parser.parse_args()
    count = max(1, min(args.requests, 10_000))

    with tempfile.TemporaryDirectory() as scratch:
        database_url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--log-level", "warning"],
            env={**os.environ, "DATABASE_URL": database_url},
            stdout=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, server)
            with httpx.Client(base_url=base, timeout=10) as client:
                claims = client.get("/api/v1/claims?limit=200").json()["items"]
                busiest = max(claims, key=lambda claim: claim["attribution_count"])
                actors = client.get("/api/v1/actors?limit=200").json()["items"]
                actor = max(actors, key=lambda item: item["attribution_count"])
                sources = client.get("/api/v1/sources").json()["items"]
                source = max(sources, key=lambda item: item["attribution_count"])
                ids = {"claim": busiest["id"], "actor": actor["slug"], "source": source["id"]}
                print(f"database: {database_url.split('://')[0]}; {count} requests per URL, sequential")
                print(f"{'':45} {'server (Server-Timing)':>23}   {'client (wall-clock)':>23}")
                print(f"{'URL':45} {'p50':>7} {'p95':>7} {'max':>7}   {'p50':>7} {'p95':>7} {'max':>7}  (ms)")
                for template in URLS:
                    url = template.format(**ids)
                    client.get(url).raise_for_status()  # warm-up
                    server_ms, client_ms = [], []
                    for _ in range(count):
                        started = time.perf_counter()
                        response = client.get(url).raise_for_status()
                        client_ms.append((time.perf_counter() - started) * 1000)
                        server_ms.append(server_time(response))
                    print(f"{url:45} {summary(server_ms)}   {summary(client_ms)}")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
