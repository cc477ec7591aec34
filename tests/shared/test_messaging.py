"""The event backbone, proven with counts: outbox → relay → stream → idempotent consumer, and its failure paths."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from redis.asyncio import Redis

from shared.db import asyncpg_dsn, create_engine, session_factory
from shared.messaging import streams
from shared.messaging.relay import OutboxRelay, replay
from shared.settings import Settings
from tests.shared import kit

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


async def publish(settings: Settings, labels: list[str], **fields) -> None:
    engine = create_engine(kit.producer_url(settings), kit.PRODUCER, pool_size=1)
    outbox = kit.make_outbox(settings)
    try:
        async with session_factory(engine)() as session, session.begin():
            for label in labels:
                await outbox.add(session, kit.ThingHappened(label=label, **fields), subject=label)
    finally:
        await engine.dispose()


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def stream_labels(redis: Redis, stream: str) -> list[str]:
    entries = await redis.xrange(stream)
    return [json.loads(fields[b"data"])["data"]["label"] for _, fields in entries]


@contextlib.asynccontextmanager
async def running(*relays: OutboxRelay):
    tasks = [asyncio.create_task(r.run()) for r in relays]
    try:
        yield
    finally:
        for relay in relays:
            relay.stop()
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def test_a_rolled_back_event_is_never_published(kit_settings: Settings, kit_redis: Redis) -> None:
    engine = create_engine(kit.producer_url(kit_settings), kit.PRODUCER, pool_size=1)
    outbox = kit.make_outbox(kit_settings)
    rolled_back, committed = kit.new_label(), kit.new_label()
    with pytest.raises(RuntimeError):
        async with session_factory(engine)() as session, session.begin():
            await outbox.add(session, kit.ThingHappened(label=rolled_back))
            raise RuntimeError("the request failed after writing")
    await engine.dispose()
    await publish(kit_settings, [committed])

    stream = kit_settings.stream(kit.PRODUCER)
    async with running(kit.make_relay(kit_settings, kit_redis)):
        await eventually(lambda: _contains(kit_redis, stream, committed), what="the committed event")
    assert await stream_labels(kit_redis, stream) == [committed]


async def _contains(redis: Redis, stream: str, label: str) -> bool:
    return label in await stream_labels(redis, stream)


async def test_two_relays_publish_each_committed_event_exactly_once_in_order(
    kit_settings: Settings, kit_redis: Redis
) -> None:
    labels = [kit.new_label() for _ in range(600)]
    stream = kit_settings.stream(kit.PRODUCER)
    first, second = kit.make_relay(kit_settings, kit_redis), kit.make_relay(kit_settings, kit_redis)
    async with running(first, second):
        for chunk in range(0, len(labels), 100):
            await publish(kit_settings, labels[chunk : chunk + 100])
        await eventually(lambda: _length_at_least(kit_redis, stream, len(labels)), what="all events")
        await asyncio.sleep(0.5)  # give a second relay every chance to publish twice
        assert [first.active, second.active].count(True) == 1
    assert await stream_labels(kit_redis, stream) == labels


async def _length_at_least(redis: Redis, stream: str, n: int) -> bool:
    return await redis.xlen(stream) >= n


async def test_consumer_applies_each_event_once_and_skips_duplicate_deliveries(
    kit_settings: Settings, kit_redis: Redis
) -> None:
    labels = [kit.new_label() for _ in range(300)]
    stream = kit_settings.stream(kit.PRODUCER)
    consumer = kit.KitConsumer(kit_settings, kit_redis)
    await consumer.start()
    try:
        async with running(kit.make_relay(kit_settings, kit_redis)):
            await publish(kit_settings, labels)
            await eventually(lambda: _all_applied(kit_settings, labels), what="all effects")
        # The same entries delivered again, as after a relay crash between XADD and marking rows published.
        for _, fields in await kit_redis.xrange(stream):
            await kit_redis.xadd(stream, fields)
        await eventually(lambda: _drained(kit_redis, stream), what="the duplicates to be read")
    finally:
        await consumer.stop()
    counts = await kit.effect_counts(kit_settings)
    assert [counts.get(label) for label in labels] == [1] * len(labels)
    assert await kit_redis.xlen(stream) == 2 * len(labels)


async def _all_applied(settings: Settings, labels: list[str]) -> bool:
    counts = await kit.effect_counts(settings)
    return all(counts.get(label) for label in labels)


async def _drained(redis: Redis, stream: str) -> bool:
    groups = await streams.group_health(redis, stream)
    if not groups:
        return False
    info = await redis.xinfo_groups(stream)
    last_entry = (await redis.xrevrange(stream, count=1))[0][0]
    return all(g["pending"] == 0 and g["last-delivered-id"] == last_entry for g in info)


async def test_failing_event_goes_to_the_dlq_after_the_delivery_limit_and_the_rest_flows(
    kit_settings: Settings, kit_redis: Redis
) -> None:
    stream, dlq = kit_settings.stream(kit.PRODUCER), kit_settings.dlq_stream(kit.CONSUMER)
    poison = kit.new_label()
    good = [kit.new_label() for _ in range(20)]
    consumer = kit.KitConsumer(kit_settings, kit_redis, delivery_limit=3, claim_idle_ms=200)
    await consumer.start()
    try:
        async with running(kit.make_relay(kit_settings, kit_redis)):
            await publish(kit_settings, good[:10])
            await publish(kit_settings, [poison], fail=True)
            await publish(kit_settings, good[10:])
            await kit_redis.xadd(stream, {"id": "garbage", "type": "nl.onderop.kitprod.thing.happened.v1", "data": "{"})
            await eventually(lambda: _all_applied(kit_settings, good), what="the good events")
            await eventually(lambda: _length_at_least(kit_redis, dlq, 2), timeout=20, what="two DLQ entries")
            await eventually(lambda: _drained(kit_redis, stream), what="nothing pending")
    finally:
        await consumer.stop()
    dead = await streams.dlq_list(kit_redis, dlq)
    by_error = {record["deliveries"]: record for _, record in dead}
    assert len(dead) == 2
    assert "cannot apply" in by_error["3"]["error"]  # retried up to the limit, then dead-lettered
    assert json.loads(by_error["3"]["entry"])["type"].endswith("thing.happened.v1")
    assert "invalid entry" in by_error["1"]["error"]  # unparsable: at once, no retries
    counts = await kit.effect_counts(kit_settings)
    assert poison not in counts
    assert all(counts[label] == 1 for label in good)


async def test_a_consumer_killed_mid_batch_loses_nothing(kit_settings: Settings, kit_redis: Redis) -> None:
    stream = kit_settings.stream(kit.PRODUCER)
    labels = [kit.new_label() for _ in range(40)]
    env = {**os.environ, "KIT_SETTINGS": kit_settings.model_dump_json(), "KIT_BATCH": "10", "PYTHONPATH": str(ROOT)}
    victim = subprocess.Popen(
        [sys.executable, "-m", "tests.shared.kit_consumer_process"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert victim.stdout.readline().strip() == b"started"
        async with running(kit.make_relay(kit_settings, kit_redis)):
            await publish(kit_settings, labels, slow_ms=100)  # a batch of 10 takes a second: kill it inside one
            await eventually(lambda: _pending_at_least(kit_redis, stream, 1), what="a batch in flight")
            await asyncio.sleep(0.3)
            victim.send_signal(signal.SIGKILL)
            victim.wait(10)
            pending_at_kill = (await kit_redis.xpending(stream, kit.CONSUMER))["pending"]
            assert pending_at_kill > 0
            survivor = kit.KitConsumer(kit_settings, kit_redis, claim_idle_ms=300)
            await survivor.start()
            try:
                await eventually(lambda: _all_applied(kit_settings, labels), timeout=30, what="every effect")
                await eventually(lambda: _drained(kit_redis, stream), what="nothing pending")
            finally:
                await survivor.stop()
    finally:
        if victim.poll() is None:
            victim.kill()
            victim.wait(10)
    counts = await kit.effect_counts(kit_settings)
    assert [counts.get(label) for label in labels] == [1] * len(labels)


async def _pending_at_least(redis: Redis, stream: str, n: int) -> bool:
    with contextlib.suppress(Exception):
        return (await redis.xpending(stream, kit.CONSUMER))["pending"] >= n
    return False


async def test_replay_after_redis_lost_everything_brings_every_event_back_applied_once(
    kit_settings: Settings, kit_redis: Redis
) -> None:
    stream = kit_settings.stream(kit.PRODUCER)
    labels = [kit.new_label() for _ in range(100)]
    since = datetime.now(UTC)
    consumer = kit.KitConsumer(kit_settings, kit_redis)
    await consumer.start()
    watchdog = asyncio.create_task(consumer.consumer.watchdog(interval=0.2))
    try:
        async with running(kit.make_relay(kit_settings, kit_redis)):
            await publish(kit_settings, labels[:50])
            await eventually(lambda: _all_applied(kit_settings, labels[:50]), what="the first half")
            # Redis loses our data (as after a restart without persistence): streams and groups are gone.
            async for key in kit_redis.scan_iter(match=f"{kit_settings.stream_namespace}:*"):
                await kit_redis.delete(key)
            await publish(kit_settings, labels[50:])
            await eventually(lambda: _all_applied(kit_settings, labels[50:]), what="the second half after recovery")
            replayed = await replay(asyncpg_dsn(kit.producer_url(kit_settings)), kit.PRODUCER, kit_redis, since=since)
            assert replayed >= len(labels)
            await eventually(lambda: _drained(kit_redis, stream), what="the replay to be consumed")
    finally:
        watchdog.cancel()
        await consumer.stop()
    assert sorted(await stream_labels(kit_redis, stream)).count(labels[0]) == 1
    counts = await kit.effect_counts(kit_settings)
    assert [counts.get(label) for label in labels] == [1] * len(labels)


async def test_a_service_role_cannot_read_another_services_schema(settings: Settings, kit_schemas: Settings) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(settings.service_database_url("registry")))
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.fetch("SELECT * FROM kitcons.effects")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("CREATE TABLE funding.intruder (id int)")
        assert await conn.fetchval("SELECT current_user") == "onderop_registry"
    finally:
        await conn.close()


async def test_the_same_event_twice_in_one_batch_applies_once(kit_settings: Settings, kit_redis: Redis) -> None:
    stream = kit_settings.stream(kit.PRODUCER)
    labels = [kit.new_label() for _ in range(5)]
    async with running(kit.make_relay(kit_settings, kit_redis)):
        await publish(kit_settings, labels)
        await eventually(lambda: _length_at_least(kit_redis, stream, len(labels)), what="the events")
    for _, fields in await kit_redis.xrange(stream):
        await kit_redis.xadd(stream, fields)  # every event twice before any consumer reads: one batch holds both
    consumer = kit.KitConsumer(kit_settings, kit_redis, batch_size=100)
    await consumer.start()
    try:
        await eventually(lambda: _all_applied(kit_settings, labels), what="the effects")
        await eventually(lambda: _drained(kit_redis, stream), what="nothing pending")
    finally:
        await consumer.stop()
    counts = await kit.effect_counts(kit_settings)
    assert [counts[label] for label in labels] == [1] * len(labels)


async def _relay_is_active(relay: OutboxRelay) -> bool:
    return relay.active


async def test_a_bound_outbox_wakes_its_own_relay_after_commit_without_a_notify(
    kit_settings: Settings, kit_redis: Redis
) -> None:
    """The service's outbox wakes the relay of its own process in memory once the transaction commits: nothing leaves
    before the commit, no NOTIFY is sent, and the event is out long before the relay's next poll."""
    engine = create_engine(kit.producer_url(kit_settings), kit.PRODUCER, pool_size=1)
    relay = kit.make_relay(kit_settings, kit_redis)
    relay.poll_interval = 30.0  # only a wake-up can explain a prompt publication
    outbox = kit.make_outbox(kit_settings)
    outbox.bind(relay.wake, engine)
    stream, label = kit_settings.stream(kit.PRODUCER), kit.new_label()
    listener = await asyncpg.connect(asyncpg_dsn(kit.producer_url(kit_settings)))
    notifications: list[str] = []
    await listener.add_listener(outbox.channel, lambda *args: notifications.append(args[2]))
    try:
        async with running(relay):
            await eventually(lambda: _relay_is_active(relay), what="the relay to take the lock")
            await asyncio.sleep(0.2)  # its first round found nothing; it now waits
            async with session_factory(engine)() as session, session.begin():
                await outbox.add(session, kit.ThingHappened(label=label), subject=label)
                await asyncio.sleep(0.2)
                assert label not in await stream_labels(kit_redis, stream)
            await eventually(lambda: _contains(kit_redis, stream, label), timeout=5, what="publication")
        await asyncio.sleep(0.1)
        assert notifications == []
    finally:
        await listener.close()
        await engine.dispose()


async def test_a_bound_outbox_notifies_the_relay_of_another_process_after_commit(
    kit_settings: Settings, kit_redis: Redis
) -> None:
    """When another process's relay holds the lock, the commit sends it one NOTIFY (outside the data transaction)."""
    engine = create_engine(kit.producer_url(kit_settings), kit.PRODUCER, pool_size=2)
    active, standby = kit.make_relay(kit_settings, kit_redis), kit.make_relay(kit_settings, kit_redis)
    active.poll_interval = 30.0
    outbox = kit.make_outbox(kit_settings)
    outbox.bind(standby.wake, engine)  # this "process" only has the standby relay
    stream, labels = kit_settings.stream(kit.PRODUCER), [kit.new_label() for _ in range(3)]
    try:
        async with running(active):
            await eventually(lambda: _relay_is_active(active), what="the relay to take the lock")
            await asyncio.sleep(0.2)
            for label in labels:
                async with session_factory(engine)() as session, session.begin():
                    await outbox.add(session, kit.ThingHappened(label=label), subject=label)
            for label in labels:
                await eventually(lambda label=label: _contains(kit_redis, stream, label), timeout=5, what=label)
    finally:
        await engine.dispose()


async def test_forgetting_entries_deletes_only_what_every_group_has_acknowledged(kit_redis: Redis) -> None:
    stream = f"forget-{os.getpid()}-{time.monotonic_ns()}"
    ids = {name: await kit_redis.xadd(stream, {"id": name, "data": "{}"}) for name in ("done", "pending", "unread")}
    await kit_redis.xadd(stream, {"id": "someone-else", "data": "{}"})
    await kit_redis.xgroup_create(stream, "fast", id="0")
    await kit_redis.xgroup_create(stream, "slow", id="0")
    await kit_redis.xreadgroup("fast", "c", {stream: ">"})
    await kit_redis.xack(stream, "fast", *ids.values())
    await kit_redis.xreadgroup("slow", "c", {stream: ">"}, count=2)  # reads "done" and "pending"
    await kit_redis.xack(stream, "slow", ids["done"])
    try:
        deleted = await streams.forget_entries(kit_redis, stream, {"done", "pending", "unread"}, chunk=2)
        left = [fields[b"id"].decode() for _, fields in await kit_redis.xrange(stream)]
    finally:
        await kit_redis.delete(stream)
    assert deleted == 1
    assert left == ["pending", "unread", "someone-else"]  # the claimer and the slow group still need these two
