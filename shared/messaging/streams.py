"""Stream housekeeping: consumer groups, safe trimming, health figures and the dead-letter streams."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError


async def ensure_group(redis: Redis, stream: str, group: str) -> bool:
    """Create the group at `0` (so it sees every entry already in the stream); True when it was created."""
    try:
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise
        return False
    return True


def _id_ms(entry_id: str | bytes) -> int:
    if isinstance(entry_id, bytes):
        entry_id = entry_id.decode()
    return int(entry_id.split("-")[0])


async def trim_by_time(redis: Redis, stream: str, retention_hours: float) -> int:
    """XTRIM MINID to the retention cut-off, but never past an entry a group has pending or not yet read."""
    cutoff_ms = int((time.time() - retention_hours * 3600) * 1000)
    try:
        groups = await redis.xinfo_groups(stream)
    except ResponseError:
        return 0
    for group in groups:
        pending = await redis.xpending(stream, group["name"])
        if pending["pending"]:
            cutoff_ms = min(cutoff_ms, _id_ms(pending["min"]))
        last = group.get("last-delivered-id") or b"0-0"
        # Entries after the last delivered one are unread by this group: keep them.
        cutoff_ms = min(cutoff_ms, _id_ms(last))
    if cutoff_ms <= 0:
        return 0
    return await redis.xtrim(stream, minid=f"{cutoff_ms}-0", approximate=False)


async def forget_entries(redis: Redis, stream: str, event_ids: set[str], chunk: int = 1000) -> int:
    """Erasure: delete the entries carrying these events (field `id`) that every group has read and acknowledged.
    One still unread or pending is left for its consumer (deleting a pending entry would hand the claimer an entry
    without fields) and goes with the retention trim. Returns how many entries were deleted."""
    if not event_ids:
        return 0
    found: list[str] = []
    start = "-"
    while True:
        entries = await redis.xrange(stream, min=start, max="+", count=chunk)
        for entry_id, fields in entries:
            if _field(fields, "id") in event_ids:
                found.append(entry_id.decode() if isinstance(entry_id, bytes) else entry_id)
        if len(entries) < chunk:
            break
        last = entries[-1][0]
        start = "(" + (last.decode() if isinstance(last, bytes) else last)
    if not found:
        return 0
    try:
        groups = await redis.xinfo_groups(stream)
    except ResponseError:
        groups = []
    safe = []
    for entry_id in found:
        delivered_to_all = all(
            _id_key(group.get("last-delivered-id") or b"0-0") >= _id_key(entry_id) for group in groups
        )
        pending = [
            await redis.xpending_range(stream, group["name"], min=entry_id, max=entry_id, count=1) for group in groups
        ]
        if delivered_to_all and not any(pending):
            safe.append(entry_id)
    return await redis.xdel(stream, *safe) if safe else 0


def _field(fields: dict[Any, Any], name: str) -> str:
    value = fields.get(name.encode(), fields.get(name, b""))
    return value.decode() if isinstance(value, bytes) else str(value)


def _id_key(entry_id: str | bytes) -> tuple[int, int]:
    if isinstance(entry_id, bytes):
        entry_id = entry_id.decode()
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


@dataclass
class GroupHealth:
    stream: str
    group: str
    lag: int | None
    pending: int
    consumers: int


async def group_health(redis: Redis, stream: str) -> list[GroupHealth]:
    try:
        groups = await redis.xinfo_groups(stream)
    except ResponseError:
        return []
    result = []
    for g in groups:
        name = g["name"].decode() if isinstance(g["name"], bytes) else g["name"]
        result.append(GroupHealth(stream, name, g.get("lag"), int(g.get("pending", 0)), int(g.get("consumers", 0))))
    return result


def decode_fields(fields: dict[Any, Any]) -> dict[str, str]:
    return {
        (k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
        for k, v in fields.items()
    }


async def dead_letter(
    redis: Redis,
    dlq: str,
    *,
    origin_stream: str,
    entry_id: str,
    fields: dict[str, str],
    consumer: str,
    error: str,
    deliveries: int,
) -> str:
    record = {
        "origin_stream": origin_stream,
        "origin_id": entry_id,
        "consumer": consumer,
        "error": error[:4000],
        "deliveries": str(deliveries),
        "failed_at": datetime.now(UTC).isoformat(),
        "entry": json.dumps(fields, ensure_ascii=False),
    }
    result = await redis.xadd(dlq, record)
    return result.decode() if isinstance(result, bytes) else result


async def dlq_list(redis: Redis, dlq: str, count: int = 100) -> list[tuple[str, dict[str, str]]]:
    entries = await redis.xrange(dlq, count=count)
    return [(eid.decode() if isinstance(eid, bytes) else eid, decode_fields(f)) for eid, f in entries]


async def dlq_replay(redis: Redis, dlq: str, entry_ids: list[str] | None = None) -> int:
    """Put dead-lettered entries back on their origin stream and remove them from the DLQ.

    Every group of that stream sees the entry again; the ones that already applied it skip it (inbox).
    """
    replayed = 0
    for entry_id, record in await dlq_list(redis, dlq, count=10_000):
        if entry_ids and entry_id not in entry_ids:
            continue
        await redis.xadd(record["origin_stream"], json.loads(record["entry"]))
        await redis.xdel(dlq, entry_id)
        replayed += 1
    return replayed


async def dlq_purge(redis: Redis, dlq: str, entry_ids: list[str] | None = None) -> int:
    if entry_ids:
        return await redis.xdel(dlq, *entry_ids)
    length = await redis.xlen(dlq)
    await redis.delete(dlq)
    return length
