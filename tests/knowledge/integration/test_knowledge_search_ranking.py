"""The search statement against a plain reference: every match ranked with ts_rank_cd(rank_vector, query, 32) and
ordered by (score DESC, published_at DESC, id), counted into the total and the facets one by one.

The statement only calls ts_rank_cd where the title or summary holds one of the query's lexemes (every other match
scores 0); these tests hold it to the same page, order, scores, ties, total and facets as ranking every match, for
AND, OR (nl || en and `or`), negated and phrase queries, with filters and paging.
"""

import random
import uuid
from datetime import UTC, datetime

import pytest
from knowledge_helpers import person
from redis.asyncio import Redis
from sqlalchemy import text

from services.knowledge import search, store
from services.knowledge.domain.text import search_query

pytestmark = pytest.mark.integration

BASE = "/knowledge/v1"
KINDS = ["guide", "template", "case_study"]
THEMES = ["energy", "care", "food", "housing"]
STAGES = ["idea", "startup", "growth"]

REFERENCE_TSQUERY = {
    None: "(websearch_to_tsquery('dutch', :q) || websearch_to_tsquery('english', :q_en))",
    "nl": "websearch_to_tsquery('dutch', :q)",
    "en": "websearch_to_tsquery('english', :q_en)",
}
REFERENCE_FILTERS = {
    "kind": "e.kind = :kind",
    "theme": "e.themes_mask & :theme_bit <> 0",
    "stage": "e.stages_mask & :stage_bit <> 0",
    "language": "e.language = :language",
}


@pytest.fixture(scope="module")
async def corpus(client, settings, token):
    """Forty articles over six made-up words (unique to this run), in Dutch and English, with two publication
    times only, so that equal scores and equal times are common and the id decides."""
    redis = Redis.from_url(settings.redis_url)
    try:
        author = await person(client, redis, settings)
    finally:
        await redis.aclose()
    headers = token("contributor", sub=str(author))
    tag = uuid.uuid4().hex[:6]
    words = [f"{stem}{tag}" for stem in ("zonnedak", "buurthuis", "moestuin", "windmolen", "deelauto", "kas")]
    rng = random.Random(4)
    ids = []
    for n in range(40):

        def some(k: int) -> str:
            return " ".join(rng.choice([*words, "de", "een", "samen", "plan"]) for _ in range(k))

        payload = {
            "title": f"Artikel {n} {some(rng.randint(0, 3))}",
            "summary": some(rng.randint(0, 6)),
            "body": f"{some(rng.randint(1, 30))}.",
            "kind": rng.choice(KINDS),
            "themes": rng.sample(THEMES, rng.randint(1, 2)),
            "stages": rng.sample(STAGES, rng.randint(0, 2)),
            "language": "en" if n % 5 == 0 else "nl",
            "status": "published",
        }
        response = await client.post(f"{BASE}/articles", json=payload, headers=headers)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    engine = client.app.state.runtime.engine
    async with engine.begin() as connection:
        for n, article_id in enumerate(ids):
            moment = datetime(2025, 1, 1 + n % 2, tzinfo=UTC)
            await connection.execute(
                text("UPDATE knowledge.search_entries SET published_at = :moment WHERE article_id = :id"),
                {"moment": moment, "id": article_id},
            )
    return words


async def reference(connection, q: str, filters: store.SearchFilters) -> list:
    conditions = "".join(f" AND {REFERENCE_FILTERS[name]}" for name, value in vars(filters).items() if value)
    sql = f"""
        SELECT e.article_id, ts_rank_cd(e.rank_vector, q.query, 32) AS score, e.kind, e.language, e.themes_mask,
            e.collective_kinds_mask, e.stages_mask
        FROM (SELECT {REFERENCE_TSQUERY[filters.language]} AS query) q, knowledge.search_entries e
        WHERE e.search_vector @@ q.query {conditions}
        ORDER BY score DESC, e.published_at DESC, e.article_id
    """
    params = store.search_params(filters, search_query(q, language="nl"), search_query(q, language="en"), 1, 0)
    return (await connection.execute(text(sql), params)).all()


def reference_facets(rows) -> dict[str, dict[str, int]]:
    facets: dict[str, dict[str, int]] = {name: {} for name in store.FACETS}
    for row in rows:
        facets["kind"][row.kind] = facets["kind"].get(row.kind, 0) + 1
        facets["language"][row.language] = facets["language"].get(row.language, 0) + 1
        for column, (facet, bits) in store.MASK_FACETS.items():
            for value, bit in bits.items():
                if getattr(row, column) & bit:
                    facets[facet][value] = facets[facet].get(value, 0) + 1
    return facets


async def test_the_page_order_scores_total_and_facets_equal_ranking_every_match(client, corpus):
    a, b, c, d, e, f = corpus
    queries = [
        a,
        f"{a} {b}",
        f"{a} or {b}",
        f"{a} -{b}",
        f"-{a} {c}",
        f'"{a} {b}"',
        f'"{c} {d}" or {e}',
        f"{b} or {c} -{d}",
        f"{f} samen",
        f"{a} {b} {c} or {d} {e}",
    ]
    filter_sets = [
        store.SearchFilters(),
        store.SearchFilters(kind="guide"),
        store.SearchFilters(theme="energy"),
        store.SearchFilters(language="nl"),
        store.SearchFilters(language="en", stage="idea"),
    ]
    compared = ranked_below_zero = 0
    async with search.reader(client.app.state.runtime.engine) as connection:
        for q in queries:
            for filters in filter_sets:
                expected = await reference(connection, q, filters)
                expected_facets = reference_facets(expected)
                for limit, offset in ((100, 0), (4, 0), (4, 4), (3, 10)):
                    rows = await store.search_rows(
                        connection,
                        filters,
                        search_query(q, language="nl"),
                        search_query(q, language="en"),
                        limit=limit,
                        offset=offset,
                    )
                    page = expected[offset : offset + limit]
                    assert [(uuid.UUID(h["id"]), h["score"]) for h in rows.hits] == [
                        (row.article_id, pytest.approx(row.score, rel=1e-6)) for row in page
                    ], (q, filters, limit, offset)
                    assert rows.total == len(expected), (q, filters)
                    assert {k: v for k, v in rows.facets.items() if v} == {
                        k: v for k, v in expected_facets.items() if v
                    }, (q, filters)
                    compared += 1
                ranked_below_zero += sum(1 for row in expected if row.score == 0)
    assert compared == len(queries) * len(filter_sets) * 4
    assert ranked_below_zero > 0  # matches in the body only, which the statement scores 0 without ranking them


async def test_only_documents_without_any_query_lexeme_are_left_unranked(client, corpus):
    """Over every search entry (not only the matches): the statement's score equals ts_rank_cd."""
    a, b, c, *_ = corpus
    sql = f"""
        WITH {store.QUERY_CTE.format(tsquery=REFERENCE_TSQUERY[None])}
        SELECT count(*) FILTER (WHERE ({store.RANK_SCORE}) <> ts_rank_cd(e.rank_vector, q.query, 32)) AS differ,
            count(*) FILTER (WHERE ts_rank_cd(e.rank_vector, q.query, 32) > 0) AS ranked
        FROM q, knowledge.search_entries e
    """
    async with search.reader(client.app.state.runtime.engine) as connection:
        for q in (a, f"{a} {b}", f"{a} -{b}", f"-{a}", f'"{a} {b}" or {c}', f"{a} or -{b}"):
            params = {"q": search_query(q, language="nl"), "q_en": search_query(q, language="en")}
            differ, ranked = (await connection.execute(text(sql), params)).one()
            assert differ == 0, q
            assert ranked > 0 or q.startswith("-"), q


@pytest.mark.parametrize(
    ("query", "lexemes"),
    [
        ("'energie' & !'subsidie' & 'zon' <-> 'dak' | 'wind'", "'energie' | 'subsidie' | 'zon' | 'dak' | 'wind'"),
        ("'it''s' & 'a\\\\b'", "'it''s' | 'a\\\\b'"),
        ("'zon':*A & 'dak':B", "'zon':*A | 'dak':B"),
    ],
)
async def test_the_lexemes_of_a_query_are_read_back_with_quotes_escapes_and_weights(client, query, lexemes):
    cte = store.QUERY_CTE.format(tsquery="CAST(:raw AS tsquery)")
    sql = f"WITH {cte} SELECT any_lexeme = CAST(:expected AS tsquery) FROM q"
    async with search.reader(client.app.state.runtime.engine) as connection:
        assert (await connection.execute(text(sql), {"raw": query, "expected": lexemes})).scalar_one() is True
