"""Stories 3 and 5 across the running services, only through HTTP.

3. A match-funding round: residents pledge, the live estimate of the last pledge equals the final allocation, and the
   allocations sum exactly to the budget.
5. The sector figures (registry statistics and funding coverage) move by exactly what the story created.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.platform_support import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PROVINCE, MUNICIPALITY = "PV29", "GM0654"  # Zeeland, Borsele


async def register(platform, http, headers, **fields) -> dict:
    body = {
        "name": f"Energiecoöperatie Proef {uuid.uuid4().hex[:6]}",
        "kind": "energy_cooperative",
        "legal_form": "cooperative",
        "kvk_number": f"9{uuid.uuid4().int % 10**7:07d}",
        "municipality_code": MUNICIPALITY,
        "stage": "startup",
        "member_count": 40,
        "volunteer_count": 6,
        "themes": ["energy"],
    } | fields
    r = await http.post(platform.url("registry", "/registry/v1/collectives"), json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def known_to_funding(platform, http, collective_id: str) -> None:
    await eventually(
        lambda: http.get(platform.url("funding", f"/funding/v1/collectives/{collective_id}")),
        lambda r: r.status_code == 200,
        what="funding's read model of the collective",
    )


async def test_a_quadratic_round_estimate_matches_the_final_allocation(platform, http, token) -> None:
    operator = token("operator", sub="e2e-operator")
    collectives = [await register(platform, http, operator) for _ in range(2)]
    for c in collectives:
        await known_to_funding(platform, http, c["id"])
    funder = await http.post(
        platform.url("funding", "/funding/v1/funders"),
        json={"name": "Provincie Zeeland (fictief)", "kind": "province"},
        headers=operator,
    )
    assert funder.status_code == 201, funder.text
    budget = 500_000
    round_ = await http.post(
        platform.url("funding", "/funding/v1/rounds"),
        json={
            "name": "Zon op Zeeuwse daken (fictief)",
            "funder_id": funder.json()["id"],
            "mechanism": "quadratic",
            "budget_cents": budget,
            "cap_cents": 400_000,
            "closes_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        },
        headers=operator,
    )
    assert round_.status_code == 201, round_.text
    rid = round_.json()["id"]
    projects = []
    for c in collectives:
        p = await http.post(
            platform.url("funding", f"/funding/v1/rounds/{rid}/projects"),
            json={"collective_id": c["id"], "title": f"Zonnedak {c['name'][-6:]}", "target_cents": 300_000},
            headers=operator,
        )
        assert p.status_code == 201, p.text
        projects.append(p.json()["id"])

    # Many small pledges to the first project, one large one to the second (same total: 60 euros).
    for _ in range(5):
        r = await http.post(
            platform.url("funding", f"/funding/v1/rounds/{rid}/pledges"),
            json={"project_id": projects[0], "amount_cents": 1_000},
            headers=token("contributor", sub=str(uuid.uuid4())),
        )
        assert r.status_code == 201, r.text
    big = await http.post(
        platform.url("funding", f"/funding/v1/rounds/{rid}/pledges"),
        json={"project_id": projects[1], "amount_cents": 6_000},
        headers=token("contributor", sub=str(uuid.uuid4())),
    )
    assert big.status_code == 201, big.text

    # The last resident asks what their pledge would add, then pledges exactly that.
    estimate = await http.get(
        platform.url("funding", f"/funding/v1/rounds/{rid}/estimate"),
        params={"project_id": projects[0], "amount_cents": 1_000},
    )
    assert estimate.status_code == 200, estimate.text
    last = await http.post(
        platform.url("funding", f"/funding/v1/rounds/{rid}/pledges"),
        json={"project_id": projects[0], "amount_cents": 1_000},
        headers=token("contributor", sub=str(uuid.uuid4())),
    )
    assert last.status_code == 201, last.text

    closed = await http.post(platform.url("funding", f"/funding/v1/rounds/{rid}/close"), headers=operator)
    assert closed.status_code == 200, closed.text
    again = await http.post(platform.url("funding", f"/funding/v1/rounds/{rid}/close"), headers=operator)
    assert again.status_code == 409
    result = (await http.get(platform.url("funding", f"/funding/v1/rounds/{rid}/allocations"))).json()
    assert result["final"] is True
    match = {item["project_id"]: item["match_cents"] for item in result["items"]}
    assert match[projects[0]] == estimate.json()["match_after_cents"]
    assert sum(match.values()) + result["unallocated_cents"] == budget
    assert match[projects[0]] > match[projects[1]]  # many small pledges beat one large one


async def test_sector_figures_move_by_exactly_what_was_created(platform, http, token) -> None:
    operator = token("operator", sub="e2e-operator")
    stats_url = platform.url("registry", "/registry/v1/stats")
    before = (await http.get(stats_url, params={"province": PROVINCE, "kind": "care_cooperative"})).json()
    coverage_url = platform.url("funding", "/funding/v1/coverage")

    def row(cov: dict) -> dict:
        return next(
            (r for r in cov["rows"] if r["kind"] == "care_cooperative" and r["stage"] == "growth"),
            {"collectives": 0, "covered": 0},
        )

    coverage_before = row((await http.get(coverage_url, params={"province": PROVINCE})).json())
    created = [
        await register(
            platform,
            http,
            operator,
            kind="care_cooperative",
            stage="growth",
            themes=["care"],
            member_count=100 + i,
            volunteer_count=10,
        )
        for i in range(3)
    ]
    after = (await http.get(stats_url, params={"province": PROVINCE, "kind": "care_cooperative"})).json()
    assert after["active_collectives"] - before["active_collectives"] == 3
    assert after["members_total"] - before["members_total"] == 303
    assert after["volunteers_total"] - before["volunteers_total"] == 30
    assert after["by_stage"]["growth"] - before["by_stage"]["growth"] == 3

    # funding counts the same three once its read model has them
    coverage = await eventually(
        lambda: http.get(coverage_url, params={"province": PROVINCE}),
        lambda r: row(r.json())["collectives"] - coverage_before["collectives"] == 3,
        what="the coverage to count the new collectives",
    )
    assert row(coverage.json())["covered"] - coverage_before["covered"] in range(4)
    for c in created:
        await known_to_funding(platform, http, c["id"])
