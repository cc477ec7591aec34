"""Events published by the rewards service on `onderop:events:rewards`.

Points events have the contributor id as subject and the contributor's rewards version as `sequence`; pool and
payout events carry the pool's or payout's full state with its version. Payloads name people by id only, never by
name: a consumer that shows names keeps its own read model of `contributor.*` from the registry.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field

from shared.contracts.envelope import EventData, event
from shared.contracts.vocabulary import Theme


class PointsChange(EventData):
    transaction_id: uuid.UUID
    contributor_id: uuid.UUID
    amount: int = Field(description="points, always positive: awarded, or taken back by a reversal")
    balance: int = Field(description="the contributor's points balance after this change (never below 0)")
    reason: str = Field(
        description="article_published, endorsement_received, answer_accepted, asker_bonus, "
        "reuse_by_other_collective, endorsement_withdrawn or article_retracted"
    )
    source_event_id: uuid.UUID = Field(description="the knowledge event that caused the change")
    source_event_type: str
    source_key: str = Field(description="what was rewarded, e.g. `publication:<article id>`, `endorsement:<id>`")
    article_id: uuid.UUID | None = None
    themes: list[Theme] = Field(default_factory=list)
    rules_version: str
    occurred_at: datetime


@event("rewards", "points.awarded")
class PointsAwarded(PointsChange):
    """A contributor received points for a knowledge event."""


@event("rewards", "points.reversed")
class PointsReversed(PointsChange):
    """Points were taken back: an endorsement was withdrawn or an article retracted."""

    reversed_source_keys: list[str] = Field(default_factory=list)


@event("rewards", "badge.earned")
class BadgeEarned(EventData):
    """A contributor earned a badge; badges are never taken back."""

    contributor_id: uuid.UUID
    badge: str
    counter: str
    value: int
    label_nl: str
    label_en: str
    source_event_id: uuid.UUID
    earned_at: datetime


@event("rewards", "level.reached")
class LevelReached(EventData):
    """A contributor reached a level for the first time."""

    contributor_id: uuid.UUID
    level: str
    threshold: int
    balance: int
    label_nl: str
    label_en: str
    source_event_id: uuid.UUID
    reached_at: datetime


class PoolState(EventData):
    pool_id: uuid.UUID
    name: str
    amount_cents: int
    period_start: date
    period_end: date
    theme: Theme | None = None
    province_code: str | None = None
    min_payout_cents: int
    max_share: str = Field(description="the largest share of the pool one person can get, a decimal in (0, 1]")
    funder_id: uuid.UUID | None = None
    status: str = Field(description="open or closed")
    distributed_cents: int | None = None
    undistributed_cents: int | None = None
    version: int


@event("rewards", "pool.created")
class PoolCreated(PoolState):
    """A reward pool was funded; it is divided among contributors once its period has ended."""


@event("rewards", "pool.closed")
class PoolClosed(PoolState):
    """The pool was divided: one `payout.calculated` per payout follows in the same transaction."""

    payout_count: int
    cap_cents: int
    closed_at: datetime


class PayoutState(EventData):
    payout_id: uuid.UUID
    pool_id: uuid.UUID
    contributor_id: uuid.UUID
    points: int = Field(description="points the contributor earned in the pool's scope and period")
    amount_cents: int
    status: str = Field(description="calculated, approved or paid")
    version: int


@event("rewards", "payout.calculated")
class PayoutCalculated(PayoutState):
    """A contributor's share of a closed pool, in whole cents; the payouts of a pool sum exactly to what it
    distributed."""


@event("rewards", "payout.approved")
class PayoutApproved(PayoutState):
    """The funder or an operator approved a calculated payout."""


@event("rewards", "payout.paid")
class PayoutPaid(PayoutState):
    """An approved payout was paid out."""
