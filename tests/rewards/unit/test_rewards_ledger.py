from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.rewards.domain.ledger import (
    ISSUANCE_ACCOUNT,
    InvalidEvent,
    KnowledgeEvent,
    Ledger,
    MissingState,
    Outcome,
    Posting,
    Reason,
    StateSnapshot,
    decide,
    reads_for,
    split_evenly,
)
from services.rewards.domain.levels import Counters, newly_earned_badges
from services.rewards.domain.rules import Caps, default_rules

pytestmark = pytest.mark.unit

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _event(event_type: str, at: datetime = MONDAY, **data) -> KnowledgeEvent:
    return KnowledgeEvent(uuid4(), event_type, at, data)


def _published(article: str, authors: list[str], at: datetime = MONDAY, themes=("energy",)) -> KnowledgeEvent:
    return _event("article.published", at, article_id=article, authors=authors, themes=list(themes), revision=1)


def _endorsed(eid, endorser, credited, article=None, answer=None, at=MONDAY, withdrawn=False) -> KnowledgeEvent:
    target = (
        {"target_type": "article", "target_id": article} if article else {"target_type": "answer", "target_id": answer}
    )
    kind = "endorsement.withdrawn" if withdrawn else "endorsement.added"
    return _event(kind, at, endorsement_id=eid, endorser_id=endorser, credited=credited, article_id=article, **target)


def _reused(article, collective, reporter, credited, own_collectives=("home",), rid=None) -> KnowledgeEvent:
    return _event(
        "reuse.reported",
        reuse_id=rid or str(uuid4()),
        article_id=article,
        collective_id=collective,
        reporter_id=reporter,
        credited=credited,
        author_collective_ids=list(own_collectives),
    )


def _accepted(answer, author, asker, at=MONDAY) -> KnowledgeEvent:
    return _event("answer.accepted", at, answer_id=answer, question_id="q-" + answer, author_id=author, asker_id=asker)


def _ledger(daily=100, pair=30) -> Ledger:
    rules = default_rules()
    return Ledger(replace(rules, caps=Caps(daily_endorsement_cap=daily, pair_cap_per_month=pair)))


def test_publication_splits_twenty_among_co_authors_by_largest_remainder():
    ledger = _ledger()

    decision = ledger.apply(_published("a1", ["zoe", "ann", "bob"]))

    assert decision.outcome is Outcome.awarded
    assert decision.deltas() == {"ann": 7, "bob": 7, "zoe": 6}
    assert decision.total == 0
    assert ledger.account_balance(ISSUANCE_ACCOUNT) == -20


def test_split_does_not_depend_on_the_order_of_the_author_list():
    assert split_evenly(10, ["c", "a", "b"]) == split_evenly(10, ["b", "c", "a"]) == {"a": 4, "b": 3, "c": 3}
    assert split_evenly(10, ["a", "a"]) == {"a": 10}


def test_endorsement_gives_ten_to_the_author_with_the_reason_and_the_source():
    ledger = _ledger()

    decision = ledger.apply(_endorsed("e1", "eve", ["ann"], answer="x1"))

    assert decision.deltas() == {"ann": 10}
    ann_posting = next(posting for posting in decision.postings if posting.contributor_id == "ann")
    assert ann_posting.reason is Reason.endorsement_received
    assert ann_posting.source_key == "endorsement:e1"
    assert decision.actor_id == "eve"


def test_nothing_for_endorsing_your_own_work_not_even_for_your_co_authors():
    ledger = _ledger()

    decision = ledger.apply(_endorsed("e1", "ann", ["ann", "bob"], article="a1"))

    assert decision.outcome is Outcome.own_work
    assert decision.postings == ()
    assert ledger.balances() == {}


def test_daily_cap_limits_endorsement_points_per_contributor_per_utc_day():
    ledger = _ledger(daily=25, pair=100)

    first_three = [ledger.apply(_endorsed(f"e{i}", f"fan{i}", ["ann"], answer=f"x{i}")) for i in range(3)]
    fourth = ledger.apply(_endorsed("e4", "fan4", ["ann"], answer="x4"))
    next_day = ledger.apply(_endorsed("e5", "fan5", ["ann"], answer="x5", at=MONDAY + timedelta(days=1)))

    assert [d.deltas().get("ann", 0) for d in first_three] == [10, 10, 5]
    assert fourth.outcome is Outcome.capped
    assert fourth.postings == ()
    assert next_day.deltas() == {"ann": 10}
    assert ledger.balance("ann") == 35


def test_pair_cap_limits_one_endorser_to_one_author_per_month():
    ledger = _ledger(daily=1000, pair=30)
    days = [MONDAY + timedelta(days=i) for i in range(4)]

    for i, day in enumerate(days):
        ledger.apply(_endorsed(f"e{i}", "eve", ["ann"], answer=f"x{i}", at=day))
    other_endorser = ledger.apply(_endorsed("e9", "max", ["ann"], answer="x9", at=days[-1]))
    next_month = ledger.apply(_endorsed("e10", "eve", ["ann"], answer="x10", at=datetime(2026, 12, 1, tzinfo=UTC)))

    assert other_endorser.deltas() == {"ann": 10}
    assert next_month.deltas() == {"ann": 10}
    assert ledger.balance("ann") == 30 + 10 + 10


def test_accepted_answers_are_exempt_from_the_daily_cap_and_the_asker_gets_a_bonus():
    ledger = _ledger(daily=10)
    ledger.apply(_endorsed("e1", "eve", ["ann"], answer="x1"))

    decision = ledger.apply(_accepted("x2", author="ann", asker="bob"))

    assert decision.deltas() == {"ann": 25, "bob": 2}
    assert {posting.reason for posting in decision.postings} == {Reason.answer_accepted, Reason.asker_bonus}
    assert ledger.balance("ann") == 35


def test_accepting_your_own_answer_earns_nothing():
    decision = _ledger().apply(_accepted("x1", author="ann", asker="ann"))

    assert decision.outcome is Outcome.own_work
    assert decision.postings == ()


def test_reuse_by_another_collective_pays_the_authors_once_per_collective():
    ledger = _ledger()

    first = ledger.apply(_reused("a1", "elsewhere", "rita", ["ann", "bob"], rid="r1"))
    again = ledger.apply(_reused("a1", "elsewhere", "rita", ["ann", "bob"], rid="r2"))

    assert first.deltas() == {"ann": 20, "bob": 20}
    assert again.outcome is Outcome.duplicate_source
    assert ledger.counters("ann").reusing_collectives == 1


def test_reuse_by_the_article_s_own_collective_or_by_an_author_earns_nothing():
    ledger = _ledger()

    own = ledger.apply(_reused("a1", "home", "rita", ["ann"], own_collectives=["home"]))
    by_author = ledger.apply(_reused("a1", "elsewhere", "ann", ["ann"]))

    assert own.outcome is Outcome.same_collective
    assert by_author.outcome is Outcome.own_work
    assert ledger.balances() == {}


def test_withdrawal_undoes_exactly_the_endorsement_and_only_once():
    ledger = _ledger(daily=15)
    ledger.apply(_endorsed("e0", "max", ["ann"], answer="x0"))
    ledger.apply(_endorsed("e1", "eve", ["ann", "bob"], article="a1"))
    before = ledger.balances()

    withdrawal = ledger.apply(_endorsed("e1", "eve", ["ann", "bob"], article="a1", withdrawn=True))
    second = ledger.apply(_endorsed("e1", "eve", ["ann", "bob"], article="a1", withdrawn=True))

    assert before == {"ann": 15, "bob": 5}
    assert withdrawal.outcome is Outcome.reversed
    assert withdrawal.deltas() == {"ann": -5, "bob": -5}
    assert all(posting.reason is Reason.endorsement_withdrawn for posting in withdrawal.postings)
    assert second.outcome is Outcome.nothing_to_reverse
    assert ledger.balances() == {"ann": 10, "bob": 0}


def test_withdrawal_before_its_endorsement_leaves_a_tombstone():
    ledger = _ledger()

    early = ledger.apply(_endorsed("e1", "eve", ["ann"], article="a1", withdrawn=True))
    late = ledger.apply(_endorsed("e1", "eve", ["ann"], article="a1"))

    assert early.outcome is Outcome.nothing_to_reverse
    assert early.closes == ("endorsement:e1",)
    assert late.outcome is Outcome.closed_source
    assert ledger.balance("ann") == 0


def test_retraction_undoes_every_point_that_came_from_the_article_and_nothing_else():
    ledger = _ledger()
    ledger.apply(_published("a1", ["ann", "bob"]))
    ledger.apply(_published("a2", ["ann"]))
    ledger.apply(_endorsed("e1", "eve", ["ann", "bob"], article="a1"))
    ledger.apply(_endorsed("e2", "eve", ["ann"], article="a2"))
    ledger.apply(_reused("a1", "elsewhere", "rita", ["ann", "bob"]))
    ledger.apply(_accepted("x1", author="ann", asker="eve"))

    retraction = ledger.apply(_event("article.retracted", article_id="a1", authors=["ann", "bob"]))

    assert retraction.outcome is Outcome.reversed
    assert retraction.deltas() == {"ann": -(10 + 5 + 20), "bob": -(10 + 5 + 20)}
    assert {posting.source_key for posting in retraction.postings} == {
        "publication:a1",
        "endorsement:e1",
        "reuse:a1:elsewhere",
    }
    assert ledger.balances() == {"ann": 20 + 10 + 25, "bob": 0, "eve": 2}
    assert retraction.themes == ("energy",)


def test_after_a_retraction_the_article_earns_nothing_and_nothing_is_undone_twice():
    ledger = _ledger()
    ledger.apply(_published("a1", ["ann"]))
    ledger.apply(_endorsed("e1", "eve", ["ann"], article="a1"))
    ledger.apply(_event("article.retracted", article_id="a1", authors=["ann"]))

    late_withdrawal = ledger.apply(_endorsed("e1", "eve", ["ann"], article="a1", withdrawn=True))
    late_endorsement = ledger.apply(_endorsed("e2", "max", ["ann"], article="a1"))
    late_reuse = ledger.apply(_reused("a1", "elsewhere", "rita", ["ann"]))

    assert late_withdrawal.outcome is Outcome.nothing_to_reverse
    assert late_endorsement.outcome is Outcome.closed_source
    assert late_reuse.outcome is Outcome.closed_source
    assert ledger.balance("ann") == 0


def test_retraction_before_publication_means_the_publication_earns_nothing():
    ledger = _ledger()

    ledger.apply(_event("article.retracted", article_id="a1", authors=["ann"]))
    late = ledger.apply(_published("a1", ["ann"]))

    assert late.outcome is Outcome.closed_source
    assert ledger.balance("ann") == 0


def test_the_same_source_under_a_new_event_id_pays_once():
    ledger = _ledger()
    publication = _published("a1", ["ann"])

    ledger.apply(publication)
    duplicate_id = ledger.apply(publication)
    republished = ledger.apply(replace(publication, event_id=uuid4()))

    assert duplicate_id is None
    assert republished.outcome is Outcome.duplicate_source
    assert ledger.balance("ann") == 20
    assert len(ledger.transactions) == 2


@pytest.mark.parametrize("event_type", ["article.revised", "question.asked", "answer.posted", "collective.updated"])
def test_events_without_points_are_ignored(event_type):
    ledger = _ledger()

    assert ledger.apply(_event(event_type, article_id="a1")) is None
    assert ledger.transactions == ()


def test_full_event_types_are_shortened_and_naive_times_refused():
    event = KnowledgeEvent(str(uuid4()), "nl.onderop.article.published.v1", MONDAY, {})

    assert event.type == "article.published"
    with pytest.raises(InvalidEvent):
        KnowledgeEvent(uuid4(), "article.published", datetime(2026, 11, 2), {})


@pytest.mark.parametrize(
    "event",
    [
        _event("article.published", authors=["ann"]),
        _event("article.published", article_id="a1", authors="ann"),
        _event("endorsement.added", endorsement_id="e1", target_type="comment", target_id="t", endorser_id="x"),
        _event("answer.accepted", answer_id="x1", author_id="ann"),
    ],
)
def test_malformed_events_are_refused(event):
    with pytest.raises(InvalidEvent):
        decide(event, _ledger(), default_rules())


def test_a_reversal_never_takes_a_balance_below_zero():
    awarded = (
        Posting("contributor:ann", 10, "ann", Reason.endorsement_received, "endorsement:e1", "a1"),
        Posting(ISSUANCE_ACCOUNT, -10, None, Reason.endorsement_received, "endorsement:e1", "a1"),
    )
    state = StateSnapshot(
        postings_by_source={"endorsement:e1": awarded}, balances={"ann": 4}, themes={"article:a1": ()}
    )

    decision = decide(_endorsed("e1", "eve", ["ann"], article="a1", withdrawn=True), state, default_rules())

    assert decision.deltas() == {"ann": -4}
    assert decision.total == 0


def test_a_snapshot_refuses_questions_it_was_not_loaded_for():
    with pytest.raises(MissingState):
        decide(_published("a1", ["ann"]), StateSnapshot(), default_rules())


def test_a_snapshot_loaded_from_reads_for_decides_like_the_ledger():
    ledger = _ledger()
    ledger.apply(_published("a1", ["ann", "bob"]))
    ledger.apply(_endorsed("e1", "eve", ["ann", "bob"], article="a1"))
    retraction = _event("article.retracted", article_id="a1", authors=["ann", "bob"])

    snapshot = StateSnapshot.from_view(ledger, reads_for(retraction))

    assert decide(retraction, snapshot, ledger.rules) == decide(retraction, ledger, ledger.rules)
    assert set(snapshot.balances) == {"ann", "bob"}


def test_counters_feed_badges():
    ledger = _ledger()
    before = ledger.counters("ann")

    ledger.apply(_published("a1", ["ann"]))
    for i in range(5):
        ledger.apply(_reused("a1", f"collective{i}", "rita", ["ann"]))

    after = ledger.counters("ann")
    assert after == Counters(articles_published=1, reusing_collectives=5)
    assert {"first_article", "reused_by_five_collectives"} <= {b.key for b in newly_earned_badges(before, after)}


def test_points_earned_by_period_and_theme():
    ledger = _ledger()
    ledger.apply(_published("a1", ["ann"], themes=("energy",)))
    ledger.apply(_published("a2", ["bob"], at=MONDAY + timedelta(days=40), themes=("care",)))
    ledger.apply(_endorsed("e1", "eve", ["ann"], article="a1", at=MONDAY + timedelta(days=1)))

    november = ledger.points_earned(datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    care = ledger.points_earned(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC), theme="care")

    assert november == {"ann": 30}
    assert care == {"bob": 20}


def test_an_answer_endorsed_before_it_is_accepted_counts_under_its_question_s_themes():
    ledger = _ledger()

    def with_themes(event: KnowledgeEvent) -> KnowledgeEvent:
        return replace(event, data=event.data | {"themes": ["food"]})  # the question's, as knowledge states them

    ledger.apply(with_themes(_endorsed("e1", "eve", ["ann"], answer="x1")))
    ledger.apply(with_themes(_endorsed("e2", "eve", ["bob"], answer="x2")))
    ledger.apply(with_themes(_endorsed("e2", "eve", ["bob"], answer="x2", withdrawn=True)))
    year = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))

    assert ledger.points_earned(*year, theme="food") == {"ann": 10}  # bob's withdrawn points leave with the theme
