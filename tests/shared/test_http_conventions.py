"""The HTTP conventions of the kit on a small app built with `create_app`, against real PostgreSQL and Redis."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select, text

from shared.auth import CurrentPrincipal, issue_token, require_role
from shared.http import decode_cursor, encode_cursor, etag, require_if_match
from shared.service import RuntimeDep, ServiceSpec, ServiceTables, create_app
from shared.settings import Settings
from tests.shared import kit

pytestmark = pytest.mark.integration

router = APIRouter(prefix="/kitprod/v1")
VERSIONS: dict[str, int] = {}


class ThingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(min_length=1, max_length=20)
    size: int = Field(ge=0)


@router.post("/things", status_code=201)
async def create_thing(body: ThingIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response) -> dict:
    thing_id = str(uuid.uuid4())
    async with runtime.transaction() as session:
        await runtime.outbox.add(session, kit.ThingHappened(label=body.label), subject=thing_id)
    VERSIONS[thing_id] = 1
    response.headers["ETag"] = etag(1)
    response.headers["Location"] = f"/kitprod/v1/things/{thing_id}"
    return {"id": thing_id, "label": body.label, "by": principal.sub}


@router.patch("/things/{thing_id}")
async def update_thing(thing_id: str, request: Request, response: Response) -> dict:
    require_if_match(request, VERSIONS[thing_id])
    VERSIONS[thing_id] += 1
    response.headers["ETag"] = etag(VERSIONS[thing_id])
    return {"version": VERSIONS[thing_id]}


@router.get("/things")
async def list_things(cursor: str | None = None, limit: int = Query(10, ge=1, le=100)) -> dict:
    start = int(decode_cursor(cursor, 1)[0]) if cursor else 0
    items = list(range(start, min(start + limit, 25)))
    return {"items": items, "next_cursor": encode_cursor([items[-1] + 1]) if items and items[-1] < 24 else None}


@router.post("/deadlocked", status_code=204)
async def deadlocked(runtime: RuntimeDep) -> None:
    """PostgreSQL picks this transaction as a deadlock's victim (raised here as the server would)."""
    async with runtime.transaction() as session:
        await session.execute(text("DO $$ BEGIN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01'; END $$"))


@router.post("/operator-only", status_code=204, dependencies=[require_role("operator")])
async def operator_only() -> None:
    return None


SPEC = ServiceSpec(
    name=kit.PRODUCER,
    metadata=kit.producer_metadata,
    tables=ServiceTables(kit.producer_outbox, kit.producer_inbox, kit.producer_idempotency),
    routers=[router],
)


@contextlib.asynccontextmanager
async def client_for(settings: Settings):
    app = create_app(
        SPEC, settings.model_copy(update={"cors_origins": ["https://app.example.org"], "http_max_body_bytes": 2048})
    )
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            yield client


async def outbox_rows(settings: Settings, label: str) -> int:
    from shared.db import create_engine

    engine = create_engine(kit.producer_url(settings), kit.PRODUCER, pool_size=1)
    async with engine.connect() as conn:
        n = (
            await conn.execute(
                select(func.count())
                .select_from(kit.producer_outbox)
                .where(kit.producer_outbox.c.payload["data"]["label"].astext == label)
            )
        ).scalar()
    await engine.dispose()
    return n


async def test_idempotency_key_replays_the_first_response_and_refuses_another_body(kit_settings, token) -> None:
    headers = token("contributor") | {"Idempotency-Key": str(uuid.uuid4())}
    label = uuid.uuid4().hex[:10]
    async with client_for(kit_settings) as client:
        first = await client.post("/kitprod/v1/things", json={"label": label, "size": 1}, headers=headers)
        again = await client.post("/kitprod/v1/things", json={"label": label, "size": 1}, headers=headers)
        other = await client.post("/kitprod/v1/things", json={"label": label, "size": 2}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert other.status_code == 422
    assert other.json()["type"].endswith("idempotency-key-reused")
    assert await outbox_rows(kit_settings, label) == 1


async def test_if_match_is_required_and_a_stale_version_is_refused(kit_settings, token) -> None:
    async with client_for(kit_settings) as client:
        created = await client.post("/kitprod/v1/things", json={"label": "x", "size": 1}, headers=token("contributor"))
        url = created.headers["location"]
        missing = await client.patch(url, json={})
        ok = await client.patch(url, json={}, headers={"If-Match": created.headers["etag"]})
        stale = await client.patch(url, json={}, headers={"If-Match": created.headers["etag"]})
    assert missing.status_code == 428
    assert missing.headers["content-type"] == "application/problem+json"
    assert ok.status_code == 200
    assert ok.headers["etag"] == '"2"'
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2


async def test_errors_are_problem_json_and_name_their_fields(kit_settings, token) -> None:
    async with client_for(kit_settings) as client:
        invalid = await client.post(
            "/kitprod/v1/things", json={"label": "", "size": -1, "extra": 1}, headers=token("contributor")
        )
        too_big = await client.post(
            "/kitprod/v1/things",
            content=b"{" + b" " * 4096 + b"}",
            headers=token("contributor") | {"content-type": "application/json"},
        )
        not_json = await client.post(
            "/kitprod/v1/things", content=b"{nope", headers=token("contributor") | {"content-type": "application/json"}
        )
        bad_cursor = await client.get("/kitprod/v1/things", params={"cursor": "%%%"})
        unknown = await client.get("/kitprod/v1/nothing-here")
    assert invalid.status_code == 422
    assert {e["field"] for e in invalid.json()["errors"]} == {"label", "size", "extra"}
    assert too_big.status_code == 413
    assert not_json.status_code == 422
    assert [e["field"] for e in not_json.json()["errors"]] == ["body"]  # not the character position
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["errors"][0]["field"] == "cursor"
    assert unknown.status_code == 404
    for response in (invalid, too_big, not_json, bad_cursor, unknown):
        assert response.headers["content-type"] == "application/problem+json"


async def test_a_deadlock_victim_is_told_to_send_again_not_given_a_500(kit_settings) -> None:
    async with client_for(kit_settings) as client:
        response = await client.post("/kitprod/v1/deadlocked")
    assert response.status_code == 409
    assert response.json()["type"].endswith("concurrent-change") and response.headers["retry-after"] == "1"


async def test_nul_characters_are_refused_with_the_field_named_and_nothing_stored(kit_settings, token) -> None:
    """PostgreSQL cannot store NUL: the kit refuses it in the path, the query and any JSON string or key."""
    auth = token("contributor")
    async with client_for(kit_settings) as client:
        in_body = await client.post("/kitprod/v1/things", json={"label": "a\x00b", "size": 1}, headers=auth)
        nested = await client.post(
            "/kitprod/v1/things", content=b'{"size": 1, "label": "ok", "tags": ["x", {"k\\u0000": "v"}]}', headers=auth
        )
        in_query = await client.get("/kitprod/v1/things", params={"cursor": "a\x00"})
        escaped_backslash = await client.post(  # the six characters \u0000 are text, not a NUL
            "/kitprod/v1/things", json={"label": "\\u0000", "size": 1}, headers=auth
        )
    assert in_body.status_code == 422
    assert in_body.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in in_body.json()["errors"]] == ["label"]
    assert nested.status_code == 422
    assert [e["field"] for e in nested.json()["errors"]] == ["tags[1].k"]
    assert in_query.status_code == 422
    assert [e["field"] for e in in_query.json()["errors"]] == ["query.cursor"]
    assert escaped_backslash.status_code == 201


async def test_cursor_pagination_walks_every_item_once(kit_settings) -> None:
    seen, cursor = [], None
    async with client_for(kit_settings) as client:
        while True:
            page = (
                await client.get("/kitprod/v1/things", params={"limit": 7} | ({"cursor": cursor} if cursor else {}))
            ).json()
            seen += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                break
    assert seen == list(range(25))


async def test_tokens_are_verified_strictly(kit_settings: Settings, jwt_keys, token) -> None:
    private, _public = jwt_keys
    now = datetime.now(UTC)
    base = {"sub": "x", "roles": ["contributor"], "iss": kit_settings.jwt_issuer, "aud": kit_settings.jwt_audience}
    expired = jwt.encode(base | {"exp": now - timedelta(minutes=1)}, private, algorithm="RS256")
    wrong_aud = jwt.encode(base | {"aud": "someone-else", "exp": now + timedelta(hours=1)}, private, algorithm="RS256")
    wrong_iss = jwt.encode(base | {"iss": "evil", "exp": now + timedelta(hours=1)}, private, algorithm="RS256")
    unsigned = jwt.encode(base | {"exp": now + timedelta(hours=1)}, None, algorithm="none")
    other_key = issue_token(
        __import__("shared.auth", fromlist=["x"]).generate_key_pair()[0],
        sub="x",
        roles=["operator"],
        issuer=kit_settings.jwt_issuer,
        audience=kit_settings.jwt_audience,
    )
    body = {"label": "t", "size": 1}
    async with client_for(kit_settings) as client:
        anonymous = await client.post("/kitprod/v1/things", json=body)
        statuses = [
            (await client.post("/kitprod/v1/things", json=body, headers={"Authorization": f"Bearer {t}"})).status_code
            for t in (expired, wrong_aud, wrong_iss, unsigned, other_key, "garbage")
        ]
        basic = await client.post("/kitprod/v1/things", json=body, headers={"Authorization": "Basic eDp5"})
        forbidden = await client.post("/kitprod/v1/operator-only", headers=token("contributor"))
        allowed = await client.post("/kitprod/v1/operator-only", headers=token("operator"))
    assert anonymous.status_code == 401
    assert statuses == [401] * 6
    assert basic.status_code == 401
    assert forbidden.status_code == 403
    assert allowed.status_code == 204


async def test_operations_routes_and_cors(kit_settings: Settings) -> None:
    async with client_for(kit_settings) as client:
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
        await client.get("/kitprod/v1/things")
        metrics = await client.get("/metrics")
        asyncapi = await client.get("/kitprod/asyncapi")
        preflight = await client.options(
            "/kitprod/v1/things",
            headers={"Origin": "https://app.example.org", "Access-Control-Request-Method": "POST"},
        )
        foreign = await client.get("/kitprod/v1/things", headers={"Origin": "https://evil.example.com"})
    assert health.status_code == 200
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"]["redis"] == "ok"
    assert (
        'onderop_http_requests_total{method="GET",route="/kitprod/v1/things",service="kitprod",status="200"}'
        in metrics.text
    )
    assert "onderop_outbox_backlog" in metrics.text
    assert asyncapi.status_code == 200
    assert "nl.onderop.kitprod.thing.happened.v1" in asyncapi.text
    assert preflight.headers["access-control-allow-origin"] == "https://app.example.org"
    assert "access-control-allow-origin" not in foreign.headers
