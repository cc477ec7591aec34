import uuid
from datetime import UTC, datetime

import pytest

import shared.contracts.rewards  # noqa: F401 - registers the rewards event types
from services.rewards.consumers import _events_for
from services.rewards.domain.ledger import KnowledgeEvent, Ledger
from services.rewards.domain.rules import default_rules
from services.rewards.domain.standing import Standing, Standings
from shared.contracts.envelope import EVENT_TYPES, CloudEvent, make_event
from shared.contracts.knowledge import ArticlePublished, ArticleRetracted

pytestmark = pytest.mark.unit

RULES = default_rules()
MONDAY = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _article(article_id: uuid.UUID, authors: list[uuid.UUID]) -> dict:
    return {
        "article_id": article_id,
        "slug": "s",
        "title": "t",
        "summary": "",
        "kind": "guide",
        "themes": ["energy"],
        "language": "nl",
        "license": "CC-BY-4.0",
        "authors": authors,
        "status": "published",
        "revision": 1,
    }


def _through_the_rules(ledger: Ledger, standings: Standings, cloud: CloudEvent) -> list[CloudEvent]:
    decision = ledger.apply(KnowledgeEvent(cloud.id, cloud.type, cloud.time, cloud.data))
    rows = [row for change in standings.apply(decision) for row in _events_for(change, cloud, decision, uuid.uuid4())]
    events = [CloudEvent.model_validate(row) for row in rows]
    # The rows are the wire form the outbox stores: exactly what the validated event dumps to.
    assert [event.model_dump(mode="json") for event in events] == rows
    return events


def test_the_events_a_decision_causes_are_valid_contract_events_without_names():
    ann, bob, article = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ledger = Ledger(RULES)
    standings = Standings({str(ann): Standing(str(ann), balance=40, peak_balance=40, version=3)}, (), RULES)
    published = make_event(ArticlePublished(**_article(article, [ann, bob])), subject=article, sequence=1)
    published = published.model_copy(update={"time": MONDAY, "correlationid": "req-1"})

    awarded = _through_the_rules(ledger, standings, published)
    retraction = make_event(ArticleRetracted(**_article(article, [ann, bob])), subject=article, sequence=2)
    reversed_ = _through_the_rules(ledger, standings, retraction)

    types = sorted(e.type.removeprefix("nl.onderop.rewards.") for e in awarded)
    assert types == ["badge.earned.v1", "badge.earned.v1", "level.reached.v1", "points.awarded.v1", "points.awarded.v1"]
    for event in awarded + reversed_:
        payload = EVENT_TYPES[event.type].model_validate(event.data)
        assert CloudEvent.model_validate(event.model_dump(mode="json")).id == event.id
        assert event.subject == str(payload.contributor_id)
        assert event.causationid in {str(published.id), str(retraction.id)}
        assert not {"display_name", "name", "email"} & set(event.data)
    ann_award = next(e for e in awarded if e.type.endswith("points.awarded.v1") and e.subject == str(ann))
    assert ann_award.sequence == 4
    assert ann_award.correlationid == "req-1"
    assert ann_award.data["amount"] == 10
    assert ann_award.data["balance"] == 50
    assert ann_award.data["source_event_id"] == str(published.id)
    assert {e.data["reason"] for e in reversed_} == {"article_retracted"}
    assert {e.data["amount"] for e in reversed_} == {10}
    assert reversed_[0].data["reversed_source_keys"] == [f"publication:{article}"]
