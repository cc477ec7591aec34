"""Transactional outbox and inbox tables, declared on each service's own MetaData (and so in its migrations).

`Outbox.add` writes the event in the caller's transaction; only the relay publishes (ARCHITECTURE.md §4).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.envelope import CloudEvent, EventData, make_event
from shared.observability import causation_id, correlation_id


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("stream", String(200), nullable=False),
        Column("type", String(200), nullable=False),
        Column("subject", String(200)),
        Column("payload", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("published_at", DateTime(timezone=True)),
        Index("ix_outbox_unpublished", "id", postgresql_where=text("published_at IS NULL")),
        Index("ix_outbox_created_at", "created_at"),
    )


def inbox_table(metadata: MetaData) -> Table:
    """One row per (event, consumer) applied: the primary key is the dedupe (as in eventsourcing's tracking table)."""
    return Table(
        "inbox",
        metadata,
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("consumer", String(100), primary_key=True),
        Column("type", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def idempotency_table(metadata: MetaData) -> Table:
    """Stored responses of POSTs sent with an `Idempotency-Key`."""
    return Table(
        "idempotency_keys",
        metadata,
        Column("key", String(200), primary_key=True),
        Column("principal", String(200), primary_key=True),
        Column("route", String(300), nullable=False),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", BigInteger, nullable=False),
        Column("response_body", Text, nullable=False),
        Column("response_headers", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def notify_channel(schema: str) -> str:
    return f"onderop_outbox_{schema}"


class Outbox:
    """Writes events into `<schema>.outbox` inside the caller's transaction."""

    def __init__(self, table: Table, stream: str) -> None:
        self.table = table
        self.stream = stream
        self.channel = notify_channel(table.schema or "public")

    async def add(
        self,
        session: AsyncSession,
        data: EventData,
        *,
        subject: str | uuid.UUID | None = None,
        sequence: int | None = None,
    ) -> CloudEvent:
        event = make_event(
            data,
            subject=subject,
            sequence=sequence,
            correlationid=correlation_id.get(),
            causationid=causation_id.get(),
        )
        await self.add_events(session, [event])
        return event

    async def add_events(self, session: AsyncSession, events: list[CloudEvent]) -> None:
        if not events:
            return
        await session.execute(
            insert(self.table),
            [
                {
                    "event_id": e.id,
                    "stream": self.stream,
                    "type": e.type,
                    "subject": e.subject,
                    "payload": e.model_dump(mode="json"),
                    "created_at": datetime.now(UTC),
                }
                for e in events
            ],
        )
        # One NOTIFY per transaction: PostgreSQL folds identical notifications of a transaction into one, and the
        # relay polls anyway, so a lost wake-up only costs one poll interval.
        transaction = session.get_transaction()
        marker = ("outbox_notified", id(transaction))
        if not session.info.get(marker):
            session.info[marker] = True
            await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": self.channel})


async def record_inbox(session: AsyncSession, table: Table, event: CloudEvent, consumer: str) -> bool:
    """Insert the inbox row; False when this consumer already applied the event (a duplicate)."""
    result = await session.execute(
        pg_insert(table)
        .values(event_id=event.id, consumer=consumer, type=event.type)
        .on_conflict_do_nothing()
        .returning(table.c.event_id)
    )
    return result.first() is not None


async def record_inbox_batch(
    session: AsyncSession, table: Table, events: list[CloudEvent], consumer: str
) -> set[uuid.UUID]:
    """Insert the inbox rows of a batch in one statement; the ids that were new (not applied before).

    One fixed statement over arrays, so it is prepared once per connection instead of compiled for every batch size.
    """
    result = await session.execute(
        text(
            f"INSERT INTO {table.schema}.{table.name} (event_id, consumer, type) "
            "SELECT e, :consumer, t FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[])) AS u(e, t) "
            "ON CONFLICT DO NOTHING RETURNING event_id"
        ),
        {"ids": [e.id for e in events], "types": [e.type for e in events], "consumer": consumer},
    )
    return {row[0] for row in result}
