"""Queries of the funding service. Nothing here commits: the route's or the handler's unit of work does, once."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Integer,
    Row,
    Select,
    SmallInteger,
    Table,
    and_,
    false,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.funding.models import (
    applications,
    collectives,
    instruments,
    memberships,
    needs,
    pledges,
    round_projects,
)
from shared.contracts.vocabulary import municipalities, province_of
from shared.http import decode_cursor, encode_cursor, invalid, not_found

# --- generic helpers ------------------------------------------------------------------------------------------


async def fetch(session: AsyncSession, table: Table, *, lock: bool = False, **keys: Any) -> Row | None:
    query = select(table).where(and_(*(table.c[name] == value for name, value in keys.items())))
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).first()


async def fetch_or_404(session: AsyncSession, table: Table, what: str, *, lock: bool = False, **keys: Any) -> Row:
    row = await fetch(session, table, lock=lock, **keys)
    if row is None:
        raise not_found(what, "/".join(str(v) for v in keys.values()))
    return row


async def insert_row(session: AsyncSession, table: Table, values: Mapping[str, Any]) -> Row:
    return (await session.execute(insert(table).values(**values).returning(table))).one()


async def update_where(
    session: AsyncSession, table: Table, condition: ColumnElement[bool], values: Mapping[str, Any]
) -> Row | None:
    """A guarded change: the row comes back only when `condition` still held (version, status), else None."""
    extra: dict[str, Any] = {"version": table.c.version + 1, "updated_at": func.now()}
    if table is instruments:
        # The caller holds the exclusive catalogue lock (rematch.lock_catalogue): a change_seq taken without it could
        # commit after a higher one and be missed by the other processes' instrument caches.
        extra["change_seq"] = func.nextval("funding.instrument_change_seq")
    statement = update(table).where(condition).values(**values, **extra).returning(table)
    return (await session.execute(statement)).first()


def changed_fields(row: Row, proposed: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    changes = {}
    for name, new in proposed.items():
        old = getattr(row, name)
        if to_jsonable_python(old) != to_jsonable_python(new):
            changes[name] = (old, new)
    return changes


# --- pagination -----------------------------------------------------------------------------------------------


_INTEGER_BITS = {SmallInteger: 16, BigInteger: 64, Integer: 32}  # subclasses of Integer first


def _cursor_parser(column: Column) -> Callable[[str], Any]:
    kind = column.type.python_type
    if kind is datetime:
        return datetime.fromisoformat
    if kind is bool:
        return lambda value: {"True": True, "False": False}[value]
    if kind is int:
        # A forged cursor must not carry a number the column cannot hold: the database would refuse it without
        # saying which parameter was wrong.
        bits = next((n for t, n in _INTEGER_BITS.items() if isinstance(column.type, t)), 64)
        low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

        def bounded(value: str) -> int:
            number = int(value)
            if not low <= number <= high:
                raise ValueError(f"{number} is out of range")
            return number

        return bounded
    return kind


def _after(keys: Sequence[Column], cursor: str | None, descending: Sequence[bool]) -> ColumnElement[bool] | None:
    values = decode_cursor(cursor, len(keys))
    if values is None:
        return None
    try:
        parsed = [_cursor_parser(key)(value) for key, value in zip(keys, values, strict=True)]
    except (ValueError, KeyError) as exc:
        raise invalid("cursor", "not a cursor this service issued") from exc
    if not any(descending):
        return tuple_(*keys) > tuple_(*parsed)
    # Mixed directions: (a, b, c) after (x, y, z) spelled out column by column.
    clauses = []
    for n, key in enumerate(keys):
        equal = [k == v for k, v in zip(keys[:n], parsed[:n], strict=True)]
        beyond = key < parsed[n] if descending[n] else key > parsed[n]
        clauses.append(and_(*equal, beyond))
    return or_(*clauses)


async def keyset_page(
    session: AsyncSession,
    query: Select,
    keys: Sequence[Column],
    cursor: str | None,
    limit: int,
    *,
    descending: Sequence[bool] | None = None,
) -> tuple[list[Row], str | None]:
    """One page in the stable order of `keys` (together unique), and the cursor of the next page."""
    directions = list(descending or [False] * len(keys))
    after = _after(keys, cursor, directions)
    if after is not None:
        query = query.where(after)
    order = [key.desc() if down else key for key, down in zip(keys, directions, strict=True)]
    rows = list((await session.execute(query.order_by(*order).limit(limit + 1))).all())
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor([rows[-1]._mapping[key.name] for key in keys])


# --- read models ----------------------------------------------------------------------------------------------


async def upsert_collective(session: AsyncSession, values: dict[str, Any]) -> Row | None:
    """Insert or replace the collective's state when `values["version"]` is newer; None when it is not (a duplicate
    or an event that arrived after a later one)."""
    # `matched_at` is set here because the caller re-matches the collective in this same transaction.
    statement = pg_insert(collectives).values(**values, updated_at=func.now(), matched_at=func.now())
    fresh = {name: statement.excluded[name] for name in values if name != "id"}
    fresh |= {"updated_at": func.now(), "matched_at": func.now()}
    statement = statement.on_conflict_do_update(
        index_elements=[collectives.c.id], set_=fresh, where=collectives.c.version < statement.excluded.version
    ).returning(collectives)
    return (await session.execute(statement)).first()


async def upsert_membership(session: AsyncSession, values: dict[str, Any]) -> bool:
    statement = pg_insert(memberships).values(**values)
    fresh = {name: statement.excluded[name] for name in ("role", "status", "version")}
    statement = statement.on_conflict_do_update(
        index_elements=[memberships.c.collective_id, memberships.c.contributor_id],
        set_=fresh,
        where=memberships.c.version < statement.excluded.version,
    ).returning(memberships.c.version)
    return (await session.execute(statement)).first() is not None


async def anonymise_person(session: AsyncSession, contributor_id: uuid.UUID) -> None:
    """Erasure: unlink the person from pledges (one new random key keeps their pledges counted as one person's),
    from needs and applications they created, and from memberships."""
    await session.execute(update(pledges).where(pledges.c.person_id == contributor_id).values(person_id=uuid.uuid4()))
    for table in (needs, round_projects):
        await session.execute(update(table).where(table.c.created_by == str(contributor_id)).values(created_by=None))
    await session.execute(
        update(applications).where(applications.c.created_by == str(contributor_id)).values(created_by=None)
    )
    await session.execute(
        update(memberships)
        .where(memberships.c.contributor_id == contributor_id, memberships.c.status == "active")
        .values(status="removed")
    )


# --- instruments ----------------------------------------------------------------------------------------------


def _municipalities_in(province: str) -> list[str]:
    return [code for code, m in municipalities().items() if m.province_code == province]


def region_condition(region: str) -> ColumnElement[bool]:
    """National instruments only, or those available in a province (national, the province, or part of it) or a
    municipality."""
    i = instruments.c
    if region == "national":
        return i.national
    if region.startswith("PV"):
        return or_(i.national, i.provinces.contains([region]), i.municipalities.overlap(_municipalities_in(region)))
    province = province_of(region)
    return or_(
        i.national,
        i.municipalities.contains([region]),
        i.provinces.contains([province]) if province else false(),
    )


def open_condition(day: date) -> ColumnElement[bool]:
    i = instruments.c
    return and_(
        i.status == "open",
        or_(i.opens_on.is_(None), i.opens_on <= day),
        or_(i.closes_on.is_(None), i.closes_on >= day),
    )


def instrument_filters(
    *,
    day: date,
    form: str | None = None,
    kind: str | None = None,
    legal_form: str | None = None,
    stage: str | None = None,
    theme: str | None = None,
    region: str | None = None,
    open_now: bool | None = None,
    status: str | None = None,
    funder_id: uuid.UUID | None = None,
    q: str | None = None,
) -> list[ColumnElement[bool]]:
    i = instruments.c

    def any_or(column: Column, value: str) -> ColumnElement[bool]:
        return or_(func.cardinality(column) == 0, column.contains([value]))

    conditions = [
        i.form == form if form else None,
        any_or(i.collective_kinds, kind) if kind else None,
        any_or(i.legal_forms, legal_form) if legal_form else None,
        any_or(i.stages, stage) if stage else None,
        any_or(i.themes, theme) if theme else None,
        region_condition(region) if region else None,
        i.status == status if status else None,
        i.funder_id == funder_id if funder_id else None,
        i.name.ilike("%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%") if q else None,
    ]
    if open_now is True:
        conditions.append(open_condition(day))
    elif open_now is False:
        conditions.append(~open_condition(day))
    return [c for c in conditions if c is not None]


# --- rounds ---------------------------------------------------------------------------------------------------


async def round_pledges(session: AsyncSession, round_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID, int]]:
    query = select(pledges.c.project_id, pledges.c.person_id, pledges.c.amount_cents).where(
        pledges.c.round_id == round_id
    )
    return [tuple(row) for row in (await session.execute(query)).all()]  # type: ignore[misc]


async def round_project_rows(session: AsyncSession, round_id: uuid.UUID) -> list[Row]:
    query = (
        select(round_projects)
        .where(round_projects.c.round_id == round_id)
        .order_by(round_projects.c.created_at, round_projects.c.id)
    )
    return list((await session.execute(query)).all())
