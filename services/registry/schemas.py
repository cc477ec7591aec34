"""HTTP request and response models of the registry.

Requests reject unknown fields, limit every string and list, and take closed enums. The Dutch identifiers are checked
by the domain's validators (python-stdnum), wrapped as annotated types so create and update models share them.
"""

from __future__ import annotations

import unicodedata
import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictFloat, StrictInt

from services.registry.domain.goals import parse_goal_indicator
from services.registry.domain.validation import check_municipality, normalise_kvk, normalise_postcode, normalise_rsin
from shared.contracts.vocabulary import CollectiveKind, LegalForm, MembershipRole, Stage, Theme, provinces


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))


def _not_in_future(value: date) -> date:
    if value > datetime.now(UTC).date():
        raise ValueError("cannot lie in the future")
    return value


def _without_nul(value: str) -> str:
    # PostgreSQL cannot store U+0000 in text or JSON; without this check it would be a 500 instead of a 422.
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    return value


# Explicit bidirectional formatting (embeddings, overrides, isolates): they make a name display as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _one_line(value: str) -> str:
    """A name is shown in lists and on leaderboards: no control characters (line breaks, tabs, bell) and no bidi
    overrides; letters, marks, emoji and their joiners are all fine."""
    if any(unicodedata.category(char) == "Cc" or char in _BIDI_CONTROLS for char in value):
        raise ValueError("must be one line without control or text-direction characters")
    return value


def _province(code: str) -> str:
    if code not in provinces():
        raise ValueError(f"unknown province code {code!r}; expected a CBS code like 'PV22'")
    return code


def _goal_indicator(code: str) -> str:
    return parse_goal_indicator(code).value


KvkNumber = Annotated[str, Field(max_length=20), AfterValidator(normalise_kvk)]
Rsin = Annotated[str, Field(max_length=20), AfterValidator(normalise_rsin)]
Postcode = Annotated[str, Field(max_length=10), AfterValidator(normalise_postcode)]
MunicipalityCode = Annotated[str, Field(max_length=6), AfterValidator(check_municipality)]
ProvinceCode = Annotated[str, Field(max_length=4), AfterValidator(_province)]
Text = AfterValidator(_without_nul)
Email = Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), Text, AfterValidator(str.lower)]
Website = Annotated[str, Field(max_length=300, pattern=r"^https?://[^\s]+$"), Text]
Themes = Annotated[list[Theme], Field(max_length=len(Theme)), AfterValidator(_unique)]
UmbrellaIds = Annotated[list[uuid.UUID], Field(max_length=20), AfterValidator(_unique)]
PastDate = Annotated[date, Field(ge=date(1800, 1, 1)), AfterValidator(_not_in_future)]
Count = Annotated[StrictInt, Field(ge=0, le=10_000_000)]  # strict: `true` is not a number of members
Name = Annotated[str, Field(min_length=2, max_length=200), Text, AfterValidator(_one_line)]
DisplayName = Annotated[str, Field(min_length=2, max_length=100), Text, AfterValidator(_one_line)]
Description = Annotated[str, Field(max_length=5000), Text]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Patch(Strict):
    """An update: only the fields sent change. Fields that cannot be empty are typed without `None` but default to
    it (pydantic does not validate defaults), so leaving them out is fine and sending `null` is a 422 on that field."""

    def changes(self) -> dict[str, Any]:
        return self.model_dump(mode="python", exclude_unset=True)


# --- collectives -----------------------------------------------------------------------------------------------


class CollectiveIn(Strict):
    name: Name
    kind: CollectiveKind
    legal_form: LegalForm
    kvk_number: KvkNumber | None = None
    rsin: Rsin | None = None
    anbi: bool = False
    municipality_code: MunicipalityCode
    postcode: Postcode | None = None
    founded_on: PastDate | None = None
    stage: Stage
    member_count: Count | None = None
    volunteer_count: Count | None = None
    themes: Themes = Field(default_factory=list)
    description: Description = ""
    website: Website | None = None
    contact_email: Email | None = None
    umbrella_ids: UmbrellaIds = Field(default_factory=list)


COLLECTIVE_FIELDS = tuple(CollectiveIn.model_fields)


class CollectivePatch(Patch):
    name: Name = Field(None)
    kind: CollectiveKind = Field(None)
    legal_form: LegalForm = Field(None)
    kvk_number: KvkNumber | None = None
    rsin: Rsin | None = None
    anbi: bool = Field(None)
    municipality_code: MunicipalityCode = Field(None)
    postcode: Postcode | None = None
    founded_on: PastDate | None = None
    stage: Stage = Field(None)
    member_count: Count | None = None
    volunteer_count: Count | None = None
    themes: Themes = Field(None)
    description: Description = Field(None)
    website: Website | None = None
    contact_email: Email | None = None
    umbrella_ids: UmbrellaIds = Field(None)


class Dissolution(Strict):
    dissolved_on: PastDate | None = None


class CollectiveOut(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    kind: CollectiveKind
    legal_form: LegalForm
    kvk_number: str | None
    rsin: str | None
    anbi: bool
    municipality_code: str
    province_code: str
    postcode: str | None
    founded_on: date | None
    stage: Stage
    member_count: int | None
    volunteer_count: int | None
    themes: list[Theme]
    description: str
    website: str | None
    contact_email: str | None = Field(
        default=None, description="only for the collective's coordinators and board, its admins and operators"
    )
    umbrella_ids: list[uuid.UUID]
    status: Literal["active", "dissolved"]
    dissolved_on: date | None
    version: int
    created_at: datetime
    updated_at: datetime


class CollectivePage(BaseModel):
    items: list[CollectiveOut]
    next_cursor: str | None = None


class FieldChange(BaseModel):
    field: str
    old: Any = Field(default=None, serialization_alias="from", validation_alias="from")
    new: Any = Field(default=None, serialization_alias="to", validation_alias="to")
    redacted: bool = False

    model_config = ConfigDict(populate_by_name=True)


class HistoryEntry(BaseModel):
    version: int
    action: str
    actor: str
    actor_role: str
    changed_at: datetime
    changes: list[FieldChange]


class HistoryPage(BaseModel):
    items: list[HistoryEntry]
    next_cursor: str | None = None


# --- contributors and memberships ------------------------------------------------------------------------------


class ContributorIn(Strict):
    display_name: DisplayName
    email: Email
    expertise: Themes = Field(default_factory=list)
    municipality_code: MunicipalityCode | None = None


class ContributorPatch(Patch):
    display_name: DisplayName = Field(None)
    email: Email = Field(None)
    expertise: Themes = Field(None)
    municipality_code: MunicipalityCode | None = None


class MembershipOfPerson(BaseModel):
    collective_id: uuid.UUID
    collective_name: str
    role: MembershipRole


class ContributorOut(BaseModel):
    id: uuid.UUID
    display_name: str
    email: str | None = Field(default=None, description="only for the person and operators")
    expertise: list[Theme]
    municipality_code: str | None
    province_code: str | None
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    memberships: list[MembershipOfPerson] = Field(default_factory=list)


class MembershipIn(Strict):
    contributor_id: uuid.UUID
    role: MembershipRole = MembershipRole.member


class MembershipOut(BaseModel):
    collective_id: uuid.UUID
    contributor_id: uuid.UUID
    display_name: str
    role: MembershipRole
    version: int
    created_at: datetime


class MembershipPage(BaseModel):
    items: list[MembershipOut]
    next_cursor: str | None = None


# --- umbrellas, impact, goals ----------------------------------------------------------------------------------


class UmbrellaIn(Strict):
    slug: str = Field(min_length=2, max_length=120, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: Name
    website: Website | None = None
    description: Description = ""


class UmbrellaOut(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    website: str | None
    description: str
    version: int
    created_at: datetime


class UmbrellaPage(BaseModel):
    items: list[UmbrellaOut]
    next_cursor: str | None = None


# A generous ceiling (10¹⁵ of any unit) that still keeps sums exact and within what every consumer can store.
FigureValue = Annotated[StrictInt | StrictFloat, Field(le=10**15)]


class ImpactIn(Strict):
    year: int = Field(ge=1900, le=2100)
    values: dict[Annotated[str, Field(max_length=40)], FigureValue] = Field(min_length=1, max_length=40)


class ImpactOut(BaseModel):
    collective_id: uuid.UUID
    year: int
    values: dict[str, FigureValue]
    version: int
    created_at: datetime
    updated_at: datetime


class ImpactPage(BaseModel):
    items: list[ImpactOut]
    next_cursor: str | None = None


GoalValue = Annotated[StrictInt | StrictFloat, Field(ge=0, le=10**18)]


class GoalIn(Strict):
    title: Name
    description: Annotated[str, Field(max_length=2000), Text] = ""
    umbrella_id: uuid.UUID | None = None
    indicator: Annotated[str, Field(max_length=40), AfterValidator(_goal_indicator)]
    scope_province_code: ProvinceCode | None = None
    scope_kind: CollectiveKind | None = None
    baseline_value: GoalValue
    target_value: GoalValue
    baseline_date: date = Field(default_factory=lambda: datetime.now(UTC).date(), ge=date(1900, 1, 1))
    target_date: date = Field(le=date(2100, 12, 31))


class Progress(BaseModel):
    as_of: date
    current_value: int | float
    measured_year: int | None = Field(description="for impact indicators: the latest year with reports in scope")
    percentage: float
    expected_percentage: float
    on_track: bool
    reached: bool


class GoalOut(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    umbrella_id: uuid.UUID | None
    indicator: str
    scope_province_code: str | None
    scope_kind: CollectiveKind | None
    scope_label: dict[str, str]
    baseline_value: int | float
    target_value: int | float
    baseline_date: date
    target_date: date
    version: int
    created_at: datetime
    progress: Progress


class GoalPage(BaseModel):
    items: list[GoalOut]
    next_cursor: str | None = None
