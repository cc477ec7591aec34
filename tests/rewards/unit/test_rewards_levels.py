from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.rewards.domain.levels import (
    BadgeCounter,
    CounterItem,
    Counters,
    Level,
    earned_badges,
    level_for,
    levels_reached,
    newly_earned_badges,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("points", "key"),
    [(0, "starter"), (49, "starter"), (50, "deler"), (199, "deler"), (200, "kennisdrager"), (10_000, "ambassadeur")],
)
def test_level_follows_the_thresholds(points, key):
    assert level_for(points).key == key


def test_levels_have_dutch_and_english_labels():
    level = level_for(500)

    assert (level.label_nl, level.label_en) == ("Verbinder", "Connector")


def test_levels_reached_lists_every_level_crossed_upward_and_none_downward():
    assert [level.key for level in levels_reached(10, 600)] == ["deler", "kennisdrager", "verbinder"]
    assert levels_reached(600, 10) == []
    assert levels_reached(50, 50) == []


def test_custom_levels_can_be_passed():
    ladder = [Level("b", 10, "B", "B"), Level("a", 0, "A", "A")]

    assert level_for(9, ladder).key == "a"
    assert level_for(10, ladder).key == "b"


def test_counters_count_distinct_items():
    items = [
        CounterItem("c1", BadgeCounter.reusing_collectives, "k1"),
        CounterItem("c1", BadgeCounter.reusing_collectives, "k1"),
        CounterItem("c1", BadgeCounter.reusing_collectives, "k2"),
        CounterItem("c1", BadgeCounter.articles_published, "a1"),
    ]

    counters = Counters.from_items(items)

    assert counters == Counters(articles_published=1, reusing_collectives=2)


def test_every_badge_counter_is_a_counters_field():
    assert {field.name for field in fields(Counters)} == {counter.value for counter in BadgeCounter}


def test_first_article_and_ten_accepted_answers_are_earned_once():
    first = newly_earned_badges(Counters(), Counters(articles_published=1))
    tenth = newly_earned_badges(Counters(answers_accepted=9), Counters(answers_accepted=10))
    again = newly_earned_badges(Counters(answers_accepted=10), Counters(answers_accepted=11))

    assert [badge.key for badge in first] == ["first_article"]
    assert [badge.key for badge in tenth] == ["ten_accepted_answers"]
    assert again == []


def test_reused_by_five_collectives():
    before = Counters(reusing_collectives=4)
    after = Counters(reusing_collectives=5)

    assert "reused_by_five_collectives" in {badge.key for badge in newly_earned_badges(before, after)}
    assert "reused_by_five_collectives" in {badge.key for badge in earned_badges(after)}


counters = st.builds(
    Counters,
    articles_published=st.integers(0, 30),
    answers_accepted=st.integers(0, 30),
    reusing_collectives=st.integers(0, 30),
    endorsements_received=st.integers(0, 80),
)


@settings(max_examples=100, deadline=None)
@given(before=counters, after=counters)
def test_newly_earned_is_earned_after_minus_earned_before(before, after):
    new = {badge.key for badge in newly_earned_badges(before, after)}

    assert new == {b.key for b in earned_badges(after)} - {b.key for b in earned_badges(before)}


@settings(max_examples=100, deadline=None)
@given(before=st.integers(0, 3000), after=st.integers(0, 3000))
def test_levels_reached_ends_at_the_new_level_when_rising(before, after):
    reached = levels_reached(before, after)

    if after > before and level_for(after) != level_for(before):
        assert reached[-1] == level_for(after)
    else:
        assert reached == []
