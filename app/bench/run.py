"""`claimtrack bench run`: every figure of the scale benchmark, side by side on SQLite and PostgreSQL.

For each corpus size and each backend, a generated corpus (`claimtrack bench generate`, made once and
kept in the data directory or its own PostgreSQL database) is served by `claimtrack serve` in a process
of its own, and this process measures it over loopback:

1. claims and statements by actor (a popular and a rare actor), p50/p99 over HTTP, against the very
   statements the endpoint runs, replayed directly through the driver (captured in-process first);
2. the last page of the popular actor's statements against the first page;
3. search p50/p99, bare and with actor, stance and status filters (and the ratio);
4. the busiest claim's, the popular actor's and the busiest source's page against its JSON: time,
   bytes and the queries each ran (read from the answer's Server-Timing);
5. the claims-by-actor endpoint's throughput under a bounded concurrent load (app.bench.load) against
   the app's constant endpoints (/healthz, one database round trip; /livez, none), and /livez against
   the same endpoint of a bare Starlette app served the same way (the per-request overhead);
6. the generator's import throughput against raw executemany (SQLite) / COPY (PostgreSQL);
7. the server's resident memory after warm-up and after the run.

The results are JSON (every number) and a Markdown report with each target and whether it holds.
"""

import json
import os
import platform
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from app.bench import DEFAULT_POSTGRES_URL
from app.bench.load import measure_throughput
from app.config import PROJECT_ROOT
from app.db import create_db_engine
from app.pagination import encode_cursor

SERVER_TIMING = re.compile(
    r'app;dur=(?P<app>[\d.]+)(?:, db;dur=(?P<db>[\d.]+);desc="(?P<queries>\d+) queries")?'
)
TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...] = (10_000, 1_000_000)
    backends: tuple[str, ...] = ("sqlite", "postgresql")
    data_dir: Path = Path.home() / ".cache" / "claimtrack-bench"
    postgres_url: str = DEFAULT_POSTGRES_URL
    seed: int = 1
    requests: int = 200
    """Sequential requests per URL for the latency figures."""
    connections: int = 16
    load_seconds: float = 5.0
    import_size: int = 100_000
    smoke: bool = False
    prefix: str = "claimtrack_bench"
    """The corpora's names: `<prefix>_<size>` (a PostgreSQL database, an SQLite file)."""
    keep: bool = True
    """Keep the corpora for the next run; a smoke run drops its own."""

    @classmethod
    def for_smoke(cls, data_dir: Path, postgres_url: str = DEFAULT_POSTGRES_URL) -> "Settings":
        """A bounded run that exercises every figure quickly (CI): 10k statements, few requests."""
        return cls(
            sizes=(10_000,),
            data_dir=data_dir,
            postgres_url=postgres_url,
            requests=12,
            connections=4,
            load_seconds=1.0,
            import_size=2_000,
            smoke=True,
            prefix=f"claimtrack_bench_smoke_{uuid.uuid4().hex[:8]}",
            keep=False,
        )


def size_label(size: int) -> str:
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size % 1_000 == 0:
        return f"{size // 1_000}k"
    return str(size)


# ---- corpora -------------------------------------------------------------------------------------------


def corpus_url(settings: Settings, backend: str, size: int) -> str:
    """Where the corpus of this backend and size lives: a file in the data directory, or a database
    `claimtrack_bench_<size>` on the PostgreSQL server."""
    name = f"{settings.prefix}_{size_label(size)}"
    if backend == "sqlite":
        return f"sqlite:///{settings.data_dir / (name + '.db')}"
    return make_url(settings.postgres_url).set(database=name).render_as_string(hide_password=False)


@contextmanager
def _server(settings: Settings) -> Iterator[Connection]:
    """A connection to the PostgreSQL server's own database, in autocommit (CREATE and DROP DATABASE)."""
    admin = create_engine(settings.postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            yield connection
    finally:
        admin.dispose()


def _postgres_database_exists(settings: Settings, name: str) -> bool:
    with _server(settings) as server:
        return bool(server.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) == 1)


def _create_postgres_database(settings: Settings, name: str) -> None:
    with _server(settings) as server:
        server.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))


def _drop_postgres_database(settings: Settings, name: str) -> None:
    with _server(settings) as server:
        server.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _holds_corpus(url: str, size: int) -> bool:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            tables = set(engine.dialect.get_table_names(connection))
            if "attributions" not in tables or "alembic_version" not in tables:
                return False
            head = connection.scalar(text("SELECT version_num FROM alembic_version"))
            count = connection.scalar(text("SELECT count(*) FROM attributions"))
    finally:
        engine.dispose()
    return bool(head == _migration_head() and count == size)


def _migration_head() -> str:
    from alembic.script import ScriptDirectory

    from app.cli import alembic_config

    (head,) = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    return str(head)


def ensure_corpus(settings: Settings, backend: str, size: int, say: Callable[[str], None]) -> str:
    """The URL of a database holding the corpus at the latest migration, generated when missing or
    stale (another size, an older schema)."""
    from app.bench.generate import generate
    from app.cli import upgrade_database

    url = corpus_url(settings, backend, size)
    name = make_url(url).database or ""
    if backend == "sqlite":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        present = Path(name).exists()
    else:
        present = _postgres_database_exists(settings, name)
    if present and _holds_corpus(url, size):
        return url
    say(f"generating the {size_label(size)} corpus on {backend} ({name})")
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
    else:
        _drop_postgres_database(settings, name)
        _create_postgres_database(settings, name)
    engine = create_db_engine(url)
    try:
        upgrade_database(engine)
        generate(engine, size, seed=settings.seed)
    finally:
        engine.dispose()
    return url


# ---- the server ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str

    def rss_mb(self) -> float:
        """The server process's resident memory, from /proc."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        return int(match.group(1)) / 1024 if match else float("nan")


def _wait_until_up(server: Server, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited with {server.process.returncode}")
        try:
            with urllib.request.urlopen(f"{server.base_url}/livez", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:  # refused while the server starts (URLError is an OSError)
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not come up")


@contextmanager
def served(command: Sequence[str], env: dict[str, str]) -> Iterator[Server]:
    """A server process on a free loopback port, stopped afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=PROJECT_ROOT,
    )
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve_app(url: str, *, workers: int = 1) -> Any:
    command = [sys.executable, "-m", "app.cli", "serve", "--log-level", "warning", "--workers", str(workers)]
    return served(command, {"DATABASE_URL": url})


def serve_reference() -> Any:
    # Served exactly as `claimtrack serve` serves the app: uvicorn's defaults, one worker.
    return served([sys.executable, "-m", "uvicorn", "app.bench.reference:app", "--log-level", "warning"], {})


# ---- measuring -----------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Latency:
    url: str
    p50_ms: float
    p99_ms: float
    server_p50_ms: float
    bytes: int
    queries: int | None


def measure_latency(client: httpx.Client, url: str, requests: int) -> Latency:
    """`requests` sequential GETs (after two unrecorded ones): wall-clock p50/p99 as the client saw
    them, the server's own p50 (Server-Timing), the answer's size and the queries it ran."""
    for _ in range(2):
        _get(client, url)
    wall, server = [], []
    size, queries = 0, None
    for _ in range(requests):
        started = time.perf_counter()
        response = _get(client, url)
        wall.append((time.perf_counter() - started) * 1000)
        timing = SERVER_TIMING.search(response.headers.get("server-timing", ""))
        if timing:
            server.append(float(timing.group("app")))
            queries = int(timing.group("queries") or 0)
        size = len(response.content)
    return Latency(
        url=url,
        p50_ms=statistics.median(wall),
        p99_ms=percentile(wall, 0.99),
        server_p50_ms=statistics.median(server) if server else float("nan"),
        bytes=size,
        queries=queries,
    )


def _get(client: httpx.Client, url: str) -> httpx.Response:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: {response.text[:300]}")
    return response


@dataclass(frozen=True)
class Captured:
    statement: str
    parameters: Any


def capture_statements(url: str, path: str) -> list[Captured]:
    """The statements one GET of `path` runs, with their parameters, captured in-process."""
    with warnings.catch_warnings():
        # Starlette asks for httpx2 under its test client; httpx does the job for one capture.
        warnings.filterwarnings("ignore", message=".*httpx2")
        from fastapi.testclient import TestClient

    from app.db import make_session_factory
    from app.main import create_app

    engine = create_db_engine(url)
    captured: list[Captured] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        # The replay runs in a transaction of its own: leave out the request's transaction control.
        if not TRANSACTION_CONTROL.match(statement):
            captured.append(Captured(statement, parameters))

    try:
        app = create_app(session_factory=make_session_factory(engine))
        with TestClient(app) as client:
            client.get(path)  # warm: the statements of a first request may differ (caches)
            event.listen(engine, "before_cursor_execute", record)
            response = client.get(path)
            event.remove(engine, "before_cursor_execute", record)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code} in-process")
    finally:
        engine.dispose()
    return captured


def replay(url: str, statements: Sequence[Captured], requests: int) -> tuple[float, float]:
    """p50/p99 in ms of running `statements` (one request's) directly through the driver, in one
    read transaction each time, fetching every row: the database's share of the request."""
    parsed = make_url(url)
    times: list[float] = []
    if parsed.get_backend_name() == "sqlite":
        lite = sqlite3.connect(parsed.database or "", isolation_level=None)
        try:
            for _ in range(requests + 2):
                started = time.perf_counter()
                lite.execute("BEGIN")
                for item in statements:
                    lite.execute(item.statement, item.parameters).fetchall()
                lite.execute("COMMIT")
                times.append((time.perf_counter() - started) * 1000)
        finally:
            lite.close()
    else:
        import psycopg

        conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo) as connection:
            for _ in range(requests + 2):
                started = time.perf_counter()
                with connection.transaction(), connection.cursor() as cursor:
                    for item in statements:
                        cursor.execute(item.statement, item.parameters)
                        if cursor.description is not None:
                            cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000)
    times = times[2:]
    return statistics.median(times), percentile(times, 0.99)


# ---- what to measure -----------------------------------------------------------------------------------


@dataclass
class Subjects:
    """The corpus's telling cases, read from the database itself."""

    popular_actor: dict[str, Any]
    rare_actor: dict[str, Any]
    busiest_claim: int
    busiest_source: int
    common_word: str
    rare_word: str
    deep_cursor: str


def find_subjects(url: str) -> Subjects:
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            return _subjects(engine, connection)
    finally:
        engine.dispose()


def _actor(connection: Any, actor_id: int) -> dict[str, Any]:
    row = connection.execute(text("SELECT id, slug, name FROM actors WHERE id = :id"), {"id": actor_id}).one()
    return {"id": row.id, "slug": row.slug, "name": row.name}


def _subjects(_engine: Engine, connection: Any) -> Subjects:
    live = "deleted_at IS NULL"

    def busiest(column: str) -> int:
        query = f"SELECT {column} FROM attributions WHERE {live} GROUP BY {column} ORDER BY count(*) DESC"
        return int(connection.scalar(text(query + " LIMIT 1")))

    popular = busiest("actor_id")
    rare = connection.scalar(
        text(
            f"SELECT actor_id FROM attributions WHERE {live} GROUP BY actor_id "
            "HAVING count(*) BETWEEN 2 AND 5 ORDER BY actor_id LIMIT 1"
        )
    )
    claim, source = busiest("claim_id"), busiest("source_id")
    # The statements list of the popular actor, from its 51st-last statement on: its last page.
    before_last = connection.scalar(
        text(
            f"SELECT id FROM attributions WHERE actor_id = :actor AND {live} "
            "ORDER BY id DESC LIMIT 1 OFFSET 50"
        ),
        {"actor": popular},
    )
    words: dict[str, int] = {}
    sample = connection.execute(
        text("SELECT primary_terms FROM search_documents WHERE kind = 'attribution' ORDER BY id LIMIT 3000")
    )
    for (terms,) in sample:
        for word in set(terms.split()):
            if len(word) >= 4 and not word.isdigit():
                words[word] = words.get(word, 0) + 1
    ranked = sorted(words, key=lambda word: (-words[word], word))
    return Subjects(
        popular_actor=_actor(connection, popular),
        rare_actor=_actor(connection, rare if rare is not None else popular),
        busiest_claim=claim,
        busiest_source=source,
        common_word=ranked[0],
        rare_word=next((word for word in reversed(ranked) if words[word] == 1), ranked[-1]),
        deep_cursor=encode_cursor(int(before_last or 0)),
    )


# ---- one corpus on one backend -------------------------------------------------------------------------


@dataclass
class Figures:
    backend: str
    size: int
    subjects: dict[str, Any] = field(default_factory=dict)
    by_actor: dict[str, Any] = field(default_factory=dict)
    deep_page: dict[str, Any] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, Any] = field(default_factory=dict)
    throughput: dict[str, Any] = field(default_factory=dict)
    memory_mb: dict[str, float] = field(default_factory=dict)


def measure_corpus(
    settings: Settings, backend: str, size: int, url: str, say: Callable[[str], None]
) -> Figures:
    subjects = find_subjects(url)
    figures = Figures(backend=backend, size=size, subjects=asdict(subjects))
    popular, rare = subjects.popular_actor, subjects.rare_actor
    # As API clients ask: by any name of the actor (its canonical one here).
    by_actor = {
        "claims, popular actor": f"/api/v1/claims?{urlencode({'actor': popular['name']})}",
        "claims, rare actor": f"/api/v1/claims?{urlencode({'actor': rare['name']})}",
        "statements, popular actor": f"/api/v1/attributions?{urlencode({'actor': popular['name']})}",
        "statements, rare actor": f"/api/v1/attributions?{urlencode({'actor': rare['name']})}",
    }
    raw = {}
    for label, path in by_actor.items():
        raw[label] = replay(url, capture_statements(url, path), settings.requests)
    with serve_app(url) as server, httpx.Client(base_url=server.base_url, timeout=60) as client:
        say(f"  {backend} {size_label(size)}: serving on {server.base_url}")
        _get(client, "/")
        figures.memory_mb["after warm-up"] = server.rss_mb()
        n = settings.requests

        for label, path in by_actor.items():
            latency = measure_latency(client, path, n)
            raw_p50, raw_p99 = raw[label]
            figures.by_actor[label] = {
                **asdict(latency),
                "raw_p50_ms": raw_p50,
                "raw_p99_ms": raw_p99,
                "ratio_p50": latency.p50_ms / raw_p50,
            }

        first = measure_latency(client, f"/api/v1/attributions?actor_id={popular['id']}", n)
        deep = measure_latency(
            client, f"/api/v1/attributions?actor_id={popular['id']}&cursor={subjects.deep_cursor}", n
        )
        figures.deep_page = {
            "first": asdict(first),
            "last": asdict(deep),
            "ratio_p50": deep.p50_ms / first.p50_ms,
        }

        filters = {"actor": popular["name"], "stance": "asserted", "status": "unverified"}
        searches = {
            "common word": f"/api/v1/search?{urlencode({'q': subjects.common_word})}",
            "common word, filtered": f"/api/v1/search?{urlencode({'q': subjects.common_word, **filters})}",
            "rare word": f"/api/v1/search?{urlencode({'q': subjects.rare_word})}",
            "rare word, filtered": f"/api/v1/search?{urlencode({'q': subjects.rare_word, **filters})}",
        }
        for label, path in searches.items():
            figures.search[label] = asdict(measure_latency(client, path, n))
        for word in ("common word", "rare word"):
            bare, filtered = figures.search[word], figures.search[f"{word}, filtered"]
            filtered["ratio_p50"] = filtered["p50_ms"] / bare["p50_ms"]

        pages = {
            "claim": (f"/claims/{subjects.busiest_claim}", f"/api/v1/claims/{subjects.busiest_claim}"),
            "actor": (f"/actors/{popular['slug']}", f"/api/v1/actors/{popular['slug']}"),
            "source": (f"/sources/{subjects.busiest_source}", f"/api/v1/sources/{subjects.busiest_source}"),
        }
        for label, (page, api) in pages.items():
            html, answer = measure_latency(client, page, n), measure_latency(client, api, n)
            figures.pages[label] = {
                "html": asdict(html),
                "json": asdict(answer),
                "ratio_p50": html.p50_ms / answer.p50_ms,
            }

        endpoint = by_actor["claims, popular actor"]
        results = measure_throughput(
            server.base_url,
            [endpoint, "/healthz", "/livez"],
            connections=settings.connections,
            duration=settings.load_seconds,
        )
        figures.throughput = {
            "endpoint": endpoint,
            "rps": {path: result.requests_per_s for path, result in results.items()},
            "errors": {path: sum(result.errors.values()) for path, result in results.items()},
            "ratio_to_healthz": results[endpoint].requests_per_s / results["/healthz"].requests_per_s,
            "ratio_to_livez": results[endpoint].requests_per_s / results["/livez"].requests_per_s,
        }
        figures.memory_mb["after the run"] = server.rss_mb()
    if backend == "postgresql":
        # Several app processes on one database (the README's deployment): the same loads on two workers.
        with serve_app(url, workers=2) as server:
            results = measure_throughput(
                server.base_url,
                [endpoint, "/livez"],
                connections=settings.connections,
                duration=settings.load_seconds,
            )
        figures.throughput["two_workers_rps"] = {
            path: result.requests_per_s for path, result in results.items()
        }
    return figures


def measure_overhead(settings: Settings) -> dict[str, Any]:
    """/livez of the app (on an empty SQLite database) against the bare Starlette app's."""
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'overhead.db'}"
        rounds: list[tuple[float, float]] = []
        for _ in range(1 if settings.smoke else 3):
            with serve_app(url) as app_server:
                app_rps = measure_throughput(
                    app_server.base_url,
                    ["/livez"],
                    connections=settings.connections,
                    duration=settings.load_seconds,
                )["/livez"].requests_per_s
            with serve_reference() as bare_server:
                bare_rps = measure_throughput(
                    bare_server.base_url,
                    ["/livez"],
                    connections=settings.connections,
                    duration=settings.load_seconds,
                )["/livez"].requests_per_s
            rounds.append((app_rps, bare_rps))
    app_rps = statistics.median(app for app, _ in rounds)
    bare_rps = statistics.median(bare for _, bare in rounds)
    return {"app_rps": app_rps, "bare_rps": bare_rps, "ratio": app_rps / bare_rps, "rounds": rounds}


def measure_imports(settings: Settings, backend: str) -> dict[str, Any]:
    from app.bench.imports import measure_import

    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as scratch:
            result = measure_import(
                f"sqlite:///{Path(scratch) / 'import.db'}", attributions=settings.import_size
            )
    else:
        result = measure_import(settings.postgres_url, attributions=settings.import_size)
    return {
        "attributions": settings.import_size,
        "rows": result.total_rows,
        "generator_rows_per_s": result.generator_rows_per_second,
        "raw_rows_per_s": result.raw_rows_per_second,
        "raw_method": result.raw_method,
        "ratio": result.ratio,
        "cpu_ratio": result.cpu_ratio,
    }


def machine() -> dict[str, Any]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists() and (
        match := re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
    ):
        cpu = match.group(1).strip()
    memory = Path("/proc/meminfo")
    total_gb = None
    if memory.exists() and (match := re.search(r"^MemTotal:\s+(\d+) kB", memory.read_text(), re.MULTILINE)):
        total_gb = round(int(match.group(1)) / 1024 / 1024, 1)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": total_gb,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load_average": os.getloadavg(),
    }


def run(settings: Settings, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Every figure, for every size and backend; the JSON document of the run."""
    started = datetime.now(UTC)
    report: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {**asdict(settings), "data_dir": str(settings.data_dir)},
        "corpora": [],
        "imports": {},
    }
    if "postgresql" in settings.backends:
        report["machine"]["postgresql"] = _postgres_version(settings)
    say("per-request overhead: /livez of the app against a bare Starlette app")
    report["overhead"] = measure_overhead(settings)
    for size in settings.sizes:
        for backend in settings.backends:
            url = ensure_corpus(settings, backend, size, say)
            try:
                say(f"measuring {backend} at {size_label(size)}")
                report["corpora"].append(asdict(measure_corpus(settings, backend, size, url, say)))
            finally:
                if not settings.keep:
                    _discard(settings, url)
    for backend in settings.backends:
        say(f"import throughput on {backend} at {size_label(settings.import_size)}")
        report["imports"][backend] = measure_imports(settings, backend)
    report["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    return report


def _discard(settings: Settings, url: str) -> None:
    name = make_url(url).database or ""
    if make_url(url).get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
    else:
        _drop_postgres_database(settings, name)


def _postgres_version(settings: Settings) -> str:
    with _server(settings) as server:
        return str(server.scalar(text("SHOW server_version")))


def write_json(report: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
