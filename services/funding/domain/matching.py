"""Which instruments fit which collective, why, and how well.

Hard criteria decide eligibility; soft criteria give a score from 0 to 100. Every criterion is explained with an
outcome (`met`, `unmet`, `unknown`), a machine-readable reason and the values that were compared.

Choices the brief left open, made here on purpose:

- An empty set of kinds, legal forms, stages or themes on an instrument means "any".
- `unknown` (the collective's data is missing: member count, KvK number, location) never makes a collective
  ineligible — the funder decides once the facts are in — but each unknown hard criterion costs
  `UNKNOWN_PENALTY` points, so complete profiles rank above incomplete ones.
- An ineligible pair still gets a score (how close it came); `rank` always lists eligible pairs first.
- The amount criterion asks whether the instrument can contribute to this need at all: the need must be at least
  the instrument's minimum plus the co-financing that minimum requires. A need above the instrument's maximum is
  still eligible (the instrument covers part of it, the financing mix adds the rest); `amount_fit` scores how much.
- Co-financing: `cofinancing_pct` is the share of the instrument's amount that must come from other sources
  (other instruments in the mix or the collective itself). An award `a` requires `ceil(a * pct / 100)` from
  elsewhere, so within a need `N` one instrument carries at most `floor(N * 100 / (100 + pct))`.
- Deadline proximity favours instruments that close within three months (apply now), then later deadlines, then
  rolling instruments; a deadline within two weeks scores lower again because there is little time to apply.
- Start-up and further development are the stages where fitting money is scarcest, so for those stages an
  instrument aimed at the stage weighs twice as much in the score.

The hot path (`verdict`, `is_eligible`, `could_match`) builds no explanation objects; `evaluate` builds the full
explanation. Both run the same check functions, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple
from uuid import UUID

from shared.contracts.vocabulary import LegalForm, Stage, province_of


class InstrumentForm(StrEnum):
    grant = "grant"
    subsidy = "subsidy"
    loan = "loan"
    guarantee = "guarantee"
    crowdfunding = "crowdfunding"
    member_capital = "member_capital"
    community_bonds = "community_bonds"
    revolving_fund = "revolving_fund"
    match_funding = "match_funding"
    in_kind = "in_kind"
    prize = "prize"


class FunderKind(StrEnum):
    municipality = "municipality"
    province = "province"
    national_government = "national_government"
    private_fund = "private_fund"
    bank = "bank"
    crowdfunding_platform = "crowdfunding_platform"
    umbrella = "umbrella"


class InstrumentStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


class CollectiveStatus(StrEnum):
    active = "active"
    dissolved = "dissolved"


class Outcome(StrEnum):
    met = "met"
    unmet = "unmet"
    unknown = "unknown"


MET, UNMET, UNKNOWN = Outcome.met, Outcome.unmet, Outcome.unknown
# Plain strings for the hot path: comparing against an enum member looks it up on the class every time.
_OPEN, _DRAFT = InstrumentStatus.open.value, InstrumentStatus.draft.value
_ACTIVE_STATUS = CollectiveStatus.active.value
_COOPERATIVE, _INFORMAL = LegalForm.cooperative.value, LegalForm.informal.value

UNKNOWN_PENALTY = 10
EMPHASISED_STAGES = frozenset({Stage.startup, Stage.growth})
WEIGHT_THEME = 40
WEIGHT_STAGE = 15
WEIGHT_STAGE_EMPHASISED = 30
WEIGHT_AMOUNT = 25
WEIGHT_DEADLINE = 15

HARD_CRITERIA = (
    "collective_active",
    "open_window",
    "kind",
    "legal_form",
    "stage",
    "region",
    "anbi",
    "kvk",
    "members",
    "amount_range",
)
SOFT_CRITERIA = ("theme_overlap", "stage_fit", "amount_fit", "deadline")

# Every reason a criterion can give, with a Dutch and an English sentence for people.
REASONS: dict[str, tuple[str, str]] = {
    "collective_active": ("Het collectief is actief.", "The collective is active."),
    "collective_not_active": ("Het collectief is opgeheven.", "The collective has been dissolved."),
    "window_open": ("De regeling is nu open.", "The instrument is open now."),
    "instrument_not_published": ("De regeling is nog niet gepubliceerd.", "The instrument is not yet published."),
    "instrument_closed": ("De regeling is gesloten.", "The instrument is closed."),
    "window_not_yet_open": ("De aanvraagperiode is nog niet begonnen.", "The application window has not opened yet."),
    "window_closed": ("De aanvraagperiode is voorbij.", "The application window has passed."),
    "any_kind": ("Staat open voor elk soort collectief.", "Open to every kind of collective."),
    "kind_eligible": ("Dit soort collectief komt in aanmerking.", "This kind of collective qualifies."),
    "kind_not_eligible": ("Dit soort collectief komt niet in aanmerking.", "This kind of collective does not qualify."),
    "any_legal_form": ("Elke rechtsvorm komt in aanmerking.", "Any legal form qualifies."),
    "legal_form_eligible": ("De rechtsvorm komt in aanmerking.", "The legal form qualifies."),
    "legal_form_not_eligible": ("De rechtsvorm komt niet in aanmerking.", "The legal form does not qualify."),
    "any_stage": ("Voor elke fase.", "For every stage."),
    "stage_eligible": ("De fase komt in aanmerking.", "The stage qualifies."),
    "stage_not_eligible": ("De fase komt niet in aanmerking.", "The stage does not qualify."),
    "national": ("Landelijke regeling.", "A national instrument."),
    "municipality_in_area": ("De gemeente valt in het werkgebied.", "The municipality is in the instrument's area."),
    "province_in_area": ("De provincie valt in het werkgebied.", "The province is in the instrument's area."),
    "outside_area": ("Het collectief zit buiten het werkgebied.", "The collective is outside the instrument's area."),
    "collective_location_unknown": ("De vestigingsplaats is onbekend.", "The collective's location is unknown."),
    "collective_municipality_unknown": (
        "De gemeente is onbekend; de regeling geldt in een deel van de provincie.",
        "The municipality is unknown; the instrument covers part of the province.",
    ),
    "instrument_area_missing": ("De regeling heeft geen werkgebied.", "The instrument has no area."),
    "anbi_not_required": ("ANBI-status is niet nodig.", "ANBI status is not required."),
    "anbi_registered": ("Het collectief heeft de ANBI-status.", "The collective has ANBI status."),
    "anbi_required": ("De regeling vraagt de ANBI-status.", "The instrument requires ANBI status."),
    "anbi_excluded_for_cooperatives": (
        "De regeling vraagt de ANBI-status en een coöperatie kan die volgens de belastingwet (AWR art. 5b) niet "
        "krijgen.",
        "The instrument requires ANBI status, which Dutch tax law (AWR art. 5b) does not grant to cooperatives.",
    ),
    "kvk_not_required": ("Inschrijving bij de KvK is niet nodig.", "Chamber of Commerce registration not required."),
    "kvk_registered": ("Ingeschreven bij de KvK.", "Registered with the Chamber of Commerce."),
    "kvk_required_informal_group": (
        "De regeling vraagt een KvK-inschrijving; een informele groep heeft die niet.",
        "The instrument requires Chamber of Commerce registration, which an informal group does not have.",
    ),
    "kvk_number_unknown": ("Het KvK-nummer is niet bekend.", "The Chamber of Commerce number is not known."),
    "no_minimum_members": ("Geen minimum aantal leden.", "No minimum number of members."),
    "enough_members": ("Genoeg leden.", "Enough members."),
    "too_few_members": ("Te weinig leden.", "Too few members."),
    "member_count_unknown": ("Het aantal leden is onbekend.", "The number of members is unknown."),
    "need_within_range": ("Het gevraagde bedrag past binnen de regeling.", "The amount needed is within range."),
    "need_above_maximum_partial": (
        "Het gevraagde bedrag is hoger dan het maximum; de regeling dekt een deel.",
        "The amount needed exceeds the maximum; the instrument covers part of it.",
    ),
    "need_below_minimum": ("Het gevraagde bedrag is lager dan het minimum.", "The amount needed is below the minimum."),
    "need_below_minimum_with_cofinancing": (
        "Het gevraagde bedrag is te laag voor het minimum plus de verplichte cofinanciering.",
        "The amount needed is below the minimum plus the co-financing it requires.",
    ),
    "any_theme": ("Voor elk thema.", "For every theme."),
    "themes_overlap": ("De thema's sluiten aan.", "The themes overlap."),
    "no_theme_overlap": ("De thema's sluiten niet aan.", "The themes do not overlap."),
    "collective_themes_unknown": (
        "De thema's van het collectief zijn onbekend.",
        "The collective's themes are unknown.",
    ),
    "stage_targeted": ("Gericht op deze fase.", "Aimed at this stage."),
    "stage_included": ("Deze fase hoort er ook bij.", "This stage is among several it serves."),
    "stage_not_targeted": ("Niet bedoeld voor deze fase.", "Not meant for this stage."),
    "covers_whole_need": ("Kan het hele bedrag dekken.", "Can cover the whole amount."),
    "covers_part_of_need": ("Kan een deel van het bedrag dekken.", "Can cover part of the amount."),
    "cannot_contribute": ("Kan aan dit bedrag niet bijdragen.", "Cannot contribute to this amount."),
    "rolling": ("Doorlopend aan te vragen.", "Open on a rolling basis."),
    "deadline_very_close": ("Sluit binnen twee weken.", "Closes within two weeks."),
    "deadline_approaching": ("Sluit binnen drie maanden.", "Closes within three months."),
    "deadline_later": ("Sluit binnen een jaar.", "Closes within a year."),
    "deadline_far": ("Sluit over meer dan een jaar.", "Closes in more than a year."),
    "deadline_passed": ("De sluitingsdatum is voorbij.", "The closing date has passed."),
}


@dataclass(frozen=True, slots=True)
class CollectiveProfile:
    """What matching needs to know about a collective; the province follows from the municipality when omitted."""

    id: UUID
    kind: str
    legal_form: str
    stage: str
    themes: frozenset[str] = frozenset()
    municipality_code: str | None = None
    province_code: str | None = None
    anbi: bool = False
    kvk_number: str | None = None
    member_count: int | None = None
    status: str = CollectiveStatus.active

    def __post_init__(self) -> None:
        if not isinstance(self.themes, frozenset):
            object.__setattr__(self, "themes", frozenset(self.themes))
        if self.province_code is None and self.municipality_code is not None:
            object.__setattr__(self, "province_code", province_of(self.municipality_code))
        if self.member_count is not None and self.member_count < 0:
            raise ValueError("member_count must not be negative")


@dataclass(frozen=True, slots=True)
class InstrumentProfile:
    """An instrument's eligibility rules. `amount_max_cents=None` means no upper limit; empty sets mean "any"."""

    id: UUID
    funder_id: UUID
    form: str
    status: str = InstrumentStatus.open
    collective_kinds: frozenset[str] = frozenset()
    legal_forms: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    national: bool = False
    provinces: frozenset[str] = frozenset()
    municipalities: frozenset[str] = frozenset()
    requires_anbi: bool = False
    requires_kvk: bool = False
    min_members: int | None = None
    amount_min_cents: int = 0
    amount_max_cents: int | None = None
    cofinancing_pct: int = 0
    opens_on: date | None = None
    closes_on: date | None = None
    name: str = ""

    def __post_init__(self) -> None:
        for field_name in ("collective_kinds", "legal_forms", "stages", "themes", "provinces", "municipalities"):
            value = getattr(self, field_name)
            if not isinstance(value, frozenset):
                object.__setattr__(self, field_name, frozenset(value))
        if self.amount_min_cents < 0:
            raise ValueError("amount_min_cents must not be negative")
        if self.amount_max_cents is not None and self.amount_max_cents < max(self.amount_min_cents, 1):
            raise ValueError("amount_max_cents must be positive and at least amount_min_cents")
        if not 0 <= self.cofinancing_pct <= 100:
            raise ValueError("cofinancing_pct must be between 0 and 100")
        if self.min_members is not None and self.min_members < 0:
            raise ValueError("min_members must not be negative")
        if self.opens_on is not None and self.closes_on is not None and self.closes_on < self.opens_on:
            raise ValueError("closes_on must not be before opens_on")

    @property
    def label(self) -> str:
        return self.name or str(self.id)

    def cofinancing_required(self, amount_cents: int) -> int:
        return -(-amount_cents * self.cofinancing_pct // 100)

    def smallest_need(self) -> int:
        """The smallest need this instrument can contribute to: its minimum plus the co-financing that requires."""
        return self.amount_min_cents + self.cofinancing_required(self.amount_min_cents)

    def largest_share(self, need_cents: int) -> int:
        """The most this instrument can carry of a need, given its maximum and co-financing rule."""
        share = need_cents * 100 // (100 + self.cofinancing_pct)
        return share if self.amount_max_cents is None else min(share, self.amount_max_cents)


@dataclass(frozen=True, slots=True)
class Criterion:
    name: str
    hard: bool
    outcome: Outcome
    reason: str
    expected: Any
    actual: Any
    fit: int | None = None  # soft criteria only: how well it fits, 0–100

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "hard": self.hard,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "expected": self.expected,
            "actual": self.actual,
            "fit": self.fit,
        }


@dataclass(frozen=True, slots=True)
class MatchResult:
    collective_id: UUID
    instrument_id: UUID
    eligible: bool
    score: int
    criteria: tuple[Criterion, ...]

    def criterion(self, name: str) -> Criterion | None:
        return next((c for c in self.criteria if c.name == name), None)

    @property
    def unmet(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.hard and c.outcome is UNMET)

    @property
    def unknown(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.hard and c.outcome is UNKNOWN)

    def as_dict(self) -> dict[str, Any]:
        return {
            "collective_id": str(self.collective_id),
            "instrument_id": str(self.instrument_id),
            "eligible": self.eligible,
            "score": self.score,
            "criteria": [c.as_dict() for c in self.criteria],
        }


class Verdict(NamedTuple):
    eligible: bool
    score: int


class _Need(NamedTuple):
    today: date | None
    stage: str
    amount_cents: int | None
    themes: frozenset[str]


Check = tuple[Outcome, str]

_ACTIVE = (MET, "collective_active")
_NOT_ACTIVE = (UNMET, "collective_not_active")
_WINDOW_OPEN = (MET, "window_open")
_NOT_PUBLISHED = (UNMET, "instrument_not_published")
_CLOSED = (UNMET, "instrument_closed")
_NOT_YET_OPEN = (UNMET, "window_not_yet_open")
_WINDOW_CLOSED = (UNMET, "window_closed")
_ANY_KIND = (MET, "any_kind")
_KIND_OK = (MET, "kind_eligible")
_KIND_NO = (UNMET, "kind_not_eligible")
_ANY_LEGAL_FORM = (MET, "any_legal_form")
_LEGAL_FORM_OK = (MET, "legal_form_eligible")
_LEGAL_FORM_NO = (UNMET, "legal_form_not_eligible")
_ANY_STAGE = (MET, "any_stage")
_STAGE_OK = (MET, "stage_eligible")
_STAGE_NO = (UNMET, "stage_not_eligible")
_NATIONAL = (MET, "national")
_MUNICIPALITY_IN = (MET, "municipality_in_area")
_PROVINCE_IN = (MET, "province_in_area")
_OUTSIDE = (UNMET, "outside_area")
_LOCATION_UNKNOWN = (UNKNOWN, "collective_location_unknown")
_MUNICIPALITY_UNKNOWN = (UNKNOWN, "collective_municipality_unknown")
_NO_AREA = (UNMET, "instrument_area_missing")
_ANBI_NOT_REQUIRED = (MET, "anbi_not_required")
_ANBI_OK = (MET, "anbi_registered")
_ANBI_NO = (UNMET, "anbi_required")
_ANBI_COOPERATIVE = (UNMET, "anbi_excluded_for_cooperatives")
_KVK_NOT_REQUIRED = (MET, "kvk_not_required")
_KVK_OK = (MET, "kvk_registered")
_KVK_INFORMAL = (UNMET, "kvk_required_informal_group")
_KVK_UNKNOWN = (UNKNOWN, "kvk_number_unknown")
_NO_MINIMUM = (MET, "no_minimum_members")
_ENOUGH_MEMBERS = (MET, "enough_members")
_TOO_FEW_MEMBERS = (UNMET, "too_few_members")
_MEMBERS_UNKNOWN = (UNKNOWN, "member_count_unknown")
_WITHIN_RANGE = (MET, "need_within_range")
_ABOVE_MAXIMUM = (MET, "need_above_maximum_partial")
_BELOW_MINIMUM = (UNMET, "need_below_minimum")
_BELOW_MINIMUM_COFINANCED = (UNMET, "need_below_minimum_with_cofinancing")


def _check_active(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> Check:
    return _ACTIVE if c.status == _ACTIVE_STATUS else _NOT_ACTIVE


def _check_status(i: InstrumentProfile) -> Check:
    if i.status == _OPEN:
        return _WINDOW_OPEN
    return _NOT_PUBLISHED if i.status == _DRAFT else _CLOSED


def _window(i: InstrumentProfile, today: date | None) -> Check:
    status = _check_status(i)
    if status is not _WINDOW_OPEN or today is None:
        return status
    if i.opens_on is not None and today < i.opens_on:
        return _NOT_YET_OPEN
    if i.closes_on is not None and today > i.closes_on:
        return _WINDOW_CLOSED
    return _WINDOW_OPEN


def _check_window(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> Check:
    return _window(i, need.today)


def _check_kind(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> Check:
    if not i.collective_kinds:
        return _ANY_KIND
    return _KIND_OK if c.kind in i.collective_kinds else _KIND_NO


def _check_legal_form(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> Check:
    if not i.legal_forms:
        return _ANY_LEGAL_FORM
    return _LEGAL_FORM_OK if c.legal_form in i.legal_forms else _LEGAL_FORM_NO


def _check_stage(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> Check:
    if not i.stages:
        return _ANY_STAGE
    return _STAGE_OK if need.stage in i.stages else _STAGE_NO


def _check_region(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> Check:
    if i.national:
        return _NATIONAL
    if not i.provinces and not i.municipalities:
        return _NO_AREA
    municipality, province = c.municipality_code, c.province_code
    if municipality is not None and municipality in i.municipalities:
        return _MUNICIPALITY_IN
    if province is not None and province in i.provinces:
        return _PROVINCE_IN
    if municipality is None:
        if province is None:
            return _LOCATION_UNKNOWN
        if any(province_of(code) == province for code in i.municipalities):
            return _MUNICIPALITY_UNKNOWN
    return _OUTSIDE


def _check_anbi(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> Check:
    if not i.requires_anbi:
        return _ANBI_NOT_REQUIRED
    if c.legal_form == _COOPERATIVE:
        return _ANBI_COOPERATIVE
    return _ANBI_OK if c.anbi else _ANBI_NO


def _check_kvk(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> Check:
    # Cooperatives, foundations and companies must be in the trade register, so a missing number there is missing
    # data (unknown); an informal group cannot be registered at all (unmet).
    if not i.requires_kvk:
        return _KVK_NOT_REQUIRED
    if c.kvk_number:
        return _KVK_OK
    return _KVK_INFORMAL if c.legal_form == _INFORMAL else _KVK_UNKNOWN


def _check_members(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> Check:
    if i.min_members is None:
        return _NO_MINIMUM
    if c.member_count is None:
        return _MEMBERS_UNKNOWN
    return _ENOUGH_MEMBERS if c.member_count >= i.min_members else _TOO_FEW_MEMBERS


def _check_amount(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> Check:
    amount = need.amount_cents
    assert amount is not None
    if amount < i.amount_min_cents:
        return _BELOW_MINIMUM
    if amount < i.smallest_need():
        return _BELOW_MINIMUM_COFINANCED
    if i.amount_max_cents is not None and amount > i.amount_max_cents:
        return _ABOVE_MAXIMUM
    return _WITHIN_RANGE


def _sorted(values: Iterable[str]) -> list[str]:
    return sorted(str(v) for v in values)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _values_active(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> tuple[Any, Any]:
    return str(CollectiveStatus.active), str(c.status)


def _values_window(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> tuple[Any, Any]:
    expected = {"status": str(InstrumentStatus.open), "opens_on": _iso(i.opens_on), "closes_on": _iso(i.closes_on)}
    return expected, {"status": str(i.status), "today": _iso(need.today)}


def _values_kind(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> tuple[Any, Any]:
    return _sorted(i.collective_kinds), str(c.kind)


def _values_legal_form(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> tuple[Any, Any]:
    return _sorted(i.legal_forms), str(c.legal_form)


def _values_stage(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> tuple[Any, Any]:
    return _sorted(i.stages), str(need.stage)


def _values_region(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> tuple[Any, Any]:
    expected = {"national": i.national, "provinces": _sorted(i.provinces), "municipalities": _sorted(i.municipalities)}
    return expected, {"municipality": c.municipality_code, "province": c.province_code}


def _values_anbi(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> tuple[Any, Any]:
    return {"anbi": i.requires_anbi}, {"anbi": c.anbi, "legal_form": str(c.legal_form)}


def _values_kvk(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> tuple[Any, Any]:
    return {"kvk_registered": i.requires_kvk}, {"kvk_registered": bool(c.kvk_number), "legal_form": str(c.legal_form)}


def _values_members(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> tuple[Any, Any]:
    return {"min_members": i.min_members}, {"member_count": c.member_count}


def _values_amount(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> tuple[Any, Any]:
    expected = {
        "amount_min_cents": i.amount_min_cents,
        "amount_max_cents": i.amount_max_cents,
        "cofinancing_pct": i.cofinancing_pct,
        "smallest_need_cents": i.smallest_need(),
    }
    return expected, {"need_amount_cents": need.amount_cents}


_HARD_CHECKS = (
    ("collective_active", _check_active, _values_active),
    ("open_window", _check_window, _values_window),
    ("kind", _check_kind, _values_kind),
    ("legal_form", _check_legal_form, _values_legal_form),
    ("stage", _check_stage, _values_stage),
    ("region", _check_region, _values_region),
    ("anbi", _check_anbi, _values_anbi),
    ("kvk", _check_kvk, _values_kvk),
    ("members", _check_members, _values_members),
)
_AMOUNT_CHECK = ("amount_range", _check_amount, _values_amount)
# The criteria that hold regardless of the date and the amount needed: what `could_match` looks at.
_STATIC_CHECKS = tuple(check for name, check, _ in _HARD_CHECKS if name != "open_window")

_STAGE_SPECIFICITY = {1: 100, 2: 85, 3: 70}


def _theme_fit(i: InstrumentProfile, need: _Need) -> tuple[Outcome, str, int]:
    if not i.themes:
        return MET, "any_theme", 60
    if not need.themes:
        return UNKNOWN, "collective_themes_unknown", 30
    overlap = len(need.themes & i.themes)
    if not overlap:
        return UNMET, "no_theme_overlap", 0
    return MET, "themes_overlap", 100 * overlap // min(len(need.themes), len(i.themes))


def _stage_fit(i: InstrumentProfile, need: _Need) -> tuple[Outcome, str, int]:
    if not i.stages:
        return MET, "any_stage", 50
    if need.stage not in i.stages:
        return UNMET, "stage_not_targeted", 0
    count = len(i.stages)
    return MET, "stage_targeted" if count <= 2 else "stage_included", _STAGE_SPECIFICITY.get(count, 50)


def _amount_fit(i: InstrumentProfile, need: _Need) -> tuple[Outcome, str, int]:
    amount = need.amount_cents
    assert amount is not None
    if amount < i.smallest_need():
        return UNMET, "cannot_contribute", 0
    share = i.largest_share(amount)
    if share >= amount:
        return MET, "covers_whole_need", 100
    return MET, "covers_part_of_need", 100 * share // amount


def _deadline_fit(i: InstrumentProfile, need: _Need) -> tuple[Outcome, str, int]:
    if i.closes_on is None or need.today is None:
        return MET, "rolling", 50
    days = (i.closes_on - need.today).days
    if days < 0:
        return UNMET, "deadline_passed", 0
    if days <= 14:
        return MET, "deadline_very_close", 40
    if days <= 90:
        return MET, "deadline_approaching", 100
    if days <= 365:
        return MET, "deadline_later", 70
    return MET, "deadline_far", 50


def _score(i: InstrumentProfile, need: _Need, unknown: int, criteria: list[Criterion] | None) -> int:
    stage_weight = WEIGHT_STAGE_EMPHASISED if need.stage in EMPHASISED_STAGES else WEIGHT_STAGE
    theme = _theme_fit(i, need)
    stage = _stage_fit(i, need)
    deadline = _deadline_fit(i, need)
    total = WEIGHT_THEME * theme[2] + stage_weight * stage[2] + WEIGHT_DEADLINE * deadline[2]
    weights = WEIGHT_THEME + stage_weight + WEIGHT_DEADLINE
    amount = None
    if need.amount_cents is not None:
        amount = _amount_fit(i, need)
        total += WEIGHT_AMOUNT * amount[2]
        weights += WEIGHT_AMOUNT
    score = (2 * total + weights) // (2 * weights) - UNKNOWN_PENALTY * unknown

    if criteria is not None:
        criteria.append(
            Criterion("theme_overlap", False, *theme[:2], _sorted(i.themes), _sorted(need.themes), fit=theme[2])
        )
        criteria.append(Criterion("stage_fit", False, *stage[:2], _sorted(i.stages), str(need.stage), fit=stage[2]))
        if amount is not None:
            expected = {"amount_min_cents": i.amount_min_cents, "amount_max_cents": i.amount_max_cents}
            actual = {"need_amount_cents": need.amount_cents, "largest_share_cents": i.largest_share(need.amount_cents)}
            criteria.append(Criterion("amount_fit", False, *amount[:2], expected, actual, fit=amount[2]))
        expected, actual = {"closes_on": _iso(i.closes_on)}, {"today": _iso(need.today)}
        criteria.append(Criterion("deadline", False, *deadline[:2], expected, actual, fit=deadline[2]))
    return max(score, 0)


def _assess(c: CollectiveProfile, i: InstrumentProfile, need: _Need, criteria: list[Criterion] | None) -> Verdict:
    eligible = True
    unknown = 0
    checks = _HARD_CHECKS if need.amount_cents is None else (*_HARD_CHECKS, _AMOUNT_CHECK)
    for name, check, values in checks:
        outcome, reason = check(c, i, need)
        if outcome is UNMET:
            eligible = False
        elif outcome is UNKNOWN:
            unknown += 1
        if criteria is not None:
            expected, actual = values(c, i, need)
            criteria.append(Criterion(name, True, outcome, reason, expected, actual))
    return Verdict(eligible, _score(i, need, unknown, criteria))


def _bulk_verdict(c: CollectiveProfile, i: InstrumentProfile, need: _Need) -> Verdict | None:
    """`_assess` for re-matching without a need: None where `could_match` would say no, else the same verdict."""
    unknown = 0
    for check in _STATIC_CHECKS:
        outcome = check(c, i, need)[0]
        if outcome is UNMET:
            return None
        if outcome is UNKNOWN:
            unknown += 1
    return Verdict(_window(i, need.today) is _WINDOW_OPEN, _score(i, need, unknown, None))


def _need(
    c: CollectiveProfile,
    today: date | None,
    need_amount_cents: int | None,
    need_stage: str | None,
    need_themes: Iterable[str] | None,
) -> _Need:
    if need_amount_cents is not None and need_amount_cents <= 0:
        raise ValueError("need_amount_cents must be positive")
    themes = c.themes if need_themes is None else frozenset(need_themes)
    return _Need(today, need_stage or c.stage, need_amount_cents, themes)


def evaluate(
    collective: CollectiveProfile,
    instrument: InstrumentProfile,
    today: date,
    need_amount_cents: int | None = None,
    need_stage: str | None = None,
    need_themes: Iterable[str] | None = None,
) -> MatchResult:
    """The full explanation. A need's stage and themes, when given, replace the collective's own."""
    criteria: list[Criterion] = []
    need = _need(collective, today, need_amount_cents, need_stage, need_themes)
    eligible, score = _assess(collective, instrument, need, criteria)
    return MatchResult(collective.id, instrument.id, eligible, score, tuple(criteria))


def verdict(
    collective: CollectiveProfile,
    instrument: InstrumentProfile,
    today: date,
    need_amount_cents: int | None = None,
    need_stage: str | None = None,
    need_themes: Iterable[str] | None = None,
) -> Verdict:
    """`evaluate` without the explanation: the same eligibility and score, several times faster."""
    return _assess(collective, instrument, _need(collective, today, need_amount_cents, need_stage, need_themes), None)


def is_eligible(
    collective: CollectiveProfile,
    instrument: InstrumentProfile,
    today: date,
    need_amount_cents: int | None = None,
    need_stage: str | None = None,
) -> bool:
    need = _need(collective, today, need_amount_cents, need_stage, None)
    checks = _HARD_CHECKS if need_amount_cents is None else (*_HARD_CHECKS, _AMOUNT_CHECK)
    return all(check(collective, instrument, need)[0] is not UNMET for _, check, _ in checks)


def could_match(collective: CollectiveProfile, instrument: InstrumentProfile, stage: str | None = None) -> bool:
    """A cheap pre-filter: False means no date and no amount can make this pair eligible.

    It ignores the opening window's dates (a published instrument may open or close tomorrow) and the amount
    needed, and looks only at the instrument's status and the collective's facts. Use it to decide which pairs to
    re-evaluate after a collective or an instrument changes; a pair it rejects needs no stored match.
    """
    if _check_status(instrument) is not _WINDOW_OPEN:
        return False
    need = _Need(None, stage or collective.stage, None, collective.themes)
    return all(check(collective, instrument, need)[0] is not UNMET for check in _STATIC_CHECKS)


def _rank_key(result: MatchResult) -> tuple[bool, int, str, str]:
    return (not result.eligible, -result.score, str(result.instrument_id), str(result.collective_id))


def rank(results: Iterable[MatchResult]) -> list[MatchResult]:
    """Eligible before ineligible, then by score (high first), then by id so the order is stable."""
    return sorted(results, key=_rank_key)


def verdicts_for_collective(
    collective: CollectiveProfile, instruments: Iterable[InstrumentProfile], today: date
) -> dict[UUID, Verdict]:
    """Re-match one collective (without a need) against many instruments; pairs `could_match` rejects are left out.

    Equal to `{i.id: verdict(collective, i, today) for i in instruments if could_match(collective, i)}`.
    """
    need = _need(collective, today, None, None, None)
    found: dict[UUID, Verdict] = {}
    for instrument in instruments:
        if _check_status(instrument) is _WINDOW_OPEN:
            result = _bulk_verdict(collective, instrument, need)
            if result is not None:
                found[instrument.id] = result
    return found


def verdicts_for_instrument(
    instrument: InstrumentProfile, collectives: Iterable[CollectiveProfile], today: date
) -> dict[UUID, Verdict]:
    """Re-match one instrument against many collectives; pairs `could_match` rejects are left out."""
    if _check_status(instrument) is not _WINDOW_OPEN:
        return {}
    found: dict[UUID, Verdict] = {}
    for collective in collectives:
        result = _bulk_verdict(collective, instrument, _Need(today, collective.stage, None, collective.themes))
        if result is not None:
            found[collective.id] = result
    return found


def open_on(instrument: InstrumentProfile, today: date) -> bool:
    """Published, open and within its window on this day."""
    return _window(instrument, today) is _WINDOW_OPEN


def explain(result: MatchResult, language: str = "en") -> list[str]:
    """People-readable sentences for the hard criteria that are not met or unknown."""
    index = 0 if language == "nl" else 1
    return [REASONS[c.reason][index] for c in (*result.unmet, *result.unknown)]
