"""Faults with counts, not inspection: every expected effect present exactly once after each fault.

The services run as real processes (as `onderop up` runs them); the counts are read from each service's own tables
with the admin connection of the test database.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid

import asyncpg
import pytest
from redis.asyncio import Redis

from shared.contracts.envelope import make_event
from shared.contracts.knowledge import ArticlePublished
from shared.db import asyncpg_dsn
from shared.messaging.relay import entry_fields
from tests.platform_support import ROOT, Platform, eventually

pytestmark = [pytest.mark.faults, pytest.mark.slow]

CONSUMERS = {"knowledge": ("registry",), "funding": ("registry",), "rewards": ("knowledge", "registry")}


async def register_collectives(platform: Platform, http, token, n: int) -> list[str]:
    headers = token("operator", sub=str(uuid.uuid4()))
    ids = []
    for i in range(n):
        r = await http.post(
            platform.url("registry", "/registry/v1/collectives"),
            json={
                "name": f"Buurtinitiatief Fout {uuid.uuid4().hex[:6]} {i}",
                "kind": "residents_initiative",
                "legal_form": "informal",
                "municipality_code": "GM0363",
                "stage": "idea",
            },
            headers=headers,
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


async def count(platform: Platform, sql: str, *args) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(platform.settings.database_url))
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def read_model_counts(platform: Platform, ids: list[str]) -> dict[str, int]:
    uuids = [uuid.UUID(i) for i in ids]
    return {
        service: await count(platform, f"SELECT count(*) FROM {service}.collectives WHERE id = ANY($1::uuid[])", uuids)
        for service in ("knowledge", "funding")
    }


async def registry_event_ids(platform: Platform, ids: list[str]) -> list[uuid.UUID]:
    conn = await asyncpg.connect(asyncpg_dsn(platform.settings.database_url))
    try:
        rows = await conn.fetch("SELECT event_id FROM registry.outbox WHERE subject = ANY($1::text[])", ids)
        return [r["event_id"] for r in rows]
    finally:
        await conn.close()


async def inbox_duplicates(platform: Platform, event_ids: list[uuid.UUID]) -> int:
    """Rows beyond one per (event, consumer): must stay 0 whatever happens (the primary key guarantees it)."""
    total = 0
    for service in ("knowledge", "funding"):
        total += await count(
            platform,
            f"SELECT count(*) - count(DISTINCT event_id) FROM {service}.inbox WHERE event_id = ANY($1::uuid[])",
            event_ids,
        )
    return total


async def test_consumers_killed_mid_stream_lose_nothing_and_apply_nothing_twice(platform, http, token) -> None:
    first = await register_collectives(platform, http, token, 10)
    await eventually(
        lambda: read_model_counts(platform, first),
        lambda c: c == {"knowledge": 10, "funding": 10},
        what="the first collectives",
    )
    # Kill every consumer, keep producing while they are dead, then bring them back.
    for service in CONSUMERS:
        platform.kill(service)
    second = await register_collectives(platform, http, token, 40)
    for service in CONSUMERS:
        platform.start(service)
    everything = first + second
    counts = await eventually(
        lambda: read_model_counts(platform, everything),
        lambda c: c == {"knowledge": 50, "funding": 50},
        timeout=60,
        what="every collective in both read models",
    )
    assert counts == {"knowledge": 50, "funding": 50}
    event_ids = await registry_event_ids(platform, everything)
    for service in ("knowledge", "funding"):
        applied = await count(
            platform,
            f"SELECT count(*) FROM {service}.inbox WHERE event_id = ANY($1::uuid[])",
            event_ids,
        )
        assert applied == len(event_ids)
    assert await inbox_duplicates(platform, event_ids) == 0


async def test_redis_loses_everything_then_replay_brings_every_event_back_once(platform, http, token) -> None:
    before = await register_collectives(platform, http, token, 15)
    await eventually(
        lambda: read_model_counts(platform, before),
        lambda c: c == {"knowledge": 15, "funding": 15},
        what="the collectives before the loss",
    )
    redis = Redis.from_url(platform.settings.redis_url)
    try:
        async for key in redis.scan_iter(match=f"{platform.settings.stream_namespace}:*"):
            await redis.delete(key)
        assert await redis.exists(platform.settings.stream("registry")) == 0
    finally:
        await redis.aclose()

    after = await register_collectives(platform, http, token, 15)
    env = platform.env | {"ONDEROP_JWT_PRIVATE_KEY": ""}
    replayed = subprocess.run(
        [sys.executable, "-m", "shared.cli", "replay", "--service", "registry"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert replayed.returncode == 0, replayed.stderr
    assert "replayed" in replayed.stdout

    everything = before + after
    await eventually(
        lambda: read_model_counts(platform, everything),
        lambda c: c == {"knowledge": 30, "funding": 30},
        timeout=60,
        what="every collective after the replay",
    )
    event_ids = await registry_event_ids(platform, everything)
    assert await inbox_duplicates(platform, event_ids) == 0


async def test_a_poison_message_in_every_stream_goes_to_the_dlq_and_the_flow_continues(platform, http, token) -> None:
    settings = platform.settings
    redis = Redis.from_url(settings.redis_url)
    try:
        dlq_before = {s: await redis.xlen(settings.dlq_stream(s)) for s in CONSUMERS}
        for producer in ("registry", "knowledge"):
            await redis.xadd(settings.stream(producer), {"id": "poison", "type": "nonsense", "data": "{not json"})
        later = await register_collectives(platform, http, token, 5)
        await eventually(
            lambda: read_model_counts(platform, later),
            lambda c: c == {"knowledge": 5, "funding": 5},
            what="events after the poison",
        )

        async def dlq_growth() -> dict[str, int]:
            return {s: await redis.xlen(settings.dlq_stream(s)) - dlq_before[s] for s in CONSUMERS}

        # knowledge and funding read registry; rewards reads registry and knowledge: one poison per stream it reads
        growth = await eventually(
            dlq_growth,
            lambda g: g == {"knowledge": 1, "funding": 1, "rewards": 2},
            what="the poison messages in the DLQs",
        )
        assert growth == {"knowledge": 1, "funding": 1, "rewards": 2}
        entry = (await redis.xrevrange(settings.dlq_stream("funding"), count=1))[0][1]
        assert b"invalid entry" in entry[b"error"]
    finally:
        await redis.aclose()


async def test_the_same_event_delivered_three_times_counts_once(platform, http) -> None:
    settings = platform.settings
    author = uuid.uuid4()
    article = uuid.uuid4()
    event = make_event(
        ArticlePublished(
            article_id=article,
            slug=f"a-{article.hex[:8]}",
            title="Dubbel bezorgd",
            summary="",
            kind="guide",
            themes=["energy"],
            language="nl",
            license="CC-BY-SA-4.0",
            authors=[author],
            status="published",
            revision=1,
        ),
        subject=article,
        sequence=1,
    )
    fields = entry_fields(
        {
            "event_id": event.id,
            "type": event.type,
            "subject": event.subject,
            "payload": json.loads(event.model_dump_json()),
        }
    )
    redis = Redis.from_url(settings.redis_url)
    try:
        for _ in range(3):
            await redis.xadd(settings.stream("knowledge"), fields)
    finally:
        await redis.aclose()
    balance = await eventually(
        lambda: http.get(platform.url("rewards", f"/rewards/v1/contributors/{author}")),
        lambda r: r.status_code == 200 and r.json()["balance"] > 0,
        what="the points of the published article",
    )
    await asyncio.sleep(1.0)  # give the second and third copy every chance to count
    again = await http.get(platform.url("rewards", f"/rewards/v1/contributors/{author}"))
    assert balance.json()["balance"] == again.json()["balance"] == 20
    transactions = await count(platform, "SELECT count(*) FROM rewards.inbox WHERE event_id = $1", event.id)
    assert transactions == 1
