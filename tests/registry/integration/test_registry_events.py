"""What other services and partners see: every registry event on the stream, in the documented wire format."""

import asyncio
import re
import uuid

import pytest
from registry_support import (
    API,
    if_match,
    new_collective,
    new_person,
    registry_fixture,  # noqa: F401  (provides the `registry` fixture)
    stream_events,
)

from shared.contracts.envelope import CloudEvent, parse_data
from shared.contracts.registry import CollectiveState

pytestmark = pytest.mark.integration

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PREFIX = "nl.onderop.registry."


async def events_until(redis, stream, wanted: set[tuple[str, str]], timeout: float = 5.0) -> dict:
    """(short type, subject) → the CloudEvent, once every wanted pair is on the stream."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        found = {}
        for _, event in await stream_events(redis, stream):
            key = (event["type"].removeprefix(PREFIX).removesuffix(".v1"), event["subject"])
            found.setdefault(key, []).append(event)
        if wanted <= set(found):
            return found
        if loop.time() > deadline:
            raise AssertionError(f"missing on the stream: {wanted - set(found)}")
        await asyncio.sleep(0.05)


async def test_an_entry_is_a_cloudevent_readable_with_a_plain_redis_client(registry, token, redis, settings):
    founder = await new_person(registry, token)
    correlation = f"test-{uuid.uuid4().hex[:8]}"
    response = await registry.post(
        f"{API}/collectives",
        json={"name": "Wijkbedrijf Wire (fictief)", "kind": "neighbourhood_enterprise", "legal_form": "foundation",
              "municipality_code": "GM0599", "stage": "idea", "contact_email": "wire@example.org"},
        headers=founder.headers | {"X-Correlation-ID": correlation},
    )  # fmt: skip
    collective_id = response.json()["id"]
    await events_until(redis, settings.stream("registry"), {("collective.registered", collective_id)})

    entries = await stream_events(redis, settings.stream("registry"))
    [(fields, event)] = [(f, e) for f, e in entries if e["subject"] == collective_id]
    assert set(fields) == {"id", "type", "subject", "time", "data"}
    assert (fields["id"], fields["type"], fields["subject"]) == (event["id"], event["type"], collective_id)
    assert fields["type"] == "nl.onderop.registry.collective.registered.v1"
    parsed = CloudEvent.model_validate(event)
    assert (parsed.source, parsed.specversion, parsed.sequence) == ("onderop/registry", "1.0", 1)
    assert parsed.correlationid == correlation
    assert set(CollectiveState.model_fields) <= set(event["data"])
    assert event["data"]["province_code"] == "PV28"
    assert "contact_email" not in event["data"]
    assert parse_data(parsed).collective_id == uuid.UUID(collective_id)


async def test_every_change_publishes_its_event_with_the_version_as_sequence(registry, token, redis, settings):
    founder, member = await new_person(registry, token), await new_person(registry, token)
    collective = await new_collective(registry, founder)
    cid, url = collective["id"], f"{API}/collectives/{collective['id']}"
    await registry.post(f"{url}/members", json={"contributor_id": member.id}, headers=founder.headers)
    await registry.post(f"{url}/impact", json={"year": 2024, "values": {"members": 40}}, headers=founder.headers)
    await registry.patch(url, json={"stage": "growth"}, headers=if_match(1, founder.headers))
    await registry.patch(url, json={"member_count": 55}, headers=if_match(2, founder.headers))
    await registry.post(f"{url}/dissolve", headers=founder.headers)
    await registry.patch(
        f"{API}/contributors/{member.id}", json={"expertise": ["care"]}, headers=if_match(1, member.headers)
    )
    updated = await events_until(redis, settings.stream("registry"), {("contributor.updated", member.id)})
    assert updated[("contributor.updated", member.id)][0]["sequence"] == 2
    # (erasure removes the person's earlier contributor events from the stream once every group has read them)
    await registry.delete(f"{API}/contributors/{member.id}", headers=member.headers)
    goal = await registry.post(
        f"{API}/goals",
        json={"title": "Doel (fictief)", "indicator": "volunteer_hours", "baseline_value": 1000, "target_value": 2000,
              "baseline_date": "2025-01-01", "target_date": "2030-12-31"},
        headers=token("operator"),
    )  # fmt: skip

    pairs = {
        ("contributor.registered", founder.id): 1,
        ("collective.registered", cid): 1,
        ("membership.added", f"{cid}/{founder.id}"): 1,
        ("membership.added", f"{cid}/{member.id}"): 1,
        ("impact.reported", f"{cid}/2024"): 1,
        ("collective.stage_changed", cid): 2,
        ("collective.updated", cid): 3,
        ("collective.dissolved", cid): 4,
        ("membership.removed", f"{cid}/{member.id}"): 2,
        ("contributor.erased", member.id): 3,
        ("goal.set", goal.json()["id"]): 1,
    }
    found = await events_until(redis, settings.stream("registry"), set(pairs))
    for key, sequence in pairs.items():
        [event] = found[key]
        assert event["sequence"] == sequence, key
        data = parse_data(CloudEvent.model_validate(event))
        assert data.version == sequence, key

    stage_changed = found[("collective.stage_changed", cid)][0]["data"]
    assert (stage_changed["previous_stage"], stage_changed["stage"], stage_changed["changed_fields"]) == (
        "startup",
        "growth",
        ["stage"],
    )
    assert found[("collective.updated", cid)][0]["data"]["changed_fields"] == ["member_count"]
    assert found[("collective.dissolved", cid)][0]["data"]["status"] == "dissolved"
    assert found[("impact.reported", f"{cid}/2024")][0]["data"]["province_code"] == "PV22"


async def test_no_event_carries_an_email_address(registry, token, redis, settings):
    person = await new_person(registry, token)
    collective = await new_collective(registry, person)
    await registry.patch(
        f"{API}/collectives/{collective['id']}",
        json={"contact_email": "nieuw-adres@zon.example.org"},
        headers=if_match(1, person.headers),
    )
    await registry.patch(
        f"{API}/contributors/{person.id}", json={"email": "ander@example.org"}, headers=if_match(1, person.headers)
    )
    await events_until(
        redis,
        settings.stream("registry"),
        {("collective.updated", collective["id"]), ("contributor.updated", person.id)},
    )
    entries = await stream_events(redis, settings.stream("registry"))
    assert len(entries) >= 4
    for fields, _ in entries:
        assert not EMAIL.search(fields["data"]), fields["data"]
