"""Settings read from the environment (prefix CLAIMTRACK_, plus DATABASE_URL)."""

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    page_size_default: int = 50
    page_size_max: int = 200
    echo_sql: bool = False
    write_wait: float = Field(default=5.0, gt=0, le=600)
    """Seconds a change waits for its turn to write before it is refused with 503 and Retry-After,
    having changed nothing. Each process lets one change write at a time on SQLite (which takes one
    writer at a time), 8 on PostgreSQL; on SQLite a change then waits as long again for a write lock
    held by another process."""
    telemetry: bool = False
    """FastAPI's own OpenTelemetry instrumentation (spans, metrics and logs to the global providers).

    Off unless asked for (CLAIMTRACK_TELEMETRY=true): claimtrack sets up no OpenTelemetry, and while it
    is on, every request looks up whether a provider has been configured since, a measurable part of a
    cheap request's time. The Server-Timing header gives each response's server time either way.
    """


@lru_cache
def get_settings() -> Settings:
    return Settings()
