"""Composition root of the registry: its tables, routes and events wired onto the platform kit."""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import Gauge
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import shared.contracts.registry  # noqa: F401  (registers the registry's event types for the AsyncAPI document)
from services.registry import api
from services.registry.models import collectives, contributors, metadata, platform
from shared.service import ServiceSpec, create_app
from shared.settings import Settings

COLLECTIVES = Gauge("onderop_registry_collectives", "Collectives in the register by status", ["status"])
CONTRIBUTORS = Gauge("onderop_registry_contributors", "Contributors in the register by status", ["status"])


async def business_gauges(session: AsyncSession) -> None:
    for gauge, table in ((COLLECTIVES, collectives), (CONTRIBUTORS, contributors)):
        for status, count in await session.execute(select(table.c.status, func.count()).group_by(table.c.status)):
            gauge.labels(status).set(count)


SPEC = ServiceSpec(
    name="registry",
    description="The national register of citizen collectives, the people in them, their impact and shared goals.",
    metadata=metadata,
    tables=platform,
    routers=[api.router],
    business_gauges=business_gauges,
)


def build(settings: Settings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
