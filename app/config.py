"""Settings read from the environment (prefix CLAIMTRACK_, plus DATABASE_URL)."""

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMTRACK_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///claimtrack.db",
        validation_alias=AliasChoices("DATABASE_URL", "CLAIMTRACK_DATABASE_URL"),
    )
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    templates_dir: Path = PROJECT_ROOT / "templates"
    static_dir: Path = PROJECT_ROOT / "static"
    echo_sql: bool = False
    public_url: str = "http://127.0.0.1:8000"
    """The address the site is published at (CLAIMTRACK_PUBLIC_URL), for the absolute URLs that documents
    read by other programs need (a Web Annotation's `id`, a PROV document's identifiers). Pages link by
    path; no URL is ever built from a request's Host header."""
    write_wait: float = Field(default=5.0, gt=0, le=600)
    """Seconds a change waits for its turn to write before it is refused with 503 and Retry-After,
    having changed nothing. Each process lets one change write at a time on SQLite (which takes one
    writer at a time), 8 on PostgreSQL; on SQLite a change then waits as long again for a write lock
    held by another process."""
    password_hashing: Literal["argon2id", "argon2id-cheapest-for-tests"] = "argon2id"
    """How new passwords are hashed. `argon2id`: argon2-cffi's defaults (RFC 9106's low-memory profile).
    `argon2id-cheapest-for-tests` (1 pass over 8 KiB) lets the test suite create and sign in thousands
    of accounts; never in production. A hash made with it is upgraded at the account's next sign-in under
    `argon2id`, as any hash below the current cost is."""
    telemetry: bool = False
    """FastAPI's own OpenTelemetry instrumentation (spans, metrics and logs to the global providers).

    Off unless asked for (CLAIMTRACK_TELEMETRY=true): claimtrack sets up no OpenTelemetry, and while it
    is on, every request looks up whether a provider has been configured since, a measurable part of a
    cheap request's time. The Server-Timing header gives each response's server time either way.
    """
    allowed_hosts: Annotated[list[str], NoDecode] = ["*"]
    """The host names the app answers for (CLAIMTRACK_ALLOWED_HOSTS, comma-separated): a request whose
    `Host` is not one of them gets a 400. `*.example.org` also allows its subdomains; the default `*`
    allows any host, for local use and tests. Set it in production, so that no one can have the app
    answer for a name of their choosing (cache poisoning, links in e-mails that point elsewhere).
    """

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [host.strip() for host in value.split(",") if host.strip()]
        return value

    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """The proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed: IP addresses or networks.

    CLAIMTRACK_TRUSTED_PROXIES=10.0.0.5,192.168.0.0/24. None by default: then the client is the
    address that opened the connection, whatever headers it sends, as anybody can write them. Sign-in
    throttling counts failures per client address, so the load balancer in front must be listed here.
    """

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        entries = value.split(",") if isinstance(value, str) else value
        if not isinstance(entries, list):
            return value
        networks = []
        for entry in (str(item).strip() for item in entries):
            if not entry:
                continue
            try:
                networks.append(str(ipaddress.ip_network(entry, strict=False)))
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network (such as 10.0.0.0/8)") from None
        return networks


@lru_cache
def get_settings() -> Settings:
    return Settings()
