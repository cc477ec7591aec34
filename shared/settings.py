"""Settings from the environment (prefix `ONDEROP_`), validated once at start-up.

Per-service overrides: `ONDEROP_<SERVICE>_DATABASE_URL` points one service at its own database or cluster.
Without an override, a service connects to `ONDEROP_DATABASE_URL` as its own role (`onderop_<service>`), which owns
its schema and nothing else.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, PositiveInt, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

SERVICES: tuple[str, ...] = ("registry", "knowledge", "rewards", "funding")
DEFAULT_PORTS: dict[str, int] = {"registry": 8001, "knowledge": 8002, "rewards": 8003, "funding": 8004}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONDEROP_", extra="ignore")

    environment: Literal["local", "test", "production"] = "local"
    database_url: str = Field(default="", description="admin or base URL, postgresql+asyncpg://…")
    redis_url: str = ""
    # Streams are `<namespace>:events:<service>`; tests use their own namespace so they never touch other data.
    stream_namespace: str = "onderop"
    home: Path = Path(".onderop")

    db_pool_size: PositiveInt = 10
    http_max_body_bytes: PositiveInt = 256 * 1024
    cors_origins: list[str] = []

    # outbox relay
    relay_poll_interval_ms: PositiveInt = 200
    relay_batch_size: PositiveInt = 500
    outbox_retention_hours: PositiveInt = 24 * 7
    stream_retention_hours: PositiveInt = 24 * 7

    # consumers
    consumer_batch_size: PositiveInt = 100
    consumer_block_ms: PositiveInt = 100
    claim_idle_ms: PositiveInt = 10_000
    delivery_limit: PositiveInt = 5

    # auth
    jwt_issuer: str = "onderop-local"
    jwt_audience: str = "onderop"
    jwt_algorithms: list[str] = ["RS256"]
    jwt_public_key: str = ""
    jwt_private_key: str = ""  # only the local stack signs tokens
    jwks_url: str = ""

    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _production_needs_explicit_secrets(self) -> Settings:
        if self.environment == "production":
            if not self.jwks_url and not self.jwt_public_key:
                raise ValueError("production needs ONDEROP_JWKS_URL or ONDEROP_JWT_PUBLIC_KEY")
            if self.jwt_private_key:
                raise ValueError("production verifies tokens of an external provider; do not set a private key")
            if not self.database_url and not all(os.environ.get(f"ONDEROP_{s.upper()}_DATABASE_URL") for s in SERVICES):
                raise ValueError("production needs ONDEROP_DATABASE_URL or a database URL per service")
            if not self.redis_url:
                raise ValueError("production needs ONDEROP_REDIS_URL")
        if "none" in {a.lower() for a in self.jwt_algorithms}:
            raise ValueError("the 'none' JWT algorithm is never allowed")
        return self

    def service_database_url(self, service: str) -> str:
        """The URL a service connects with: its override, or the base URL as the service's own role."""
        override = os.environ.get(f"ONDEROP_{service.upper()}_DATABASE_URL")
        if override:
            return override
        if not self.database_url:
            raise ValueError("ONDEROP_DATABASE_URL is not set")
        return (
            make_url(self.database_url)
            .set(username=role_name(service), password=None)
            .render_as_string(hide_password=False)
        )

    def stream(self, service: str) -> str:
        return f"{self.stream_namespace}:events:{service}"

    def dlq_stream(self, consumer: str) -> str:
        return f"{self.stream_namespace}:dlq:{consumer}"

    @cached_property
    def keys_dir(self) -> Path:
        return self.home / "keys"


def role_name(service: str) -> str:
    return f"onderop_{service}"


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
