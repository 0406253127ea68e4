"""Fixtures for the browser tests: the real app served by `claimtrack serve`, and Debian's Chromium.

Per backend (SQLite and PostgreSQL, as everywhere else), one server runs for the whole test run, on a
new database at the latest migration, loaded with the seeds, with one account per role. Tests change
that database (a status, a new statement): each test reads what it compares against at its start,
so that the order of the tests does not matter.

Chromium comes from the machine (Debian's package, never `playwright install`), axe-core from npm
(`npm ci`). Without them the tests skip locally; under CI or CLAIMTRACK_REQUIRE_BROWSER they fail.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, StorageState, sync_playwright

from app.accounts.service import create_user
from app.cli import load_seeds, upgrade_database
from app.config import PROJECT_ROOT, get_settings
from app.db import create_db_engine, make_session_factory
from app.vocabulary import Role
from tests.browser.helpers import AXE_SCRIPT, TIMEOUT_MS, Viewport, sign_in
from tests.conftest import PASSWORD, _new_database

CHROMIUM = Path(os.environ.get("CLAIMTRACK_CHROMIUM", "/usr/bin/chromium"))
# Debian's Chromium as root in a container: no sandbox, no GPU, and nothing that talks to Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_SECONDS = 60
SCREENSHOTS_DIR = PROJECT_ROOT / "test-artifacts" / "screenshots"

VIEWPORTS = {
    "phone": Viewport(name="phone", width=375, height=812),
    "desktop": Viewport(name="desktop", width=1280, height=900),
}

# One account per role, created in the database before the server starts.
ACCOUNTS = {
    Role.FACT_CHECKER: "browser-fact-checker",
    Role.EDITOR: "browser-editor",
    Role.ADMIN: "browser-admin",
}


def _browser_required() -> bool:
    return bool(os.environ.get("CI")) or bool(os.environ.get("CLAIMTRACK_REQUIRE_BROWSER"))


@pytest.fixture(scope="session")
def browser_prerequisites() -> None:
    """Chromium and axe-core are on this machine; if not, skip (locally) or fail (in CI)."""
    missing = []
    if not CHROMIUM.is_file():
        missing.append(f"Chromium is not at {CHROMIUM} (apt-get install chromium)")
    if not AXE_SCRIPT.is_file():
        missing.append(f"axe-core is not at {AXE_SCRIPT} (npm ci, in {PROJECT_ROOT})")
    if not missing:
        return
    message = "; ".join(missing)
    if _browser_required():
        pytest.fail(message + " (CI and CLAIMTRACK_REQUIRE_BROWSER require the browser tests to run)")
    pytest.skip(message)


@dataclass(frozen=True)
class LiveServer:
    """The app as `claimtrack serve` runs it, on a loopback port."""

    base_url: str
    backend: str

    def url(self, path: str) -> str:
        return self.base_url + path

    def api(self, path: str) -> object:
        """A GET of the JSON API, checked to answer 200."""
        response = httpx.get(self.url("/api/v1" + path), timeout=10)
        assert response.status_code == 200, f"GET /api/v1{path}: {response.status_code} {response.text}"
        return response.json()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare_database(url: str) -> None:
    """Migrate, seed, and create the test accounts, as an operator would before serving."""
    engine = create_db_engine(url)
    try:
        upgrade_database(engine)
        load_seeds(engine, get_settings().seeds_dir)
        with make_session_factory(engine)() as session:
            for role, name in ACCOUNTS.items():
                create_user(session, name, PASSWORD, role, by="browser-tests")
            session.commit()
    finally:
        engine.dispose()


def _wait_until_healthy(base_url: str, process: "subprocess.Popen[bytes]", log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"claimtrack serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(base_url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(
        f"claimtrack serve did not answer /healthz within {SERVER_START_SECONDS} s:\n{log.read_text()}"
    )


@pytest.fixture(scope="session")
def live_server(
    browser_prerequisites: None, backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """`claimtrack serve` on 127.0.0.1, on a new seeded database of this backend."""
    with _new_database(backend, tmp_path_factory) as database_url:
        _prepare_database(database_url)
        port = _free_port()
        log = tmp_path_factory.mktemp("server") / "serve.log"
        command = Path(sys.executable).with_name("claimtrack")
        with log.open("wb") as log_file:
            process = subprocess.Popen(
                [str(command), "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                cwd=PROJECT_ROOT,
                env={**os.environ, "DATABASE_URL": database_url},
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_healthy(base_url, process, log)
            yield LiveServer(base_url=base_url, backend=backend)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium(browser_prerequisites: None) -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=30_000
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def signed_in_states(chromium: Browser, live_server: LiveServer) -> Callable[[Role], StorageState]:
    """The cookies of a session signed in through the sign-in form, one per role, made once."""
    states: dict[Role, StorageState] = {}

    def state(role: Role) -> StorageState:
        if role not in states:
            context = chromium.new_context(base_url=live_server.base_url)
            try:
                context.set_default_timeout(TIMEOUT_MS)
                sign_in(context.new_page(), ACCOUNTS[role])
                states[role] = context.storage_state()
            finally:
                context.close()
        return states[role]

    return state


# The seed items the detail pages show: ones with the most on them (history, relations, long URLs).
CLAIM_SLUG = "helicopter-strike"
ACTOR_SLUG = "julian-ropcke"
SOURCE_TITLE_START = "Russia says Belgorod oil depot attack"


@pytest.fixture(scope="session")
def seed_paths(live_server: LiveServer) -> dict[str, str]:
    """The ids of the seed items the detail pages show, as this database numbered them."""
    claims: Any = live_server.api("/claims?limit=200")
    sources: Any = live_server.api("/sources?limit=200")
    claim = next(item for item in claims["items"] if item["slug"] == CLAIM_SLUG)
    source = next(item for item in sources["items"] if item["title"].startswith(SOURCE_TITLE_START))
    return {"claim": str(claim["id"]), "actor": ACTOR_SLUG, "source": str(source["id"])}


OpenPage = Callable[..., Page]


@pytest.fixture
def open_page(
    chromium: Browser, live_server: LiveServer, signed_in_states: Callable[[Role], StorageState]
) -> Iterator[OpenPage]:
    """A factory of pages, each in its own browser context: `open_page("phone", role=Role.EDITOR)`."""
    contexts: list[BrowserContext] = []

    def new_page(viewport: str = "desktop", role: Role | None = None) -> Page:
        size = VIEWPORTS[viewport]
        context = chromium.new_context(
            base_url=live_server.base_url,
            viewport={"width": size.width, "height": size.height},
            storage_state=signed_in_states(role) if role is not None else None,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshots_dir(live_server: LiveServer) -> Path:
    """Where screenshots go: git-ignored, one folder per backend."""
    folder = SCREENSHOTS_DIR / live_server.backend
    folder.mkdir(parents=True, exist_ok=True)
    return folder
