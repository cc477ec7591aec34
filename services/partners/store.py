"""Queries of the partner service; nothing here commits (the request, the consumer or the worker does)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, delete, func, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.partners.domain.matching import Interest, event_facts, wants
from services.partners.models import deliveries, partner_events, subscriptions
from shared.contracts.envelope import CloudEvent
from shared.contracts.registry import PERSONAL_EVENT_TYPES, ContributorErased


def interest_of(row: Any) -> Interest:
    return Interest(tuple(row.event_types), frozenset(row.provinces or ()), frozenset(row.collective_kinds or ()))


async def active_interests(session: AsyncSession) -> list[tuple[uuid.UUID, Interest]]:
    rows = await session.execute(
        select(
            subscriptions.c.id, subscriptions.c.event_types, subscriptions.c.provinces, subscriptions.c.collective_kinds
        ).where(subscriptions.c.status == "active")
    )
    return [(row.id, interest_of(row)) for row in rows]


def delivery_row(
    subscription_id: uuid.UUID,
    event_id: uuid.UUID,
    event_type: str,
    subject: str | None,
    event_time: datetime,
    origin: str = "live",
    redelivery_of: uuid.UUID | None = None,
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "subscription_id": subscription_id,
        "event_id": event_id,
        "event_type": event_type,
        "subject": subject,
        "subject_key": (subject or str(event_id))[:200],
        "event_time": event_time,
        "origin": origin,
        "redelivery_of": redelivery_of,
    }


LIVE_DELIVERY = pg_insert(deliveries).on_conflict_do_nothing(
    index_elements=["subscription_id", "event_id"], index_where=text("origin = 'live'")
)
KEEP_EVENT = pg_insert(partner_events).on_conflict_do_nothing()


async def insert_deliveries(session: AsyncSession, rows: list[dict[str, Any]], *, live: bool) -> None:
    # A list of parameter sets runs as one cached statement in batches ("insertmanyvalues"); building a multi-row
    # VALUES clause instead is compiled anew for every batch, which cost more than the database's work here.
    if rows:
        await session.execute(LIVE_DELIVERY if live else deliveries.insert(), rows)


def event_row(event: CloudEvent) -> dict[str, Any]:
    payload = event.model_dump(mode="json")
    return {"event_id": event.id, "type": event.type, "subject": event.subject, "time": event.time, "payload": payload}


async def forget_the_erased(session: AsyncSession, events: Sequence[CloudEvent]) -> None:
    """AVG/GDPR: once a person is erased, their earlier events are no longer kept here (a delivery still queued for
    one ends as `expired`); the erasure event itself is kept and delivered, so partners can erase too."""
    erased = [e.subject for e in events if e.type == ContributorErased.event_type() and e.subject]
    if erased:
        await session.execute(
            delete(partner_events).where(
                partner_events.c.subject.in_(erased), partner_events.c.type.in_(PERSONAL_EVENT_TYPES)
            )
        )


async def ingest(session: AsyncSession, events: Sequence[CloudEvent]) -> int:
    """Keep the events for replay and queue one delivery per matching active subscription; the number queued."""
    await session.execute(
        KEEP_EVENT,
        [
            {
                "event_id": e.id,
                "type": e.type,
                "subject": e.subject,
                "time": e.time,
                "payload": e.model_dump(mode="json"),
            }
            for e in events
        ],
    )
    await forget_the_erased(session, events)
    interests = await active_interests(session)
    if not interests:
        return 0
    rows = []
    for e in events:
        facts = event_facts(e.type, e.data)
        rows += [
            delivery_row(sid, e.id, e.type, e.subject, e.time)
            for sid, interest in interests
            if wants(interest, e.type, facts)
        ]
    await insert_deliveries(session, rows, live=True)
    return len(rows)


async def replay(
    session: AsyncSession, subscription: Row, since: datetime, until: datetime, limit: int, batch: int = 1000
) -> int:
    """Queue again every retained event in [since, until) that the subscription wants, oldest first."""
    interest = interest_of(subscription)
    queued = 0
    after: tuple[datetime, uuid.UUID] | None = None
    while queued < limit:
        query = (
            select(
                partner_events.c.event_id,
                partner_events.c.type,
                partner_events.c.subject,
                partner_events.c.time,
                partner_events.c.payload["data"].label("data"),
            )
            .where(partner_events.c.time >= since, partner_events.c.time < until)
            .order_by(partner_events.c.time, partner_events.c.event_id)
            .limit(batch)
        )
        if after is not None:
            query = query.where(tuple_(partner_events.c.time, partner_events.c.event_id) > after)
        found = (await session.execute(query)).all()
        if not found:
            break
        rows = [
            delivery_row(subscription.id, r.event_id, r.type, r.subject, r.time, origin="replay")
            for r in found
            if wants(interest, r.type, event_facts(r.type, r.data or {}))
        ][: limit - queued]
        await insert_deliveries(session, rows, live=False)
        queued += len(rows)
        after = (found[-1].time, found[-1].event_id)
    return queued


async def oldest_retained(session: AsyncSession) -> datetime | None:
    return (await session.execute(select(func.min(partner_events.c.time)))).scalar()


async def event_retained(session: AsyncSession, event_id: uuid.UUID) -> bool:
    found = await session.execute(select(partner_events.c.event_id).where(partner_events.c.event_id == event_id))
    return found.first() is not None


# --- the worker's side -----------------------------------------------------------------------------------------


@dataclass
class Claimed:
    id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    attempts: int  # made before this one
    seq: int
    subject_key: str
    event_time: datetime
    claim_token: uuid.UUID
    url: str
    secrets: list[str]
    payload: dict | None  # None when the event is no longer retained
    subscription_failing: bool = False  # its failure run was not empty when this was claimed


# Per active subscription, its due pending deliveries in order (at most the slots it has left in this process),
# skipping any whose subject still has an earlier delivery open; then the rows nobody else holds, round-robin over
# subscriptions, up to this process's free capacity. SKIP LOCKED lets replicas claim side by side. The candidates
# are MATERIALIZED: inlined, the planner (misled by a young table's statistics) re-ran them for every pending row.
# OFFSET 0 keeps the ordering check a per-row probe of the (subscription, subject, seq) index instead of a join that
# the planner may run against every open delivery of the subscription.
CLAIM = text(
    """
    WITH busy AS (
        SELECT * FROM unnest(CAST(:busy_ids AS uuid[]), CAST(:busy_counts AS int[])) AS b(subscription_id, n)
    ),
    candidates AS MATERIALIZED (
        SELECT c.id, c.rank
        FROM partners.subscriptions s
        CROSS JOIN LATERAL (
            SELECT d.id, row_number() OVER (ORDER BY d.next_attempt_at, d.seq) AS rank
            FROM partners.deliveries d
            WHERE d.subscription_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= now()
              AND NOT EXISTS (
                  SELECT 1 FROM partners.deliveries e
                  WHERE e.subscription_id = d.subscription_id AND e.subject_key = d.subject_key
                    AND e.seq < d.seq AND e.status IN ('pending', 'in_flight')
                  OFFSET 0)
            ORDER BY d.next_attempt_at, d.seq
            LIMIT :per_subscription
        ) c
        WHERE s.status = 'active'
          AND c.rank <= :per_subscription - coalesce((SELECT b.n FROM busy b WHERE b.subscription_id = s.id), 0)
    ),
    picked AS (
        SELECT d.id, d.subscription_id, d.event_id
        FROM partners.deliveries d JOIN candidates c ON c.id = d.id
        WHERE d.status = 'pending'
        ORDER BY c.rank
        LIMIT :capacity
        FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE partners.deliveries d
    SET status = 'in_flight', claim_token = :token, lease_until = now() + make_interval(secs => :lease),
        updated_at = now()
    FROM picked
    JOIN partners.subscriptions s ON s.id = picked.subscription_id
    LEFT JOIN partners.partner_events p ON p.event_id = picked.event_id
    WHERE d.id = picked.id
    RETURNING d.id, d.subscription_id, d.event_id, d.event_type, d.attempts, d.seq, d.subject_key, d.event_time,
              s.url, s.secret, s.previous_secret, s.previous_secret_until, p.payload,
              s.consecutive_failures > 0 OR s.failing_since IS NOT NULL AS subscription_failing
    """
)


async def claim(
    session: AsyncSession, *, capacity: int, per_subscription: int, busy: dict[uuid.UUID, int], lease_seconds: float
) -> list[Claimed]:
    token = uuid.uuid4()
    # Planned afresh every time: a plan cached while the table was nearly empty (the prepared statement's generic
    # plan) scanned the whole table per candidate once a burst had filled it — 9 to 14 s per claim, measured.
    await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    rows = await session.execute(
        CLAIM,
        {
            "busy_ids": list(busy),
            "busy_counts": list(busy.values()),
            "per_subscription": per_subscription,
            "capacity": capacity,
            "token": token,
            "lease": lease_seconds,
        },
    )
    now = datetime.now(UTC)
    claimed = []
    for r in rows:
        secrets = [r.secret]
        if r.previous_secret and r.previous_secret_until and r.previous_secret_until > now:
            secrets.append(r.previous_secret)
        claimed.append(
            Claimed(
                r.id,
                r.subscription_id,
                r.event_id,
                r.event_type,
                r.attempts,
                r.seq,
                r.subject_key,
                r.event_time,
                token,
                r.url,
                secrets,
                r.payload,
                r.subscription_failing,
            )
        )
    return sorted(claimed, key=lambda c: c.seq)


async def reclaim_expired(session: AsyncSession) -> int:
    """In-flight deliveries whose worker died (its lease ran out) become pending again."""
    result = await session.execute(
        update(deliveries)
        .where(deliveries.c.status == "in_flight", deliveries.c.lease_until < func.now())
        .values(status="pending", claim_token=None, lease_until=None, updated_at=func.now())
    )
    return result.rowcount or 0


async def prune(session: AsyncSession, events_before: datetime, log_before: datetime, batch: int = 5000) -> int:
    open_delivery = (
        select(deliveries.c.id)
        .where(deliveries.c.event_id == partner_events.c.event_id, deliveries.c.status.in_(("pending", "in_flight")))
        .exists()
    )
    old_events = (
        select(partner_events.c.event_id)
        .where(partner_events.c.time < events_before, ~open_delivery)
        .limit(batch)
        .scalar_subquery()
    )
    removed = (await session.execute(delete(partner_events).where(partner_events.c.event_id.in_(old_events)))).rowcount
    old_log = (
        select(deliveries.c.id)
        .where(deliveries.c.status.in_(("delivered", "dead")), deliveries.c.updated_at < log_before)
        .limit(batch)
        .scalar_subquery()
    )
    removed += (await session.execute(delete(deliveries).where(deliveries.c.id.in_(old_log)))).rowcount
    return removed or 0


# A delivery may be gone by the time its attempt is recorded (its subscription was deleted meanwhile).
RECORD_ATTEMPT = text(
    """
    INSERT INTO partners.delivery_attempts
        (delivery_id, subscription_id, attempt, started_at, latency_ms, status_code, result, error)
    SELECT :delivery_id, :subscription_id, :attempt, :started_at, :latency_ms, :status_code, :result, :error
    WHERE EXISTS (SELECT 1 FROM partners.deliveries WHERE id = :delivery_id)
    """
)


MARK_DELIVERED = text(
    """
    UPDATE partners.deliveries
    SET status = 'delivered', attempts = :attempts, last_status_code = :status_code, last_error = NULL,
        delivered_at = :now, claim_token = NULL, lease_until = NULL, updated_at = :now
    WHERE id = :id AND claim_token = :token
    """
)
MARK_FAILED = text(
    """
    UPDATE partners.deliveries
    SET status = :status, attempts = :attempts, last_status_code = :status_code, last_error = :error,
        next_attempt_at = :next_attempt_at, claim_token = NULL, lease_until = NULL, updated_at = :now
    WHERE id = :id AND claim_token = :token
    """
)
# Later deliveries of the same subject wait anyway; making them not due keeps the claim from scanning them.
HOLD_SUCCESSORS = text(
    """
    UPDATE partners.deliveries
    SET next_attempt_at = :next_attempt_at
    WHERE subscription_id = :subscription_id AND subject_key = :subject_key AND seq > :seq
      AND status = 'pending' AND next_attempt_at < :next_attempt_at
    """
)


async def execute_many(session: AsyncSession, statement: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(statement, rows)


async def reset_failures(session: AsyncSession, subscription_id: uuid.UUID) -> None:
    await session.execute(
        update(subscriptions)
        .where(
            subscriptions.c.id == subscription_id,
            (subscriptions.c.consecutive_failures != 0) | subscriptions.c.failing_since.is_not(None),
        )
        .values(consecutive_failures=0, failing_since=None)
    )


async def add_failures(
    session: AsyncSession,
    subscription_id: uuid.UUID,
    *,
    count: int,
    first_failure: datetime,
    last_error: str | None,
    restart: bool,
) -> Row | None:
    """Count failed attempts; `restart` when a success came before them in the same batch."""
    values: dict[str, Any] = {"last_error": (last_error or "")[:1000] or None}
    if restart:
        values |= {"consecutive_failures": count, "failing_since": first_failure}
    else:
        values |= {
            "consecutive_failures": subscriptions.c.consecutive_failures + count,
            "failing_since": func.coalesce(subscriptions.c.failing_since, first_failure),
        }
    result = await session.execute(
        update(subscriptions)
        .where(subscriptions.c.id == subscription_id)
        .values(**values)
        .returning(subscriptions.c.status, subscriptions.c.consecutive_failures, subscriptions.c.failing_since)
    )
    return result.first()


async def set_status(
    session: AsyncSession,
    subscription_id: uuid.UUID,
    *,
    to: str,
    from_: Iterable[str],
    reason: str | None,
    now: datetime,
) -> Row | None:
    """Race-safe status change: the updated row, or None when it was not in one of `from_`."""
    values: dict[str, Any] = {"status": to, "version": subscriptions.c.version + 1, "updated_at": now}
    if to == "disabled":
        values |= {"disabled_reason": reason, "disabled_at": now}
    else:
        values |= {"disabled_reason": None, "disabled_at": None, "consecutive_failures": 0, "failing_since": None}
    result = await session.execute(
        update(subscriptions)
        .where(subscriptions.c.id == subscription_id, subscriptions.c.status.in_(tuple(from_)))
        .values(**values)
        .returning(*subscriptions.c)
    )
    return result.first()


async def resume_pending(session: AsyncSession, subscription_id: uuid.UUID) -> int:
    result = await session.execute(
        update(deliveries)
        .where(deliveries.c.subscription_id == subscription_id, deliveries.c.status == "pending")
        .values(next_attempt_at=func.now())
    )
    return result.rowcount or 0


async def backlog_by_subscription(session: AsyncSession) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(deliveries.c.subscription_id, func.count())
        .where(deliveries.c.status.in_(("pending", "in_flight")))
        .group_by(deliveries.c.subscription_id)
    )
    return dict(rows.all())
