"""Partner HTTP routes: partners, their webhook subscriptions, the delivery log, redelivery and replay.

| route                                                      | who may                                       |
| ---------------------------------------------------------- | --------------------------------------------- |
| GET /event-types                                           | anyone                                        |
| POST /partners                                             | operator                                      |
| GET /partners                                              | operator (all); a partner (itself)            |
| GET /partners/{id}                                         | operator; the partner (token `partner` = id)  |
| POST, GET /partners/{id}/subscriptions                     | operator; the partner                         |
| GET, PATCH, DELETE /partners/{id}/subscriptions/{sid}      | operator; the partner                         |
| POST …/{sid}/enable, /disable, /rotate-secret, /replay     | operator; the partner                         |
| GET …/{sid}/deliveries                                     | operator; the partner                         |
| GET /deliveries/{id}, POST /deliveries/{id}/redeliver      | operator; the partner owning the subscription |

Checks run in the order 401 → 403 → 404 → 428/412 → 422/409 on partner-scoped paths, so nobody learns which
partner ids exist. The subscription's secret is returned once, at creation (and at rotation).
"""

from __future__ import annotations

import asyncio
import base64
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Row, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from services.partners import store
from services.partners.consumers import deliverable_types
from services.partners.context import PartnersContext, context_of, wake_after_commit
from services.partners.domain.matching import pattern_problem
from services.partners.domain.targets import TargetRejected
from services.partners.models import deliveries, delivery_attempts, partners, subscriptions
from services.partners.schemas import (
    AttemptOut,
    DeliveryOut,
    DeliveryPage,
    DeliveryStatus,
    EventTypeOut,
    PartnerIn,
    PartnerOut,
    PartnerPage,
    ReplayIn,
    ReplayOut,
    SecretOut,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPage,
    SubscriptionPatch,
)
from shared.auth import CurrentPrincipal, Principal
from shared.contracts.export import load_all_contracts
from shared.contracts.partners import SubscriptionDisabled, SubscriptionEnabled
from shared.http import (
    Cursor,
    Limit,
    Problem,
    conflict,
    decode_cursor,
    encode_cursor,
    etag,
    forbidden,
    invalid,
    not_found,
    require_if_match,
)
from shared.service import RuntimeDep

router = APIRouter(prefix="/partners/v1", tags=["partners"])


def require_partner(principal: Principal, partner_id: uuid.UUID) -> None:
    if principal.is_operator or (principal.has("partner") and principal.partner == str(partner_id)):
        return
    raise forbidden("only operators and the partner itself (a partner token for this partner id) may do this")


def require_operator(principal: Principal) -> None:
    if not principal.is_operator:
        raise forbidden("only operators may do this")


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def with_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def subscription_out(row: Any) -> SubscriptionOut:
    return SubscriptionOut.model_validate(row, from_attributes=True)


async def check_target(context: PartnersContext, url: str) -> None:
    try:
        async with asyncio.timeout(context.settings.timeout):
            await context.guard.check(url)
    except TargetRejected as exc:
        raise invalid("url", exc.detail) from exc
    except TimeoutError as exc:
        raise invalid("url", "the host name did not resolve in time") from exc


def check_patterns(patterns: list[str]) -> list[str]:
    known = deliverable_types()
    for index, pattern in enumerate(patterns):
        problem = pattern_problem(pattern, known)
        if problem:
            raise invalid(f"event_types.{index}", f"{pattern!r}: {problem}")
    return list(dict.fromkeys(patterns))


async def load_partner(session: AsyncSession, partner_id: uuid.UUID) -> Row:
    row = (await session.execute(select(partners).where(partners.c.id == partner_id))).first()
    if row is None:
        raise not_found("partner", partner_id)
    return row


async def load_subscription(
    session: AsyncSession, partner_id: uuid.UUID, subscription_id: uuid.UUID, *, lock: bool = False
) -> Row:
    query = select(subscriptions).where(subscriptions.c.id == subscription_id, subscriptions.c.partner_id == partner_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    if row is None:
        raise not_found("subscription", subscription_id)
    return row


# --- event types and partners ---------------------------------------------------------------------------------


@router.get("/event-types", response_model=list[EventTypeOut])
async def event_types(runtime: RuntimeDep) -> list[EventTypeOut]:
    """The types a subscription can ask for (its patterns must match at least one)."""
    contracts = load_all_contracts()
    return [
        EventTypeOut(
            type=t,
            stream=runtime.settings.stream(contracts[t].service),
            description=" ".join((contracts[t].__doc__ or "").split()),
        )
        for t in deliverable_types()
    ]


@router.post("/partners", status_code=201, response_model=PartnerOut)
async def create_partner(
    body: PartnerIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> PartnerOut:
    require_operator(principal)
    async with runtime.transaction() as session:
        row = (
            await session.execute(partners.insert().values(id=uuid.uuid4(), **body.model_dump()).returning(*partners.c))
        ).first()
    response.headers["Location"] = f"{router.prefix}/partners/{row.id}"
    with_etag(response, row.version)
    return PartnerOut.model_validate(row, from_attributes=True)


@router.get("/partners", response_model=PartnerPage)
async def list_partners(
    principal: CurrentPrincipal, runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None
) -> PartnerPage:
    query = select(partners).order_by(partners.c.created_at, partners.c.id).limit(limit + 1)
    if not principal.is_operator:
        if not principal.has("partner") or not principal.partner:
            raise forbidden("only operators and partners may list partners")
        try:
            own = uuid.UUID(principal.partner)
        except ValueError as exc:
            raise forbidden("the token's partner claim is not a partner id") from exc
        query = query.where(partners.c.id == own)
    after = decode_cursor(cursor, 2)
    if after:
        query = query.where(tuple_(partners.c.created_at, partners.c.id) > (datetime.fromisoformat(after[0]), after[1]))
    async with runtime.sessions() as session:
        rows = (await session.execute(query)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return PartnerPage(
        items=[PartnerOut.model_validate(r, from_attributes=True) for r in rows],
        next_cursor=encode_cursor([rows[-1].created_at, rows[-1].id]) if more else None,
    )


@router.get("/partners/{partner_id}", response_model=PartnerOut)
async def get_partner(
    partner_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> PartnerOut:
    require_partner(principal, partner_id)
    async with runtime.sessions() as session:
        row = await load_partner(session, partner_id)
    with_etag(response, row.version)
    return PartnerOut.model_validate(row, from_attributes=True)


# --- subscriptions --------------------------------------------------------------------------------------------


@router.post("/partners/{partner_id}/subscriptions", status_code=201, response_model=SubscriptionCreated)
async def create_subscription(
    partner_id: uuid.UUID, body: SubscriptionIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> SubscriptionCreated:
    require_partner(principal, partner_id)
    context = context_of(runtime)
    async with runtime.sessions() as session:
        await load_partner(session, partner_id)
    patterns = check_patterns(body.event_types)
    await check_target(context, body.url)
    values = body.model_dump() | {
        "id": uuid.uuid4(),
        "partner_id": partner_id,
        "event_types": patterns,
        "provinces": sorted(set(body.provinces)),
        "collective_kinds": sorted({k.value for k in body.collective_kinds}),
        "secret": new_secret(),
    }
    async with runtime.transaction() as session:
        # The partner row lock serialises concurrent creations, so the limit holds.
        await session.execute(select(partners.c.id).where(partners.c.id == partner_id).with_for_update())
        count = (
            await session.execute(select(func.count()).where(subscriptions.c.partner_id == partner_id))
        ).scalar_one()
        if count >= context.settings.max_subscriptions_per_partner:
            raise conflict(
                "too-many-subscriptions",
                f"a partner has at most {context.settings.max_subscriptions_per_partner} subscriptions",
            )
        row = (await session.execute(subscriptions.insert().values(**values).returning(*subscriptions.c))).first()
    response.headers["Location"] = f"{router.prefix}/partners/{partner_id}/subscriptions/{row.id}"
    with_etag(response, row.version)
    return SubscriptionCreated.model_validate(row, from_attributes=True)


@router.get("/partners/{partner_id}/subscriptions", response_model=SubscriptionPage)
async def list_subscriptions(
    partner_id: uuid.UUID,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    status: Annotated[str | None, Query(pattern="^(active|disabled)$")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> SubscriptionPage:
    require_partner(principal, partner_id)
    query = (
        select(subscriptions)
        .where(subscriptions.c.partner_id == partner_id)
        .order_by(subscriptions.c.created_at, subscriptions.c.id)
        .limit(limit + 1)
    )
    if status:
        query = query.where(subscriptions.c.status == status)
    after = decode_cursor(cursor, 2)
    if after:
        query = query.where(
            tuple_(subscriptions.c.created_at, subscriptions.c.id) > (datetime.fromisoformat(after[0]), after[1])
        )
    async with runtime.sessions() as session:
        await load_partner(session, partner_id)
        rows = (await session.execute(query)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return SubscriptionPage(
        items=[subscription_out(r) for r in rows],
        next_cursor=encode_cursor([rows[-1].created_at, rows[-1].id]) if more else None,
    )


@router.get("/partners/{partner_id}/subscriptions/{subscription_id}", response_model=SubscriptionOut)
async def get_subscription(
    partner_id: uuid.UUID,
    subscription_id: uuid.UUID,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    response: Response,
) -> SubscriptionOut:
    require_partner(principal, partner_id)
    async with runtime.sessions() as session:
        row = await load_subscription(session, partner_id, subscription_id)
    with_etag(response, row.version)
    return subscription_out(row)


@router.patch("/partners/{partner_id}/subscriptions/{subscription_id}", response_model=SubscriptionOut)
async def update_subscription(
    partner_id: uuid.UUID,
    subscription_id: uuid.UUID,
    body: SubscriptionPatch,
    request: Request,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    response: Response,
) -> SubscriptionOut:
    require_partner(principal, partner_id)
    changes = body.model_dump(exclude_unset=True)
    for field in ("url", "event_types"):
        if field in changes and changes[field] is None:
            raise invalid(field, "may not be null")
    if "event_types" in changes:
        changes["event_types"] = check_patterns(changes["event_types"])
    if "provinces" in changes:
        changes["provinces"] = sorted(set(changes["provinces"] or []))
    if "collective_kinds" in changes:
        changes["collective_kinds"] = sorted({k.value for k in body.collective_kinds or []})
    if "description" in changes:
        changes["description"] = changes["description"] or ""
    if "url" in changes:
        await check_target(context_of(runtime), changes["url"])
    async with runtime.transaction() as session:
        row = await load_subscription(session, partner_id, subscription_id, lock=True)
        require_if_match(request, row.version)
        if changes:
            row = (
                await session.execute(
                    subscriptions.update()
                    .where(subscriptions.c.id == subscription_id)
                    .values(**changes, version=row.version + 1, updated_at=func.now())
                    .returning(*subscriptions.c)
                )
            ).first()
    with_etag(response, row.version)
    return subscription_out(row)


@router.delete("/partners/{partner_id}/subscriptions/{subscription_id}", status_code=204)
async def delete_subscription(
    partner_id: uuid.UUID, subscription_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep
) -> Response:
    """Removes the subscription with its queue and delivery log."""
    require_partner(principal, partner_id)
    async with runtime.transaction() as session:
        await load_subscription(session, partner_id, subscription_id, lock=True)
        await session.execute(subscriptions.delete().where(subscriptions.c.id == subscription_id))
    return Response(status_code=204)


@router.post("/partners/{partner_id}/subscriptions/{subscription_id}/enable", response_model=SubscriptionOut)
async def enable_subscription(
    partner_id: uuid.UUID,
    subscription_id: uuid.UUID,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    response: Response,
) -> SubscriptionOut:
    """Deliveries still waiting are tried at once; events published while it was disabled need a replay."""
    require_partner(principal, partner_id)
    context = context_of(runtime)
    now = datetime.now(UTC)
    async with runtime.sessions() as session:
        row = await load_subscription(session, partner_id, subscription_id)
    if row.status == "disabled":
        await check_target(context, row.url)  # the target may have moved while it was off; outside any transaction
    async with runtime.transaction() as session:
        row = await load_subscription(session, partner_id, subscription_id)
        if row.status == "disabled":
            changed = await store.set_status(
                session, subscription_id, to="active", from_=("disabled",), reason=None, now=now
            )
            if changed is not None:
                row = changed
                await store.resume_pending(session, subscription_id)
                await runtime.outbox.add(
                    session,
                    SubscriptionEnabled(
                        subscription_id=row.id, partner_id=row.partner_id, enabled_at=now, version=row.version
                    ),
                    subject=row.id,
                    sequence=row.version,
                )
                wake_after_commit(session, context)
    with_etag(response, row.version)
    return subscription_out(row)


@router.post("/partners/{partner_id}/subscriptions/{subscription_id}/disable", response_model=SubscriptionOut)
async def disable_subscription(
    partner_id: uuid.UUID,
    subscription_id: uuid.UUID,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    response: Response,
) -> SubscriptionOut:
    """Pause: nothing is sent and no new events are queued until it is enabled again."""
    require_partner(principal, partner_id)
    now = datetime.now(UTC)
    async with runtime.transaction() as session:
        row = await load_subscription(session, partner_id, subscription_id)
        changed = await store.set_status(
            session, subscription_id, to="disabled", from_=("active",), reason="manual", now=now
        )
        if changed is not None:
            row = changed
            await runtime.outbox.add(
                session,
                SubscriptionDisabled(
                    subscription_id=row.id,
                    partner_id=row.partner_id,
                    reason="manual",
                    consecutive_failures=row.consecutive_failures,
                    failing_since=row.failing_since,
                    last_error=row.last_error,
                    disabled_at=now,
                    version=row.version,
                ),
                subject=row.id,
                sequence=row.version,
            )
    with_etag(response, row.version)
    return subscription_out(row)


@router.post("/partners/{partner_id}/subscriptions/{subscription_id}/rotate-secret", response_model=SecretOut)
async def rotate_secret(
    partner_id: uuid.UUID, subscription_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep
) -> SecretOut:
    """A new secret, shown once; deliveries carry signatures with both until the old one expires."""
    require_partner(principal, partner_id)
    until = datetime.now(UTC) + timedelta(hours=context_of(runtime).settings.secret_grace_hours)
    secret = new_secret()
    async with runtime.transaction() as session:
        row = await load_subscription(session, partner_id, subscription_id, lock=True)
        await session.execute(
            subscriptions.update()
            .where(subscriptions.c.id == subscription_id)
            .values(
                secret=secret,
                previous_secret=row.secret,
                previous_secret_until=until,
                version=row.version + 1,
                updated_at=func.now(),
            )
        )
    return SecretOut(secret=secret, previous_secret_valid_until=until)


@router.post("/partners/{partner_id}/subscriptions/{subscription_id}/replay", status_code=202, response_model=ReplayOut)
async def replay(
    partner_id: uuid.UUID, subscription_id: uuid.UUID, body: ReplayIn, principal: CurrentPrincipal, runtime: RuntimeDep
) -> ReplayOut:
    """Queue again every retained event of [since, until) that the subscription wants, oldest first."""
    require_partner(principal, partner_id)
    context = context_of(runtime)
    until = body.until or datetime.now(UTC)
    if until <= body.since:
        raise invalid("until", "must be after since")
    limit = context.settings.replay_limit
    async with runtime.transaction() as session:
        row = await load_subscription(session, partner_id, subscription_id)
        queued = await store.replay(session, row, body.since, until, limit + 1)
        if queued > limit:
            raise invalid("since", f"more than {limit} events in this range; replay a shorter range")
        retained = await store.oldest_retained(session)
        if queued:
            wake_after_commit(session, context)
    return ReplayOut(queued=queued, since=body.since, until=until, retained_since=retained)


# --- deliveries ------------------------------------------------------------------------------------------------


def delivery_out(row: Any, attempts: list[Any]) -> DeliveryOut:
    out = DeliveryOut.model_validate(row, from_attributes=True)
    if out.status != "pending":
        out.next_attempt_at = None
    out.attempt_log = [AttemptOut.model_validate(a, from_attributes=True) for a in attempts]
    return out


async def attempts_of(session: AsyncSession, delivery_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    grouped: dict[uuid.UUID, list[Any]] = {i: [] for i in delivery_ids}
    if delivery_ids:
        rows = await session.execute(
            select(delivery_attempts)
            .where(delivery_attempts.c.delivery_id.in_(delivery_ids))
            .order_by(delivery_attempts.c.delivery_id, delivery_attempts.c.attempt, delivery_attempts.c.id)
        )
        for row in rows:
            grouped[row.delivery_id].append(row)
    return grouped


@router.get("/partners/{partner_id}/subscriptions/{subscription_id}/deliveries", response_model=DeliveryPage)
async def list_deliveries(
    partner_id: uuid.UUID,
    subscription_id: uuid.UUID,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    status: DeliveryStatus | None = None,
    event_type: Annotated[str | None, Query(max_length=200)] = None,
    subject: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> DeliveryPage:
    """The delivery log, newest first, each delivery with its attempts (status code, latency, error)."""
    require_partner(principal, partner_id)
    query = (
        select(deliveries)
        .where(deliveries.c.subscription_id == subscription_id)
        .order_by(deliveries.c.seq.desc())
        .limit(limit + 1)
    )
    if status:
        query = query.where(deliveries.c.status == status)
    if event_type:
        query = query.where(deliveries.c.event_type == event_type)
    if subject:
        query = query.where(deliveries.c.subject == subject)
    after = decode_cursor(cursor, 1)
    if after:
        if not after[0].isdigit():
            raise invalid("cursor", "not a cursor this service issued")
        query = query.where(deliveries.c.seq < int(after[0]))
    async with runtime.sessions() as session:
        await load_subscription(session, partner_id, subscription_id)
        rows = (await session.execute(query)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        attempts = await attempts_of(session, [r.id for r in rows])
    return DeliveryPage(
        items=[delivery_out(r, attempts[r.id]) for r in rows],
        next_cursor=encode_cursor([rows[-1].seq]) if more else None,
    )


async def load_delivery(session: AsyncSession, principal: Principal, delivery_id: uuid.UUID) -> Row:
    row = (
        await session.execute(
            select(deliveries, subscriptions.c.partner_id)
            .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
            .where(deliveries.c.id == delivery_id)
        )
    ).first()
    if row is None:
        raise not_found("delivery", delivery_id)
    require_partner(principal, row.partner_id)
    return row


@router.get("/deliveries/{delivery_id}", response_model=DeliveryOut)
async def get_delivery(delivery_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep) -> DeliveryOut:
    async with runtime.sessions() as session:
        row = await load_delivery(session, principal, delivery_id)
        attempts = await attempts_of(session, [row.id])
    return delivery_out(row, attempts[row.id])


@router.post("/deliveries/{delivery_id}/redeliver", status_code=202, response_model=DeliveryOut)
async def redeliver(
    delivery_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> DeliveryOut:
    """Send the event of this delivery once more, as a new delivery with its own attempts (also to a subscription
    that is disabled: it waits until the subscription is enabled)."""
    async with runtime.transaction() as session:
        original = await load_delivery(session, principal, delivery_id)
        if not await store.event_retained(session, original.event_id):
            raise Problem(
                410, "event-expired", "Gone", f"event {original.event_id} is no longer retained and cannot be sent"
            )
        values = store.delivery_row(
            original.subscription_id,
            original.event_id,
            original.event_type,
            original.subject,
            original.event_time,
            origin="redelivery",
            redelivery_of=original.id,
        )
        row = (await session.execute(deliveries.insert().values(**values).returning(*deliveries.c))).first()
        wake_after_commit(session, context_of(runtime))
    response.headers["Location"] = f"{router.prefix}/deliveries/{row.id}"
    return delivery_out(row, [])
