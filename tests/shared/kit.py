"""A tiny producer and consumer built from the platform kit alone, so the kit is tested apart from any service."""

from __future__ import annotations

import uuid

from faststream.redis import RedisBroker
from redis.asyncio import Redis
from sqlalchemy import BigInteger, Column, MetaData, String, Table, func, insert, select
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.envelope import CloudEvent, EventData, event
from shared.db import asyncpg_dsn, create_engine, session_factory
from shared.messaging.consumer import EventConsumer
from shared.messaging.outbox import Outbox, idempotency_table, inbox_table, outbox_table
from shared.messaging.relay import OutboxRelay
from shared.settings import Settings

PRODUCER, CONSUMER = "kitprod", "kitcons"

producer_metadata = MetaData(schema=PRODUCER)
producer_outbox = outbox_table(producer_metadata)
producer_inbox = inbox_table(producer_metadata)
producer_idempotency = idempotency_table(producer_metadata)

consumer_metadata = MetaData(schema=CONSUMER)
consumer_inbox = inbox_table(consumer_metadata)
consumer_outbox = outbox_table(consumer_metadata)
effects = Table(
    "effects",
    consumer_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("label", String(100), nullable=False),
)


@event("kitprod", "thing.happened")
class ThingHappened(EventData):
    label: str
    fail: bool = False
    slow_ms: int = 0


def producer_url(settings: Settings) -> str:
    return settings.service_database_url(PRODUCER)


def consumer_url(settings: Settings) -> str:
    return settings.service_database_url(CONSUMER)


def make_relay(settings: Settings, redis: Redis, **kwargs) -> OutboxRelay:
    return OutboxRelay(asyncpg_dsn(producer_url(settings)), PRODUCER, redis, poll_interval=0.05, **kwargs)


def make_outbox(settings: Settings) -> Outbox:
    return Outbox(producer_outbox, settings.stream(PRODUCER))


class KitConsumer:
    """Applies ThingHappened into `effects`; `fail=True` events always raise."""

    def __init__(
        self,
        settings: Settings,
        redis: Redis,
        *,
        delivery_limit: int = 3,
        claim_idle_ms: int = 500,
        batch_size: int = 50,
    ) -> None:
        self.engine = create_engine(consumer_url(settings), CONSUMER, pool_size=4)
        self.sessions = session_factory(self.engine)
        self.broker = RedisBroker(settings.redis_url, logger=None)
        self.consumer = EventConsumer(
            CONSUMER,
            sessions=self.sessions,
            inbox=consumer_inbox,
            redis=redis,
            dlq_stream=settings.dlq_stream(CONSUMER),
            batch_size=batch_size,
            block_ms=50,
            claim_idle_ms=claim_idle_ms,
            delivery_limit=delivery_limit,
        )
        self.consumer.consume(settings.stream(PRODUCER))

        @self.consumer.handles(ThingHappened.event_type())
        async def apply(session: AsyncSession, cloud_event: CloudEvent) -> None:
            data = ThingHappened.model_validate(cloud_event.data)
            if data.slow_ms:
                import asyncio

                await asyncio.sleep(data.slow_ms / 1000)
            if data.fail:
                raise RuntimeError(f"cannot apply {data.label}")
            await session.execute(insert(effects).values(event_id=cloud_event.id, label=data.label))

        self.consumer.attach(self.broker)

    async def start(self) -> None:
        await self.consumer.ensure_groups()
        await self.broker.start()

    async def stop(self) -> None:
        await self.broker.stop()
        await self.engine.dispose()


async def effect_counts(settings: Settings) -> dict[str, int]:
    engine = create_engine(consumer_url(settings), CONSUMER, pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(select(effects.c.label, func.count()).group_by(effects.c.label))
            return {label: n for label, n in rows}
    finally:
        await engine.dispose()


def new_label() -> str:
    return uuid.uuid4().hex[:12]
