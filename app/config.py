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


@lru_cache
def get_settings() -> Settings:
    return Settings()
