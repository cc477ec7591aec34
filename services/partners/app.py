"""Composition root of the partner service: webhooks for partner systems, fed by every public stream."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

# Imported for its side effect: it registers the event types (the AsyncAPI document lists them).
import shared.contracts.partners  # noqa: F401
from services.partners import api, consumers, store
from services.partners.context import attach, context_of
from services.partners.models import metadata, platform, subscriptions
from services.partners.settings import PartnersSettings
from services.partners.transport import Resolver
from services.partners.worker import BACKLOG, SUBSCRIPTIONS, DeliveryWorker
from shared.messaging.consumer import EventConsumer
from shared.service import Runtime, ServiceSpec, create_app
from shared.settings import Settings


async def business_gauges(session: AsyncSession) -> None:
    SUBSCRIPTIONS.clear()
    for status, count in await session.execute(
        select(subscriptions.c.status, func.count()).group_by(subscriptions.c.status)
    ):
        SUBSCRIPTIONS.labels(status).set(count)
    BACKLOG.clear()
    for subscription_id, count in (await store.backlog_by_subscription(session)).items():
        BACKLOG.labels(str(subscription_id)).set(count)


def spec(partners_settings: PartnersSettings | None = None, resolver: Resolver | None = None) -> ServiceSpec:
    """The service, with its own settings read from the environment when the process starts (or given, in tests)."""

    def register_handlers(consumer: EventConsumer, runtime: Runtime) -> None:
        context = attach(runtime, partners_settings or PartnersSettings(), resolver)
        consumers.register(consumer, context)

    def background(runtime: Runtime) -> list:
        worker = DeliveryWorker(runtime, context_of(runtime))
        runtime.state["partners_worker"] = worker
        return [worker.run()]

    return ServiceSpec(
        name="partners",
        description="Webhooks for partner systems: subscriptions to the platform's events, signed deliveries "
        "with retries, a delivery log, redelivery and replay.",
        metadata=metadata,
        tables=platform,
        routers=[api.router],
        consumes=("registry", "knowledge", "rewards", "funding"),
        register_handlers=register_handlers,
        background=background,
        business_gauges=business_gauges,
    )


SPEC = spec()


def build(
    settings: Settings | None = None,
    partners_settings: PartnersSettings | None = None,
    resolver: Resolver | None = None,
) -> FastAPI:
    if partners_settings is None and resolver is None:
        return create_app(SPEC, settings)
    return create_app(spec(partners_settings, resolver), settings)
