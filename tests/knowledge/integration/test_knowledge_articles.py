import uuid

import pytest
from knowledge_helpers import collective, member, outbox_events, person

pytestmark = pytest.mark.integration

BASE = "/knowledge/v1"


def article(**overrides) -> dict:
    return {
        "title": f"Handleiding buurtbatterij {uuid.uuid4().hex[:6]}",
        "summary": "Hoe een buurt samen een batterij beheert.",
        "body": "## Stap 1\n\nBegin met <script>alert(1)</script> een **kernteam**.\n\n[link](javascript:alert(1))",
        "kind": "guide",
        "themes": ["energy"],
        "collective_kinds": ["energy_cooperative"],
        "stages": ["startup"],
    } | overrides


async def test_article_lifecycle_with_revisions_and_events(client, settings, token, redis):
    author = await person(client, redis, settings, "Anke Auteur")
    headers = token("contributor", sub=str(author))
    created = await client.post(f"{BASE}/articles", json=article(), headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    article_id = body["id"]
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"{BASE}/articles/{article_id}"
    assert body["status"] == "draft" and body["revision"] == 1
    assert body["authors"] == [{"contributor_id": str(author), "display_name": "Anke Auteur"}]
    assert "<script" not in body["body_html"] and 'href="javascript' not in body["body_html"]
    assert "<strong>kernteam</strong>" in body["body_html"]
    assert body["license"] == "CC-BY-SA-4.0"

    # a draft is visible to its authors and operators only
    assert (await client.get(f"{BASE}/articles/{article_id}")).status_code == 404
    assert (await client.get(f"{BASE}/articles/{article_id}", headers=token("contributor"))).status_code == 404
    assert (await client.get(f"{BASE}/articles/{article_id}", headers=headers)).status_code == 200
    assert (await client.get(f"{BASE}/articles/{article_id}", headers=token("operator"))).status_code == 200
    assert (await client.get(f"{BASE}/articles/{article_id}/revisions")).status_code == 404

    patch = {"summary": "Nieuwe samenvatting"}
    assert (await client.patch(f"{BASE}/articles/{article_id}", json=patch, headers=headers)).status_code == 428
    stale = await client.patch(f"{BASE}/articles/{article_id}", json=patch, headers=headers | {"If-Match": '"7"'})
    assert stale.status_code == 412
    revised = await client.patch(f"{BASE}/articles/{article_id}", json=patch, headers=headers | {"If-Match": '"1"'})
    assert revised.status_code == 200, revised.text
    assert revised.json()["revision"] == 2 and revised.headers["etag"] == '"2"'
    bad = await client.patch(f"{BASE}/articles/{article_id}", json={"title": None}, headers=headers | {"If-Match": "*"})
    assert bad.status_code == 422
    unknown_field = await client.patch(
        f"{BASE}/articles/{article_id}", json={"zz": 1}, headers=headers | {"If-Match": "*"}
    )
    assert unknown_field.status_code == 422
    assert await outbox_events(client, "article.revised", article_id) == []  # drafts are not announced

    published = await client.post(f"{BASE}/articles/{article_id}/publish", headers=headers)
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert published.json()["published_at"] is not None
    assert (await client.post(f"{BASE}/articles/{article_id}/publish", headers=headers)).status_code == 409
    public = await client.get(f"{BASE}/articles/{article_id}")
    assert public.status_code == 200 and public.json()["summary"] == "Nieuwe samenvatting"

    second = await client.patch(
        f"{BASE}/articles/{article_id}",
        json={"body": "Nieuwe tekst", "themes": ["energy", "local_economy"]},
        headers=headers | {"If-Match": public.headers["etag"]},
    )
    assert second.status_code == 200 and second.json()["revision"] == 3
    revisions = (await client.get(f"{BASE}/articles/{article_id}/revisions", headers=headers)).json()["items"]
    assert [r["revision"] for r in revisions] == [3, 2, 1]
    assert revisions[0]["changed_fields"] == ["body", "themes"] and revisions[0]["editor_id"] == str(author)
    assert revisions[2]["body"].startswith("## Stap 1")
    # everyone else sees the text as it was published (the last draft revision) and what came after
    public_revisions = (await client.get(f"{BASE}/articles/{article_id}/revisions")).json()["items"]
    assert [r["revision"] for r in public_revisions] == [3, 2]
    operator_view = await client.get(f"{BASE}/articles/{article_id}/revisions", headers=token("operator"))
    assert [r["revision"] for r in operator_view.json()["items"]] == [3, 2, 1]
    paged = await client.get(f"{BASE}/articles/{article_id}/revisions", params={"limit": 2}, headers=headers)
    assert len(paged.json()["items"]) == 2 and paged.json()["next_cursor"]
    rest = await client.get(
        f"{BASE}/articles/{article_id}/revisions", params={"cursor": paged.json()["next_cursor"]}, headers=headers
    )
    assert [r["revision"] for r in rest.json()["items"]] == [1]

    retracted = await client.post(f"{BASE}/articles/{article_id}/retract", headers=headers)
    assert retracted.status_code == 200 and retracted.json()["status"] == "retracted"
    assert (await client.post(f"{BASE}/articles/{article_id}/retract", headers=headers)).status_code == 409
    assert (await client.post(f"{BASE}/articles/{article_id}/publish", headers=headers)).status_code == 409
    assert (await client.get(f"{BASE}/articles/{article_id}")).status_code == 404
    again = await client.patch(f"{BASE}/articles/{article_id}", json=patch, headers=headers | {"If-Match": "*"})
    assert again.status_code == 409

    (published_event,) = await outbox_events(client, "article.published", article_id)
    assert published_event["data"]["authors"] == [str(author)]
    assert published_event["sequence"] == 3
    (revised_event,) = await outbox_events(client, "article.revised", article_id)
    assert revised_event["data"]["revision"] == 3 and revised_event["data"]["revised_by"] == str(author)
    (retracted_event,) = await outbox_events(client, "article.retracted", article_id)
    assert retracted_event["data"]["status"] == "retracted"


async def test_creating_articles_checks_authors_and_collective(client, settings, token, redis):
    author = await person(client, redis, settings)
    coauthor = await person(client, redis, settings, "Bert Coauteur")
    headers = token("contributor", sub=str(author))
    assert (await client.post(f"{BASE}/articles", json=article())).status_code == 401
    assert (await client.post(f"{BASE}/articles", json=article(), headers=token("partner"))).status_code == 403
    stranger = uuid.uuid4()
    missing = await client.post(f"{BASE}/articles", json=article(), headers=token("contributor", sub=str(stranger)))
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "authors"
    not_me = await client.post(f"{BASE}/articles", json=article(authors=[str(coauthor)]), headers=headers)
    assert not_me.status_code == 403
    unknown = await client.post(f"{BASE}/articles", json=article(collective_id=str(uuid.uuid4())), headers=headers)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "collective_id"
    invalid = await client.post(f"{BASE}/articles", json=article(kind="poem", language="de"), headers=headers)
    assert {e["field"] for e in invalid.json()["errors"]} == {"kind", "language"}

    both = await client.post(
        f"{BASE}/articles",
        json=article(authors=[str(author), str(coauthor)], status="published", language="en"),
        headers=headers,
    )
    assert both.status_code == 201 and both.json()["status"] == "published"
    assert [a["display_name"] for a in both.json()["authors"]][1] == "Bert Coauteur"
    (event,) = await outbox_events(client, "article.published", both.json()["id"])
    assert event["data"]["authors"] == [str(author), str(coauthor)]

    by_operator = await client.post(
        f"{BASE}/articles", json=article(authors=[str(coauthor)]), headers=token("operator")
    )
    assert by_operator.status_code == 201
    no_authors = await client.post(f"{BASE}/articles", json=article(), headers=token("operator"))
    assert no_authors.status_code == 422

    # the co-author may edit; someone else may not; an author may not drop themself
    article_id = both.json()["id"]
    as_coauthor = token("contributor", sub=str(coauthor))
    edit = await client.patch(
        f"{BASE}/articles/{article_id}", json={"summary": "Van Bert"}, headers=as_coauthor | {"If-Match": "*"}
    )
    assert edit.status_code == 200
    other = await client.patch(
        f"{BASE}/articles/{article_id}", json={"summary": "x"}, headers=token("contributor") | {"If-Match": "*"}
    )
    assert other.status_code == 403
    drop_self = await client.patch(
        f"{BASE}/articles/{article_id}", json={"authors": [str(author)]}, headers=as_coauthor | {"If-Match": "*"}
    )
    assert drop_self.status_code == 422
    swap = await client.patch(
        f"{BASE}/articles/{article_id}",
        json={"authors": [str(coauthor)]},
        headers=token("operator") | {"If-Match": "*"},
    )
    assert swap.status_code == 200 and [a["contributor_id"] for a in swap.json()["authors"]] == [str(coauthor)]
    assert (await client.get(f"{BASE}/articles/{uuid.uuid4()}")).status_code == 404
    assert (await client.get(f"{BASE}/articles/not-a-uuid")).status_code == 422

    assert (await client.get(f"{BASE}/articles", params={"mine": "true"})).status_code == 401
    mine = await client.get(f"{BASE}/articles", params={"mine": "true"}, headers=as_coauthor)
    assert {i["id"] for i in mine.json()["items"]} >= {article_id, by_operator.json()["id"]}
    listed = await client.get(f"{BASE}/articles", params={"author_id": str(coauthor)})
    assert {i["id"] for i in listed.json()["items"]} == {article_id}


async def test_endorsements_of_articles(client, settings, token, redis):
    author = await person(client, redis, settings)
    reader = await person(client, redis, settings)
    created = await client.post(
        f"{BASE}/articles", json=article(status="published"), headers=token("contributor", sub=str(author))
    )
    article_id = created.json()["id"]
    url = f"{BASE}/articles/{article_id}/endorsements"
    assert (await client.post(url)).status_code == 401
    assert (await client.post(url, headers=token("contributor", sub=str(author)))).status_code == 403
    assert (await client.post(url, headers=token("contributor"))).status_code == 403  # not registered
    assert (await client.post(url, headers=token("operator"))).status_code == 403  # not a person
    assert (
        await client.post(f"{BASE}/articles/{uuid.uuid4()}/endorsements", headers=token("contributor"))
    ).status_code == 404
    as_reader = token("contributor", sub=str(reader))
    first = await client.post(url, headers=as_reader)
    assert first.status_code == 201 and first.json()["endorsement_count"] == 1
    assert (await client.post(url, headers=as_reader)).status_code == 409
    assert (await client.get(f"{BASE}/articles/{article_id}")).json()["endorsement_count"] == 1

    endorsement_id = first.json()["id"]
    (added,) = await outbox_events(client, "endorsement.added", endorsement_id)
    assert added["data"]["credited"] == [str(author)]
    assert added["data"]["article_id"] == article_id and added["data"]["themes"] == ["energy"]
    assert added["data"]["endorser_id"] == str(reader)

    assert (await client.delete(f"{url}/me")).status_code == 401
    assert (await client.delete(f"{url}/me", headers=token("contributor"))).status_code == 404
    assert (await client.delete(f"{url}/me", headers=as_reader)).status_code == 204
    assert (await client.delete(f"{url}/me", headers=as_reader)).status_code == 404
    (withdrawn,) = await outbox_events(client, "endorsement.withdrawn", endorsement_id)
    assert withdrawn["data"]["credited"] == [str(author)] and withdrawn["sequence"] == 2
    assert (await client.get(f"{BASE}/articles/{article_id}")).json()["endorsement_count"] == 0
    again = await client.post(url, headers=as_reader)
    assert again.status_code == 201 and again.json()["id"] != endorsement_id

    draft = await client.post(f"{BASE}/articles", json=article(), headers=token("contributor", sub=str(author)))
    hidden = await client.post(f"{BASE}/articles/{draft.json()['id']}/endorsements", headers=as_reader)
    assert hidden.status_code == 404

    # after a retraction the endorser may still withdraw; nobody else finds anything to withdraw
    retract = await client.post(f"{BASE}/articles/{article_id}/retract", headers=token("contributor", sub=str(author)))
    assert retract.status_code == 200
    assert (await client.delete(f"{url}/me", headers=token("contributor", sub=str(author)))).status_code == 404
    assert (await client.delete(f"{url}/me", headers=as_reader)).status_code == 204
    assert len(await outbox_events(client, "endorsement.withdrawn", again.json()["id"])) == 1


async def test_only_members_write_on_behalf_of_a_collective(client, settings, token, redis):
    writer = await person(client, redis, settings)
    coop = await collective(client, redis, settings)
    as_writer = token("contributor", sub=str(writer))
    outsider = await client.post(f"{BASE}/articles", json=article(collective_id=str(coop)), headers=as_writer)
    assert outsider.status_code == 403 and outsider.headers["content-type"] == "application/problem+json"
    own = await client.post(f"{BASE}/articles", json=article(), headers=as_writer)
    claim = await client.patch(
        f"{BASE}/articles/{own.json()['id']}", json={"collective_id": str(coop)}, headers=as_writer | {"If-Match": "*"}
    )
    assert claim.status_code == 403

    await member(client, redis, settings, coop, writer)
    as_member = await client.post(f"{BASE}/articles", json=article(collective_id=str(coop)), headers=as_writer)
    assert as_member.status_code == 201 and as_member.json()["collective_id"] == str(coop)
    by_operator = await client.post(
        f"{BASE}/articles", json=article(collective_id=str(coop), authors=[str(writer)]), headers=token("operator")
    )
    assert by_operator.status_code == 201
