import asyncio
import uuid

import pytest
from registry_support import (
    API,
    collective_body,
    if_match,
    new_collective,
    new_person,
    registry_fixture,  # noqa: F401  (provides the `registry` fixture)
)
from sqlalchemy import select

pytestmark = pytest.mark.integration


def person_body(**overrides) -> dict:
    return {"display_name": "Bart Dijkstra", "email": f"bart-{uuid.uuid4().hex[:8]}@example.org"} | overrides


# --- contributors -----------------------------------------------------------------------------------------------


async def test_a_person_registers_themself_under_the_id_of_their_token(registry, token):
    sub = str(uuid.uuid4())
    body = person_body(email="Bart.D@Example.ORG", expertise=["energy", "digital"], municipality_code="GM0014")
    response = await registry.post(f"{API}/contributors", json=body, headers=token("contributor", sub=sub))

    assert response.status_code == 201, response.text
    person = response.json()
    assert person["id"] == sub
    assert response.headers["location"] == f"{API}/contributors/{sub}"
    assert response.headers["etag"] == '"1"'
    assert (person["email"], person["province_code"], person["status"]) == ("bart.d@example.org", "PV20", "active")


async def test_a_token_whose_subject_is_no_uuid_gets_a_new_contributor_id(registry, token):
    response = await registry.post(f"{API}/contributors", json=person_body(), headers=token("contributor", sub="bart"))
    assert response.status_code == 201
    assert uuid.UUID(response.json()["id"])


async def test_registering_twice_or_with_a_taken_address_is_a_conflict(registry, token):
    person = await new_person(registry, token)
    again = await registry.post(f"{API}/contributors", json=person_body(), headers=person.headers)
    taken = await registry.post(
        f"{API}/contributors", json=person_body(email=person.email.upper()), headers=token("contributor")
    )
    assert (again.status_code, taken.status_code) == (409, 409)
    assert again.json()["type"].endswith("/already-registered")
    assert taken.json()["type"].endswith("/email-taken")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"display_name": "B"}, "display_name"),
        ({"display_name": "Ab\u0007\u202e"}, "display_name"),  # a bell and a right-to-left override
        ({"display_name": "Anne\nJansen"}, "display_name"),
        ({"municipality_code": "GM0000"}, "municipality_code"),
        ({"expertise": ["gardening"]}, "expertise.0"),
        ({"bio": "hello"}, "bio"),
    ],
)
async def test_invalid_registrations_are_refused(registry, token, change, field):
    response = await registry.post(f"{API}/contributors", json=person_body(**change), headers=token("contributor"))
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}


async def test_the_public_profile_hides_the_address_from_everyone_but_the_person_and_operators(registry, token):
    person = await new_person(registry, token)
    collective = await new_collective(registry, person)
    url = f"{API}/contributors/{person.id}"

    public = await registry.get(url)
    assert public.status_code == 200
    assert public.headers["etag"] == '"1"'
    assert public.json()["email"] is None
    assert public.json()["memberships"] == [
        {"collective_id": collective["id"], "collective_name": collective["name"], "role": "coordinator"}
    ]
    assert (await registry.get(url, headers=token("contributor"))).json()["email"] is None
    assert (await registry.get(url, headers=person.headers)).json()["email"] == person.email
    assert (await registry.get(url, headers=token("operator"))).json()["email"] == person.email
    assert (await registry.get(f"{API}/contributors/{uuid.uuid4()}")).status_code == 404


async def test_a_person_updates_their_profile_with_the_current_etag(registry, token):
    person = await new_person(registry, token)
    url = f"{API}/contributors/{person.id}"
    change = {"display_name": "Anna Jansen", "municipality_code": "GM0363", "expertise": ["care"]}

    assert (await registry.patch(url, json=change, headers=person.headers)).status_code == 428
    assert (await registry.patch(url, json=change, headers=if_match(3, person.headers))).status_code == 412
    updated = await registry.patch(url, json=change, headers=if_match(1, person.headers))
    assert updated.status_code == 200, updated.text
    assert updated.headers["etag"] == '"2"'
    assert (updated.json()["display_name"], updated.json()["province_code"]) == ("Anna Jansen", "PV27")

    cleared = await registry.patch(url, json={"municipality_code": None}, headers=if_match(2, token("operator")))
    assert (cleared.status_code, cleared.json()["province_code"]) == (200, None)


async def test_invalid_profile_updates_are_refused(registry, token):
    person, other = await new_person(registry, token), await new_person(registry, token)
    url = f"{API}/contributors/{person.id}"
    nulled = await registry.patch(url, json={"display_name": None}, headers=if_match(1, person.headers))
    taken = await registry.patch(url, json={"email": other.email}, headers=if_match(1, person.headers))
    assert (nulled.status_code, taken.status_code) == (422, 409)


async def test_erasure_removes_the_person_and_their_memberships(registry, token):
    person = await new_person(registry, token)
    collective = await new_collective(registry, person)
    url = f"{API}/contributors/{person.id}"

    erased = await registry.delete(url, headers=person.headers)
    assert erased.status_code == 204
    assert (await registry.get(url)).status_code == 404
    assert (await registry.delete(url, headers=person.headers)).status_code == 404
    assert (
        await registry.patch(url, json={"display_name": "Terug"}, headers=if_match(2, person.headers))
    ).status_code == 404
    members = (await registry.get(f"{API}/collectives/{collective['id']}/members")).json()["items"]
    assert members == []
    refused = await registry.post(f"{API}/collectives", json=collective_body(), headers=person.headers)
    assert refused.status_code == 403  # an erased person can no longer register a collective
    reregistered = await registry.post(f"{API}/contributors", json=person_body(), headers=person.headers)
    assert reregistered.status_code == 409


async def test_erasure_also_removes_the_person_s_earlier_events_kept_for_replays(registry, token):
    person = await new_person(registry, token)
    url = f"{API}/contributors/{person.id}"
    renamed = await registry.patch(url, json={"display_name": "Nieuwe Naam"}, headers=if_match(1, person.headers))
    assert renamed.status_code == 200
    runtime = registry.app.state.runtime
    outbox = runtime.spec.tables.outbox

    async def kept_types() -> list[str]:
        async with runtime.sessions() as session:
            rows = await session.execute(select(outbox.c.type).where(outbox.c.subject == str(person.id)))
            return sorted(t.rsplit(".", 2)[-2] for t in rows.scalars())

    assert await kept_types() == ["registered", "updated"]
    assert (await registry.delete(url, headers=person.headers)).status_code == 204
    assert await kept_types() == ["erased"]  # what tells every service to anonymise stays, and holds no name


async def test_an_operator_may_erase_anyone_and_an_erased_address_can_be_used_again(registry, token):
    person = await new_person(registry, token)
    assert (await registry.delete(f"{API}/contributors/{person.id}", headers=token("operator"))).status_code == 204
    newcomer = await registry.post(
        f"{API}/contributors", json=person_body(email=person.email), headers=token("contributor")
    )
    assert newcomer.status_code == 201


# --- memberships ------------------------------------------------------------------------------------------------


async def test_managers_add_change_and_remove_members(registry, token):
    coordinator, newcomer = await new_person(registry, token), await new_person(registry, token)
    collective = await new_collective(registry, coordinator)
    members = f"{API}/collectives/{collective['id']}/members"

    added = await registry.post(members, json={"contributor_id": newcomer.id}, headers=coordinator.headers)
    assert (added.status_code, added.json()["role"], added.json()["version"]) == (201, "member", 1)
    assert added.json()["display_name"] == "Anna de Vries"
    same = await registry.post(members, json={"contributor_id": newcomer.id}, headers=coordinator.headers)
    assert (same.status_code, same.json()["version"]) == (200, 1)
    promoted = await registry.post(
        members, json={"contributor_id": newcomer.id, "role": "board"}, headers=coordinator.headers
    )
    assert (promoted.status_code, promoted.json()["role"], promoted.json()["version"]) == (200, "board", 2)

    removed = await registry.delete(f"{members}/{newcomer.id}", headers=coordinator.headers)
    assert removed.status_code == 204
    assert (await registry.delete(f"{members}/{newcomer.id}", headers=coordinator.headers)).status_code == 404
    listed = (await registry.get(members)).json()["items"]
    assert [m["contributor_id"] for m in listed] == [coordinator.id]

    back = await registry.post(members, json={"contributor_id": newcomer.id}, headers=coordinator.headers)
    assert (back.status_code, back.json()["version"]) == (201, 4)  # added, promoted, removed, back


async def test_a_board_member_manages_the_collective_and_a_plain_member_does_not(registry, token):
    coordinator = await new_person(registry, token)
    board, member, third = [await new_person(registry, token) for _ in range(3)]
    collective = await new_collective(registry, coordinator)
    members = f"{API}/collectives/{collective['id']}/members"
    await registry.post(members, json={"contributor_id": board.id, "role": "board"}, headers=coordinator.headers)
    await registry.post(members, json={"contributor_id": member.id}, headers=coordinator.headers)

    by_member = await registry.post(members, json={"contributor_id": third.id}, headers=member.headers)
    by_board = await registry.post(members, json={"contributor_id": third.id}, headers=board.headers)
    assert (by_member.status_code, by_board.status_code) == (403, 201)
    update = await registry.patch(
        f"{API}/collectives/{collective['id']}", json={"stage": "growth"}, headers=if_match(1, member.headers)
    )
    assert update.status_code == 403


async def test_a_member_may_leave_on_their_own(registry, token):
    coordinator, member = await new_person(registry, token), await new_person(registry, token)
    collective = await new_collective(registry, coordinator)
    members = f"{API}/collectives/{collective['id']}/members"
    await registry.post(members, json={"contributor_id": member.id}, headers=coordinator.headers)
    assert (await registry.delete(f"{members}/{coordinator.id}", headers=member.headers)).status_code == 403
    assert (await registry.delete(f"{members}/{member.id}", headers=member.headers)).status_code == 204


async def test_the_last_coordinator_stays_until_another_is_appointed(registry, token):
    first, second = await new_person(registry, token), await new_person(registry, token)
    collective = await new_collective(registry, first)
    members = f"{API}/collectives/{collective['id']}/members"
    leaving = await registry.delete(f"{members}/{first.id}", headers=first.headers)
    assert leaving.status_code == 409 and leaving.json()["type"].endswith("last-coordinator")
    demoted = await registry.post(members, json={"contributor_id": first.id, "role": "member"}, headers=first.headers)
    assert demoted.status_code == 409
    by_operator = await registry.delete(f"{members}/{first.id}", headers=token("operator"))
    assert by_operator.status_code == 409

    await registry.post(members, json={"contributor_id": second.id, "role": "coordinator"}, headers=first.headers)
    # two coordinators stepping down at the same moment: one may, the other is then the last
    both = await asyncio.gather(
        registry.delete(f"{members}/{first.id}", headers=first.headers),
        registry.delete(f"{members}/{second.id}", headers=second.headers),
    )
    assert sorted(r.status_code for r in both) == [204, 409]
    left = (await registry.get(members)).json()["items"]
    assert [m["role"] for m in left] == ["coordinator"]

    # erasure is not held back: the right to be forgotten comes first
    [stayed] = left
    stayer = first if stayed["contributor_id"] == first.id else second
    assert (await registry.delete(f"{API}/contributors/{stayer.id}", headers=stayer.headers)).status_code == 204


async def test_membership_errors(registry, token):
    coordinator = await new_person(registry, token)
    collective = await new_collective(registry, coordinator)
    members = f"{API}/collectives/{collective['id']}/members"

    stranger = await registry.post(members, json={"contributor_id": str(uuid.uuid4())}, headers=coordinator.headers)
    assert stranger.status_code == 422
    bad_role = await registry.post(
        members, json={"contributor_id": coordinator.id, "role": "king"}, headers=coordinator.headers
    )
    assert bad_role.status_code == 422
    unknown = await registry.post(
        f"{API}/collectives/{uuid.uuid4()}/members",
        json={"contributor_id": coordinator.id},
        headers=coordinator.headers,
    )
    assert unknown.status_code == 404

    await registry.post(f"{API}/collectives/{collective['id']}/dissolve", headers=coordinator.headers)
    newcomer = await new_person(registry, token)
    closed = await registry.post(members, json={"contributor_id": newcomer.id}, headers=coordinator.headers)
    assert closed.status_code == 409
