"""Fixtures and helpers shared by the registry's integration tests (imported by each test module)."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from tests.conftest import running_service

API = "/registry/v1"


@pytest.fixture(scope="session", name="registry")
async def registry_fixture(settings) -> AsyncIterator[httpx.AsyncClient]:
    """One running registry (routes, relay) for the whole session; tests keep apart through unique data. A small
    pool (at most 8 connections) keeps the suite a good neighbour on a shared PostgreSQL."""
    async with running_service("registry", settings.model_copy(update={"db_pool_size": 4})) as client:
        yield client


def kvk() -> str:
    return f"{random.randint(10_000_000, 89_999_999)}"


def collective_body(**overrides: Any) -> dict[str, Any]:
    return (
        {
            "name": f"Energiecoöperatie Test {uuid.uuid4().hex[:8]}",
            "kind": "energy_cooperative",
            "legal_form": "cooperative",
            "kvk_number": kvk(),
            "municipality_code": "GM0106",  # Assen, Drenthe
            "postcode": "9401 HJ",
            "stage": "startup",
            "member_count": 40,
            "volunteer_count": 6,
            "themes": ["energy"],
            "description": "Leden leggen samen zonnepanelen op daken in de wijk.",
            "website": "https://zon.example.org",
            "contact_email": f"info-{uuid.uuid4().hex[:6]}@zon.example.org",
        }
        | overrides
    )


class Person:
    def __init__(self, contributor_id: str, headers: dict[str, str], email: str) -> None:
        self.id = contributor_id
        self.headers = headers
        self.email = email


async def new_person(client: httpx.AsyncClient, token: Callable, **overrides: Any) -> Person:
    sub = str(uuid.uuid4())
    headers = token("contributor", sub=sub)
    email = f"p-{uuid.uuid4().hex[:10]}@example.org"
    body = {"display_name": "Anna de Vries", "email": email, "expertise": ["energy"]} | overrides
    response = await client.post(f"{API}/contributors", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return Person(response.json()["id"], headers, email)


async def new_collective(client: httpx.AsyncClient, founder: Person, **overrides: Any) -> dict[str, Any]:
    response = await client.post(f"{API}/collectives", json=collective_body(**overrides), headers=founder.headers)
    assert response.status_code == 201, response.text
    return response.json()


def if_match(version: int, headers: dict[str, str]) -> dict[str, str]:
    return headers | {"If-Match": f'"{version}"'}


async def stream_events(redis: Redis, stream: str) -> list[tuple[dict[str, str], dict[str, Any]]]:
    """Every entry of the stream as (its fields, the CloudEvent in `data`)."""
    entries = await redis.xrange(stream)
    decoded = [{k.decode(): v.decode() for k, v in fields.items()} for _, fields in entries]
    return [(fields, json.loads(fields["data"])) for fields in decoded]


async def wait_for_event(
    redis: Redis, stream: str, predicate: Callable[[dict[str, Any]], bool], timeout: float = 5.0
) -> tuple[dict[str, str], dict[str, Any]]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        for fields, event in await stream_events(redis, stream):
            if predicate(event):
                return fields, event
        if loop.time() > deadline:
            raise AssertionError("the expected event did not arrive on the stream")
        await asyncio.sleep(0.05)


def events_about(subject: str) -> Callable[[dict[str, Any]], bool]:
    return lambda event: event.get("subject") == subject
