"""Event handlers of rewards: knowledge events → the points ledger; registry contributor events → names for views.

Which handler serves which event:

| events                                                     | handler          | effect                              |
| ---------------------------------------------------------- | ---------------- | ----------------------------------- |
| knowledge article.published/revised/retracted,             | `on_knowledge`   | ledger transactions and entries,    |
|   question.asked, answer.posted/accepted,                  |   (batch)        | balances, counters, badges, levels, |
|   endorsement.added/withdrawn, reuse.reported              |                  | cap tallies, themes read model,     |
|                                                            |                  | points/badge/level events           |
| registry contributor.registered/updated/erased             | `on_contributor` | contributors read model             |

A batch of knowledge events is decided in arrival order against one snapshot loaded for the whole batch
(`domain.batch.RunningState`), under advisory locks on every key it touches, and written with one statement per
table. Duplicates are harmless twice over: the kit's inbox skips a delivered event id, and the ledger's unique
source event id and claimed source key refuse a second award of the same thing.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import asyncpg
from pydantic import TypeAdapter
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.rewards import store
from services.rewards.domain.batch import (
    PERSON_FIELDS,
    RunningState,
    combined_reads,
    contributors_named,
    subject_themes,
)
from services.rewards.domain.ledger import (
    REUSE_REPORTED,
    Decision,
    InvalidEvent,
    KnowledgeEvent,
    Reason,
    StateReads,
    counter_candidates,
    decide,
    month_start,
    reads_for,
    utc_day,
)
from services.rewards.domain.levels import BadgeCounter, CounterItem
from services.rewards.domain.rules import Rules, default_rules
from services.rewards.domain.standing import Change, Standings
from services.rewards.models import (
    POINTS,
    contributors,
)
from shared.contracts.envelope import EVENT_TYPES, CloudEvent, EventData
from shared.contracts.knowledge import (
    AnswerAccepted,
    AnswerPosted,
    ArticlePublished,
    ArticleRetracted,
    ArticleRevised,
    EndorsementAdded,
    EndorsementWithdrawn,
    QuestionAsked,
    ReuseReported,
)
from shared.contracts.registry import ContributorErased, ContributorRegistered, ContributorUpdated
from shared.contracts.rewards import BadgeEarned, LevelReached, PointsAwarded, PointsReversed
from shared.messaging.consumer import EventConsumer, PoisonMessage, event_types
from shared.messaging.outbox import Outbox
from shared.service import Runtime

KNOWLEDGE_EVENTS = (
    ArticlePublished,
    ArticleRevised,
    ArticleRetracted,
    QuestionAsked,
    AnswerPosted,
    AnswerAccepted,
    EndorsementAdded,
    EndorsementWithdrawn,
    ReuseReported,
)
CONTRIBUTOR_EVENTS = (ContributorRegistered, ContributorUpdated, ContributorErased)


def register(consumer: EventConsumer, runtime: Runtime) -> None:
    rules = default_rules()

    @consumer.handles(*event_types(*KNOWLEDGE_EVENTS), batch=True)
    async def on_knowledge(session: AsyncSession, events: list[CloudEvent]) -> None:
        await apply_knowledge_events(session, runtime.outbox, events, rules)

    @consumer.handles(*event_types(*CONTRIBUTOR_EVENTS), batch=True)
    async def on_contributor(session: AsyncSession, events: list[CloudEvent]) -> None:
        await apply_contributor_events(session, events)


# --- knowledge → ledger -------------------------------------------------------------------------------------------


@dataclass
class _Incoming:
    cloud: CloudEvent
    event: KnowledgeEvent


def _parse(cloud_events: Iterable[CloudEvent]) -> list[_Incoming]:
    incoming: list[_Incoming] = []
    seen: set[uuid.UUID] = set()
    for cloud in cloud_events:
        # The kit's batch inbox lets the same id through twice when it sits twice in one batch.
        if cloud.id in seen:
            continue
        seen.add(cloud.id)
        payload = EVENT_TYPES[cloud.type].model_validate(cloud.data)
        try:
            event = KnowledgeEvent(cloud.id, cloud.short_type, cloud.time, payload.model_dump(mode="json"))
        except InvalidEvent as exc:
            raise PoisonMessage(str(exc)) from exc
        incoming.append(_Incoming(cloud, event))
    return incoming


def _lock_keys(reads: StateReads | None, named: Iterable[str]) -> list[str]:
    keys = [f"contributor:{c}" for c in named]
    if reads is not None:
        keys += [*reads.known, *reads.closed, *reads.source_postings]
        keys += [f"article:{article}" for article in reads.article_postings]
    return keys


def _subject_update(item: _Incoming) -> tuple[str, store.Subject] | None:
    found = subject_themes(item.event)
    if found is None:
        return None
    key, themes = found
    data = item.event.data
    version = data.get("revision") if key.startswith("article:") else item.cloud.sequence
    collective = data.get("collective_id") if key.startswith("article:") else None
    return key, store.Subject(themes, collective, int(version or 0))


def _with_author_collectives(event: KnowledgeEvent, article_collectives: dict[str, str | None]) -> KnowledgeEvent:
    """Reuse by the article's own collective earns nothing: knowledge names it as `source_collective_id`, and the
    themes read model remembers the collective the article was published under."""
    homes = {event.data.get("source_collective_id"), article_collectives.get(f"article:{event.data['article_id']}")}
    return replace(event, data={**event.data, "author_collective_ids": sorted(h for h in homes if h)})


def _asks(incoming: list[_Incoming]) -> tuple[list[StateReads | None], set[str], set[CounterItem]]:
    """What deciding these events reads, whom they may credit or debit, and which counter items they may count."""
    try:
        reads = [reads_for(item.event) for item in incoming]
    except InvalidEvent as exc:
        raise PoisonMessage(str(exc)) from exc
    named = set().union(*(contributors_named(item.event) for item in incoming))
    candidates = {counted for item in incoming for counted in counter_candidates(item.event)}
    return reads, named, candidates


def _anonymised(event: KnowledgeEvent, erased: dict[str, str]) -> KnowledgeEvent:
    """The event with every erased person it names replaced by their anonymous id."""
    data = dict(event.data)
    for name in PERSON_FIELDS:
        value = data.get(name)
        if isinstance(value, list | tuple):
            data[name] = [erased.get(str(v), v) if v is not None else None for v in value]
        elif value is not None and str(value) in erased:
            data[name] = erased[str(value)]
    return replace(event, data=data)


async def apply_knowledge_events(
    session: AsyncSession, outbox: Outbox, cloud_events: list[CloudEvent], rules: Rules
) -> list[Decision]:
    incoming = _parse(cloud_events)
    reads, named, candidates = _asks(incoming)
    db = await store.lock_keys(session, [key for r in reads for key in _lock_keys(r, ())] + _lock_keys(None, named))
    run = await store.load_run(db, combined_reads(reads), named, candidates)
    if run.erased:
        # People erased before these events arrived: their numbers live under their anonymous id, and so do these.
        for item in incoming:
            item.event = _anonymised(item.event, run.erased)
        reads, named, candidates = _asks(incoming)
        await store.lock_keys(session, [key for r in reads for key in _lock_keys(r, ())] + _lock_keys(None, named))
        run = await store.load_run(db, combined_reads(reads), named, candidates)
    snapshot, subjects, loaded = run.snapshot, run.subjects, run.standings
    in_postings = {
        posting.contributor_id
        for postings in (*snapshot.postings_by_source.values(), *snapshot.postings_by_article.values())
        for posting in postings
        if posting.contributor_id is not None
    }
    if in_postings - named:
        await store.lock_keys(session, _lock_keys(None, in_postings - named))
        loaded |= await store.load_standings(db, in_postings - named)
    state = RunningState(replace(snapshot, balances={c: s.balance for c, s in loaded.items()}))

    article_collectives = {key: subject.collective_id for key, subject in subjects.items()}
    subject_versions = {key: subject.version for key, subject in subjects.items()}
    subject_updates: dict[str, store.Subject] = {}
    decided: list[tuple[_Incoming, Decision]] = []
    for item in incoming:
        if item.event.type == REUSE_REPORTED:
            item.event = _with_author_collectives(item.event, article_collectives)
        try:
            decision = decide(item.event, state, rules)
        except InvalidEvent as exc:
            raise PoisonMessage(str(exc)) from exc
        if decision is not None:
            state.record(decision)
            decided.append((item, decision))
        update = _subject_update(item)
        if update is not None:
            key, subject = update
            if subject.version >= subject_versions.get(key, subject.version):
                subject_versions[key] = subject.version
                subject_updates[key] = subject
                state.remember_themes(key, subject.themes)
                if subject.collective_id:
                    article_collectives[key] = subject.collective_id

    counted = run.counted
    unforeseen = {i for _, d in decided for i in d.counter_items} - candidates
    if unforeseen:  # `counter_candidates` names a superset; this only guards against the two drifting apart
        counted |= await store.counted_items(db, unforeseen)
    await _write(db, session, outbox, decided, Standings(loaded, counted, rules), subject_updates)
    return [decision for _, decision in decided]


async def _write(
    db: asyncpg.Connection,
    session: AsyncSession,
    outbox: Outbox,
    decided: list[tuple[_Incoming, Decision]],
    standings: Standings,
    subject_updates: dict[str, store.Subject],
) -> None:
    transactions, entries, tombstones, items, badges, events = [], [], [], set(), [], []
    day_tally: dict[tuple, int] = defaultdict(int)
    pair_tally: dict[tuple, int] = defaultdict(int)
    levels: dict[str, str] = {}
    now = wire_time(datetime.now(UTC))
    new_id = _RandomIds()
    for item, decision in decided:
        transaction_id = new_id()
        transactions.append(
            (
                transaction_id,
                item.cloud.id,
                item.cloud.type,
                decision.source_key,
                decision.outcome.value,
                decision.claims_source,
                POINTS,
                decision.rules_version,
                decision.actor_id,
                decision.article_id,
                ",".join(decision.themes),
                decision.time,
            )
        )
        for posting in decision.postings:
            entries.append(
                (
                    transaction_id,
                    posting.account,
                    posting.contributor_id,
                    posting.amount,
                    POINTS,
                    posting.reason.value,
                    posting.source_key,
                    posting.article_id,
                    decision.time,
                )
            )
            if posting.reason == Reason.endorsement_received and posting.amount > 0 and posting.contributor_id:
                author = posting.contributor_id
                day_tally[(author, utc_day(decision.time))] += posting.amount
                if decision.actor_id is not None:
                    pair_tally[(decision.actor_id, author, month_start(decision.time))] += posting.amount
        tombstones += [(key, transaction_id) for key in decision.closes]
        items.update((i.contributor_id, i.counter.value, i.item) for i in decision.counter_items)
        for change in standings.apply(decision):
            levels[change.contributor_id] = change.level.key
            events += _events_for(change, item.cloud, decision, transaction_id, now, new_id)
            badges += [
                (change.contributor_id, badge.key, item.cloud.id, decision.time) for badge in change.badges_earned
            ]

    standing_rows = [
        (
            s.contributor_id,
            s.balance,
            s.peak_balance,
            levels[s.contributor_id],
            *(s.counters.value(counter) for counter in BadgeCounter),
            s.version,
        )
        for s in sorted(standings.touched.values(), key=lambda s: s.contributor_id)
    ]
    await store.write_run(
        db,
        {
            "transactions": transactions,
            "entries": entries,
            "tombstones": tombstones,
            "day_tally": [(*key, points) for key, points in sorted(day_tally.items())],
            "pair_tally": [(*key, points) for key, points in sorted(pair_tally.items())],
            "counter_items": sorted(items),
            "badges": badges,
            "standings": standing_rows,
            "subjects": [
                (key, ",".join(s.themes), s.collective_id, s.version) for key, s in sorted(subject_updates.items())
            ],
        },
        outbox.stream,
        json.dumps(events, separators=(",", ":")),
    )
    if events:
        await outbox.written(session)


class _RandomIds:
    """Random (version 4) UUIDs as `uuid.uuid4()` makes them, from one `os.urandom` call per 256 of them instead of
    one per id: a run makes a few hundred."""

    def __init__(self) -> None:
        self._pool, self._at = b"", 0

    def __call__(self) -> uuid.UUID:
        if self._at >= len(self._pool):
            self._pool, self._at = os.urandom(16 * 256), 0
        self._at += 16
        return uuid.UUID(bytes=self._pool[self._at - 16 : self._at], version=4)


_DATETIME = TypeAdapter(datetime)


def wire_time(moment: datetime) -> str:
    """A time as `CloudEvent.model_dump(mode="json")` writes it."""
    return _DATETIME.dump_python(moment, mode="json")


def _events_for(
    change: Change,
    cloud: CloudEvent,
    decision: Decision,
    transaction_id: uuid.UUID,
    now: str | None = None,
    new_id: Callable[[], uuid.UUID] = uuid.uuid4,
) -> list[dict[str, Any]]:
    """The events one decision causes for one contributor, as CloudEvents in wire form (what
    `CloudEvent.model_dump(mode="json")` gives) with payloads of the `shared.contracts.rewards` types (a unit test
    validates them against both): a batch publishes a few hundred, and building each through its pydantic models and
    back cost more than the rest of the batch's Python together."""
    own = [p for p in decision.postings if p.contributor_id == change.contributor_id]
    source_event_id, occurred_at = str(cloud.id), decision.time.isoformat()
    payloads: list[tuple[type[EventData], dict[str, Any]]] = []
    if change.points:
        points = {
            "transaction_id": str(transaction_id),
            "contributor_id": change.contributor_id,
            "amount": abs(change.points),
            "balance": change.after.balance,
            "reason": own[0].reason.value if own else "",
            "source_event_id": source_event_id,
            "source_event_type": cloud.type,
            "source_key": decision.source_key,
            "article_id": decision.article_id,
            "themes": list(decision.themes),
            "rules_version": decision.rules_version,
            "occurred_at": occurred_at,
        }
        if change.points > 0:
            payloads.append((PointsAwarded, points))
        else:
            payloads.append((PointsReversed, points | {"reversed_source_keys": sorted({p.source_key for p in own})}))
    for level in change.levels_reached:
        reached = {
            "contributor_id": change.contributor_id,
            "level": level.key,
            "threshold": level.threshold,
            "balance": change.after.balance,
            "label_nl": level.label_nl,
            "label_en": level.label_en,
            "source_event_id": source_event_id,
            "reached_at": occurred_at,
        }
        payloads.append((LevelReached, reached))
    for badge in change.badges_earned:
        earned = {
            "contributor_id": change.contributor_id,
            "badge": badge.key,
            "counter": badge.counter.value,
            "value": change.after.counters.value(badge.counter),
            "label_nl": badge.label_nl,
            "label_en": badge.label_en,
            "source_event_id": source_event_id,
            "earned_at": occurred_at,
        }
        payloads.append((BadgeEarned, earned))
    now = now or wire_time(datetime.now(UTC))
    return [
        {
            "specversion": "1.0",
            "id": str(new_id()),
            "source": "onderop/rewards",
            "type": event_class.event_type(),
            "subject": change.contributor_id,
            "time": now,
            "datacontenttype": "application/json",
            "correlationid": cloud.correlationid,
            "causationid": source_event_id,
            "sequence": change.after.version,
            "data": payload,
        }
        for event_class, payload in payloads
    ]


# --- registry → contributors read model -----------------------------------------------------------------------------


async def apply_contributor_events(session: AsyncSession, events: list[CloudEvent]) -> None:
    """Keep the newest state per contributor; erasure is final (nothing older or newer brings the name back), and
    moves the person's numbers to an anonymous id (`store.move_to_anonymous`)."""
    latest: dict[uuid.UUID, dict[str, Any]] = {}
    for cloud in events:
        payload = EVENT_TYPES[cloud.type].model_validate(cloud.data)
        if isinstance(payload, ContributorErased):
            row = {
                "id": payload.contributor_id,
                "display_name": None,
                "province_code": None,
                "municipality_code": None,
                "status": "erased",
                "erased_at": func.now(),
                "version": payload.version,
            }
        else:
            row = {
                "id": payload.contributor_id,
                "display_name": payload.display_name,
                "province_code": payload.province_code,
                "municipality_code": payload.municipality_code,
                "status": payload.status,
                "erased_at": None,
                "version": payload.version,
            }
        current = latest.get(payload.contributor_id)
        if current is None or (
            current["erased_at"] is None and (row["erased_at"] is not None or row["version"] > current["version"])
        ):
            latest[payload.contributor_id] = row
    for row in latest.values():
        statement = pg_insert(contributors).values(**row)
        erasing = row["erased_at"] is not None
        condition = contributors.c.erased_at.is_(None)
        if not erasing:
            condition = condition & (contributors.c.version < statement.excluded.version)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[contributors.c.id],
                set_={
                    **{name: statement.excluded[name] for name in row if name != "id"},
                    "version": func.greatest(contributors.c.version, statement.excluded.version),
                    "updated_at": func.now(),
                },
                where=condition,
            )
        )
        if erasing:
            await store.move_to_anonymous(session, row["id"])
