# ruff: noqa: F811  (pytest fixtures imported from funding_support are parameters of the tests)
import uuid

import asyncpg
import pytest
from funding_support import (  # noqa: F401
    API,
    days,
    eventually,
    funder_token,
    funding,
    funding_events,
    if_match,
    instrument_body,
    new_funder,
    new_instrument,
    token,
)

from services.funding import rematch
from shared.db import asyncpg_dsn

pytestmark = pytest.mark.integration


async def test_funders_are_registered_by_operators_and_read_by_anyone(funding, token):
    body = {"name": "Fonds Test (fictief)", "kind": "private_fund", "website": "https://fonds.example.org"}
    assert (await funding.post(f"{API}/funders", json=body)).status_code == 401
    assert (await funding.post(f"{API}/funders", json=body, headers=token("funder"))).status_code == 403
    assert (await funding.post(f"{API}/funders", json=body, headers=token("contributor"))).status_code == 403
    bad = await funding.post(f"{API}/funders", json=body | {"kind": "casino", "x": 1}, headers=token("operator"))
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"kind", "x"}

    created = await funding.post(f"{API}/funders", json=body, headers=token("operator"))
    assert created.status_code == 201
    funder = created.json()
    assert created.headers["location"] == f"{API}/funders/{funder['id']}"
    assert created.headers["etag"] == '"1"'

    got = await funding.get(f"{API}/funders/{funder['id']}")
    assert got.status_code == 200
    assert got.json()["name"] == body["name"]
    assert (await funding.get(f"{API}/funders/{uuid.uuid4()}")).status_code == 404

    await new_funder(funding, token)
    first = await funding.get(f"{API}/funders", params={"limit": 1})
    assert first.status_code == 200
    assert len(first.json()["items"]) == 1
    assert first.json()["next_cursor"]
    bad_cursor = await funding.get(f"{API}/funders", params={"cursor": "nonsense!"})
    assert bad_cursor.status_code == 422


async def test_instruments_are_created_by_their_funder_and_published(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    other = await new_funder(funding, token)
    body = instrument_body(funder["id"], themes=["energy"], stages=["startup"], collective_kinds=["energy_cooperative"])

    assert (await funding.post(f"{API}/instruments", json=body)).status_code == 401
    assert (await funding.post(f"{API}/instruments", json=body, headers=token("contributor"))).status_code == 403
    foreign = await funding.post(f"{API}/instruments", json=body, headers=funder_token(token, other["id"]))
    assert foreign.status_code == 403
    unknown = instrument_body(str(uuid.uuid4()))
    assert (await funding.post(f"{API}/instruments", json=unknown, headers=token("operator"))).status_code == 422

    created = await funding.post(f"{API}/instruments", json=body, headers=funder_token(token, funder["id"]))
    assert created.status_code == 201, created.text
    instrument = created.json()
    assert instrument["status"] == "open"
    assert instrument["open_now"] is True
    assert instrument["funder_name"] == funder["name"]
    assert created.headers["etag"] == '"1"'

    async def published():
        events = await funding_events(redis, settings, "instrument.published")
        return [e for e in events if e["subject"] == instrument["id"]]

    (event,) = await eventually(published)
    assert event["data"]["collective_kinds"] == ["energy_cooperative"]
    assert event["sequence"] == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_min_cents": 500, "amount_max_cents": 100}, "amount_max_cents"),
        ({"opens_on": days(10), "closes_on": days(1)}, "closes_on"),
        ({"national": True}, "national"),
        ({"municipalities": []}, "provinces"),
        ({"municipalities": ["GM9999"]}, "municipalities.0"),
        ({"provinces": ["PV99"], "municipalities": []}, "provinces.0"),
        ({"cofinancing_pct": 120}, "cofinancing_pct"),
        ({"form": "lottery"}, "form"),
        ({"stages": ["startup", "startup"]}, "stages"),
        ({"status": "closed"}, "status"),
        ({"amount_min_cents": -1}, "amount_min_cents"),
        ({"requires_anbi": True, "legal_forms": ["cooperative"]}, "requires_anbi"),  # AWR art. 5b: could fit no one
    ],
)
async def test_instrument_rules_are_validated(funding, token, overrides, field):
    funder = await new_funder(funding, token)
    r = await funding.post(
        f"{API}/instruments", json=instrument_body(funder["id"], **overrides), headers=token("operator")
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in r.json()["errors"]}


async def test_instrument_list_filters_and_pages(funding, token):
    funder = await new_funder(funding, token)
    fid = funder["id"]
    energy = await new_instrument(
        funding, token, fid, form="loan", collective_kinds=["energy_cooperative"], stages=["growth"], themes=["energy"]
    )
    anyone = await new_instrument(funding, token, fid, form="grant", provinces=["PV25"], municipalities=[])
    later = await new_instrument(funding, token, fid, form="prize", national=True, municipalities=[], opens_on=days(30))
    draft = await new_instrument(funding, token, fid, status="draft")

    async def ids(**params):
        r = await funding.get(f"{API}/instruments", params={"funder_id": fid, **params})
        assert r.status_code == 200, r.text
        return {i["id"] for i in r.json()["items"]}

    assert await ids() == {energy["id"], anyone["id"], later["id"]}  # drafts only for their funder
    r = await funding.get(f"{API}/instruments", params={"funder_id": fid}, headers=funder_token(token, fid))
    assert draft["id"] in {i["id"] for i in r.json()["items"]}
    assert await ids(form="loan") == {energy["id"]}
    assert await ids(kind="care_cooperative") == {anyone["id"], later["id"]}
    assert await ids(stage="startup") == {anyone["id"], later["id"]}
    assert await ids(theme="care") == {anyone["id"], later["id"]}
    assert await ids(region="PV25") == {anyone["id"], later["id"]}
    assert await ids(region="GM0202") == {anyone["id"], later["id"]}  # Arnhem lies in Gelderland
    assert await ids(region="PV22") == {energy["id"], later["id"]}  # Assen (GM0106) lies in Drenthe
    assert await ids(region="national") == {later["id"]}
    assert await ids(open="true") == {energy["id"], anyone["id"]}
    assert await ids(open="false") == {later["id"]}
    assert (await funding.get(f"{API}/instruments", params={"region": "XX01"})).status_code == 422
    for unknown in (
        "PV99",
        "GM9999",
    ):  # well-formed but not on the reference list (tests/.../test_funding_hostile_input)
        assert (await funding.get(f"{API}/instruments", params={"region": unknown})).status_code == 422
    assert (await funding.get(f"{API}/instruments", params={"kind": "castle"})).status_code == 422

    seen, cursor = [], None
    while True:
        params = {"funder_id": fid, "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await funding.get(f"{API}/instruments", params=params)).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted([energy["id"], anyone["id"], later["id"]])
    assert len(seen) == len(set(seen))


async def test_instrument_detail_hides_drafts_from_others(funding, token):
    funder = await new_funder(funding, token)
    draft = await new_instrument(funding, token, funder["id"], status="draft")
    assert (await funding.get(f"{API}/instruments/{draft['id']}")).status_code == 404
    own = await funding.get(f"{API}/instruments/{draft['id']}", headers=funder_token(token, funder["id"]))
    assert own.status_code == 200
    assert own.headers["etag"] == '"1"'
    assert (await funding.get(f"{API}/instruments/{uuid.uuid4()}")).status_code == 404


async def test_patching_an_instrument_needs_if_match_and_the_funder(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    headers = funder_token(token, funder["id"])
    instrument = await new_instrument(funding, token, funder["id"])
    url = f"{API}/instruments/{instrument['id']}"

    assert (await funding.patch(url, json={"name": "Nieuw"})).status_code == 401
    assert (await funding.patch(f"{API}/instruments/{uuid.uuid4()}", json={}, headers=headers)).status_code == 404
    other = funder_token(token, (await new_funder(funding, token))["id"])
    assert (await funding.patch(url, json={"name": "Nieuw"}, headers=if_match(1, other))).status_code == 403
    assert (await funding.patch(url, json={"name": "Nieuw"}, headers=headers)).status_code == 428
    assert (await funding.patch(url, json={"name": "Nieuw"}, headers=if_match(7, headers))).status_code == 412
    nulls = await funding.patch(url, json={"name": None}, headers=if_match(1, headers))
    assert nulls.status_code == 422
    unknown = await funding.patch(url, json={"colour": "red"}, headers=if_match(1, headers))
    assert unknown.status_code == 422
    inverted = await funding.patch(url, json={"amount_max_cents": 50}, headers=if_match(1, headers))
    assert inverted.status_code == 422

    changed = await funding.patch(url, json={"name": "Nieuwe naam", "themes": ["care"]}, headers=if_match(1, headers))
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"2"'
    assert changed.json()["themes"] == ["care"]
    unpublish = await funding.patch(url, json={"status": "draft"}, headers=if_match(2, headers))
    assert unpublish.status_code == 409

    async def updated():
        events = await funding_events(redis, settings, "instrument.updated")
        return [e for e in events if e["subject"] == instrument["id"]]

    (event,) = await eventually(updated)
    assert sorted(event["data"]["changed_fields"]) == ["name", "themes"]
    assert event["sequence"] == 2

    closed = await funding.patch(url, json={"status": "closed"}, headers=if_match(2, headers))
    assert closed.status_code == 200
    assert closed.json()["closed_at"] is not None
    again = await funding.patch(url, json={"name": "Nog eens"}, headers=if_match(3, headers))
    assert again.status_code == 409


async def test_closing_an_instrument_publishes_closed_once(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    headers = funder_token(token, funder["id"])
    instrument = await new_instrument(funding, token, funder["id"])
    url = f"{API}/instruments/{instrument['id']}/close"
    assert (await funding.post(url)).status_code == 401
    assert (await funding.post(url, headers=token("funder", funders=[str(uuid.uuid4())]))).status_code == 403
    assert (await funding.post(url, headers=if_match(9, headers))).status_code == 412
    closed = await funding.post(url, headers=headers)
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["open_now"] is False
    assert (await funding.post(url, headers=headers)).status_code == 409

    async def closed_events():
        return [
            e for e in await funding_events(redis, settings, "instrument.closed") if e["subject"] == instrument["id"]
        ]

    (event,) = await eventually(closed_events)
    assert event["data"]["status"] == "closed"


async def test_a_draft_is_published_when_opened(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    headers = funder_token(token, funder["id"])
    draft = await new_instrument(funding, token, funder["id"], status="draft")
    url = f"{API}/instruments/{draft['id']}"
    renamed = await funding.patch(url, json={"name": "Nog een concept"}, headers=if_match(1, headers))
    assert renamed.status_code == 200
    opened = await funding.patch(url, json={"status": "open"}, headers=if_match(2, headers))
    assert opened.status_code == 200

    async def published():
        events = await funding_events(redis, settings)
        return [e["type"] for e in events if e["subject"] == draft["id"]]

    types = await eventually(published)
    assert types == ["nl.onderop.funding.instrument.published.v1"]


async def test_patching_the_window_rematches_and_clears(funding, token):
    funder = await new_funder(funding, token)
    headers = funder_token(token, funder["id"])
    instrument = await new_instrument(funding, token, funder["id"], closes_on=days(60))
    url = f"{API}/instruments/{instrument['id']}"
    moved = await funding.patch(url, json={"opens_on": days(5), "closes_on": days(90)}, headers=if_match(1, headers))
    assert moved.status_code == 200, moved.text
    assert (moved.json()["opens_on"], moved.json()["open_now"]) == (days(5), False)
    cleared = await funding.patch(url, json={"opens_on": None, "closes_on": None}, headers=if_match(2, headers))
    assert (cleared.json()["opens_on"], cleared.json()["closes_on"], cleared.json()["open_now"]) == (None, None, True)
    inverted = await funding.patch(url, json={"opens_on": days(9), "closes_on": days(2)}, headers=if_match(3, headers))
    assert inverted.status_code == 422


async def test_a_retried_post_with_an_idempotency_key_creates_one_funder(funding, token):
    headers = token("operator") | {"Idempotency-Key": f"funder-{uuid.uuid4()}"}
    body = {"name": "Eenmalig Fonds (fictief)", "kind": "bank"}
    first = await funding.post(f"{API}/funders", json=body, headers=headers)
    again = await funding.post(f"{API}/funders", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    other = await funding.post(f"{API}/funders", json=body | {"kind": "province"}, headers=headers)
    assert other.status_code == 422


async def test_a_held_catalogue_lock_gives_503_not_a_hung_request(funding, token, settings, monkeypatch):
    funder = await new_funder(funding, token)
    instrument = await new_instrument(funding, token, funder["id"])
    monkeypatch.setattr(rematch, "LOCK_TIMEOUT_MS", 200)
    holder = await asyncpg.connect(asyncpg_dsn(settings.service_database_url("funding")))
    try:
        async with holder.transaction():
            await holder.execute(f"SELECT pg_advisory_xact_lock({rematch.CATALOGUE_LOCK})")
            busy = await funding.post(f"{API}/instruments/{instrument['id']}/close", headers=token("operator"))
            assert busy.status_code == 503
            assert busy.headers["retry-after"] == "2"
    finally:
        await holder.close()
    done = await funding.post(f"{API}/instruments/{instrument['id']}/close", headers=token("operator"))
    assert done.status_code == 200
