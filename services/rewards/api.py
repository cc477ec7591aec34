"""Rewards HTTP routes: parse → decide → write with the outbox in one transaction → respond.

Authorisation matrix ("pool manager" = an operator, the token that created the pool, or a funder token acting for
the pool's `funder_id`):

| route                                                       | anonymous | who may                                   |
| ----------------------------------------------------------- | --------- | ----------------------------------------- |
| GET rules, contributors/{id}, …/ledger, leaderboard, pools, | yes       | anyone (erased people show as `anoniem`   |
|                                                             |           | under their anonymous id; their own id    |
|                                                             |           | answers 404)                              |
|   pools/{id}, pools/{id}/payouts, payouts/{id}              |           |                                           |
| POST /pools                                                 | 401       | role funder (acting for `funder_id` when  |
|                                                             |           | given) or operator; others 403            |
| POST /pools/{id}/close                                      | 401       | pool manager; others 403                  |
| POST /payouts/{id}/approve, /payouts/{id}/paid              | 401       | manager of the payout's pool; others 403  |

Checks run in a fixed order: 401 (no token) → 404 (unknown) → 403 (not allowed) → 409 (state) → 422.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.rewards import store
from services.rewards.domain.levels import Level
from services.rewards.domain.periods import EXAMPLES, parse_period
from services.rewards.domain.pools import PayoutStatus, PoolTerms
from services.rewards.domain.rules import Rules, default_rules
from services.rewards.models import (
    CENTS,
    contributor_badges,
    contributor_balances,
    contributors,
    ledger_entries,
    ledger_transactions,
    payouts,
    pools,
)
from services.rewards.schemas import (
    ANONYMOUS_NAME,
    BadgeOut,
    ContributorRewardsOut,
    CountersOut,
    Label,
    Leaderboard,
    LeaderboardItem,
    LedgerPage,
    LevelOut,
    NextLevelOut,
    PayoutOut,
    PayoutPage,
    PoolIn,
    PoolOut,
    PoolPage,
    ProvinceCode,
)
from shared.auth import CurrentPrincipal, Principal, require_role
from shared.contracts.envelope import EventData, make_event
from shared.contracts.rewards import PayoutApproved, PayoutCalculated, PayoutPaid, PoolClosed, PoolCreated
from shared.contracts.vocabulary import Theme
from shared.http import Cursor, Limit, Problem, conflict, etag, forbidden, invalid
from shared.messaging.outbox import Outbox
from shared.observability import causation_id, correlation_id
from shared.service import RuntimeDep

router = APIRouter(prefix="/rewards/v1", tags=["rewards"])

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def rules_in_force() -> Rules:
    return default_rules()


def with_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def person(contributor_id: uuid.UUID, row: Row | None) -> dict[str, Any]:
    if row is not None and row.erased_at is not None:
        return {"contributor_id": contributor_id, "display_name": ANONYMOUS_NAME, "anonymous": True}
    return {
        "contributor_id": contributor_id,
        "display_name": row.display_name if row else None,
        "province_code": row.province_code if row else None,
    }


def erased_person(row: Row | None) -> bool:
    """An erased person's own id: their numbers moved to an anonymous id, and the id itself answers 404."""
    return row is not None and row.anonymous_id is not None


async def known_contributor(session: AsyncSession, contributor_id: uuid.UUID) -> tuple[Row | None, Row | None]:
    """(standing, registration) of someone with points or a registration here; 404 for anyone else and for an
    erased person's own id."""
    standing = await store.fetch(session, contributor_balances, contributor_id=contributor_id)
    known = await store.fetch(session, contributors, id=contributor_id)
    if (standing is None and known is None) or erased_person(known):
        raise Problem(404, "not-found", "contributor not found", f"no points or registration for {contributor_id}")
    return standing, known


async def emit(outbox: Outbox, session: AsyncSession, items: list[tuple[EventData, Any, int]]) -> list:
    events = [
        make_event(
            data, subject=subject, sequence=sequence, correlationid=correlation_id.get(), causationid=causation_id.get()
        )
        for data, subject, sequence in items
    ]
    await outbox.add_events(session, events)
    return events


# --- rules, contributors, leaderboard ------------------------------------------------------------------------------


@router.get("/rules")
async def get_rules() -> dict[str, Any]:
    """The rules in force: points per act, author splits, anti-gaming caps, levels and badges, with their version."""
    return rules_in_force().as_public_dict()


def level_out(level: Level) -> LevelOut:
    return LevelOut(key=level.key, threshold=level.threshold, label=Label(nl=level.label_nl, en=level.label_en))


@router.get("/contributors/{contributor_id}", response_model=ContributorRewardsOut)
async def get_contributor(contributor_id: uuid.UUID, runtime: RuntimeDep, response: Response) -> ContributorRewardsOut:
    rules = rules_in_force()
    async with runtime.sessions() as session:
        standing, known = await known_contributor(session, contributor_id)
        earned = (
            await session.execute(
                select(contributor_badges)
                .where(contributor_badges.c.contributor_id == contributor_id)
                .order_by(contributor_badges.c.earned_at, contributor_badges.c.badge)
            )
        ).all()
    balance = standing.balance if standing else 0
    ladder = sorted(rules.levels, key=lambda level: level.threshold)
    current = [level for level in ladder if level.threshold <= balance][-1]
    following = next((level for level in ladder if level.threshold > balance), None)
    badges = {badge.key: badge for badge in rules.badges}
    version = standing.version if standing else 0
    with_etag(response, version)
    return ContributorRewardsOut(
        **person(contributor_id, known),
        balance=balance,
        level=level_out(current),
        next_level=(
            NextLevelOut(**level_out(following).model_dump(), points_to_go=following.threshold - balance)
            if following
            else None
        ),
        badges=[
            BadgeOut(
                key=row.badge,
                counter=badges[row.badge].counter.value,
                at_least=badges[row.badge].at_least,
                label=Label(nl=badges[row.badge].label_nl, en=badges[row.badge].label_en),
                earned_at=row.earned_at,
            )
            for row in earned
            if row.badge in badges
        ],
        counters=CountersOut(
            **({name: getattr(standing, name) for name in CountersOut.model_fields} if standing else {})
        ),
        rules_version=rules.version,
        version=version,
    )


@router.get("/contributors/{contributor_id}/ledger", response_model=LedgerPage)
async def get_ledger(
    contributor_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None
) -> LedgerPage:
    """Every entry on the contributor's account, newest first, with its reason and the event that caused it."""
    e, t = ledger_entries, ledger_transactions
    query = (
        select(
            e.c.id,
            e.c.transaction_id,
            e.c.account,
            e.c.amount,
            e.c.unit,
            e.c.reason,
            e.c.source_key,
            e.c.article_id,
            e.c.occurred_at,
            t.c.source_event_id,
            t.c.source_event_type,
            t.c.outcome,
            t.c.themes,
            t.c.rules_version,
            t.c.recorded_at,
        )
        .join(t, t.c.id == e.c.transaction_id)
        .where(e.c.contributor_id == contributor_id)
    )
    async with runtime.sessions() as session:
        await known_contributor(session, contributor_id)
        rows, next_cursor = await store.keyset_page(
            session, query, [e.c.occurred_at, e.c.id], cursor, limit, descending=True
        )
    return LedgerPage.model_validate({"items": [row._asdict() for row in rows], "next_cursor": next_cursor})


@router.get("/leaderboard", response_model=Leaderboard)
async def leaderboard(
    runtime: RuntimeDep,
    period: Annotated[str, Query(max_length=20, description=f"{EXAMPLES}")] = "all",
    theme: Theme | None = None,
    province: Annotated[ProvinceCode | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Leaderboard:
    """Net points earned in the period (UTC), optionally about one theme or by people of one province."""
    try:
        window = parse_period(period)
    except ValueError as exc:
        raise invalid("period", str(exc)) from exc
    query = store.points_in_scope(
        window.starts_at or EPOCH, window.ends_before, theme=theme.value if theme else None, province=province
    )
    points = query.selected_columns.points
    query = query.order_by(points.desc(), query.selected_columns.contributor_id).limit(limit)
    async with runtime.sessions() as session:
        rows = (await session.execute(query)).all()
        names = await store.names_of(session, [row.contributor_id for row in rows])
    items, rank, previous = [], 0, None
    for position, row in enumerate(rows, start=1):
        if row.points != previous:
            rank, previous = position, row.points
        items.append(LeaderboardItem(**person(row.contributor_id, names.get(row.contributor_id)), rank=rank,
                                     points=row.points))  # fmt: skip
    return Leaderboard(
        period=window.label,
        starts_at=window.starts_at,
        ends_before=window.ends_before,
        theme=theme,
        province=province,
        items=items,
    )


# --- pools ------------------------------------------------------------------------------------------------------------


def pool_out(row: Row) -> PoolOut:
    return PoolOut.model_validate(row._asdict() | {"province": row.province_code, "max_share": float(row.max_share)})


def pool_state(row: Row) -> dict[str, Any]:
    return {
        "pool_id": row.id,
        "name": row.name,
        "amount_cents": row.amount_cents,
        "period_start": row.period_start,
        "period_end": row.period_end,
        "theme": row.theme,
        "province_code": row.province_code,
        "min_payout_cents": row.min_payout_cents,
        "max_share": format(row.max_share.normalize(), "f"),
        "funder_id": row.funder_id,
        "status": row.status,
        "distributed_cents": row.distributed_cents,
        "undistributed_cents": row.undistributed_cents,
        "version": row.version,
    }


def may_manage_pool(principal: Principal, pool: Row) -> bool:
    return (
        principal.is_operator
        or principal.sub == pool.created_by
        or (pool.funder_id is not None and principal.has("funder") and principal.acts_for_funder(pool.funder_id))
    )


def require_pool_manager(principal: Principal, pool: Row) -> None:
    if not may_manage_pool(principal, pool):
        raise forbidden("only an operator, the pool's creator or its funder may do this")


def funder_of(body: PoolIn, principal: Principal) -> uuid.UUID | None:
    if body.funder_id is not None:
        if not principal.acts_for_funder(body.funder_id):
            raise forbidden(f"this token does not act for funder {body.funder_id}")
        return body.funder_id
    if not principal.is_operator and len(principal.funders) == 1:
        (only,) = principal.funders
        try:
            return uuid.UUID(only)
        except ValueError:
            return None
    return None


async def record_cents(
    session: AsyncSession,
    source_event: Any,
    source_key: str,
    reason: str,
    occurred_at: datetime,
    postings: list[tuple[str, uuid.UUID | None, int]],
) -> None:
    """Money movements of pools go into the ledger too, in cents, as their own balanced transaction."""
    if sum(amount for _, _, amount in postings) != 0:
        raise ValueError("a ledger transaction must sum to zero")
    transaction_id = uuid.uuid4()
    await store.insert_many(
        session,
        ledger_transactions,
        [
            {
                "id": transaction_id,
                "source_event_id": source_event.id,
                "source_event_type": source_event.type,
                "source_key": source_key,
                "outcome": reason,
                "claims_source": True,
                "unit": CENTS,
                "occurred_at": occurred_at,
            }
        ],
    )
    await store.insert_many(
        session,
        ledger_entries,
        [
            {
                "transaction_id": transaction_id,
                "account": account,
                "contributor_id": contributor_id,
                "amount": amount,
                "unit": CENTS,
                "reason": reason,
                "source_key": source_key,
                "occurred_at": occurred_at,
            }
            for account, contributor_id, amount in postings
            if amount
        ],
    )


async def open_pool(session: AsyncSession, outbox: Outbox, values: dict[str, Any]) -> Row:
    """Insert a pool with its `pool.created` event and the ledger transaction that funds its account."""
    row = (await session.execute(pools.insert().values(**values).returning(pools))).one()
    (event,) = await emit(outbox, session, [(PoolCreated(**pool_state(row)), row.id, row.version)])
    source = f"funder:{row.funder_id}" if row.funder_id else "funder:external"
    await record_cents(
        session,
        event,
        f"pool:{row.id}",
        "pool_funded",
        row.created_at,
        [(source, None, -row.amount_cents), (f"pool:{row.id}", None, row.amount_cents)],
    )
    return row


@router.post("/pools", status_code=201, response_model=PoolOut, dependencies=[require_role("funder")])
async def create_pool(body: PoolIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response) -> PoolOut:
    values = {
        "id": uuid.uuid4(),
        "name": body.name,
        "amount_cents": body.amount_cents,
        "period_start": body.period_start,
        "period_end": body.period_end,
        "theme": body.theme.value if body.theme else None,
        "province_code": body.province,
        "min_payout_cents": body.min_payout_cents,
        "max_share": body.max_share,
        "funder_id": funder_of(body, principal),
        "created_by": principal.sub[:200],
    }
    async with runtime.transaction() as session:
        row = await open_pool(session, runtime.outbox, values)
    response.headers["Location"] = f"{router.prefix}/pools/{row.id}"
    with_etag(response, row.version)
    return pool_out(row)


@router.get("/pools", response_model=PoolPage)
async def list_pools(
    runtime: RuntimeDep,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    theme: Theme | None = None,
    province: Annotated[ProvinceCode | None, Query()] = None,
    funder_id: uuid.UUID | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> PoolPage:
    """Newest first."""
    query = select(pools)
    if status:
        query = query.where(pools.c.status == status)
    if theme:
        query = query.where(pools.c.theme == theme.value)
    if province:
        query = query.where(pools.c.province_code == province)
    if funder_id:
        query = query.where(pools.c.funder_id == funder_id)
    async with runtime.sessions() as session:
        rows, next_cursor = await store.keyset_page(
            session, query, [pools.c.created_at, pools.c.id], cursor, limit, descending=True
        )
    return PoolPage(items=[pool_out(row) for row in rows], next_cursor=next_cursor)


@router.get("/pools/{pool_id}", response_model=PoolOut)
async def get_pool(pool_id: uuid.UUID, runtime: RuntimeDep, response: Response) -> PoolOut:
    async with runtime.sessions() as session:
        row = await store.fetch_or_404(session, pools, "pool", id=pool_id)
    with_etag(response, row.version)
    return pool_out(row)


def terms_of(pool: Row) -> PoolTerms:
    return PoolTerms(
        amount_cents=pool.amount_cents,
        period_start=pool.period_start,
        period_end=pool.period_end,
        min_payout_cents=pool.min_payout_cents,
        max_share=pool.max_share,
        theme=pool.theme,
        province=pool.province_code,
    )


@router.post("/pools/{pool_id}/close", response_model=PoolOut)
async def close_pool(
    pool_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> PoolOut:
    """Divides the pool among the contributors who earned points in its scope during its period, in proportion to
    those points, with its minimum payout and maximum share; the payouts sum exactly to what is distributed.

    Allowed once the period has ended (after `period_end`, UTC); 409 before, and 409 when already closed. People who
    erased themselves are left out: there is nobody left to pay. Points recorded after closing do not change it.
    """
    async with runtime.transaction() as session:
        pool = await store.fetch_or_404(session, pools, "pool", id=pool_id)
        require_pool_manager(principal, pool)
        if pool.status != "open":
            raise conflict("pool-closed", f"pool {pool_id} is already closed")
        terms = terms_of(pool)
        now = datetime.now(UTC)
        if now < terms.ends_before:
            raise conflict(
                "pool-period-not-ended",
                f"the pool's period runs until {pool.period_end.isoformat()} (UTC); close it after that",
                period_end=pool.period_end.isoformat(),
            )
        scope = store.points_in_scope(
            terms.starts_at, terms.ends_before, theme=pool.theme, province=pool.province_code, include_erased=False
        )
        points = {row.contributor_id: int(row.points) for row in await session.execute(scope)}
        division = terms.divide(points)
        closed = (
            await session.execute(
                update(pools)
                .where(pools.c.id == pool_id, pools.c.status == "open")
                .values(
                    status="closed",
                    distributed_cents=division.distributed_cents,
                    undistributed_cents=division.undistributed_cents,
                    cap_cents=division.cap_cents,
                    closed_at=now,
                    closed_by=principal.sub[:200],
                    version=pools.c.version + 1,
                    updated_at=func.now(),
                )
                .returning(pools)
            )
        ).first()
        if closed is None:
            raise conflict("pool-closed", f"pool {pool_id} was closed meanwhile")
        rows = [
            {
                "id": uuid.uuid4(),
                "pool_id": pool_id,
                "contributor_id": contributor,
                "points": points[contributor],
                "amount_cents": cents,
            }
            for contributor, cents in sorted(division.payouts.items(), key=lambda item: str(item[0]))
        ]
        await store.insert_many(session, payouts, rows)
        state = pool_state(closed)
        pending: list[tuple[EventData, Any, int]] = [
            (
                PoolClosed(**state, payout_count=len(rows), cap_cents=division.cap_cents, closed_at=now),
                pool_id,
                closed.version,
            )
        ]
        pending += [
            (
                PayoutCalculated(
                    payout_id=r["id"],
                    pool_id=pool_id,
                    contributor_id=r["contributor_id"],
                    points=r["points"],
                    amount_cents=r["amount_cents"],
                    status=PayoutStatus.calculated.value,
                    version=1,
                ),
                r["id"],
                1,
            )
            for r in rows
        ]
        events = await emit(runtime.outbox, session, pending)
        await record_cents(
            session,
            events[0],
            f"pool-division:{pool_id}",
            "pool_payout",
            now,
            [(f"pool:{pool_id}", None, -division.distributed_cents)]
            + [(f"contributor:{r['contributor_id']}", r["contributor_id"], r["amount_cents"]) for r in rows],
        )
    with_etag(response, closed.version)
    return pool_out(closed)


def payout_out(row: Row, name: Row | None) -> PayoutOut:
    return PayoutOut.model_validate(row._asdict() | person(row.contributor_id, name))


@router.get("/pools/{pool_id}/payouts", response_model=PayoutPage)
async def list_payouts(
    pool_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 200, cursor: Cursor = None
) -> PayoutPage:
    """Largest first. `distributed_cents` + `undistributed_cents` = the pool's `amount_cents`, and the payouts of all
    pages sum to `distributed_cents`."""
    async with runtime.sessions() as session:
        pool = await store.fetch_or_404(session, pools, "pool", id=pool_id)
        query = select(payouts).where(payouts.c.pool_id == pool_id)
        rows, next_cursor = await store.keyset_page(
            session, query, [payouts.c.amount_cents, payouts.c.id], cursor, limit, descending=True
        )
        names = await store.names_of(session, [row.contributor_id for row in rows])
    return PayoutPage(
        pool_id=pool_id,
        pool_status=pool.status,
        amount_cents=pool.amount_cents,
        distributed_cents=pool.distributed_cents or 0,
        undistributed_cents=pool.undistributed_cents if pool.undistributed_cents is not None else pool.amount_cents,
        items=[payout_out(row, names.get(row.contributor_id)) for row in rows],
        next_cursor=next_cursor,
    )


@router.get("/payouts/{payout_id}", response_model=PayoutOut)
async def get_payout(payout_id: uuid.UUID, runtime: RuntimeDep, response: Response) -> PayoutOut:
    async with runtime.sessions() as session:
        row = await store.fetch_or_404(session, payouts, "payout", id=payout_id)
        names = await store.names_of(session, [row.contributor_id])
    with_etag(response, row.version)
    return payout_out(row, names.get(row.contributor_id))


_MOVES: dict[PayoutStatus, tuple[PayoutStatus, str, type[EventData]]] = {
    PayoutStatus.approved: (PayoutStatus.calculated, "approved", PayoutApproved),
    PayoutStatus.paid: (PayoutStatus.approved, "paid", PayoutPaid),
}


async def move_payout(
    payout_id: uuid.UUID, target: PayoutStatus, principal: Principal, runtime: Any, response: Response
) -> PayoutOut:
    source, stamp, event_class = _MOVES[target]
    async with runtime.transaction() as session:
        payout = await store.fetch_or_404(session, payouts, "payout", id=payout_id)
        pool = await store.fetch_or_404(session, pools, "pool", id=payout.pool_id)
        require_pool_manager(principal, pool)
        moved = (
            await session.execute(
                update(payouts)
                .where(payouts.c.id == payout_id, payouts.c.status == source.value)
                .values(
                    status=target.value,
                    **{f"{stamp}_at": func.now(), f"{stamp}_by": principal.sub[:200]},
                    version=payouts.c.version + 1,
                    updated_at=func.now(),
                )
                .returning(payouts)
            )
        ).first()
        if moved is None:
            current = (await store.fetch(session, payouts, id=payout_id)).status
            raise conflict(
                "payout-status",
                f"payout {payout_id} is {current}; only a {source.value} payout can become {target.value}",
                current_status=current,
            )
        data = event_class(
            payout_id=moved.id,
            pool_id=moved.pool_id,
            contributor_id=moved.contributor_id,
            points=moved.points,
            amount_cents=moved.amount_cents,
            status=moved.status,
            version=moved.version,
        )
        await emit(runtime.outbox, session, [(data, moved.id, moved.version)])
        names = await store.names_of(session, [moved.contributor_id])
    with_etag(response, moved.version)
    return payout_out(moved, names.get(moved.contributor_id))


@router.post("/payouts/{payout_id}/approve", response_model=PayoutOut)
async def approve_payout(
    payout_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> PayoutOut:
    """calculated → approved; 409 from any other status."""
    return await move_payout(payout_id, PayoutStatus.approved, principal, runtime, response)


@router.post("/payouts/{payout_id}/paid", response_model=PayoutOut)
async def mark_payout_paid(
    payout_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> PayoutOut:
    """approved → paid; 409 from any other status."""
    return await move_payout(payout_id, PayoutStatus.paid, principal, runtime, response)
