"""Composition root of rewards: its tables, routes and event handlers wired onto the platform kit."""

from __future__ import annotations

from fastapi import FastAPI

import shared.contracts.rewards  # noqa: F401 - registers the event types rewards publishes
from services.rewards import api, consumers
from services.rewards.models import metadata, platform
from shared.service import ServiceSpec, create_app
from shared.settings import Settings

SPEC = ServiceSpec(
    name="rewards",
    description="Points, levels and badges for the people who share knowledge, leaderboards, and reward pools "
    "divided among them.",
    metadata=metadata,
    tables=platform,
    routers=[api.router],
    consumes=("knowledge", "registry"),
    register_handlers=consumers.register,
)


def build(settings: Settings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
