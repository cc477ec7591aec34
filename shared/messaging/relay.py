"""The outbox relay: publishes committed outbox rows to the service's stream, in id order, exactly once per run.

Every process of a service runs one; a PostgreSQL advisory lock keeps exactly one of them active, the others stand
by and take over when the active one dies (its session, and so its lock, ends with it).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import zlib
from datetime import datetime

import asyncpg
from redis.asyncio import Redis
from redis.exceptions import RedisError

from shared.messaging import streams
from shared.messaging.outbox import notify_channel
from shared.observability import EVENTS_PUBLISHED, RELAY_ACTIVE

log = logging.getLogger("onderop.relay")


def lock_key(schema: str) -> int:
    return zlib.crc32(f"onderop-relay:{schema}".encode())


def entry_fields(row: asyncpg.Record | dict) -> dict[str, str]:
    """The stream entry: a few attributes for filtering with plain Redis clients, and the whole CloudEvent.

    The relay reads the payload as JSON text together with its `time` (`OUTBOX_COLUMNS`) and passes the text on as it
    is; decoding and encoding it again cost the relay a few percent of a write. A dict payload (tools, tests) is
    encoded here."""
    payload, event_time = row["payload"], row.get("time")
    if isinstance(payload, str) and event_time is not None:
        data = payload
    else:
        payload = json.loads(payload) if isinstance(payload, str) else payload
        event_time, data = payload.get("time", ""), json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return {
        "id": str(row["event_id"]),
        "type": row["type"],
        "subject": row["subject"] or "",
        "time": event_time,
        "data": data,
    }


# What the relay and `replay` read of an outbox row: the payload as text, and its time for the entry's own field.
OUTBOX_COLUMNS = "id, event_id, stream, type, subject, payload::text AS payload, payload->>'time' AS time"


async def publish_rows(redis: Redis, rows: list[asyncpg.Record]) -> None:
    async with redis.pipeline(transaction=False) as pipe:
        for row in rows:
            pipe.xadd(row["stream"], entry_fields(row))
        await pipe.execute()


class OutboxRelay:
    def __init__(
        self,
        dsn: str,
        schema: str,
        redis: Redis,
        *,
        poll_interval: float = 0.2,
        batch_size: int = 500,
        retention_hours: int = 168,
        stream_retention_hours: int = 168,
        stream: str | None = None,
    ) -> None:
        self.dsn = dsn
        self.schema = schema
        self.redis = redis
        self.poll_interval = poll_interval
        self.batch_size = batch_size
        self.retention_hours = retention_hours
        self.stream_retention_hours = stream_retention_hours
        self.stream = stream
        self.active = False
        self._wake = asyncio.Event()
        self._stopping = False

    async def run(self) -> None:
        """Run until cancelled: stand by for the lock, then publish; reconnect after any database failure."""
        while not self._stopping:
            try:
                await self._run_once()
            except asyncio.CancelledError:
                raise
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("relay for %s lost its database connection: %s", self.schema, exc)
            except Exception:
                log.exception("relay for %s failed", self.schema)
            finally:
                self._set_active(False)
            await asyncio.sleep(1.0)

    def wake(self) -> bool:
        """Wake the relay when this process holds the lock; False when another process's relay publishes."""
        if self.active:
            self._wake.set()
        return self.active

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    def _set_active(self, active: bool) -> None:
        self.active = active
        RELAY_ACTIVE.labels(self.schema).set(1 if active else 0)

    async def _run_once(self) -> None:
        conn: asyncpg.Connection = await asyncpg.connect(
            self.dsn, server_settings={"application_name": "onderop-relay"}
        )
        try:
            while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", lock_key(self.schema)):
                if self._stopping:
                    return
                await asyncio.sleep(1.0)
            self._set_active(True)
            log.info("relay for %s is active", self.schema)
            await conn.add_listener(notify_channel(self.schema), lambda *_: self._wake.set())
            housekeeping_due = 0.0
            loop = asyncio.get_running_loop()
            while not self._stopping:
                # Cleared before looking, not after: a wake-up that arrives while a round publishes must start the
                # next round at once instead of being forgotten until the next poll.
                self._wake.clear()
                published = await self.publish_pending(conn)
                if loop.time() >= housekeeping_due:
                    await self._housekeeping(conn)
                    housekeeping_due = loop.time() + 60
                if published < self.batch_size:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.poll_interval)
        finally:
            # terminate, not close: close() waits for the server and can hang when the task is being cancelled
            # mid-protocol; the session (and with it the advisory lock) ends either way.
            conn.terminate()

    async def publish_pending(self, conn: asyncpg.Connection) -> int:
        rows = await conn.fetch(
            f"SELECT {OUTBOX_COLUMNS} FROM {self.schema}.outbox WHERE published_at IS NULL ORDER BY id LIMIT $1",
            self.batch_size,
        )
        if not rows:
            return 0
        try:
            await publish_rows(self.redis, rows)
        except RedisError as exc:
            # The rows stay unpublished; the next round retries them in the same order.
            log.warning("relay for %s could not reach Redis: %s", self.schema, exc)
            await asyncio.sleep(0.5)
            return 0
        await conn.execute(
            f"UPDATE {self.schema}.outbox SET published_at = now() WHERE id = ANY($1::bigint[])",
            [r["id"] for r in rows],
        )
        EVENTS_PUBLISHED.labels(self.schema).inc(len(rows))
        return len(rows)

    async def _housekeeping(self, conn: asyncpg.Connection) -> None:
        await conn.execute(
            f"DELETE FROM {self.schema}.outbox WHERE published_at < now() - make_interval(hours => $1)",
            self.retention_hours,
        )
        if self.stream:
            with contextlib.suppress(RedisError):
                await streams.trim_by_time(self.redis, self.stream, self.stream_retention_hours)


async def replay(
    dsn: str,
    schema: str,
    redis: Redis,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    batch_size: int = 1000,
) -> int:
    """Publish the outbox rows created in [since, until) again, in id order, with their original event ids.

    Consumers skip what they already applied (inbox), so a replay is safe; this is how the platform recovers when
    Redis lost its data.
    """
    conn = await asyncpg.connect(dsn)
    total = 0
    try:
        last_id = 0
        while True:
            rows = await conn.fetch(
                f"SELECT {OUTBOX_COLUMNS} FROM {schema}.outbox "
                "WHERE id > $1 AND published_at IS NOT NULL "
                "AND ($2::timestamptz IS NULL OR created_at >= $2) AND ($3::timestamptz IS NULL OR created_at < $3) "
                "ORDER BY id LIMIT $4",
                last_id,
                since,
                until,
                batch_size,
            )
            if not rows:
                return total
            await publish_rows(redis, rows)
            total += len(rows)
            last_id = rows[-1]["id"]
    finally:
        await conn.close()
