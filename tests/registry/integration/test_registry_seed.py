import pytest
from registry_support import (
    API,
    registry_fixture,  # noqa: F401  (provides the `registry` fixture)
    stream_events,
    wait_for_event,
)

from services.registry import demo_data
from services.registry.seed import seed
from shared.demo import demo_id

pytestmark = pytest.mark.integration


async def test_the_demo_register_loads_once_with_its_events(registry, redis, settings):
    runtime = registry.app.state.runtime
    loaded = await seed(runtime)
    again = await seed(runtime)

    collectives, goals = demo_data.collectives(), demo_data.goals()
    assert loaded.startswith(f"{len(collectives)} collectives, {len(demo_data.contributors())} contributors")
    assert again == "demo data already present"

    first = collectives[0]
    detail = (await registry.get(f"{API}/collectives/{demo_id('collective', first['key'])}")).json()
    assert (detail["name"], detail["kvk_number"], detail["contact_email"]) == (first["name"], first["kvk_number"], None)
    assert detail["umbrella_ids"] == [str(demo_id("umbrella", key)) for key in first["umbrella_keys"]]
    history = (await registry.get(f"{API}/collectives/{detail['id']}/history")).json()["items"]
    assert [(h["action"], h["actor"]) for h in history] == [("registered", "seed")]
    members = (await registry.get(f"{API}/collectives/{detail['id']}/members")).json()["items"]
    assert "coordinator" in {m["role"] for m in members}

    goal = (await registry.get(f"{API}/goals/{demo_id('goal', goals[0]['key'])}")).json()
    assert goal["progress"]["current_value"] >= goals[0]["baseline_value"] + 240
    assert goal["umbrella_id"] == str(demo_id("umbrella", goals[0]["umbrella_key"]))

    stream = settings.stream("registry")
    await wait_for_event(redis, stream, lambda e: e["subject"] == str(demo_id("goal", goals[-1]["key"])))
    entries = await stream_events(redis, stream)
    seeded = {event["subject"] for _, event in entries}
    assert {str(demo_id("collective", c["key"])) for c in collectives} <= seeded
    assert {str(demo_id("contributor", p["key"])) for p in demo_data.contributors()} <= seeded
    assert not any("@" in fields["data"] for fields, _ in entries)  # the demo addresses stay in the registry
