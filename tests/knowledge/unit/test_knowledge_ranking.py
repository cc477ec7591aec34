from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.knowledge.domain.ranking import (
    ArticleSignal,
    CollectiveProfile,
    ExpertSignal,
    QuestionSignal,
    recommend,
    recommend_questions,
    suggest_experts,
)

pytestmark = pytest.mark.unit

NOW = datetime(2025, 3, 1, tzinfo=UTC)
ENERGY_STARTUP = CollectiveProfile(
    kind="energy_cooperative", stage="startup", themes=frozenset({"energy", "local_economy"})
)


def article(article_id: str, **fields: Any) -> ArticleSignal:
    return ArticleSignal(
        id=article_id,
        **{key: frozenset(value) if key in {"kinds", "stages", "themes"} else value for key, value in fields.items()},
    )


def test_better_fit_beats_popularity() -> None:
    tailored = article("tailored", kinds={"energy_cooperative"}, stages={"startup"}, themes={"energy"})
    popular = article("popular", themes={"energy"}, endorsements=500, reuses=200)

    ranked = recommend(ENERGY_STARTUP, [popular, tailored])

    assert [item.id for item in ranked] == ["tailored", "popular"]
    assert ranked[0].score > ranked[1].score


def test_popularity_breaks_ties_between_equal_fits() -> None:
    quiet = article("quiet", kinds={"energy_cooperative"}, endorsements=1)
    reused = article("reused", kinds={"energy_cooperative"}, endorsements=1, reuses=3)
    endorsed = article("endorsed", kinds={"energy_cooperative"}, endorsements=4)

    ranked = recommend(ENERGY_STARTUP, [quiet, endorsed, reused])

    assert [item.id for item in ranked] == ["reused", "endorsed", "quiet"]


def test_newest_first_when_fit_and_popularity_are_equal() -> None:
    old = article("old", themes={"energy"}, published_at=NOW - timedelta(days=300))
    new = article("new", themes={"energy"}, published_at=NOW)

    assert [item.id for item in recommend(ENERGY_STARTUP, [old, new])] == ["new", "old"]


def test_already_reused_articles_are_left_out() -> None:
    ranked = recommend(ENERGY_STARTUP, [article("a", themes={"energy"}), article("b", themes={"energy"})], {"a"})

    assert [item.id for item in ranked] == ["b"]


def test_articles_for_other_kinds_only_count_when_a_theme_is_shared() -> None:
    care_only = article("care", kinds={"care_cooperative"}, themes={"care"})
    care_but_energy = article("care-energy", kinds={"care_cooperative"}, themes={"energy"})

    ranked = recommend(ENERGY_STARTUP, [care_only, care_but_energy])

    assert [item.id for item in ranked] == ["care-energy"]


def test_reasons_explain_the_fit() -> None:
    tailored = article(
        "x", kinds={"energy_cooperative"}, stages={"startup"}, themes={"energy", "care"}, endorsements=2, reuses=1
    )

    (item,) = recommend(ENERGY_STARTUP, [tailored])

    assert item.reasons == ("kind:energy_cooperative", "stage:startup", "theme:energy", "endorsements:2", "reuses:1")


def test_limit_cuts_the_list() -> None:
    articles = [article(str(n), themes={"energy"}, endorsements=n) for n in range(10)]

    assert [item.id for item in recommend(ENERGY_STARTUP, articles, limit=3)] == ["9", "8", "7"]


def test_open_questions_need_a_shared_theme_and_unanswered_come_first() -> None:
    questions = [
        QuestionSignal(id="answered", themes=frozenset({"energy"}), answers=3),
        QuestionSignal(id="fresh", themes=frozenset({"energy"}), answers=0),
        QuestionSignal(id="off-topic", themes=frozenset({"care"})),
        QuestionSignal(id="two-themes", themes=frozenset({"energy", "local_economy"}), answers=5),
        QuestionSignal(id="own", themes=frozenset({"energy"})),
    ]

    ranked = recommend_questions(ENERGY_STARTUP, questions, exclude={"own"})

    assert [item.id for item in ranked] == ["two-themes", "fresh", "answered"]
    assert "unanswered" in ranked[1].reasons


def test_questions_from_the_same_kind_of_collective_rank_higher() -> None:
    same = QuestionSignal(id="same", themes=frozenset({"energy"}), answers=2, asker_kind="energy_cooperative")
    other = QuestionSignal(id="other", themes=frozenset({"energy"}), answers=0, asker_kind="care_cooperative")

    ranked = recommend_questions(ENERGY_STARTUP, [other, same])

    assert [item.id for item in ranked] == ["same", "other"]
    assert "kind:energy_cooperative" in ranked[0].reasons


def test_experts_with_a_record_in_the_theme_come_first() -> None:
    specialist = ExpertSignal("specialist", frozenset({"energy"}), {"energy": 6}, 6)
    declared = ExpertSignal("declared", frozenset({"energy"}), {}, 0)
    generalist = ExpertSignal("generalist", frozenset(), {"care": 40, "energy": 1}, 41)
    unrelated = ExpertSignal("unrelated", frozenset({"care"}), {"care": 12}, 12)

    ranked = suggest_experts({"energy"}, [declared, unrelated, generalist, specialist])

    assert [item.contributor_id for item in ranked] == ["specialist", "generalist", "declared"]
    assert ranked[0].reasons == ("expertise:energy", "accepted_answers:energy:6", "accepted_answers_total:6")


def test_excluded_contributors_are_never_suggested() -> None:
    asker = ExpertSignal("asker", frozenset({"energy"}), {"energy": 9}, 9)

    assert suggest_experts({"energy"}, [asker], exclude={"asker"}) == []


theme_sets = st.frozensets(st.sampled_from(["energy", "care", "housing", "food", "digital"]), max_size=3)
articles_strategy = st.lists(
    st.builds(
        ArticleSignal,
        id=st.integers(0, 40),
        kinds=st.frozensets(st.sampled_from(["energy_cooperative", "care_cooperative", "local_fund"]), max_size=2),
        stages=st.frozensets(st.sampled_from(["idea", "startup", "growth"]), max_size=2),
        themes=theme_sets,
        endorsements=st.integers(0, 50),
        reuses=st.integers(0, 20),
        published_at=st.none() | st.datetimes(timezones=st.just(UTC)),
    ),
    max_size=15,
    unique_by=lambda signal: signal.id,
)


@settings(max_examples=100, deadline=None)
@given(articles_strategy, st.frozensets(st.integers(0, 40)), theme_sets)
def test_recommendations_are_ranked_exclude_reused_and_ignore_input_order(
    articles: list[ArticleSignal], reused: frozenset[int], themes: frozenset[str]
) -> None:
    collective = CollectiveProfile(kind="energy_cooperative", stage="startup", themes=themes)

    ranked = recommend(collective, articles, reused)

    assert {item.id for item in ranked}.isdisjoint(reused)
    assert {item.id for item in ranked} <= {signal.id for signal in articles}
    assert [item.score for item in ranked] == sorted((item.score for item in ranked), reverse=True)
    assert recommend(collective, list(reversed(articles)), reused) == ranked


@settings(max_examples=100, deadline=None)
@given(articles_strategy.filter(bool), st.integers(1, 100))
def test_more_endorsements_never_lower_an_articles_score(articles: list[ArticleSignal], extra: int) -> None:
    target = articles[0]
    boosted = replace(target, endorsements=target.endorsements + extra)

    before = {item.id: item.score for item in recommend(ENERGY_STARTUP, articles)}
    after = {item.id: item.score for item in recommend(ENERGY_STARTUP, [boosted, *articles[1:]])}

    if target.id in before:
        assert after[target.id] >= before[target.id]


experts_strategy = st.lists(
    st.builds(
        ExpertSignal,
        contributor_id=st.integers(0, 30),
        expertise_themes=theme_sets,
        accepted_answers_by_theme=st.dictionaries(st.sampled_from(["energy", "care", "housing"]), st.integers(0, 30)),
        accepted_answers_total=st.integers(0, 100),
    ),
    max_size=12,
    unique_by=lambda signal: signal.contributor_id,
)


@settings(max_examples=100, deadline=None)
@given(experts_strategy, theme_sets, st.frozensets(st.integers(0, 30)))
def test_expert_suggestions_are_relevant_ranked_and_respect_exclusions(
    candidates: list[ExpertSignal], themes: frozenset[str], exclude: Collection[int]
) -> None:
    ranked = suggest_experts(themes, candidates, exclude)

    by_id = {candidate.contributor_id: candidate for candidate in candidates}
    assert {item.contributor_id for item in ranked}.isdisjoint(exclude)
    assert [item.score for item in ranked] == sorted((item.score for item in ranked), reverse=True)
    for item in ranked:
        candidate = by_id[item.contributor_id]
        assert candidate.expertise_themes & themes or any(candidate.accepted_answers_by_theme.get(t, 0) for t in themes)
