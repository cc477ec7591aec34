"""Events published by the registry on `onderop:events:registry`.

Collective and contributor events carry the aggregate's full public state, so a consumer can upsert its read model
and ignore anything with a `sequence` lower than what it holds. No event carries an e-mail address.
"""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field

from shared.contracts.envelope import EventData, event
from shared.contracts.vocabulary import CollectiveKind, LegalForm, MembershipRole, Stage, Theme


class CollectiveState(EventData):
    collective_id: uuid.UUID
    slug: str
    name: str
    kind: CollectiveKind
    legal_form: LegalForm
    kvk_number: str | None = None
    anbi: bool = False
    municipality_code: str
    province_code: str
    postcode: str | None = None
    founded_on: date | None = None
    stage: Stage
    member_count: int | None = None
    volunteer_count: int | None = None
    themes: list[Theme] = Field(default_factory=list)
    description: str = ""
    website: str | None = None
    umbrella_ids: list[uuid.UUID] = Field(default_factory=list)
    status: str = "active"
    version: int
    rsin: str | None = None
    dissolved_on: date | None = None


@event("registry", "collective.registered")
class CollectiveRegistered(CollectiveState):
    """A collective entered the register; carries its full public state (never a contact e-mail)."""


@event("registry", "collective.updated")
class CollectiveUpdated(CollectiveState):
    """A collective changed (not its stage); full public state, `changed_fields` names what changed."""

    changed_fields: list[str] = Field(default_factory=list)


@event("registry", "collective.stage_changed")
class CollectiveStageChanged(CollectiveState):
    """Published instead of `collective.updated` when a change includes the stage; it carries the full state."""

    previous_stage: Stage
    changed_fields: list[str] = Field(default_factory=list)


@event("registry", "collective.dissolved")
class CollectiveDissolved(CollectiveState):
    """A collective was dissolved (`dissolved_on`); it no longer changes. Full public state."""


class ContributorState(EventData):
    contributor_id: uuid.UUID
    display_name: str
    expertise: list[Theme] = Field(default_factory=list)
    municipality_code: str | None = None
    province_code: str | None = None
    status: str = "active"
    version: int


@event("registry", "contributor.registered")
class ContributorRegistered(ContributorState):
    """A person registered as contributor; public profile only (never an e-mail address)."""


@event("registry", "contributor.updated")
class ContributorUpdated(ContributorState):
    """A contributor's public profile changed; carries the full public profile."""


@event("registry", "contributor.erased")
class ContributorErased(EventData):
    """Every service removes or anonymises what it holds about this person."""

    contributor_id: uuid.UUID
    version: int


# The events that carry a person's name, expertise or region: once the person is erased, whoever kept copies of these
# (the registry's outbox and stream, the partner service's replay store) deletes them.
PERSONAL_EVENT_TYPES = (ContributorRegistered.event_type(), ContributorUpdated.event_type())


@event("registry", "membership.added")
class MembershipAdded(EventData):
    """Also published when the role of an existing membership changes: it carries the membership's full state.

    Subject `<collective_id>/<contributor_id>`; `version` (= sequence) counts per membership, across removals.
    """

    collective_id: uuid.UUID
    contributor_id: uuid.UUID
    role: MembershipRole
    version: int = 1


@event("registry", "membership.removed")
class MembershipRemoved(EventData):
    """A person left a collective or was removed from it. Subject `<collective_id>/<contributor_id>`."""

    collective_id: uuid.UUID
    contributor_id: uuid.UUID
    version: int = 1


@event("registry", "impact.reported")
class ImpactReported(EventData):
    """A collective reported its impact indicators for `year`; a later report for that year replaces it."""

    collective_id: uuid.UUID
    year: int
    indicators: dict[str, float]
    kind: CollectiveKind
    province_code: str
    version: int = 1  # per (collective, year): subject `<collective_id>/<year>`; a later report replaces it


@event("registry", "goal.set")
class GoalSet(EventData):
    """`scope_type` is national, province, kind or kind_in_province; `scope_value` is then None, the province code,
    the kind, or `<kind>:<province_code>` — `scope_kind` and `scope_province_code` give the same apart."""

    goal_id: uuid.UUID
    title: str
    indicator: str
    scope_type: str
    scope_value: str | None = None
    baseline_value: float
    target_value: float
    target_date: date
    description: str = ""
    umbrella_id: uuid.UUID | None = None
    scope_province_code: str | None = None
    scope_kind: CollectiveKind | None = None
    baseline_date: date | None = None
    version: int = 1
