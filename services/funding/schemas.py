"""HTTP models of the funding service: closed enums, length limits, unknown fields rejected, money in cents."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from services.funding.domain.matching import FunderKind, InstrumentForm
from shared.contracts.vocabulary import CollectiveKind, LegalForm, Stage, Theme, municipalities, provinces

MAX_CENTS = 10**12  # ten billion euros: far above any instrument, far below BIGINT


def _province(code: str) -> str:
    if code not in provinces():
        raise ValueError(f"unknown province code {code!r}; expected a CBS code of a Dutch province like 'PV22'")
    return code


def _municipality(code: str) -> str:
    if code not in municipalities():
        raise ValueError(f"unknown municipality code {code!r}; expected a CBS code of a municipality like 'GM0106'")
    return code


def _region(code: str) -> str:
    return _province(code) if code.startswith("PV") else _municipality(code)


def _without_nul(value: str) -> str:
    # PostgreSQL cannot store U+0000 in text or jsonb, nor compare with it: refused here, naming the field, instead
    # of failing in the database as a data exception that no longer knows where it came from.
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    return value


def _unique(values: list) -> list:
    if len(set(values)) != len(values):
        raise ValueError("values must be unique")
    return values


Text = Annotated[str, AfterValidator(_without_nul)]
"""A string that PostgreSQL can store: every free-text field and query parameter of funding is one."""


def text(**constraints: Any) -> Any:
    """`Text` with length or pattern constraints, checked before the NUL check (constraints placed after an
    AfterValidator are checked as generic ones, and pydantic then words a string's length as 'items')."""
    return Annotated[str, Field(**constraints), AfterValidator(_without_nul)]


ProvinceCode = Annotated[str, Field(max_length=4, pattern=r"^PV\d{2}$"), AfterValidator(_province)]
MunicipalityCode = Annotated[str, Field(max_length=6, pattern=r"^GM\d{4}$"), AfterValidator(_municipality)]
RegionCode = Annotated[str, Field(max_length=6, pattern=r"^(PV\d{2}|GM\d{4})$"), AfterValidator(_region)]
RegionFilter = Annotated[
    str,
    Field(max_length=8, pattern=r"^(national|PV\d{2}|GM\d{4})$"),
    AfterValidator(lambda code: code if code == "national" else _region(code)),
]
"""`national` (instruments open to the whole country), or a province or municipality (what is available there)."""
Cents = Annotated[int, Field(ge=0, le=MAX_CENTS)]
PositiveCents = Annotated[int, Field(ge=1, le=MAX_CENTS)]
Name = text(min_length=2, max_length=200)
Description = text(max_length=5000)
Note = text(max_length=2000)
Url = text(max_length=300, pattern=r"^https?://[^\s]+$")
SearchText = text(min_length=1, max_length=200)
Kinds = Annotated[list[CollectiveKind], Field(max_length=len(CollectiveKind)), AfterValidator(_unique)]
LegalForms = Annotated[list[LegalForm], Field(max_length=len(LegalForm)), AfterValidator(_unique)]
Stages = Annotated[list[Stage], Field(max_length=len(Stage)), AfterValidator(_unique)]
Themes = Annotated[list[Theme], Field(max_length=len(Theme)), AfterValidator(_unique)]
Provinces = Annotated[list[ProvinceCode], Field(max_length=12), AfterValidator(_unique)]
Municipalities = Annotated[list[MunicipalityCode], Field(max_length=400), AfterValidator(_unique)]
Members = Annotated[int, Field(ge=0, le=10_000_000)]
Percentage = Annotated[int, Field(ge=0, le=100)]
Day = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
Moment = AwareDatetime


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Labels(BaseModel):
    nl: str
    en: str


# --- funders --------------------------------------------------------------------------------------------------


class FunderIn(Strict):
    name: Name
    kind: FunderKind
    description: Description = ""
    website: Url | None = None


class FunderOut(BaseModel):
    id: uuid.UUID
    name: str
    kind: FunderKind
    description: str
    website: str | None
    fictional: bool
    version: int
    created_at: datetime


class FunderPage(BaseModel):
    items: list[FunderOut]
    next_cursor: str | None = None


# --- instruments ----------------------------------------------------------------------------------------------


class InstrumentRules(Strict):
    collective_kinds: Kinds = Field(default_factory=list, description="empty: every kind")
    legal_forms: LegalForms = Field(default_factory=list, description="empty: every legal form")
    stages: Stages = Field(default_factory=list, description="empty: every stage")
    themes: Themes = Field(default_factory=list, description="empty: every theme")
    national: bool = False
    provinces: Provinces = Field(default_factory=list)
    municipalities: Municipalities = Field(default_factory=list)
    requires_anbi: bool = False
    requires_kvk: bool = False
    min_members: Members | None = None
    amount_min_cents: Cents = 0
    amount_max_cents: PositiveCents | None = None
    cofinancing_pct: Percentage = 0
    opens_on: Day | None = None
    closes_on: Day | None = None
    application_url: Url | None = None


class InstrumentIn(InstrumentRules):
    funder_id: uuid.UUID
    name: Name
    description: Description = ""
    form: InstrumentForm
    status: Literal["draft", "open"] = "open"


NOT_NULL = frozenset(
    {
        "name",
        "description",
        "form",
        "status",
        "collective_kinds",
        "legal_forms",
        "stages",
        "themes",
        "national",
        "provinces",
        "municipalities",
        "requires_anbi",
        "requires_kvk",
        "amount_min_cents",
        "cofinancing_pct",
    }
)


class InstrumentPatch(Strict):
    """Only the fields sent change; `null` clears an optional field (not allowed for required ones)."""

    name: Name | None = None
    description: Description | None = None
    form: InstrumentForm | None = None
    status: Literal["draft", "open", "closed"] | None = None
    collective_kinds: Kinds | None = None
    legal_forms: LegalForms | None = None
    stages: Stages | None = None
    themes: Themes | None = None
    national: bool | None = None
    provinces: Provinces | None = None
    municipalities: Municipalities | None = None
    requires_anbi: bool | None = None
    requires_kvk: bool | None = None
    min_members: Members | None = None
    amount_min_cents: Cents | None = None
    amount_max_cents: PositiveCents | None = None
    cofinancing_pct: Percentage | None = None
    opens_on: Day | None = None
    closes_on: Day | None = None
    application_url: Url | None = None

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class InstrumentOut(BaseModel):
    id: uuid.UUID
    funder_id: uuid.UUID
    funder_name: str | None = None
    name: str
    description: str
    form: InstrumentForm
    status: Literal["draft", "open", "closed"]
    open_now: bool
    collective_kinds: list[CollectiveKind]
    legal_forms: list[LegalForm]
    stages: list[Stage]
    themes: list[Theme]
    national: bool
    provinces: list[str]
    municipalities: list[str]
    requires_anbi: bool
    requires_kvk: bool
    min_members: int | None
    amount_min_cents: int
    amount_max_cents: int | None
    cofinancing_pct: int
    opens_on: date | None
    closes_on: date | None
    application_url: str | None
    closed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class InstrumentPage(BaseModel):
    items: list[InstrumentOut]
    next_cursor: str | None = None


# --- matches --------------------------------------------------------------------------------------------------


class CriterionOut(BaseModel):
    name: str
    hard: bool
    outcome: Literal["met", "unmet", "unknown"]
    reason: str
    expected: Any = None
    actual: Any = None
    fit: int | None = None
    explanation: Labels


class Explanation(BaseModel):
    summary: Labels
    nl: list[str]
    en: list[str]


class MatchOut(BaseModel):
    collective_id: uuid.UUID
    instrument_id: uuid.UUID
    instrument_name: str
    funder_id: uuid.UUID
    form: str
    eligible: bool
    score: int
    criteria: list[CriterionOut]
    explanation: Explanation
    stored: bool = Field(description="the pair is in the matches table (it could match)")
    computed_at: datetime | None = None


class MatchPage(BaseModel):
    items: list[MatchOut]
    next_cursor: str | None = None


class CollectiveOut(BaseModel):
    """A collective as funding knows it: its read model of the registry's events."""

    id: uuid.UUID
    name: str
    kind: CollectiveKind
    legal_form: LegalForm
    stage: Stage
    themes: list[Theme]
    municipality_code: str | None
    province_code: str | None
    anbi: bool
    kvk_number: str | None
    member_count: int | None
    status: str
    version: int = Field(description="the registry's version of the collective that funding holds")
    matched_at: datetime | None = Field(description="when it was last re-matched against every open instrument")
    eligible_matches: int


class InstrumentMatchOut(BaseModel):
    collective_id: uuid.UUID
    collective_name: str
    kind: CollectiveKind
    legal_form: LegalForm
    stage: Stage
    province_code: str | None
    municipality_code: str | None
    eligible: bool
    score: int
    computed_at: datetime


class InstrumentMatchPage(BaseModel):
    items: list[InstrumentMatchOut]
    next_cursor: str | None = None


# --- needs ----------------------------------------------------------------------------------------------------


class NeedIn(Strict):
    collective_id: uuid.UUID
    amount_cents: PositiveCents
    purpose: text(min_length=3, max_length=2000)  # type: ignore[valid-type]
    stage: Stage | None = Field(None, description="default: the collective's stage")
    themes: Themes | None = Field(None, description="default: the collective's themes")
    needed_by: Day | None = None


class NeedOut(BaseModel):
    id: uuid.UUID
    collective_id: uuid.UUID
    amount_cents: int
    purpose: str
    stage: Stage
    themes: list[Theme]
    needed_by: date | None
    version: int
    created_at: datetime


class NeedPage(BaseModel):
    items: list[NeedOut]
    next_cursor: str | None = None


class MixItemOut(BaseModel):
    instrument_id: uuid.UUID
    instrument_name: str
    funder_id: uuid.UUID
    form: str
    amount_cents: int
    cofinancing_required_cents: int
    reasoning: str


class MixOut(BaseModel):
    need_id: uuid.UUID
    collective_id: uuid.UUID
    need_amount_cents: int
    stage: Stage
    items: list[MixItemOut]
    covered_cents: int
    own_contribution_cents: int
    shortfall_cents: int
    complete: bool
    steps: list[str]
    considered: int = Field(description="instruments that could fit this collective and were evaluated")


# --- applications ---------------------------------------------------------------------------------------------

ApplicationStatus = Literal["draft", "submitted", "in_review", "granted", "rejected", "disbursed", "withdrawn"]


class ApplicationIn(Strict):
    collective_id: uuid.UUID
    instrument_id: uuid.UUID
    need_id: uuid.UUID | None = None
    title: Name
    motivation: Description = ""
    amount_requested_cents: PositiveCents | None = None


class DecisionIn(Strict):
    decision: Literal["granted", "rejected"]
    amount_cents: PositiveCents | None = Field(None, description="granted amount; default: the amount requested")
    note: Note = ""


class DisbursementIn(Strict):
    amount_cents: PositiveCents | None = Field(None, description="default and maximum: the granted amount")
    note: Note = ""


class ApplicationOut(BaseModel):
    id: uuid.UUID
    collective_id: uuid.UUID
    instrument_id: uuid.UUID
    funder_id: uuid.UUID
    need_id: uuid.UUID | None
    status: ApplicationStatus
    title: str
    motivation: str
    amount_requested_cents: int | None
    amount_granted_cents: int | None
    disbursed_cents: int | None
    decision_note: str | None
    submitted_at: datetime | None
    review_started_at: datetime | None
    decided_at: datetime | None
    disbursed_at: datetime | None
    withdrawn_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class ApplicationPage(BaseModel):
    items: list[ApplicationOut]
    next_cursor: str | None = None


# --- match-funding rounds -------------------------------------------------------------------------------------


class RoundIn(Strict):
    name: Name
    description: Description = ""
    funder_id: uuid.UUID
    mechanism: Literal["quadratic", "one_to_one"]
    budget_cents: PositiveCents
    cap_cents: PositiveCents | None = None
    opens_at: Moment | None = Field(None, description="default: now")
    closes_at: Moment


class RoundOut(BaseModel):
    id: uuid.UUID
    funder_id: uuid.UUID
    name: str
    description: str
    mechanism: Literal["quadratic", "one_to_one"]
    budget_cents: int
    cap_cents: int | None
    opens_at: datetime
    closes_at: datetime
    status: Literal["open", "closed"]
    accepting_pledges: bool
    closed_at: datetime | None
    allocated_cents: int | None
    unallocated_cents: int | None
    version: int
    created_at: datetime


class RoundPage(BaseModel):
    items: list[RoundOut]
    next_cursor: str | None = None


class ProjectIn(Strict):
    collective_id: uuid.UUID
    title: Name
    description: Description = ""
    target_cents: PositiveCents
    all_or_nothing: bool = False


class ProjectOut(BaseModel):
    id: uuid.UUID
    round_id: uuid.UUID
    collective_id: uuid.UUID
    title: str
    description: str
    target_cents: int
    all_or_nothing: bool
    raised_cents: int
    backers: int
    created_at: datetime


class ProjectPage(BaseModel):
    items: list[ProjectOut]
    next_cursor: str | None = None


class PledgeIn(Strict):
    project_id: uuid.UUID
    amount_cents: Annotated[int, Field(ge=1, le=10_000_000)]


class PledgeOut(BaseModel):
    id: uuid.UUID
    round_id: uuid.UUID
    project_id: uuid.UUID
    amount_cents: int
    your_total_cents: int = Field(description="what you pledged to this project in all: counted as one pledge")
    project_raised_cents: int
    estimated_match_cents: int = Field(description="the project's match if the round closed now")
    created_at: datetime


class EstimateOut(BaseModel):
    round_id: uuid.UUID
    project_id: uuid.UUID
    pledge_cents: int
    match_before_cents: int
    match_after_cents: int
    match_change_cents: int
    target_reached_before: bool
    target_reached_after: bool
    as_new_backer: bool = Field(description="true when estimated for someone who has not pledged to it yet")


class AllocationOut(BaseModel):
    project_id: uuid.UUID
    collective_id: uuid.UUID
    title: str
    target_cents: int
    all_or_nothing: bool
    raised_cents: int
    backers: int
    match_cents: int
    capped: bool
    released: bool
    released_pledges_cents: int = Field(description="pledges given back because an all-or-nothing target was missed")


class AllocationsOut(BaseModel):
    round_id: uuid.UUID
    mechanism: Literal["quadratic", "one_to_one"]
    final: bool = Field(description="false while the round is open: the result if it closed now")
    budget_cents: int
    allocated_cents: int
    unallocated_cents: int
    items: list[AllocationOut]


# --- coverage -------------------------------------------------------------------------------------------------


class CoverageRowOut(BaseModel):
    kind: CollectiveKind
    kind_label: Labels
    stage: Stage
    stage_label: Labels
    collectives: int
    covered: int
    uncovered: int
    share: float | None


class CoverageOut(BaseModel):
    computed_on: date
    province: str | None
    collectives: int
    covered: int
    rows: list[CoverageRowOut]
