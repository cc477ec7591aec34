from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.rewards.domain.batch import RunningState, combined_reads, contributors_named, subject_themes
from services.rewards.domain.ledger import (
    InvalidEvent,
    KnowledgeEvent,
    Ledger,
    MissingState,
    Outcome,
    StateReads,
    StateSnapshot,
    decide,
    reads_for,
)
from tests.rewards.unit.test_rewards_ledger_properties import TIGHT_CAPS, histories

pytestmark = pytest.mark.unit

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _snapshot_for_run(ledger: Ledger, run: list[KnowledgeEvent]) -> StateSnapshot:
    """What the PostgreSQL store loads for a run: the combined reads, and balances of everyone who may move."""
    snapshot = StateSnapshot.from_view(ledger, combined_reads(reads_for(event) for event in run))
    named = set(snapshot.balances).union(*(contributors_named(event) for event in run))
    return replace(snapshot, balances={contributor: ledger.balance(contributor) for contributor in named})


def _decide_run(ledger: Ledger, run: list[KnowledgeEvent]):
    state = RunningState(_snapshot_for_run(ledger, run))
    decisions = []
    for event in run:
        decision = decide(event, state, TIGHT_CAPS)
        if decision is not None:
            state.record(decision)
        themes = subject_themes(event)
        if themes is not None:
            state.remember_themes(*themes)
        decisions.append(decision)
    return decisions


@settings(max_examples=150, deadline=None)
@given(history=histories(max_size=40), cuts=st.lists(st.integers(1, 12), min_size=1, max_size=40))
def test_deciding_runs_on_one_snapshot_equals_deciding_one_by_one(history, cuts):
    one_by_one = Ledger(TIGHT_CAPS)
    expected = [one_by_one.apply(event) for event in history]

    reference = Ledger(TIGHT_CAPS)
    decided = []
    position = 0
    for size in cuts * (len(history) // len(cuts) + 1):
        run = history[position : position + size]
        if not run:
            break
        decided += _decide_run(reference, run)
        for event in run:
            reference.apply(event)
        position += size

    assert decided == expected


def test_a_reversal_in_the_same_run_as_its_award_undoes_it():
    ann, eve = str(uuid4()), str(uuid4())
    award = KnowledgeEvent(
        uuid4(),
        "endorsement.added",
        MONDAY,
        {"endorsement_id": "e1", "target_type": "answer", "target_id": "x1", "endorser_id": eve, "credited": [ann]},
    )
    withdrawal = replace(award, event_id=uuid4(), type="endorsement.withdrawn")

    decisions = _decide_run(Ledger(TIGHT_CAPS), [award, withdrawal])

    assert decisions[0].deltas() == {ann: 10}
    assert decisions[1].outcome is Outcome.reversed
    assert decisions[1].deltas() == {ann: -10}


def test_combined_reads_keep_each_key_once_in_first_seen_order():
    merged = combined_reads([StateReads(known=("a", "b")), None, StateReads(known=("b", "c"), closed=("x",))])

    assert merged.known == ("a", "b", "c")
    assert merged.closed == ("x",)


def test_a_running_state_refuses_what_was_not_loaded():
    state = RunningState(StateSnapshot(known={"publication:a1": False}))

    assert state.is_known("publication:a1") is False
    with pytest.raises(MissingState):
        state.is_known("publication:a2")
    with pytest.raises(MissingState):
        state.balance("ann")


def test_everyone_an_event_names_is_found():
    event = KnowledgeEvent(
        uuid4(),
        "answer.accepted",
        MONDAY,
        {"answer_id": "x1", "author_id": "ann", "asker_id": None, "credited": ["bob", "cas"]},
    )

    assert contributors_named(event) == {"ann", "bob", "cas"}


def test_an_accepted_answer_whose_asker_erased_themself_still_pays_the_author():
    event = KnowledgeEvent(
        uuid4(), "answer.accepted", MONDAY, {"answer_id": "x1", "author_id": "ann", "asker_id": None}
    )

    decision = Ledger(TIGHT_CAPS).apply(event)

    assert decision.outcome is Outcome.awarded
    assert decision.deltas() == {"ann": 25}


def test_an_accepted_answer_whose_author_erased_themself_pays_nobody():
    event = KnowledgeEvent(
        uuid4(), "answer.accepted", MONDAY, {"answer_id": "x1", "author_id": None, "asker_id": "bob"}
    )

    decision = Ledger(TIGHT_CAPS).apply(event)

    assert decision.outcome is Outcome.no_one_credited
    assert decision.postings == ()


def test_a_withdrawal_by_an_erased_endorser_still_undoes_the_points():
    ledger = Ledger(TIGHT_CAPS)
    data = {
        "endorsement_id": "e1",
        "target_type": "answer",
        "target_id": "x1",
        "endorser_id": "eve",
        "credited": ["ann"],
    }
    ledger.apply(KnowledgeEvent(uuid4(), "endorsement.added", MONDAY, data))

    withdrawal = ledger.apply(
        KnowledgeEvent(uuid4(), "endorsement.withdrawn", MONDAY, {**data, "endorser_id": None, "credited": []})
    )

    assert withdrawal.deltas() == {"ann": -10}
    assert withdrawal.actor_id is None


def test_a_new_endorsement_without_its_endorser_is_refused():
    data = {"endorsement_id": "e1", "target_type": "answer", "target_id": "x1", "endorser_id": None, "credited": ["a"]}

    with pytest.raises(InvalidEvent):
        Ledger(TIGHT_CAPS).apply(KnowledgeEvent(uuid4(), "endorsement.added", MONDAY, data))
