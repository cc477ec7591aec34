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
            json={"display_name": display, "email": f"{person.hex[:8]}@example.org", "expertise": ["energy"]},
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

    rewards = await eventually(
        lambda: http.get(platform.url("rewards", f"/rewards/v1/contributors/{author_id}")),
        lambda r: r.status_code == 200 and r.json()["balance"] >= 30,
        what="the author's points (publication + endorsement)",
    )
    assert rewards.json()["balance"] == 30

    # erasure reaches every service
    r = await http.delete(platform.url("registry", f"/registry/v1/contributors/{author_id}"), headers=author)
    assert r.status_code == 204, r.text

    async def name_anywhere() -> bool:
        pages = [
            await http.get(platform.url("registry", f"/registry/v1/collectives/{collective['id']}/members")),
            await http.get(platform.url("knowledge", f"/knowledge/v1/articles/{article['id']}")),
            await http.get(platform.url("rewards", "/rewards/v1/leaderboard"), params={"period": "all", "limit": 200}),
            await http.get(platform.url("rewards", f"/rewards/v1/contributors/{author_id}")),
        ]
        return any(name in p.text for p in pages)

    await eventually(name_anywhere, lambda shown: not shown, what="the name to disappear everywhere")
