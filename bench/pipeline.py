"""Event pipeline: outbox insert → relay → stream → idempotent consumer (inbox + read-model upsert) committed.

The platform kit runs next to a hand-written minimal loop doing the same I/O (batched INSERT into an outbox,
pipelined XADD, XREADGROUP, one transaction per batch with batched INSERTs, XACK) in the same process and run, on the
same servers. Reported: sustained events/s of each and the ratio; then p50/p99 end-to-end latency (event time →
consumer commit) of both at half the kit's maximum rate.

    python -m bench.pipeline [--seconds 60] [--latency-seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import time
import uuid
from datetime import UTC, datetime

import asyncpg
from faststream.redis import RedisBroker
from redis.asyncio import Redis
from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bench.common import bench_servers, percentile
from shared.contracts.envelope import CloudEvent, EventData, event, make_event
from shared.db import asyncpg_dsn, create_engine, session_factory
from shared.messaging.consumer import EventConsumer
from shared.messaging.outbox import Outbox, inbox_table, outbox_table
from shared.messaging.relay import OutboxRelay
from shared.messaging.streams import ensure_group
from shared.settings import role_name

PRODUCER, CONSUMER, RAW = "benchprod", "benchcons", "benchraw"
BATCH = 100

producer_md = MetaData(schema=PRODUCER)
producer_outbox = outbox_table(producer_md)
consumer_md = MetaData(schema=CONSUMER)
consumer_inbox = inbox_table(consumer_md)
consumer_outbox = outbox_table(consumer_md)
read_model = Table(
    "read_model",
    consumer_md,
    Column("subject", UUID(as_uuid=True), primary_key=True),
    Column("label", String(100), nullable=False),
    Column("sequence", Integer, nullable=False),
)

RAW_DDL = f"""
CREATE TABLE {RAW}.outbox (id bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, type text NOT NULL,
  subject text, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz);
CREATE INDEX ON {RAW}.outbox (id) WHERE published_at IS NULL;
CREATE TABLE {RAW}.inbox (event_id uuid PRIMARY KEY);
CREATE TABLE {RAW}.read_model (subject uuid PRIMARY KEY, label text NOT NULL, sequence int NOT NULL);
"""


@event("benchprod", "item.changed")
class ItemChanged(EventData):
    label: str


class Meter:
    def __init__(self) -> None:
        self.count = 0
        self.latencies: list[float] = []
        self.record_latency = False

    def seen(self, event_times: list[str]) -> None:
        self.count += len(event_times)
        if self.record_latency:
            now = time.time()
            self.latencies += [now - datetime.fromisoformat(t).timestamp() for t in event_times]


def new_events(n: int) -> list[CloudEvent]:
    return [make_event(ItemChanged(label=f"item-{i}"), subject=uuid.uuid4(), sequence=1) for i in range(n)]


# --- the kit -----------------------------------------------------------------------------------------------------


class MeteredConsumer(EventConsumer):
    meter: Meter

    async def process(self, stream: str, entries: list, *, deliveries: int) -> None:
        await super().process(stream, entries, deliveries=deliveries)
        self.meter.seen([e.fields["time"] for e in entries])


class KitPath:
    name = "kit"

    def __init__(self, admin_url: str, redis_url: str, stream: str) -> None:
        self.producer_url = _role_url(admin_url, PRODUCER)
        self.consumer_url = _role_url(admin_url, CONSUMER)
        self.redis_url = redis_url
        self.stream = stream
        self.meter = Meter()

    async def setup(self) -> None:
        for url, md in ((self.producer_url, producer_md), (self.consumer_url, consumer_md)):
            engine = create_async_engine(url)
            async with engine.begin() as conn:
                await conn.run_sync(md.create_all)
            await engine.dispose()
        self.producer_engine = create_engine(self.producer_url, PRODUCER, pool_size=4)
        self.producer_sessions = session_factory(self.producer_engine)
        self.outbox = Outbox(producer_outbox, self.stream)
        self.redis = Redis.from_url(self.redis_url)
        self.relay = OutboxRelay(asyncpg_dsn(self.producer_url), PRODUCER, self.redis, poll_interval=0.2)
        self.outbox.bind(self.relay.wake, self.producer_engine)  # as every service wires it (shared/service.py)
        self.consumer_engine = create_engine(self.consumer_url, CONSUMER, pool_size=4)
        self.broker = RedisBroker(self.redis_url, logger=None)
        self.consumer = MeteredConsumer(
            CONSUMER,
            sessions=session_factory(self.consumer_engine),
            inbox=consumer_inbox,
            redis=self.redis,
            dlq_stream=f"{self.stream}:dlq",
            batch_size=BATCH,
            block_ms=100,
            claim_idle_ms=30_000,
        )
        self.consumer.meter = self.meter
        self.consumer.consume(self.stream)

        @self.consumer.handles(ItemChanged.event_type(), batch=True)
        async def upsert(session: AsyncSession, events: list[CloudEvent]) -> None:
            statement = pg_insert(read_model).values(
                [{"subject": uuid.UUID(e.subject), "label": e.data["label"], "sequence": e.sequence} for e in events]
            )
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=[read_model.c.subject],
                    set_={"label": statement.excluded.label, "sequence": statement.excluded.sequence},
                    where=read_model.c.sequence < statement.excluded.sequence,
                )
            )

        self.consumer.attach(self.broker)
        await self.consumer.ensure_groups()
        await self.broker.start()
        self.relay_task = asyncio.create_task(self.relay.run())

    async def produce(self, n: int) -> None:
        async with self.producer_sessions() as session, session.begin():
            await self.outbox.add_events(session, new_events(n))

    async def teardown(self) -> None:
        self.relay.stop()
        self.relay_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.relay_task
        await self.broker.stop()
        await self.redis.aclose()
        await self.producer_engine.dispose()
        await self.consumer_engine.dispose()


# --- the hand-written baseline -----------------------------------------------------------------------------------


class RawPath:
    name = "baseline"

    def __init__(self, admin_url: str, redis_url: str, stream: str) -> None:
        self.dsn = asyncpg_dsn(_role_url(admin_url, RAW))
        self.redis_url = redis_url
        self.stream = stream
        self.meter = Meter()
        self.tasks: list[asyncio.Task] = []

    async def setup(self) -> None:
        self.pool = await asyncpg.create_pool(self.dsn, min_size=3, max_size=6)
        async with self.pool.acquire() as conn:
            await conn.execute(RAW_DDL)
        self.redis = Redis.from_url(self.redis_url)
        await ensure_group(self.redis, self.stream, "raw")
        self.tasks = [asyncio.create_task(self._relay()), asyncio.create_task(self._consume())]

    async def produce(self, n: int) -> None:
        rows = [(e.id, e.type, e.subject, e.model_dump_json()) for e in new_events(n)]
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.executemany(
                f"INSERT INTO {RAW}.outbox (event_id, type, subject, payload) VALUES ($1, $2, $3, $4::jsonb)", rows
            )

    async def _relay(self) -> None:
        async with self.pool.acquire() as conn:
            while True:
                rows = await conn.fetch(
                    f"SELECT id, event_id, type, subject, payload::text AS payload FROM {RAW}.outbox "
                    "WHERE published_at IS NULL ORDER BY id LIMIT 500"
                )
                if not rows:
                    await asyncio.sleep(0.01)
                    continue
                async with self.redis.pipeline(transaction=False) as pipe:
                    for r in rows:
                        pipe.xadd(
                            self.stream,
                            {
                                "id": str(r["event_id"]),
                                "type": r["type"],
                                "subject": r["subject"],
                                "time": json.loads(r["payload"])["time"],
                                "data": r["payload"],
                            },
                        )
                    await pipe.execute()
                await conn.execute(
                    f"UPDATE {RAW}.outbox SET published_at = now() WHERE id = ANY($1::bigint[])",
                    [r["id"] for r in rows],
                )

    async def _consume(self) -> None:
        async with self.pool.acquire() as conn:
            while True:
                response = await self.redis.xreadgroup("raw", "raw-1", {self.stream: ">"}, count=BATCH, block=100)
                if not response:
                    continue
                entries = response[0][1]
                events = [json.loads(fields[b"data"]) for _, fields in entries]
                async with conn.transaction():
                    await conn.executemany(
                        f"INSERT INTO {RAW}.inbox (event_id) VALUES ($1) ON CONFLICT DO NOTHING",
                        [(uuid.UUID(e["id"]),) for e in events],
                    )
                    await conn.executemany(
                        f"INSERT INTO {RAW}.read_model (subject, label, sequence) VALUES ($1, $2, $3) "
                        "ON CONFLICT (subject) DO UPDATE SET label = excluded.label, sequence = excluded.sequence "
                        "WHERE read_model.sequence < excluded.sequence",
                        [(uuid.UUID(e["subject"]), e["data"]["label"], e["sequence"]) for e in events],
                    )
                await self.redis.xack(self.stream, "raw", *[eid for eid, _ in entries])
                self.meter.seen([e["time"] for e in events])

    async def teardown(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.redis.aclose()
        await self.pool.close()


def _role_url(admin_url: str, schema: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(admin_url).set(username=role_name(schema)).render_as_string(hide_password=False)


# --- the runs ----------------------------------------------------------------------------------------------------


async def max_rate(path, seconds: float, warmup: float = 3.0) -> float:
    """Produce as fast as possible in batches; the sustained rate is what the consumer committed per second."""
    stop_at = time.monotonic() + warmup + seconds
    measured_from = time.monotonic() + warmup
    start_count = None
    # The meter counts over the path's life; this round's backlog is what it produced beyond what was consumed since.
    base = path.meter.count

    async def producer() -> None:
        while time.monotonic() < stop_at:
            # Keep a bounded backlog so the figure is the pipeline's, not the producer's.
            if path.meter.count - base + 20 * BATCH < produced[0]:
                await asyncio.sleep(0.002)
                continue
            await path.produce(BATCH)
            produced[0] += BATCH

    produced = [0]
    task = asyncio.create_task(producer())
    while time.monotonic() < measured_from:
        await asyncio.sleep(0.05)
    start_count, t0 = path.meter.count, time.monotonic()
    await task
    elapsed = time.monotonic() - t0
    rate = (path.meter.count - start_count) / elapsed
    await drain(path, base + produced[0])
    return rate


async def drain(path, produced: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while path.meter.count < produced and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    if path.meter.count < produced:
        left = produced - path.meter.count
        print(f"{path.name:>8}: {left} events still unconsumed after {timeout:.0f} s", flush=True)


async def latency_at(path, rate: float, seconds: float) -> tuple[float, float]:
    """Produce `rate` events/s in transactions of 10 (like a busy HTTP gateway), record end-to-end latency."""
    per_tx = 10
    path.meter.latencies.clear()
    path.meter.record_latency = True
    base = path.meter.count
    produced = 0
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        await path.produce(per_tx)
        produced += per_tx
        next_at = t0 + produced / rate
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
    await drain(path, base + produced)
    path.meter.record_latency = False
    lat = path.meter.latencies
    return percentile(lat, 50) * 1000, percentile(lat, 99) * 1000


async def main(seconds: float, latency_seconds: float, latency_rate: float | None = None) -> dict:
    async with bench_servers((PRODUCER, CONSUMER, RAW)) as servers:
        ns = f"bench-{uuid.uuid4().hex[:6]}"
        kit = KitPath(servers.admin_url, servers.redis_url, f"{ns}:events:kit")
        raw = RawPath(servers.admin_url, servers.redis_url, f"{ns}:events:raw")
        results: dict = {}
        try:
            for path in (raw, kit):
                await path.setup()
            # Alternate to spread machine noise over both.
            for path in (raw, kit, raw, kit):
                rate = await max_rate(path, seconds / 2)
                results.setdefault(path.name, []).append(rate)
                print(f"{path.name:>8}: {rate:8.0f} events/s", flush=True)
            kit_rate = sum(results["kit"]) / 2
            raw_rate = sum(results["baseline"]) / 2
            half = latency_rate or kit_rate / 2
            # The kit first: at this rate the baseline's polling loop may fall behind, and whatever backlog it has
            # left after its drain time would still be consuming CPU while the next path is measured.
            for path in (kit, raw):
                p50, p99 = await latency_at(path, half, latency_seconds)
                results[f"{path.name}_latency_ms"] = (p50, p99)
                print(f"{path.name:>8}: at {half:.0f} events/s p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)
        finally:
            for path in (kit, raw):
                with contextlib.suppress(Exception):
                    await path.teardown()
            redis = Redis.from_url(servers.redis_url)
            async for key in redis.scan_iter(match=f"{ns}*"):
                await redis.delete(key)
            await redis.aclose()
        summary = {
            "kit_events_per_s": round(kit_rate),
            "baseline_events_per_s": round(raw_rate),
            "ratio": round(kit_rate / raw_rate, 2),
            "half_rate": round(half),
            "kit_p50_ms": round(results["kit_latency_ms"][0], 1),
            "kit_p99_ms": round(results["kit_latency_ms"][1], 1),
            "baseline_p50_ms": round(results["baseline_latency_ms"][0], 1),
            "baseline_p99_ms": round(results["baseline_latency_ms"][1], 1),
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        print(json.dumps(summary, indent=2))
        print(
            f"ratio kit/baseline: {summary['ratio']}x (target >= 0.5); kit p99 {summary['kit_p99_ms']} ms "
            "at half the kit's max rate (target < 100 ms)"
        )
        return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="sustained measurement per path (split in two)")
    parser.add_argument("--latency-seconds", type=float, default=20.0)
    parser.add_argument(
        "--latency-rate", type=float, default=None, help="events/s for the latency runs (default: half the kit's max)"
    )
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.latency_seconds, args.latency_rate))
