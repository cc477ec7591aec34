"""Composition root of the funding service: its tables, routes, registry consumers and the window sweep."""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI
from prometheus_client import Gauge
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

# Imported for its side effect: it registers the event types (the AsyncAPI document lists them).
import shared.contracts.funding  # noqa: F401
from services.funding import api, api_applications, api_rounds, consumers
from services.funding.models import collectives, instruments, matches, metadata, platform
from services.funding.rematch import sweep_windows
from shared.service import Runtime, ServiceSpec, create_app
from shared.settings import Settings

log = logging.getLogger("onderop.funding")

INSTRUMENTS = Gauge("onderop_funding_instruments", "Instruments in the catalogue by status", ["status"])
COLLECTIVES = Gauge("onderop_funding_collectives", "Collectives in funding's read model by status", ["status"])
ELIGIBLE_MATCHES = Gauge("onderop_funding_eligible_matches", "Eligible collective-instrument pairs")

SWEEP_INTERVAL_SECONDS = 300


async def business_gauges(session: AsyncSession) -> None:
    for gauge, table in ((INSTRUMENTS, instruments), (COLLECTIVES, collectives)):
        for status, count in await session.execute(select(table.c.status, func.count()).group_by(table.c.status)):
            gauge.labels(status).set(count)
    eligible = await session.execute(select(func.count()).select_from(matches).where(matches.c.eligible.is_(True)))
    ELIGIBLE_MATCHES.set(eligible.scalar_one())


async def window_sweep(runtime: Runtime) -> None:
    """Instruments whose window opened or closed since their last re-match are re-matched (match.found/lost)."""
    while True:
        try:
            async with runtime.transaction() as session:
                swept = await sweep_windows(session, runtime.outbox)
            if swept:
                log.info("re-matched %d instruments whose window opened or closed", swept)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("window sweep failed; retrying in %s s", SWEEP_INTERVAL_SECONDS)
        await asyncio.sleep(SWEEP_INTERVAL_SECONDS)


SPEC = ServiceSpec(
    name="funding",
    description="Fitting financing per type of collective and stage: instruments, matching, financing mixes, "
    "applications and match-funding rounds.",
    metadata=metadata,
    tables=platform,
    routers=[api.router, api_applications.router, api_rounds.router],
    consumes=("registry",),
    register_handlers=consumers.register,
    background=lambda runtime: [window_sweep(runtime)],
    business_gauges=business_gauges,
)


def build(settings: Settings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
