from datetime import UTC, datetime
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.rewards.domain.ledger import KnowledgeEvent, Ledger, short_event_type
from services.rewards.domain.levels import BadgeCounter, CounterItem, Counters
from services.rewards.domain.periods import parse_period
from services.rewards.domain.rules import default_rules
from services.rewards.domain.standing import Standing, Standings

pytestmark = pytest.mark.unit

MONDAY = datetime(2026, 11, 2, 9, tzinfo=UTC)
RULES = default_rules()


def _published(article: str, authors: list[str]) -> KnowledgeEvent:
    return KnowledgeEvent(uuid4(), "article.published", MONDAY, {"article_id": article, "authors": authors})


def _accepted(author: str, asker: str) -> KnowledgeEvent:
    return KnowledgeEvent(
        uuid4(), "answer.accepted", MONDAY, {"answer_id": str(uuid4()), "author_id": author, "asker_id": asker}
    )


def _retracted(article: str) -> KnowledgeEvent:
    return KnowledgeEvent(uuid4(), "article.retracted", MONDAY, {"article_id": article})


def test_a_level_is_announced_once_even_when_the_balance_drops_and_rises_again():
    ledger, standings = Ledger(RULES), Standings({}, (), RULES)
    reached = []
    history = [
        _published("a1", ["ann"]),
        _published("a2", ["ann"]),
        _accepted("ann", "bob"),
        _retracted("a1"),
        _published("a3", ["ann"]),
    ]
    for event in history:
        for change in standings.apply(ledger.apply(event)):
            reached += [(change.contributor_id, level.key) for level in change.levels_reached]

    assert reached == [("ann", "deler")]
    assert standings.get("ann").balance == 65
    assert standings.get("ann").peak_balance == 65


def test_badges_count_distinct_items_and_are_never_earned_twice():
    ann = "ann"
    counted = {CounterItem(ann, BadgeCounter.articles_published, "old")}
    standings = Standings({ann: Standing(ann, counters=Counters(articles_published=1))}, counted, RULES)
    ledger = Ledger(RULES)

    first = standings.apply(ledger.apply(_published("old", [ann])))
    second = standings.apply(ledger.apply(_published("new", [ann])))

    assert first[0].badges_earned == ()
    assert second[0].after.counters.articles_published == 2
    assert second[0].badges_earned == ()  # the first-article badge was earned before the run
    assert standings.get(ann).version == 2


def test_every_change_bumps_the_version_once_per_decision():
    standings = Standings({"ann": Standing("ann", balance=5, version=7)}, (), RULES)

    (change,) = standings.apply(Ledger(RULES).apply(_accepted("ann", "ann-herself")))[:1]

    assert change.before.version == 7
    assert change.after.version == 8
    assert change.after.balance == 30
    assert change.level.key == "starter"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["publish", "accept", "retract"]), max_size=25))
def test_standings_follow_the_ledger_balances(actions):
    ledger, standings = Ledger(RULES), Standings({}, (), RULES)
    for n, action in enumerate(actions):
        event = {
            "publish": lambda n=n: _published(f"a{n}", ["ann", "bob"]),
            "accept": lambda: _accepted("ann", "cas"),
            "retract": lambda n=n: _retracted(f"a{n - 1}"),
        }[action]()
        decision = ledger.apply(event)
        if decision is not None:
            standings.apply(decision)

    for person in ("ann", "bob", "cas"):
        assert standings.get(person).balance == ledger.balance(person)
        assert standings.get(person).peak_balance >= standings.get(person).balance >= 0


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-11", datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)),
        ("2026-12", datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        ("2026-Q4", datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        ("2026-Q1", datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)),
        ("2026", datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        ("all", None, None),
    ],
)
def test_periods_are_utc_half_open_ranges(text, start, end):
    period = parse_period(text)

    assert (period.starts_at, period.ends_before) == (start, end)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "26-11", "november", "", "2026-1", "9999-12"])
def test_other_period_texts_are_refused(text):
    with pytest.raises(ValueError, match="period"):
        parse_period(text)


def test_full_event_types_lose_their_prefix_service_and_version():
    assert short_event_type("nl.onderop.knowledge.article.published.v1") == "article.published"
    assert short_event_type("nl.onderop.knowledge.endorsement.withdrawn.v2") == "endorsement.withdrawn"
    assert short_event_type("nl.onderop.article.published.v1") == "article.published"
    assert short_event_type("article.published") == "article.published"
