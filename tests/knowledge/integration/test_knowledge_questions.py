import uuid

import pytest
from knowledge_helpers import collective, member, outbox_events, person

pytestmark = pytest.mark.integration

BASE = "/knowledge/v1"


async def test_ask_answer_accept_and_endorse_answers(client, settings, token, redis):
    asker = await person(client, redis, settings, "Vera Vraag")
    helper = await person(client, redis, settings, "Hans Helper", expertise=("energy",))
    other = await person(client, redis, settings)
    coop = await collective(client, redis, settings)
    await member(client, redis, settings, coop, asker)
    as_asker, as_helper, as_other = (token("contributor", sub=str(p)) for p in (asker, helper, other))

    question = {"title": "Hoe werven we leden?", "body": "We zoeken **leden**.", "themes": ["energy"]}
    assert (await client.post(f"{BASE}/questions", json=question)).status_code == 401
    assert (await client.post(f"{BASE}/questions", json=question, headers=token("contributor"))).status_code == 403
    on_behalf = question | {"collective_id": str(coop)}
    assert (await client.post(f"{BASE}/questions", json=on_behalf, headers=as_other)).status_code == 403
    unknown = question | {"collective_id": str(uuid.uuid4())}
    assert (await client.post(f"{BASE}/questions", json=unknown, headers=as_asker)).status_code == 422
    asked = await client.post(f"{BASE}/questions", json=on_behalf, headers=as_asker)
    assert asked.status_code == 201, asked.text
    q = asked.json()
    assert q["status"] == "open" and q["asker"]["display_name"] == "Vera Vraag"
    assert q["body_html"] == "<p>We zoeken <strong>leden</strong>.</p>\n" and q["collective_name"]
    (asked_event,) = await outbox_events(client, "question.asked", q["id"])
    assert asked_event["data"]["asker_id"] == str(asker) and asked_event["data"]["collective_id"] == str(coop)

    answers_url = f"{BASE}/questions/{q['id']}/answers"
    assert (await client.post(answers_url, json={"body": "x"})).status_code == 401
    assert (await client.post(answers_url, json={"body": ""}, headers=as_helper)).status_code == 422
    assert (
        await client.post(f"{BASE}/questions/{uuid.uuid4()}/answers", json={"body": "x"}, headers=as_helper)
    ).status_code == 404
    first = await client.post(answers_url, json={"body": "Ga deur aan deur."}, headers=as_helper)
    assert first.status_code == 201 and first.json()["author"]["display_name"] == "Hans Helper"
    own = await client.post(answers_url, json={"body": "Zelf gevonden."}, headers=as_asker)
    second = await client.post(answers_url, json={"body": "Informatieavond."}, headers=as_other)
    (posted,) = await outbox_events(client, "answer.posted", first.json()["id"])
    assert posted["data"]["author_id"] == str(helper) and posted["data"]["themes"] == ["energy"]

    detail = (await client.get(f"{BASE}/questions/{q['id']}")).json()
    assert detail["status"] == "answered" and detail["answer_count"] == 3 and len(detail["answers"]) == 3

    accept = f"{BASE}/answers/{first.json()['id']}/accept"
    assert (await client.post(accept)).status_code == 401
    assert (await client.post(accept, headers=as_helper)).status_code == 403
    assert (await client.post(accept, headers=token("operator"))).status_code == 403
    assert (await client.post(f"{BASE}/answers/{own.json()['id']}/accept", headers=as_asker)).status_code == 403
    assert (await client.post(f"{BASE}/answers/{uuid.uuid4()}/accept", headers=as_asker)).status_code == 404
    accepted = await client.post(accept, headers=as_asker)
    assert accepted.status_code == 200 and accepted.json()["accepted"] is True
    assert (await client.post(accept, headers=as_asker)).status_code == 409
    assert (await client.post(f"{BASE}/answers/{second.json()['id']}/accept", headers=as_asker)).status_code == 409
    (accepted_event,) = await outbox_events(client, "answer.accepted", first.json()["id"])
    assert accepted_event["data"]["asker_id"] == str(asker) and accepted_event["data"]["author_id"] == str(helper)
    detail = (await client.get(f"{BASE}/questions/{q['id']}")).json()
    assert detail["status"] == "resolved" and detail["accepted_answer_id"] == first.json()["id"]
    assert detail["answers"][0]["id"] == first.json()["id"]
    assert (await client.post(answers_url, json={"body": "Te laat."}, headers=as_other)).status_code == 409

    endorse = f"{BASE}/answers/{first.json()['id']}/endorsements"
    assert (await client.post(endorse, headers=as_helper)).status_code == 403
    endorsed = await client.post(endorse, headers=as_asker)
    assert endorsed.status_code == 201
    assert (await client.post(endorse, headers=as_asker)).status_code == 409
    (event,) = await outbox_events(client, "endorsement.added", endorsed.json()["id"])
    assert event["data"]["article_id"] is None and event["data"]["credited"] == [str(helper)]
    assert event["data"]["target_type"] == "answer" and event["data"]["themes"] == ["energy"]
    assert (await client.delete(f"{endorse}/me", headers=as_other)).status_code == 404
    assert (await client.delete(f"{endorse}/me", headers=as_asker)).status_code == 204

    listed = await client.get(f"{BASE}/questions", params={"collective_id": str(coop)})
    assert [i["id"] for i in listed.json()["items"]] == [q["id"]]
    assert (await client.get(f"{BASE}/questions", params={"status": "resolved", "theme": "energy"})).status_code == 200
    assert (await client.get(f"{BASE}/questions", params={"status": "nope"})).status_code == 422
    assert (await client.get(f"{BASE}/questions/{uuid.uuid4()}")).status_code == 404


async def test_closing_a_question(client, settings, token, redis):
    asker = await person(client, redis, settings)
    q = await client.post(
        f"{BASE}/questions", json={"title": "Sluit mij", "body": "Vraag"}, headers=token("contributor", sub=str(asker))
    )
    url = f"{BASE}/questions/{q.json()['id']}/close"
    assert (await client.post(url, headers=token("contributor"))).status_code == 403
    closed = await client.post(url, headers=token("contributor", sub=str(asker)))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert (await client.post(url, headers=token("operator"))).status_code == 409


async def test_reuse_reports_need_a_member_of_a_known_collective(client, settings, token, redis):
    author = await person(client, redis, settings)
    reporter = await person(client, redis, settings)
    coop = await collective(client, redis, settings, kind="village_cooperative")
    source = await collective(client, redis, settings)
    await member(client, redis, settings, coop, reporter)
    await member(client, redis, settings, coop, author)
    await member(client, redis, settings, source, author)
    created = await client.post(
        f"{BASE}/articles",
        json={
            "title": "Sjabloon dorpsplan",
            "body": "Tekst",
            "kind": "template",
            "themes": ["liveability"],
            "status": "published",
            "collective_id": str(source),
        },
        headers=token("contributor", sub=str(author)),
    )
    article_id = created.json()["id"]
    url = f"{BASE}/articles/{article_id}/reuses"
    report = {"collective_id": str(coop), "note": "Gebruikt voor ons dorpsplan"}
    assert (await client.post(url, json=report)).status_code == 401
    assert (await client.post(url, json=report, headers=token("contributor"))).status_code == 403
    assert (await client.post(url, json=report, headers=token("contributor", sub=str(author)))).status_code == 403
    unknown = {"collective_id": str(uuid.uuid4())}
    assert (await client.post(url, json=unknown, headers=token("operator"))).status_code == 422
    assert (await client.post(url, json=report | {"zz": 1}, headers=token("operator"))).status_code == 422
    assert (
        await client.post(f"{BASE}/articles/{uuid.uuid4()}/reuses", json=report, headers=token("operator"))
    ).status_code == 404
    reused = await client.post(url, json=report, headers=token("contributor", sub=str(reporter)))
    assert reused.status_code == 201 and reused.json()["reuse_count"] == 1
    assert (await client.post(url, json=report, headers=token("contributor", sub=str(reporter)))).status_code == 409
    (event,) = await outbox_events(client, "reuse.reported", reused.json()["id"])
    assert event["data"]["credited"] == [str(author)] and event["data"]["source_collective_id"] == str(source)
    assert event["data"]["reporter_id"] == str(reporter) and event["data"]["themes"] == ["liveability"]
    by_admin = await client.post(
        url, json={"collective_id": str(source)}, headers=token("collective_admin", collectives=[str(source)])
    )
    assert by_admin.status_code == 201 and by_admin.json()["reporter_id"] is None
    assert (await client.get(f"{BASE}/articles/{article_id}")).json()["reuse_count"] == 2
    gone = await collective(client, redis, settings, status="dissolved")
    dissolved = await client.post(url, json={"collective_id": str(gone)}, headers=token("operator"))
    assert dissolved.status_code == 409 and dissolved.json()["type"].endswith("collective-dissolved")
