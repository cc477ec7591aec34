"""Partners and subscriptions over HTTP: who may do what, validation, optimistic concurrency, secret rotation,
pausing, and the list of event types."""

import asyncio
import uuid

import pytest
from partners_support import (
    API,
    MEMBERSHIP,
    arrived,
    eventually,
    new_partner,
    new_subscription,
    publish_membership,
)
from standardwebhooks import Webhook

pytestmark = pytest.mark.integration


async def test_only_operators_create_partners_and_a_partner_sees_only_itself(partners, operator, token):
    body = {"name": "Fonds Test", "description": "a fund's grant tool", "website": "https://fonds.example"}
    assert (await partners.post(f"{API}/partners", json=body)).status_code == 401
    assert (await partners.post(f"{API}/partners", json=body, headers=token("contributor"))).status_code == 403
    assert (await partners.post(f"{API}/partners", json=body, headers=token("partner"))).status_code == 403
    r = await partners.post(f"{API}/partners", json=body, headers=operator)
    assert r.status_code == 201 and r.headers["location"].endswith(r.json()["id"]) and r.headers["etag"] == '"1"'
    mine, other = r.json()["id"], await new_partner(partners, operator)
    own = token("partner", partner=mine)

    listed = await partners.get(f"{API}/partners", headers=own)
    assert [p["id"] for p in listed.json()["items"]] == [mine]
    assert (await partners.get(f"{API}/partners/{mine}", headers=own)).json()["name"] == "Fonds Test"
    assert (await partners.get(f"{API}/partners/{other}", headers=own)).status_code == 403
    assert (await partners.get(f"{API}/partners", headers=token("contributor"))).status_code == 403
    assert (await partners.get(f"{API}/partners/{uuid.uuid4()}", headers=operator)).status_code == 404
    page = await partners.get(f"{API}/partners", params={"limit": 1}, headers=operator)
    assert len(page.json()["items"]) == 1 and page.json()["next_cursor"]
    extra = await partners.post(f"{API}/partners", json=body | {"color": "red"}, headers=operator)
    assert extra.status_code == 422


async def test_a_partner_manages_its_own_subscriptions_only(partners, operator, token, receiver):
    mine, other = await new_partner(partners, operator), await new_partner(partners, operator)
    own = token("partner", partner=mine)
    body = {"url": receiver.url("own"), "event_types": ["nl.onderop.funding.match.*"]}

    r = await partners.post(f"{API}/partners/{mine}/subscriptions", json=body, headers=own)
    assert r.status_code == 201, r.text
    sub = r.json()
    assert sub["event_types"] == ["nl.onderop.funding.match.*"] and sub["status"] == "active"
    assert (await partners.post(f"{API}/partners/{other}/subscriptions", json=body, headers=own)).status_code == 403
    assert (await partners.post(f"{API}/partners/{mine}/subscriptions", json=body)).status_code == 401
    url = f"{API}/partners/{mine}/subscriptions/{sub['id']}"
    assert (await partners.get(url, headers=token("partner", partner=other))).status_code == 403
    assert (await partners.get(url, headers=own)).json()["url"] == receiver.url("own")
    assert (await partners.get(f"{API}/partners/{mine}/subscriptions/{uuid.uuid4()}", headers=own)).status_code == 404

    listed = await partners.get(f"{API}/partners/{mine}/subscriptions", headers=own)
    assert [s["id"] for s in listed.json()["items"]] == [sub["id"]]
    assert all("secret" not in s for s in listed.json()["items"])

    assert (await partners.delete(url, headers=own)).status_code == 204
    assert (await partners.get(url, headers=own)).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"event_types": ["nl.onderop.registry.colective.*"]}, "event_types.0"),
        ({"event_types": ["NL.ONDEROP.*"]}, "event_types.0"),
        ({"event_types": []}, "event_types"),
        ({"event_types": ["nl.onderop.partners.subscription.disabled.v1"]}, "event_types.0"),
        ({"provinces": ["PV99"]}, "provinces.0"),
        ({"collective_kinds": ["club"]}, "collective_kinds.0"),
        ({"secret": "mine"}, "secret"),
    ],
)
async def test_subscriptions_are_validated(partners, operator, receiver, change, field):
    partner = await new_partner(partners, operator)
    body = {"url": receiver.url("valid"), "event_types": [MEMBERSHIP]} | change
    r = await partners.post(f"{API}/partners/{partner}/subscriptions", json=body, headers=operator)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]


async def test_an_update_needs_the_current_version(partners, operator, receiver):
    partner = await new_partner(partners, operator)
    sub = await new_subscription(partners, operator, partner, receiver.url("patch"))
    url = f"{API}/partners/{partner}/subscriptions/{sub['id']}"
    change = {"event_types": ["nl.onderop.registry.*"], "provinces": ["PV23"], "description": "Zwolle"}

    assert (await partners.patch(url, json=change, headers=operator)).status_code == 428
    r = await partners.patch(url, json=change, headers={**operator, "If-Match": '"1"'})
    assert r.status_code == 200 and r.headers["etag"] == '"2"'
    assert r.json()["event_types"] == ["nl.onderop.registry.*"] and r.json()["provinces"] == ["PV23"]
    assert (await partners.patch(url, json=change, headers={**operator, "If-Match": '"1"'})).status_code == 412
    cleared = await partners.patch(url, json={"provinces": None}, headers={**operator, "If-Match": '"2"'})
    assert cleared.status_code == 200 and cleared.json()["provinces"] == []
    nulled = await partners.patch(url, json={"url": None}, headers={**operator, "If-Match": '"3"'})
    assert nulled.status_code == 422


async def test_after_a_rotation_both_secrets_verify_until_the_old_one_expires(
    partners, operator, receiver, redis, settings
):
    partner = await new_partner(partners, operator)
    name = receiver.script(f"rot-{uuid.uuid4().hex[:8]}")
    sub = await new_subscription(partners, operator, partner, receiver.url(name))
    r = await partners.post(f"{API}/partners/{partner}/subscriptions/{sub['id']}/rotate-secret", headers=operator)
    assert r.status_code == 200 and r.json()["secret"] != sub["secret"]
    event = await publish_membership(redis, settings)

    await eventually(arrived(receiver, name, {str(event.id)}))
    call = next(c for c in receiver.calls[name] if c.event["id"] == str(event.id))
    assert len(call.headers["webhook-signature"].split(" ")) == 2
    assert Webhook(r.json()["secret"]).verify(call.body, call.headers)["id"] == str(event.id)
    assert Webhook(sub["secret"]).verify(call.body, call.headers)["id"] == str(event.id)


async def test_a_paused_subscription_gets_nothing_until_it_is_enabled(
    partners, operator, token, receiver, redis, settings
):
    partner = await new_partner(partners, operator)
    own = token("partner", partner=partner)
    name = receiver.script(f"pause-{uuid.uuid4().hex[:8]}")
    sub = await new_subscription(partners, own, partner, receiver.url(name))
    base = f"{API}/partners/{partner}/subscriptions/{sub['id']}"

    r = await partners.post(f"{base}/disable", headers=own)
    assert r.status_code == 200 and (r.json()["status"], r.json()["disabled_reason"]) == ("disabled", "manual")
    while_paused = await publish_membership(redis, settings)
    await asyncio.sleep(0.5)
    assert receiver.events(name, {str(while_paused.id)}) == []

    r = await partners.post(f"{base}/enable", headers=own)
    assert r.status_code == 200 and r.json()["status"] == "active"
    after = await publish_membership(redis, settings)
    await eventually(arrived(receiver, name, {str(after.id)}))
    assert receiver.events(name, {str(while_paused.id)}) == [], "events of the pause need a replay"
    again = await partners.post(f"{base}/enable", headers=own)
    assert again.status_code == 200 and again.json()["version"] == r.json()["version"]


async def test_the_event_types_a_subscription_can_ask_for(partners):
    r = await partners.get(f"{API}/event-types")
    assert r.status_code == 200
    types = {t["type"]: t for t in r.json()}
    assert MEMBERSHIP in types and "nl.onderop.funding.match.found.v1" in types
    assert not [t for t in types if ".partners." in t]
    assert types["nl.onderop.funding.match.found.v1"]["description"]
