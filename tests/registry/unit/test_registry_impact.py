from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.registry.domain.impact import (
    INDICATORS,
    Indicator,
    ReportedFigures,
    Unit,
    labelled_indicators,
    rollup,
    validate_report,
)

pytestmark = pytest.mark.unit


def test_every_indicator_has_labels_and_a_unit() -> None:
    assert set(INDICATORS) == set(Indicator)
    labelled = labelled_indicators()
    assert [item["code"] for item in labelled] == [indicator.value for indicator in Indicator]
    assert all(item["nl"] and item["en"] and item["unit"] in set(Unit) for item in labelled)


def test_money_is_reported_in_whole_cents_and_tonnes_may_have_decimals() -> None:
    assert INDICATORS[Indicator.euros_invested_locally_cents].integer
    assert not INDICATORS[Indicator.co2_avoided_tonnes].integer


def test_a_plausible_report_has_no_problems() -> None:
    report = {"members": 412, "volunteer_hours": 1250.5, "renewable_kwh": 830_000, "co2_avoided_tonnes": 282.2}
    assert validate_report(report) == []


def test_a_report_without_figures_is_refused() -> None:
    assert validate_report({}) == [("values", "an impact report needs at least one figure")]


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ({"trees_planted": 10}, "trees_planted", "unknown impact indicator"),
        ({"volunteers": -1}, "volunteers", "cannot be negative"),
        ({"members": 10.5}, "members", "whole number"),
        ({"euros_invested_locally_cents": 99.99}, "euros_invested_locally_cents", "whole number"),
        ({"homes_realised": True}, "homes_realised", "must be a number"),
        ({"care_hours": "12"}, "care_hours", "must be a number"),
        ({"co2_avoided_tonnes": float("inf")}, "co2_avoided_tonnes", "must be a number"),
    ],
)
def test_report_problems_name_the_indicator(values: dict, field: str, fragment: str) -> None:
    problems = validate_report(values)
    assert len(problems) == 1
    assert problems[0][0] == field
    assert fragment in problems[0][1]


def test_whole_numbers_written_as_decimals_are_accepted_for_counted_indicators() -> None:
    assert validate_report({"members": 12.0, "volunteers": Decimal("4")}) == []


def test_rollup_sums_per_kind_province_and_year() -> None:
    reports = [
        ReportedFigures("energy_cooperative", "PV22", 2024, {"members": 300, "co2_avoided_tonnes": 0.1}),
        ReportedFigures("energy_cooperative", "PV22", 2024, {"members": 200, "co2_avoided_tonnes": 0.2}),
        ("energy_cooperative", "PV22", 2025, {"members": 550}),
        ("care_cooperative", "PV30", 2024, {"care_hours": 1000.5}),
    ]
    assert rollup(reports) == {
        "care_cooperative": {"PV30": {2024: {"care_hours": 1000.5}}},
        "energy_cooperative": {"PV22": {2024: {"members": 500, "co2_avoided_tonnes": 0.3}, 2025: {"members": 550}}},
    }


def test_rollup_refuses_an_unknown_indicator() -> None:
    with pytest.raises(ValueError, match="trees_planted"):
        rollup([("other", "PV20", 2024, {"trees_planted": 5})])


reports_strategy = st.lists(
    st.tuples(
        st.sampled_from(["energy_cooperative", "care_cooperative", "local_fund"]),
        st.sampled_from(["PV20", "PV22", "PV31"]),
        st.integers(2023, 2026),
        st.dictionaries(st.sampled_from([i.value for i in Indicator]), st.integers(0, 10**9), min_size=1),
    ),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(reports_strategy)
def test_rollup_neither_loses_nor_invents_anything(reports: list) -> None:
    assert all(validate_report(values) == [] for *_, values in reports)
    totals = rollup(reports)
    for indicator in Indicator:
        reported = sum(values.get(indicator.value, 0) for *_, values in reports)
        rolled_up = sum(
            figures.get(indicator.value, 0)
            for provinces in totals.values()
            for years in provinces.values()
            for figures in years.values()
        )
        assert rolled_up == reported
    assert list(totals) == sorted(totals)
