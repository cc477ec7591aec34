# ruff: noqa: F811  (pytest fixtures imported from funding_support are parameters of the tests)
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from funding_support import (  # noqa: F401
    API,
    eventually,
    funder_token,
    funding,
    funding_events,
    known_collective,
    new_funder,
    token,
)
from sqlalchemy import update

from services.funding.models import rounds

pytestmark = pytest.mark.integration

LEIDEN = "GM0546"


def later(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def new_round(funding, token, funder_id: str, **overrides) -> dict:
    body = {
        "name": f"Buurtmatch {uuid.uuid4().hex[:6]}",
        "funder_id": funder_id,
        "mechanism": "quadratic",
        "budget_cents": 1_000_000,
        "closes_at": later(30),
    } | overrides
    r = await funding.post(f"{API}/rounds", json=body, headers=funder_token(token, funder_id))
    assert r.status_code == 201, r.text
    return r.json()


async def new_project(funding, token, round_id: str, collective_id: str, **overrides) -> dict:
    body = {"collective_id": collective_id, "title": "Een buurttuin", "target_cents": 50_000} | overrides
    r = await funding.post(
        f"{API}/rounds/{round_id}/projects", json=body, headers=token("collective_admin", collectives=[collective_id])
    )
    assert r.status_code == 201, r.text
    return r.json()


async def pledge(funding, token, round_id: str, project_id: str, cents: int, person: str | None = None):
    headers = token("contributor", sub=person or str(uuid.uuid4()))
    return await funding.post(
        f"{API}/rounds/{round_id}/pledges", json={"project_id": project_id, "amount_cents": cents}, headers=headers
    )


async def test_rounds_are_opened_by_their_funder(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    body = {"name": "Ronde", "funder_id": funder["id"], "mechanism": "one_to_one", "budget_cents": 500_000}
    body["closes_at"] = later(10)
    assert (await funding.post(f"{API}/rounds", json=body)).status_code == 401
    assert (await funding.post(f"{API}/rounds", json=body, headers=token("contributor"))).status_code == 403
    other = funder_token(token, str(uuid.uuid4()))
    assert (await funding.post(f"{API}/rounds", json=body, headers=other)).status_code == 403
    unknown = body | {"funder_id": str(uuid.uuid4())}
    assert (await funding.post(f"{API}/rounds", json=unknown, headers=token("operator"))).status_code == 422
    for bad in (
        {"closes_at": later(-1)},
        {"mechanism": "lottery"},
        {"budget_cents": 0},
        {"cap_cents": 900_000},
        {"closes_at": "2030-01-01T00:00:00"},
    ):
        r = await funding.post(f"{API}/rounds", json=body | bad, headers=token("operator"))
        assert r.status_code == 422, (bad, r.text)

    created = await funding.post(f"{API}/rounds", json=body, headers=funder_token(token, funder["id"]))
    assert created.status_code == 201
    made = created.json()
    assert (made["status"], made["accepting_pledges"]) == ("open", True)
    assert (await funding.get(f"{API}/rounds/{made['id']}")).json()["name"] == "Ronde"
    assert (await funding.get(f"{API}/rounds/{uuid.uuid4()}")).status_code == 404
    listed = (await funding.get(f"{API}/rounds", params={"funder_id": funder["id"]})).json()
    assert [r["id"] for r in listed["items"]] == [made["id"]]

    async def opened():
        return [e for e in await funding_events(redis, settings, "round.opened") if e["subject"] == made["id"]]

    (event,) = await eventually(opened)
    assert event["data"]["mechanism"] == "one_to_one"


async def test_projects_pledges_estimates_and_the_final_allocation(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    fid = funder["id"]
    round_ = await new_round(funding, token, fid, budget_cents=1_000_000, cap_cents=900_000)
    rid = round_["id"]
    broad = await known_collective(funding, redis, settings, municipality_code=LEIDEN)
    deep = await known_collective(funding, redis, settings, municipality_code=LEIDEN)
    missed = await known_collective(funding, redis, settings, municipality_code=LEIDEN)
    project_body = {"collective_id": broad["collective_id"], "title": "Tuin", "target_cents": 10_000}

    url = f"{API}/rounds/{rid}/projects"
    assert (await funding.post(url, json=project_body)).status_code == 401
    assert (await funding.post(url, json=project_body, headers=token("contributor"))).status_code == 403
    unknown = project_body | {"collective_id": str(uuid.uuid4())}
    assert (await funding.post(url, json=unknown, headers=token("operator"))).status_code == 422
    assert (await funding.post(f"{API}/rounds/{uuid.uuid4()}/projects", json=project_body)).status_code == 401

    garden = await new_project(funding, token, rid, broad["collective_id"], target_cents=10_000)
    dup = await funding.post(url, json=project_body, headers=funder_token(token, fid))
    assert dup.status_code == 409
    kitchen = await new_project(funding, token, rid, deep["collective_id"], target_cents=10_000)
    festival = await new_project(
        funding, token, rid, missed["collective_id"], target_cents=900_000, all_or_nothing=True
    )

    estimate = await funding.get(
        f"{API}/rounds/{rid}/estimate", params={"project_id": garden["id"], "amount_cents": 1_000}
    )
    assert estimate.status_code == 200
    assert estimate.json()["match_before_cents"] == 0
    assert estimate.json()["as_new_backer"] is True
    # against the project's own target (€100 here), whether or not it is all-or-nothing
    assert (estimate.json()["target_reached_before"], estimate.json()["target_reached_after"]) == (False, False)
    reaching = await funding.get(
        f"{API}/rounds/{rid}/estimate", params={"project_id": garden["id"], "amount_cents": 10_000}
    )
    assert reaching.json()["target_reached_after"] is True

    assert (await pledge(funding, token, rid, garden["id"], 0)).status_code == 422
    op = await funding.post(
        f"{API}/rounds/{rid}/pledges", json={"project_id": garden["id"], "amount_cents": 100}, headers=token("operator")
    )
    assert op.status_code == 403
    assert (await pledge(funding, token, rid, str(uuid.uuid4()), 100)).status_code == 422

    for _ in range(9):
        assert (await pledge(funding, token, rid, garden["id"], 1_000)).status_code == 201
    whale = str(uuid.uuid4())
    first = await pledge(funding, token, rid, kitchen["id"], 20_000, person=whale)
    second = await pledge(funding, token, rid, kitchen["id"], 20_000, person=whale)
    assert second.json()["your_total_cents"] == 40_000  # one person, one counted total
    assert first.status_code == second.status_code == 201
    helper = await pledge(funding, token, rid, kitchen["id"], 1_000)
    assert helper.json()["estimated_match_cents"] > 0
    assert (await pledge(funding, token, rid, festival["id"], 5_000)).status_code == 201
    assert (await pledge(funding, token, rid, festival["id"], 5_000)).status_code == 201

    whale_estimate = await funding.get(
        f"{API}/rounds/{rid}/estimate",
        params={"project_id": kitchen["id"], "amount_cents": 1_000},
        headers=token("contributor", sub=whale),
    )
    assert whale_estimate.json()["as_new_backer"] is False
    newcomer = await funding.get(
        f"{API}/rounds/{rid}/estimate", params={"project_id": kitchen["id"], "amount_cents": 1_000}
    )
    assert newcomer.json()["match_change_cents"] > whale_estimate.json()["match_change_cents"]
    assert (
        await funding.get(f"{API}/rounds/{rid}/estimate", params={"project_id": str(uuid.uuid4()), "amount_cents": 1})
    ).status_code == 422

    live = (await funding.get(f"{API}/rounds/{rid}/allocations")).json()
    assert live["final"] is False
    projects = (await funding.get(f"{API}/rounds/{rid}/projects")).json()["items"]
    assert {p["id"]: p["backers"] for p in projects} == {garden["id"]: 9, kitchen["id"]: 2, festival["id"]: 2}

    close_url = f"{API}/rounds/{rid}/close"
    assert (await funding.post(close_url)).status_code == 401
    assert (await funding.post(close_url, headers=admin_token(token, broad))).status_code == 403
    closed = await funding.post(close_url, headers=funder_token(token, fid))
    assert closed.status_code == 200, closed.text
    result = closed.json()
    assert result["final"] is True
    assert sum(i["match_cents"] for i in result["items"]) + result["unallocated_cents"] == 1_000_000
    by_id = {i["project_id"]: i for i in result["items"]}
    assert by_id[garden["id"]]["match_cents"] > by_id[kitchen["id"]]["match_cents"]  # broad support wins
    assert by_id[festival["id"]]["released"] is True
    assert by_id[festival["id"]]["released_pledges_cents"] == 10_000
    assert by_id[festival["id"]]["match_cents"] == 0
    assert by_id[garden["id"]]["match_cents"] <= 900_000
    assert (await funding.post(close_url, headers=funder_token(token, fid))).status_code == 409

    stored = (await funding.get(f"{API}/rounds/{rid}/allocations")).json()
    assert stored == result
    assert (await pledge(funding, token, rid, garden["id"], 100)).status_code == 409
    late_project = await funding.post(url, json=project_body, headers=token("operator"))
    assert late_project.status_code == 409
    after_close = await funding.get(
        f"{API}/rounds/{rid}/estimate", params={"project_id": garden["id"], "amount_cents": 1_000}
    )
    assert after_close.status_code == 409  # nothing a pledge could change any more

    async def closed_event():
        return [e for e in await funding_events(redis, settings, "round.closed") if e["subject"] == rid]

    (event,) = await eventually(closed_event)
    data = event["data"]
    assert data["allocated_cents"] + data["unallocated_cents"] == 1_000_000
    assert sum(a["match_cents"] for a in data["allocations"]) == data["allocated_cents"]


def admin_token(token, collective: dict) -> dict[str, str]:
    return token("collective_admin", collectives=[collective["collective_id"]])


async def test_a_one_to_one_round_matches_euro_for_euro_up_to_the_cap(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    round_ = await new_round(funding, token, funder["id"], mechanism="one_to_one", budget_cents=50_000, cap_cents=5_000)
    coop = await known_collective(funding, redis, settings, municipality_code=LEIDEN)
    project = await new_project(funding, token, round_["id"], coop["collective_id"])
    assert (await pledge(funding, token, round_["id"], project["id"], 3_000)).status_code == 201
    assert (await pledge(funding, token, round_["id"], project["id"], 4_000)).status_code == 201
    result = (await funding.post(f"{API}/rounds/{round_['id']}/close", headers=token("operator"))).json()
    (item,) = result["items"]
    assert (item["raised_cents"], item["match_cents"], item["capped"]) == (7_000, 5_000, True)
    assert result["unallocated_cents"] == 45_000


async def test_a_round_past_its_closing_time_takes_no_projects_pledges_or_estimates(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    round_ = await new_round(funding, token, funder["id"])
    early = await known_collective(funding, redis, settings, municipality_code=LEIDEN)
    late = await known_collective(funding, redis, settings, municipality_code=LEIDEN)
    project = await new_project(funding, token, round_["id"], early["collective_id"])
    runtime = funding.app.state.runtime
    async with runtime.transaction() as session:  # the closing time passes; nobody has closed the round yet
        await session.execute(
            update(rounds).where(rounds.c.id == uuid.UUID(round_["id"])).values(closes_at=datetime.now(UTC))
        )
    body = {"collective_id": late["collective_id"], "title": "Te laat", "target_cents": 10_000}
    joined = await funding.post(f"{API}/rounds/{round_['id']}/projects", json=body, headers=admin_token(token, late))
    assert joined.status_code == 409 and joined.headers["content-type"] == "application/problem+json"
    assert (await pledge(funding, token, round_["id"], project["id"], 1_000)).status_code == 409
    estimate = await funding.get(
        f"{API}/rounds/{round_['id']}/estimate", params={"project_id": project["id"], "amount_cents": 1_000}
    )
    assert estimate.status_code == 409
