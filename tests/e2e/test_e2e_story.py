"""Across the platform, as a frontend meets it: only HTTP against services running as real processes.

A village cooperative in Drenthe registers in the start-up stage and sees fitting financing with explanations; its
coordinator publishes a Dutch guide that another person finds by search and endorses, and the author's points
follow; the author is erased and no service shows the name any more.
"""

from __future__ import annotations

import uuid

import pytest

from tests.platform_support import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


async def test_a_village_cooperative_registers_shares_knowledge_and_is_erased(platform, http, token) -> None:
    author_id, reader_id = uuid.uuid4(), uuid.uuid4()
    author = token("contributor", sub=str(author_id))
    reader = token("contributor", sub=str(reader_id))
    name = f"Marieke {uuid.uuid4().hex[:6]}"

    for person, headers, display in ((author_id, author, name), (reader_id, reader, "Lezer")):
        r = await http.post(
            platform.url("registry", "/registry/v1/contributors"),
            json={
                "display_name": display,
                "email": f"{person.hex[:8]}@example.org",
                "expertise": ["energy"],
                "municipality_code": "GM1680",
            },
            headers=headers,
        )
        assert r.status_code == 201, r.text

    operator = token("operator", sub="e2e-operator")
    funder = await http.post(
        platform.url("funding", "/funding/v1/funders"),
        json={"name": "Provincie Drenthe (fictief)", "kind": "province"},
        headers=operator,
    )
    assert funder.status_code == 201, funder.text
    instrument = await http.post(
        platform.url("funding", "/funding/v1/instruments"),
        json={
            "funder_id": funder.json()["id"],
            "name": "Leefbaarheidsfonds Drenthe (fictief)",
            "form": "grant",
            "collective_kinds": ["village_cooperative", "village_association"],
            "stages": ["startup", "growth"],
            "provinces": ["PV22"],
            "amount_min_cents": 100_000,
            "amount_max_cents": 2_500_000,
            "cofinancing_pct": 20,
        },
        headers=operator,
    )
    assert instrument.status_code == 201, instrument.text

    r = await http.post(
        platform.url("registry", "/registry/v1/collectives"),
        json={
            "name": f"Dorpscoöperatie Test {uuid.uuid4().hex[:4]}",
            "kind": "village_cooperative",
            "legal_form": "cooperative",
            "kvk_number": f"9{uuid.uuid4().int % 10**7:07d}",
            "municipality_code": "GM1680",  # Aa en Hunze, Drenthe
            "stage": "startup",
            "member_count": 80,
            "themes": ["liveability", "energy"],
        },
        headers=author,
    )
    assert r.status_code == 201, r.text
    collective = r.json()
    assert collective["province_code"] == "PV22"

    # funding learns of the collective from the registry's events and shows its matches with explanations
    matches = await eventually(
        lambda: http.get(platform.url("funding", f"/funding/v1/collectives/{collective['id']}/matches")),
        lambda r: r.status_code == 200 and r.json()["items"],
        what="funding matches",
    )
    fitting = next(m for m in matches.json()["items"] if m["instrument_id"] == instrument.json()["id"])
    assert fitting["eligible"] is True
    assert {c["outcome"] for c in fitting["criteria"]} <= {"met", "unmet", "unknown"}
    assert any(c["name"] == "region" and c["outcome"] == "met" for c in fitting["criteria"])

    # the coordinator files a need, gets a financing mix, applies; the funder grants
    async def file_need():
        return await http.post(
            platform.url("funding", "/funding/v1/needs"),
            json={
                "collective_id": collective["id"],
                "amount_cents": 2_000_000,
                "purpose": "Een dorpshuis met zonnedak",
            },
            headers=author,
        )

    need = (await eventually(file_need, lambda r: r.status_code == 201, what="the need (membership known)")).json()
    mix = (await http.get(platform.url("funding", f"/funding/v1/needs/{need['id']}/mix"))).json()
    assert mix["items"]
    assert mix["covered_cents"] + mix["own_contribution_cents"] + mix["shortfall_cents"] == 2_000_000
    assert mix["steps"]
    application = await http.post(
        platform.url("funding", "/funding/v1/applications"),
        json={
            "collective_id": collective["id"],
            "instrument_id": instrument.json()["id"],
            "need_id": need["id"],
            "title": "Dorpshuis Ons Dorp",
            "amount_requested_cents": 1_500_000,
        },
        headers=author,
    )
    assert application.status_code == 201, application.text
    app_url = platform.url("funding", f"/funding/v1/applications/{application.json()['id']}")
    assert (await http.post(f"{app_url}/submit", headers=author)).status_code == 200
    funder_token = token("funder", sub="provincie-drenthe", funders=[funder.json()["id"]])
    not_the_funder = token("funder", sub="someone-else", funders=[str(uuid.uuid4())])
    denied = await http.post(f"{app_url}/decision", json={"decision": "granted"}, headers=not_the_funder)
    assert denied.status_code == 403
    granted = await http.post(f"{app_url}/decision", json={"decision": "granted"}, headers=funder_token)
    assert granted.status_code == 200, granted.text
    assert granted.json()["status"] == "granted"
    twice = await http.post(f"{app_url}/decision", json={"decision": "rejected"}, headers=funder_token)
    assert twice.status_code == 409

    # knowledge learns of the author; the author publishes a Dutch guide
    async def publish():
        return await http.post(
            platform.url("knowledge", "/knowledge/v1/articles"),
            json={
                "title": f"Zo start je een energiecoöperatie in je dorp {uuid.uuid4().hex[:4]}",
                "summary": "Van idee tot eerste zonnedak.",
                "body": "# Stappen\n\n1. Leden werven\n2. Inschrijven bij de KvK\n3. Een Energie-coöperatie oprichten",
                "kind": "guide",
                "themes": ["energy"],
                "language": "nl",
                "collective_id": collective["id"],
                "status": "published",
            },
            headers=author,
        )

    article = (await eventually(publish, lambda r: r.status_code == 201, what="the article to be accepted")).json()

    found = await eventually(
        lambda: http.get(platform.url("knowledge", "/knowledge/v1/search"), params={"q": "energiecooperaties"}),
        lambda r: r.status_code == 200 and any(i["id"] == article["id"] for i in r.json()["items"]),
        what="the article in search",
    )
    assert found.json()["facets"]

    r = await http.post(
        platform.url("knowledge", f"/knowledge/v1/articles/{article['id']}/endorsements"), headers=reader
    )
    assert r.status_code == 201, r.text
    own = await http.post(
        platform.url("knowledge", f"/knowledge/v1/articles/{article['id']}/endorsements"), headers=author
    )
    assert own.status_code == 403

    # the reader's own collective reports that it reused the guide
    reader_collective = await http.post(
        platform.url("registry", "/registry/v1/collectives"),
        json={
            "name": f"Buurtcoöperatie Lezers {uuid.uuid4().hex[:4]}",
            "kind": "neighbourhood_cooperative",
            "legal_form": "cooperative",
            "municipality_code": "GM0114",
            "stage": "growth",
        },
        headers=reader,
    )
    assert reader_collective.status_code == 201, reader_collective.text

    async def reuse():
        return await http.post(
            platform.url("knowledge", f"/knowledge/v1/articles/{article['id']}/reuses"),
            json={"collective_id": reader_collective.json()["id"], "note": "Gebruikt voor onze ledenwerving"},
            headers=reader,
        )

    await eventually(reuse, lambda r: r.status_code == 201, what="the reuse (reader's membership known)")

    # publication 20 + endorsement 10 + reuse by another collective 40
    rewards = await eventually(
        lambda: http.get(platform.url("rewards", f"/rewards/v1/contributors/{author_id}")),
        lambda r: r.status_code == 200 and r.json()["balance"] >= 70,
        what="the author's points (publication + endorsement + reuse)",
    )
    assert rewards.json()["balance"] == 70
    assert rewards.json()["badges"], "a first article earns a badge"
    board = (
        await http.get(
            platform.url("rewards", "/rewards/v1/leaderboard"),
            params={"period": "all", "province": "PV22", "limit": 100},
        )
    ).json()
    mine = [item for item in board["items"] if item["contributor_id"] == str(author_id)]
    assert mine and mine[0]["points"] == 70 and mine[0]["display_name"] == name

    # erasure reaches every service
    r = await http.delete(platform.url("registry", f"/registry/v1/contributors/{author_id}"), headers=author)
    assert r.status_code == 204, r.text

    async def name_anywhere() -> bool:
        pages = [
            await http.get(platform.url("registry", f"/registry/v1/collectives/{collective['id']}/members")),
            await http.get(platform.url("knowledge", f"/knowledge/v1/articles/{article['id']}")),
            await http.get(
                platform.url("rewards", "/rewards/v1/leaderboard"),
                params={"period": "all", "province": "PV22", "limit": 100},
            ),
            await http.get(platform.url("rewards", f"/rewards/v1/contributors/{author_id}")),
        ]
        return any(name in p.text for p in pages)

    await eventually(name_anywhere, lambda shown: not shown, what="the name to disappear everywhere")
