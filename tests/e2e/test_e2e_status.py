"""`onderop status` against a running stack, as an operator meets it: a DLQ entry and an outbox backlog show."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import asyncpg
import pytest
from redis.asyncio import Redis

from shared.db import asyncpg_dsn
from tests.platform_support import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def status(platform) -> tuple[int, list[dict]]:
    env = platform.env | {
        **{f"ONDEROP_{s.upper()}_PORT": str(p) for s, p in platform.ports.items()},
    }
    done = subprocess.run(
        [sys.executable, "-m", "shared.cli", "status", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode, json.loads(done.stdout)


async def test_status_shows_readiness_backlog_and_dead_letters(platform) -> None:
    code, rows = status(platform)
    by_service = {row["service"]: row for row in rows}
    assert set(by_service) == set(platform.ports)
    assert all(row["ready"] for row in rows), rows

    redis = Redis.from_url(platform.settings.redis_url)
    try:
        await redis.xadd(
            platform.settings.dlq_stream("funding"),
            {
                "origin_stream": "x",
                "origin_id": "0-1",
                "consumer": "funding",
                "error": "test",
                "deliveries": "5",
                "failed_at": "now",
                "entry": "{}",
            },
        )
    finally:
        await redis.aclose()
    platform.kill("registry")  # no relay: an outbox row stays unpublished
    conn = await asyncpg.connect(asyncpg_dsn(platform.settings.database_url))
    try:
        await conn.execute(
            "INSERT INTO registry.outbox (event_id, stream, type, payload) VALUES ($1, $2, $3, '{}'::jsonb)",
            uuid.uuid4(),
            platform.settings.stream("registry"),
            "nl.onderop.registry.collective.updated.v1",
        )
        code, rows = status(platform)
        by_service = {row["service"]: row for row in rows}
        assert code == 1  # something needs an operator
        assert by_service["registry"]["ready"] is False
        assert by_service["registry"]["outbox_backlog"] >= 1
        assert by_service["funding"]["dlq"] >= 1
    finally:
        await conn.execute("DELETE FROM registry.outbox WHERE payload = '{}'::jsonb")
        await conn.close()
        platform.start("registry")
