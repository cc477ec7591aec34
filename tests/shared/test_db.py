"""The service engine's pool: connections the server dropped are replaced at checkout, without a round trip."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy import text

from shared.db import asyncpg_dsn, create_engine
from shared.http import install_problem_handlers
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


async def test_a_connection_broken_mid_statement_is_answered_503_not_dropped() -> None:
    """When PostgreSQL stops, a pooled connection can be handed out after the server's error arrived but before its
    socket closed; asyncpg then refuses it with an InternalClientError ("another operation is in progress"). The
    client must get a 503 problem, handled inside the app: an error that reaches Starlette's outermost handler is
    re-raised to the server after the answer, and uvicorn then closes the client's connection."""
    router = APIRouter()

    @router.get("/broken")
    async def broken() -> None:
        raise asyncpg.InternalClientError("cannot switch to state 12; another operation (2) is in progress")

    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
        response = await client.get("http://test/broken")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"]
