"""The service engine's pool: connections the server dropped are replaced at checkout, without a round trip."""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import pytest
from sqlalchemy import text

from shared.db import asyncpg_dsn, create_engine
from shared.settings import Settings
from tests.shared import kit

pytestmark = pytest.mark.integration


async def test_connections_dropped_by_the_server_are_replaced_before_use(kit_settings: Settings) -> None:
    engine = create_engine(kit.producer_url(kit_settings), kit.PRODUCER, pool_size=3)
    admin = await asyncpg.connect(asyncpg_dsn(kit_settings.database_url))
    try:

        async def backend_pid() -> int:
            async with engine.connect() as connection:
                return (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()

        before = set(await asyncio.gather(*(backend_pid() for _ in range(3))))
        await admin.execute("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", list(before))
        await asyncio.sleep(0.2)  # the pooled connections see the server close their sockets

        after = await asyncio.gather(*(backend_pid() for _ in range(3)))  # no error on any of them
        assert not before & set(after)
    finally:
        await admin.close()
        await engine.dispose()


async def test_a_connection_whose_query_was_cancelled_is_not_handed_out_mid_cancellation(
    kit_settings: Settings,
) -> None:
    """A request cancelled during a statement (a client gone, a timeout) must not leave the next request a connection
    that is still busy cancelling: asyncpg would refuse it with "another operation is in progress"."""
    engine = create_engine(kit.producer_url(kit_settings), kit.PRODUCER, pool_size=1)
    try:

        async def slow_statement() -> None:
            async with engine.connect() as connection:
                driver = (await connection.get_raw_connection()).driver_connection
                await driver.execute("SELECT pg_sleep(5)")

        task = asyncio.create_task(slow_statement())
        await asyncio.sleep(0.3)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

        for _ in range(3):  # the one pooled connection, or its replacement, works at once
            async with engine.connect() as connection:
                assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1
    finally:
        await engine.dispose()
