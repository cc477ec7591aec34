"""Knowledge and registry events in through the real streams → ledger, balances, leaderboards and events out."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from services.rewards.models import ledger_entries, ledger_transactions
from shared.contracts.envelope import make_event
from shared.contracts.knowledge import ArticlePublished, EndorsementAdded
from shared.contracts.registry import ContributorUpdated
from tests.conftest import running_service
from tests.rewards.integration.rewards_stream import (
    accepted,
    article,
    balance,
    endorsed,
    endorsement,
    erased,
    eventually,
    person,
    published,
    registered,
    retracted,
    reused,
    send,
    send_event,
    wait_balance,
    withdrawn,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def client(settings):
    async with running_service("rewards", settings) as running:
        yield running


async def rewards_events(redis, settings, **match) -> list[dict]:
    found = []
    for _, fields in await redis.xrange(settings.stream("rewards")):
        event = json.loads(fields[b"data"])
        if all(str(event["data"].get(k)) == str(v) for k, v in match.items()):
            found.append(event)
    return found


async def test_a_publication_splits_its_points_among_the_co_authors_with_reason_and_source(client, settings, redis):
    authors = sorted([person(), person(), person()])
    article_id = str(uuid.uuid4())

    event = await send(redis, settings, published(article_id, list(reversed(authors))))

    for author, points in zip(authors, (7, 7, 6), strict=True):
        await wait_balance(client, author, points)
    page = (await client.get(f"/rewards/v1/contributors/{authors[0]}/ledger")).json()
    nobody = await client.get(f"/rewards/v1/contributors/{uuid.uuid4()}/ledger")
    assert nobody.status_code == 404  # as the contributor's own page
    (entry,) = page["items"]
    assert entry["amount"] == 7
    assert entry["reason"] == "article_published"
    assert entry["source_event_id"] == str(event.id)
    assert entry["source_key"] == f"publication:{article_id}"
    assert entry["themes"] == ["energy"]
    awarded = await eventually(lambda: rewards_events(redis, settings, source_event_id=event.id))
    assert {e["type"] for e in awarded} >= {
        "nl.onderop.rewards.points.awarded.v1",
        "nl.onderop.rewards.badge.earned.v1",
    }
    points = [e for e in awarded if e["type"].endswith("points.awarded.v1")]
    assert sorted((e["data"]["contributor_id"], e["data"]["amount"]) for e in points) == sorted(
        zip(authors, (7, 7, 6), strict=True)
    )
    assert all("display_name" not in e["data"] for e in awarded)
    assert all(e["subject"] == e["data"]["contributor_id"] for e in points)


async def test_duplicates_and_the_same_facts_under_a_new_event_id_pay_once(client, settings, redis):
    ann, asker = person(), person()
    event = await send(redis, settings, published(str(uuid.uuid4()), [ann]))
    await send_event(redis, settings, event)
    await send_event(redis, settings, event.model_copy(update={"id": uuid.uuid4()}))
    await send(redis, settings, accepted(ann, asker))  # applied after the copies: the stream keeps its order

    await wait_balance(client, ann, 20 + 25)
    await wait_balance(client, asker, 2)
    entries = (await client.get(f"/rewards/v1/contributors/{ann}/ledger")).json()["items"]
    assert sorted(e["reason"] for e in entries) == ["answer_accepted", "article_published"]


async def test_a_withdrawn_endorsement_is_undone_exactly_once(client, settings, redis):
    ann, eve, e1 = person(), person(), str(uuid.uuid4())
    article_id = str(uuid.uuid4())
    await send(redis, settings, published(article_id, [ann]))
    await send(redis, settings, endorsed(e1, eve, [ann], article_id))
    await wait_balance(client, ann, 30)

    withdrawal = await send(redis, settings, withdrawn(e1, eve, [ann], article_id))
    await send(redis, settings, withdrawn(e1, eve, [ann], article_id))
    await send(redis, settings, accepted(ann, eve))

    await wait_balance(client, ann, 20 + 25)
    reversed_ = await eventually(lambda: rewards_events(redis, settings, source_event_id=withdrawal.id))
    assert reversed_[0]["type"] == "nl.onderop.rewards.points.reversed.v1"
    assert reversed_[0]["data"]["amount"] == 10
    assert reversed_[0]["data"]["reason"] == "endorsement_withdrawn"


async def test_a_withdrawal_that_overtakes_its_endorsement_leaves_nothing_to_pay(client, settings, redis):
    ann, eve, e2 = person(), person(), str(uuid.uuid4())
    article_id = str(uuid.uuid4())
    await send(redis, settings, withdrawn(e2, eve, [ann], article_id))
    await send(redis, settings, endorsed(e2, eve, [ann], article_id))
    await send(redis, settings, accepted(ann, eve))

    await wait_balance(client, ann, 25)


async def test_a_retraction_undoes_every_point_from_the_article_even_when_it_comes_first(client, settings, redis):
    ann, eve, rita = person(), person(), person()
    home, elsewhere = str(uuid.uuid4()), str(uuid.uuid4())
    article_id, early = str(uuid.uuid4()), str(uuid.uuid4())
    await send(redis, settings, published(article_id, [ann], collective=home))
    await send(redis, settings, endorsed(str(uuid.uuid4()), eve, [ann], article_id))
    await send(redis, settings, reused(article_id, elsewhere, rita, [ann], home=home))
    await send(redis, settings, reused(article_id, home, rita, [ann]))  # its own collective: nothing
    await send(redis, settings, accepted(ann, eve))
    await wait_balance(client, ann, 20 + 10 + 40 + 25)

    await send(redis, settings, retracted(article_id, [ann], collective=home))
    await send(redis, settings, endorsed(str(uuid.uuid4()), rita, [ann], article_id))
    await send(redis, settings, retracted(early, [ann]))
    await send(redis, settings, published(early, [ann]))
    await send(redis, settings, accepted(ann, rita))

    await wait_balance(client, ann, 25 + 25)
    reasons = [e["reason"] for e in (await client.get(f"/rewards/v1/contributors/{ann}/ledger")).json()["items"]]
    assert reasons.count("article_retracted") == 3


async def test_the_daily_endorsement_cap_holds_but_accepted_answers_are_exempt(client, settings, redis):
    ann = person()
    day = datetime(2011, 5, 17, 9, tzinfo=UTC)
    sent = []
    for i in range(12):
        on_an_answer = {"target_type": "answer", "article_id": None}
        data = endorsement(str(uuid.uuid4()), person(), [ann], str(uuid.uuid4())) | on_an_answer
        sent.append(await send(redis, settings, EndorsementAdded(**data), at=day + timedelta(minutes=i)))
    await send(redis, settings, accepted(ann, person()), at=day + timedelta(hours=1))

    await wait_balance(client, ann, 100 + 25)
    async with client.app.state.runtime.sessions() as session:
        outcomes = (
            await session.execute(
                select(ledger_transactions.c.outcome, func.count())
                .where(ledger_transactions.c.source_event_id.in_([e.id for e in sent]))
                .group_by(ledger_transactions.c.outcome)
            )
        ).all()
    assert dict(outcomes) == {"awarded": 10, "capped": 2}


async def test_every_ledger_transaction_balances_and_the_ledger_cannot_be_edited(client, settings, redis):
    ann = person()
    await send(redis, settings, published(str(uuid.uuid4()), [ann, person()]))
    await wait_balance(client, ann, 10)

    async with client.app.state.runtime.sessions() as session:
        unbalanced = (
            await session.execute(
                select(ledger_entries.c.transaction_id)
                .group_by(ledger_entries.c.transaction_id, ledger_entries.c.unit)
                .having(func.sum(ledger_entries.c.amount) != 0)
            )
        ).all()
        negative = (await session.execute(text("SELECT count(*) FROM contributor_balances WHERE balance < 0"))).scalar()
    assert unbalanced == []
    assert negative == 0
    with pytest.raises(DBAPIError, match="append-only"):
        async with client.app.state.runtime.transaction() as session:
            await session.execute(text("UPDATE ledger_entries SET amount = amount + 1"))


async def test_events_that_can_never_apply_go_to_the_dead_letter_stream(client, settings, redis):
    ann = person()
    no_endorser = EndorsementAdded(**endorsement(str(uuid.uuid4()), None, [ann], str(uuid.uuid4())))
    bad = await send(redis, settings, no_endorser)
    worse = make_event(ArticlePublished(**article(str(uuid.uuid4()), [ann])))
    worse = worse.model_copy(update={"data": worse.data | {"authors": "not a list"}})
    await send_event(redis, settings, worse)
    await send(redis, settings, accepted(ann, person()))

    await wait_balance(client, ann, 25)

    async def dead() -> set[str]:
        entries = await redis.xrange(settings.dlq_stream("rewards"))
        ids = {json.loads(fields[b"entry"])["id"] for _, fields in entries}
        return ids & {str(bad.id), str(worse.id)}

    assert await eventually(dead) == {str(bad.id), str(worse.id)}


async def test_levels_badges_and_counters_show_on_the_contributor(client, settings, redis):
    ann, rita = person(), person()
    article_id = str(uuid.uuid4())
    await send(redis, settings, published(article_id, [ann]))
    reuse = await send(redis, settings, reused(article_id, str(uuid.uuid4()), rita, [ann]))
    await wait_balance(client, ann, 60)

    response = await client.get(f"/rewards/v1/contributors/{ann}")
    body = response.json()
    assert response.headers["etag"] == f'"{body["version"]}"'
    assert body["level"]["key"] == "deler"
    assert body["next_level"] == {
        "key": "kennisdrager",
        "threshold": 200,
        "label": {"nl": "Kennisdrager", "en": "Knowledge bearer"},
        "points_to_go": 140,
    }
    assert {b["key"] for b in body["badges"]} == {"first_article", "reused_by_a_collective"}
    assert body["counters"]["articles_published"] == 1
    assert body["counters"]["reusing_collectives"] == 1
    levels = await eventually(
        lambda: rewards_events(redis, settings, source_event_id=reuse.id, contributor_id=ann, level="deler")
    )
    assert levels[0]["data"]["balance"] == 60
    assert (await client.get(f"/rewards/v1/contributors/{uuid.uuid4()}")).status_code == 404


async def test_leaderboards_by_period_theme_and_province_and_erasure_shows_anonymous(client, settings, redis):
    march = datetime(1999, 3, 10, 12, tzinfo=UTC)
    ann, bob, cas = person(), person(), person()
    await send(redis, settings, registered(ann, "Ann de Vries", "PV22", version=2), subject=ann, sequence=2)
    await send(redis, settings, registered(bob, "Bob Jansen", "PV27"), subject=bob, sequence=1)
    await send(redis, settings, registered(cas, "Cas Bakker", "PV22"), subject=cas, sequence=1)
    # an older state arriving late changes nothing
    older = ContributorUpdated(contributor_id=ann, display_name="Oude Naam", province_code="PV20", version=1)
    await send(redis, settings, older, subject=ann, sequence=1)
    await send(redis, settings, published(str(uuid.uuid4()), [ann], themes=("energy",)), at=march)
    await send(redis, settings, published(str(uuid.uuid4()), [ann], themes=("care",)), at=march)
    await send(redis, settings, published(str(uuid.uuid4()), [bob], themes=("energy",)), at=march)
    await send(redis, settings, accepted(cas, bob, themes=("care",)), at=march + timedelta(days=30))
    await wait_balance(client, cas, 25)

    async def board(**params) -> list[tuple[str, int, int]]:
        response = await client.get("/rewards/v1/leaderboard", params=params)
        assert response.status_code == 200, response.text
        return sorted((i["rank"], i["display_name"], i["points"]) for i in response.json()["items"])

    assert await board(period="1999-03") == [(1, "Ann de Vries", 40), (2, "Bob Jansen", 20)]
    assert await board(period="1999-03", theme="energy") == [(1, "Ann de Vries", 20), (1, "Bob Jansen", 20)]
    assert await board(period="1999-Q2", province="PV22") == [(1, "Cas Bakker", 25)]
    assert await board(period="1999-Q1", province="PV27") == [(1, "Bob Jansen", 20)]
    assert await board(period="1999", theme="care") == [
        (1, "Cas Bakker", 25),
        (2, "Ann de Vries", 20),
        (3, "Bob Jansen", 2),
    ]
    for wrong in ({"period": "1999-13"}, {"period": "last week"}, {"province": "PV99"}, {"theme": "castles"}):
        response = await client.get("/rewards/v1/leaderboard", params=wrong)
        assert response.status_code == 422, wrong
        assert response.headers["content-type"] == "application/problem+json"

    before = (await client.get("/rewards/v1/leaderboard", params={"period": "1999"})).json()["items"]
    await send(redis, settings, erased(ann, version=3), subject=ann, sequence=3)

    async def anonymous() -> list:
        items = (await client.get("/rewards/v1/leaderboard", params={"period": "1999-03"})).json()["items"]
        return [i for i in items if i["anonymous"]]

    (shown,) = await eventually(anonymous)
    # the numbers stay, under an anonymous id that is not the person's
    anon = shown["contributor_id"]
    assert anon != ann
    assert (shown["display_name"], shown["points"], shown["rank"]) == ("anoniem", 40, 1)
    after = (await client.get("/rewards/v1/leaderboard", params={"period": "1999"})).json()["items"]
    assert [(i["rank"], i["points"]) for i in after] == [(i["rank"], i["points"]) for i in before]
    assert ann not in json.dumps(after) and "Ann" not in json.dumps(after)
    # the erased id answers 404; the anonymous id shows the numbers without anything personal
    assert (await client.get(f"/rewards/v1/contributors/{ann}")).status_code == 404
    assert (await client.get(f"/rewards/v1/contributors/{ann}/ledger")).status_code == 404
    profile = (await client.get(f"/rewards/v1/contributors/{anon}")).json()
    assert (profile["display_name"], profile["balance"], profile.get("province_code")) == ("anoniem", 40, None)
    assert profile["badges"], "badges moved along"
    assert "Ann" not in json.dumps(profile) and ann not in json.dumps(profile)
    entries = (await client.get(f"/rewards/v1/contributors/{anon}/ledger")).json()["items"]
    assert sum(e["amount"] for e in entries) == 40
    assert {e["account"] for e in entries} == {f"contributor:{anon}"}
    # a late registration never brings the name back, nor the id
    await send(redis, settings, registered(ann, "Ann de Vries", "PV22", version=4), subject=ann, sequence=4)
    await send(redis, settings, accepted(bob, cas), at=march)
    await wait_balance(client, bob, 20 + 2 + 25)
    assert (await client.get(f"/rewards/v1/contributors/{ann}")).status_code == 404
    assert (await client.get(f"/rewards/v1/contributors/{anon}")).json()["display_name"] == "anoniem"


async def test_erasure_leaves_nothing_under_the_persons_id_and_later_events_book_on_the_anonymous_id(
    client, settings, redis
):
    ann, bob, cas = person(), person(), person()
    for who, name in ((ann, "Ann"), (bob, "Bob"), (cas, "Cas")):
        await send(redis, settings, registered(who, name, "PV22"), subject=who, sequence=1)
    anns_article, bobs_article = str(uuid.uuid4()), str(uuid.uuid4())
    day = datetime(1987, 6, 1, 9, tzinfo=UTC)
    await send(redis, settings, published(anns_article, [ann]), at=day)  # ann 20
    by_bob, by_cas, late = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    await send(redis, settings, endorsed(by_bob, bob, [ann], anns_article), at=day)  # ann 30
    await send(redis, settings, endorsed(by_cas, cas, [ann], anns_article), at=day)  # ann 40
    await send(redis, settings, published(bobs_article, [bob]), at=day)  # bob 20
    by_ann = str(uuid.uuid4())
    await send(redis, settings, endorsed(by_ann, ann, [bob], bobs_article), at=day)  # bob 30, ann as endorser
    await wait_balance(client, ann, 40)
    await wait_balance(client, bob, 30)

    await send(redis, settings, erased(ann, version=2), subject=ann, sequence=2)

    async def moved() -> bool:
        return (await client.get(f"/rewards/v1/contributors/{ann}")).status_code == 404

    await eventually(moved)
    async with client.app.state.runtime.sessions() as conn:
        anon = str(
            (
                await conn.execute(text("SELECT anonymous_id FROM rewards.contributors WHERE id = :id"), {"id": ann})
            ).scalar_one()
        )
    assert anon != ann
    assert await balance(client, anon) == 40

    # bob's endorsement withdrawn after the erasure undoes exactly its 10 points, on the anonymous account
    await send(redis, settings, withdrawn(by_bob, bob, [ann], anns_article), at=day + timedelta(days=1))
    await wait_balance(client, anon, 30)
    # ann's own endorsement of bob, withdrawn after her erasure (knowledge no longer names the endorser)
    await send(redis, settings, withdrawn(by_ann, None, [bob], bobs_article), at=day + timedelta(days=1))
    await wait_balance(client, bob, 20)
    # an endorsement made before the erasure but delivered after it: booked on the anonymous id, caps included
    await send(redis, settings, endorsed(late, bob, [ann], anns_article), at=day)
    await wait_balance(client, anon, 40)
    # a retraction of ann's article undoes all that is left of it
    await send(redis, settings, retracted(anns_article, [ann]), at=day + timedelta(days=2))
    await wait_balance(client, anon, 0)

    async with client.app.state.runtime.sessions() as conn:
        personal = {
            table: (
                await conn.execute(text(f"SELECT count(*) FROM rewards.{table} WHERE {column} = :id"), {"id": ann})
            ).scalar_one()
            for table, column in (
                ("ledger_entries", "contributor_id"),
                ("ledger_transactions", "actor_id"),
                ("contributor_balances", "contributor_id"),
                ("contributor_badges", "contributor_id"),
                ("counter_items", "contributor_id"),
                ("endorsement_day_tally", "contributor_id"),
                ("endorsement_pair_tally", "author_id"),
                ("endorsement_pair_tally", "endorser_id"),
                ("payouts", "contributor_id"),
            )
        }
        mentioned = (
            (
                await conn.execute(
                    text(
                        "SELECT count(*) FROM rewards.ledger_entries WHERE account = :account UNION ALL "
                        "SELECT count(*) FROM rewards.counter_items WHERE item LIKE :prefix"
                    ),
                    {"account": f"contributor:{ann}", "prefix": f"{ann}%"},
                )
            )
            .scalars()
            .all()
        )
        anon_sum = (
            await conn.execute(
                text("SELECT coalesce(sum(amount), 0) FROM rewards.ledger_entries WHERE contributor_id = :id"),
                {"id": anon},
            )
        ).scalar_one()
        unbalanced = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT transaction_id FROM rewards.ledger_entries "
                    "GROUP BY transaction_id, unit HAVING sum(amount) <> 0) t"
                )
            )
        ).scalar_one()
    assert set(personal.values()) == {0}, personal
    assert mentioned == [0, 0]
    assert anon_sum == 0 and unbalanced == 0
    assert (await client.get(f"/rewards/v1/contributors/{ann}/ledger")).status_code == 404


async def test_the_ledger_still_refuses_changes_other_than_the_erasure_move(client, settings, redis):
    ann = person()
    await send(redis, settings, published(str(uuid.uuid4()), [ann]))
    await wait_balance(client, ann, 20)
    one = "(SELECT min(id) FROM ledger_entries)"
    refused = (
        [f"UPDATE ledger_entries SET contributor_id = gen_random_uuid() WHERE id = {one}"],
        ["DELETE FROM ledger_transactions WHERE false"],
        # the erasure switch only lets the columns that name a person change
        ["SELECT set_config('rewards.erasure', 'on', true)", f"UPDATE ledger_entries SET amount = 1 WHERE id = {one}"],
    )
    for statements in refused:
        with pytest.raises(DBAPIError, match="append-only"):
            async with client.app.state.runtime.transaction() as session:
                for statement in statements:
                    await session.execute(text(statement))


async def test_the_rules_are_served_with_their_version(client):
    response = await client.get("/rewards/v1/rules")

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "2026-11-1"
    assert body["points"]["article_published"] == 20
    assert body["caps"]["daily_endorsement_cap"] == 100


async def test_the_ledger_pages_newest_first_with_a_cursor(client, settings, redis):
    ann = person()
    start = datetime(2012, 1, 1, tzinfo=UTC)
    for day in range(5):
        await send(redis, settings, accepted(ann, person()), at=start + timedelta(days=day))
    await wait_balance(client, ann, 125)

    first = (await client.get(f"/rewards/v1/contributors/{ann}/ledger", params={"limit": 3})).json()
    second = (
        await client.get(f"/rewards/v1/contributors/{ann}/ledger", params={"limit": 3, "cursor": first["next_cursor"]})
    ).json()

    times = [e["occurred_at"] for e in first["items"] + second["items"]]
    assert len(times) == 5
    assert times == sorted(times, reverse=True)
    assert second["next_cursor"] is None
    bad = await client.get(f"/rewards/v1/contributors/{ann}/ledger", params={"cursor": "nonsense"})
    assert bad.status_code == 422
    assert await balance(client, ann) == 125
