"""Application settings: one source of truth for every process (web, worker, CLI, tests).

Names follow the spec (TRD 9.4). Defaults give the embedded development setup: a SQLite
file, an embedded Redis (started by the run command when ``REDIS_URL`` is unset) and the
offline AI providers when no cloud keys are set.
"""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER_SECRETS = {"", "changethis", "change-me", "your-256-bit-secret-key", "secret"}
DEV_SECRET_FILE = PROJECT_ROOT / "var" / "dev_secret_key"


def _dev_secret() -> str:
    """A per-checkout random secret for development, kept in var/ so sessions survive restarts."""
    DEV_SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
    if not DEV_SECRET_FILE.exists():
        DEV_SECRET_FILE.write_text(secrets.token_urlsafe(48))
    return DEV_SECRET_FILE.read_text().strip()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    ENVIRONMENT: Literal["development", "test", "production"] = "development"
    SECRET_KEY: str = ""
    DATABASE_URL: str = ""
    REDIS_URL: str = ""
    GOOGLE_API_KEY: str = ""
    AI_SERVICE_API_KEY: str = ""
    ASSEMBLYAI_API_KEY: str = ""
    GEMINI_BASE_URL: str = ""  # tests point the real client at a fake server
    ASSEMBLYAI_STREAMING_HOST: str = ""  # default: the SDK's host

    SMTP_HOST: str = ""
    SMTP_PORT: int = 587
    SMTP_USER: str = ""
    SMTP_PASSWORD: str = ""
    SMTP_FROM: str = "AI Interviewer <no-reply@interviewer.local>"
    SMTP_STARTTLS: bool = True

    # NoDecode: pydantic-settings would otherwise JSON-decode list fields from the environment before
    # any validator runs, so the documented comma-separated form ("a,b") failed to load.
    CORS_ORIGINS: Annotated[list[str], NoDecode] = Field(
        default=["http://localhost:3000", "http://localhost:3001", "http://localhost:9002"]
    )
    PUBLIC_URL: str = "http://localhost:3000"

    ACCESS_TOKEN_EXPIRE_MINUTES: int = 30
    REFRESH_TOKEN_EXPIRE_DAYS: int = 7
    VERIFICATION_TOKEN_EXPIRE_HOURS: int = 48
    BCRYPT_ROUNDS: int = Field(default=12, ge=4, le=16)
    JWT_ALGORITHM: Literal["HS256"] = "HS256"

    RATE_LIMIT_ENABLED: bool = True
    RATE_LIMIT_AUTH: str = "5/60"
    RATE_LIMIT_API: str = "100/60"
    RATE_LIMIT_AI: str = "10/60"
    RATE_LIMIT_UPLOAD: str = "10/300"
    TRUSTED_PROXIES: Annotated[list[str], NoDecode] = Field(default_factory=list)

    DB_POOL_SIZE: int = 20
    DB_MAX_OVERFLOW: int = 10
    DB_POOL_TIMEOUT: int = 30
    MAX_JSON_BODY_BYTES: int = 1_048_576
    MAX_UPLOAD_BYTES: int = 10 * 1_048_576

    DATA_DIR: Path = PROJECT_ROOT / "var"
    # Background workers yield the CPU to the web processes on a shared machine (nice value
    # added at start; 0 keeps the default priority).
    WORKER_NICE: int = Field(default=10, ge=0, le=19)
    LOG_LEVEL: str = "INFO"
    LOG_JSON: bool = True

    @field_validator("CORS_ORIGINS", "TRUSTED_PROXIES", mode="before")
    @classmethod
    def _split_csv(cls, value):
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @model_validator(mode="after")
    def _check_secret(self) -> "Settings":
        if self.SECRET_KEY.strip().lower() in PLACEHOLDER_SECRETS:
            if self.ENVIRONMENT == "production":
                raise ValueError(
                    "SECRET_KEY is unset or a placeholder; set a random 256-bit value "
                    "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)."
                )
            self.SECRET_KEY = _dev_secret()
        elif self.ENVIRONMENT == "production" and len(self.SECRET_KEY) < 32:
            raise ValueError("SECRET_KEY must be at least 32 characters (256 bits) in production.")
        if not self.DATABASE_URL:
            self.DATA_DIR.mkdir(parents=True, exist_ok=True)
            self.DATABASE_URL = f"sqlite:///{self.DATA_DIR / 'interviewer.db'}"
        return self

    @property
    def sqlalchemy_url(self) -> str:
        """The URL in the form SQLAlchemy wants (psycopg 3 driver for PostgreSQL)."""
        url = self.DATABASE_URL
        for prefix in ("postgresql+asyncpg://", "postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")

    @property
    def gemini_key(self) -> str:
        return self.GOOGLE_API_KEY or self.AI_SERVICE_API_KEY

    @property
    def upload_dir(self) -> Path:
        path = self.DATA_DIR / "uploads"
        path.mkdir(parents=True, exist_ok=True)
        return path


@lru_cache
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """For tests that change the environment."""
    get_settings.cache_clear()
