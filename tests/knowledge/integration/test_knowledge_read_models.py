import uuid

import pytest
from knowledge_helpers import (
    collective,
    collective_data,
    erase,
    member,
    outbox_events,
    person,
    publish,
    read_model_row,
    send,
    until,
)
from sqlalchemy import func, select

from services.knowledge.models import article_revisions, collectives, contributors, endorsements, memberships
from shared.contracts.envelope import make_event
from shared.contracts.registry import (
    CollectiveRegistered,
    CollectiveStageChanged,
    CollectiveUpdated,
    ContributorRegistered,
    ContributorUpdated,
    MembershipAdded,
    MembershipRemoved,
)

pytestmark = pytest.mark.integration

BASE = "/knowledge/v1"


async def test_collective_read_model_is_idempotent_and_order_tolerant(client, settings, redis):
    collective_id = uuid.uuid4()
    newer = CollectiveStageChanged(
        **collective_data(collective_id, version=3, stage="growth", themes=["energy", "care"]), previous_stage="startup"
    )
    older = CollectiveUpdated(**collective_data(collective_id, version=2, name="Oude naam"))
    oldest = CollectiveRegistered(**collective_data(collective_id, version=1))
    await publish(redis, settings, newer, collective_id, 3)
    duplicate = await publish(redis, settings, older, collective_id, 2)
    await send(redis, settings, duplicate)
    await publish(redis, settings, oldest, collective_id, 1)
    marker = await collective(client, redis, settings)  # arrives after all of the above
    assert marker
    row = await read_model_row(client, collectives, id=collective_id)
    assert (row.version, row.stage, row.themes) == (3, "growth", ["energy", "care"])
    assert row.name != "Oude naam"
    inbox = client.app.state.runtime.spec.tables.inbox
    async with client.app.state.runtime.sessions() as session:
        seen = (await session.execute(select(func.count()).where(inbox.c.event_id == duplicate.id))).scalar()
    assert seen == 1


async def test_contributor_updates_and_memberships(client, settings, token, redis):
    contributor_id = await person(client, redis, settings, "Eerste Naam")
    renamed = ContributorUpdated(
        contributor_id=contributor_id, display_name="Tweede Naam", expertise=["care"], version=3
    )
    stale = ContributorUpdated(contributor_id=contributor_id, display_name="Oude Naam", version=2)
    await publish(redis, settings, renamed, contributor_id, 3)
    await publish(redis, settings, stale, contributor_id, 2)
    await until(lambda: _name_is(client, contributor_id, "Tweede Naam"), what="rename")
    coop = await collective(client, redis, settings)
    await member(client, redis, settings, coop, contributor_id)
    removed = MembershipRemoved(collective_id=coop, contributor_id=contributor_id, version=2)
    await publish(redis, settings, removed, f"{coop}/{contributor_id}", 2)

    async def gone():
        row = await read_model_row(client, memberships, collective_id=coop, contributor_id=contributor_id)
        return row.status == "removed"

    await until(gone, what="membership removed")
    row = await read_model_row(client, contributors, id=contributor_id)
    assert (row.display_name, row.expertise, row.version) == ("Tweede Naam", ["care"], 3)


async def _name_is(client, contributor_id, name):
    row = await read_model_row(client, contributors, id=contributor_id)
    return row is not None and row.display_name == name


async def test_erasure_anonymises_authorship_everywhere(client, settings, token, redis):
    writer = await person(client, redis, settings, "Wim Wisbaar")
    coauthor = await person(client, redis, settings, "Carla Blijft")
    reader = await person(client, redis, settings)
    coop = await collective(client, redis, settings)
    await member(client, redis, settings, coop, writer)
    as_writer, as_reader = token("contributor", sub=str(writer)), token("contributor", sub=str(reader))
    created = await client.post(
        f"{BASE}/articles",
        json={
            "title": "Gids van Wim",
            "body": "Tekst",
            "kind": "guide",
            "status": "published",
            "authors": [str(writer), str(coauthor)],
        },
        headers=as_writer,
    )
    article_id = created.json()["id"]
    other = await client.post(
        f"{BASE}/articles",
        json={
            "title": "Gids van Carla",
            "body": "Tekst",
            "kind": "guide",
            "status": "published",
            "authors": [str(coauthor)],
        },
        headers=token("contributor", sub=str(coauthor)),
    )
    assert (
        await client.post(f"{BASE}/articles/{other.json()['id']}/endorsements", headers=as_writer)
    ).status_code == 201
    q = await client.post(f"{BASE}/questions", json={"title": "Vraag van Wim", "body": "?"}, headers=as_writer)
    answer = await client.post(
        f"{BASE}/questions/{q.json()['id']}/answers", json={"body": "Wim zelf"}, headers=as_writer
    )
    reader_q = await client.post(f"{BASE}/questions", json={"title": "Vraag", "body": "?"}, headers=as_reader)
    await client.post(f"{BASE}/questions/{reader_q.json()['id']}/answers", json={"body": "Antwoord"}, headers=as_writer)

    await erase(redis, settings, writer, version=5)

    async def erased():
        row = await read_model_row(client, contributors, id=writer)
        return row is not None and row.status == "erased"

    await until(erased, what="erasure")
    # a late, older event does not bring the person back
    await publish(
        redis, settings, ContributorRegistered(contributor_id=writer, display_name="Wim Wisbaar", version=1), writer, 1
    )
    await publish(
        redis, settings, ContributorUpdated(contributor_id=writer, display_name="Wim Terug", version=9), writer, 9
    )
    await collective(client, redis, settings)  # a marker: everything before it has been applied

    row = await read_model_row(client, contributors, id=writer)
    assert (row.status, row.display_name) == ("erased", None)
    shown = (await client.get(f"{BASE}/articles/{article_id}")).json()
    assert shown["authors"] == [
        {"contributor_id": None, "display_name": None},
        {"contributor_id": str(coauthor), "display_name": "Carla Blijft"},
    ]
    assert "Wim Wisbaar" not in str(shown)
    revisions = (await client.get(f"{BASE}/articles/{article_id}/revisions")).json()["items"]
    assert revisions[0]["authors"] == [str(coauthor)] and revisions[0]["editor_id"] is None
    question = (await client.get(f"{BASE}/questions/{q.json()['id']}")).json()
    assert question["asker"] == {"contributor_id": None, "display_name": None}
    assert question["answers"][0]["author"] == {"contributor_id": None, "display_name": None}
    assert await read_model_row(client, endorsements, endorser_id=writer) is None
    assert await read_model_row(client, memberships, contributor_id=writer) is None
    assert await read_model_row(client, article_revisions, editor_id=writer) is None
    # the person can no longer act
    again = await client.post(f"{BASE}/questions", json={"title": "Nog een", "body": "?"}, headers=as_writer)
    assert again.status_code == 403
    # an erased author is no longer credited
    endorsed = await client.post(f"{BASE}/articles/{article_id}/endorsements", headers=as_reader)
    (event,) = await outbox_events(client, "endorsement.added", endorsed.json()["id"])
    assert event["data"]["credited"] == [str(coauthor)]
    # and a membership event arriving late does not link them again
    await publish(
        redis,
        settings,
        MembershipAdded(collective_id=coop, contributor_id=writer, role="member", version=7),
        f"{coop}/{writer}",
        7,
    )
    await collective(client, redis, settings)
    assert await read_model_row(client, memberships, contributor_id=writer) is None
    assert answer.status_code == 201


async def test_poison_events_go_to_the_dead_letter_stream(client, settings, redis):
    bad = make_event(ContributorRegistered(contributor_id=uuid.uuid4(), display_name="X", version=1))
    bad.data["contributor_id"] = "not-a-uuid"
    await send(redis, settings, bad)

    async def dead_lettered():
        entries = await redis.xrange(settings.dlq_stream("knowledge"))
        return any(str(bad.id).encode() in b"".join(v for f in e[1].items() for v in f) for e in entries)

    await until(dead_lettered, what="dead letter")
