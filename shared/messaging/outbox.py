"""Transactional outbox and inbox tables, declared on each service's own MetaData (and so in its migrations).

`Outbox.add` writes the event in the caller's transaction; only the relay publishes (ARCHITECTURE.md §4).

Waking the relay: an outbox bound to its process's relay and engine (`Outbox.bind`, done by every service) wakes that
relay in memory once a transaction with events has committed, and only when another process holds the relay's lock
sends that one a NOTIFY, coalesced and outside the data transaction. A NOTIFY inside the data transaction would
serialise every committing writer on PostgreSQL's notification-queue lock, fsync included (measured: a quarter of
the registration rate). An unbound outbox (tools, tests) notifies inside the transaction as before. The relay polls
as well, so a lost wake-up only costs one poll interval.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
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
    delete,
    func,
    insert,
    text,
)
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared.contracts.envelope import CloudEvent, EventData, make_event
from shared.observability import causation_id, correlation_id

log = logging.getLogger("onderop.outbox")


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
        self._wake_local_relay: Callable[[], bool] | None = None
        self._engine: AsyncEngine | None = None
        self._notifying: asyncio.Task | None = None
        self._notify_again = False

    def bind(self, wake_local_relay: Callable[[], bool], engine: AsyncEngine) -> None:
        """`wake_local_relay()` wakes this process's relay and says whether it is the active one."""
        self._wake_local_relay = wake_local_relay
        self._engine = engine

    @property
    def bound(self) -> bool:
        return self._engine is not None

    def committed(self) -> None:
        """Call after a transaction that added events has committed (a bound outbox's sessions do it themselves)."""
        if self._wake_local_relay is None or self._wake_local_relay():
            return
        if self._notifying is not None and not self._notifying.done():
            self._notify_again = True
            return
        self._notifying = asyncio.get_running_loop().create_task(self._notify_active_relay())

    async def _notify_active_relay(self) -> None:
        assert self._engine is not None
        try:
            while True:
                self._notify_again = False
                async with self._engine.connect() as connection:
                    await connection.execute(text("SELECT pg_notify(:channel, '')"), {"channel": self.channel})
                    await connection.commit()
                if not self._notify_again:
                    return
        except Exception as exc:
            log.debug("could not notify the relay of %s: %s", self.channel, exc)

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
        await self.written(session)

    async def written(self, session: AsyncSession) -> None:
        """Say that this transaction wrote outbox rows, so that the relay is woken once it commits (once per
        transaction however often this is called). `add_events` calls it; a service that writes its outbox rows with
        its own statement calls it too."""
        marker = ("outbox_written", id(session.get_transaction()))
        if session.info.get(marker):
            return
        session.info[marker] = True
        if self.bound:
            sa_event.listen(session.sync_session, "after_commit", self._after_commit, once=True)
        else:
            await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": self.channel})

    def _after_commit(self, session: object) -> None:
        self.committed()

    async def forget(self, session: AsyncSession, subject: str, event_types: Sequence[str]) -> list[str]:
        """Erasure: delete the subject's rows of these types, published or not, so that the retained outbox holds
        no personal data of theirs and a replay cannot send it again (the event that erases them has the higher
        `sequence`, so consumers lose nothing). Returns the event ids, for `forget_entries` on the stream."""
        result = await session.execute(
            delete(self.table)
            .where(self.table.c.subject == subject, self.table.c.type.in_(list(event_types)))
            .returning(self.table.c.event_id)
        )
        return [str(event_id) for event_id in result.scalars()]


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
