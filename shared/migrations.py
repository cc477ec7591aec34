"""Alembic per service: scripts in `services/<name>/migrations/`, version table in the service's own schema.

Migrations run as the service's role, so everything they create belongs to it and it can touch nothing else.
"""

from __future__ import annotations

import asyncio
from importlib import import_module
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, pool
from sqlalchemy.ext.asyncio import create_async_engine

VERSION_TABLE = "alembic_version"


def script_location(service: str) -> Path:
    package = import_module(f"services.{service}")
    return Path(package.__file__).parent / "migrations"


def alembic_config(service: str, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location(service)))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["service"] = service
    return config


def head_revision(service: str) -> str | None:
    """The head of the service's migrations; None for a process without migrations of its own (kit tests)."""
    try:
        location = script_location(service)
    except ModuleNotFoundError:
        return None
    return ScriptDirectory(str(location)).get_current_head()


def run_env(metadata: MetaData) -> None:
    """Body of every service's `env.py`: online migrations over asyncpg, filtered to the service's schema."""
    from alembic import context

    schema = metadata.schema
    config = context.config

    def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
        if type_ == "schema":
            return name == schema
        return True

    def do_run(connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=schema,
            version_table=VERSION_TABLE,
            include_schemas=True,
            include_name=include_name,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    asyncio.run(run_async())


def upgrade(service: str, url: str, revision: str = "head") -> None:
    """Run in a worker thread when an event loop is already running (alembic's env.py starts its own)."""
    command.upgrade(alembic_config(service, url), revision)


def autogenerate(service: str, url: str, message: str) -> None:
    command.revision(alembic_config(service, url), message=message, autogenerate=True)


async def current_revision(connection_url: str, schema: str) -> str | None:
    engine = create_async_engine(connection_url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: MigrationContext.configure(
                    sync, opts={"version_table_schema": schema, "version_table": VERSION_TABLE}
                ).get_current_revision()
            )
    finally:
        await engine.dispose()


__all__ = ["autogenerate", "current_revision", "head_revision", "run_env", "upgrade"]
