# ruff: noqa: F811  (pytest fixtures imported from funding_support are parameters of the tests)
"""Input that is well-formed but wrong, or that PostgreSQL cannot hold, is a 422 naming the field — never a 200 with
an empty answer, never the database's anonymous refusal."""

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from funding_support import (  # noqa: F401
    API,
    funder_token,
    funding,
    if_match,
    instrument_body,
    known_collective,
    new_funder,
    new_instrument,
    token,
)

pytestmark = pytest.mark.integration

NUL = "\u0000"


def refused(response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in response.json()["errors"]}, response.json()


@pytest.mark.parametrize("code", ["PV99", "PV00", "GM9999", "GM0000"])
async def test_unknown_region_codes_in_queries_are_refused(funding, code):
    refused(await funding.get(f"{API}/instruments", params={"region": code}), "query.region")
    if code.startswith("PV"):
        refused(await funding.get(f"{API}/coverage", params={"province": code}), "query.province")


async def test_known_region_codes_in_queries_are_answered(funding):
    for params in ({"region": "PV22"}, {"region": "GM0106"}):
        assert (await funding.get(f"{API}/instruments", params=params)).status_code == 200
    coverage = await funding.get(f"{API}/coverage", params={"province": "PV22"})
    assert coverage.status_code == 200
    assert coverage.json()["province"] == "PV22"
    refused(await funding.get(f"{API}/coverage", params={"province": "GM0106"}), "query.province")


@pytest.mark.parametrize(
    ("areas", "field"),
    [
        ({"municipalities": ["GM9999"]}, "municipalities.0"),
        ({"municipalities": ["GM0106", "GM0000"]}, "municipalities.1"),
        ({"provinces": ["PV99"], "municipalities": []}, "provinces.0"),
    ],
)
async def test_unknown_region_codes_in_instruments_are_refused(funding, token, areas, field):
    funder = await new_funder(funding, token)
    headers = funder_token(token, funder["id"])
    refused(
        await funding.post(f"{API}/instruments", json=instrument_body(funder["id"], **areas), headers=headers), field
    )

    instrument = await new_instrument(funding, token, funder["id"])
    url = f"{API}/instruments/{instrument['id']}"
    refused(await funding.patch(url, json=areas, headers=if_match(1, headers)), field)
    assert (await funding.get(url)).json()["version"] == 1


async def test_nul_characters_are_refused_naming_the_field(funding, token, redis, settings):
    operator = token("operator")
    for field in ("name", "description", "website"):
        body = {"name": "Fonds", "kind": "private_fund", "website": "https://fonds.example.org"}
        body[field] = f"{body.get(field, 'x')}{NUL}"
        refused(await funding.post(f"{API}/funders", json=body, headers=operator), field)

    funder = await new_funder(funding, token)
    headers = funder_token(token, funder["id"])
    for field in ("name", "description", "application_url"):
        body = instrument_body(funder["id"], application_url="https://fonds.example.org/aanvragen")
        body[field] = f"{body.get(field, 'x')}{NUL}"
        refused(await funding.post(f"{API}/instruments", json=body, headers=headers), field)
    instrument = await new_instrument(funding, token, funder["id"])
    url = f"{API}/instruments/{instrument['id']}"
    refused(await funding.patch(url, json={"description": f"a{NUL}b"}, headers=if_match(1, headers)), "description")

    refused(await funding.get(f"{API}/instruments", params={"q": f"a{NUL}b"}), "query.q")
    assert (await funding.get(f"{API}/instruments", params={"q": "ab"})).status_code == 200

    coop = await known_collective(funding, redis, settings)
    cid = coop["collective_id"]
    admin = token("collective_admin", collectives=[cid])
    need = {"collective_id": cid, "amount_cents": 100_000, "purpose": f"Zon{NUL}panelen"}
    refused(await funding.post(f"{API}/needs", json=need, headers=admin), "purpose")
    application = {"collective_id": cid, "instrument_id": instrument["id"], "title": "Zonnepanelen"}
    for field in ("title", "motivation"):
        refused(await funding.post(f"{API}/applications", json=application | {field: NUL}, headers=admin), field)

    closes = (datetime.now(UTC) + timedelta(days=9)).isoformat()
    match_round = {"funder_id": funder["id"], "mechanism": "quadratic", "budget_cents": 100_000, "closes_at": closes}
    for field in ("name", "description"):
        body = match_round | {"name": "Ronde"} | {field: f"Ron{NUL}de"}
        refused(await funding.post(f"{API}/rounds", json=body, headers=headers), field)
    project = {"collective_id": cid, "title": f"Tuin{NUL}", "target_cents": 10_000}
    refused(await funding.post(f"{API}/rounds/{uuid.uuid4()}/projects", json=project, headers=admin), "title")


def forged(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("path", "values"),
    [
        ("/funders", ["2024-01-01T00:00:00+00:00", "a\u0000b"]),
        ("/instruments/{instrument}/matches", [str(10**20), str(uuid.uuid4())]),  # beyond the smallint score
        ("/instruments/{instrument}/matches", [str(-(2**15) - 1), str(uuid.uuid4())]),
        ("/instruments/{instrument}/matches", ["5\u0000", str(uuid.uuid4())]),
        ("/collectives/{collective}/matches", ["0", "1", "a\u0000b"]),
    ],
)
async def test_forged_cursors_are_refused_naming_the_cursor(funding, token, redis, settings, path, values):
    funder = await new_funder(funding, token)
    instrument = await new_instrument(funding, token, funder["id"])
    coop = await known_collective(funding, redis, settings)
    url = API + path.format(instrument=instrument["id"], collective=coop["collective_id"])
    refused(await funding.get(url, params={"cursor": forged(values)}), "cursor")
