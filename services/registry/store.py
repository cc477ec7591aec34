"""Queries of the registry. Nothing here commits: the route's unit of work does, once."""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
from pydantic_core import to_jsonable_python
from sqlalchemy import (
    Column,
    ColumnElement,
    Row,
    Select,
    Table,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.registry.domain.goals import CollectiveFigures
from services.registry.domain.impact import ReportedFigures
from services.registry.models import (
    ACCENTED,
    PLAIN,
    collective_history,
    collectives,
    contributors,
    impact_reports,
    memberships,
    platform,
    umbrellas,
)
from shared.contracts.envelope import CloudEvent
from shared.http import Problem, conflict, decode_cursor, encode_cursor, invalid, not_found
from shared.messaging.outbox import Outbox

PRIVATE_FIELDS = frozenset({"contact_email", "email"})

# --- generic helpers ------------------------------------------------------------------------------------------


def stored(table: Table) -> list[Column]:
    """The table's columns without the computed ones (the search vector), which no response needs."""
    return [column for column in table.c if column.computed is None]


async def fetch(session: AsyncSession, table: Table, **keys: Any) -> Row | None:
    condition = and_(*(table.c[name] == value for name, value in keys.items()))
    return (await session.execute(select(*stored(table)).where(condition))).first()


async def fetch_or_404(session: AsyncSession, table: Table, what: str, **keys: Any) -> Row:
    row = await fetch(session, table, **keys)
    if row is None:
        raise not_found(what, "/".join(str(v) for v in keys.values()))
    return row


async def insert_row(session: AsyncSession, table: Table, values: Mapping[str, Any]) -> Row:
    return (await session.execute(insert(table).values(**values).returning(*stored(table)))).one()


async def update_where(
    session: AsyncSession, table: Table, condition: ColumnElement[bool], values: Mapping[str, Any]
) -> Row | None:
    """A guarded change: the row comes back only when `condition` still held (version, status), else None."""
    statement = (
        update(table)
        .where(condition)
        .values(**values, version=table.c.version + 1, updated_at=func.now())
        .returning(*stored(table))
    )
    return (await session.execute(statement)).first()


def changed_fields(row: Row, proposed: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """field → (old, new) for every proposed value that differs from the row."""
    changes = {}
    for name, new in proposed.items():
        old = getattr(row, name)
        if to_jsonable_python(old) != to_jsonable_python(new):
            changes[name] = (old, new)
    return changes


def stale(what: str) -> Problem:
    """For a change that lost a race after its If-Match check passed."""
    return Problem(412, "stale-version", "Precondition failed", f"{what} changed meanwhile; read it again")


def constraint_of(error: Exception) -> str:
    """The violated constraint of a SQLAlchemy IntegrityError or of asyncpg's own error."""
    cause = getattr(getattr(error, "orig", None), "__cause__", None) or error
    return getattr(cause, "constraint_name", None) or str(error)


def translate_integrity_error(error: Exception, problems: Mapping[str, Problem]) -> Problem:
    """The client-facing problem for a unique or foreign-key violation; re-raises anything unexpected."""
    name = constraint_of(error)
    for constraint, problem in problems.items():
        if constraint in name:
            return problem
    raise error


# --- pagination -----------------------------------------------------------------------------------------------


def _int32(text: str) -> int:
    value = int(text)
    if not -(2**31) <= value < 2**31:
        raise ValueError("out of range")
    return value


def _text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL character")
    return value


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("no time zone")
    return moment.astimezone(UTC)


def _cursor_parser(column: Column) -> Callable[[str], Any]:
    kind = column.type.python_type
    return {datetime: _moment, int: _int32, str: _text}.get(kind, kind)


def _after(keys: Sequence[Column], cursor: str | None, descending: bool) -> ColumnElement[bool] | None:
    values = decode_cursor(cursor, len(keys))
    if values is None:
        return None
    try:
        parsed = [_cursor_parser(key)(value) for key, value in zip(keys, values, strict=True)]
    except (ValueError, OverflowError) as exc:
        raise invalid("cursor", "not a cursor this service issued") from exc
    position = tuple_(*keys)
    return position < tuple_(*parsed) if descending else position > tuple_(*parsed)


async def keyset_page(
    session: AsyncSession,
    query: Select,
    keys: Sequence[Column],
    cursor: str | None,
    limit: int,
    *,
    descending: bool = False,
) -> tuple[list[Row], str | None]:
    """One page in the stable order of `keys` (the last one unique), and the cursor of the next page."""
    after = _after(keys, cursor, descending)
    if after is not None:
        query = query.where(after)
    query = query.order_by(*(key.desc() if descending else key for key in keys)).limit(limit + 1)
    rows = list((await session.execute(query)).all())
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor([rows[-1]._mapping[key] for key in keys])


# --- collectives ----------------------------------------------------------------------------------------------


def slugify(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.replace("ı", "i")).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:100] or "collectief"


async def insert_collective(session: AsyncSession, values: dict[str, Any]) -> Row:
    """Insert with the plain slug of the name, or with a suffix when another collective has that slug already."""
    slug = values["slug"]
    for candidate in (slug, f"{slug}-{values['id'].hex[:6]}"):
        statement = (
            pg_insert(collectives)
            .values(**(values | {"slug": candidate}))
            .on_conflict_do_nothing(index_elements=[collectives.c.slug])
            .returning(*stored(collectives))
        )
        row = (await session.execute(statement)).first()
        if row is not None:
            return row
    raise conflict("slug-taken", "a collective with a very similar name was registered at the same moment; retry")


@asynccontextmanager
async def driver_connection(engine: AsyncEngine) -> AsyncIterator[asyncpg.Connection]:
    """asyncpg's own connection from the service's pool, for a statement that is a transaction by itself."""
    async with engine.connect() as connection:
        pooled = await connection.get_raw_connection()
        try:
            yield pooled.driver_connection
        except asyncpg.PostgresError:
            raise  # the statement failed on the server (a constraint, say); the connection is fine
        except BaseException:
            # Cancelled or broken in the middle of a statement SQLAlchemy did not see: never hand it out again.
            await connection.invalidate()
            raise


def _sql_type(column: Column) -> str:
    # Without the length: a cast to varchar(n) would cut a value short silently, the column itself refuses it.
    return re.sub(r"\(\d+\)", "", column.type.compile(dialect=postgresql.dialect()))


_REGISTERED = [c for c in stored(collectives) if c.name not in ("created_at", "updated_at")]
_RETURNED = ", ".join(c.name for c in stored(collectives))


def _register_statement() -> str:
    """One statement that registers a collective with everything it implies, or does nothing at all.

    It inserts nothing (and returns no row) when the founder is not an active contributor, an umbrella is unknown or
    the slug is taken; the caller then takes the step-by-step path, which says which. A statement is atomic by
    itself, so this needs no explicit transaction: one round trip instead of eight.
    """
    n = len(_REGISTERED)
    umbrella_ids = f"${[c.name for c in _REGISTERED].index('umbrella_ids') + 1}::uuid[]"
    founder, actor, capacity, changes, stream = (f"${n + i}" for i in range(1, 6))
    event_ids, types, subjects, payloads = (f"${n + i}" for i in range(6, 10))
    values = ", ".join(f"${i}::{_sql_type(c)}" for i, c in enumerate(_REGISTERED, start=1))
    # Only column names and numbered placeholders are formatted in; every value travels as a parameter.
    return f"""
    WITH founder AS (
        SELECT id FROM {contributors.fullname} WHERE id = {founder}::uuid AND status = 'active'
    ), collective AS (
        INSERT INTO {collectives.fullname} ({", ".join(c.name for c in _REGISTERED)})
        SELECT {values}
        WHERE ({founder}::uuid IS NULL OR EXISTS (SELECT FROM founder))
          AND (SELECT count(*) FROM {umbrellas.fullname} WHERE id = ANY({umbrella_ids})) = cardinality({umbrella_ids})
        ON CONFLICT (slug) DO NOTHING
        RETURNING {_RETURNED}
    ), membership AS (
        INSERT INTO {memberships.fullname} (collective_id, contributor_id, role)
        SELECT collective.id, founder.id, 'coordinator' FROM collective, founder
    ), history AS (
        INSERT INTO {collective_history.fullname} (collective_id, version, action, actor, actor_role, changes)
        SELECT id, version, 'registered', {actor}::text, {capacity}::text, {changes}::jsonb FROM collective
    ), events AS (
        INSERT INTO {platform.outbox.fullname} (event_id, stream, type, subject, payload)
        SELECT e.event_id, {stream}::text, e.type, e.subject, e.payload FROM collective,
            unnest({event_ids}::uuid[], {types}::text[], {subjects}::text[], {payloads}::jsonb[])
            AS e(event_id, type, subject, payload)
    )
    SELECT collective.* FROM collective
    """


REGISTER_STATEMENT = _register_statement()


async def register_in_one_statement(
    conn: asyncpg.Connection,
    outbox: Outbox,
    values: Mapping[str, Any],
    founder: uuid.UUID | None,
    history: Mapping[str, Any],
    events: Sequence[CloudEvent],
) -> asyncpg.Record | None:
    return await conn.fetchrow(
        REGISTER_STATEMENT,
        *(values[c.name] for c in _REGISTERED),
        founder,
        history["actor"],
        history["actor_role"],
        json.dumps(history["changes"]),
        outbox.stream,
        [e.id for e in events],
        [e.type for e in events],
        [e.subject for e in events],
        [e.model_dump_json() for e in events],
    )


async def missing_umbrellas(session: AsyncSession, umbrella_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    if not umbrella_ids:
        return []
    found = set((await session.execute(select(umbrellas.c.id).where(umbrellas.c.id.in_(umbrella_ids)))).scalars())
    return [i for i in umbrella_ids if i not in found]


def fold_accents(text: str) -> str:
    return text.translate(str.maketrans(ACCENTED, PLAIN))


def text_search(q: str) -> ColumnElement[bool]:
    """Full text (Dutch stemming, name weighted over description) or a part of the name, accents folded."""
    folded = fold_accents(q)
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", folded) + "%"
    folded_name = func.translate(collectives.c.name, ACCENTED, PLAIN)
    return or_(
        collectives.c.search.op("@@")(func.websearch_to_tsquery("dutch", folded)),
        folded_name.ilike(pattern),
    )


def collective_filters(
    *,
    kind: str | None = None,
    stage: str | None = None,
    province: str | None = None,
    municipality: str | None = None,
    theme: str | None = None,
    umbrella: uuid.UUID | None = None,
    status: str | None = None,
    q: str | None = None,
) -> list[ColumnElement[bool]]:
    c = collectives.c
    conditions = [
        c.kind == kind if kind else None,
        c.stage == stage if stage else None,
        c.province_code == province if province else None,
        c.municipality_code == municipality if municipality else None,
        c.themes.contains([theme]) if theme else None,
        c.umbrella_ids.contains([umbrella]) if umbrella else None,
        c.status == status if status else None,
        text_search(q) if q else None,
    ]
    return [condition for condition in conditions if condition is not None]


def history_entry(
    row: Row, action: str, actor: tuple[str, str], changes: Mapping[str, tuple[Any, Any]]
) -> dict[str, Any]:
    """One version of a collective: who (sub, capacity) changed which fields from what to what; private values are
    not kept, only that they changed."""
    entries = [
        {"field": name, "redacted": True}
        if name in PRIVATE_FIELDS
        else {"field": name, "from": to_jsonable_python(old), "to": to_jsonable_python(new)}
        for name, (old, new) in changes.items()
    ]
    return {
        "collective_id": row.id,
        "version": row.version,
        "action": action,
        "actor": actor[0],
        "actor_role": actor[1],
        "changes": entries,
    }


async def record_history(
    session: AsyncSession, row: Row, action: str, actor: tuple[str, str], changes: Mapping[str, tuple[Any, Any]]
) -> None:
    await session.execute(insert(collective_history).values(**history_entry(row, action, actor, changes)))


def initial_values(row: Row, fields: Sequence[str]) -> dict[str, tuple[None, Any]]:
    return {name: (None, getattr(row, name)) for name in fields if getattr(row, name) not in (None, "", [], False)}


# --- people ---------------------------------------------------------------------------------------------------


async def is_active_contributor(session: AsyncSession, contributor_id: uuid.UUID) -> bool:
    row = await fetch(session, contributors, id=contributor_id)
    return row is not None and row.status == "active"


async def memberships_of_person(session: AsyncSession, contributor_id: uuid.UUID) -> list[Row]:
    query = (
        select(memberships.c.collective_id, collectives.c.name.label("collective_name"), memberships.c.role)
        .join(collectives, collectives.c.id == memberships.c.collective_id)
        .where(memberships.c.contributor_id == contributor_id, memberships.c.status == "active")
        .order_by(collectives.c.name)
    )
    return list((await session.execute(query)).all())


async def upsert_membership(session: AsyncSession, collective_id: uuid.UUID, contributor_id: uuid.UUID, role: str):
    """(row, created): a new membership, a role change, a return after removal, or None when nothing changed."""
    values = {"collective_id": collective_id, "contributor_id": contributor_id, "role": role}
    statement = pg_insert(memberships).values(**values).on_conflict_do_nothing().returning(*stored(memberships))
    inserted = (await session.execute(statement)).first()
    if inserted is not None:
        return inserted, True
    existing = await fetch(session, memberships, collective_id=collective_id, contributor_id=contributor_id)
    if existing.status == "active" and existing.role == role:
        return None, False
    key = (memberships.c.collective_id == collective_id) & (memberships.c.contributor_id == contributor_id)
    current = key & (memberships.c.version == existing.version)
    row = await update_where(session, memberships, current, {"role": role, "status": "active"})
    if row is None:
        raise conflict("concurrent-change", "the membership changed at the same moment; retry")
    return row, existing.status != "active"


async def existing_report(session: AsyncSession, collective_id: uuid.UUID, year: int) -> Row | None:
    """The year's report, locked until the transaction ends (a replacement is checked against its version)."""
    c = impact_reports.c
    query = select(*stored(impact_reports)).where(c.collective_id == collective_id, c.year == year).with_for_update()
    return (await session.execute(query)).first()


async def insert_report(
    session: AsyncSession, collective_id: uuid.UUID, year: int, values: Mapping[str, Any], actor: str
) -> Row | None:
    """The year's first report, or None when another request created it at the same moment."""
    statement = (
        pg_insert(impact_reports)
        .values(collective_id=collective_id, year=year, values=values, reported_by=actor)
        .on_conflict_do_nothing(index_elements=[impact_reports.c.collective_id, impact_reports.c.year])
        .returning(*stored(impact_reports))
    )
    return (await session.execute(statement)).first()


async def replace_report(session: AsyncSession, existing: Row, values: Mapping[str, Any], actor: str) -> Row:
    """The year's report replaced whole, with the next version (the caller holds its row lock)."""
    c = impact_reports.c
    statement = (
        update(impact_reports)
        .where(c.collective_id == existing.collective_id, c.year == existing.year)
        .values({"values": values, "reported_by": actor, "version": c.version + 1, "updated_at": func.now()})
        .returning(*stored(impact_reports))
    )
    return (await session.execute(statement)).one()


async def lock_memberships_of(session: AsyncSession, collective_id: uuid.UUID) -> None:
    """Every change to a collective's memberships takes its collective's row lock first: the coordinator check below
    must see the memberships settle, and one order of locks (collective, then membership) for every path leaves no
    room for a deadlock with the foreign-key lock an INSERT of a membership takes on the collective."""
    await session.execute(select(collectives.c.id).where(collectives.c.id == collective_id).with_for_update())


async def require_another_coordinator(session: AsyncSession, collective_id: uuid.UUID, leaving: uuid.UUID) -> None:
    """409 when `leaving` is the collective's last coordinator: someone must stay who may manage it. The caller holds
    the collective's lock (`lock_memberships_of`), so two coordinators stepping down at once cannot both pass. (Erasure
    is not held back by it: a person's right to be forgotten comes first.)"""
    m = memberships.c
    coordinators = select(m.contributor_id).where(
        m.collective_id == collective_id, m.role == "coordinator", m.status == "active"
    )
    remaining = set((await session.execute(coordinators)).scalars())
    if leaving in remaining and remaining == {leaving}:
        raise conflict("last-coordinator", "this is the collective's last coordinator: appoint another one first")


async def remove_membership(session: AsyncSession, collective_id: uuid.UUID, contributor_id: uuid.UUID) -> Row | None:
    key = (memberships.c.collective_id == collective_id) & (memberships.c.contributor_id == contributor_id)
    return await update_where(session, memberships, key & (memberships.c.status == "active"), {"status": "removed"})


async def erase_memberships(session: AsyncSession, contributor_id: uuid.UUID) -> list[Row]:
    """End the person's active memberships (returned, so their removal can be published), then delete every
    membership row of theirs: after erasure nothing here links the person to a collective."""
    mine = memberships.c.contributor_id == contributor_id
    ended = await session.execute(
        update(memberships)
        .where(mine, memberships.c.status == "active")
        .values(status="removed", version=memberships.c.version + 1)
        .returning(memberships)
    )
    rows = list(ended.all())
    await session.execute(delete(memberships).where(mine))
    return rows


# --- figures --------------------------------------------------------------------------------------------------


async def register_figures(session: AsyncSession, conditions: Sequence[ColumnElement[bool]] = ()) -> list[Row]:
    """Active collectives grouped by kind, province and stage: how many, their members and volunteers."""
    c = collectives.c
    query = (
        select(
            c.kind,
            c.province_code,
            c.stage,
            func.count().label("collectives"),
            func.coalesce(func.sum(c.member_count), 0).label("members"),
            func.coalesce(func.sum(c.volunteer_count), 0).label("volunteers"),
        )
        .where(c.status == "active", *conditions)
        .group_by(c.kind, c.province_code, c.stage)
    )
    return list((await session.execute(query)).all())


async def theme_counts(session: AsyncSession, conditions: Sequence[ColumnElement[bool]] = ()) -> dict[str, int]:
    theme = func.unnest(collectives.c.themes).label("theme")
    inner = select(theme).where(collectives.c.status == "active", *conditions).subquery()
    query = select(inner.c.theme, func.count()).group_by(inner.c.theme)
    return {name: count for name, count in await session.execute(query)}


async def foundings_per_quarter(
    session: AsyncSession, conditions: Sequence[ColumnElement[bool]] = ()
) -> list[tuple[date, int]]:
    """Collectives (dissolved ones too) by the quarter they were founded in, or registered when that is unknown."""
    started = func.coalesce(collectives.c.founded_on, func.date(collectives.c.created_at))
    quarter = func.date_trunc("quarter", started).label("quarter")
    query = select(quarter, func.count()).where(*conditions).group_by(quarter).order_by(quarter)
    return [(moment.date(), count) for moment, count in await session.execute(query)]


async def reported_figures(
    session: AsyncSession, conditions: Sequence[ColumnElement[bool]] = ()
) -> list[ReportedFigures]:
    query = select(collectives.c.kind, collectives.c.province_code, impact_reports.c.year, impact_reports.c["values"])
    query = query.join(collectives, collectives.c.id == impact_reports.c.collective_id).where(*conditions)
    return [ReportedFigures(*row) for row in await session.execute(query)]


async def active_collective_figures(session: AsyncSession) -> list[CollectiveFigures]:
    c = collectives.c
    query = select(c.kind, c.province_code, c.member_count, c.volunteer_count).where(c.status == "active")
    return [
        CollectiveFigures(kind, province, members or 0, volunteers or 0)
        for kind, province, members, volunteers in await session.execute(query)
    ]
