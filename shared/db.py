"""Database plumbing: one async engine per service, bound to its own schema and role.

Sessions never commit inside stores or domain code; the request or message edge commits once (STYLE.md habit 3).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy import event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from shared.settings import SERVICES, role_name


def create_engine(url: str, schema: str, *, pool_size: int = 10, max_overflow: int = 0) -> AsyncEngine:
    """The service's engine. The pool keeps its connections: an overflow connection is closed on check-in, so under a
    burst wider than the pool every request beyond it paid a new connection (TLS attempt, authentication, an empty
    prepared-statement cache) — measured as the largest single cost of a registration under load. Waiting a moment
    for a pooled connection is cheaper."""
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_recycle=1800,
        connect_args={"server_settings": {"search_path": schema, "application_name": f"onderop-{schema}"}},
    )
    event.listen(engine.sync_engine, "checkout", _refuse_closed_connection)
    return engine


def _refuse_closed_connection(dbapi_connection, connection_record, connection_proxy) -> None:
    """Pessimistic disconnect handling without a round trip: asyncpg marks a connection closed as soon as the server
    drops it (a restart, `pg_terminate_backend`), so checking that flag at checkout lets the pool replace it before
    a request uses it. SQLAlchemy's `pool_pre_ping` asks the server instead (BEGIN + ROLLBACK, two round trips per
    checkout), which cost a registration 7 % of its time; a connection that dies unseen still fails once and then
    invalidates the whole pool, answered as 503 like any outage."""
    if dbapi_connection.driver_connection.is_closed():
        raise exc.DisconnectionError("connection closed by the server")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def asyncpg_dsn(url: str) -> str:
    """A SQLAlchemy `postgresql+asyncpg://` URL as a plain libpq DSN for asyncpg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def ensure_database(admin_url: str, name: str) -> bool:
    """Create database `name` if it does not exist; True when it was created."""
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        await conn.execute(f'CREATE DATABASE "{name}"')
        return True
    finally:
        await conn.close()


async def drop_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def bootstrap_schemas(admin_url: str, services: tuple[str, ...] = SERVICES) -> None:
    """Create one role and one schema per service; each role owns its schema and can use no other.

    Roles are cluster-wide in PostgreSQL, so they are created once and reused by every database of the cluster;
    schemas and grants are per database. Idempotent.
    """
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        database = await conn.fetchval("SELECT current_database()")
        # Nobody but owners may create objects in `public` (PostgreSQL < 15 allowed everyone).
        await conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        for service in services:
            role = role_name(service)
            await conn.execute(
                f"""
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
                    CREATE ROLE {role} LOGIN;
                  END IF;
                END $$;
                """
            )
            await conn.execute(f'GRANT CONNECT, TEMPORARY ON DATABASE "{database}" TO {role}')
            await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {service} AUTHORIZATION {role}")
            await conn.execute(f"ALTER SCHEMA {service} OWNER TO {role}")
            # No grant on the other schemas: a role without USAGE cannot even name their tables.
    finally:
        await conn.close()


@asynccontextmanager
async def unit_of_work(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One transaction, committed once at the end, rolled back on any error."""
    async with sessions() as session, session.begin():
        yield session
