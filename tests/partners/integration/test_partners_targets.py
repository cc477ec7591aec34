"""SSRF protection: where a webhook may go, checked when a subscription is made and again on every connection."""

import uuid

import pytest
from partners_support import (
    API,
    FAKE_DNS,
    MEMBERSHIP,
    Redirect,
    arrived,
    delivery_log,
    eventually,
    new_partner,
    new_subscription,
    publish_membership,
)

pytestmark = pytest.mark.integration

REJECTED = [
    ("http://example.test/hook", "https"),
    ("ftp://example.test/hook", "https://"),
    ("https://user:secret@public.test/hook", "user name or password"),
    ("https://10.1.2.3/hook", "private"),
    ("https://192.168.0.10/hook", "private"),
    ("https://localhost/hook", "loopback"),
    ("https://127.0.0.2/hook", "loopback"),
    ("https://[::1]/hook", "loopback"),
    ("https://169.254.169.254/latest/meta-data", "link-local"),
    ("https://[::ffff:10.0.0.1]/hook", "embedded"),
    ("https://224.0.0.1/hook", "multicast"),
    ("https://0.0.0.0/hook", "unspecified"),
    ("https://100.64.0.1/hook", "not global"),
    ("https://private.test/hook", "192.168.7.7 is not a public address"),
    ("https://mixed.test/hook", "10.0.0.1 is not a public address"),
    ("https://nowhere.test/hook", "does not resolve"),
]


@pytest.mark.parametrize(("url", "reason"), REJECTED)
async def test_a_target_that_is_not_public_https_is_refused(partners, operator, url, reason):
    FAKE_DNS["private.test"] = ["192.168.7.7"]
    FAKE_DNS["mixed.test"] = ["93.184.216.34", "10.0.0.1"]
    partner = await new_partner(partners, operator)
    r = await partners.post(
        f"{API}/partners/{partner}/subscriptions", json={"url": url, "event_types": [MEMBERSHIP]}, headers=operator
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "url"
    assert reason in r.json()["detail"]


async def test_the_address_is_checked_again_when_connecting(partners, operator, redis, settings):
    """DNS rebinding: public when the subscription was made, private by the time of delivery — never connected."""
    host = f"rebind-{uuid.uuid4().hex[:6]}.test"
    FAKE_DNS[host] = ["93.184.216.34"]
    partner = await new_partner(partners, operator)
    sub = await new_subscription(partners, operator, partner, f"https://{host}/hook")
    FAKE_DNS[host] = ["10.0.0.7"]
    event = await publish_membership(redis, settings)

    async def blocked():
        log = await delivery_log(partners, operator, partner, sub["id"])
        mine = [d for d in log if d["event_id"] == str(event.id) and d["attempt_log"]]
        return mine[0]["attempt_log"][0] if mine else None

    attempt = await eventually(blocked)
    assert attempt["result"] == "blocked" and attempt["status_code"] is None
    assert "10.0.0.7 is not a public address" in attempt["error"]

    r = await partners.patch(
        f"{API}/partners/{partner}/subscriptions/{sub['id']}",
        json={"url": "https://10.9.9.9/hook"},
        headers={**operator, "If-Match": '"1"'},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "url"


async def test_redirects_are_not_followed(partners, operator, receiver, redis, settings):
    name = receiver.script(f"r-{uuid.uuid4().hex[:8]}", then=Redirect("http://10.0.0.1/steal"))
    partner = await new_partner(partners, operator)
    sub = await new_subscription(partners, operator, partner, receiver.url(name))
    event = await publish_membership(redis, settings)

    await eventually(arrived(receiver, name, {str(event.id)}))
    log = await eventually(lambda: delivery_log(partners, operator, partner, sub["id"], status="pending"))
    attempt = log[0]["attempt_log"][0]
    assert (attempt["status_code"], attempt["result"]) == (302, "redirect")
    assert "not followed" in attempt["error"] and "10.0.0.1" in attempt["error"]
