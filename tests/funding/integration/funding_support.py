"""Fixtures and helpers shared by the funding integration tests (imported by each test module).

Registry events are fed the way the registry's relay writes them: one XADD per CloudEvent on the registry stream.
Every test uses its own ids; instruments are scoped to a municipality or a kind no other test uses where counting
matters, because all tests share one database and one read model.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from redis.asyncio import Redis

from shared.auth import issue_token
from shared.contracts.envelope import EventData, make_event
from shared.contracts.registry import (
    CollectiveDissolved,
    CollectiveRegistered,
    CollectiveStageChanged,
    CollectiveUpdated,
    MembershipAdded,
)
from shared.messaging.relay import entry_fields
from tests.conftest import running_service

API = "/funding/v1"
TODAY = datetime.now(UTC).date()


@pytest.fixture(scope="session")
def token(settings, jwt_keys):
    """The conftest's `token`, signing with the private key loaded once: `issue_token` with a PEM string parses
    and checks the RSA key on every call (~100 ms here), which dominated these tests' run time."""
    key = serialization.load_pem_private_key(jwt_keys[0].encode(), password=None)

    def make(*roles: str, sub: str | None = None, **claims) -> dict[str, str]:
        value = issue_token(
            key,  # type: ignore[arg-type]  (PyJWT takes a loaded key as well as a PEM string)
            sub=sub or str(uuid.uuid4()),
            roles=list(roles),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            **claims,
        )
        return {"Authorization": f"Bearer {value}"}

    return make


@pytest.fixture(scope="session")
async def funding(settings) -> AsyncIterator[httpx.AsyncClient]:
    """One running funding service (routes, consumers, relay) for the whole session. A small pool: the whole suite
    runs every service in one process against one PostgreSQL, whose connection slots are shared."""
    async with running_service("funding", settings.model_copy(update={"db_pool_size": 4})) as client:
        yield client


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 10.0, interval: float = 0.05) -> Any:
    """Poll `check` until it returns something truthy without raising AssertionError."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    result = None
    while True:
        try:
            result = await check()
            if result:
                return result
        except AssertionError:
            if loop.time() > deadline:
                raise
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last: {result!r})")
        await asyncio.sleep(interval)


# --- registry events ------------------------------------------------------------------------------------------


def collective_state(**overrides: Any) -> dict[str, Any]:
    collective_id = overrides.pop("collective_id", None) or uuid.uuid4()
    return {
        "collective_id": str(collective_id),
        "slug": f"test-{collective_id.hex[:10] if isinstance(collective_id, uuid.UUID) else collective_id}",
        "name": f"Testcollectief {str(collective_id)[:8]}",
        "kind": "energy_cooperative",
        "legal_form": "cooperative",
        "kvk_number": "12345678",
        "anbi": False,
        "municipality_code": "GM0106",
        "province_code": "PV22",
        "stage": "startup",
        "member_count": 40,
        "themes": ["energy"],
        "status": "active",
        "version": 1,
    } | overrides


EVENT_CLASSES = {
    "registered": CollectiveRegistered,
    "updated": CollectiveUpdated,
    "stage_changed": CollectiveStageChanged,
    "dissolved": CollectiveDissolved,
}


async def xadd(redis: Redis, settings, data: EventData, subject: str, sequence: int | None, event_id=None) -> str:
    event = make_event(data, subject=subject, sequence=sequence)
    if event_id is not None:
        event = event.model_copy(update={"id": event_id})
    row = {"event_id": event.id, "type": event.type, "subject": event.subject, "payload": event.model_dump(mode="json")}
    await redis.xadd(settings.stream("registry"), entry_fields(row))
    return str(event.id)


async def send_collective(redis: Redis, settings, state: dict[str, Any], verb: str = "registered", **extra: Any) -> str:
    """Publish a collective event carrying `state`; returns the event id."""
    event_class = EVENT_CLASSES[verb]
    if verb == "stage_changed":
        extra.setdefault("previous_stage", "idea")
    data = event_class.model_validate(state | extra)
    return await xadd(redis, settings, data, state["collective_id"], state["version"])


async def send_membership(redis: Redis, settings, collective_id: str, contributor_id: str, role: str, version=1):
    data = MembershipAdded(collective_id=collective_id, contributor_id=contributor_id, role=role, version=version)
    await xadd(redis, settings, data, f"{collective_id}/{contributor_id}", version)


async def known_collective(client: httpx.AsyncClient, redis: Redis, settings, **overrides: Any) -> dict[str, Any]:
    """A collective registered through the registry's stream and present in funding's read model."""
    state = collective_state(**overrides)
    await send_collective(redis, settings, state)

    async def arrived():
        r = await client.get(f"{API}/collectives/{state['collective_id']}/matches")
        return r.status_code == 200

    await eventually(arrived)
    return state


# --- funding data ---------------------------------------------------------------------------------------------


async def new_funder(client: httpx.AsyncClient, token: Callable, **overrides: Any) -> dict[str, Any]:
    body = {"name": f"Testfonds {uuid.uuid4().hex[:6]}", "kind": "private_fund"} | overrides
    r = await client.post(f"{API}/funders", json=body, headers=token("operator"))
    assert r.status_code == 201, r.text
    return r.json()


def funder_token(token: Callable, funder_id: str) -> dict[str, str]:
    return token("funder", funders=[funder_id])


def instrument_body(funder_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "funder_id": funder_id,
        "name": f"Testregeling {uuid.uuid4().hex[:6]}",
        "form": "grant",
        "municipalities": ["GM0106"],
        "amount_min_cents": 100_000,
        "amount_max_cents": 2_000_000,
    } | overrides


async def new_instrument(client: httpx.AsyncClient, token: Callable, funder_id: str, **overrides) -> dict[str, Any]:
    r = await client.post(f"{API}/instruments", json=instrument_body(funder_id, **overrides), headers=token("operator"))
    assert r.status_code == 201, r.text
    return r.json()


def if_match(version: int, headers: dict[str, str]) -> dict[str, str]:
    return headers | {"If-Match": f'"{version}"'}


# --- the funding stream ---------------------------------------------------------------------------------------


async def funding_events(redis: Redis, settings, type_suffix: str | None = None) -> list[dict[str, Any]]:
    entries = await redis.xrange(settings.stream("funding"))
    events = [json.loads(fields[b"data"]) for _, fields in entries]
    if type_suffix:
        events = [e for e in events if e["type"].endswith(f".{type_suffix}.v1")]
    return events


async def match_events(redis: Redis, settings, collective_id: str, instrument_id: str) -> list[str]:
    """The match.found / match.lost types of one pair, in stream order, as `found` / `lost`."""
    subject = f"{collective_id}/{instrument_id}"
    return [
        e["type"].split(".")[4]
        for e in await funding_events(redis, settings)
        if e.get("subject") == subject and ".match." in e["type"]
    ]


async def wait_for_match_events(redis, settings, collective_id, instrument_id, expected: list[str], timeout=10.0):
    async def arrived():
        got = await match_events(redis, settings, collective_id, instrument_id)
        assert got == expected, got
        return True

    await eventually(arrived, timeout)


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


def a_day(n: int) -> date:
    return TODAY + timedelta(days=n)
