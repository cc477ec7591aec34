from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.rewards.domain.pools import (
    PayoutStatus,
    PoolError,
    PoolTerms,
    as_fraction,
    can_move_payout,
    divide_pool,
    share_cap_cents,
)

pytestmark = pytest.mark.unit


def test_proportional_division_with_largest_remainder_ties_by_contributor_id():
    division = divide_pool(100, {"c": 1, "b": 1, "a": 1})

    assert division.payouts == {"a": 34, "b": 33, "c": 33}
    assert division.undistributed_cents == 0


def test_the_cap_is_applied_and_the_excess_shared_by_the_others():
    division = divide_pool(1000, {"a": 70, "b": 20, "c": 5, "d": 5}, max_share=0.4)

    assert division.payouts == {"a": 400, "b": 400, "c": 100, "d": 100}
    assert division.capped == frozenset({"a"})
    assert division.undistributed_cents == 0


def test_the_cap_rounds_down_to_whole_cents_and_rounding_never_lifts_a_payout_above_it():
    division = divide_pool(1001, {"a": 5, "b": 3, "c": 2, "d": 1}, max_share=Fraction(2, 5))

    assert division.cap_cents == 400
    assert division.payouts == {"a": 400, "b": 301, "c": 200, "d": 100}


def test_when_caps_make_full_distribution_impossible_the_rest_stays_undistributed():
    division = divide_pool(100_000, {"ann": 300, "bob": 10}, max_share=0.25)

    assert division.payouts == {"ann": 25_000, "bob": 25_000}
    assert division.undistributed_cents == 50_000


def test_contributors_under_the_minimum_are_dropped_and_their_share_redistributed():
    division = divide_pool(1000, {"a": 50, "b": 45, "c": 5}, min_payout_cents=100)

    assert division.payouts == {"a": 526, "b": 474}
    assert division.below_minimum == frozenset({"c"})


def test_the_smallest_are_dropped_first_so_someone_who_clears_the_minimum_afterwards_is_kept():
    division = divide_pool(1000, {"a": 60, "b": 30, "c": 10}, min_payout_cents=320)

    assert division.payouts == {"a": 667, "b": 333}
    assert division.below_minimum == frozenset({"c"})


def test_nobody_with_points_leaves_the_whole_pool_undistributed():
    assert divide_pool(5000, {}).undistributed_cents == 5000
    assert divide_pool(5000, {"a": 0, "b": -3}).payouts == {}
    assert divide_pool(5000, {"a": 1, "b": 1}, min_payout_cents=3000).undistributed_cents == 5000


def test_max_share_accepts_floats_by_their_decimal_meaning():
    assert as_fraction(0.1) == Fraction(1, 10)
    assert as_fraction("0.25") == as_fraction(Decimal("0.25")) == Fraction(1, 4)
    assert share_cap_cents(1000, 0.1) == 100


@pytest.mark.parametrize(
    ("amount", "min_payout", "max_share"),
    [(-1, 0, 1), (100, -1, 1), (100, 0, 0), (100, 0, 1.5), (100, 0, "a lot"), (100, 0, True), (1.5, 0, 1)],
)
def test_invalid_pool_arguments_are_refused(amount, min_payout, max_share):
    with pytest.raises(PoolError):
        divide_pool(amount, {"a": 1}, min_payout, max_share)


def test_pool_terms_validate_and_cover_their_period_theme_and_province():
    terms = PoolTerms(
        amount_cents=100_000,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 12, 31),
        min_payout_cents=500,
        max_share=0.25,
        theme="energy",
        province="PV26",
    )

    assert terms.max_share == Fraction(1, 4)
    assert terms.covers(datetime(2026, 12, 31, 23, 59, tzinfo=UTC), ("energy", "care"), "PV26")
    assert not terms.covers(datetime(2027, 1, 1, tzinfo=UTC), ("energy",), "PV26")
    assert not terms.covers(datetime(2026, 11, 1, tzinfo=UTC), ("care",), "PV26")
    assert not terms.covers(datetime(2026, 11, 1, tzinfo=UTC), ("energy",), "PV20")
    assert sum(terms.divide({"a": 1, "b": 2, "c": 3, "d": 4}).payouts.values()) == 100_000
    with pytest.raises(PoolError):
        PoolTerms(amount_cents=100, period_start=date(2026, 2, 1), period_end=date(2026, 1, 1))


def test_payouts_move_from_calculated_to_approved_to_paid_only():
    assert can_move_payout(PayoutStatus.calculated, PayoutStatus.approved)
    assert can_move_payout(PayoutStatus.approved, PayoutStatus.paid)
    assert not can_move_payout(PayoutStatus.calculated, PayoutStatus.paid)
    assert not can_move_payout(PayoutStatus.paid, PayoutStatus.approved)


amounts = st.integers(0, 10_000_000)
point_maps = st.dictionaries(st.text(alphabet="abcdefghij", min_size=1, max_size=3), st.integers(-5, 2000), max_size=12)
shares = st.integers(1, 100).map(lambda percent: Fraction(percent, 100))


@settings(max_examples=200, deadline=None)
@given(amount=amounts, points=point_maps, max_share=shares, minimum_fraction=st.integers(0, 40))
def test_payouts_sum_to_the_pool_respect_cap_and_minimum(amount, points, max_share, minimum_fraction):
    min_payout = amount * minimum_fraction // 100
    division = divide_pool(amount, points, min_payout, max_share)
    cap = share_cap_cents(amount, max_share)

    assert sum(division.payouts.values()) + division.undistributed_cents == amount
    assert all(min_payout <= cents <= cap for cents in division.payouts.values())
    assert all(points[contributor] > 0 for contributor in division.payouts)
    if division.undistributed_cents:
        everyone_capped = all(cents == cap for cents in division.payouts.values())
        assert everyone_capped
        assert len(division.payouts) * cap < amount or not division.payouts


@settings(max_examples=200, deadline=None)
@given(amount=amounts, points=point_maps, max_share=shares)
def test_more_points_never_means_less_money_beyond_a_rounding_cent(amount, points, max_share):
    division = divide_pool(amount, points, 0, max_share)
    paid = {contributor: division.payouts.get(contributor, 0) for contributor, p in points.items() if p > 0}

    for richer in paid:
        for poorer in paid:
            if points[richer] > points[poorer]:
                assert paid[richer] >= paid[poorer] - 1


@settings(max_examples=200, deadline=None)
@given(amount=amounts, points=point_maps, max_share=shares)
def test_uncapped_payouts_are_within_a_cent_of_their_exact_share(amount, points, max_share):
    division = divide_pool(amount, points, 0, max_share)
    uncapped = {c: p for c, p in points.items() if p > 0 and c not in division.capped}
    if not uncapped:
        return
    remaining = amount - division.cap_cents * len(division.capped)

    for contributor, earned in uncapped.items():
        exact = Fraction(remaining * earned, sum(uncapped.values()))
        assert abs(division.payouts.get(contributor, 0) - exact) < 1


@settings(max_examples=100, deadline=None)
@given(amount=amounts, points=point_maps, max_share=shares, minimum=st.integers(0, 50_000), data=st.data())
def test_the_division_does_not_depend_on_the_order_of_the_input(amount, points, max_share, minimum, data):
    reordered = dict(data.draw(st.permutations(list(points.items()))))

    assert divide_pool(amount, points, minimum, max_share) == divide_pool(amount, reordered, minimum, max_share)


@settings(max_examples=100, deadline=None)
@given(amount=amounts, points=point_maps, max_share=shares, minimum=st.integers(1, 200_000))
def test_dropped_contributors_earned_no_more_than_anyone_paid(amount, points, max_share, minimum):
    division = divide_pool(amount, points, minimum, max_share)

    assert not division.below_minimum & set(division.payouts)
    if division.payouts and division.below_minimum:
        assert max(points[c] for c in division.below_minimum) <= min(points[c] for c in division.payouts)
