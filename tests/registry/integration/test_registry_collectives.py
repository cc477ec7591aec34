import uuid

import pytest
from registry_support import (
    API,
    collective_body,
    if_match,
    kvk,
    new_collective,
    new_person,
    registry_fixture,  # noqa: F401  (provides the `registry` fixture)
)

pytestmark = pytest.mark.integration


def problem_fields(response) -> set[str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return {error["field"] for error in response.json().get("errors", [])}


async def test_registering_makes_the_person_its_coordinator(registry, token):
    founder = await new_person(registry, token)
    response = await registry.post(f"{API}/collectives", json=collective_body(), headers=founder.headers)

    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"{API}/collectives/{body['id']}"
    assert response.headers["etag"] == '"1"'
    assert body["province_code"] == "PV22"
    assert body["status"] == "active"
    assert body["version"] == 1
    assert body["contact_email"].endswith("@zon.example.org")
    assert body["slug"].startswith("energiecooperatie-test-")

    members = (await registry.get(f"{API}/collectives/{body['id']}/members")).json()["items"]
    assert [(m["contributor_id"], m["role"]) for m in members] == [(founder.id, "coordinator")]


async def test_a_second_collective_with_the_same_name_gets_its_own_slug(registry, token):
    founder = await new_person(registry, token)
    name = f"Dorpscoöperatie Dubbel {uuid.uuid4().hex[:6]}"
    first = await new_collective(registry, founder, name=name)
    second = await new_collective(registry, founder, name=name)
    assert first["slug"] == second["slug"].rsplit("-", 1)[0]
    assert second["slug"] == f"{first['slug']}-{second['id'].replace('-', '')[:6]}"


async def test_an_operator_registers_without_becoming_a_member(registry, token):
    response = await registry.post(f"{API}/collectives", json=collective_body(), headers=token("operator"))
    assert response.status_code == 201, response.text
    members = await registry.get(f"{API}/collectives/{response.json()['id']}/members")
    assert members.json()["items"] == []


async def test_a_contributor_must_be_registered_before_registering_a_collective(registry, token):
    response = await registry.post(f"{API}/collectives", json=collective_body(), headers=token("contributor"))
    assert response.status_code == 403
    assert "register yourself" in response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kvk_number": "1234"}, "kvk_number"),
        ({"postcode": "0123 AB"}, "postcode"),
        ({"postcode": "1234 SA"}, "postcode"),
        ({"rsin": "123456789"}, "rsin"),
        ({"municipality_code": "GM9999"}, "municipality_code"),
        ({"kind": "castle"}, "kind"),
        ({"stage": "finished"}, "stage"),
        ({"themes": ["energy", "space"]}, "themes.1"),
        ({"name": "x" * 201}, "name"),
        ({"description": "x" * 5001}, "description"),
        ({"member_count": -1}, "member_count"),
        ({"member_count": True}, "member_count"),
        ({"name": "Dorp\u202eskraD"}, "name"),
        ({"founded_on": "2999-01-01"}, "founded_on"),
        ({"website": "ftp://zon.example.org"}, "website"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"umbrella_ids": ["not-a-uuid"]}, "umbrella_ids.0"),
        ({"colour": "green"}, "colour"),
        ({"legal_form": "informal"}, "kvk_number"),
        ({"anbi": True}, "anbi"),  # a cooperative cannot be an ANBI
        ({"umbrella_ids": [str(uuid.uuid4())]}, "umbrella_ids"),
    ],
)
async def test_invalid_collectives_are_refused_with_the_field_named(registry, token, change, field):
    founder = await new_person(registry, token)
    response = await registry.post(f"{API}/collectives", json=collective_body(**change), headers=founder.headers)
    assert response.status_code == 422, response.text
    assert field in problem_fields(response)


async def test_identifiers_are_stored_in_their_canonical_form(registry, token):
    founder = await new_person(registry, token)
    number = kvk()
    body = await new_collective(
        registry,
        founder,
        kvk_number=f"{number[:4]} {number[4:]}",
        postcode="9401hj",
        rsin="8029.68.429",
        legal_form="foundation",
        anbi=True,
    )
    assert (body["kvk_number"], body["postcode"], body["rsin"], body["anbi"]) == (number, "9401 HJ", "802968429", True)


async def test_a_duplicate_kvk_number_is_a_conflict(registry, token):
    founder = await new_person(registry, token)
    first = await new_collective(registry, founder)
    response = await registry.post(
        f"{API}/collectives", json=collective_body(kvk_number=first["kvk_number"]), headers=founder.headers
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/duplicate-kvk-number")


async def test_unknown_and_malformed_ids_are_404_and_422(registry):
    assert (await registry.get(f"{API}/collectives/{uuid.uuid4()}")).status_code == 404
    assert (await registry.get(f"{API}/collectives/nope")).status_code == 422
    for path in ("history", "members", "impact"):
        assert (await registry.get(f"{API}/collectives/{uuid.uuid4()}/{path}")).status_code == 404


async def test_the_contact_address_is_shown_only_to_those_who_manage_the_collective(registry, token):
    founder = await new_person(registry, token)
    collective = await new_collective(registry, founder)
    outsider = await new_person(registry, token)
    readers = {
        "anonymous": ({}, False),
        "outsider": (outsider.headers, False),
        "funder": (token("funder"), False),
        "coordinator": (founder.headers, True),
        "scoped admin": (token("collective_admin", collectives=[collective["id"]]), True),
        "operator": (token("operator"), True),
    }
    for who, (headers, sees) in readers.items():
        detail = (await registry.get(f"{API}/collectives/{collective['id']}", headers=headers)).json()
        listed = await registry.get(f"{API}/collectives", params={"q": collective["name"]}, headers=headers)
        [item] = [c for c in listed.json()["items"] if c["id"] == collective["id"]]
        assert (detail["contact_email"] is not None) is sees, who
        assert item["contact_email"] == detail["contact_email"], who


async def test_the_list_filters_by_every_field(registry, token):
    founder = await new_person(registry, token)
    tag = f"filtertest{uuid.uuid4().hex[:8]}"
    umbrella = await registry.post(
        f"{API}/umbrellas", json={"slug": tag, "name": f"Koepel {tag}"}, headers=token("operator")
    )
    energy = await new_collective(registry, founder, name=f"Zonnedak {tag}", umbrella_ids=[umbrella.json()["id"]])
    care = await new_collective(
        registry,
        founder,
        name=f"Zorgcoöperatie {tag}",
        kind="care_cooperative",
        stage="growth",
        municipality_code="GM0363",  # Amsterdam, Noord-Holland
        themes=["care", "social_cohesion"],
        description="Buren helpen elkaar met boodschappen en vervoer.",
    )
    expectations = {
        "kind=energy_cooperative": {energy["id"]},
        "stage=growth": {care["id"]},
        "province=PV27": {care["id"]},
        "municipality=GM0106": {energy["id"]},
        "theme=social_cohesion": {care["id"]},
        f"umbrella={umbrella.json()['id']}": {energy["id"]},
        "status=active": {energy["id"], care["id"]},
        "status=dissolved": set(),
    }
    for query, expected in expectations.items():
        response = await registry.get(f"{API}/collectives?q={tag}&{query}")
        assert response.status_code == 200, response.text
        assert {c["id"] for c in response.json()["items"]} == expected, query


async def test_text_search_stems_dutch_words_and_folds_accents(registry, token):
    founder = await new_person(registry, token)
    tag = uuid.uuid4().hex[:8]
    collective = await new_collective(
        registry, founder, name=f"Coöperatie Wîjkkracht {tag}", description=f"Wij beheren moestuinen in {tag}."
    )
    for q in (f"moestuin {tag}", f"cooperatie wijkkracht {tag}", f"WIJKKRACHT {tag}", tag):
        found = (await registry.get(f"{API}/collectives", params={"q": q})).json()["items"]
        assert collective["id"] in {c["id"] for c in found}, q
    nothing = (await registry.get(f"{API}/collectives", params={"q": f"zwembad {tag}"})).json()["items"]
    assert nothing == []


async def test_pages_follow_each_other_without_gaps_or_repeats(registry, token):
    founder = await new_person(registry, token)
    tag = f"pagetest{uuid.uuid4().hex[:8]}"
    created = [(await new_collective(registry, founder, name=f"Buurtfonds {tag} {i}"))["id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        params = {"q": tag, "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await registry.get(f"{API}/collectives", params=params)).json()
        assert len(page["items"]) <= 2
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == created


@pytest.mark.parametrize(
    "query",
    ["cursor=garbage", "limit=0", "limit=201", "province=PV99", "municipality=GM9999", "kind=castle", "status=gone"],
)
async def test_bad_list_parameters_are_422(registry, query):
    response = await registry.get(f"{API}/collectives?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_an_update_needs_the_current_etag(registry, token):
    founder = await new_person(registry, token)
    collective = await new_collective(registry, founder)
    url = f"{API}/collectives/{collective['id']}"

    missing = await registry.patch(url, json={"member_count": 41}, headers=founder.headers)
    assert missing.status_code == 428
    stale = await registry.patch(url, json={"member_count": 41}, headers=if_match(7, founder.headers))
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 1

    updated = await registry.patch(
        url, json={"member_count": 41, "municipality_code": "GM0363"}, headers=if_match(1, founder.headers)
    )
    assert updated.status_code == 200, updated.text
    assert updated.headers["etag"] == '"2"'
    assert (updated.json()["member_count"], updated.json()["province_code"]) == (41, "PV27")
    assert (await registry.get(url)).headers["etag"] == '"2"'


async def test_an_update_that_changes_nothing_keeps_the_version(registry, token):
    founder = await new_person(registry, token)
    collective = await new_collective(registry, founder)
    response = await registry.patch(
        f"{API}/collectives/{collective['id']}",
        json={"member_count": collective["member_count"], "name": collective["name"]},
        headers=if_match(1, founder.headers),
    )
    assert response.status_code == 200
    assert response.json()["version"] == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": None}, "name"),
        ({"stage": "finished"}, "stage"),
        ({"legal_form": "informal"}, "kvk_number"),
        ({"unknown": 1}, "unknown"),
        ({"umbrella_ids": [str(uuid.uuid4())]}, "umbrella_ids"),
    ],
)
async def test_invalid_updates_are_refused(registry, token, change, field):
    founder = await new_person(registry, token)
    collective = await new_collective(registry, founder)
    response = await registry.patch(
        f"{API}/collectives/{collective['id']}", json=change, headers=if_match(1, founder.headers)
    )
    assert response.status_code == 422, response.text
    assert field in problem_fields(response)


async def test_an_update_to_a_taken_kvk_number_is_a_conflict(registry, token):
    founder = await new_person(registry, token)
    first, second = await new_collective(registry, founder), await new_collective(registry, founder)
    response = await registry.patch(
        f"{API}/collectives/{second['id']}",
        json={"kvk_number": first["kvk_number"]},
        headers=if_match(1, founder.headers),
    )
    assert response.status_code == 409


async def test_history_lists_who_changed_what_newest_first(registry, token):
    founder = await new_person(registry, token)
    collective = await new_collective(registry, founder)
    url = f"{API}/collectives/{collective['id']}"
    await registry.patch(url, json={"stage": "growth"}, headers=if_match(1, founder.headers))
    await registry.patch(
        url,
        json={"contact_email": "nieuw@zon.example.org", "member_count": 60},
        headers=token("operator") | {"If-Match": '"2"'},
    )

    history = (await registry.get(f"{url}/history")).json()["items"]
    assert [(h["version"], h["action"]) for h in history] == [(3, "updated"), (2, "stage_changed"), (1, "registered")]
    assert history[1]["actor"] == founder.id
    assert history[1]["actor_role"] == "coordinator"
    assert history[1]["changes"] == [{"field": "stage", "from": "startup", "to": "growth", "redacted": False}]
    assert history[0]["actor_role"] == "operator"
    changes = {c["field"]: c for c in history[0]["changes"]}
    assert changes["contact_email"] == {"field": "contact_email", "from": None, "to": None, "redacted": True}
    assert (changes["member_count"]["from"], changes["member_count"]["to"]) == (40, 60)
    registered = {c["field"] for c in history[2]["changes"]}
    assert {"name", "kind", "kvk_number", "contact_email"} <= registered

    first_page = (await registry.get(f"{url}/history", params={"limit": 2})).json()
    second_page = (await registry.get(f"{url}/history", params={"cursor": first_page["next_cursor"]})).json()
    assert [h["version"] for h in first_page["items"] + second_page["items"]] == [3, 2, 1]
    assert second_page["next_cursor"] is None


async def test_a_dissolved_collective_can_no_longer_change(registry, token):
    founder = await new_person(registry, token)
    collective = await new_collective(registry, founder, founded_on="2019-05-01")
    url = f"{API}/collectives/{collective['id']}"

    too_early = await registry.post(f"{url}/dissolve", json={"dissolved_on": "2018-01-01"}, headers=founder.headers)
    assert too_early.status_code == 422
    stale = await registry.post(f"{url}/dissolve", headers=if_match(5, founder.headers))
    assert stale.status_code == 412

    dissolved = await registry.post(f"{url}/dissolve", json={"dissolved_on": "2025-06-30"}, headers=founder.headers)
    assert dissolved.status_code == 200, dissolved.text
    assert (dissolved.json()["status"], dissolved.json()["dissolved_on"]) == ("dissolved", "2025-06-30")
    assert dissolved.headers["etag"] == '"2"'

    again = await registry.post(f"{url}/dissolve", headers=founder.headers)
    update = await registry.patch(url, json={"member_count": 1}, headers=if_match(2, founder.headers))
    assert (again.status_code, update.status_code) == (409, 409)
    assert update.json()["type"].endswith("/collective-dissolved")
    history = (await registry.get(f"{url}/history")).json()["items"]
    assert history[0]["action"] == "dissolved"


async def test_a_retried_registration_with_the_same_idempotency_key_creates_one_collective(registry, token):
    founder = await new_person(registry, token)
    body = collective_body()
    headers = founder.headers | {"Idempotency-Key": uuid.uuid4().hex}
    first = await registry.post(f"{API}/collectives", json=body, headers=headers)
    second = await registry.post(f"{API}/collectives", json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.headers.get("idempotent-replayed") == "true"
    assert second.json()["id"] == first.json()["id"]
    listed = (await registry.get(f"{API}/collectives", params={"q": body["name"]})).json()["items"]
    assert len(listed) == 1
