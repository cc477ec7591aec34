import uuid

import pytest
from knowledge_helpers import person

pytestmark = pytest.mark.integration

BASE = "/knowledge/v1"


async def publish(client, headers, title, *, summary="", body="Tekst.", status="published", **extra) -> str:
    payload = {"title": title, "summary": summary, "body": body, "kind": "guide", "status": status} | extra
    response = await client.post(f"{BASE}/articles", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def found(client, q, **params) -> tuple[set[str], dict]:
    response = await client.get(f"{BASE}/search", params={"q": q, "limit": 100} | params)
    assert response.status_code == 200, response.text
    result = response.json()
    return {item["id"] for item in result["items"]}, result


async def test_dutch_compounds_accents_and_plurals_find_each_other(client, settings, token, redis):
    author = await person(client, redis, settings)
    headers = token("contributor", sub=str(author))
    tag = f"zonnewijk{uuid.uuid4().hex[:6]}"
    accented = await publish(client, headers, f"De energiecoöperatie van {tag}", themes=["energy"])
    plural = await publish(client, headers, f"Waarom energiecooperaties in {tag} groeien", kind="case_study")
    hyphenated = await publish(
        client, headers, f"Een Energie-coöperatie oprichten in {tag}", summary="Stappenplan", language="nl"
    )
    draft = await publish(client, headers, f"Concept over de energiecoöperatie {tag}", status="draft")
    ours = {accented, plural, hyphenated}

    for query in ("energiecoöperatie", "energiecooperaties", "Energie-coöperatie", "ENERGIECOOPERATIE"):
        ids, result = await found(client, f"{query} {tag}")
        assert ids == ours, query
        assert result["did_you_mean"] is None
    ids, result = await found(client, f"coöperatie {tag}")
    assert hyphenated in ids  # the parts of a hyphenated compound are indexed too
    assert draft not in ids

    ids, result = await found(client, tag)
    assert ids == ours
    assert result["total"] == 3
    assert result["facets"]["kind"] == {"guide": 2, "case_study": 1}
    assert result["facets"]["theme"] == {"energy": 1}
    assert result["facets"]["language"] == {"nl": 3}
    assert all(item["score"] > 0 for item in result["items"])
    assert [item["score"] for item in result["items"]] == sorted((i["score"] for i in result["items"]), reverse=True)
    kinds_only, filtered = await found(client, tag, kind="case_study")
    assert kinds_only == {plural} and filtered["facets"]["kind"] == {"case_study": 1}
    assert (await found(client, tag, language="en"))[0] == set()

    with_body = await publish(client, headers, f"Ledenwerving {tag}", body="Elke energie-coöperatie zoekt leden.")
    _, result = await found(client, f"energiecooperatie {tag}")
    snippet_of = {item["id"]: item["snippet"] for item in result["items"]}
    assert snippet_of[with_body] == "Elke <mark>energie-coöperatie</mark> zoekt leden."
    ours.add(with_body)

    retracted = await client.post(f"{BASE}/articles/{accented}/retract", headers=headers)
    assert retracted.status_code == 200
    assert (await found(client, tag))[0] == ours - {accented}


async def test_typos_are_corrected_from_the_title_vocabulary(client, settings, token, redis):
    author = await person(client, redis, settings)
    headers = token("contributor", sub=str(author))
    subsidy = await publish(client, headers, "Subsidie aanvragen voor je buurthuis", summary="Wat de gemeente vraagt")
    coop = await publish(client, headers, "Een energiecoöperatie beginnen met buren")

    ids, result = await found(client, "subsidei")
    assert result["did_you_mean"] == "subsidie"
    assert result["searched_for"] == "subsidie"
    assert subsidy in ids
    ids, result = await found(client, "energiecooperatei")
    assert result["did_you_mean"] == "energiecooperatie"
    assert coop in ids
    ids, result = await found(client, "qqqxyzzy")
    assert ids == set() and result["did_you_mean"] is None and result["total"] == 0


async def test_search_snippets_paging_and_errors(client, settings, token, redis):
    author = await person(client, redis, settings)
    headers = token("contributor", sub=str(author))
    tag = f"buurtmoestuin{uuid.uuid4().hex[:6]}"
    body = " ".join(["Vul de dagen met gewone woorden."] * 30) + f" Dan komt de {tag} met <b>tuinbonen</b> erbij."
    ids = [await publish(client, headers, f"Artikel {n} over een {tag}", body=body, language="nl") for n in range(3)]
    first = await client.get(f"{BASE}/search", params={"q": f"{tag} tuinbonen", "limit": 2})
    result = first.json()
    assert result["total"] == 3 and len(result["items"]) == 2 and result["next_cursor"]
    snippet = result["items"][0]["snippet"]
    # Markdown without raw HTML: the tag was text, and stays (escaped) text in the snippet
    assert "&lt;b&gt;<mark>tuinbonen</mark>&lt;/b&gt;" in snippet and "<b>" not in snippet
    assert snippet.startswith("…")
    second = await client.get(
        f"{BASE}/search", params={"q": f"{tag} tuinbonen", "limit": 2, "cursor": result["next_cursor"]}
    )
    assert len(second.json()["items"]) == 1 and second.json()["next_cursor"] is None
    seen = {i["id"] for i in result["items"]} | {i["id"] for i in second.json()["items"]}
    assert seen == set(ids)
    browse = await client.get(f"{BASE}/search")
    assert browse.status_code == 200 and browse.json()["items"][0]["score"] is None
    assert (await client.get(f"{BASE}/search", params={"cursor": "bogus"})).status_code == 422
    assert (await client.get(f"{BASE}/search", params={"kind": "poem"})).status_code == 422
    assert (await client.get(f"{BASE}/search", params={"q": "x" * 201})).status_code == 422
    odd = await client.get(f"{BASE}/search", params={"q": "\"'-!& | de"})
    assert odd.status_code == 200
