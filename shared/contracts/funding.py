"""Events published by the funding service on `onderop:events:funding`.

Instrument, application and round events carry the aggregate's full public state with its version as `sequence`.
Match events have the subject `<collective_id>/<instrument_id>` and a service-wide increasing `sequence`, so a
consumer keeps, per pair, the event with the highest sequence. No event names a person.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.envelope import EventData, event
from shared.contracts.vocabulary import CollectiveKind, LegalForm, Stage, Theme


class InstrumentState(EventData):
    instrument_id: uuid.UUID
    funder_id: uuid.UUID
    name: str
    description: str = ""
    form: str = Field(
        description="grant, subsidy, loan, guarantee, crowdfunding, member_capital, community_bonds, "
        "revolving_fund, match_funding, in_kind or prize"
    )
    status: str = Field(description="draft, open or closed")
    collective_kinds: list[CollectiveKind] = Field(default_factory=list, description="empty: every kind")
    legal_forms: list[LegalForm] = Field(default_factory=list, description="empty: every legal form")
    stages: list[Stage] = Field(default_factory=list, description="empty: every stage")
    themes: list[Theme] = Field(default_factory=list, description="empty: every theme")
    national: bool = False
    provinces: list[str] = Field(default_factory=list)
    municipalities: list[str] = Field(default_factory=list)
    requires_anbi: bool = False
    requires_kvk: bool = False
    min_members: int | None = None
    amount_min_cents: int = 0
    amount_max_cents: int | None = None
    cofinancing_pct: int = 0
    opens_on: date | None = None
    closes_on: date | None = None
    application_url: str | None = None
    version: int


@event("funding", "instrument.published")
class InstrumentPublished(InstrumentState):
    """An instrument became open for applications (created open, or a draft was opened)."""


@event("funding", "instrument.updated")
class InstrumentUpdated(InstrumentState):
    """A published instrument changed; it carries the full state and the names of the fields that changed."""

    changed_fields: list[str] = Field(default_factory=list)


@event("funding", "instrument.closed")
class InstrumentClosed(InstrumentState):
    """An instrument closed for good; its matches are lost in the same transaction."""


class MatchChange(EventData):
    collective_id: uuid.UUID
    instrument_id: uuid.UUID
    funder_id: uuid.UUID
    eligible: bool
    score: int = Field(description="0–100, how well the instrument fits the collective")
    cause: str = Field(
        description="collective_changed, collective_dissolved, instrument_changed, instrument_closed or window"
    )
    computed_at: datetime


@event("funding", "match.found")
class MatchFound(MatchChange):
    """A collective became eligible for an instrument. A match has no version of its own: `sequence` comes from one
    counter for all match events of the service, so for each pair it still only grows (keep the highest)."""


@event("funding", "match.lost")
class MatchLost(MatchChange):
    """A collective is no longer eligible for an instrument it was eligible for."""


class ApplicationState(EventData):
    application_id: uuid.UUID
    collective_id: uuid.UUID
    instrument_id: uuid.UUID
    funder_id: uuid.UUID
    need_id: uuid.UUID | None = None
    status: str = Field(description="draft, submitted, in_review, granted, rejected, disbursed or withdrawn")
    amount_requested_cents: int | None = None
    amount_granted_cents: int | None = None
    disbursed_cents: int | None = None
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    version: int


@event("funding", "application.submitted")
class ApplicationSubmitted(ApplicationState):
    """A collective submitted an application to the instrument's funder."""


@event("funding", "application.decided")
class ApplicationDecided(ApplicationState):
    """The funder granted or rejected an application."""

    decision: Literal["granted", "rejected"]
    note: str = ""


@event("funding", "application.withdrawn")
class ApplicationWithdrawn(ApplicationState):
    """The applicant withdrew an application that was still open."""


@event("funding", "funds.disbursed")
class FundsDisbursed(ApplicationState):
    """The funder paid out a granted application."""

    amount_cents: int
    disbursed_at: datetime


class RoundState(EventData):
    round_id: uuid.UUID
    funder_id: uuid.UUID
    name: str
    mechanism: Literal["quadratic", "one_to_one"]
    budget_cents: int
    cap_cents: int | None = None
    opens_at: datetime
    closes_at: datetime
    status: str = Field(description="open or closed")
    version: int


class ProjectAllocation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    project_id: uuid.UUID
    collective_id: uuid.UUID
    raised_cents: int
    backers: int
    match_cents: int
    capped: bool = False
    released: bool = Field(False, description="an all-or-nothing campaign missed its target: pledges released")


@event("funding", "round.opened")
class RoundOpened(RoundState):
    """A funder opened a match-funding round with a budget."""


@event("funding", "round.closed")
class RoundClosed(RoundState):
    """A round closed; `allocations` plus `unallocated_cents` sum exactly to the budget."""

    allocations: list[ProjectAllocation] = Field(default_factory=list)
    allocated_cents: int
    unallocated_cents: int
