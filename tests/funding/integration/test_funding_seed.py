# ruff: noqa: F811  (pytest fixtures imported from funding_support are parameters of the tests)
"""Runs last among the funding tests (by name): the demo catalogue adds national instruments that fit almost anyone."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from funding_support import (  # noqa: F401
    API,
    collective_state,
    eventually,
    funder_token,
    funding,
    funding_events,
    known_collective,
    new_funder,
    send_collective,
    token,
    xadd,
)

from services.funding.domain.demo_catalogue import demo_instruments
from services.funding.seed import seed
from shared.contracts.registry import ContributorErased
from shared.demo import demo_id

pytestmark = pytest.mark.integration


async def test_contributor_erasure_unlinks_their_pledges(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    coop = await known_collective(funding, redis, settings, municipality_code="GM0153")
    body = {
        "name": "Ronde",
        "funder_id": funder["id"],
        "mechanism": "quadratic",
        "budget_cents": 10_000,
        "closes_at": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
    }
    round_id = (await funding.post(f"{API}/rounds", json=body, headers=token("operator"))).json()["id"]
    project = await funding.post(
        f"{API}/rounds/{round_id}/projects",
        json={"collective_id": coop["collective_id"], "title": "Bankjes", "target_cents": 1_000},
        headers=token("operator"),
    )
    project_id = project.json()["id"]
    person = str(uuid.uuid4())
    pledged = await funding.post(
        f"{API}/rounds/{round_id}/pledges",
        json={"project_id": project_id, "amount_cents": 700},
        headers=token("contributor", sub=person),
    )
    assert pledged.status_code == 201

    async def as_new_backer() -> bool:
        r = await funding.get(
            f"{API}/rounds/{round_id}/estimate",
            params={"project_id": project_id, "amount_cents": 100},
            headers=token("contributor", sub=person),
        )
        return r.json()["as_new_backer"]

    assert await as_new_backer() is False
    await xadd(redis, settings, ContributorErased(contributor_id=person, version=3), person, 3)
    assert await eventually(as_new_backer)
    projects = (await funding.get(f"{API}/rounds/{round_id}/projects")).json()["items"]
    assert (projects[0]["raised_cents"], projects[0]["backers"]) == (700, 1)  # still counted, no longer linked


async def test_the_demo_seed_is_idempotent_and_matches_demo_collectives(funding, token, redis, settings):
    runtime = funding.app.state.runtime
    summary = await seed(runtime)
    assert "13 funders" in summary
    assert await seed(runtime) == "demo data already present"

    catalogue = {i.key: str(i.id) for i in demo_instruments(datetime.now(UTC).year)}
    listed = (await funding.get(f"{API}/instruments", params={"q": "fictief", "limit": 200})).json()["items"]
    assert catalogue["regeling-digitale-buurten"] not in {i["id"] for i in listed}  # the draft stays private
    assert len([i for i in listed if i["id"] in catalogue.values()]) == len(catalogue) - 1

    transvaal = str(demo_id("collective", "col-43"))
    state = collective_state(
        collective_id=transvaal,
        name="Bewonersinitiatief Groen Transvaal (fictief)",
        kind="residents_initiative",
        legal_form="informal",
        kvk_number=None,
        municipality_code="GM0518",
        province_code="PV28",
        stage="startup",
        member_count=10,
        themes=["nature_and_green", "social_cohesion"],
    )
    await send_collective(redis, settings, state)

    async def matched():
        r = await funding.get(f"{API}/collectives/{transvaal}/matches", params={"eligible": "true", "limit": 100})
        assert r.status_code == 200
        return {m["instrument_id"] for m in r.json()["items"]}

    fitting = await eventually(matched)
    assert {catalogue["oranjerood-kleine-initiatieven"], catalogue["matchfunding-zuid-holland"]} <= fitting
    assert catalogue["ontwikkellening-drenthe"] not in fitting

    mix = (await funding.get(f"{API}/needs/{demo_id('need', 'need-transvaal')}/mix")).json()
    assert mix["complete"] is True
    assert mix["items"]
    application = str(demo_id("application", "app-transvaal"))
    seeded = await funding.get(f"{API}/applications/{application}", headers=token("operator"))
    assert seeded.json()["status"] == "disbursed"

    allocations = (await funding.get(f"{API}/rounds/{demo_id('round', 'buurtmatch-zuid-holland')}/allocations")).json()
    assert allocations["final"] is False
    assert sum(i["match_cents"] for i in allocations["items"]) + allocations["unallocated_cents"] == 2_000_000
    published = await funding_events(redis, settings, "instrument.published")
    assert catalogue["dorpspit"] in {e["subject"] for e in published}
