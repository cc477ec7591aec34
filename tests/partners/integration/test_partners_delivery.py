"""Webhooks end to end: an event on a stream → a signed request at a real local receiver, retries, the delivery log,
disabling, redelivery, replay, ordering per subject, and a slow receiver that does not hold up a fast one."""

import asyncio
import contextlib
import time
import uuid
from datetime import timedelta

import pytest
from partners_support import (
    API,
    MEMBERSHIP,
    Slow,
    arrived,
    delivery_log,
    eventually,
    membership,
    new_partner,
    new_subscription,
    now,
    publish,
    publish_event,
    publish_membership,
)
from prometheus_client import REGISTRY
from sqlalchemy import select
from standardwebhooks import Webhook

from services.partners.context import context_of
from services.partners.models import partner_events
from services.partners.worker import DeliveryWorker
from shared.contracts.envelope import make_event
from shared.contracts.registry import (
    CollectiveRegistered,
    ContributorErased,
    ContributorRegistered,
    ContributorUpdated,
    MembershipAdded,
)

pytestmark = pytest.mark.integration


def hook() -> str:
    return f"h-{uuid.uuid4().hex[:10]}"


async def test_a_delivery_is_signed_per_standard_webhooks_and_links_to_its_resource(
    partners, receiver, operator, redis, settings
):
    partner = await new_partner(partners, operator)
    name = receiver.script(hook())
    sub = await new_subscription(
        partners, operator, partner, receiver.url(name), event_types=["nl.onderop.registry.membership.*"]
    )
    assert sub["secret"].startswith("whsec_")
    event = await publish_membership(redis, settings)

    calls = await eventually(
        lambda: asyncio.sleep(0, [c for c in receiver.calls[name] if c.event["id"] == str(event.id)])
    )
    call = calls[0]
    payload = Webhook(sub["secret"]).verify(call.body, call.headers)
    assert payload["type"] == MEMBERSHIP and payload["specversion"] == "1.0"
    assert call.headers["webhook-id"] == str(event.id)
    assert call.headers["content-type"].startswith("application/cloudevents+json")
    collective = payload["data"]["collective_id"]
    assert payload["data"]["links"]["self"] == f"/registry/v1/collectives/{collective}/members"
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 43 + "=").verify(call.body, call.headers)

    log = await eventually(lambda: delivery_log(partners, operator, partner, sub["id"], status="delivered"))
    assert log[0]["attempts"] == 1 and log[0]["attempt_log"][0]["status_code"] == 200
    assert log[0]["attempt_log"][0]["latency_ms"] >= 0
    # The secret is shown once: reads never return it.
    r = await partners.get(f"{API}/partners/{partner}/subscriptions/{sub['id']}", headers=operator)
    assert "secret" not in r.json()


async def test_retries_after_500s_and_timeouts_until_it_is_delivered(partners, receiver, operator, redis, settings):
    partner = await new_partner(partners, operator)
    name = receiver.script(hook(), 500, Slow(3), 503)
    sub = await new_subscription(partners, operator, partner, receiver.url(name))
    event = await publish_membership(redis, settings)

    async def delivered():
        log = await delivery_log(partners, operator, partner, sub["id"])
        return [d for d in log if d["event_id"] == str(event.id) and d["status"] == "delivered"]

    (delivery,) = await eventually(delivered, timeout=15)
    results = [(a["status_code"], a["result"]) for a in delivery["attempt_log"]]
    assert results == [(500, "http_5xx"), (None, "timeout"), (503, "http_5xx"), (200, "success")]
    assert "within 1 s" in delivery["attempt_log"][1]["error"]
    assert len(receiver.events(name, {str(event.id)})) == 4
    r = await partners.get(f"{API}/partners/{partner}/subscriptions/{sub['id']}", headers=operator)
    assert r.json()["status"] == "active" and r.json()["consecutive_failures"] == 0


async def test_a_delivery_that_keeps_failing_dies_after_the_last_attempt(partners, receiver, operator, redis, settings):
    partner = await new_partner(partners, operator)
    name = receiver.script(hook(), then=500)
    sub = await new_subscription(partners, operator, partner, receiver.url(name))
    event = await publish_membership(redis, settings)

    (dead,) = await eventually(lambda: delivery_log(partners, operator, partner, sub["id"], status="dead"), timeout=15)
    assert dead["event_id"] == str(event.id) and dead["attempts"] == 5  # len(retry_schedule) + 1
    assert dead["next_attempt_at"] is None and dead["last_status_code"] == 500
    # Five failures are fewer than the six that disable a subscription.
    r = await partners.get(f"{API}/partners/{partner}/subscriptions/{sub['id']}", headers=operator)
    assert r.json()["status"] == "active" and r.json()["consecutive_failures"] == 5


async def test_a_run_of_failures_disables_the_subscription_and_enabling_resumes_it(
    partners, receiver, operator, redis, settings
):
    disabled_before = (
        REGISTRY.get_sample_value("onderop_partners_subscriptions_disabled_total", {"reason": "failures"}) or 0
    )
    partner = await new_partner(partners, operator)
    name = receiver.script(hook(), then=500)
    sub = await new_subscription(partners, operator, partner, receiver.url(name))
    events = [await publish_membership(redis, settings) for _ in range(3)]

    async def disabled():
        r = await partners.get(f"{API}/partners/{partner}/subscriptions/{sub['id']}", headers=operator)
        return r.json() if r.json()["status"] == "disabled" else None

    state = await eventually(disabled, timeout=15)
    assert state["disabled_reason"] == "failures" and state["consecutive_failures"] >= 6
    assert "HTTP 500" in state["last_error"]
    after = REGISTRY.get_sample_value("onderop_partners_subscriptions_disabled_total", {"reason": "failures"})
    assert after == disabled_before + 1

    async def announced():
        entries = await redis.xrange(settings.stream("partners"))
        return [f for _, f in entries if f[b"subject"] == sub["id"].encode()]

    (entry,) = await eventually(announced)
    assert entry[b"type"] == b"nl.onderop.partners.subscription.disabled.v1"

    # Nothing is sent while it is disabled; enabling sends what was still waiting.
    await asyncio.sleep(0.5)
    seen = len(receiver.calls[name])
    await asyncio.sleep(0.5)
    assert len(receiver.calls[name]) == seen
    receiver.script(name, then=200)
    r = await partners.post(f"{API}/partners/{partner}/subscriptions/{sub['id']}/enable", headers=operator)
    assert r.status_code == 200 and r.json()["status"] == "active" and r.json()["consecutive_failures"] == 0

    async def all_delivered_or_dead():
        log = await delivery_log(partners, operator, partner, sub["id"])
        return all(d["status"] in ("delivered", "dead") for d in log) and log

    log = await eventually(all_delivered_or_dead, timeout=10)
    waiting = [d for d in log if d["status"] == "delivered"]
    assert waiting, "deliveries that were still pending go out after enabling"
    assert {d["event_id"] for d in log} == {str(e.id) for e in events}


async def test_redelivery_sends_a_delivery_again_as_a_new_one(partners, receiver, operator, token, redis, settings):
    partner = await new_partner(partners, operator)
    name = receiver.script(hook())
    sub = await new_subscription(partners, operator, partner, receiver.url(name))
    event = await publish_membership(redis, settings)
    (first,) = await eventually(lambda: delivery_log(partners, operator, partner, sub["id"], status="delivered"))

    r = await partners.post(f"{API}/deliveries/{first['id']}/redeliver", headers=operator)
    assert r.status_code == 202 and r.json()["origin"] == "redelivery" and r.json()["redelivery_of"] == first["id"]
    second = r.json()["id"]

    await eventually(arrived(receiver, name, {str(event.id)}, 2))
    calls = [c for c in receiver.calls[name] if c.event["id"] == str(event.id)]
    assert calls[0].headers["webhook-id"] == calls[1].headers["webhook-id"] == str(event.id)
    r = await eventually(lambda: _delivered(partners, operator, second))
    assert r["attempt_log"][0]["status_code"] == 200
    other = await new_partner(partners, operator)
    forbidden = await partners.post(
        f"{API}/deliveries/{first['id']}/redeliver", headers=token("partner", partner=other)
    )
    assert forbidden.status_code == 403
    assert (await partners.post(f"{API}/deliveries/{uuid.uuid4()}/redeliver", headers=operator)).status_code == 404


async def _delivered(partners, headers, delivery_id: str):
    r = await partners.get(f"{API}/deliveries/{delivery_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json() if r.json()["status"] == "delivered" else None


async def test_replay_queues_a_time_range_again(partners, receiver, operator, redis, settings):
    partner = await new_partner(partners, operator)
    first = receiver.script(hook())
    await new_subscription(partners, operator, partner, receiver.url(first))
    old = await publish_membership(redis, settings, time=now() - timedelta(hours=2))
    recent = [await publish_membership(redis, settings, time=now() - timedelta(minutes=m)) for m in (30, 20, 10)]
    ids = {str(e.id) for e in [old, *recent]}
    await eventually(arrived(receiver, first, ids))  # all four are in

    late = receiver.script(hook())
    sub = await new_subscription(partners, operator, partner, receiver.url(late))
    r = await partners.post(
        f"{API}/partners/{partner}/subscriptions/{sub['id']}/replay",
        json={"since": (now() - timedelta(hours=1)).isoformat()},
        headers=operator,
    )
    assert r.status_code == 202, r.text
    assert r.json()["queued"] >= 3 and r.json()["retained_since"] is not None

    await eventually(arrived(receiver, late, ids, 3))
    got = [e["id"] for e in receiver.events(late, ids)]
    assert str(old.id) not in got
    assert set(got) == {str(e.id) for e in recent}
    log = await delivery_log(partners, operator, partner, sub["id"])
    assert {d["origin"] for d in log} == {"replay"}

    bad = await partners.post(
        f"{API}/partners/{partner}/subscriptions/{sub['id']}/replay",
        json={"since": now().isoformat(), "until": (now() - timedelta(hours=1)).isoformat()},
        headers=operator,
    )
    assert bad.status_code == 422


async def test_a_later_event_for_a_subject_waits_until_the_earlier_one_is_delivered(
    partners, receiver, operator, redis, settings
):
    partner = await new_partner(partners, operator)
    name = receiver.script(hook())
    sub = await new_subscription(partners, operator, partner, receiver.url(name))
    first = MembershipAdded.model_validate(membership().model_dump())
    subject = f"{first.collective_id}/{first.contributor_id}"
    versions = [first.model_copy(update={"version": v}) for v in (1, 2, 3)]
    events = [make_event(v, subject=subject, sequence=v.version) for v in versions]
    receiver.failing_events[str(events[0].id)] = 2
    for event in events:
        await publish_event(redis, settings, event)
    other = await publish_membership(redis, settings)
    ids = [str(e.id) for e in events]

    await eventually(arrived(receiver, name, set(ids), 5), timeout=10)
    order = [e["id"] for e in receiver.events(name, set(ids))]
    # The first one is tried until it succeeds; the others follow it, in order, each once.
    assert order == [ids[0], ids[0], ids[0], ids[1], ids[2]]
    # Another subject was not held up by the failing one.
    other_call = next(c for c in receiver.calls[name] if c.event["id"] == str(other.id))
    first_success = [c for c in receiver.calls[name] if c.event["id"] == ids[0]][-1]
    assert other_call.received < first_success.received

    async def recorded():
        log = await delivery_log(partners, operator, partner, sub["id"], subject=subject, status="delivered")
        return log if len(log) == 3 else None

    log = await eventually(recorded)
    assert [d["attempts"] for d in sorted(log, key=lambda d: ids.index(d["event_id"]))] == [3, 1, 1]


async def test_a_hanging_receiver_does_not_delay_a_fast_one(partners, receiver, operator, redis, settings):
    partner = await new_partner(partners, operator)
    slow = receiver.script(hook(), then=Slow(5))
    fast = receiver.script(hook())
    slow_sub = await new_subscription(partners, operator, partner, receiver.url(slow))
    await new_subscription(partners, operator, partner, receiver.url(fast))

    started = time.monotonic()
    events = [await publish_membership(redis, settings) for _ in range(30)]
    ids = {str(e.id) for e in events}
    await eventually(arrived(receiver, fast, ids), timeout=10)
    fast_done = max(c.finished or 0 for c in receiver.calls[fast] if c.event["id"] in ids) - started
    # The hanging one times out after 1 s per request, 4 at a time: it would need more than 7 s for 30 events.
    assert fast_done < 2.0, f"the fast receiver had all 30 after {fast_done:.2f}s"
    assert len(receiver.events(slow, ids)) <= 8
    r = await partners.delete(f"{API}/partners/{partner}/subscriptions/{slow_sub['id']}", headers=operator)
    assert r.status_code == 204


async def test_filters_on_province_and_collective_kind(partners, receiver, operator, redis, settings):
    partner = await new_partner(partners, operator)
    name = receiver.script(hook())
    await new_subscription(
        partners,
        operator,
        partner,
        receiver.url(name),
        event_types=["nl.onderop.registry.collective.*"],
        provinces=["PV23"],
        collective_kinds=["energy_cooperative"],
    )
    wanted = await publish_collective(redis, settings, "GM0193", "PV23", "energy_cooperative")  # Zwolle
    other_province = await publish_collective(redis, settings, "GM0363", "PV27", "energy_cooperative")
    other_kind = await publish_collective(redis, settings, "GM0193", "PV23", "care_cooperative")
    ids = {str(e.id) for e in (wanted, other_province, other_kind)}
    await eventually(arrived(receiver, name, ids, 1))
    await asyncio.sleep(0.3)
    assert [e["id"] for e in receiver.events(name, ids)] == [str(wanted.id)]


async def publish_collective(redis, settings, municipality: str, province: str, kind: str):
    cid = uuid.uuid4()
    data = CollectiveRegistered(
        collective_id=cid,
        slug=f"c-{cid.hex[:8]}",
        name="Energie Test",
        kind=kind,
        legal_form="cooperative",
        municipality_code=municipality,
        province_code=province,
        stage="startup",
        version=1,
    )
    return await publish(redis, settings, data, subject=str(cid))


async def test_two_workers_share_the_queue_without_sending_anything_twice(
    partners, receiver, operator, redis, settings
):
    """A second worker on the same database stands in for a second replica: SKIP LOCKED splits the work."""
    runtime = partners.app.state.runtime
    second = DeliveryWorker(runtime, context_of(runtime))
    task = asyncio.create_task(second.run())
    sent_by_second = []
    original = second._send

    async def counting(item, at):
        sent_by_second.append(item.event_id)
        return await original(item, at)

    second._send = counting
    try:
        partner = await new_partner(partners, operator)
        name = receiver.script(hook())
        await new_subscription(partners, operator, partner, receiver.url(name))
        events = [await publish_membership(redis, settings) for _ in range(60)]
        ids = {str(e.id) for e in events}
        await eventually(arrived(receiver, name, ids), timeout=10)
        await asyncio.sleep(0.3)
        received = [e["id"] for e in receiver.events(name, ids)]
        assert sorted(received) == sorted(ids), "every event exactly once"
        assert sent_by_second, "the second worker took part"
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_an_erasure_removes_the_person_s_earlier_events_kept_for_replays(partners, redis, settings):
    person = uuid.uuid4()
    profile = {"contributor_id": person, "display_name": "Fenna Visser", "municipality_code": "GM0014"}
    registered = await publish(redis, settings, ContributorRegistered(**profile, version=1), subject=str(person))
    renamed = ContributorUpdated(**profile | {"display_name": "Fenna V."}, version=2)
    updated = await publish(redis, settings, renamed, subject=str(person), sequence=2)
    runtime = partners.app.state.runtime

    async def kept() -> set[str]:
        async with runtime.sessions() as session:
            rows = await session.execute(
                select(partner_events.c.event_id).where(partner_events.c.subject == str(person))
            )
            return {str(event_id) for event_id in rows.scalars()}

    await eventually(lambda: _has(kept, {str(registered.id), str(updated.id)}))
    erased = await publish(
        redis, settings, ContributorErased(contributor_id=person, version=3), subject=str(person), sequence=3
    )
    await eventually(lambda: _has(kept, {str(erased.id)}, exactly=True))


async def _has(kept, expected: set[str], exactly: bool = False) -> bool:
    found = await kept()
    return found == expected if exactly else expected <= found
