"""The `claimtrack` command against a new database, in-process; and `claimtrack serve` as a user runs
it, in a process of its own."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
import yaml

from app.cli import main
from app.config import get_settings
from tests.conftest import Claimtrack, CommandResult

SEEDS = get_settings().seeds_dir
PASSPHRASE = "a-good-long-passphrase\n"


def read_backup(text: str) -> dict[str, Any]:
    """A backup's header, and each table's rows as dicts of their columns."""
    lines = [json.loads(line) for line in text.splitlines()]
    document: dict[str, Any] = {"header": lines[0]}
    columns: list[str] = []
    for line in lines[1:]:
        if isinstance(line, dict):
            columns = line["columns"]
            document[line["table"]] = []
        else:
            document[list(document)[-1]].append(dict(zip(columns, line, strict=True)))
    return document


def export(claimtrack: Claimtrack, database_url: str, *options: str) -> dict[str, Any]:
    exported = claimtrack(database_url, "export", *options)
    assert exported.exit_code == 0, exported.stderr
    return read_backup(exported.stdout)


def ok(result: CommandResult) -> CommandResult:
    """A command's result, checked to have succeeded."""
    assert result.exit_code == 0, result.stderr
    return result


def seed_counts() -> dict[str, int]:
    annotations = yaml.safe_load((SEEDS / "annotations.yaml").read_text(encoding="utf-8"))
    sources = yaml.safe_load((SEEDS / "sources.yaml").read_text(encoding="utf-8"))
    return {
        "sources": len(sources["sources"]),
        "actors": len(annotations["actors"]),
        "claims": len(annotations["claims"]),
        "attributions": len(annotations["attributions"]),
    }


def test_seed_is_idempotent_and_export_holds_everything(
    fresh_database_url: str, claimtrack: Claimtrack
) -> None:
    ok(claimtrack(fresh_database_url, "db", "upgrade"))
    first = ok(claimtrack(fresh_database_url, "seed"))
    assert "seeded from" in first.stdout
    after_first = export(claimtrack, fresh_database_url)

    second = ok(claimtrack(fresh_database_url, "seed"))
    assert "nothing new (already loaded)" in second.stdout
    assert export(claimtrack, fresh_database_url) == after_first

    expected = seed_counts()
    assert after_first["header"]["format"] == "claimtrack-backup/1"
    assert {kind: len(after_first[kind]) for kind in expected} == expected
    texts = {source["file_name"]: source["text"] for source in after_first["sources"]}
    assert sorted(texts) == sorted(path.name for path in SEEDS.glob("*.txt"))


def test_malformed_seed_file_names_file_and_entry_and_loads_nothing(
    fresh_database_url: str, tmp_path: Path, claimtrack: Claimtrack
) -> None:
    seed_dir = tmp_path / "seeds"
    seed_dir.mkdir()
    for path in SEEDS.iterdir():
        (seed_dir / path.name).write_bytes(path.read_bytes())
    annotations = yaml.safe_load((seed_dir / "annotations.yaml").read_text(encoding="utf-8"))
    last = len(annotations["attributions"]) - 1
    annotations["attributions"][last]["stance"] = "rumoured"
    (seed_dir / "annotations.yaml").write_text(
        yaml.safe_dump(annotations, allow_unicode=True), encoding="utf-8"
    )

    result = claimtrack(fresh_database_url, "seed", str(seed_dir))

    assert result.exit_code == 1
    assert f"annotations.yaml: attributions[{last}]" in result.stderr
    assert "stance" in result.stderr
    assert "Traceback" not in result.stderr
    document = export(claimtrack, fresh_database_url)
    assert all(document[table] == [] for table in document if table != "header")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_migrates_seeds_and_serves(fresh_database_url: str, claimtrack: Claimtrack) -> None:
    """The one test of a real server process: it migrates and seeds a new database, answers, and
    believes no forwarded address unless told (a client on the server's own host, a proxy's by
    uvicorn's default, gets no more sign-in tries by rotating X-Forwarded-For)."""
    with _served(fresh_database_url) as base, httpx.Client(base_url=base, timeout=10) as browser:
        health = browser.get("/healthz")
        assert health.status_code == 200
        assert health.json() == {"status": "ok"}
        claims = browser.get("/api/v1/claims", params={"limit": 200}).json()
        assert len(claims["items"]) == seed_counts()["claims"]
        index = browser.get("/")
        assert index.status_code == 200
        assert "text/html" in index.headers["content-type"]

        created = claimtrack(
            fresh_database_url,
            "users",
            "create",
            "erin",
            "--role",
            "editor",
            stdin="a-good-long-passphrase\n",
        )
        assert created.exit_code == 0, created.stderr
        found = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text)
        assert found is not None

        def sign_in(password: str, forwarded_for: str) -> int:
            form = {"name": "erin", "password": password, "csrf_token": found.group(1)}
            return browser.post("/login", data=form, headers={"X-Forwarded-For": forwarded_for}).status_code

        assert [sign_in("wrong-password-1", f"198.51.100.{n}") for n in range(4)] == [401] * 4
        assert sign_in("a-good-long-passphrase", "198.51.100.99") == 429


def _output(server: subprocess.Popen[str]) -> str:
    server.terminate()
    out, _ = server.communicate(timeout=20)
    return out


SERVER_START_SECONDS = 120  # migrating and seeding a new database, on a busy machine


@contextmanager
def _served(database_url: str) -> Iterator[str]:
    """`claimtrack serve` in a process of its own, on a free loopback port; yields the base URL once it
    answers, and stops the server afterwards."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--log-level", "warning"],
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"the server exited with {server.returncode}; it printed:\n{_output(server)}")
            try:
                httpx.get(f"{base}/livez", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the server never answered; it printed:\n{_output(server)}")
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)


def test_accounts_from_the_command_line_and_export_keeps_secrets_only_when_asked(
    fresh_database_url: str, claimtrack: Claimtrack
) -> None:
    url = fresh_database_url
    ok(claimtrack(url, "db", "upgrade"))
    created = ok(
        claimtrack(url, "users", "create", "Dana", "--role", "fact_checker", stdin="a-good-long-passphrase\n")
    )
    assert created.stdout.strip() == "claimtrack: created dana (fact_checker)."
    ok(claimtrack(url, "users", "set-role", "dana", "editor"))
    token = ok(claimtrack(url, "tokens", "create", "dana")).stdout.strip()
    assert token.startswith("ct_")
    assert ok(claimtrack(url, "users", "list")).stdout.splitlines() == ["dana\teditor\tactive"]

    weak = claimtrack(url, "users", "create", "erin", "--role", "viewer", stdin="password1234\n")
    assert weak.exit_code == 1
    assert "one of the most common" in weak.stderr

    raw = ok(claimtrack(url, "export")).stdout
    assert token not in raw
    assert "$argon2" not in raw
    assert "dana" not in raw
    assert "users" not in read_backup(raw)
    with_secrets = ok(claimtrack(url, "export", "--with-secrets")).stdout
    assert token not in with_secrets  # only its hash is kept
    document = read_backup(with_secrets)
    assert [(user["name"], user["role"]) for user in document["users"]] == [("dana", "editor")]
    assert document["users"][0]["password_hash"].startswith("$argon2")
    assert [action["action"] for action in document["audit_log"]] == ["create", "role_change", "token_issue"]


def test_serve_hands_the_number_of_workers_to_uvicorn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In-process, with uvicorn.run replaced, so that no worker is started."""
    calls: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'claimtrack.db'}")
    port = _free_port()
    get_settings.cache_clear()
    try:
        assert main(["serve", "--port", str(port), "--workers", "3", "--log-level", "warning"]) == 0
    finally:
        get_settings.cache_clear()

    # An import string, which uvicorn needs to start workers: each builds its own app.
    # And no forwarded headers believed by uvicorn: the app decides whom to believe (trusted_proxies).
    options = {
        "host": "127.0.0.1",
        "port": port,
        "workers": 3,
        "log_level": "warning",
        "proxy_headers": False,
    }
    assert calls == [("app.main:app", options)]
    assert f"serving on http://127.0.0.1:{port}/ with 3 workers" in capsys.readouterr().out


@pytest.mark.parametrize("workers", ["0", "-2", "many", "65"])
def test_serve_refuses_a_number_of_workers_that_is_not_one_to_64(
    workers: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--workers", workers])

    assert exit_info.value.code == 2
    assert "give a number of worker processes from 1 to 64" in capsys.readouterr().err
