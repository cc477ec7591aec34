# ruff: noqa: F811  (pytest fixtures imported from funding_support are parameters of the tests)
import asyncio
import json
import uuid

import pytest
from funding_support import (  # noqa: F401
    API,
    a_day,
    collective_state,
    days,
    eventually,
    funder_token,
    funding,
    funding_events,
    if_match,
    known_collective,
    match_events,
    new_funder,
    new_instrument,
    send_collective,
    token,
    wait_for_match_events,
    xadd,
)
from sqlalchemy import select

from services.funding.rematch import sweep_windows
from shared.contracts.envelope import CloudEvent
from shared.contracts.funding import MatchFound, MatchLost
from shared.contracts.registry import CollectiveRegistered

pytestmark = pytest.mark.integration

# Municipalities no other funding test uses, so that instruments scoped to them meet only this module's collectives.
HOOGEVEEN, EMMEN, MEPPEL = "GM0118", "GM0114", "GM0119"


async def read_model(funding, collective_id: str) -> dict:
    r = await funding.get(f"{API}/collectives/{collective_id}")
    assert r.status_code == 200, r.text
    return r.json()


async def test_registry_events_rematch_a_collective_incrementally(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    instrument = await new_instrument(
        funding,
        token,
        funder["id"],
        collective_kinds=["care_cooperative"],
        stages=["startup"],
        municipalities=[HOOGEVEEN],
        min_members=10,
    )
    state = collective_state(
        kind="care_cooperative", municipality_code=HOOGEVEEN, province_code="PV22", themes=["care"]
    )
    cid, iid = state["collective_id"], instrument["id"]
    assert (await funding.get(f"{API}/collectives/{cid}")).status_code == 404

    await send_collective(redis, settings, state)
    await wait_for_match_events(redis, settings, cid, iid, ["found"])
    model = await read_model(funding, cid)
    assert (model["version"], model["eligible_matches"]) == (1, 1)

    grown = state | {"stage": "growth", "version": 2}
    growth_event = await send_collective(redis, settings, grown, "stage_changed", previous_stage="startup")
    await wait_for_match_events(redis, settings, cid, iid, ["found", "lost"])

    # The same event again (a redelivery) and another event with a version funding already holds: both no-ops.
    data = CollectiveRegistered.model_validate(state | {"version": 2, "stage": "startup"})
    await xadd(redis, settings, data, cid, 2, event_id=uuid.UUID(growth_event))
    await xadd(redis, settings, data, cid, 2)
    # Out of order: version 4 (back to start-up) arrives before version 3 (dissolved would lose nothing anyway).
    await send_collective(redis, settings, state | {"version": 4, "member_count": 25}, "updated")
    await send_collective(redis, settings, grown | {"version": 3, "member_count": 2}, "updated")
    await wait_for_match_events(redis, settings, cid, iid, ["found", "lost", "found"])
    await asyncio.sleep(0.5)  # give the late version 3 time to (not) take effect
    model = await read_model(funding, cid)
    assert (model["version"], model["stage"], model["member_count"]) == (4, "startup", 25)
    assert await match_events(redis, settings, cid, iid) == ["found", "lost", "found"]

    await send_collective(redis, settings, state | {"version": 5, "status": "dissolved"}, "dissolved")
    await wait_for_match_events(redis, settings, cid, iid, ["found", "lost", "found", "lost"])
    events = [
        e
        for e in await funding_events(redis, settings)
        if e.get("subject") == f"{cid}/{iid}" and ".match." in e["type"]
    ]
    assert [e["data"]["cause"] for e in events] == [
        "collective_changed",
        "collective_changed",
        "collective_changed",
        "collective_dissolved",
    ]
    assert [e["sequence"] for e in events] == sorted(e["sequence"] for e in events)
    assert all(e["data"]["funder_id"] == funder["id"] for e in events)
    assert (await read_model(funding, cid))["eligible_matches"] == 0


async def test_instrument_changes_rematch_every_collective(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    headers = funder_token(token, funder["id"])
    fits = await known_collective(funding, redis, settings, municipality_code=EMMEN, kind="village_cooperative")
    other = await known_collective(funding, redis, settings, municipality_code=EMMEN, kind="food_collective")
    instrument = await new_instrument(
        funding, token, funder["id"], municipalities=[EMMEN], collective_kinds=["village_cooperative"]
    )
    iid = instrument["id"]
    await wait_for_match_events(redis, settings, fits["collective_id"], iid, ["found"])
    listed = (await funding.get(f"{API}/instruments/{iid}/matches")).json()
    assert [m["collective_id"] for m in listed["items"]] == [fits["collective_id"]]
    assert listed["items"][0]["kind"] == "village_cooperative"

    url = f"{API}/instruments/{iid}"
    widened = await funding.patch(
        url, json={"collective_kinds": ["village_cooperative", "food_collective"]}, headers=if_match(1, headers)
    )
    assert widened.status_code == 200
    await wait_for_match_events(redis, settings, other["collective_id"], iid, ["found"])
    narrowed = await funding.patch(url, json={"collective_kinds": ["food_collective"]}, headers=if_match(2, headers))
    assert narrowed.status_code == 200
    await wait_for_match_events(redis, settings, fits["collective_id"], iid, ["found", "lost"])

    closed = await funding.post(f"{url}/close", headers=headers)
    assert closed.status_code == 200
    await wait_for_match_events(redis, settings, other["collective_id"], iid, ["found", "lost"])
    lost = [e for e in await funding_events(redis, settings, "match.lost") if e["data"]["instrument_id"] == iid]
    assert {e["data"]["cause"] for e in lost} == {"instrument_changed", "instrument_closed"}
    empty = (await funding.get(f"{API}/instruments/{iid}/matches")).json()
    assert empty["items"] == []


async def test_instrument_matches_are_ranked_and_paged(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    collectives = [
        await known_collective(funding, redis, settings, municipality_code=MEPPEL, kind="energy_cooperative", **extra)
        for extra in ({"themes": ["energy"]}, {"themes": ["care"]}, {"themes": ["energy", "care"]})
    ]
    instrument = await new_instrument(
        funding,
        token,
        funder["id"],
        municipalities=[MEPPEL],
        collective_kinds=["energy_cooperative"],
        themes=["energy"],
    )
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = await funding.get(f"{API}/instruments/{instrument['id']}/matches", params=params)
        assert page.status_code == 200, page.text
        seen += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    assert {m["collective_id"] for m in seen} == {c["collective_id"] for c in collectives}
    scores = [m["score"] for m in seen]
    assert scores == sorted(scores, reverse=True)
    assert (await funding.get(f"{API}/instruments/{uuid.uuid4()}/matches")).status_code == 404


async def test_collective_matches_explain_every_criterion(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    coop = await known_collective(
        funding, redis, settings, municipality_code="GM0109", kind="neighbourhood_cooperative", stage="growth"
    )
    cid = coop["collective_id"]
    good = await new_instrument(funding, token, funder["id"], municipalities=["GM0109"], themes=["energy"])
    partial = await new_instrument(funding, token, funder["id"], municipalities=["GM0109"], themes=["culture"])
    anbi = await new_instrument(funding, token, funder["id"], municipalities=["GM0109"], requires_anbi=True)
    later = await new_instrument(funding, token, funder["id"], municipalities=["GM0109"], opens_on=days(40))

    r = await funding.get(f"{API}/collectives/{cid}/matches")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    ids = [m["instrument_id"] for m in items]
    assert ids[:2] == [good["id"], partial["id"]]  # both eligible; the theme fit ranks the first higher
    assert later["id"] in ids
    assert anbi["id"] not in ids  # the ANBI rule can never be met by a cooperative
    best = items[0]
    assert (best["eligible"], best["stored"]) == (True, True)
    assert best["explanation"]["summary"]["en"] == "Eligible."
    names = {c["name"]: c for c in best["criteria"]}
    assert names["region"]["outcome"] == "met"
    assert names["region"]["reason"] == "municipality_in_area"
    assert names["theme_overlap"]["explanation"]["nl"] == "De thema's sluiten aan."
    waiting = next(m for m in items if m["instrument_id"] == later["id"])
    assert waiting["eligible"] is False
    assert "The application window has not opened yet." in waiting["explanation"]["en"]

    only_eligible = (await funding.get(f"{API}/collectives/{cid}/matches", params={"eligible": "true"})).json()
    assert later["id"] not in {m["instrument_id"] for m in only_eligible["items"]}

    explained = await funding.get(f"{API}/collectives/{cid}/matches/{anbi['id']}")
    assert explained.status_code == 200
    body = explained.json()
    assert (body["eligible"], body["stored"]) == (False, False)
    criterion = next(c for c in body["criteria"] if c["name"] == "anbi")
    assert (criterion["outcome"], criterion["reason"]) == ("unmet", "anbi_excluded_for_cooperatives")
    assert any("coöperatie" in sentence for sentence in body["explanation"]["nl"])
    assert any("cooperatives" in sentence for sentence in body["explanation"]["en"])

    everything = (await funding.get(f"{API}/collectives/{cid}/matches", params={"scope": "all", "limit": 200})).json()
    assert anbi["id"] in {m["instrument_id"] for m in everything["items"]}

    page1 = (await funding.get(f"{API}/collectives/{cid}/matches", params={"limit": 1})).json()
    page2 = (
        await funding.get(f"{API}/collectives/{cid}/matches", params={"limit": 1, "cursor": page1["next_cursor"]})
    ).json()
    assert [m["instrument_id"] for m in page1["items"] + page2["items"]] == ids[:2]
    assert (await funding.get(f"{API}/collectives/{uuid.uuid4()}/matches")).status_code == 404
    assert (await funding.get(f"{API}/collectives/{cid}/matches", params={"cursor": "xx"})).status_code == 422
    assert (await funding.get(f"{API}/collectives/{cid}/matches/{uuid.uuid4()}")).status_code == 404


async def test_the_window_sweep_finds_instruments_that_opened(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    coop = await known_collective(funding, redis, settings, municipality_code="GM1690", kind="other")
    instrument = await new_instrument(
        funding, token, funder["id"], municipalities=["GM1690"], opens_on=days(1), closes_on=days(3)
    )
    pending = await funding.get(f"{API}/instruments/{instrument['id']}/matches", params={"eligible": "false"})
    assert [m["collective_id"] for m in pending.json()["items"]] == [coop["collective_id"]]

    runtime = funding.app.state.runtime
    for day, expected in ((1, ["found"]), (4, ["found", "lost"])):
        async with runtime.transaction() as session:
            assert await sweep_windows(session, runtime.outbox, on=a_day(day)) >= 1
        await wait_for_match_events(redis, settings, coop["collective_id"], instrument["id"], expected)
    async with runtime.transaction() as session:
        assert await sweep_windows(session, runtime.outbox, on=a_day(4)) == 0  # nothing crossed since


async def test_coverage_counts_collectives_with_a_fitting_instrument(funding, token, redis, settings):
    async def row(kind: str, stage: str) -> dict:
        r = await funding.get(f"{API}/coverage", params={"province": "PV23", "include_empty": "true"})
        assert r.status_code == 200
        return next(x for x in r.json()["rows"] if x["kind"] == kind and x["stage"] == stage)

    before = await row("local_fund", "idea")
    assert before["kind_label"] == {"nl": "lokaal fonds", "en": "local fund"}
    await known_collective(
        funding,
        redis,
        settings,
        municipality_code="GM0995",
        province_code="PV23",
        kind="local_fund",
        stage="idea",
        legal_form="foundation",
    )
    after = await row("local_fund", "idea")
    assert (after["collectives"], after["covered"]) == (before["collectives"] + 1, before["covered"])
    funder = await new_funder(funding, token)
    await new_instrument(funding, token, funder["id"], municipalities=["GM0995"], collective_kinds=["local_fund"])
    covered = await row("local_fund", "idea")
    assert covered["covered"] == before["covered"] + 1
    assert covered["uncovered"] == covered["collectives"] - covered["covered"]
    assert (await funding.get(f"{API}/coverage", params={"province": "Utrecht"})).status_code == 422


async def test_a_poison_event_goes_to_the_dead_letter_stream(funding, redis, settings):
    bad = collective_state() | {"kind": "castle"}
    event = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "onderop/registry",
        "type": CollectiveRegistered.event_type(),
        "subject": bad["collective_id"],
        "sequence": 1,
        "data": bad,
    }
    await redis.xadd(settings.stream("registry"), {"id": event["id"], "type": event["type"], "data": json.dumps(event)})
    good = await known_collective(funding, redis, settings)

    async def dead_lettered():
        entries = await redis.xrange(settings.dlq_stream("funding"))
        return [
            f
            for _, f in entries
            if event["id"].encode() in f.get(b"data", b"") or event["id"].encode() in str(f).encode()
        ]

    assert await eventually(dead_lettered)
    assert (await funding.get(f"{API}/collectives/{bad['collective_id']}")).status_code == 404
    assert (await funding.get(f"{API}/collectives/{good['collective_id']}")).status_code == 200


async def test_match_events_are_the_contracts_cloudevents_in_the_outbox(funding, token, redis, settings):
    """match.found / match.lost rows are built in bulk by PostgreSQL (rematch._WRITE): each must be exactly what the
    kit's outbox would have written for the contract's event — columns, envelope, data — and be published as such."""
    almelo = {"municipality_code": "GM0141", "province_code": "PV23"}
    funder, other_funder = await new_funder(funding, token), await new_funder(funding, token)
    small = await known_collective(funding, redis, settings, kind="care_cooperative", member_count=12, **almelo)
    large = await known_collective(funding, redis, settings, kind="care_cooperative", member_count=300, **almelo)
    rules = {"municipalities": ["GM0141"], "collective_kinds": ["care_cooperative"], "stages": ["startup"]}
    instrument = await new_instrument(funding, token, funder["id"], **rules)
    second = await new_instrument(funding, token, other_funder["id"], **rules)
    iid = instrument["id"]
    ranked = {m["collective_id"]: m for m in (await funding.get(f"{API}/instruments/{iid}/matches")).json()["items"]}
    assert set(ranked) == {small["collective_id"], large["collective_id"]}
    # The collective direction: one registry event flips both instruments (of two funders) at once.
    moved_on = small | {"stage": "growth", "version": 2}
    await send_collective(redis, settings, moved_on, "stage_changed", previous_stage="startup")
    await wait_for_match_events(redis, settings, small["collective_id"], second["id"], ["found", "lost"])
    assert (await funding.post(f"{API}/instruments/{iid}/close", headers=funder_token(token, funder["id"]))).is_success

    runtime = funding.app.state.runtime
    table = runtime.spec.tables.outbox
    async with runtime.sessions() as session:
        rows = (
            await session.execute(
                select(table)
                .where(table.c.subject.in_([f"{c}/{i}" for c in ranked for i in (iid, second["id"])]))
                .order_by(table.c.id)
            )
        ).all()
    expected = [
        ("found", small["collective_id"], iid),
        ("found", large["collective_id"], iid),
        ("found", small["collective_id"], second["id"]),
        ("found", large["collective_id"], second["id"]),
        ("lost", small["collective_id"], iid),
        ("lost", small["collective_id"], second["id"]),
        ("lost", large["collective_id"], iid),
    ]
    got = [(r.type.split(".")[4], r.payload["data"]["collective_id"], r.payload["data"]["instrument_id"]) for r in rows]
    assert sorted(got[:2]) == sorted(expected[:2]) and sorted(got[2:4]) == sorted(expected[2:4])
    assert sorted(got[4:6]) == sorted(expected[4:6]) and got[6] == expected[6]

    funders = {iid: funder["id"], second["id"]: other_funder["id"]}
    for row in rows:
        payload = row.payload
        envelope = CloudEvent.model_validate(payload)
        assert envelope.model_dump(mode="json") == payload  # no key more or less, every value as the kit writes it
        data_class = MatchFound if envelope.type == MatchFound.event_type() else MatchLost
        data = data_class.model_validate(envelope.data)
        assert data.model_dump(mode="json") == envelope.data
        assert (row.event_id, row.type, row.subject) == (envelope.id, envelope.type, envelope.subject)
        assert envelope.id.version == 4
        assert row.stream == settings.stream("funding")
        assert envelope.subject == f"{data.collective_id}/{data.instrument_id}"
        assert (envelope.source, envelope.datacontenttype, envelope.specversion) == (
            "onderop/funding",
            *("application/json", "1.0"),
        )
        assert str(data.funder_id) == funders[str(data.instrument_id)]
        assert data.eligible is (data_class is MatchFound)
        if data_class is MatchFound and str(data.instrument_id) == iid:
            assert data.score == ranked[str(data.collective_id)]["score"]
            assert data.cause == "instrument_changed"
    assert len({r.event_id for r in rows}) == len(rows)
    sequences = [r.payload["sequence"] for r in rows]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    assert [r.payload["data"]["cause"] for r in rows[4:]] == ["collective_changed"] * 2 + ["instrument_closed"]

    async def published():
        stream = {e["id"]: e for e in await funding_events(redis, settings) if ".match." in e["type"]}
        assert all(str(r.event_id) in stream for r in rows)
        return stream

    stream = await eventually(published)
    assert all(stream[str(r.event_id)] == r.payload for r in rows)
