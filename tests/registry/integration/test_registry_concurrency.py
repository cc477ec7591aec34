"""Races between requests: no write is lost, none turns into a 500."""

import asyncio
from collections import Counter

import pytest
from registry_support import (
    API,
    if_match,
    new_collective,
    new_person,
    registry_fixture,  # noqa: F401  (provides the `registry` fixture)
)

pytestmark = pytest.mark.integration


async def test_concurrent_updates_with_the_same_etag_let_exactly_one_win(registry, token):
    founder = await new_person(registry, token)
    collective = await new_collective(registry, founder)
    url = f"{API}/collectives/{collective['id']}"
    responses = await asyncio.gather(
        *(registry.patch(url, json={"member_count": 100 + i}, headers=if_match(1, founder.headers)) for i in range(6))
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 412: 5}
    [winner] = [r for r in responses if r.status_code == 200]
    assert (await registry.get(url)).json()["member_count"] == winner.json()["member_count"]
    history = (await registry.get(f"{url}/history")).json()["items"]
    assert [h["version"] for h in history] == [2, 1]


async def test_concurrent_reports_and_memberships_for_the_same_key_never_fail_nor_overwrite(registry, token):
    founder, newcomer = await new_person(registry, token), await new_person(registry, token)
    collective = await new_collective(registry, founder)
    base = f"{API}/collectives/{collective['id']}"
    reports = [
        registry.post(f"{base}/impact", json={"year": 2024, "values": {"members": n}}, headers=founder.headers)
        for n in range(5)
    ]
    joins = [
        registry.post(f"{base}/members", json={"contributor_id": newcomer.id}, headers=founder.headers)
        for _ in range(5)
    ]
    responses = await asyncio.gather(*reports, *joins)
    report_statuses = sorted(r.status_code for r in responses[:5])
    # one first report; the others either saw it (428: replacing needs If-Match) or lost the race to create it (412)
    assert report_statuses[0] == 201 and set(report_statuses[1:]) <= {412, 428}, report_statuses
    assert all(r.status_code in (200, 201) for r in responses[5:]), [r.text for r in responses[5:]]
    [report] = (await registry.get(f"{base}/impact")).json()["items"]
    assert report["version"] == 1

    replacements = [
        registry.post(
            f"{base}/impact",
            json={"year": 2024, "values": {"members": 10 + n}},
            headers=founder.headers | {"If-Match": '"1"'},
        )
        for n in range(5)
    ]
    statuses = sorted(r.status_code for r in await asyncio.gather(*replacements))
    assert statuses == [200, 412, 412, 412, 412]  # one replaces version 1; the others find version 2
    [report] = (await registry.get(f"{base}/impact")).json()["items"]
    assert report["version"] == 2
    members = (await registry.get(f"{base}/members")).json()["items"]
    assert sorted(m["contributor_id"] for m in members) == sorted([founder.id, newcomer.id])


async def test_adding_one_person_in_two_roles_at_once_never_deadlocks(registry, token):
    founder = await new_person(registry, token)
    collective = await new_collective(registry, founder)
    members = f"{API}/collectives/{collective['id']}/members"
    for _ in range(15):  # the interleaving that deadlocked took a few tries to meet
        newcomer = await new_person(registry, token)
        responses = await asyncio.gather(
            registry.post(members, json={"contributor_id": newcomer.id, "role": "member"}, headers=founder.headers),
            registry.post(
                members, json={"contributor_id": newcomer.id, "role": "coordinator"}, headers=founder.headers
            ),
        )
        assert sorted(r.status_code for r in responses) == [200, 201], [r.text for r in responses]
