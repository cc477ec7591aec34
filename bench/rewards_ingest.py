"""Rewards ingest: knowledge events/s turned into ledger transactions through the real consumer path.

The rewards app runs in this process (routes, `EventConsumer` + its handlers, outbox relay) on a throw-away database.
A realistic mix of knowledge events — publications with co-authors, endorsements of popular authors (so the caps
bite), withdrawals, accepted answers, reuse reports, retractions, and events that carry no points — is written to the
knowledge stream with pipelined XADD in the relay's wire format; the clock runs from the first XADD until the inbox
holds every event (each event's inbox row commits with its ledger rows, balances, tallies and outbox events).

Baseline, in the same run on the same servers: the ledger rows that run produced (transactions + entries) inserted
again with raw asyncpg batched INSERTs (`executemany`, one transaction per consumer batch of events) into copies of
the two tables with the same indexes and foreign key. Both are reported as knowledge events/s, with the ratio.

For context a third figure: the kit's own ceiling — the same `EventConsumer` over the same entries with a handler
that does nothing (FastStream batch read, inbox rows, commit, XACK). A warm-up round runs first and the tables are
ANALYZEd, so the plans are those of a database in use, not of empty tables.

With `--split`, the wall time of the rewards handler per consumer batch is reported too, divided into its database
steps (advisory locks, the snapshot load, the single write statement with the outbox rows) and the rest (Python
deciding and building rows and events, argument encoding): the functions are wrapped with a clock for the run.

    python -m bench.rewards_ingest [--events 20000] [--rounds 3] [--batch 100] [--split]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from faststream.redis import RedisBroker
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from bench.common import bench_servers
from services.rewards.app import build
from services.rewards.consumers import KNOWLEDGE_EVENTS
from services.rewards.models import platform
from shared import migrations
from shared.contracts.envelope import CloudEvent, EventData, make_event
from shared.contracts.knowledge import (
    AnswerAccepted,
    AnswerPosted,
    ArticlePublished,
    ArticleRetracted,
    ArticleRevised,
    EndorsementAdded,
    EndorsementWithdrawn,
    QuestionAsked,
    ReuseReported,
)
from shared.db import asyncpg_dsn, create_engine, session_factory
from shared.messaging.consumer import EventConsumer, event_types
from shared.messaging.relay import entry_fields
from shared.settings import Settings


class HandlerClock:
    """Wall time spent in the rewards knowledge handler and in each of its database steps (`--split`)."""

    STEPS = ("lock_keys", "load_run", "load_standings", "counted_items", "write_run")

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def install(self) -> None:
        from services.rewards import consumers, store

        for name in self.STEPS:
            setattr(store, name, self._timed(name, getattr(store, name)))
        consumers.apply_knowledge_events = self._timed("handler", consumers.apply_knowledge_events)

    def _timed(self, name: str, function):
        async def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
                self.calls[name] = self.calls.get(name, 0) + 1

        return timed

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()

    def per_batch_ms(self) -> dict[str, float]:
        batches = self.calls.get("handler", 0)
        if not batches:
            return {}
        split = {name: 1000 * self.seconds.get(name, 0.0) / batches for name in ("handler", *self.STEPS)}
        split["python_and_encoding"] = split["handler"] - sum(split[name] for name in self.STEPS)
        return {name: round(ms, 2) for name, ms in split.items()}


THEMES = ["energy", "care", "housing", "food", "mobility", "social_cohesion"]
RAW = "bench_raw"


class World:
    """Who wrote what, so that later events refer to earlier ones as the knowledge service would."""

    def __init__(self, seed: int, people: int = 3000, collectives: int = 300) -> None:
        self.random = random.Random(seed)
        self.people = [str(uuid.UUID(int=self.random.getrandbits(128))) for _ in range(people)]
        self.collectives = [str(uuid.UUID(int=self.random.getrandbits(128))) for _ in range(collectives)]
        self.articles: list[dict] = []
        self.answers: list[str] = []
        self.endorsements: list[dict] = []
        self.time = datetime(2026, 10, 1, 8, tzinfo=UTC)

    def uid(self) -> str:
        return str(uuid.UUID(int=self.random.getrandbits(128)))

    def popular(self, items: list):
        # A few items get most of the attention (Zipf-like), so daily and pair caps are reached.
        return items[min(len(items) - 1, int(self.random.paretovariate(1.2)) - 1)] if items else None

    def article_state(self, article: dict, status: str = "published") -> dict:
        return {
            "article_id": article["id"],
            "slug": f"a-{article['id'][:8]}",
            "title": "Zo richt je een energiecoöperatie op",
            "summary": "Een stappenplan.",
            "kind": "guide",
            "themes": article["themes"],
            "language": "nl",
            "license": "CC-BY-4.0",
            "authors": article["authors"],
            "collective_id": article["collective"],
            "status": status,
            "revision": article["revision"],
        }

    def next_event(self) -> CloudEvent:
        self.time += timedelta(seconds=self.random.randint(0, 120))
        roll = self.random.random()
        data: EventData
        if roll < 0.15 or not self.articles:
            article = {
                "id": self.uid(),
                "authors": self.random.sample(self.people, self.random.choice([1, 1, 1, 2, 3])),
                "collective": self.random.choice(self.collectives),
                "themes": self.random.sample(THEMES, 2),
                "revision": 1,
            }
            self.articles.insert(0, article)
            data = ArticlePublished(**self.article_state(article))
        elif roll < 0.58:
            target = self.popular(self.articles)
            endorsement = {
                "endorsement_id": self.uid(),
                "target_type": "article",
                "target_id": target["id"],
                "article_id": target["id"],
                "endorser_id": self.random.choice(self.people),
                "credited": target["authors"],
                "themes": target["themes"],
            }
            self.endorsements.append(endorsement)
            data = EndorsementAdded(**endorsement)
        elif roll < 0.62 and self.endorsements:
            data = EndorsementWithdrawn(**self.endorsements.pop(self.random.randrange(len(self.endorsements))))
        elif roll < 0.77:
            author, asker = self.random.sample(self.people, 2)
            data = AnswerAccepted(
                answer_id=self.uid(),
                question_id=self.uid(),
                author_id=author,
                asker_id=asker,
                themes=self.random.sample(THEMES, 1),
            )
        elif roll < 0.85:
            article = self.popular(self.articles)
            data = ReuseReported(
                reuse_id=self.uid(),
                article_id=article["id"],
                collective_id=self.random.choice(self.collectives),
                reporter_id=self.random.choice(self.people),
                credited=article["authors"],
                source_collective_id=article["collective"],
            )
        elif roll < 0.87 and len(self.articles) > 20:
            article = self.articles.pop(self.random.randrange(10, len(self.articles)))
            data = ArticleRetracted(**self.article_state(article, "retracted"))
        elif roll < 0.92:
            article = self.popular(self.articles)
            article["revision"] += 1
            data = ArticleRevised(**self.article_state(article))
        elif roll < 0.96:
            data = QuestionAsked(question_id=self.uid(), title="Hoe?", asker_id=self.random.choice(self.people))
        else:
            data = AnswerPosted(answer_id=self.uid(), question_id=self.uid(), author_id=self.random.choice(self.people))
        event = make_event(data)
        return event.model_copy(update={"time": self.time, "id": uuid.UUID(int=self.random.getrandbits(128))})


async def xadd_all(redis: Redis, stream: str, events: list[CloudEvent]) -> None:
    for start in range(0, len(events), 1000):
        async with redis.pipeline(transaction=False) as pipe:
            for e in events[start : start + 1000]:
                row = {"event_id": e.id, "type": e.type, "subject": e.subject, "payload": e.model_dump(mode="json")}
                pipe.xadd(stream, entry_fields(row))
            await pipe.execute()


async def kit_round(conn: asyncpg.Connection, redis: Redis, settings: Settings, events: list[CloudEvent]) -> float:
    before = await conn.fetchval("SELECT count(*) FROM rewards.inbox WHERE consumer = 'rewards'")
    target = before + len(events)
    started = time.perf_counter()
    await xadd_all(redis, settings.stream("knowledge"), events)
    deadline = started + 600
    while await conn.fetchval("SELECT count(*) FROM rewards.inbox WHERE consumer = 'rewards'") < target:
        if time.perf_counter() > deadline:
            raise RuntimeError("the consumer did not apply every event within 10 minutes")
        await asyncio.sleep(0.02)
    return time.perf_counter() - started


async def drain_outbox(conn: asyncpg.Connection) -> None:
    while await conn.fetchval("SELECT count(*) FROM rewards.outbox WHERE published_at IS NULL"):
        await asyncio.sleep(0.05)


async def noop_round(settings: Settings, redis: Redis, start_id: str, events: list[CloudEvent], name: str) -> float:
    """The kit alone: a consumer group that starts at the round's first entry and applies nothing but inbox rows."""
    engine = create_engine(settings.service_database_url("rewards"), "rewards", pool_size=2)
    consumer = EventConsumer(
        name,
        sessions=session_factory(engine),
        inbox=platform.inbox,
        redis=redis,
        dlq_stream=f"{settings.stream_namespace}:dlq:{name}",
        batch_size=settings.consumer_batch_size,
        block_ms=settings.consumer_block_ms,
        claim_idle_ms=600_000,
    )
    stream = settings.stream("knowledge")
    consumer.consume(stream)

    @consumer.handles(*event_types(*KNOWLEDGE_EVENTS), batch=True)
    async def nothing(session: AsyncSession, batch: list[CloudEvent]) -> None:
        return None

    broker = RedisBroker(settings.redis_url, logger=None)
    consumer.attach(broker)
    await redis.xgroup_create(stream, name, id=start_id)
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        started = time.perf_counter()
        await broker.start()
        while await conn.fetchval("SELECT count(*) FROM rewards.inbox WHERE consumer = $1", name) < len(events):
            await asyncio.sleep(0.02)
        return time.perf_counter() - started
    finally:
        await broker.stop()
        await conn.close()
        await engine.dispose()


async def last_entry_id(redis: Redis, stream: str) -> str:
    last = await redis.xrevrange(stream, count=1)
    return last[0][0].decode() if last else "0"


RAW_DDL = f"""
CREATE SCHEMA IF NOT EXISTS {RAW};
CREATE TABLE {RAW}.ledger_transactions (LIKE rewards.ledger_transactions INCLUDING ALL);
CREATE TABLE {RAW}.ledger_entries (LIKE rewards.ledger_entries INCLUDING ALL);
ALTER TABLE {RAW}.ledger_entries ADD FOREIGN KEY (transaction_id) REFERENCES {RAW}.ledger_transactions (id);
"""

TX_COLUMNS = [
    "id",
    "source_event_id",
    "source_event_type",
    "source_key",
    "outcome",
    "claims_source",
    "unit",
    "rules_version",
    "actor_id",
    "article_id",
    "themes",
    "occurred_at",
    "recorded_at",
]
ENTRY_COLUMNS = [
    "id",
    "transaction_id",
    "account",
    "contributor_id",
    "amount",
    "unit",
    "reason",
    "source_key",
    "article_id",
    "occurred_at",
]


def _insert(table: str, columns: list[str]) -> str:
    placeholders = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    return f"INSERT INTO {RAW}.{table} ({', '.join(columns)}) VALUES ({placeholders})"


async def baseline_round(conn: asyncpg.Connection, events: list[CloudEvent], batch: int) -> tuple[float, int, int]:
    """The same ledger rows as the kit wrote for `events`, inserted again in batches of `batch` events."""
    ids = [e.id for e in events]
    transactions = await conn.fetch(
        f"SELECT {', '.join(TX_COLUMNS)} FROM rewards.ledger_transactions WHERE source_event_id = ANY($1::uuid[])",
        ids,
    )
    entries = await conn.fetch(
        f"SELECT {', '.join('e.' + c for c in ENTRY_COLUMNS)} FROM rewards.ledger_entries e "
        "JOIN rewards.ledger_transactions t ON t.id = e.transaction_id WHERE t.source_event_id = ANY($1::uuid[])",
        ids,
    )
    by_event = {row["source_event_id"]: row for row in transactions}
    entries_of: dict[uuid.UUID, list] = {}
    for row in entries:
        entries_of.setdefault(row["transaction_id"], []).append(tuple(row))
    chunks = []
    for start in range(0, len(events), batch):
        tx_rows = [tuple(by_event[e.id]) for e in events[start : start + batch] if e.id in by_event]
        entry_rows = [entry for tx in tx_rows for entry in entries_of.get(tx[0], [])]
        chunks.append((tx_rows, entry_rows))
    insert_tx, insert_entry = _insert("ledger_transactions", TX_COLUMNS), _insert("ledger_entries", ENTRY_COLUMNS)
    started = time.perf_counter()
    for tx_rows, entry_rows in chunks:
        async with conn.transaction():
            if tx_rows:
                await conn.executemany(insert_tx, tx_rows)
            if entry_rows:
                await conn.executemany(insert_entry, entry_rows)
    return time.perf_counter() - started, len(transactions), len(entries)


async def check_ledger(conn: asyncpg.Connection) -> dict:
    unbalanced = await conn.fetchval(
        "SELECT count(*) FROM (SELECT transaction_id FROM rewards.ledger_entries "
        "GROUP BY transaction_id, unit HAVING sum(amount) <> 0) t"
    )
    negative = await conn.fetchval("SELECT count(*) FROM rewards.contributor_balances WHERE balance < 0")
    outbox = await conn.fetchval("SELECT count(*) FROM rewards.outbox")
    return {"unbalanced_transactions": unbalanced, "negative_balances": negative, "outbox_events": outbox}


async def main(n_events: int, rounds: int, batch: int, split: bool = False) -> dict:
    clock = HandlerClock() if split else None
    if clock is not None:
        clock.install()

    async with bench_servers(("rewards",)) as servers:
        namespace = f"bench-{uuid.uuid4().hex[:6]}"
        settings = Settings(
            environment="test",
            database_url=servers.admin_url,
            redis_url=servers.redis_url,
            stream_namespace=namespace,
            consumer_batch_size=batch,
            relay_poll_interval_ms=50,
            log_level=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
            log_json=False,
        )
        await asyncio.to_thread(migrations.upgrade, "rewards", settings.service_database_url("rewards"))
        conn = await asyncpg.connect(asyncpg_dsn(servers.admin_url))
        await conn.execute(RAW_DDL)
        redis = Redis.from_url(servers.redis_url)
        world = World(seed=2026)
        app = build(settings)
        results: list[dict] = []
        try:
            async with app.router.lifespan_context(app):
                warmup = [world.next_event() for _ in range(n_events)]
                await kit_round(conn, redis, settings, warmup)
                await baseline_round(conn, warmup, batch)
                await drain_outbox(conn)
                await conn.execute("ANALYZE")
                for round_ in range(1, rounds + 1):
                    events = [world.next_event() for _ in range(n_events)]
                    start_id = await last_entry_id(redis, settings.stream("knowledge"))
                    if clock is not None:
                        clock.reset()
                    kit_seconds = await kit_round(conn, redis, settings, events)
                    await drain_outbox(conn)
                    raw_seconds, transactions, entries = await baseline_round(conn, events, batch)
                    noop_seconds = await noop_round(settings, redis, start_id, events, f"bench-noop-{round_}")
                    result = {
                        "round": round_,
                        "events": len(events),
                        "transactions": transactions,
                        "entries": entries,
                        "kit_events_per_s": round(len(events) / kit_seconds),
                        "baseline_events_per_s": round(len(events) / raw_seconds),
                        "kit_noop_events_per_s": round(len(events) / noop_seconds),
                        "ratio": round(raw_seconds / kit_seconds, 2),
                    }
                    if clock is not None:
                        result["handler_ms_per_batch"] = clock.per_batch_ms()
                        result["kit_ms_per_batch"] = round(1000 * kit_seconds * batch / len(events), 2)
                        result["noop_ms_per_batch"] = round(1000 * noop_seconds * batch / len(events), 2)
                        result["raw_insert_ms_per_batch"] = round(1000 * raw_seconds * batch / len(events), 2)
                    results.append(result)
                    print(
                        f"round {round_}: {len(events)} events → {transactions} transactions, {entries} entries; "
                        f"rewards {result['kit_events_per_s']}/s, raw INSERT {result['baseline_events_per_s']}/s "
                        f"(ratio {result['ratio']}x); kit with a no-op handler {result['kit_noop_events_per_s']}/s",
                        flush=True,
                    )
                    if clock is not None:
                        print(
                            f"  per batch of {batch}: rewards {result['kit_ms_per_batch']} ms, of which handler "
                            f"{result['handler_ms_per_batch']}; no-op consumer {result['noop_ms_per_batch']} ms; "
                            f"raw INSERT {result['raw_insert_ms_per_batch']} ms",
                            flush=True,
                        )
                checks = await check_ledger(conn)
        finally:
            await conn.close()
            async for key in redis.scan_iter(match=f"{namespace}*"):
                await redis.delete(key)
            await redis.aclose()
        summary = {
            "events_per_round": n_events,
            "batch": batch,
            "kit_events_per_s": round(statistics.median(r["kit_events_per_s"] for r in results)),
            "baseline_events_per_s": round(statistics.median(r["baseline_events_per_s"] for r in results)),
            "kit_noop_events_per_s": round(statistics.median(r["kit_noop_events_per_s"] for r in results)),
            "ratio": round(statistics.median(r["ratio"] for r in results), 2),
            **checks,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        print(json.dumps(summary, indent=2))
        print(f"ratio kit/baseline: {summary['ratio']}x (target >= 0.5)")
        return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20_000, help="knowledge events per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=100, help="consumer batch size (and baseline batch size)")
    parser.add_argument("--split", action="store_true", help="also report where the handler's time goes")
    args = parser.parse_args()
    asyncio.run(main(args.events, args.rounds, args.batch, args.split))
