"""A bulk export streams: the server's memory stays bounded while it sends a hundred thousand
statements, far below what holding them would take. Measured on a real server process (`claimtrack
serve`) on a generated corpus, through its peak resident memory (`VmHWM` in /proc)."""

import csv
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.bench.generate import generate
from app.cli import upgrade_database
from app.config import PROJECT_ROOT
from app.db import create_db_engine, make_session_factory
from app.statements.repository import AttributionFilters, count_attributions
from app.vocabulary import Stance
from tests.conftest import _new_database
from tests.test_cli import _free_port

STATEMENTS = 100_000
PEAK_GROWTH_BOUND = 30 * 1024 * 1024
"""What the server may grow while exporting: a few batches and the buffers between them. The CSV of the
corpus is above 40 MB, and the rows as Python objects several times that."""
SERVER_START_SECONDS = 30


def _peak_memory(pid: int) -> int:
    """A process's peak resident memory, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/PID/status")


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, str]]:
    """`claimtrack serve` on a SQLite database holding a generated corpus: its URL, pid and database."""
    if not Path("/proc/self/status").exists():
        pytest.skip("reads the server's memory from /proc")
    with _new_database("sqlite", tmp_path_factory) as url:
        engine = create_db_engine(url)
        upgrade_database(engine)
        generate(engine, STATEMENTS, seed=3)
        engine.dispose()
        port = _free_port()
        log = tmp_path_factory.mktemp("server") / "serve.log"
        with log.open("wb") as log_file:
            server = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("claimtrack")),
                    "serve",
                    "--port",
                    str(port),
                    "--log-level",
                    "warning",
                ],
                cwd=PROJECT_ROOT,
                env={**os.environ, "DATABASE_URL": url},
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + SERVER_START_SECONDS
            while time.monotonic() < deadline:
                assert server.poll() is None, log.read_text()
                try:
                    if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            else:
                pytest.fail(
                    f"claimtrack serve did not answer within {SERVER_START_SECONDS} s: {log.read_text()}"
                )
            yield base, server.pid, url
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=20)


def _count(url: str, filters: AttributionFilters) -> int:
    engine = create_db_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return count_attributions(session, filters)
    finally:
        engine.dispose()


def test_the_export_of_a_hundred_thousand_statements_holds_a_batch_at_a_time(
    corpus_server: tuple[str, int, str],
) -> None:
    base, pid, url = corpus_server
    # Warm up: the export's code, the first queries' plans and the connection pool.
    httpx.get(base + "/api/v1/attributions.csv", params={"claim": "1"}, timeout=30).raise_for_status()
    before = _peak_memory(pid)

    rows = 0
    received = 0
    header: list[str] = []
    with httpx.stream("GET", base + "/api/v1/attributions.csv", timeout=120) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        pending = ""
        for text in response.iter_text():
            received += len(text)
            # Count records, not lines: a quoted field may hold a line end.
            pending += text
            complete, _, pending = pending.rpartition("\r\n")
            if complete:
                records = list(csv.reader(io.StringIO(complete + "\r\n", newline="")))
                if not header:
                    header, records = records[0], records[1:]
                rows += len(records)
        assert pending == ""
    growth = _peak_memory(pid) - before

    assert header[:4] == ["id", "actor_id", "actor", "stance"]
    assert rows == _count(url, AttributionFilters())
    assert rows > 0.9 * STATEMENTS
    assert received > 40_000_000
    assert growth < PEAK_GROWTH_BOUND, f"the server grew by {growth / 2**20:.1f} MiB while exporting"


def test_a_filtered_ndjson_export_holds_the_filters_count(corpus_server: tuple[str, int, str]) -> None:
    base, _pid, url = corpus_server
    lines = 0
    with httpx.stream(
        "GET", base + "/api/v1/attributions.ndjson", params={"stance": "denied"}, timeout=120
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/x-ndjson"
        for line in response.iter_lines():
            assert line.startswith('{"id": ')
            lines += 1
    assert lines == _count(url, AttributionFilters(stance=Stance.DENIED))
    assert lines > 0
