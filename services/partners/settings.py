"""The partner service's own settings (prefix `ONDEROP_PARTNERS_`); the kit's `Settings` ignores these variables.

Lists are read as JSON (`["127.0.0.1", "receiver.test"]`) or comma-separated (`127.0.0.1,receiver.test`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import Field, PositiveFloat, PositiveInt, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from services.partners.domain.retry import DEFAULT_SCHEDULE


def _list_from_env(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [item.strip() for item in text.split(",") if item.strip()]
    return value


class PartnersSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONDEROP_PARTNERS_", extra="ignore")

    # Hosts that may be reached over plain http and at non-public addresses: the local stack and tests only.
    allow_hosts: Annotated[list[str], NoDecode] = []
    # Seconds to wait before the 2nd, 3rd, … attempt; a delivery is dead after len(schedule) + 1 attempts.
    retry_schedule: Annotated[list[PositiveFloat], NoDecode] = list(DEFAULT_SCHEDULE)
    retry_jitter: float = Field(0.2, ge=0, le=1, description="each delay is multiplied by 1 ± this, at random")
    # A subscription is disabled when this many attempts in a row failed AND it has failed for disable_after_seconds.
    disable_after: PositiveInt = 50
    disable_after_seconds: float = Field(24 * 3600, ge=0)
    timeout: PositiveFloat = 5.0  # seconds for one request, connect to last byte
    max_in_flight: PositiveInt = 64  # requests at once in this process
    per_subscription: PositiveInt = 4  # requests at once to one subscription in this process
    poll_interval_ms: PositiveInt = 200
    result_flush_ms: PositiveInt = 10
    event_retention_hours: PositiveInt = 24 * 7  # partner_events kept for replay
    log_retention_hours: PositiveInt = 24 * 30  # finished deliveries and their attempts
    max_subscriptions_per_partner: PositiveInt = 25
    replay_limit: PositiveInt = 50_000  # events one replay may queue
    public_base_url: str = ""  # prefixed to data.links (e.g. https://api.onderop.nl); relative links when empty
    secret_grace_hours: float = Field(24, ge=0)  # after a rotation the old secret still signs for this long

    @field_validator("allow_hosts", "retry_schedule", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return _list_from_env(value)

    @field_validator("allow_hosts")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [v.strip().lower().strip("[]").rstrip(".") for v in value if v.strip()]

    @field_validator("public_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")
