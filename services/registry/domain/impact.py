"""The closed list of impact indicators a collective reports on each year, and how reports add up."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from numbers import Real
from typing import NamedTuple

Number = int | float
Problem = tuple[str, str]


class Unit(StrEnum):
    count = "count"
    hours = "hours"
    kwh = "kwh"
    tonnes_co2 = "tonnes_co2"
    cents = "cents"
    kg = "kg"
    m2 = "m2"


UNIT_LABELS: dict[Unit, tuple[str, str]] = {
    Unit.count: ("aantal", "number"),
    Unit.hours: ("uren", "hours"),
    Unit.kwh: ("kWh", "kWh"),
    Unit.tonnes_co2: ("ton CO₂", "tonnes CO₂"),
    Unit.cents: ("eurocent", "euro cents"),
    Unit.kg: ("kg", "kg"),
    Unit.m2: ("m²", "m²"),
}

# Hours and tonnes are estimates that people report with decimals; counts, metered kWh, money and areas are whole.
INTEGER_UNITS = frozenset({Unit.count, Unit.kwh, Unit.cents, Unit.kg, Unit.m2})


class Indicator(StrEnum):
    members = "members"
    volunteers = "volunteers"
    volunteer_hours = "volunteer_hours"
    households_reached = "households_reached"
    events_organised = "events_organised"
    renewable_kwh = "renewable_kwh"
    co2_avoided_tonnes = "co2_avoided_tonnes"
    euros_invested_locally_cents = "euros_invested_locally_cents"
    care_hours = "care_hours"
    homes_realised = "homes_realised"
    work_placements = "work_placements"
    local_food_kg = "local_food_kg"
    green_space_m2 = "green_space_m2"


@dataclass(frozen=True, slots=True)
class IndicatorInfo:
    nl: str
    en: str
    unit: Unit

    @property
    def integer(self) -> bool:
        return self.unit in INTEGER_UNITS


INDICATORS: dict[Indicator, IndicatorInfo] = {
    Indicator.members: IndicatorInfo("leden", "members", Unit.count),
    Indicator.volunteers: IndicatorInfo("vrijwilligers", "volunteers", Unit.count),
    Indicator.volunteer_hours: IndicatorInfo("vrijwilligersuren", "volunteer hours", Unit.hours),
    Indicator.households_reached: IndicatorInfo("bereikte huishoudens", "households reached", Unit.count),
    Indicator.events_organised: IndicatorInfo("georganiseerde activiteiten", "events organised", Unit.count),
    Indicator.renewable_kwh: IndicatorInfo("opgewekte duurzame energie", "renewable energy generated", Unit.kwh),
    Indicator.co2_avoided_tonnes: IndicatorInfo("vermeden CO₂-uitstoot", "CO₂ emissions avoided", Unit.tonnes_co2),
    Indicator.euros_invested_locally_cents: IndicatorInfo(
        "lokaal geïnvesteerd bedrag", "amount invested locally", Unit.cents
    ),
    Indicator.care_hours: IndicatorInfo("geboden zorg- en ondersteuningsuren", "care and support hours", Unit.hours),
    Indicator.homes_realised: IndicatorInfo("gerealiseerde woningen", "homes realised", Unit.count),
    Indicator.work_placements: IndicatorInfo(
        "werkplekken voor mensen met afstand tot de arbeidsmarkt",
        "work placements for people distant from the labour market",
        Unit.count,
    ),
    Indicator.local_food_kg: IndicatorInfo(
        "lokaal geproduceerd of gered voedsel", "food produced or rescued locally", Unit.kg
    ),
    Indicator.green_space_m2: IndicatorInfo("aangelegd of beheerd groen", "green space created or managed", Unit.m2),
}


def labelled_indicators() -> list[dict[str, str | bool]]:
    """The indicators as `{code, nl, en, unit, unit_nl, unit_en, integer}`, in declaration order."""
    return [
        {
            "code": indicator.value,
            "nl": INDICATORS[indicator].nl,
            "en": INDICATORS[indicator].en,
            "unit": INDICATORS[indicator].unit.value,
            "unit_nl": UNIT_LABELS[INDICATORS[indicator].unit][0],
            "unit_en": UNIT_LABELS[INDICATORS[indicator].unit][1],
            "integer": INDICATORS[indicator].integer,
        }
        for indicator in Indicator
    ]


def _is_number(value: object) -> bool:
    # bool is an int subclass, but `True` volunteers is a client bug, not a figure.
    return isinstance(value, Real | Decimal) and not isinstance(value, bool) and math.isfinite(value)


def _is_whole(value: Real | Decimal) -> bool:
    return isinstance(value, int) or value == int(value)


def validate_report(values: Mapping[str, object]) -> list[Problem]:
    if not values:
        return [("values", "an impact report needs at least one figure")]
    known = {indicator.value for indicator in Indicator}
    problems: list[Problem] = []
    for code, value in values.items():
        if code not in known:
            problems.append((code, f"unknown impact indicator {code!r}; see the list of indicators"))
            continue
        info = INDICATORS[Indicator(code)]
        if not _is_number(value):
            problems.append((code, f"{info.en} must be a number, got {value!r}"))
        elif value < 0:
            problems.append((code, f"{info.en} cannot be negative, got {value}"))
        elif info.integer and not _is_whole(value):
            problems.append((code, f"{info.en} must be a whole number ({UNIT_LABELS[info.unit][1]}), got {value}"))
    return problems


class ReportedFigures(NamedTuple):
    kind: str
    province_code: str | None
    year: int
    values: Mapping[str, Number]


Rollup = dict[str, dict[str | None, dict[int, dict[str, Number]]]]


def _as_number(total: Decimal, indicator: Indicator) -> Number:
    return int(total) if INDICATORS[indicator].integer else float(total)


def rollup(reports: Iterable[ReportedFigures | tuple[str, str | None, int, Mapping[str, Number]]]) -> Rollup:
    """Totals per collective kind → province code → year → indicator, every level sorted.

    Reports are expected to have passed `validate_report`; an unknown indicator raises ValueError.
    """
    # Decimal keeps sums of reported decimals exact (0.1 + 0.2 tonnes is 0.3 tonnes, not 0.30000000000000004).
    totals: dict[tuple[str, str | None, int], dict[Indicator, Decimal]] = {}
    for kind, province_code, year, values in reports:
        bucket = totals.setdefault((str(kind), province_code, int(year)), {})
        for code, value in values.items():
            indicator = Indicator(code)
            bucket[indicator] = bucket.get(indicator, Decimal(0)) + Decimal(str(value))

    result: Rollup = {}
    for kind, province_code, year in sorted(totals, key=lambda key: (key[0], key[1] or "", key[2])):
        bucket = totals[(kind, province_code, year)]
        result.setdefault(kind, {}).setdefault(province_code, {})[year] = {
            indicator.value: _as_number(bucket[indicator], indicator) for indicator in Indicator if indicator in bucket
        }
    return result
