"""Real PostgreSQL and Redis for every integration test.

`ONDEROP_TEST_DATABASE_URL` / `ONDEROP_TEST_REDIS_URL` point at servers to use (CI sets them to the machine's);
without them, embedded servers are started under a temporary directory and stopped at the end. Either way the tests
create their own database and their own stream namespace, and remove only those.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy.engine import make_url

from shared.auth import generate_key_pair, issue_token
from shared.db import bootstrap_schemas, drop_database, ensure_database
from shared.devstack import EmbeddedPostgres, EmbeddedRedis
from shared.settings import Settings


@pytest.fixture(scope="session")
def servers() -> Iterator[dict[str, str]]:
    started: list = []
    tmp = Path(tempfile.mkdtemp(prefix="onderop-test-"))
    database_url = os.environ.get("ONDEROP_TEST_DATABASE_URL")
    redis_url = os.environ.get("ONDEROP_TEST_REDIS_URL")
    try:
        if not database_url:
            pg = EmbeddedPostgres(tmp / "pg").start()
            started.append(pg)
            database_url = pg.url
        if not redis_url:
            rd = EmbeddedRedis(tmp / "redis", persistent=False).start()
            started.append(rd)
            redis_url = rd.url
        yield {"database_url": database_url, "redis_url": redis_url, "tmp": str(tmp)}
    finally:
        for server in reversed(started):
            server.stop()


@pytest.fixture(scope="session")
def test_database_url(servers: dict[str, str]) -> Iterator[str]:
    """An admin URL to a database made for this test session, with every service's schema and role."""
    base = servers["database_url"]
    name = f"onderop_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(ensure_database(base, name))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    from shared.cli import _services

    asyncio.run(bootstrap_schemas(url, _services()))
    try:
        yield url
    finally:
        asyncio.run(drop_database(base, name))


@pytest.fixture(scope="session")
def stream_namespace(servers: dict[str, str]) -> Iterator[str]:
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    yield namespace

    async def cleanup() -> None:
        redis = Redis.from_url(servers["redis_url"])
        async for key in redis.scan_iter(match=f"{namespace}*", count=1000):
            await redis.delete(key)
        await redis.aclose()

    asyncio.run(cleanup())


@pytest.fixture(scope="session")
def jwt_keys() -> tuple[str, str]:
    return generate_key_pair()


@pytest.fixture(scope="session")
def settings(test_database_url: str, servers: dict[str, str], stream_namespace: str, jwt_keys) -> Settings:
    private, public = jwt_keys
    return Settings(
        environment="test",
        database_url=test_database_url,
        redis_url=servers["redis_url"],
        stream_namespace=stream_namespace,
        jwt_public_key=public,
        jwt_private_key=private,
        relay_poll_interval_ms=50,
        claim_idle_ms=1000,
        consumer_block_ms=50,
        log_json=False,
        db_pool_size=4,  # many apps share one test server: keep under its max_connections
    )


@pytest.fixture(scope="session")
def token(settings: Settings, jwt_keys):
    """`token(role, sub=…, collectives=[…], funders=[…])` → an Authorization header."""

    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    private_key = load_pem_private_key(jwt_keys[0].encode(), password=None)  # parsed once, not per token

    def make(*roles: str, sub: str | None = None, **claims) -> dict[str, str]:
        value = issue_token(
            private_key,
            sub=sub or str(uuid.uuid4()),
            roles=list(roles),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            **claims,
        )
        return {"Authorization": f"Bearer {value}"}

    return make


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[Redis]:
    client = Redis.from_url(settings.redis_url)
    yield client
    await client.aclose()


_migrated: set[str] = set()


def migrate_service(settings: Settings, service: str) -> None:
    if service not in _migrated:
        from shared import migrations

        migrations.upgrade(service, settings.service_database_url(service))
        _migrated.add(service)


@contextlib.asynccontextmanager
async def running_service(service: str, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The service's real app (routes, consumers, relay) in this process, reached through an ASGI client."""
    from importlib import import_module

    await asyncio.to_thread(migrate_service, settings, service)
    app = import_module(f"services.{service}.app").build(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client
