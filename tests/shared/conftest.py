from __future__ import annotations

import asyncio
import uuid

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import create_async_engine

from shared.db import bootstrap_schemas
from shared.settings import Settings
from tests.shared import kit


@pytest.fixture(scope="session")
def kit_schemas(settings: Settings) -> Settings:
    async def create() -> None:
        await bootstrap_schemas(settings.database_url, (kit.PRODUCER, kit.CONSUMER))
        for url, metadata in (
            (kit.producer_url(settings), kit.producer_metadata),
            (kit.consumer_url(settings), kit.consumer_metadata),
        ):
            engine = create_async_engine(url)
            async with engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
            await engine.dispose()

    asyncio.run(create())
    return settings


@pytest.fixture
def kit_settings(kit_schemas: Settings) -> Settings:
    """Settings with streams of this test's own, so tests never see each other's entries."""
    return kit_schemas.model_copy(update={"stream_namespace": f"{kit_schemas.stream_namespace}-{uuid.uuid4().hex[:8]}"})


@pytest.fixture
async def kit_redis(kit_settings: Settings):
    client = Redis.from_url(kit_settings.redis_url)
    yield client
    await client.aclose()
