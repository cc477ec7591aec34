"""Reward pools over the real app: who may fund, close and pay; division over points earned through the stream."""

import asyncio
import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import running_service
from tests.rewards.integration.rewards_stream import (
    accepted,
    erased,
    eventually,
    person,
    published,
    registered,
    send,
    wait_balance,
)

pytestmark = pytest.mark.integration

FEBRUARY = datetime(2003, 2, 10, 12, tzinfo=UTC)


def pool_body(**overrides) -> dict:
    return {
        "name": "Kennisdelerspot Energie",
        "amount_cents": 100_000,
        "period_start": "2003-02-01",
        "period_end": "2003-02-28",
        "theme": "energy",
        "min_payout_cents": 0,
        "max_share": 1,
    } | overrides


@pytest.fixture(scope="module")
async def client(settings):
    async with running_service("rewards", settings) as running:
        yield running


async def test_only_funders_and_operators_may_create_a_pool(client, token):
    funder_id = str(uuid.uuid4())
    assert (await client.post("/rewards/v1/pools", json=pool_body())).status_code == 401
    for role in ("contributor", "collective_admin", "partner"):
        response = await client.post("/rewards/v1/pools", json=pool_body(), headers=token(role))
        assert response.status_code == 403, role
    elsewhere = await client.post(
        "/rewards/v1/pools", json=pool_body(funder_id=funder_id), headers=token("funder", funders=[str(uuid.uuid4())])
    )
    assert elsewhere.status_code == 403

    by_funder = await client.post("/rewards/v1/pools", json=pool_body(), headers=token("funder", funders=[funder_id]))
    by_operator = await client.post("/rewards/v1/pools", json=pool_body(province="PV26"), headers=token("operator"))

    assert by_funder.status_code == 201, by_funder.text
    assert by_funder.json()["funder_id"] == funder_id
    assert by_funder.json()["status"] == "open"
    assert by_funder.headers["location"] == f"/rewards/v1/pools/{by_funder.json()['id']}"
    assert by_operator.status_code == 201
    assert by_operator.json()["province"] == "PV26"
    fetched = await client.get(by_funder.headers["location"])
    assert fetched.json() == by_funder.json()
    assert fetched.headers["etag"] == '"1"'


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"period_end": "2003-01-31"}, "body"),
        ({"max_share": 0}, "max_share"),
        ({"max_share": 1.5}, "max_share"),
        ({"amount_cents": 0}, "amount_cents"),
        ({"min_payout_cents": 100_001}, "body"),
        ({"province": "PV99"}, "province"),
        ({"theme": "castles"}, "theme"),
        ({"surprise": True}, "surprise"),
        ({"name": "x" * 201}, "name"),
        ({"name": "   "}, "name"),
        ({"amount_cents": True}, "amount_cents"),
        ({"amount_cents": "100"}, "amount_cents"),
    ],
)
async def test_a_pool_must_make_sense(client, token, change, field):
    response = await client.post("/rewards/v1/pools", json=pool_body(**change), headers=token("operator"))

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {error["field"] for error in response.json()["errors"]}


async def test_a_closed_pool_is_divided_by_points_earned_in_scope_and_its_payouts_move_on(
    client, settings, redis, token
):
    ann, bob, cas, zed = sorted(person() for _ in range(4))
    for who, name, province in ((ann, "Ann", "PV22"), (bob, "Bob", "PV27"), (cas, "Cas", "PV27"), (zed, "Zed", "PV27")):
        await send(redis, settings, registered(who, name, province), subject=who, sequence=1)
    await send(redis, settings, erased(zed, version=2), subject=zed, sequence=2)
    await send(redis, settings, published(str(uuid.uuid4()), [ann]), at=FEBRUARY)
    await send(redis, settings, published(str(uuid.uuid4()), [ann]), at=FEBRUARY + timedelta(days=1))
    await send(redis, settings, published(str(uuid.uuid4()), [bob]), at=FEBRUARY)
    await send(redis, settings, published(str(uuid.uuid4()), [zed]), at=FEBRUARY)  # erased: nobody to pay
    await send(redis, settings, published(str(uuid.uuid4()), [cas], themes=("care",)), at=FEBRUARY)  # other theme
    await send(redis, settings, published(str(uuid.uuid4()), [cas]), at=datetime(2003, 3, 1, tzinfo=UTC))  # after
    await wait_balance(client, cas, 40)
    funder = str(uuid.uuid4())
    funder_token = token("funder", funders=[funder])
    pool = (await client.post("/rewards/v1/pools", json=pool_body(), headers=funder_token)).json()
    province_pool = (
        await client.post("/rewards/v1/pools", json=pool_body(province="PV27", max_share=0.5), headers=funder_token)
    ).json()

    assert (await client.post(f"/rewards/v1/pools/{pool['id']}/close")).status_code == 401
    other_funder = token("funder", funders=[str(uuid.uuid4())])
    assert (await client.post(f"/rewards/v1/pools/{pool['id']}/close", headers=other_funder)).status_code == 403
    assert (await client.post(f"/rewards/v1/pools/{uuid.uuid4()}/close", headers=funder_token)).status_code == 404
    closed = await client.post(f"/rewards/v1/pools/{pool['id']}/close", headers=funder_token)
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    again = await client.post(f"/rewards/v1/pools/{pool['id']}/close", headers=token("operator"))
    assert again.status_code == 409

    page = (await client.get(f"/rewards/v1/pools/{pool['id']}/payouts")).json()
    assert {(p["display_name"], p["points"], p["amount_cents"]) for p in page["items"]} == {
        ("Ann", 40, 66_667),
        ("Bob", 20, 33_333),
    }
    assert sum(p["amount_cents"] for p in page["items"]) == page["distributed_cents"] == 100_000
    assert page["undistributed_cents"] == 0

    # PV27 only: Bob alone, capped at half the pool; the rest stays undistributed
    await client.post(f"/rewards/v1/pools/{province_pool['id']}/close", headers=token("operator"))
    capped = (await client.get(f"/rewards/v1/pools/{province_pool['id']}/payouts")).json()
    assert [(p["display_name"], p["amount_cents"]) for p in capped["items"]] == [("Bob", 50_000)]
    assert capped["undistributed_cents"] == 50_000

    payout = next(p for p in page["items"] if p["display_name"] == "Ann")
    url = f"/rewards/v1/payouts/{payout['id']}"
    assert (await client.post(f"{url}/approve", headers=token("contributor", sub=ann))).status_code == 403
    assert (await client.post(f"{url}/paid", headers=funder_token)).status_code == 409
    approved = await client.post(f"{url}/approve", headers=funder_token)
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert (await client.post(f"{url}/approve", headers=funder_token)).status_code == 409
    paid = await client.post(f"{url}/paid", headers=token("operator"))
    assert paid.status_code == 200
    assert paid.json()["status"] == "paid"
    assert paid.headers["etag"] == '"3"'
    assert (await client.post(f"{url}/paid", headers=token("operator"))).status_code == 409
    assert (await client.post(f"/rewards/v1/payouts/{uuid.uuid4()}/approve", headers=funder_token)).status_code == 404

    cents = [
        e for e in (await client.get(f"/rewards/v1/contributors/{ann}/ledger")).json()["items"] if e["unit"] == "cents"
    ]
    assert [(e["reason"], e["amount"]) for e in cents] == [("pool_payout", 66_667)]

    async def published_types() -> set[str]:
        types = set()
        for _, fields in await redis.xrange(settings.stream("rewards")):
            event = json.loads(fields[b"data"])
            if event["data"].get("pool_id") == pool["id"]:
                types.add(event["type"].removeprefix("nl.onderop.rewards.").removesuffix(".v1"))
        return types if "payout.paid" in types else set()

    assert await eventually(published_types) == {
        "pool.created",
        "pool.closed",
        "payout.calculated",
        "payout.approved",
        "payout.paid",
    }


async def test_a_pool_cannot_close_before_its_period_has_ended(client, token):
    today = datetime.now(UTC).date()
    body = pool_body(period_start=str(today - timedelta(days=3)), period_end=str(today))
    pool = (await client.post("/rewards/v1/pools", json=body, headers=token("operator"))).json()

    response = await client.post(f"/rewards/v1/pools/{pool['id']}/close", headers=token("operator"))

    assert response.status_code == 409
    assert response.json()["period_end"] == today.isoformat()


async def test_closing_and_approving_race_safely(client, settings, redis, token):
    ann = person()
    await send(redis, settings, accepted(ann, None, themes=("energy",)), at=datetime(2004, 6, 1, tzinfo=UTC))
    await wait_balance(client, ann, 25)
    body = pool_body(period_start=str(date(2004, 6, 1)), period_end=str(date(2004, 6, 30)))
    pool = (await client.post("/rewards/v1/pools", json=body, headers=token("operator"))).json()

    closes = await asyncio.gather(
        *(client.post(f"/rewards/v1/pools/{pool['id']}/close", headers=token("operator")) for _ in range(4))
    )
    assert sorted(r.status_code for r in closes) == [200, 409, 409, 409]

    (payout,) = (await client.get(f"/rewards/v1/pools/{pool['id']}/payouts")).json()["items"]
    assert payout["amount_cents"] == 100_000
    approvals = await asyncio.gather(
        *(client.post(f"/rewards/v1/payouts/{payout['id']}/approve", headers=token("operator")) for _ in range(4))
    )
    assert sorted(r.status_code for r in approvals) == [200, 409, 409, 409]


async def test_pools_are_listed_newest_first(client, token):
    funder = str(uuid.uuid4())
    made = [
        (
            await client.post(
                "/rewards/v1/pools", json=pool_body(name=f"Pot {i}", funder_id=funder), headers=token("operator")
            )
        ).json()["id"]
        for i in range(3)
    ]

    first = (await client.get("/rewards/v1/pools", params={"funder_id": funder, "limit": 2})).json()
    rest = (
        await client.get("/rewards/v1/pools", params={"funder_id": funder, "limit": 2, "cursor": first["next_cursor"]})
    ).json()

    assert [p["id"] for p in first["items"] + rest["items"]] == made[::-1]
    assert rest["next_cursor"] is None


async def test_a_retried_pool_creation_with_an_idempotency_key_creates_one_pool(client, token):
    funder = str(uuid.uuid4())
    headers = token("operator", sub="ops-1") | {"Idempotency-Key": f"pool-{funder}"}

    first = await client.post("/rewards/v1/pools", json=pool_body(funder_id=funder), headers=headers)
    again = await client.post("/rewards/v1/pools", json=pool_body(funder_id=funder), headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    listed = (await client.get("/rewards/v1/pools", params={"funder_id": funder})).json()["items"]
    assert [p["id"] for p in listed] == [first.json()["id"]]


async def test_the_demo_seed_opens_one_pool_and_is_idempotent(client):
    from services.rewards.seed import DEMO_POOL, seed

    runtime = client.app.state.runtime
    first = await seed(runtime)
    second = await seed(runtime)

    pool = (await client.get(f"/rewards/v1/pools/{DEMO_POOL}")).json()
    assert pool["theme"] == "energy"
    assert pool["status"] == "open"
    assert second == "demo pool already there"
    assert first.startswith("1 reward pool") or first == "demo pool already there"


async def test_payouts_of_someone_erased_after_closing_keep_their_amounts_under_an_anonymous_id(
    client, settings, redis, token
):
    ann, bob = sorted(person() for _ in range(2))
    for who, name in ((ann, "Ann"), (bob, "Bob")):
        await send(redis, settings, registered(who, name, "PV22"), subject=who, sequence=1)
    june = datetime(2007, 6, 3, tzinfo=UTC)
    await send(redis, settings, published(str(uuid.uuid4()), [ann, bob]), at=june)
    await send(redis, settings, published(str(uuid.uuid4()), [ann]), at=june)
    await wait_balance(client, ann, 30)
    body = pool_body(period_start="2007-06-01", period_end="2007-06-30")
    pool = (await client.post("/rewards/v1/pools", json=body, headers=token("operator"))).json()
    closed = await client.post(f"/rewards/v1/pools/{pool['id']}/close", headers=token("operator"))
    assert closed.status_code == 200, closed.text
    before = (await client.get(f"/rewards/v1/pools/{pool['id']}/payouts")).json()
    anns = next(p for p in before["items"] if p["display_name"] == "Ann")

    await send(redis, settings, erased(ann, version=2), subject=ann, sequence=2)

    async def gone() -> bool:
        return (await client.get(f"/rewards/v1/contributors/{ann}")).status_code == 404

    await eventually(gone)
    after = (await client.get(f"/rewards/v1/pools/{pool['id']}/payouts")).json()
    assert ann not in json.dumps(after) and "Ann" not in json.dumps(after)
    assert sorted((p["display_name"], p["points"], p["amount_cents"]) for p in after["items"]) == sorted(
        ("anoniem" if p["display_name"] == "Ann" else p["display_name"], p["points"], p["amount_cents"])
        for p in before["items"]
    )
    assert sum(p["amount_cents"] for p in after["items"]) == after["distributed_cents"] == 100_000
    payout = (await client.get(f"/rewards/v1/payouts/{anns['id']}")).json()
    assert (payout["display_name"], payout["amount_cents"]) == ("anoniem", anns["amount_cents"])
    anon = payout["contributor_id"]
    assert anon != ann
    entries = (await client.get(f"/rewards/v1/contributors/{anon}/ledger")).json()["items"]
    cents = [e for e in entries if e["unit"] == "cents"]
    assert [(e["reason"], e["amount"]) for e in cents] == [("pool_payout", anns["amount_cents"])]
    # the payout still moves on, under the anonymous id
    approved = await client.post(f"/rewards/v1/payouts/{anns['id']}/approve", headers=token("operator"))
    assert approved.status_code == 200 and approved.json()["display_name"] == "anoniem"
