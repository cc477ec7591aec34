from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from services.funding.domain.matchfunding import (
    Mechanism,
    aggregate_pledges,
    allocate,
    estimate_pledge_effect,
    largest_remainder,
    one_to_one_allocation,
    quadratic_allocation,
    quadratic_weight,
    raised_totals,
)

pytestmark = pytest.mark.unit


# --- largest remainder -----------------------------------------------------------------------------------------


def test_largest_remainder_splits_exactly_and_breaks_ties_by_key():
    assert largest_remainder(10, {"b": 1, "a": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert largest_remainder(100, {"x": 1, "y": 3}) == {"x": 25, "y": 75}
    assert largest_remainder(7, {"x": Fraction(1, 3), "y": 0.5, "z": 0}) == {"x": 3, "y": 4, "z": 0}
    assert largest_remainder(0, {"x": 0}) == {"x": 0}


def test_largest_remainder_refuses_what_cannot_be_split():
    with pytest.raises(ValueError, match="zero weights"):
        largest_remainder(5, {"x": 0})
    with pytest.raises(ValueError, match="negative"):
        largest_remainder(5, {"x": -1, "y": 2})
    with pytest.raises(ValueError, match="negative"):
        largest_remainder(-1, {"x": 1})


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 10**9),
    st.dictionaries(st.integers(0, 50), st.one_of(st.integers(0, 10**6), st.floats(0, 1e6)), min_size=1),
)
def test_largest_remainder_is_exact_and_fair(total, weights):
    weight_sum = sum(Fraction(w) for w in weights.values())
    assume(weight_sum > 0)
    parts = largest_remainder(total, weights)
    assert sum(parts.values()) == total
    for key, weight in weights.items():
        share = total * Fraction(weight) / weight_sum
        assert share - 1 < parts[key] < share + 1


# --- quadratic -------------------------------------------------------------------------------------------------


def test_quadratic_weight():
    assert quadratic_weight([100, 100, 100, 100]) == pytest.approx(1200)
    assert quadratic_weight([400]) == 0
    assert quadratic_weight([2]) == 0  # no float noise from √2²
    assert quadratic_weight([0, 0, 500]) == 0
    assert quadratic_weight([]) == 0


def test_quadratic_allocation_follows_the_formula_and_fills_the_budget():
    pledges = {"park": {1: 100, 2: 100, 3: 100, 4: 100}, "solo": {5: 400}, "pair": {6: 200, 7: 200}}
    result = quadratic_allocation(10_000, pledges)
    # ideal: park (4·10)² − 400 = 1200, pair (2·√200)² − 400 = 400, solo 0
    assert result.allocations == {"park": 7_500, "solo": 0, "pair": 2_500}
    assert result.unallocated_cents == 0
    assert result.allocated_cents == 10_000


def test_the_cap_clips_and_redistributes_the_excess():
    pledges = {"a": {1: 900, 2: 900, 3: 900}, "b": {4: 100, 5: 100}, "c": {6: 100, 7: 400}}
    result = quadratic_allocation(10_000, pledges, cap_cents=6_000)
    assert result.allocations["a"] == 6_000
    assert result.capped == frozenset({"a"})
    assert result.allocations["b"] + result.allocations["c"] == 4_000
    assert result.allocations["c"] > result.allocations["b"]


def test_redistribution_can_push_another_project_to_the_cap():
    pledges = {"a": {1: 900, 2: 900, 3: 900}, "b": {4: 400, 5: 400, 6: 100}, "c": {7: 100, 8: 100}}
    uncapped = quadratic_allocation(10_000, pledges)
    assert uncapped.allocations["b"] < 4_000
    result = quadratic_allocation(10_000, pledges, cap_cents=4_000)
    assert result.allocations["a"] == result.allocations["b"] == 4_000
    assert result.allocations["c"] == 2_000
    assert result.unallocated_cents == 0


def test_when_every_project_is_capped_the_rest_stays_unallocated():
    pledges = {"a": {1: 100, 2: 100}, "b": {3: 100, 4: 100}}
    result = quadratic_allocation(10_000, pledges, cap_cents=3_000)
    assert result.allocations == {"a": 3_000, "b": 3_000}
    assert result.unallocated_cents == 4_000


def test_nothing_is_allocatable_when_no_project_has_two_backers():
    result = quadratic_allocation(10_000, {"a": {1: 5_000}, "b": {}})
    assert result.allocations == {"a": 0, "b": 0}
    assert result.unallocated_cents == 10_000


def test_one_counted_total_per_person_per_project():
    individual = [("park", "ann", 100), ("park", "ann", 300), ("park", "bob", 400), ("bench", "cem", 50)]
    pledges = aggregate_pledges(individual)
    assert pledges == {"park": {"ann": 400, "bob": 400}, "bench": {"cem": 50}}
    assert raised_totals(pledges) == {"park": 800, "bench": 50}
    # Splitting one's pledge into pieces buys no extra voice.
    split = aggregate_pledges([("p", "ann", 100)] * 4 + [("p", "bob", 400), ("q", "x", 100), ("q", "y", 100)])
    whole = {"p": {"ann": 400, "bob": 400}, "q": {"x": 100, "y": 100}}
    assert quadratic_allocation(1_000, split) == quadratic_allocation(1_000, whole)
    with pytest.raises(ValueError, match="negative"):
        aggregate_pledges([("p", "ann", -1)])


def test_all_or_nothing_releases_a_project_that_misses_its_target():
    pledges = {"a": {1: 100, 2: 100}, "b": {3: 100, 4: 100}}
    result = quadratic_allocation(1_000, pledges, targets={"b": 500})
    assert result.released == frozenset({"b"})
    assert result.allocations == {"a": 1_000, "b": 0}
    reached = quadratic_allocation(1_000, pledges, targets={"b": 200})
    assert reached.released == frozenset()
    assert reached.allocations == {"a": 500, "b": 500}


@settings(max_examples=200, deadline=None)
@given(
    budget=st.integers(0, 10**8),
    pledges=st.dictionaries(
        st.integers(0, 12),
        st.dictionaries(st.integers(0, 30), st.integers(0, 10**6), max_size=8),
        max_size=10,
    ),
    cap=st.one_of(st.none(), st.integers(0, 10**7)),
    targets=st.dictionaries(st.integers(0, 12), st.integers(0, 10**6), max_size=4),
)
def test_quadratic_allocations_sum_to_the_budget_and_respect_caps(budget, pledges, cap, targets):
    result = quadratic_allocation(budget, pledges, cap_cents=cap, targets=targets)
    assert sum(result.allocations.values()) + result.unallocated_cents == budget
    assert set(result.allocations) == set(pledges) | set(targets)
    assert all(amount >= 0 for amount in result.allocations.values())
    if cap is not None:
        assert all(amount <= cap for amount in result.allocations.values())
    for project in result.released:
        assert result.allocations[project] == 0
    matchable = [
        p for p, per in pledges.items() if p not in result.released and sum(1 for c in per.values() if c > 0) >= 2
    ]
    if result.unallocated_cents:
        # Money stays behind only when no matchable project can take more.
        assert all(cap is not None and result.allocations[p] == cap for p in matchable)
    for project in result.allocations:
        if project not in matchable:
            assert result.allocations[project] == 0


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(100, 10**6),
    many=st.integers(2, 40),
    few=st.integers(1, 39),
    budget=st.integers(10_000, 10**8),
)
def test_many_small_pledges_beat_fewer_large_ones_with_the_same_total(total, many, few, budget):
    assume(few < many)
    broad = dict.fromkeys(range(many), total // many)
    narrow = dict.fromkeys(range(few), total // few)
    # Same total on both sides: give the remainder cents to the first backers.
    for person in range(total - sum(broad.values())):
        broad[person] += 1
    for person in range(total - sum(narrow.values())):
        narrow[person] += 1
    result = quadratic_allocation(budget, {"broad": broad, "narrow": narrow})
    assert result.allocations["broad"] > result.allocations["narrow"]
    single = quadratic_allocation(budget, {"broad": broad, "single": {0: total}})
    assert single.allocations == {"broad": budget, "single": 0}


# --- one to one ------------------------------------------------------------------------------------------------


def test_one_to_one_matches_euro_for_euro_up_to_the_cap():
    result = one_to_one_allocation(100_000, {"a": 3_000, "b": 8_000}, cap_cents=5_000)
    assert result.allocations == {"a": 3_000, "b": 5_000}
    assert result.capped == frozenset({"b"})
    assert result.unallocated_cents == 92_000


def test_one_to_one_is_scaled_pro_rata_when_the_budget_runs_short():
    result = one_to_one_allocation(1_000, {"a": 1_000, "b": 500, "c": 0}, cap_cents=None)
    assert result.allocations == {"a": 667, "b": 333, "c": 0}
    assert result.unallocated_cents == 0


def test_one_to_one_all_or_nothing():
    result = one_to_one_allocation(10_000, {"a": 3_000, "b": 4_000}, cap_cents=5_000, targets={"a": 5_000})
    assert result.released == frozenset({"a"})
    assert result.allocations == {"a": 0, "b": 4_000}


@settings(max_examples=200, deadline=None)
@given(
    budget=st.integers(0, 10**7),
    raised=st.dictionaries(st.integers(0, 20), st.integers(0, 10**6), max_size=12),
    cap=st.one_of(st.none(), st.integers(0, 10**6)),
)
def test_one_to_one_never_exceeds_raised_cap_or_budget(budget, raised, cap):
    result = one_to_one_allocation(budget, raised, cap_cents=cap)
    assert sum(result.allocations.values()) + result.unallocated_cents == budget
    for project, amount in result.allocations.items():
        assert 0 <= amount <= raised[project]
        assert cap is None or amount <= cap
    entitled = sum(r if cap is None else min(r, cap) for r in raised.values())
    assert result.allocated_cents == min(budget, entitled)


# --- estimates -------------------------------------------------------------------------------------------------


def test_estimate_shows_what_a_pledge_adds_under_quadratic():
    pledges = {"park": {1: 100, 2: 100, 3: 100, 4: 100}, "bench": {5: 400}}
    effect = estimate_pledge_effect(Mechanism.quadratic, 10_000, pledges, "bench", 6, 100)
    # bench after: (√400 + √100)² − 500 = 400 against park's 1200
    assert effect.match_before_cents == 0
    assert effect.match_after_cents == 2_500
    assert effect.match_change_cents == 2_500
    assert pledges["bench"] == {5: 400}  # the estimate changes nothing


def test_a_second_pledge_from_the_same_person_adds_to_their_total():
    pledges = {"park": {1: 100, 2: 100}, "bench": {3: 100, 4: 100}}
    same_person = estimate_pledge_effect("quadratic", 1_000, pledges, "park", 1, 300)
    new_person = estimate_pledge_effect("quadratic", 1_000, pledges, "park", 9, 300)
    assert same_person.match_after_cents < new_person.match_after_cents


def test_estimate_under_one_to_one_and_all_or_nothing():
    pledges = {"park": {1: 2_000, 2: 2_000}}
    effect = estimate_pledge_effect(
        "one_to_one", 50_000, pledges, "park", 3, 2_000, cap_cents=5_000, targets={"park": 6_000}
    )
    assert (effect.target_reached_before, effect.target_reached_after) == (False, True)
    assert (effect.match_before_cents, effect.match_after_cents) == (0, 5_000)
    with pytest.raises(ValueError, match="positive"):
        estimate_pledge_effect("one_to_one", 50_000, pledges, "park", 3, 0)


def test_allocate_dispatches_on_the_mechanism():
    pledges = {"a": {1: 100, 2: 300}}
    assert allocate("one_to_one", 1_000, pledges).allocations == {"a": 400}
    assert allocate(Mechanism.quadratic, 1_000, pledges).allocations == {"a": 1_000}
    with pytest.raises(ValueError, match="lottery"):
        allocate("lottery", 1_000, pledges)
    with pytest.raises(ValueError, match="budget"):
        allocate("quadratic", -1, pledges)
