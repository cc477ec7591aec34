"""Every write route × every kind of caller → the expected status (the matrix in services/knowledge/api.py)."""

import pytest
from knowledge_helpers import collective, person

pytestmark = pytest.mark.integration

BASE = "/knowledge/v1"
ANY = {"If-Match": "*"}


async def test_authorisation_matrix(client, settings, token, redis):
    author = await person(client, redis, settings)
    stranger = await person(client, redis, settings)
    asker = await person(client, redis, settings)
    coop = await collective(client, redis, settings)
    callers = {
        "anonymous": {},
        "unregistered": token("contributor"),
        "stranger": token("contributor", sub=str(stranger)),
        "partner": token("partner"),
        "funder": token("funder"),
        "admin": token("collective_admin"),
        "operator": token("operator"),
        "author": token("contributor", sub=str(author)),
        "asker": token("contributor", sub=str(asker)),
        "coop_admin": token("collective_admin", collectives=[str(coop)]),
    }
    seen: list[str] = []

    async def check(method: str, url: str, expected: dict[str, int], body: dict | None = None, extra=None):
        for caller, status in expected.items():
            headers = callers[caller] | (extra or {})
            response = await client.request(method, url, json=body, headers=headers)
            assert response.status_code == status, f"{method} {url} as {caller}: {response.status_code} {response.text}"
        seen.append(f"{method} {url.split('/')[3]}")

    def article(status="published") -> dict:
        return {"title": "Matrix", "body": "Tekst", "kind": "guide", "status": status, "authors": [str(author)]}

    denied = {"anonymous": 401, "unregistered": 403, "stranger": 403, "partner": 403, "funder": 403, "admin": 403}
    await check("POST", f"{BASE}/articles", denied | {"operator": 201, "author": 201}, article())

    published = (await client.post(f"{BASE}/articles", json=article(), headers=callers["author"])).json()["id"]
    drafts = [
        (await client.post(f"{BASE}/articles", json=article("draft"), headers=callers["author"])).json()["id"]
        for _ in range(2)
    ]
    hidden = denied | {"unregistered": 404, "stranger": 404, "partner": 404, "funder": 404, "admin": 404}
    await check(
        "PATCH", f"{BASE}/articles/{published}", denied | {"operator": 200, "author": 200}, {"summary": "x"}, ANY
    )
    await check(
        "PATCH", f"{BASE}/articles/{drafts[0]}", hidden | {"operator": 200, "author": 200}, {"summary": "x"}, ANY
    )
    await check("POST", f"{BASE}/articles/{drafts[0]}/publish", hidden | {"author": 200})
    await check("POST", f"{BASE}/articles/{drafts[1]}/publish", {"operator": 200})
    await check("POST", f"{BASE}/articles/{drafts[0]}/retract", denied | {"operator": 200})
    await check("POST", f"{BASE}/articles/{drafts[1]}/retract", {"author": 200})

    endorsements = f"{BASE}/articles/{published}/endorsements"
    not_a_person = {"anonymous": 401, "unregistered": 403, "partner": 403, "funder": 403, "admin": 403, "operator": 403}
    await check("POST", endorsements, not_a_person | {"author": 403, "stranger": 201})
    await check("DELETE", f"{endorsements}/me", {"anonymous": 401, "partner": 403, "asker": 404, "stranger": 204})

    reuse = {"collective_id": str(coop)}
    await check(
        "POST",
        f"{BASE}/articles/{published}/reuses",
        denied | {"asker": 403, "author": 403, "coop_admin": 201, "operator": 409},
        reuse,
    )

    question = {"title": "Matrixvraag", "body": "?"}
    await check("POST", f"{BASE}/questions", not_a_person | {"asker": 201}, question)
    asked = (await client.post(f"{BASE}/questions", json=question, headers=callers["asker"])).json()["id"]
    answers = f"{BASE}/questions/{asked}/answers"
    await check("POST", answers, not_a_person | {"stranger": 201}, {"body": "Antwoord"})
    answer = (await client.post(answers, json={"body": "Van de auteur"}, headers=callers["author"])).json()["id"]
    await check("POST", f"{BASE}/answers/{answer}/endorsements", not_a_person | {"author": 403, "asker": 201})
    await check("DELETE", f"{BASE}/answers/{answer}/endorsements/me", {"anonymous": 401, "stranger": 404, "asker": 204})
    accept_denied = {"anonymous": 401, "unregistered": 403, "stranger": 403, "partner": 403, "operator": 403}
    await check("POST", f"{BASE}/answers/{answer}/accept", accept_denied | {"author": 403, "asker": 200})
    close_denied = {"anonymous": 401, "unregistered": 403, "stranger": 403, "partner": 403, "author": 403}
    await check("POST", f"{BASE}/questions/{asked}/close", close_denied | {"operator": 409})
    other = (await client.post(f"{BASE}/questions", json=question, headers=callers["asker"])).json()["id"]
    await check("POST", f"{BASE}/questions/{other}/close", close_denied | {"operator": 200})

    assert len(seen) == 17
