"""Demo data: the fictional register of `demo_data.py` with deterministic ids, and the events it implies.

Rows and their events are written in one transaction, so other services' read models fill up through the stream as
they would in real life. Idempotent: nothing happens when the demo collectives are there already.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Table, insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.registry import demo_data, store
from services.registry.events import (
    Pending,
    collective_event,
    contributor_event,
    goal_set,
    impact_reported,
    membership_added,
    publish,
)
from services.registry.models import (
    collective_history,
    collectives,
    contributors,
    goals,
    impact_reports,
    memberships,
    umbrellas,
)
from services.registry.schemas import COLLECTIVE_FIELDS
from shared.contracts.registry import CollectiveRegistered, ContributorRegistered
from shared.contracts.vocabulary import province_of
from shared.demo import demo_id
from shared.service import Runtime

SEEDER = ("seed", "operator")
_LOCK = "SELECT pg_advisory_xact_lock(hashtext('onderop-registry-seed'))"


async def _insert(session: AsyncSession, table: Table, values: Sequence[dict[str, Any]]) -> list[Row]:
    return list((await session.execute(insert(table).returning(*store.stored(table)), list(values))).all())


def _umbrella_rows() -> list[dict[str, Any]]:
    return [
        {"id": demo_id("umbrella", u["key"]), "slug": u["slug"], "name": u["name"], "website": u["website"]}
        for u in demo_data.umbrellas()
    ]


def _collective_rows() -> list[dict[str, Any]]:
    rows = []
    for record in demo_data.collectives():
        umbrella_keys = record.pop("umbrella_keys")
        rows.append(
            record
            | {
                "id": demo_id("collective", record.pop("key")),
                "umbrella_ids": [demo_id("umbrella", key) for key in umbrella_keys],
            }
        )
    return rows


def _contributor_rows() -> list[dict[str, Any]]:
    return [
        record
        | {"id": demo_id("contributor", record.pop("key")), "province_code": province_of(record["municipality_code"])}
        for record in demo_data.contributors()
    ]


def _membership_rows() -> list[dict[str, Any]]:
    return [
        {
            "collective_id": demo_id("collective", m["collective_key"]),
            "contributor_id": demo_id("contributor", m["contributor_key"]),
            "role": m["role"],
        }
        for m in demo_data.memberships()
    ]


def _report_rows() -> list[dict[str, Any]]:
    return [
        {
            "collective_id": demo_id("collective", r["collective_key"]),
            "year": r["year"],
            "values": r["values"],
            "reported_by": SEEDER[0],
        }
        for r in demo_data.impact_reports()
    ]


def _goal_rows() -> list[dict[str, Any]]:
    rows = []
    for goal in demo_data.goals():
        umbrella_key = goal.pop("umbrella_key")
        rows.append(
            goal
            | {
                "id": demo_id("goal", goal.pop("key")),
                "umbrella_id": demo_id("umbrella", umbrella_key),
                "created_by": SEEDER[0],
            }
        )
    return rows


async def seed(runtime: Runtime) -> str:
    async with runtime.transaction() as session:
        await session.execute(text(_LOCK))
        if await store.fetch(session, collectives, id=demo_id("collective", "col-01")):
            return "demo data already present"
        await _insert(session, umbrellas, _umbrella_rows())
        registered = await _insert(session, collectives, _collective_rows())
        initial = {row.id: store.initial_values(row, COLLECTIVE_FIELDS) for row in registered}
        history = [store.history_entry(row, "registered", SEEDER, initial[row.id]) for row in registered]
        await session.execute(insert(collective_history), history)
        people = await _insert(session, contributors, _contributor_rows())
        joined = await _insert(session, memberships, _membership_rows())
        reports = await _insert(session, impact_reports, _report_rows())
        agreed = await _insert(session, goals, _goal_rows())

        by_id = {row.id: row for row in registered}
        pending: list[Pending] = [
            *(collective_event(CollectiveRegistered, row) for row in registered),
            *(contributor_event(ContributorRegistered, row) for row in people),
            *(membership_added(row) for row in joined),
            *(impact_reported(row, by_id[row.collective_id]) for row in reports),
            *(goal_set(row) for row in agreed),
        ]
        await publish(runtime.outbox, session, pending)
    return (
        f"{len(registered)} collectives, {len(people)} contributors, {len(joined)} memberships, "
        f"{len(reports)} impact reports, {len(agreed)} goals"
    )
