import uuid

import pytest
from knowledge_helpers import collective, person

pytestmark = pytest.mark.integration

BASE = "/knowledge/v1"


async def test_recommendations_fit_the_collective_and_skip_what_it_reused(client, settings, token, redis):
    author = await person(client, redis, settings)
    fans = [await person(client, redis, settings) for _ in range(2)]
    coop = await collective(client, redis, settings, kind="care_cooperative", stage="growth", themes=["care"])
    admin = token("collective_admin", collectives=[str(coop)])
    as_author = token("contributor", sub=str(author))

    async def publish(title, **extra):
        body = {"title": title, "body": "Tekst", "kind": "guide", "status": "published"} | extra
        response = await client.post(f"{BASE}/articles", json=body, headers=as_author)
        return response.json()["id"]

    tag = uuid.uuid4().hex[:6]
    exact = await publish(f"Zorg {tag}", collective_kinds=["care_cooperative"], stages=["growth"], themes=["care"])
    popular = await publish(
        f"Zorg populair {tag}", collective_kinds=["care_cooperative"], stages=["growth"], themes=["care"]
    )
    reused = await publish(f"Zorg hergebruikt {tag}", collective_kinds=["care_cooperative"], themes=["care"])
    unrelated = await publish(f"Energie {tag}", collective_kinds=["energy_cooperative"], themes=["energy"])
    for fan in fans:
        await client.post(f"{BASE}/articles/{popular}/endorsements", headers=token("contributor", sub=str(fan)))
    assert (
        await client.post(f"{BASE}/articles/{reused}/reuses", json={"collective_id": str(coop)}, headers=admin)
    ).status_code == 201

    asker = await person(client, redis, settings)
    open_question = await client.post(
        f"{BASE}/questions",
        json={"title": "Zorgvraag", "body": "?", "themes": ["care"]},
        headers=token("contributor", sub=str(asker)),
    )

    response = await client.get(f"{BASE}/recommendations", params={"collective_id": str(coop), "limit": 50})
    assert response.status_code == 200, response.text
    ids = [item["id"] for item in response.json()["articles"]]
    assert ids.index(popular) < ids.index(exact)
    assert reused not in ids and unrelated not in ids
    top = next(item for item in response.json()["articles"] if item["id"] == popular)
    assert "kind:care_cooperative" in top["reasons"] and "endorsements:2" in top["reasons"]
    assert open_question.json()["id"] in [q["id"] for q in response.json()["questions"]]

    assert (await client.get(f"{BASE}/recommendations", params={"collective_id": str(uuid.uuid4())})).status_code == 404
    assert (await client.get(f"{BASE}/recommendations")).status_code == 422


async def test_experts_by_expertise_and_accepted_answers(client, settings, token, redis):
    theme = "digital"
    declared = await person(client, redis, settings, "Dirk Digitaal", expertise=(theme,))
    proven = await person(client, redis, settings, "Petra Praktijk")
    asker = await person(client, redis, settings, "Anna Asker", expertise=(theme,))
    as_asker = token("contributor", sub=str(asker))
    earlier = await client.post(
        f"{BASE}/questions", json={"title": "Eerdere vraag", "body": "?", "themes": [theme]}, headers=as_asker
    )
    answer = await client.post(
        f"{BASE}/questions/{earlier.json()['id']}/answers",
        json={"body": "Zo"},
        headers=token("contributor", sub=str(proven)),
    )
    assert (await client.post(f"{BASE}/answers/{answer.json()['id']}/accept", headers=as_asker)).status_code == 200

    fresh = await client.post(
        f"{BASE}/questions", json={"title": "Nieuwe vraag", "body": "?", "themes": [theme]}, headers=as_asker
    )
    response = await client.get(f"{BASE}/questions/{fresh.json()['id']}/experts")
    assert response.status_code == 200
    items = response.json()["items"]
    ids = [i["contributor_id"] for i in items]
    assert str(declared) in ids and str(proven) in ids and str(asker) not in ids
    proven_item = next(i for i in items if i["contributor_id"] == str(proven))
    assert proven_item["display_name"] == "Petra Praktijk" and f"accepted_answers:{theme}:1" in proven_item["reasons"]
    assert (await client.get(f"{BASE}/questions/{uuid.uuid4()}/experts")).status_code == 404
