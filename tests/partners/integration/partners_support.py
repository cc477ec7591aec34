"""Fixtures and helpers of the partner integration tests (imported by each test module).

A real HTTP receiver (Starlette under uvicorn, in its own thread and event loop, on 127.0.0.1, allow-listed) records
every webhook it gets; each test scripts its own hook names (`receiver.script(name, 500, 200)`, `Slow(3)`, a
redirect) and looks only at the events it sent. Events reach the service the way producers' relays write them: one
XADD per CloudEvent on the producer's stream. DNS answers for made-up `.test` names come from `FAKE_DNS`, so the SSRF
tests never send a packet anywhere but loopback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from services.partners.app import build
from services.partners.domain.targets import TargetRejected
from services.partners.settings import PartnersSettings
from services.partners.transport import system_resolver
from shared.contracts.envelope import CloudEvent, EventData, make_event
from shared.contracts.registry import MembershipAdded
from shared.db import bootstrap_schemas
from shared.devstack import free_port
from shared.messaging.relay import entry_fields
from tests.conftest import migrate_service

API = "/partners/v1"
MEMBERSHIP = MembershipAdded.event_type()
FAKE_DNS: dict[str, list[str]] = {}
CREATED: list[tuple[str, str]] = []  # (partner, subscription) made by new_subscription; conftest removes them

TEST_SETTINGS = PartnersSettings(
    allow_hosts=["127.0.0.1"],
    retry_schedule=[0.1, 0.2, 0.3, 0.4],  # five attempts in about a second
    retry_jitter=0,
    disable_after=6,
    disable_after_seconds=0,
    timeout=1.0,
    poll_interval_ms=50,
    per_subscription=4,
    max_in_flight=32,
)


async def fake_resolver(host: str, port: int) -> list[str]:
    """Made-up names answer from FAKE_DNS; only `localhost` and IP literals reach the system resolver, so no test
    ever sends a DNS query off this machine."""
    if host in FAKE_DNS:
        return FAKE_DNS[host]
    if host == "localhost" or host.replace(".", "").isdigit():
        return await system_resolver(host, port)
    raise TargetRejected("unresolvable", f"{host} does not resolve (test DNS)")


# --- the receiver ----------------------------------------------------------------------------------------------


@dataclass
class Slow:
    seconds: float
    status: int = 200


@dataclass
class Redirect:
    location: str
    status: int = 302


@dataclass
class Call:
    received: float  # time.monotonic() when the request arrived
    headers: dict[str, str]
    body: bytes
    finished: float | None = None

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    port: int
    calls: dict[str, list[Call]] = field(default_factory=lambda: defaultdict(list))
    scripts: dict[str, list[Any]] = field(default_factory=dict)
    default: dict[str, Any] = field(default_factory=dict)
    failing_events: dict[str, int] = field(default_factory=dict)  # event id → how many more requests get a 500

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/hook/{name}"

    def script(self, name: str, *steps: Any, then: Any = 200) -> str:
        """Answers for the next requests to hook `name` (a status, Slow or Redirect), then `then` for the rest."""
        self.scripts[name] = list(steps)
        self.default[name] = then
        return name

    def events(self, name: str, ids: set[str] | None = None) -> list[dict[str, Any]]:
        return [c.event for c in list(self.calls[name]) if ids is None or c.event["id"] in ids]

    async def app(self, request: Request) -> Response:
        name = request.path_params["name"]
        call = Call(time.monotonic(), dict(request.headers), await request.body())
        self.calls[name].append(call)
        event_id = json.loads(call.body).get("id", "")
        if self.failing_events.get(event_id, 0) > 0:
            self.failing_events[event_id] -= 1
            call.finished = time.monotonic()
            return Response(content=b"not yet", status_code=500)
        steps = self.scripts.get(name) or []
        step = steps.pop(0) if steps else self.default.get(name, 200)
        try:
            if isinstance(step, Slow):
                await asyncio.sleep(step.seconds)
                return Response(status_code=step.status)
            if isinstance(step, Redirect):
                return Response(status_code=step.status, headers={"location": step.location})
            return Response(content=b"thanks" if step < 300 else b"no", status_code=step)
        finally:
            call.finished = time.monotonic()


@contextlib.contextmanager
def serve_receiver() -> Iterator[Receiver]:
    receiver = Receiver(free_port())
    app = Starlette(routes=[Route("/hook/{name}", receiver.app, methods=["POST"])])
    config = uvicorn.Config(
        app, host="127.0.0.1", port=receiver.port, log_level="warning", timeout_graceful_shutdown=1, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="webhook-receiver", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the receiver did not start")
        time.sleep(0.02)
    try:
        yield receiver
    finally:
        server.should_exit = True
        thread.join(5)


# --- the service -----------------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def running_partners(
    settings, partners_settings: PartnersSettings = TEST_SETTINGS
) -> AsyncIterator[httpx.AsyncClient]:
    # The session's database was bootstrapped with the four core services; the partner schema and role come here.
    await bootstrap_schemas(settings.database_url, ("partners",))
    await asyncio.to_thread(migrate_service, settings, "partners")
    app = build(settings, partners_settings, fake_resolver)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client


async def new_partner(partners: httpx.AsyncClient, operator: dict[str, str], name: str = "Gemeente Test") -> str:
    r = await partners.post(f"{API}/partners", json={"name": name}, headers=operator)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def new_subscription(
    partners: httpx.AsyncClient, headers: dict[str, str], partner_id: str, url: str, **fields: Any
) -> dict[str, Any]:
    body = {"url": url, "event_types": fields.pop("event_types", [MEMBERSHIP]), **fields}
    r = await partners.post(f"{API}/partners/{partner_id}/subscriptions", json=body, headers=headers)
    assert r.status_code == 201, r.text
    CREATED.append((partner_id, r.json()["id"]))
    return r.json()


# --- events ----------------------------------------------------------------------------------------------------


async def publish_event(redis, settings, event: CloudEvent) -> CloudEvent:
    row = {"event_id": event.id, "type": event.type, "subject": event.subject, "payload": event.model_dump(mode="json")}
    await redis.xadd(settings.stream(event.producer), entry_fields(row))
    return event


async def publish(redis, settings, data: EventData, *, subject: str, sequence: int = 1, **changes) -> CloudEvent:
    event = make_event(data, subject=subject, sequence=sequence)
    if changes:
        event = event.model_copy(update=changes)
    return await publish_event(redis, settings, event)


def membership(collective_id: uuid.UUID | None = None, version: int = 1) -> MembershipAdded:
    return MembershipAdded(
        collective_id=collective_id or uuid.uuid4(), contributor_id=uuid.uuid4(), role="member", version=version
    )


async def publish_membership(redis, settings, collective_id: uuid.UUID | None = None, version: int = 1, **changes):
    data = membership(collective_id, version)
    return await publish(
        redis, settings, data, subject=f"{data.collective_id}/{data.contributor_id}", sequence=version, **changes
    )


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 10.0, interval: float = 0.05) -> Any:
    """Poll `check` until it returns something truthy without raising AssertionError."""
    deadline = time.monotonic() + timeout
    result = None
    while True:
        try:
            result = await check()
            if result:
                return result
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last: {result!r})")
        await asyncio.sleep(interval)


async def delivery_log(partners, headers, partner_id: str, subscription_id: str, **params) -> list[dict[str, Any]]:
    r = await partners.get(
        f"{API}/partners/{partner_id}/subscriptions/{subscription_id}/deliveries",
        params={"limit": 200, **params},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    return r.json()["items"]


def now() -> datetime:
    return datetime.now(UTC)


def arrived(receiver: Receiver, name: str, ids: set[str], count: int | None = None) -> Callable[[], Awaitable[Any]]:
    """A check for `eventually`: the events of `ids` hook `name` got, once it got `count` (default: all) of them."""

    async def check() -> list[dict[str, Any]] | None:
        got = receiver.events(name, ids)
        return got if len(got) >= (len(ids) if count is None else count) else None

    return check
