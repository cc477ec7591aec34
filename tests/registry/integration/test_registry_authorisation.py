"""Every write route × every kind of caller → the expected status (the matrix in services/registry/api.py)."""

import uuid
from dataclasses import dataclass

import pytest
from registry_support import (
    API,
    collective_body,
    new_collective,
    new_person,
    registry_fixture,  # noqa: F401  (provides the `registry` fixture)
)

pytestmark = pytest.mark.integration

CALLERS = (
    "anonymous",
    "coordinator",
    "board",
    "member",
    "outsider",
    "admin",
    "other_admin",
    "funder",
    "partner",
    "operator",
)
MANAGERS = {"coordinator", "board", "admin", "operator"}


@dataclass
class World:
    """A collective with a coordinator, a board member and a plain member, and tokens for every kind of caller."""

    collective_id: str
    headers: dict[str, dict[str, str]]


async def make_world(registry, token) -> World:
    coordinator, board, member, outsider = [await new_person(registry, token) for _ in range(4)]
    collective = await new_collective(registry, coordinator)
    members = f"{API}/collectives/{collective['id']}/members"
    for person, role in ((board, "board"), (member, "member")):
        added = await registry.post(
            members, json={"contributor_id": person.id, "role": role}, headers=token("operator")
        )
        assert added.status_code == 201
    headers = {
        "anonymous": {},
        "coordinator": coordinator.headers,
        "board": board.headers,
        "member": member.headers,
        "outsider": outsider.headers,
        "admin": token("collective_admin", collectives=[collective["id"]]),
        "other_admin": token("collective_admin", collectives=[str(uuid.uuid4())]),
        "funder": token("funder", funders=[str(uuid.uuid4())]),
        "partner": token("partner", partner="partner-1"),
        "operator": token("operator"),
    }
    return World(collective["id"], headers)


def expected(caller: str, allowed: set[str], success: int) -> int:
    if caller == "anonymous":
        return 401
    return success if caller in allowed else 403


@pytest.mark.parametrize("caller", CALLERS)
async def test_managing_a_collective(registry, token, caller):
    world = await make_world(registry, token)
    headers = world.headers[caller]
    base = f"{API}/collectives/{world.collective_id}"
    target = await new_person(registry, token)
    await registry.post(f"{base}/members", json={"contributor_id": target.id}, headers=token("operator"))

    update = await registry.patch(base, json={"description": caller}, headers=headers | {"If-Match": "*"})
    add = await registry.post(f"{base}/members", json={"contributor_id": target.id, "role": "board"}, headers=headers)
    report = await registry.post(f"{base}/impact", json={"year": 2024, "values": {"members": 7}}, headers=headers)
    remove = await registry.delete(f"{base}/members/{target.id}", headers=headers)
    dissolve = await registry.post(f"{base}/dissolve", headers=headers)

    assert update.status_code == expected(caller, MANAGERS, 200), update.text
    assert add.status_code == expected(caller, MANAGERS, 200), add.text
    assert report.status_code == expected(caller, MANAGERS, 201), report.text
    assert remove.status_code == expected(caller, MANAGERS, 204), remove.text
    assert dissolve.status_code == expected(caller, MANAGERS, 200), dissolve.text


async def test_reading_is_open_to_everyone(registry, token):
    world = await make_world(registry, token)
    base = f"{API}/collectives/{world.collective_id}"
    paths = [base + p for p in ("", "/history", "/members", "/impact")]
    paths += [API + p for p in ("/vocabulary", "/stats", "/umbrellas", "/goals", "/collectives")]
    for caller, headers in world.headers.items():
        for path in paths:
            assert (await registry.get(path, headers=headers)).status_code == 200, (caller, path)


async def test_a_bad_token_is_refused_even_where_no_token_is_needed(registry):
    for garbage in ("not-a-jwt", "abc.def.ghi"):
        response = await registry.get(f"{API}/collectives", headers={"Authorization": f"Bearer {garbage}"})
        assert response.status_code == 401
        # what is wrong, in the platform's words, not the JWT decoder's internals
        assert response.json()["detail"] == "the bearer token is not a well-formed JWT"
        assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("anonymous", 401),
        ("registered contributor", 201),
        ("unregistered contributor", 403),
        ("collective_admin", 403),
        ("funder", 403),
        ("partner", 403),
        ("operator", 201),
    ],
)
async def test_registering_a_collective(registry, token, caller, status):
    headers = {
        "anonymous": lambda: {},
        "unregistered contributor": lambda: token("contributor"),
        "collective_admin": lambda: token("collective_admin", collectives=[str(uuid.uuid4())]),
        "funder": lambda: token("funder"),
        "partner": lambda: token("partner"),
        "operator": lambda: token("operator"),
    }
    if caller == "registered contributor":
        caller_headers = (await new_person(registry, token)).headers
    else:
        caller_headers = headers[caller]()
    response = await registry.post(f"{API}/collectives", json=collective_body(), headers=caller_headers)
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    ("roles", "status"),
    [((), 401), (("contributor",), 201), (("operator",), 201), (("funder",), 403), (("partner",), 403),
     (("collective_admin",), 403)],
)  # fmt: skip
async def test_registering_oneself_as_a_contributor(registry, token, roles, status):
    headers = token(*roles) if roles else {}
    body = {"display_name": "Iemand Nieuw", "email": f"n-{uuid.uuid4().hex[:8]}@example.org"}
    assert (await registry.post(f"{API}/contributors", json=body, headers=headers)).status_code == status


@pytest.mark.parametrize(
    ("caller", "allowed"),
    [
        ("anonymous", False),
        ("the person", True),
        ("another contributor", False),
        ("collective_admin", False),
        ("funder", False),
        ("operator", True),
    ],
)
async def test_updating_and_erasing_a_contributor(registry, token, caller, allowed):
    person = await new_person(registry, token)
    callers = {
        "anonymous": {},
        "the person": person.headers,
        "another contributor": (await new_person(registry, token)).headers,
        "collective_admin": token("collective_admin", collectives=[str(uuid.uuid4())]),
        "funder": token("funder"),
        "operator": token("operator"),
    }
    headers = callers[caller]
    url = f"{API}/contributors/{person.id}"
    update = await registry.patch(url, json={"display_name": "Nieuwe Naam"}, headers=headers | {"If-Match": "*"})
    erase = await registry.delete(url, headers=headers)
    denied = 401 if caller == "anonymous" else 403
    assert update.status_code == (200 if allowed else denied)
    assert erase.status_code == (204 if allowed else denied)


@pytest.mark.parametrize(
    ("roles", "status"),
    [((), 401), (("contributor",), 403), (("collective_admin",), 403), (("funder",), 403), (("partner",), 403),
     (("operator",), 201)],
)  # fmt: skip
async def test_umbrellas_and_goals_are_for_operators(registry, token, roles, status):
    headers = token(*roles) if roles else {}
    umbrella = {"slug": f"koepel-{uuid.uuid4().hex[:8]}", "name": "Koepel Test (fictief)"}
    goal = {
        "title": "Honderd nieuwe collectieven (fictief)",
        "indicator": "collectives_count",
        "baseline_value": 0,
        "target_value": 100,
        "target_date": "2030-12-31",
    }
    assert (await registry.post(f"{API}/umbrellas", json=umbrella, headers=headers)).status_code == status
    assert (await registry.post(f"{API}/goals", json=goal, headers=headers)).status_code == status
