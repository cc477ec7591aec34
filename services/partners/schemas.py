"""HTTP models of the partner service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from shared.contracts.vocabulary import CollectiveKind, provinces


def _known_province(code: str) -> str:
    if code not in provinces():
        raise ValueError(f"unknown province code {code!r} (see /registry/v1/vocabulary)")
    return code


ProvinceCode = Annotated[str, StringConstraints(pattern=r"^PV\d{2}$"), AfterValidator(_known_province)]
Pattern = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Url = Annotated[str, StringConstraints(min_length=8, max_length=2000)]
SubscriptionStatus = Literal["active", "disabled"]
DeliveryStatus = Literal["pending", "in_flight", "delivered", "dead"]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PartnerIn(In):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    website: str | None = Field(None, max_length=300)


class PartnerOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str
    website: str | None
    status: str
    version: int
    created_at: datetime


class PartnerPage(BaseModel):
    items: list[PartnerOut]
    next_cursor: str | None = None


class SubscriptionIn(In):
    url: Url = Field(description="https only; it must resolve to public addresses")
    event_types: list[Pattern] = Field(
        min_length=1, max_length=50, description="types or fnmatch patterns, e.g. nl.onderop.funding.match.*"
    )
    provinces: list[ProvinceCode] = Field(default_factory=list, max_length=12, description="empty: no filter")
    collective_kinds: list[CollectiveKind] = Field(default_factory=list, max_length=12, description="empty: no filter")
    description: str = Field("", max_length=500)


class SubscriptionPatch(In):
    url: Url | None = None
    event_types: list[Pattern] | None = Field(None, min_length=1, max_length=50)
    provinces: list[ProvinceCode] | None = Field(None, max_length=12)
    collective_kinds: list[CollectiveKind] | None = Field(None, max_length=12)
    description: str | None = Field(None, max_length=500)


class SubscriptionOut(BaseModel):
    id: uuid.UUID
    partner_id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    provinces: list[str]
    collective_kinds: list[str]
    status: SubscriptionStatus
    disabled_reason: str | None
    disabled_at: datetime | None
    consecutive_failures: int
    failing_since: datetime | None
    last_error: str | None
    previous_secret_until: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="shown once: verify every delivery's signature with it (Standard Webhooks)")


class SubscriptionPage(BaseModel):
    items: list[SubscriptionOut]
    next_cursor: str | None = None


class SecretOut(BaseModel):
    secret: str
    previous_secret_valid_until: datetime


class AttemptOut(BaseModel):
    attempt: int
    started_at: datetime
    latency_ms: int
    status_code: int | None
    result: str
    error: str | None


class DeliveryOut(BaseModel):
    id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    subject: str | None
    event_time: datetime
    origin: str
    redelivery_of: uuid.UUID | None
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: list[AttemptOut] = Field(default_factory=list)


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None = None


class ReplayIn(In):
    since: AwareDatetime
    until: AwareDatetime | None = Field(None, description="exclusive; default now")


class ReplayOut(BaseModel):
    queued: int
    since: datetime
    until: datetime
    retained_since: datetime | None = Field(description="the oldest event still kept; nothing older can be replayed")


class EventTypeOut(BaseModel):
    type: str
    stream: str
    description: str
