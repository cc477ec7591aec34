"""Composition root of the knowledge service: its tables, routes and read-model handlers wired onto the kit."""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import Gauge
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import shared.contracts.knowledge  # noqa: F401 - registers the event types this service publishes
from services.knowledge import api, consumers
from services.knowledge.models import articles, metadata, platform
from shared.service import ServiceSpec, create_app
from shared.settings import Settings

ARTICLES = Gauge("onderop_knowledge_articles", "Articles by status", ["status"])


async def gauges(session: AsyncSession) -> None:
    counts = dict((await session.execute(select(articles.c.status, func.count()).group_by(articles.c.status))).all())
    for status in ("draft", "published", "retracted"):
        ARTICLES.labels(status).set(counts.get(status, 0))


SPEC = ServiceSpec(
    name="knowledge",
    description="The knowledge platform: guides, templates and cases, questions and answers, endorsements, "
    "reuse reports, Dutch and English search and recommendations.",
    metadata=metadata,
    tables=platform,
    routers=[api.router],
    consumes=("registry",),
    register_handlers=consumers.register,
    business_gauges=gauges,
)


def build(settings: Settings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
