import json

import pytest

from tests.conftest import running_service

pytestmark = pytest.mark.integration

VALID = {
    "name": "Dorpscoöperatie Test",
    "kind": "village_cooperative",
    "legal_form": "cooperative",
    "municipality_code": "GM1680",
    "stage": "startup",
}


async def test_register_publishes_through_the_outbox(settings, token, redis):
    async with running_service("registry", settings) as client:
        r = await client.post("/registry/v1/collectives", json=VALID, headers=token("contributor"))
        assert r.status_code == 201, r.text
        assert r.headers["etag"] == '"1"'
        body = r.json()
        assert body["province_code"] == "PV22"
        bad = await client.post("/registry/v1/collectives", json={**VALID, "kind": "castle", "zz": 1},
                                headers=token("contributor"))
        assert bad.status_code == 422
        assert bad.headers["content-type"] == "application/problem+json"
        assert {e["field"] for e in bad.json()["errors"]} == {"kind", "zz"}
        import asyncio

        for _ in range(100):
            entries = await redis.xrange(settings.stream("registry"))
            if entries:
                break
            await asyncio.sleep(0.05)
        event = json.loads(entries[-1][1][b"data"])
        assert event["type"] == "nl.onderop.registry.collective.registered.v1"
        assert event["data"]["collective_id"] == body["id"]
        assert "contact_email" not in event["data"]
