"""Incremental matching: keeps the `matches` table in step with collectives and instruments, in the caller's
transaction, and publishes match.found / match.lost only where eligibility flips.

Consistency between the two directions. A collective re-match reads the instruments; an instrument re-match reads
the collectives. Run concurrently without coordination, each would miss the other's change (write skew) and leave a
pair stale for good. So every instrument write takes an exclusive transaction-level advisory lock (`lock_catalogue`)
and every collective re-match takes it shared: collective re-matches run side by side, an instrument change waits for
them and they wait for it. Instrument changes are rare and take at most a few seconds, so that wait is affordable.
The same lock is what makes the process-local `InstrumentCache` safe: under the shared lock no instrument write is in
flight, so "every row with a change_seq above the one I saw" is exactly what changed since the last refresh.

Only pairs that could ever match (`could_match`) are stored, eligible or not (an instrument whose window has not
opened yet is stored as not eligible); a pair that can no longer match is deleted. Rows are written only when the
verdict changed, so `computed_at` is when the stored verdict was last changed.
"""

from __future__ import annotations

import logging
import uuid
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.funding.domain.matching import (
    CollectiveProfile,
    InstrumentProfile,
    InstrumentStatus,
    Verdict,
    verdicts_for_collective,
    verdicts_for_instrument,
)
from services.funding.models import collectives, instruments, matches
from shared.contracts.envelope import CloudEvent, make_event
from shared.contracts.funding import MatchFound, MatchLost
from shared.messaging.outbox import Outbox
from shared.observability import causation_id, correlation_id

log = logging.getLogger("onderop.funding.rematch")

CATALOGUE_LOCK = zlib.crc32(b"onderop-funding-catalogue")

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


async def lock_catalogue(session: AsyncSession, *, exclusive: bool) -> None:
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    await session.execute(text(f"SELECT {function}(:key)"), {"key": CATALOGUE_LOCK})


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

    Indexed by collective kind: an instrument aimed at other kinds can never match, so a collective is only compared
    with the instruments for its kind and those for every kind — the same verdicts, a fraction of the work.
    """

    def __init__(self) -> None:
        self.seen_seq = 0
        self.profiles: dict[uuid.UUID, tuple[int, InstrumentProfile]] = {}
        self._by_kind: dict[str, list[InstrumentProfile]] | None = None
        self._any_kind: list[InstrumentProfile] = []

    async def refresh(self, session: AsyncSession) -> int:
        """Apply every instrument change since the last refresh; how many rows were read."""
        query = select(*INSTRUMENT_COLUMNS).where(instruments.c.change_seq > self.seen_seq)
        if self.seen_seq == 0:
            query = query.where(instruments.c.status == InstrumentStatus.open.value)
        rows = (await session.execute(query)).all()
        self.apply(rows)
        return len(rows)

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
            self._by_kind = None

    def candidates(self, kind: str) -> list[InstrumentProfile]:
        if self._by_kind is None:
            by_kind: dict[str, list[InstrumentProfile]] = {}
            any_kind: list[InstrumentProfile] = []
            for _, profile in self.profiles.values():
                if not profile.collective_kinds:
                    any_kind.append(profile)
                for k in profile.collective_kinds:
                    by_kind.setdefault(str(k), []).append(profile)
            self._by_kind, self._any_kind = by_kind, any_kind
        return [*self._by_kind.get(kind, ()), *self._any_kind]

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


_UPSERT = text(
    """
    INSERT INTO funding.matches (collective_id, instrument_id, eligible, score, computed_at)
    SELECT c, i, e, s, :now
    FROM unnest(CAST(:collectives AS uuid[]), CAST(:instruments AS uuid[]), CAST(:eligible AS boolean[]),
                CAST(:scores AS smallint[])) AS t(c, i, e, s)
    ON CONFLICT (collective_id, instrument_id)
    DO UPDATE SET eligible = excluded.eligible, score = excluded.score, computed_at = excluded.computed_at
    """
)
_DELETE_FOR_COLLECTIVE = text(
    "DELETE FROM funding.matches WHERE collective_id = :owner AND instrument_id = ANY(CAST(:others AS uuid[]))"
)
_DELETE_FOR_INSTRUMENT = text(
    "DELETE FROM funding.matches WHERE instrument_id = :owner AND collective_id = ANY(CAST(:others AS uuid[]))"
)
_NEXT_SEQUENCES = text("SELECT nextval('funding.match_event_seq') FROM generate_series(1, :n)")


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
    def pair(key: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
        return (collective_id, key) if collective_id is not None else (key, instrument_id)  # type: ignore[return-value]

    if diff.upserts:
        pairs = [pair(key) for key, _ in diff.upserts]
        await session.execute(
            _UPSERT,
            {
                "now": now,
                "collectives": [c for c, _ in pairs],
                "instruments": [i for _, i in pairs],
                "eligible": [v.eligible for _, v in diff.upserts],
                "scores": [v.score for _, v in diff.upserts],
            },
        )
    if diff.removed:
        statement = _DELETE_FOR_COLLECTIVE if collective_id is not None else _DELETE_FOR_INSTRUMENT
        await session.execute(statement, {"owner": collective_id or instrument_id, "others": diff.removed})
    flips = [(MatchFound, key, v) for key, v in diff.found] + [(MatchLost, key, v) for key, v in diff.lost]
    if not flips:
        return
    sequences = list((await session.execute(_NEXT_SEQUENCES, {"n": len(flips)})).scalars())
    correlation, causation = correlation_id.get(), causation_id.get()
    events: list[CloudEvent] = []
    for (event_class, key, verdict), sequence in zip(flips, sequences, strict=True):
        c, i = pair(key)
        funder = funder_of if isinstance(funder_of, uuid.UUID) else funder_of[i]
        data = event_class(
            collective_id=c,
            instrument_id=i,
            funder_id=funder,
            eligible=verdict.eligible if verdict else False,
            score=verdict.score if verdict else 0,
            cause=cause,
            computed_at=now,
        )
        events.append(
            make_event(data, subject=f"{c}/{i}", sequence=sequence, correlationid=correlation, causationid=causation)
        )
    await outbox.add_events(session, events)


async def _existing(session: AsyncSession, owner: Any, key: Any) -> dict[uuid.UUID, tuple[bool, int]]:
    rows = await session.execute(select(key, matches.c.eligible, matches.c.score).where(owner))
    return {k: (eligible, score) for k, eligible, score in rows}


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
    candidates = cache.candidates(str(collective.kind))
    verdicts = verdicts_for_collective(collective, candidates, day)
    existing = await _existing(session, matches.c.collective_id == collective.id, matches.c.instrument_id)
    diff = diff_matches(existing, verdicts)
    funders = {i: held[1].funder_id for i, held in cache.profiles.items()}
    missing = [key for key, _ in diff.lost if key not in funders]
    if missing:  # a lost match of an instrument that closed meanwhile: its funder is no longer in the cache
        rows = await session.execute(
            select(instruments.c.id, instruments.c.funder_id).where(instruments.c.id.in_(missing))
        )
        funders |= dict(rows.all())
    now = datetime.now(UTC)
    await _write(
        session, outbox, diff, collective_id=collective.id, instrument_id=None, funder_of=funders, cause=cause, now=now
    )
    await session.execute(update(collectives).where(collectives.c.id == collective.id).values(matched_at=now))
    return RematchSummary(len(candidates), len(diff.upserts), len(diff.removed), len(diff.found), len(diff.lost))


def _collective_prefilter(profile: InstrumentProfile) -> list[Any]:
    """SQL conditions every collective that could match the instrument meets (a superset, never fewer)."""
    c = collectives.c
    conditions: list[Any] = [c.status == "active"]
    if profile.collective_kinds:
        conditions.append(c.kind.in_([str(k) for k in profile.collective_kinds]))
    if profile.legal_forms:
        conditions.append(c.legal_form.in_([str(f) for f in profile.legal_forms]))
    if profile.stages:
        conditions.append(c.stage.in_([str(s) for s in profile.stages]))
    if profile.requires_anbi:
        conditions.append(and_(c.anbi.is_(True), c.legal_form != "cooperative"))
    if profile.min_members is not None:
        conditions.append(or_(c.member_count.is_(None), c.member_count >= profile.min_members))
    if not profile.national:
        conditions.append(
            or_(
                c.municipality_code.is_(None),
                c.municipality_code.in_(sorted(profile.municipalities) or [""]),
                c.province_code.in_(sorted(profile.provinces) or [""]),
            )
        )
    return conditions


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
    if instrument.status == InstrumentStatus.open.value:
        rows = (await session.execute(select(*COLLECTIVE_COLUMNS).where(*_collective_prefilter(instrument)))).all()
        candidates = len(rows)
        verdicts = verdicts_for_instrument(instrument, (collective_profile(row) for row in rows), day)
    existing = await _existing(session, matches.c.instrument_id == instrument.id, matches.c.collective_id)
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
