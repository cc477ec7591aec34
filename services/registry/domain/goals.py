"""Shared goals (gezamenlijke doelstellingen) and how far the movement has come towards them.

Progress is a pure function of the goal, the current figure and the date, so the registry, the dashboards and the
ministries all see the same percentage.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from services.registry.domain.impact import INDICATORS, Indicator, Number, ReportedFigures
from shared.contracts.vocabulary import LABELS, CollectiveKind, provinces


class RegisterMeasure(StrEnum):
    collectives_count = "collectives_count"
    members_total = "members_total"
    volunteers_total = "volunteers_total"


REGISTER_MEASURE_LABELS: dict[RegisterMeasure, tuple[str, str]] = {
    RegisterMeasure.collectives_count: ("aantal collectieven", "number of collectives"),
    RegisterMeasure.members_total: ("totaal aantal leden", "total members"),
    RegisterMeasure.volunteers_total: ("totaal aantal vrijwilligers", "total volunteers"),
}

GoalIndicator = Indicator | RegisterMeasure


def parse_goal_indicator(code: str) -> GoalIndicator:
    for vocabulary in (RegisterMeasure, Indicator):
        try:
            return vocabulary(code)
        except ValueError:
            continue
    allowed = ", ".join([*RegisterMeasure, *Indicator])
    raise ValueError(f"unknown goal indicator {code!r}; expected one of {allowed}")


def labelled_goal_indicators() -> list[dict[str, str]]:
    """Register measures first, then impact indicators, as `{code, nl, en, source}`."""
    measures = [
        {
            "code": m.value,
            "nl": REGISTER_MEASURE_LABELS[m][0],
            "en": REGISTER_MEASURE_LABELS[m][1],
            "source": "register",
        }
        for m in RegisterMeasure
    ]
    indicators = [
        {"code": i.value, "nl": INDICATORS[i].nl, "en": INDICATORS[i].en, "source": "impact_reports"} for i in Indicator
    ]
    return measures + indicators


@dataclass(frozen=True, slots=True)
class Scope:
    """National when both are None; a province, a collective kind, or a kind within a province otherwise."""

    province_code: str | None = None
    kind: CollectiveKind | None = None

    def __post_init__(self) -> None:
        if self.province_code is not None and self.province_code not in provinces():
            raise ValueError(f"unknown province code {self.province_code!r}; expected a CBS code like 'PV22'")
        if self.kind is not None:
            try:
                object.__setattr__(self, "kind", CollectiveKind(self.kind))
            except ValueError:
                raise ValueError(f"unknown collective kind {self.kind!r}") from None

    @property
    def is_national(self) -> bool:
        return self.province_code is None and self.kind is None

    def includes(self, kind: str, province_code: str | None) -> bool:
        return (self.kind is None or self.kind == kind) and (
            self.province_code is None or self.province_code == province_code
        )

    def label(self, language: str = "nl") -> str:
        index = 0 if language == "nl" else 1
        parts = []
        if self.kind is not None:
            parts.append(LABELS[CollectiveKind][self.kind.value][index])
        if self.province_code is not None:
            parts.append(f"in {provinces()[self.province_code].name}")
        return " ".join(parts) if parts else ("landelijk", "national")[index]


@dataclass(frozen=True, slots=True)
class Goal:
    indicator: GoalIndicator
    scope: Scope
    baseline_value: Number
    target_value: Number
    baseline_date: date
    target_date: date

    def __post_init__(self) -> None:
        if not isinstance(self.indicator, Indicator | RegisterMeasure):
            object.__setattr__(self, "indicator", parse_goal_indicator(self.indicator))
        if self.baseline_value < 0 or self.target_value < 0:
            raise ValueError("baseline and target values cannot be negative")
        if self.target_value == self.baseline_value:
            raise ValueError("the target value must differ from the baseline value")
        if self.target_date <= self.baseline_date:
            raise ValueError("the target date must come after the baseline date")


@dataclass(frozen=True, slots=True)
class Progress:
    current_value: Number
    percentage: float
    expected_percentage: float
    on_track: bool
    reached: bool


def _exact(value: Number | Decimal) -> Fraction:
    # Through str so that 0.29 is 29/100 and not the nearest binary float; floors then never lose a tenth.
    return Fraction(str(value))


def _tenths_down(fraction: Fraction) -> float:
    clamped = min(max(fraction, Fraction(0)), Fraction(100))
    return math.floor(clamped * 10) / 10


def progress(goal: Goal, current_value: Number, today: date) -> Progress:
    """How far `current_value` has come from baseline to target, against where linear time says it should be.

    Both percentages are rounded down to one decimal, so 100.0 means the target is really met; `on_track` compares
    the two figures as shown. Goals that aim to lower a figure (target below baseline) work the same way.
    """
    travelled = (_exact(current_value) - _exact(goal.baseline_value)) / (
        _exact(goal.target_value) - _exact(goal.baseline_value)
    )
    elapsed = Fraction((today - goal.baseline_date).days, (goal.target_date - goal.baseline_date).days)
    percentage = _tenths_down(travelled * 100)
    expected = _tenths_down(elapsed * 100)
    return Progress(
        current_value=current_value,
        percentage=percentage,
        expected_percentage=expected,
        on_track=percentage >= expected,
        reached=travelled >= 1,
    )


@dataclass(frozen=True, slots=True)
class CollectiveFigures:
    kind: str
    province_code: str | None
    member_count: int = 0
    volunteer_count: int = 0


@dataclass(frozen=True, slots=True)
class Measurement:
    value: Number
    year: int | None = None


def current_value(
    indicator: GoalIndicator,
    scope: Scope,
    active_collectives: Iterable[CollectiveFigures],
    reports: Iterable[ReportedFigures],
) -> Measurement:
    """The figure a goal is measured by today.

    Register measures count or sum the active collectives in scope (the caller leaves dissolved ones out). Impact
    indicators take the total of the most recent year that has any report in scope for that indicator — yearly
    figures are not cumulative, so the goal compares like with like; `year` says which year that was.
    """
    if isinstance(indicator, RegisterMeasure):
        in_scope = [c for c in active_collectives if scope.includes(c.kind, c.province_code)]
        if indicator is RegisterMeasure.collectives_count:
            return Measurement(len(in_scope))
        if indicator is RegisterMeasure.members_total:
            return Measurement(sum(c.member_count for c in in_scope))
        return Measurement(sum(c.volunteer_count for c in in_scope))

    per_year: dict[int, Decimal] = {}
    for kind, province_code, year, values in reports:
        if indicator.value in values and scope.includes(kind, province_code):
            per_year[year] = per_year.get(year, Decimal(0)) + Decimal(str(values[indicator.value]))
    if not per_year:
        return Measurement(0)
    latest = max(per_year)
    total = per_year[latest]
    return Measurement(int(total) if INDICATORS[indicator].integer else float(total), latest)
