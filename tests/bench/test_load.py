"""The load generator against a tiny server of this process on a free loopback port, with fixed, small
request counts: what it counts and parses, never how fast anything is."""

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.bench.load import main, measure_throughput, run_load, target


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless an answer says otherwise
    server: "CountingServer"

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def do_GET(self) -> None:
        if self.path == "/fixed":
            self._answer(200, b'{"status":"ok"}')
        elif self.path == "/missing":
            self._answer(404, b"nothing here")
        elif self.path == "/empty":
            self.send_response(204)
            self.end_headers()
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in (b"first part, ", b"second part"):  # separate writes: the parser sees pieces
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/close":
            self.close_connection = True
            self._answer(200, b"bye", close=True)

    def _answer(self, status: int, body: bytes, *, close: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class CountingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.connections = 0


@dataclass
class Server:
    base: str
    http: CountingServer


@pytest.fixture
def server() -> Iterator[Server]:
    http = CountingServer()
    thread = threading.Thread(target=http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Server(base=f"http://127.0.0.1:{http.server_address[1]}", http=http)
    finally:
        http.shutdown()
        http.server_close()
        thread.join(10)


def test_counts_every_answer_on_a_few_keep_alive_connections(server: Server) -> None:
    result = run_load(f"{server.base}/fixed", connections=4, requests=40)

    assert result.requests == 40
    assert result.status_counts == {200: 40}
    assert result.errors == {}
    assert server.http.connections == 4
    assert 0 < result.latency_p50_ms <= result.latency_p99_ms <= result.latency_max_ms
    assert result.requests_per_s > 0


@pytest.mark.parametrize(("path", "status"), [("/chunked", 200), ("/empty", 204), ("/missing", 404)])
def test_reads_each_kind_of_answer_to_its_end(server: Server, path: str, status: int) -> None:
    result = run_load(f"{server.base}{path}", connections=2, requests=10)

    assert result.status_counts == {status: 10}
    assert result.errors == {}
    assert server.http.connections == 2  # each answer ended where it should, so the next one parsed


def test_opens_a_new_connection_when_the_server_closes_one(server: Server) -> None:
    result = run_load(f"{server.base}/close", connections=2, requests=12)

    assert result.status_counts == {200: 12}
    assert result.errors == {}
    # One per answer, and at most one more per slot: a slot that reconnects while the last requests
    # are in flight on the other finds the budget spent once connected.
    assert 12 <= server.http.connections <= 14


def test_a_refused_connection_is_an_error_and_ends_that_connection() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed at once: nothing listens there

    result = run_load(f"http://127.0.0.1:{port}/", connections=3, requests=30)

    assert result.requests == 0
    assert result.errors == {"connect: ConnectionRefusedError": 3}


@pytest.mark.parametrize(
    ("url", "refusal"),
    [
        ("http://192.0.2.1/livez", "not a loopback address"),  # TEST-NET-1: refused, never contacted
        ("https://127.0.0.1/livez", "give an http:// URL"),
        ("ftp://127.0.0.1/", "give an http:// URL"),
    ],
)
def test_only_plain_http_on_loopback_is_accepted(url: str, refusal: str) -> None:
    with pytest.raises(ValueError, match=refusal):
        target(url)


def test_a_run_must_be_bounded(server: Server) -> None:
    with pytest.raises(ValueError, match="bound the run"):
        run_load(f"{server.base}/fixed")


def test_the_request_is_built_once_with_the_host_and_extra_headers() -> None:
    built = target("http://localhost:8123/api/v1/claims?actor=kuleba", [("Authorization", "Bearer x")])

    assert built.address in ("127.0.0.1", "::1")
    assert built.request == (
        b"GET /api/v1/claims?actor=kuleba HTTP/1.1\r\nHost: localhost:8123\r\n"
        b"User-Agent: claimtrack-bench\r\nAuthorization: Bearer x\r\n\r\n"
    )


def test_measure_throughput_loads_each_path_in_turn(server: Server) -> None:
    results = measure_throughput(server.base, ["/fixed", "/missing"], connections=2, duration=0.2, warmup=0)

    assert list(results) == ["/fixed", "/missing"]
    assert set(results["/fixed"].status_counts) == {200}
    assert set(results["/missing"].status_counts) == {404}
    assert all(result.errors == {} for result in results.values())


def test_the_command_prints_its_result_as_json(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([f"{server.base}/fixed", "--connections", "2", "--requests", "6"]) == 0

    printed = json.loads(capsys.readouterr().out)
    assert printed["url"] == f"{server.base}/fixed"
    assert printed["requests"] == 6
    assert printed["status_counts"] == {"200": 6}
    assert printed["errors"] == {}
    assert set(printed) == {
        "url",
        "connections",
        "requests",
        "elapsed_s",
        "requests_per_s",
        "latency_p50_ms",
        "latency_p99_ms",
        "latency_max_ms",
        "status_counts",
        "errors",
    }
