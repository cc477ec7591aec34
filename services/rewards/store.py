"""Queries of rewards. Nothing here commits: the message or the request edge does, once."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg
from sqlalchemy import Column, ColumnElement, Row, Select, Table, and_, func, insert, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from services.rewards.domain.ledger import Posting, Reason, StateReads, StateSnapshot
from services.rewards.domain.levels import BadgeCounter, CounterItem, Counters
from services.rewards.domain.standing import Standing
from services.rewards.models import (
    POINTS,
    contributors,
    ledger_entries,
    ledger_transactions,
)
from shared.http import decode_cursor, encode_cursor, invalid, not_found

# --- the ingest path --------------------------------------------------------------------------------------------
#
# A batch of knowledge events costs one statement per table, whatever its size. These statements are fixed texts
# over arrays (`= ANY($1)`, `unnest(...)`), run on the session's own asyncpg connection, inside its transaction:
# asyncpg prepares each text once per connection, where SQLAlchemy would compile (and the server plan) a new
# multi-row VALUES or IN list for every batch size.

# Advisory locks in the two-int form: a class for rewards' ledger keys (so they never meet another service's or the
# relay's single-bigint locks) and a 32-bit hash of the key. A hash collision only serialises two unrelated events.
LEDGER_LOCK_CLASS = 0x52455744  # "REWD"
LOCK = text("SELECT pg_advisory_xact_lock(:cls, h) FROM unnest(CAST(:hashes AS int[])) AS t(h)")


def _lock_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big", signed=True)


async def lock_keys(session: AsyncSession, keys: Iterable[str]) -> asyncpg.Connection:
    """Serialise transactions about the same keys (a source, an article, a contributor's balance and caps) across
    consumers and replicas, and return the session's driver connection for the statements below.

    Locks are taken in ascending order (unnest yields the array in order), so two runs locking overlapping sets
    cannot deadlock. The statement always runs through the session, which also makes sure its transaction began.
    """
    hashes = sorted({_lock_hash(key) for key in keys})
    await session.execute(LOCK, {"cls": LEDGER_LOCK_CLASS, "hashes": hashes})
    raw = await (await session.connection()).get_raw_connection()
    return raw.driver_connection


def _str(value: Any) -> str | None:
    return str(value) if value is not None else None


@dataclass
class Subject:
    themes: tuple[str, ...]
    collective_id: str | None
    version: int


_POSTING = "ROW(account, amount, contributor_id, reason, source_key, article_id)"
_STANDING = (
    "ROW(contributor_id, balance, peak_balance, articles_published, answers_accepted, reusing_collectives, "
    "endorsements_received, version)"
)
# Everything a run reads, in one statement: one array per question, empty where nothing was asked.
SQL_LOAD_RUN = f"""
SELECT
 ARRAY(SELECT source_key FROM rewards.ledger_transactions WHERE claims_source AND source_key = ANY($1::text[]))
  AS known,
 ARRAY(SELECT key FROM rewards.ledger_tombstones WHERE key = ANY($2::text[])) AS closed,
 ARRAY(SELECT {_POSTING} FROM rewards.ledger_entries WHERE source_key = ANY($3::text[]) AND unit = 'points')
  AS by_source,
 ARRAY(SELECT {_POSTING} FROM rewards.ledger_entries WHERE article_id = ANY($4::uuid[]) AND unit = 'points')
  AS by_article,
 ARRAY(SELECT ROW(t.contributor_id, t.day, t.points) FROM rewards.endorsement_day_tally t
  JOIN unnest($5::uuid[], $6::date[]) AS k(c, d) ON t.contributor_id = k.c AND t.day = k.d) AS day_tally,
 ARRAY(SELECT ROW(t.endorser_id, t.author_id, t.month, t.points) FROM rewards.endorsement_pair_tally t
  JOIN unnest($7::uuid[], $8::uuid[], $9::date[]) AS k(e, a, m)
  ON t.endorser_id = k.e AND t.author_id = k.a AND t.month = k.m) AS pair_tally,
 ARRAY(SELECT ROW(key, themes, collective_id, version) FROM rewards.knowledge_subjects WHERE key = ANY($10::text[]))
  AS subjects,
 ARRAY(SELECT {_STANDING} FROM rewards.contributor_balances WHERE contributor_id = ANY($11::uuid[])) AS standings,
 ARRAY(SELECT ROW(i.contributor_id, i.counter, i.item) FROM rewards.counter_items i
  JOIN unnest($12::uuid[], $13::text[], $14::text[]) AS k(c, n, t) ON i.contributor_id = k.c AND i.counter = k.n
  AND i.item = k.t) AS counted,
 ARRAY(SELECT ROW(id, anonymous_id) FROM rewards.contributors WHERE id = ANY($11::uuid[]) AND anonymous_id IS NOT NULL)
  AS erased
"""
SQL_STANDINGS = (
    "SELECT ARRAY(SELECT " + _STANDING + " FROM rewards.contributor_balances WHERE contributor_id = ANY($1::uuid[])),"
    " ARRAY(SELECT id FROM rewards.contributors WHERE id = ANY($1::uuid[]) AND anonymous_id IS NOT NULL)"
)
SQL_COUNTED = """
SELECT i.contributor_id, i.counter, i.item FROM rewards.counter_items i
JOIN unnest($1::uuid[], $2::text[], $3::text[]) AS k(c, n, t) ON i.contributor_id = k.c AND i.counter = k.n
 AND i.item = k.t"""


def _posting(row: tuple) -> Posting:
    account, amount, contributor_id, reason, source_key, article_id = row
    return Posting(account, amount, _str(contributor_id), Reason(reason), source_key, _str(article_id))


def _standing(row: tuple) -> Standing:
    contributor_id, balance, peak, *counts, version = row
    counters = Counters(**{counter.value: count for counter, count in zip(BadgeCounter, counts, strict=True)})
    return Standing(str(contributor_id), balance, peak, counters, version)


def _standings(ids: Iterable[str], rows: Iterable[tuple]) -> dict[str, Standing]:
    standings = {contributor: Standing(contributor) for contributor in ids}
    standings.update((str(row[0]), _standing(row)) for row in rows)
    return standings


@dataclass
class Run:
    """What one run of knowledge events reads before deciding."""

    snapshot: StateSnapshot
    subjects: dict[str, Subject]
    standings: dict[str, Standing]
    counted: set[CounterItem]
    erased: dict[str, str]  # erased contributor id → the anonymous id their numbers moved to


async def load_run(
    db: asyncpg.Connection, reads: StateReads, contributor_ids: Iterable[str], items: Iterable[CounterItem] = ()
) -> Run:
    """Everything `reads` names (with the defaults of absent rows filled in), the standings of the contributors
    asked for, and which of the counter `items` were counted before; balances of contributors found only in the
    loaded postings are a second step (`load_standings`)."""
    ids = sorted(set(contributor_ids))
    days, pairs = reads.endorsement_days, reads.pair_months
    wanted = {(i.contributor_id, i.counter.value, i.item): i for i in items}
    row = await db.fetchrow(
        SQL_LOAD_RUN,
        list(reads.known),
        list(reads.closed),
        list(reads.source_postings),
        list(reads.article_postings),
        [c for c, _ in days],
        [d for _, d in days],
        [e for e, _, _ in pairs],
        [a for _, a, _ in pairs],
        [m for _, _, m in pairs],
        list(reads.themes),
        ids,
        [c for c, _, _ in wanted],
        [n for _, n, _ in wanted],
        [t for _, _, t in wanted],
    )
    by_source: dict[str, list[Posting]] = {key: [] for key in reads.source_postings}
    for posting in map(_posting, row["by_source"]):
        by_source[posting.source_key].append(posting)
    by_article: dict[str, list[Posting]] = {key: [] for key in reads.article_postings}
    for posting in map(_posting, row["by_article"]):
        by_article[posting.article_id].append(posting)
    subjects = {
        key: Subject(tuple(themes), _str(collective), version) for key, themes, collective, version in row["subjects"]
    }
    snapshot = StateSnapshot(
        known=dict.fromkeys(reads.known, False) | dict.fromkeys(row["known"], True),
        closed=dict.fromkeys(reads.closed, False) | dict.fromkeys(row["closed"], True),
        postings_by_source=by_source,
        postings_by_article=by_article,
        endorsement_points=dict.fromkeys(days, 0) | {(str(c), d): p for c, d, p in row["day_tally"]},
        pair_points=dict.fromkeys(pairs, 0) | {(str(e), str(a), m): p for e, a, m, p in row["pair_tally"]},
        themes={key: subjects[key].themes if key in subjects else () for key in reads.themes},
    )
    counted = {wanted[(str(c), n, t)] for c, n, t in row["counted"]}
    erased = {str(original): str(anonymous) for original, anonymous in row["erased"]}
    return Run(snapshot, subjects, _standings(ids, row["standings"]), counted, erased)


class ErasedMeanwhile(RuntimeError):
    """Someone in the loaded postings was erased (moved to an anonymous id) after they were read: try again."""


async def load_standings(db: asyncpg.Connection, contributor_ids: Iterable[str]) -> dict[str, Standing]:
    """Standings of everyone asked for; those without a row yet start at zero."""
    ids = sorted(set(contributor_ids))
    if not ids:
        return {}
    rows, erased = await db.fetchrow(SQL_STANDINGS, ids)
    if erased:
        raise ErasedMeanwhile(f"contributors {sorted(map(str, erased))} were erased while their postings were read")
    return _standings(ids, rows)


async def move_to_anonymous(session: AsyncSession, contributor_id: uuid.UUID) -> uuid.UUID:
    """Erasure: the contributor's ledger rows, standing, badges, counters, cap tallies and payouts move to a random
    anonymous id (made once; a second call returns the same one). The contributors row must exist."""
    fresh = uuid.uuid4()
    await lock_keys(session, [f"contributor:{contributor_id}", f"contributor:{fresh}"])
    result = await session.execute(
        text("SELECT rewards.move_to_anonymous(:original, :fresh)"), {"original": contributor_id, "fresh": fresh}
    )
    return result.scalar_one()


async def counted_items(db: asyncpg.Connection, items: Iterable[CounterItem]) -> set[CounterItem]:
    wanted = {(i.contributor_id, i.counter.value, i.item): i for i in items}
    if not wanted:
        return set()
    contributors_, counters, things = zip(*wanted, strict=True)
    rows = await db.fetch(SQL_COUNTED, list(contributors_), list(counters), list(things))
    return {wanted[(str(r["contributor_id"]), r["counter"], r["item"])] for r in rows}


SQL_INSERT_TRANSACTIONS = """
INSERT INTO rewards.ledger_transactions (id, source_event_id, source_event_type, source_key, outcome, claims_source,
 unit, rules_version, actor_id, article_id, themes, occurred_at)
SELECT i, s, st, sk, o, c, u, r, a, ar,
 CASE WHEN th = '' THEN '{}'::varchar[] ELSE string_to_array(th, ',')::varchar[] END, oc
FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::text[], $8::text[],
 $9::uuid[], $10::uuid[], $11::text[], $12::timestamptz[]) AS t(i, s, st, sk, o, c, u, r, a, ar, th, oc)"""
SQL_INSERT_ENTRIES = """
INSERT INTO rewards.ledger_entries (transaction_id, account, contributor_id, amount, unit, reason, source_key,
 article_id, occurred_at)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[],
 $8::uuid[], $9::timestamptz[])"""
SQL_INSERT_TOMBSTONES = """
INSERT INTO rewards.ledger_tombstones (key, transaction_id) SELECT * FROM unnest($1::text[], $2::uuid[])
ON CONFLICT DO NOTHING"""
SQL_ADD_DAY_TALLY = """
INSERT INTO rewards.endorsement_day_tally (contributor_id, day, points)
SELECT * FROM unnest($1::uuid[], $2::date[], $3::bigint[])
ON CONFLICT (contributor_id, day) DO UPDATE SET points = endorsement_day_tally.points + excluded.points"""
SQL_ADD_PAIR_TALLY = """
INSERT INTO rewards.endorsement_pair_tally (endorser_id, author_id, month, points)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::bigint[])
ON CONFLICT (endorser_id, author_id, month) DO UPDATE SET points = endorsement_pair_tally.points + excluded.points"""
SQL_INSERT_COUNTER_ITEMS = """
INSERT INTO rewards.counter_items (contributor_id, counter, item)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING"""
SQL_INSERT_BADGES = """
INSERT INTO rewards.contributor_badges (contributor_id, badge, source_event_id, earned_at)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[]) ON CONFLICT DO NOTHING"""
SQL_SAVE_STANDINGS = """
INSERT INTO rewards.contributor_balances (contributor_id, balance, peak_balance, level, articles_published,
 answers_accepted, reusing_collectives, endorsements_received, version)
SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[],
 $9::int[])
ON CONFLICT (contributor_id) DO UPDATE SET balance = excluded.balance, peak_balance = excluded.peak_balance,
 level = excluded.level, articles_published = excluded.articles_published,
 answers_accepted = excluded.answers_accepted, reusing_collectives = excluded.reusing_collectives,
 endorsements_received = excluded.endorsements_received, version = excluded.version, updated_at = now()"""
# An older version never replaces a newer one (out-of-order delivery).
SQL_SAVE_SUBJECTS = """
INSERT INTO rewards.knowledge_subjects (key, themes, collective_id, version)
SELECT k, CASE WHEN th = '' THEN '{}'::varchar[] ELSE string_to_array(th, ',')::varchar[] END, c, v
FROM unnest($1::text[], $2::text[], $3::uuid[], $4::int[]) AS t(k, th, c, v)
ON CONFLICT (key) DO UPDATE SET themes = excluded.themes,
 collective_id = coalesce(excluded.collective_id, knowledge_subjects.collective_id), version = excluded.version,
 updated_at = now()
WHERE knowledge_subjects.version <= excluded.version"""

# The events of a run, as one JSON array of CloudEvents in wire form (what `CloudEvent.model_dump(mode="json")`
# gives), into the kit's outbox table in array order, so the relay publishes them in the order they were decided.
SQL_INSERT_OUTBOX = """
INSERT INTO rewards.outbox (event_id, stream, type, subject, payload)
SELECT (p->>'id')::uuid, $1::text, p->>'type', p->>'subject', p
FROM jsonb_array_elements($2::text::jsonb) WITH ORDINALITY AS j(p, i) ORDER BY i"""


def columns(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Rows as one list per column: the arrays an `unnest` statement takes."""
    return [list(column) for column in zip(*rows, strict=True)]


RUN_WRITES: tuple[tuple[str, str, int], ...] = (
    ("transactions", SQL_INSERT_TRANSACTIONS, 12),
    ("entries", SQL_INSERT_ENTRIES, 9),
    ("tombstones", SQL_INSERT_TOMBSTONES, 2),
    ("day_tally", SQL_ADD_DAY_TALLY, 3),
    ("pair_tally", SQL_ADD_PAIR_TALLY, 4),
    ("counter_items", SQL_INSERT_COUNTER_ITEMS, 3),
    ("badges", SQL_INSERT_BADGES, 4),
    ("standings", SQL_SAVE_STANDINGS, 9),
    ("subjects", SQL_SAVE_SUBJECTS, 4),
    ("outbox", SQL_INSERT_OUTBOX, 2),
)


def _shifted(statement: str, offset: int) -> str:
    return re.sub(r"\$(\d+)", lambda match: f"${int(match[1]) + offset}", statement)


def _combined(writes: tuple[tuple[str, str, int], ...]) -> str:
    parts, offset = [], 0
    for name, statement, arity in writes:
        parts.append(f"write_{name} AS ({_shifted(statement.strip(), offset)})")
        offset += arity
    return "WITH " + ",\n".join(parts) + "\nSELECT 1"


# All writes of a run in one statement (data-modifying CTEs, each always run to completion): one round trip instead
# of ten. Foreign keys are checked at the end of the statement, so entries may reference transactions of the same
# statement.
SQL_WRITE_RUN = _combined(RUN_WRITES)


async def write_run(
    db: asyncpg.Connection, rows: Mapping[str, Sequence[Sequence[Any]]], outbox_stream: str, events_json: str
) -> None:
    """Rows per table (as the statements above take them), and the run's outbox events as a JSON array."""
    arguments: list[Any] = []
    for name, _, arity in RUN_WRITES:
        if name == "outbox":
            arguments += [outbox_stream, events_json]
            continue
        table_rows = rows.get(name, ())
        arguments += columns(table_rows) if table_rows else [[] for _ in range(arity)]
    await db.execute(SQL_WRITE_RUN, *arguments)


# --- reads and writes for the HTTP API --------------------------------------------------------------------------


async def insert_many(session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        await session.execute(insert(table), list(rows))


async def fetch(session: AsyncSession, table: Table, **keys: Any) -> Row | None:
    condition = and_(*(table.c[name] == value for name, value in keys.items()))
    return (await session.execute(select(table).where(condition))).first()


async def fetch_or_404(session: AsyncSession, table: Table, what: str, **keys: Any) -> Row:
    row = await fetch(session, table, **keys)
    if row is None:
        raise not_found(what, "/".join(str(v) for v in keys.values()))
    return row


def _cursor_value(column: Column, value: str) -> Any:
    kind = column.type.python_type
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    return kind(value)


async def keyset_page(
    session: AsyncSession,
    query: Select,
    keys: Sequence[ColumnElement],
    cursor: str | None,
    limit: int,
    *,
    descending: bool = False,
) -> tuple[list[Row], str | None]:
    """One page in a stable order over `keys` (the last one unique); `next_cursor` when more rows follow."""
    values = decode_cursor(cursor, len(keys))
    if values is not None:
        try:
            parsed = [_cursor_value(key, value) for key, value in zip(keys, values, strict=True)]
        except (ValueError, TypeError) as exc:
            raise invalid("cursor", "not a cursor this service issued") from exc
        position = tuple_(*keys)
        bound = tuple_(*parsed)
        query = query.where(position < bound if descending else position > bound)
    order = [key.desc() if descending else key.asc() for key in keys]
    rows = list((await session.execute(query.order_by(*order).limit(limit + 1))).all())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, key.key) for key in keys])
    return rows, next_cursor


def points_in_scope(
    start: datetime,
    end: datetime | None,
    *,
    theme: str | None = None,
    province: str | None = None,
    include_erased: bool = True,
) -> Select:
    """Net points per contributor from ledger entries in [start, end), about `theme`, of people in `province`."""
    e, c = ledger_entries, contributors
    points = func.sum(e.c.amount).label("points")
    query = (
        select(e.c.contributor_id, points)
        .select_from(e.outerjoin(c, c.c.id == e.c.contributor_id))
        .where(e.c.contributor_id.is_not(None), e.c.unit == POINTS, e.c.occurred_at >= start)
        .group_by(e.c.contributor_id)
        .having(func.sum(e.c.amount) > 0)
    )
    if end is not None:
        query = query.where(e.c.occurred_at < end)
    if theme is not None:
        t = ledger_transactions
        query = query.join(t, t.c.id == e.c.transaction_id).where(t.c.themes.contains([theme]))
    if province is not None:
        query = query.where(c.c.province_code == province)
    if not include_erased:
        query = query.where(or_(c.c.id.is_(None), c.c.erased_at.is_(None)))
    return query


async def names_of(session: AsyncSession, contributor_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Row]:
    ids = list(set(contributor_ids))
    if not ids:
        return {}
    rows = await session.execute(select(contributors).where(contributors.c.id.in_(ids)))
    return {row.id: row for row in rows}
