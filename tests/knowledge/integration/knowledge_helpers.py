"""Helpers for the knowledge integration tests: registry events written to the stream, polling, tokens."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import select

from services.knowledge.models import collectives, contributors, memberships
from shared.contracts.envelope import CloudEvent, EventData, make_event
from shared.contracts.registry import (
    CollectiveRegistered,
    ContributorErased,
    ContributorRegistered,
    MembershipAdded,
)
from shared.settings import Settings


async def send(redis: Redis, settings: Settings, event: CloudEvent) -> CloudEvent:
    fields = {"id": str(event.id), "type": event.type, "subject": event.subject or "", "data": event.model_dump_json()}
    await redis.xadd(settings.stream("registry"), fields)
    return event


async def publish(redis: Redis, settings: Settings, data: EventData, subject: Any, sequence: int) -> CloudEvent:
    return await send(redis, settings, make_event(data, subject=subject, sequence=sequence))


async def until(check: Callable[[], Awaitable[Any]], timeout: float = 10.0, what: str = "condition") -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def read_model_row(client, table, **keys):
    async with client.app.state.runtime.sessions() as session:
        condition = [table.c[name] == value for name, value in keys.items()]
        return (await session.execute(select(table).where(*condition))).first()


async def person(client, redis, settings, name: str | None = None, expertise: tuple[str, ...] = ()) -> uuid.UUID:
    """A contributor registered in the registry, and arrived in this service's read model."""
    contributor_id = uuid.uuid4()
    data = ContributorRegistered(
        contributor_id=contributor_id,
        display_name=name or f"Persoon {contributor_id.hex[:6]}",
        expertise=list(expertise),
        version=1,
    )
    await publish(redis, settings, data, contributor_id, 1)
    await until(lambda: read_model_row(client, contributors, id=contributor_id), what="contributor read model")
    return contributor_id


def collective_data(collective_id: uuid.UUID, version: int = 1, **overrides) -> dict:
    return {
        "collective_id": collective_id,
        "slug": f"collectief-{collective_id.hex[:8]}",
        "name": f"Collectief {collective_id.hex[:6]} (fictief)",
        "kind": "energy_cooperative",
        "legal_form": "cooperative",
        "municipality_code": "GM0014",
        "province_code": "PV20",
        "stage": "startup",
        "themes": ["energy"],
        "version": version,
    } | overrides


async def collective(client, redis, settings, **overrides) -> uuid.UUID:
    collective_id = uuid.uuid4()
    await publish(
        redis, settings, CollectiveRegistered(**collective_data(collective_id, **overrides)), collective_id, 1
    )
    await until(lambda: read_model_row(client, collectives, id=collective_id), what="collective read model")
    return collective_id


async def member(client, redis, settings, collective_id: uuid.UUID, contributor_id: uuid.UUID) -> None:
    data = MembershipAdded(collective_id=collective_id, contributor_id=contributor_id, role="member", version=1)
    await publish(redis, settings, data, f"{collective_id}/{contributor_id}", 1)
    await until(
        lambda: read_model_row(client, memberships, collective_id=collective_id, contributor_id=contributor_id),
        what="membership read model",
    )


async def erase(redis, settings, contributor_id: uuid.UUID, version: int = 2) -> None:
    await publish(
        redis, settings, ContributorErased(contributor_id=contributor_id, version=version), contributor_id, version
    )


async def outbox_events(client, event_type: str, subject: Any) -> list[dict]:
    table = client.app.state.runtime.spec.tables.outbox
    async with client.app.state.runtime.sessions() as session:
        rows = await session.execute(
            select(table.c.payload)
            .where(table.c.type == f"nl.onderop.knowledge.{event_type}.v1", table.c.subject == str(subject))
            .order_by(table.c.id)
        )
        return [json.loads(p) if isinstance(p, str) else p for p in rows.scalars()]
