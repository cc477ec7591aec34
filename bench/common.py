"""What every benchmark needs: servers (given, the machine's, or embedded), a throw-away database, figures."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import statistics
import tempfile
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from shared.db import bootstrap_schemas, drop_database, ensure_database
from shared.devstack import EmbeddedPostgres, EmbeddedRedis


def _reachable(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Servers:
    admin_url: str  # admin URL of the benchmark's own database
    redis_url: str


@contextlib.asynccontextmanager
async def bench_servers(schemas: tuple[str, ...] = ()) -> AsyncIterator[Servers]:
    """ONDEROP_DATABASE_URL/ONDEROP_REDIS_URL, else the machine's 127.0.0.1 servers, else embedded ones."""
    started: list = []
    tmp = Path(tempfile.mkdtemp(prefix="onderop-bench-"))
    base = os.environ.get("ONDEROP_DATABASE_URL")
    redis_url = os.environ.get("ONDEROP_REDIS_URL")
    if not base:
        if _reachable(5432):
            base = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
        else:
            pg = EmbeddedPostgres(tmp / "pg").start()
            started.append(pg)
            base = pg.url
    if not redis_url:
        if _reachable(6379):
            redis_url = "redis://127.0.0.1:6379/0"
        else:
            rd = EmbeddedRedis(tmp / "redis", persistent=False).start()
            started.append(rd)
            redis_url = rd.url
    name = f"onderop_bench_{uuid.uuid4().hex[:8]}"
    await ensure_database(base, name)
    admin = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        if schemas:
            await bootstrap_schemas(admin, schemas)
        yield Servers(admin, redis_url)
    finally:
        await drop_database(base, name)
        for server in reversed(started):
            await asyncio.to_thread(server.stop)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]
