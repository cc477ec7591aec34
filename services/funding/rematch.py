"""Incremental matching: keeps the `matches` table in step with collectives and instruments, in the caller's
transaction, and publishes match.found / match.lost only where eligibility flips.

Consistency between the two directions. A collective re-match reads the instruments; an instrument re-match reads
the collectives. Run concurrently without coordination, each would miss the other's change (write skew) and leave a
pair stale for good. So every instrument write takes an exclusive transaction-level advisory lock (`lock_catalogue`)
and every collective re-match takes it shared: collective re-matches run side by side, an instrument change waits for
them and they wait for it. Instrument changes are rare and take at most a few seconds, so that wait is affordable.
The same lock is what makes the process-local `InstrumentCache` safe: every instrument write takes the lock before it
takes a `change_seq`, so under the shared lock no write is in flight and no smaller `change_seq` can still commit —
"every row with a change_seq above the one I saw" is exactly what changed since the last refresh.

The statements of a re-match go to asyncpg directly, on the session's own connection and so in its transaction:
SQLAlchemy's per-statement overhead (~0.3 ms) was a quarter of a collective re-match, whose budget is 20 ms.

Only pairs that could ever match (`could_match`) are stored, eligible or not (an instrument whose window has not
opened yet is stored as not eligible); a pair that can no longer match is deleted. Rows are written only when the
verdict changed, so `computed_at` is when the stored verdict was last changed.
"""

from __future__ import annotations

import contextlib
import gc
import uuid
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import asyncpg
from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.funding.domain.matching import (
    CollectiveProfile,
    InstrumentProfile,
    InstrumentStatus,
    Verdict,
    verdicts_for_collective,
    verdicts_for_instrument,
)
from services.funding.models import collectives, instruments
from shared.contracts.envelope import make_event
from shared.contracts.funding import MatchChange, MatchFound, MatchLost
from shared.http import Problem
from shared.messaging.outbox import Outbox
from shared.observability import causation_id, correlation_id

CATALOGUE_LOCK = zlib.crc32(b"onderop-funding-catalogue")
LOCK_TIMEOUT_MS = 20_000  # several times the slowest instrument change measured (bench/matching.py)

COLLECTIVE_COLUMNS = (
    collectives.c.id,
    collectives.c.kind,
    collectives.c.legal_form,
    collectives.c.stage,
    collectives.c.themes,
    collectives.c.municipality_code,
    collectives.c.province_code,
    collectives.c.anbi,
    collectives.c.kvk_number,
    collectives.c.member_count,
    collectives.c.status,
)
PROFILE_FIELDS = (
    "funder_id",
    "form",
    "status",
    "collective_kinds",
    "legal_forms",
    "stages",
    "themes",
    "national",
    "provinces",
    "municipalities",
    "requires_anbi",
    "requires_kvk",
    "min_members",
    "amount_min_cents",
    "amount_max_cents",
    "cofinancing_pct",
    "opens_on",
    "closes_on",
    "name",
)
INSTRUMENT_COLUMNS = (instruments.c.id, instruments.c.change_seq, *(instruments.c[name] for name in PROFILE_FIELDS))


def today() -> date:
    return datetime.now(UTC).date()


async def driver(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under the session: statements on it run in the session's transaction."""
    connection = await session.connection()
    return (await connection.get_raw_connection()).driver_connection


async def lock_catalogue(session: AsyncSession, *, exclusive: bool) -> None:
    """Take the catalogue lock for this transaction. The wait is bounded: a holder that never lets go (a transaction
    left open by a cancelled task, say) must cost a retry, not a handler or a request stuck for good."""
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    try:
        # One round trip (the simple protocol allows two statements); lock_timeout holds for the rest of it.
        await (await driver(session)).execute(
            f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'; SELECT {function}({CATALOGUE_LOCK})"
        )
    except asyncpg.exceptions.LockNotAvailableError as exc:
        raise Problem(
            503,
            "catalogue-busy",
            "Service busy",
            "the instrument catalogue is being changed; retry shortly",
            headers={"Retry-After": "2"},
        ) from exc


def instrument_profile(row: Any) -> InstrumentProfile:
    return InstrumentProfile(id=row.id, **{name: getattr(row, name) for name in PROFILE_FIELDS})


def collective_profile(row: Any) -> CollectiveProfile:
    return CollectiveProfile(
        id=row.id,
        kind=row.kind,
        legal_form=row.legal_form,
        stage=row.stage,
        themes=frozenset(row.themes),
        municipality_code=row.municipality_code,
        province_code=row.province_code,
        anbi=row.anbi,
        kvk_number=row.kvk_number,
        member_count=row.member_count,
        status=row.status,
    )


class InstrumentCache:
    """This process's copy of the open instruments' profiles, refreshed by `change_seq` (see the module docstring).

    Indexed by area and collective kind: an instrument for another area or other kinds can never match, so a
    collective is compared only with the national instruments and those of its province and municipality, for its
    kind or for every kind — the same verdicts as against the whole catalogue, for a fraction of the work.
    """

    def __init__(self) -> None:
        self.seen_seq = 0
        self.profiles: dict[uuid.UUID, tuple[int, InstrumentProfile]] = {}
        self._index: dict[tuple[str, str, str], list[InstrumentProfile]] | None = None

    async def refresh(self, session: AsyncSession) -> int:
        """Apply every instrument change since the last refresh; how many rows were read."""
        only_open = " AND status = 'open'" if self.seen_seq == 0 else ""
        records = await (await driver(session)).fetch(_CHANGED_INSTRUMENTS + only_open, self.seen_seq)
        self.apply(SimpleNamespace(**record) for record in records)
        return len(records)

    def apply(self, rows: Iterable[Any]) -> None:
        changed = False
        for row in rows:
            held = self.profiles.get(row.id)
            if held is not None and held[0] >= row.change_seq:
                continue  # a concurrent refresh already applied a newer version
            if row.status == InstrumentStatus.open.value:
                self.profiles[row.id] = (row.change_seq, instrument_profile(row))
            else:
                self.profiles.pop(row.id, None)
            self.seen_seq = max(self.seen_seq, row.change_seq)
            changed = True
        if changed:
            self._index = None

    def _build_index(self) -> dict[tuple[str, str, str], list[InstrumentProfile]]:
        index: dict[tuple[str, str, str], list[InstrumentProfile]] = {}
        for _, profile in self.profiles.values():
            areas = [("national", "")] if profile.national else []
            areas += [("province", code) for code in profile.provinces]
            areas += [("municipality", code) for code in profile.municipalities]
            for kind in profile.collective_kinds or ("*",):
                for scope, code in areas:
                    index.setdefault((scope, code, str(kind)), []).append(profile)
                index.setdefault(("any area", "", str(kind)), []).append(profile)
        return index

    def candidates(self, collective: CollectiveProfile) -> list[InstrumentProfile]:
        if self._index is None:
            self._index = self._build_index()
        index, kind = self._index, str(collective.kind)
        if collective.municipality_code is None:
            # Location unknown: regional instruments give `unknown`, not `unmet`, so every area stays a candidate.
            return [*index.get(("any area", "", kind), ()), *index.get(("any area", "", "*"), ())]
        found: dict[uuid.UUID, InstrumentProfile] = {}
        for scope, code in (
            ("national", ""),
            ("province", collective.province_code or ""),
            ("municipality", collective.municipality_code),
        ):
            for key in ((scope, code, kind), (scope, code, "*")):
                for profile in index.get(key, ()):
                    found[profile.id] = profile
        return list(found.values())

    def __len__(self) -> int:
        return len(self.profiles)


@dataclass
class MatchDiff:
    """What to write for one re-match: rows to upsert or delete, and the pairs whose eligibility flipped."""

    upserts: list[tuple[uuid.UUID, Verdict]] = field(default_factory=list)
    removed: list[uuid.UUID] = field(default_factory=list)
    found: list[tuple[uuid.UUID, Verdict]] = field(default_factory=list)
    lost: list[tuple[uuid.UUID, Verdict | None]] = field(default_factory=list)


def diff_matches(existing: Mapping[uuid.UUID, tuple[bool, int]], verdicts: Mapping[uuid.UUID, Verdict]) -> MatchDiff:
    """Keys are the other side of the pair (instrument ids for a collective, collective ids for an instrument)."""
    result = MatchDiff()
    for key, new in verdicts.items():
        old = existing.get(key)
        if old is None or old[0] != new.eligible or old[1] != new.score:
            result.upserts.append((key, new))
        was_eligible = old is not None and old[0]
        if new.eligible and not was_eligible:
            result.found.append((key, new))
        elif was_eligible and not new.eligible:
            result.lost.append((key, new))
    for key, (was_eligible, _) in existing.items():
        if key not in verdicts:
            result.removed.append(key)
            if was_eligible:
                result.lost.append((key, None))
    return result


@dataclass(frozen=True)
class RematchSummary:
    candidates: int
    upserted: int
    removed: int
    found: int
    lost: int


_CHANGED_INSTRUMENTS = (
    f"SELECT id, change_seq, {', '.join(PROFILE_FIELDS)} FROM funding.instruments WHERE change_seq > $1"
)
_EXISTING_FOR_COLLECTIVE = "SELECT instrument_id, eligible, score FROM funding.matches WHERE collective_id = $1"
_EXISTING_FOR_INSTRUMENT = "SELECT collective_id, eligible, score FROM funding.matches WHERE instrument_id = $1"


def _write_statement(owner: str, other: str) -> str:
    """A whole re-match's writes in one round trip, for the re-match of one collective (`owner` = "collective_id")
    or one instrument: changed verdicts upserted, pairs that can no longer match deleted, and the match events
    inserted into the outbox; `Outbox.written` wakes the relay once the transaction commits.

    $1 is the owner's id and the arrays hold the other side of each pair. Naming the owner as a constant matters:
    with pairs of arrays, the planner deleted an instrument's 50,000 lost pairs by hashing the whole matches table
    (a sequential scan of millions of rows spilling to disk); with `{owner} = $1` it reads only the owner's rows.

    The events are the outbox rows `Outbox.add_events` would write (same columns, same CloudEvent JSON), but built by
    PostgreSQL from one envelope per event type (made and validated by the contract in Python, see `_template`) and
    the few values that differ per pair: an instrument change can flip every collective, and 50,000 envelopes built,
    serialised, sent and parsed one by one cost more than the rest of the re-match together (bench/matching.py).
    Each event takes a fresh random (version 4) UUID as its id and the next `match_event_seq` as its `sequence`, in
    the order given, which is also the order of the outbox ids (the relay's publishing order).
    """
    collective, instrument = ("$1::uuid", "k") if owner == "collective_id" else ("k", "$1::uuid")
    return f"""
    WITH upserted AS (
        INSERT INTO funding.matches ({owner}, {other}, eligible, score, computed_at)
        SELECT $1, k, e, s, $5 FROM unnest($2::uuid[], $3::boolean[], $4::smallint[]) AS t(k, e, s)
        ON CONFLICT (collective_id, instrument_id)
        DO UPDATE SET eligible = excluded.eligible, score = excluded.score, computed_at = excluded.computed_at
        RETURNING 1
    ), deleted AS (
        DELETE FROM funding.matches AS m USING unnest($6::uuid[]) AS d(k)
        WHERE m.{owner} = $1 AND m.{other} = d.k
        RETURNING 1
    ), published AS (
        INSERT INTO funding.outbox (event_id, stream, type, subject, payload, created_at)
        SELECT e, $11, envelope->>'type', subject,
               envelope || jsonb_build_object(
                   'id', e,
                   'subject', subject,
                   'sequence', seq,
                   'data', (envelope->'data') || jsonb_build_object(
                       'collective_id', c, 'instrument_id', i, 'funder_id', f, 'eligible', found, 'score', score
                   )
               ),
               $5
        FROM (
            SELECT gen_random_uuid() AS e, nextval('funding.match_event_seq') AS seq, c, i, f, found, score,
                   c::text || '/' || i::text AS subject,
                   CASE WHEN found THEN $12::jsonb ELSE $13::jsonb END AS envelope
            FROM (
                SELECT {collective} AS c, {instrument} AS i, f, found, score
                FROM unnest($7::uuid[], $8::uuid[], $9::boolean[], $10::smallint[]) AS u(k, f, found, score)
            ) AS pairs
        ) AS flips
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM upserted), (SELECT count(*) FROM deleted), (SELECT count(*) FROM published)
    """


_WRITE_FOR_COLLECTIVE = _write_statement("collective_id", "instrument_id")
_WRITE_FOR_INSTRUMENT = _write_statement("instrument_id", "collective_id")


async def _write(
    session: AsyncSession,
    outbox: Outbox,
    diff: MatchDiff,
    *,
    collective_id: uuid.UUID | None,
    instrument_id: uuid.UUID | None,
    funder_of: Mapping[uuid.UUID, uuid.UUID] | uuid.UUID,
    cause: str,
    now: datetime,
) -> None:
    """Keys in `diff` are the other side of each pair (instrument ids for a collective, collective ids for an
    instrument)."""
    if not diff.upserts and not diff.removed:
        return  # nothing changed, so nothing flipped either
    flips = [(key, v.score) for key, v in diff.found] + [(key, v.score if v else 0) for key, v in diff.lost]
    if collective_id is not None:
        statement, owner = _WRITE_FOR_COLLECTIVE, collective_id
        funders = [funder_of[key] for key, _ in flips]  # type: ignore[index]

        def pair(key: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
            return collective_id, key
    else:
        assert instrument_id is not None and isinstance(funder_of, uuid.UUID)
        statement, owner, funders = _WRITE_FOR_INSTRUMENT, instrument_id, [funder_of] * len(flips)

        def pair(key: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
            return key, instrument_id

    templates: dict[type[MatchChange], str | None] = {MatchFound: None, MatchLost: None}
    for event_class, flipped, n in ((MatchFound, diff.found, 0), (MatchLost, diff.lost, len(diff.found))):
        if flipped:  # made and validated by the contract with the first pair's values
            templates[event_class] = _template(event_class, *pair(flips[n][0]), funders[n], cause, now)
    if flips:
        await outbox.written(session)
    await (await driver(session)).fetchrow(
        statement,
        owner,
        [key for key, _ in diff.upserts],
        [v.eligible for _, v in diff.upserts],
        [v.score for _, v in diff.upserts],
        now,
        diff.removed,
        [key for key, _ in flips],
        funders,
        [True] * len(diff.found) + [False] * len(diff.lost),
        [score for _, score in flips],
        outbox.stream,
        templates[MatchFound],
        templates[MatchLost],
    )


def _template(
    event_class: type[MatchChange],
    collective_id: uuid.UUID,
    instrument_id: uuid.UUID,
    funder_id: uuid.UUID,
    cause: str,
    now: datetime,
) -> str:
    """The CloudEvent of one flip as the contract makes it, as JSON: `_WRITE` copies it per pair, replacing `id`,
    `subject`, `sequence` and the pair's own values in `data`."""
    data = event_class(
        collective_id=collective_id,
        instrument_id=instrument_id,
        funder_id=funder_id,
        eligible=event_class is MatchFound,
        score=0,
        cause=cause,
        computed_at=now,
    )
    envelope = make_event(data, correlationid=correlation_id.get(), causationid=causation_id.get())
    return envelope.model_dump_json()


async def _existing(session: AsyncSession, query: str, owner: uuid.UUID) -> dict[uuid.UUID, tuple[bool, int]]:
    records = await (await driver(session)).fetch(query, owner)
    return {key: (eligible, score) for key, eligible, score in records}


async def rematch_collective(
    session: AsyncSession,
    outbox: Outbox,
    cache: InstrumentCache,
    collective: CollectiveProfile,
    *,
    cause: str = "collective_changed",
    on: date | None = None,
) -> RematchSummary:
    """Re-match one collective (as it now stands in the read model) against every open instrument."""
    await lock_catalogue(session, exclusive=False)
    await cache.refresh(session)
    day = on or today()
    candidates = cache.candidates(collective)
    verdicts = verdicts_for_collective(collective, candidates, day)
    existing = await _existing(session, _EXISTING_FOR_COLLECTIVE, collective.id)
    diff = diff_matches(existing, verdicts)
    flipped = [key for key, _ in diff.found] + [key for key, _ in diff.lost]
    funders = {key: cache.profiles[key][1].funder_id for key in flipped if key in cache.profiles}
    missing = [key for key in flipped if key not in funders]
    if missing:  # a lost match of an instrument that closed meanwhile: its funder is no longer in the cache
        rows = await session.execute(
            select(instruments.c.id, instruments.c.funder_id).where(instruments.c.id.in_(missing))
        )
        funders |= dict(rows.all())
    now = datetime.now(UTC)
    await _write(
        session, outbox, diff, collective_id=collective.id, instrument_id=None, funder_of=funders, cause=cause, now=now
    )
    return RematchSummary(len(candidates), len(diff.upserts), len(diff.removed), len(diff.found), len(diff.lost))


def _collectives_that_could_match(profile: InstrumentProfile) -> tuple[str, list[Any]]:
    """SQL for the active collectives the instrument could match: a superset (the domain decides), never fewer."""
    conditions, args = ["status = 'active'"], []

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    if profile.collective_kinds:
        conditions.append(f"kind = ANY({arg(sorted(map(str, profile.collective_kinds)))}::text[])")
    if profile.legal_forms:
        conditions.append(f"legal_form = ANY({arg(sorted(map(str, profile.legal_forms)))}::text[])")
    if profile.stages:
        conditions.append(f"stage = ANY({arg(sorted(map(str, profile.stages)))}::text[])")
    if profile.requires_anbi:
        conditions.append("anbi AND legal_form <> 'cooperative'")
    if profile.min_members is not None:
        conditions.append(f"(member_count IS NULL OR member_count >= {arg(profile.min_members)})")
    if not profile.national:
        municipalities, provinces = arg(sorted(profile.municipalities)), arg(sorted(profile.provinces))
        conditions.append(
            f"(municipality_code IS NULL OR municipality_code = ANY({municipalities}::text[])"
            f" OR province_code = ANY({provinces}::text[]))"
        )
    columns = ", ".join(column.name for column in COLLECTIVE_COLUMNS)
    return f"SELECT {columns} FROM funding.collectives WHERE {' AND '.join(conditions)}", args


def _profiles(records: Iterable[Any]) -> Iterable[CollectiveProfile]:
    for r in records:
        yield CollectiveProfile(
            id=r["id"],
            kind=r["kind"],
            legal_form=r["legal_form"],
            stage=r["stage"],
            themes=frozenset(r["themes"]),
            municipality_code=r["municipality_code"],
            province_code=r["province_code"],
            anbi=r["anbi"],
            kvk_number=r["kvk_number"],
            member_count=r["member_count"],
            status=r["status"],
        )


_collector_pauses = 0
_collector_was_enabled = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while an instrument re-match builds and drops hundreds of thousands of
    objects (records, profiles, verdicts, diff entries, parameter arrays) that reference counting frees anyway.

    Each of those allocations counts towards the collector's thresholds, and every collection it triggers walks the
    growing set of survivors: measured (bench/matching.py, worst case), 0.5–0.9 s of a 3 s re-match, and a diff of
    50,000 pairs took 80 ms with the collector on and 9 ms with it off. The pause spans the re-match's awaits, so the
    process's other tasks run without cyclic collection for as long (seconds at most); nested pauses are counted.
    """
    global _collector_pauses, _collector_was_enabled
    if _collector_pauses == 0:
        _collector_was_enabled = gc.isenabled()
        gc.disable()
    _collector_pauses += 1
    try:
        yield
    finally:
        _collector_pauses -= 1
        if _collector_pauses == 0 and _collector_was_enabled:
            gc.enable()


async def rematch_instrument(
    session: AsyncSession,
    outbox: Outbox,
    instrument: InstrumentProfile,
    *,
    cause: str = "instrument_changed",
    on: date | None = None,
) -> RematchSummary:
    """Re-match one instrument (as it now stands, in this transaction) against every collective."""
    await lock_catalogue(session, exclusive=True)
    day = on or today()
    verdicts: dict[uuid.UUID, Verdict] = {}
    candidates = 0
    with collector_paused():
        if instrument.status == InstrumentStatus.open.value:
            query, args = _collectives_that_could_match(instrument)
            records = await (await driver(session)).fetch(query, *args)
            candidates = len(records)
            verdicts = verdicts_for_instrument(instrument, _profiles(records), day)
        existing = await _existing(session, _EXISTING_FOR_INSTRUMENT, instrument.id)
        diff = diff_matches(existing, verdicts)
        await _write(
            session,
            outbox,
            diff,
            collective_id=None,
            instrument_id=instrument.id,
            funder_of=instrument.funder_id,
            cause=cause,
            now=datetime.now(UTC),
        )
    await session.execute(update(instruments).where(instruments.c.id == instrument.id).values(matched_on=day))
    return RematchSummary(candidates, len(diff.upserts), len(diff.removed), len(diff.found), len(diff.lost))


async def sweep_windows(session: AsyncSession, outbox: Outbox, on: date | None = None) -> int:
    """Re-match the open instruments whose window opened or closed since they were last matched."""
    day = on or today()
    await lock_catalogue(session, exclusive=True)
    i = instruments.c
    crossed = or_(
        and_(i.opens_on.is_not(None), i.opens_on > i.matched_on, i.opens_on <= day),
        and_(i.closes_on.is_not(None), i.closes_on >= i.matched_on, i.closes_on < day),
    )
    query = select(*INSTRUMENT_COLUMNS).where(i.status == "open", i.matched_on < day, crossed)
    rows = (await session.execute(query)).all()
    for row in rows:
        await rematch_instrument(session, outbox, instrument_profile(row), cause="window", on=day)
    return len(rows)
