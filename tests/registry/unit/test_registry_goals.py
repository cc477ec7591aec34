from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.registry.domain.goals import (
    CollectiveFigures,
    Goal,
    RegisterMeasure,
    Scope,
    current_value,
    labelled_goal_indicators,
    parse_goal_indicator,
    progress,
)
from services.registry.domain.impact import Indicator, ReportedFigures
from shared.contracts.vocabulary import CollectiveKind

pytestmark = pytest.mark.unit

START = date(2025, 1, 1)
END = date(2030, 1, 1)


def members_goal(baseline: int = 1000, target: int = 2000) -> Goal:
    return Goal(
        RegisterMeasure.members_total, Scope("PV22", CollectiveKind.energy_cooperative), baseline, target, START, END
    )


def test_halfway_in_value_and_in_time_is_on_track() -> None:
    result = progress(members_goal(), 1500, START + (END - START) / 2)
    assert result.percentage == 50.0
    assert result.expected_percentage == 50.0
    assert result.on_track
    assert not result.reached


def test_behind_the_line_of_time_is_not_on_track() -> None:
    result = progress(members_goal(), 1200, START + (END - START) / 2)
    assert result.percentage == 20.0
    assert not result.on_track


def test_percentages_are_clamped_between_zero_and_hundred() -> None:
    assert progress(members_goal(), 800, date(2026, 1, 1)).percentage == 0.0
    beyond = progress(members_goal(), 2600, date(2031, 1, 1))
    assert (beyond.percentage, beyond.expected_percentage, beyond.on_track, beyond.reached) == (
        100.0,
        100.0,
        True,
        True,
    )


def test_before_the_baseline_date_nothing_is_expected_yet() -> None:
    assert progress(members_goal(), 1000, date(2024, 6, 1)).expected_percentage == 0.0


def test_percentage_is_rounded_down_so_hundred_means_the_target_is_met() -> None:
    almost = progress(members_goal(0, 10_000), 9_999, date(2029, 12, 31))
    assert almost.percentage == 99.9
    assert not almost.reached


def test_decimal_values_do_not_lose_a_tenth_to_binary_rounding() -> None:
    goal = Goal(Indicator.co2_avoided_tonnes, Scope(), 0, 1, START, END)
    assert progress(goal, 0.29, START).percentage == 29.0


def test_a_goal_that_lowers_a_figure_counts_progress_downwards() -> None:
    goal = Goal(Indicator.care_hours, Scope(), 1000, 600, START, END)
    assert progress(goal, 900, START).percentage == 25.0
    assert progress(goal, 1100, START).percentage == 0.0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((1000, 1000, START, END), "must differ"),
        ((1000, 2000, END, START), "after the baseline date"),
        ((-1, 2000, START, END), "cannot be negative"),
    ],
)
def test_goals_that_cannot_be_measured_are_refused(arguments: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Goal(RegisterMeasure.members_total, Scope(), *arguments)


def test_goal_accepts_indicator_codes_as_text() -> None:
    assert Goal("volunteer_hours", Scope(), 0, 10, START, END).indicator is Indicator.volunteer_hours  # type: ignore[arg-type]


def test_goal_indicators_are_register_measures_or_impact_indicators() -> None:
    assert parse_goal_indicator("collectives_count") is RegisterMeasure.collectives_count
    assert parse_goal_indicator("renewable_kwh") is Indicator.renewable_kwh
    with pytest.raises(ValueError, match="unknown goal indicator"):
        parse_goal_indicator("happiness")
    assert len(labelled_goal_indicators()) == len(RegisterMeasure) + len(Indicator)


def test_scope_checks_its_codes_and_describes_itself() -> None:
    with pytest.raises(ValueError, match="province"):
        Scope(province_code="PV99")
    with pytest.raises(ValueError, match="collective kind"):
        Scope(kind="bakery")  # type: ignore[arg-type]
    assert Scope().is_national
    assert Scope().label() == "landelijk"
    assert Scope("PV22", "energy_cooperative").label() == "energiecoöperatie in Drenthe"  # type: ignore[arg-type]
    assert Scope("PV22").label("en") == "in Drenthe"


def test_scope_includes_only_matching_collectives() -> None:
    scope = Scope("PV22", CollectiveKind.energy_cooperative)
    assert scope.includes("energy_cooperative", "PV22")
    assert not scope.includes("energy_cooperative", "PV23")
    assert not scope.includes("care_cooperative", "PV22")
    assert Scope().includes("care_cooperative", None)


def test_register_measures_count_and_sum_collectives_in_scope() -> None:
    collectives = [
        CollectiveFigures("energy_cooperative", "PV22", member_count=400, volunteer_count=20),
        CollectiveFigures("energy_cooperative", "PV22", member_count=250, volunteer_count=12),
        CollectiveFigures("energy_cooperative", "PV23", member_count=900, volunteer_count=40),
        CollectiveFigures("care_cooperative", "PV22", member_count=120, volunteer_count=30),
    ]
    drenthe_energy = Scope("PV22", CollectiveKind.energy_cooperative)
    assert current_value(RegisterMeasure.members_total, drenthe_energy, collectives, []).value == 650
    assert current_value(RegisterMeasure.volunteers_total, Scope("PV22"), collectives, []).value == 62
    assert current_value(RegisterMeasure.collectives_count, Scope(), collectives, []).value == 4


def test_impact_goals_are_measured_by_the_latest_reported_year_in_scope() -> None:
    reports = [
        ReportedFigures("energy_cooperative", "PV22", 2024, {"volunteer_hours": 100}),
        ReportedFigures("care_cooperative", "PV22", 2025, {"volunteer_hours": 70.5}),
        ReportedFigures("energy_cooperative", "PV22", 2025, {"volunteer_hours": 30, "members": 9}),
        ReportedFigures("energy_cooperative", "PV23", 2026, {"volunteer_hours": 999}),
    ]
    measured = current_value(Indicator.volunteer_hours, Scope("PV22"), [], reports)
    assert (measured.value, measured.year) == (100.5, 2025)
    assert current_value(Indicator.renewable_kwh, Scope(), [], reports).value == 0


@settings(max_examples=200, deadline=None)
@given(
    baseline=st.integers(0, 10_000),
    change=st.integers(-10_000, 10_000).filter(lambda n: n != 0),
    current=st.integers(0, 30_000),
    days=st.integers(-500, 4_000),
)
def test_progress_figures_stay_within_bounds_with_one_decimal(
    baseline: int, change: int, current: int, days: int
) -> None:
    target = max(0, baseline + change)
    if target == baseline:
        return
    goal = Goal(Indicator.members, Scope(), baseline, target, START, END)
    result = progress(goal, current, START + timedelta(days=days))
    for figure in (result.percentage, result.expected_percentage):
        assert 0.0 <= figure <= 100.0
        assert round(figure * 10) == pytest.approx(figure * 10)
    assert result.on_track == (result.percentage >= result.expected_percentage)
    assert result.reached == (result.percentage == 100.0)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 5_000), st.integers(0, 5_000))
def test_more_members_never_means_less_progress(lower: int, higher_by: int) -> None:
    goal = members_goal()
    today = date(2027, 1, 1)
    assert progress(goal, lower, today).percentage <= progress(goal, lower + higher_by, today).percentage
