"""HTTP models of rewards."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StringConstraints, model_validator

from shared.contracts.vocabulary import Theme, provinces

ANONYMOUS_NAME = "anoniem"
MAX_CENTS = 10**13  # a hundred billion euro: more than any pool, well inside a bigint


def check_province(code: str) -> str:
    if code not in provinces():
        raise ValueError(f"unknown province code {code!r}; expected a CBS code like 'PV22'")
    return code


ProvinceCode = Annotated[str, Field(min_length=4, max_length=4), AfterValidator(check_province)]


class Label(BaseModel):
    nl: str
    en: str


class PersonOut(BaseModel):
    """How a person shows in views: by name, or as `anoniem` once they erased themselves."""

    contributor_id: uuid.UUID
    display_name: str | None = None
    anonymous: bool = False
    province_code: str | None = None


class LevelOut(BaseModel):
    key: str
    threshold: int
    label: Label


class NextLevelOut(LevelOut):
    points_to_go: int


class BadgeOut(BaseModel):
    key: str
    counter: str
    at_least: int
    label: Label
    earned_at: datetime


class CountersOut(BaseModel):
    articles_published: int = 0
    answers_accepted: int = 0
    reusing_collectives: int = 0
    endorsements_received: int = 0


class ContributorRewardsOut(PersonOut):
    balance: int
    level: LevelOut
    next_level: NextLevelOut | None = None
    badges: list[BadgeOut]
    counters: CountersOut
    rules_version: str
    version: int


class LedgerEntryOut(BaseModel):
    id: int
    transaction_id: uuid.UUID
    account: str
    amount: int
    unit: str = Field(description="points, or cents for pool payouts")
    reason: str
    source_event_id: uuid.UUID
    source_event_type: str
    source_key: str
    outcome: str
    article_id: uuid.UUID | None = None
    themes: list[str]
    rules_version: str | None = None
    occurred_at: datetime
    recorded_at: datetime


class LedgerPage(BaseModel):
    items: list[LedgerEntryOut]
    next_cursor: str | None = None


class LeaderboardItem(PersonOut):
    rank: int
    points: int


class Leaderboard(BaseModel):
    period: str
    starts_at: datetime | None
    ends_before: datetime | None
    theme: Theme | None
    province: str | None
    items: list[LeaderboardItem]


class PoolIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # stripped, so that a name of spaces is too short; amounts strict, so that `true` or "100" is no amount
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
    amount_cents: StrictInt = Field(gt=0, le=MAX_CENTS)
    period_start: date = Field(ge=date(2000, 1, 1), le=date(2200, 12, 31))
    period_end: date = Field(ge=date(2000, 1, 1), le=date(2200, 12, 31))
    theme: Theme | None = None
    province: ProvinceCode | None = None
    min_payout_cents: StrictInt = Field(0, ge=0, le=MAX_CENTS)
    max_share: Decimal = Field(Decimal(1), gt=0, le=1, max_digits=7, decimal_places=6)
    funder_id: uuid.UUID | None = Field(
        None, description="the funder this pool is paid by; a funder token must act for it"
    )

    @model_validator(mode="after")
    def _consistent(self) -> PoolIn:
        if self.period_end < self.period_start:
            raise ValueError("period_end must not lie before period_start")
        if self.min_payout_cents > self.amount_cents:
            raise ValueError("min_payout_cents must not exceed amount_cents")
        return self


class PoolOut(BaseModel):
    id: uuid.UUID
    name: str
    amount_cents: int
    period_start: date
    period_end: date
    theme: Theme | None = None
    province: str | None = None
    min_payout_cents: int
    max_share: float
    funder_id: uuid.UUID | None = None
    created_by: str
    status: str = Field(description="open, or closed once divided")
    distributed_cents: int | None = None
    undistributed_cents: int | None = None
    cap_cents: int | None = None
    closed_at: datetime | None = None
    version: int
    created_at: datetime


class PoolPage(BaseModel):
    items: list[PoolOut]
    next_cursor: str | None = None


class PayoutOut(PersonOut):
    id: uuid.UUID
    pool_id: uuid.UUID
    points: int
    amount_cents: int
    status: str = Field(description="calculated → approved → paid")
    approved_at: datetime | None = None
    paid_at: datetime | None = None
    version: int


class PayoutPage(BaseModel):
    pool_id: uuid.UUID
    pool_status: str
    amount_cents: int
    distributed_cents: int
    undistributed_cents: int
    items: list[PayoutOut]
    next_cursor: str | None = None
