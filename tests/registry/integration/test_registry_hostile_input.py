"""Input a client can send never becomes a 500: NUL characters, huge numbers and forged cursors are 422s."""

import base64
import json
import uuid

import pytest
from registry_support import (
    API,
    collective_body,
    new_collective,
    new_person,
    registry_fixture,  # noqa: F401  (provides the `registry` fixture)
)

pytestmark = pytest.mark.integration


def forged(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


async def test_nul_characters_are_refused(registry, token):
    person = await new_person(registry, token)
    for change in ({"name": "Nul\u0000byte"}, {"description": "x\u0000"}, {"website": "https://a\u0000.example.org"}):
        response = await registry.post(f"{API}/collectives", json=collective_body(**change), headers=person.headers)
        assert response.status_code == 422, change
    contributor = {"display_name": "An\u0000na", "email": "anna@example.org"}
    assert (
        await registry.post(f"{API}/contributors", json=contributor, headers=token("contributor"))
    ).status_code == 422
    assert (await registry.get(f"{API}/collectives", params={"q": "zon\u0000"})).status_code == 422


async def test_figures_beyond_any_real_collective_are_refused(registry, token):
    person = await new_person(registry, token)
    collective = await new_collective(registry, person)
    url = f"{API}/collectives/{collective['id']}/impact"
    for values in ({"members": 10**30}, {"co2_avoided_tonnes": 1e308}):
        response = await registry.post(url, json={"year": 2024, "values": values}, headers=person.headers)
        assert response.status_code == 422, values
    huge = await registry.post(f"{API}/collectives", json=collective_body(member_count=10**12), headers=person.headers)
    assert huge.status_code == 422


@pytest.mark.parametrize(
    ("path", "values"),
    [
        ("/collectives", ["2024-01-01T00:00:00", str(uuid.uuid4())]),  # no time zone
        ("/collectives", ["9999-12-31T23:59:59-14:00", str(uuid.uuid4())]),  # beyond the calendar in UTC
        ("/collectives", ["2024-01-01T00:00:00+00:00", "not-a-uuid"]),
        ("/umbrellas", ["a\u0000b"]),
        ("/goals", ["2024-01-01T00:00:00+00:00"]),  # one value short
    ],
)
async def test_forged_cursors_are_refused(registry, path, values):
    response = await registry.get(API + path, params={"cursor": forged(values)})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


async def test_forged_cursors_with_numbers_out_of_range_are_refused(registry, token):
    person = await new_person(registry, token)
    collective = await new_collective(registry, person)
    for path in ("history", "impact"):
        response = await registry.get(
            f"{API}/collectives/{collective['id']}/{path}", params={"cursor": forged([str(10**20)])}
        )
        assert response.status_code == 422, path
