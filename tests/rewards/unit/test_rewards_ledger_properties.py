from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.rewards.domain.ledger import (
    ISSUANCE_ACCOUNT,
    KnowledgeEvent,
    Ledger,
    StateSnapshot,
    decide,
    reads_for,
)
from services.rewards.domain.rules import Caps, default_rules

pytestmark = pytest.mark.unit

PEOPLE = ["ann", "bob", "cas", "dew", "eve"]
ARTICLES = ["a0", "a1", "a2"]
ANSWERS = ["x0", "x1", "x2"]
COLLECTIVES = ["k0", "k1", "k2", "k3"]
ENDORSEMENT_IDS = [f"e{i}" for i in range(12)]
START = datetime(2026, 10, 28, 8, 0, tzinfo=UTC)
TIGHT_CAPS = replace(default_rules(), caps=Caps(daily_endorsement_cap=12, pair_cap_per_month=15))
NO_CAPS = replace(default_rules(), caps=Caps(daily_endorsement_cap=10**9, pair_cap_per_month=10**9))


@st.composite
def worlds(draw):
    """Who wrote what, fixed for one example, so every event about the same thing tells the same story."""
    return {
        "authors": {a: draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True)) for a in ARTICLES},
        "home": {a: draw(st.sampled_from(COLLECTIVES)) for a in ARTICLES},
        "answerer": {x: draw(st.sampled_from(PEOPLE)) for x in ANSWERS},
        "asker": {x: draw(st.sampled_from(PEOPLE)) for x in ANSWERS},
        "endorsements": {
            f"e{i}": (draw(st.sampled_from(ARTICLES + ANSWERS)), draw(st.sampled_from(PEOPLE)))
            for i in range(len(ENDORSEMENT_IDS))
        },
    }


def _endorsement_data(world, eid):
    target, endorser = world["endorsements"][eid]
    is_article = target in ARTICLES
    credited = world["authors"][target] if is_article else [world["answerer"][target]]
    return {
        "endorsement_id": eid,
        "target_type": "article" if is_article else "answer",
        "target_id": target,
        "article_id": target if is_article else None,
        "endorser_id": endorser,
        "credited": credited,
    }


operations = st.one_of(
    st.tuples(st.just("article.published"), st.sampled_from(ARTICLES)),
    st.tuples(st.just("endorsement.added"), st.sampled_from(ENDORSEMENT_IDS)),
    st.tuples(st.just("article.retracted"), st.sampled_from(ARTICLES)),
    st.tuples(st.just("endorsement.added"), st.sampled_from(ENDORSEMENT_IDS)),
    st.tuples(st.just("endorsement.withdrawn"), st.sampled_from(ENDORSEMENT_IDS)),
    st.tuples(st.just("answer.accepted"), st.sampled_from(ANSWERS)),
    st.tuples(
        st.just("reuse.reported"), st.sampled_from(ARTICLES), st.sampled_from(COLLECTIVES), st.sampled_from(PEOPLE)
    ),
)


def _build(world, index, operation, hours) -> KnowledgeEvent:
    kind, subject = operation[0], operation[1]
    at = START + timedelta(hours=hours)
    match kind:
        case "article.published":
            data = {"article_id": subject, "authors": world["authors"][subject], "themes": ["energy"], "revision": 1}
        case "article.retracted":
            data = {"article_id": subject, "authors": world["authors"][subject]}
        case "endorsement.added" | "endorsement.withdrawn":
            data = _endorsement_data(world, subject)
        case "answer.accepted":
            data = {
                "answer_id": subject,
                "question_id": "q" + subject,
                "author_id": world["answerer"][subject],
                "asker_id": world["asker"][subject],
                "themes": ["care"],
            }
        case "reuse.reported":
            collective, reporter = operation[2], operation[3]
            data = {
                "reuse_id": f"r{index}",
                "article_id": subject,
                "collective_id": collective,
                "reporter_id": reporter,
                "credited": world["authors"][subject],
                "author_collective_ids": [world["home"][subject]],
            }
    return KnowledgeEvent(UUID(int=index + 1), kind, at, data)


@st.composite
def histories(draw, min_size=1, max_size=30):
    """Events in the order the knowledge service published them; times increase, spanning days and a month end."""
    world = draw(worlds())
    ops = draw(st.lists(operations, min_size=min_size, max_size=max_size))
    gaps = draw(st.lists(st.sampled_from([0, 0, 0, 1, 3, 24, 24 * 20]), min_size=len(ops), max_size=len(ops)))
    hours = [sum(gaps[: i + 1]) for i in range(len(ops))]
    return [_build(world, i, op, hours[i]) for i, op in enumerate(ops)]


def _replay(events, rules):
    ledger = Ledger(rules)
    for event in events:
        ledger.apply(event)
    return ledger


def _held(ledger):
    return {contributor: balance for contributor, balance in ledger.balances().items() if balance}


def _first_occurrences(delivered):
    seen, once = set(), []
    for event in delivered:
        if event.event_id not in seen:
            seen.add(event.event_id)
            once.append(event)
    return once


@settings(max_examples=150, deadline=None)
@given(history=histories(), data=st.data())
def test_duplicates_and_replays_give_the_same_balances_as_delivery_once(history, data):
    picks = data.draw(st.lists(st.integers(0, len(history) - 1), min_size=1, max_size=3 * len(history)))
    delivered = [history[i] for i in picks]
    replay_from = data.draw(st.integers(0, len(delivered)))
    delivered += delivered[replay_from:]

    with_duplicates = _replay(delivered, TIGHT_CAPS)
    once = _replay(_first_occurrences(delivered), TIGHT_CAPS)

    assert with_duplicates.balances() == once.balances()
    assert with_duplicates.transactions == once.transactions


@settings(max_examples=150, deadline=None)
@given(history=histories(), data=st.data())
def test_the_same_facts_republished_under_new_event_ids_pay_nothing_more(history, data):
    copies = data.draw(st.lists(st.integers(0, len(history) - 1), max_size=len(history)))
    republished = list(history)
    for n, original in enumerate(copies):
        position = data.draw(st.integers(original + 1, len(republished)))
        # a new event id, the same facts: the knowledge service sending the same thing twice
        republished.insert(position, replace(history[original], event_id=UUID(int=10_000 + n)))

    assert _replay(republished, TIGHT_CAPS).balances() == _replay(history, TIGHT_CAPS).balances()


@settings(max_examples=150, deadline=None)
@given(history=histories())
def test_every_transaction_sums_to_zero_and_no_balance_goes_negative(history):
    ledger = Ledger(TIGHT_CAPS)

    for event in history:
        decision = ledger.apply(event)
        assert decision.total == 0
        assert all(balance >= 0 for balance in ledger.balances().values())

    assert ledger.account_balance(ISSUANCE_ACCOUNT) == -sum(ledger.balances().values())


@settings(max_examples=150, deadline=None)
@given(history=histories())
def test_reversed_sources_end_with_nothing_credited(history):
    ledger = _replay(history, TIGHT_CAPS)
    retracted = {event.data["article_id"] for event in history if event.type == "article.retracted"}
    withdrawn = {event.data["endorsement_id"] for event in history if event.type == "endorsement.withdrawn"}

    for article in retracted:
        net = defaultdict(int)
        for posting in ledger.postings_for_article(article):
            net[posting.account] += posting.amount
        assert set(net.values()) <= {0}
    for endorsement in withdrawn:
        assert sum(p.amount for p in ledger.postings_for_source(f"endorsement:{endorsement}") if p.contributor_id) == 0


@settings(max_examples=150, deadline=None)
@given(history=histories(), order=st.randoms(use_true_random=False))
def test_without_caps_the_arrival_order_does_not_change_the_balances(history, order):
    shuffled = list(history)
    order.shuffle(shuffled)

    assert _held(_replay(shuffled, NO_CAPS)) == _held(_replay(history, NO_CAPS))


@settings(max_examples=100, deadline=None)
@given(history=histories())
def test_reads_for_names_everything_decide_asks(history):
    ledger = Ledger(TIGHT_CAPS)

    for event in history:
        snapshot = StateSnapshot.from_view(ledger, reads_for(event))
        assert decide(event, snapshot, TIGHT_CAPS) == decide(event, ledger, TIGHT_CAPS)
        ledger.apply(event)


@settings(max_examples=150, deadline=None)
@given(history=histories())
def test_endorsement_points_never_exceed_the_daily_and_the_pair_caps(history):
    per_day, per_pair = defaultdict(int), defaultdict(int)

    for transaction in _replay(history, TIGHT_CAPS).transactions:
        for posting in transaction.postings:
            if posting.reason == "endorsement_received" and posting.amount > 0:
                day = transaction.time.date()
                per_day[(posting.contributor_id, day)] += posting.amount
                per_pair[(transaction.actor_id, posting.contributor_id, day.replace(day=1))] += posting.amount

    assert all(points <= TIGHT_CAPS.caps.daily_endorsement_cap for points in per_day.values())
    assert all(points <= TIGHT_CAPS.caps.pair_cap_per_month for points in per_pair.values())


@settings(max_examples=50, deadline=None)
@given(endorsers=st.lists(st.sampled_from(PEOPLE[1:]), min_size=1, max_size=12), hours=st.integers(0, 23))
def test_a_burst_of_endorsements_for_one_author_stops_at_the_caps(endorsers, hours):
    ledger = Ledger(TIGHT_CAPS)
    at = START.replace(hour=hours)

    for i, endorser in enumerate(endorsers):
        ledger.apply(
            KnowledgeEvent(
                UUID(int=i + 1),
                "endorsement.added",
                at,
                {
                    "endorsement_id": f"e{i}",
                    "target_type": "answer",
                    "target_id": f"x{i}",
                    "endorser_id": endorser,
                    "credited": ["ann"],
                },
            )
        )

    by_endorser = defaultdict(int)
    for endorser in endorsers:
        by_endorser[endorser] += 10
    within_pair_caps = sum(min(points, TIGHT_CAPS.caps.pair_cap_per_month) for points in by_endorser.values())
    assert ledger.balance("ann") == min(within_pair_caps, TIGHT_CAPS.caps.daily_endorsement_cap)
