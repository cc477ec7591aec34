"""Composition root of the registry: its tables, routes and events wired onto the platform kit."""

from __future__ import annotations

from fastapi import FastAPI

from services.registry import api
from services.registry.models import metadata, platform
from shared.service import ServiceSpec, create_app
from shared.settings import Settings

SPEC = ServiceSpec(
    name="registry",
    description="The national register of citizen collectives, the people in them, their impact and shared goals.",
    metadata=metadata,
    tables=platform,
    routers=[api.router],
)


def build(settings: Settings | None = None) -> FastAPI:
    return create_app(SPEC, settings)
