"""Knowledge search over 100,000 articles: p50/p95 with facets through the service, next to the same FTS query in
raw SQL (asyncpg) in the same run, on the same database.

Three paths are timed, interleaved query by query so that noise hits them alike:

- raw:      the search statement (page + total + five facet counts in one statement) on one asyncpg connection,
            with the query already normalised — what a hand-written endpoint would send;
- function: `services.knowledge.search.run` on the service's SQLAlchemy session (normalisation, the statement,
            snippets, `did_you_mean` logic);
- route:    GET /knowledge/v1/search through the running app (ASGI, in process): FastAPI validation and
            serialisation on top.

The corpus is generated: a Zipf-distributed vocabulary of the Dutch words of the demo articles plus compounds made
from them (Dutch glues words together), so that some words are common and most are rare, as in real text; 10% of
the articles are English, 3% drafts or retracted. Queries are one or two words drawn log-uniformly from vocabulary
ranks 100–20,000, a quarter of them with a filter; queries for the very commonest words (ranks 20–100, matching a
large share of all articles) are reported apart. Every match is visited and counted into the facets (and ranked
when its title or summary holds a query word; the others score 0), so the time grows with the number of matches:
the figures are also given per band of matches.

    python -m bench.search [--articles 100000] [--queries 300]

It uses ONDEROP_DATABASE_URL / ONDEROP_REDIS_URL when set, else servers on 127.0.0.1:5432/6379, else embedded ones.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import re
import statistics
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx

from bench.common import bench_servers, percentile
from services.knowledge import search, store
from services.knowledge.demo_content import DEMO_ARTICLES
from services.knowledge.domain.spelling import MAX_TERM_LENGTH, MIN_TERM_LENGTH
from services.knowledge.domain.text import search_document, search_query
from shared import migrations
from shared.auth import generate_key_pair
from shared.contracts.vocabulary import CollectiveKind, Stage, Theme
from shared.db import asyncpg_dsn
from shared.settings import Settings

KINDS = ["guide", "template", "case_study", "tool", "checklist", "regulation_explainer"]
THEMES = [t.value for t in Theme]
COLLECTIVE_KINDS = [k.value for k in CollectiveKind]
STAGES = [s.value for s in Stage]
COMPOUNDS = 40_000
LIMIT = 20

STAGING = """
CREATE UNLOGGED TABLE knowledge.bench_staging (
    id uuid, part int, slug text, title text, summary text, body text, kind text, themes varchar[],
    collective_kinds varchar[], stages varchar[], language text, status text, published_at timestamptz,
    endorsement_count int, reuse_count int, doc_title text, doc_summary text, doc_body text, themes_mask int,
    collective_kinds_mask int, stages_mask int)
"""
FILL_ARTICLES = """
INSERT INTO knowledge.articles (id, slug, title, summary, body, body_html, plain_text, kind, themes, collective_kinds,
    stages, language, license, status, revision, version, endorsement_count, reuse_count, published_at, created_at,
    updated_at)
SELECT id, slug, title, summary, body, '<p>' || body || '</p>', body, kind, themes, collective_kinds, stages,
    language, 'CC-BY-SA-4.0', status, 1, 1, endorsement_count, reuse_count, published_at, published_at, published_at
FROM knowledge.bench_staging WHERE part = $1
"""
# The same vectors as services.knowledge.store.search_vectors, from the same application-normalised text.
FILL_ENTRIES = """
INSERT INTO knowledge.search_entries (article_id, language, kind, themes_mask, collective_kinds_mask, stages_mask,
    published_at, search_vector, rank_vector)
SELECT id, language, kind, themes_mask, collective_kinds_mask, stages_mask, published_at,
    h.head || setweight(to_tsvector(c.cfg, doc_body), 'C'), h.head
FROM knowledge.bench_staging,
    LATERAL (SELECT CASE language WHEN 'en' THEN 'english'::regconfig ELSE 'dutch'::regconfig END AS cfg) c,
    LATERAL (SELECT setweight(to_tsvector(c.cfg, doc_title), 'A') || setweight(to_tsvector(c.cfg, doc_summary), 'B')
        AS head) h
WHERE part = $1 AND status = 'published'
"""


# --- the corpus ---------------------------------------------------------------------------------------------------


def base_words(language: str) -> list[str]:
    counts: Counter[str] = Counter()
    for item in DEMO_ARTICLES:
        if item.language == language:
            counts.update(w for w in re.findall(r"[^\W\d_]+", f"{item.title} {item.summary} {item.body}".lower()))
    return [w for w, _ in counts.most_common() if len(w) >= 2]


def vocabulary(language: str, rng: random.Random, compounds: int) -> list[str]:
    """Words by rank: the demo words by frequency, then compounds of them."""
    words = base_words(language)
    long_words = [w for w in words if len(w) >= 4]
    seen = set(words)
    made: list[str] = []
    while len(made) < compounds:
        word = rng.choice(long_words) + rng.choice(long_words)
        if word not in seen and len(word) <= 30:
            seen.add(word)
            made.append(word)
    return words + made


def zipf_cumulative(size: int, exponent: float = 1.0) -> list[float]:
    total, cumulative = 0.0, []
    for rank in range(1, size + 1):
        total += 1 / rank**exponent
        cumulative.append(total)
    return cumulative


def sentence(rng: random.Random, words: list[str], cumulative: list[float], n: int) -> list[str]:
    return rng.choices(words, cum_weights=cumulative, k=n)


def generate(count: int, seed: int = 2026):
    rng = random.Random(seed)
    languages = {}
    for language, compounds in (("nl", COMPOUNDS), ("en", COMPOUNDS // 8)):
        words = vocabulary(language, rng, compounds)
        normalised = {w: search_document(w, language=language) for w in words}
        languages[language] = (words, zipf_cumulative(len(words)), normalised)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    for number in range(count):
        language = "en" if rng.random() < 0.1 else "nl"
        words, cumulative, normalised = languages[language]
        title = sentence(rng, words, cumulative, rng.randint(4, 8))
        summary = sentence(rng, words, cumulative, rng.randint(15, 30))
        body = sentence(rng, words, cumulative, rng.randint(100, 180))
        status = "published" if rng.random() < 0.97 else rng.choice(["draft", "retracted"])
        themes = rng.sample(THEMES, rng.randint(1, 3))
        collective_kinds = rng.sample(COLLECTIVE_KINDS, rng.randint(0, 3))
        stages = rng.sample(STAGES, rng.randint(0, 2))
        yield (
            uuid.UUID(int=rng.getrandbits(128), version=4),
            number % 2,
            f"artikel-{number}",
            " ".join(title).capitalize(),
            " ".join(summary).capitalize() + ".",
            " ".join(body).capitalize() + ".",
            rng.choice(KINDS),
            themes,
            collective_kinds,
            stages,
            language,
            status,
            start + timedelta(minutes=number * 13),
            int(rng.paretovariate(2)) - 1,
            int(rng.paretovariate(3)) - 1,
            " ".join(normalised[w] for w in title),
            " ".join(normalised[w] for w in summary),
            " ".join(normalised[w] for w in body),
            store.mask(themes, store.THEME_BITS),
            store.mask(collective_kinds, store.COLLECTIVE_KIND_BITS),
            store.mask(stages, store.STAGE_BITS),
        )


async def load(dsn: str, count: int) -> tuple[float, Counter[str]]:
    started = time.perf_counter()
    records = list(generate(count))
    generated = time.perf_counter() - started
    terms: Counter[str] = Counter()
    for record in records:
        if record[11] == "published":
            terms.update(
                {
                    w
                    for w in f"{record[15]} {record[16]}".split()
                    if MIN_TERM_LENGTH <= len(w) <= MAX_TERM_LENGTH and w.isalpha()
                }
            )
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DROP INDEX knowledge.ix_search_entries_search_vector")
        await conn.execute(STAGING)
        await conn.copy_records_to_table("bench_staging", schema_name="knowledge", records=records)
        del records
        await asyncio.gather(*(_fill(dsn, part) for part in (0, 1)))
        await conn.execute("SET maintenance_work_mem = '512MB'")
        await conn.execute(
            "CREATE INDEX ix_search_entries_search_vector ON knowledge.search_entries USING gin (search_vector)"
        )
        await conn.execute("DROP TABLE knowledge.bench_staging")
        await conn.copy_records_to_table(
            "search_terms",
            schema_name="knowledge",
            records=[(term, len(term), n) for term, n in terms.items()],
        )
        await conn.execute("VACUUM ANALYZE knowledge.articles")
        await conn.execute("VACUUM ANALYZE knowledge.search_entries")
        await conn.execute("VACUUM ANALYZE knowledge.search_terms")
    finally:
        await conn.close()
    print(f"  generated in {generated:.1f}s; loaded {count} articles and {len(terms)} vocabulary words", flush=True)
    return time.perf_counter() - started, terms


async def _fill(dsn: str, part: int) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(FILL_ARTICLES, part)
        await conn.execute(FILL_ENTRIES, part)
    finally:
        await conn.close()


# --- queries ------------------------------------------------------------------------------------------------------


def queries(n: int, ranks: tuple[int, int], seed: int = 7) -> list[tuple[str, store.SearchFilters]]:
    rng = random.Random(seed)
    words = vocabulary("nl", random.Random(2026), COMPOUNDS)  # the same ranking as the corpus
    low, high = ranks
    chosen = []
    while len(chosen) < n:

        def draw() -> str:
            return words[int(math.exp(rng.uniform(math.log(low), math.log(high)))) - 1]

        text = draw() if rng.random() < 0.6 else f"{draw()} {draw()}"
        if len(search_query(text)) < 3:
            continue
        roll = rng.random()
        filters = store.SearchFilters()
        if roll < 0.1:
            filters = store.SearchFilters(kind=rng.choice(KINDS))
        elif roll < 0.2:
            filters = store.SearchFilters(theme=rng.choice(THEMES))
        elif roll < 0.25:
            filters = store.SearchFilters(language="nl")
        chosen.append((text, filters))
    return chosen


def positional(sql: str, names: list[str]) -> str:
    return re.sub(r"(?<!:):([a-z_]+)\b", lambda m: f"${names.index(m.group(1)) + 1}", sql)


class Raw:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def __call__(self, text: str, filters: store.SearchFilters, prepared: dict) -> int:
        sql, names, params = prepared[(text, filters)]
        rows = await self.conn.fetch(sql, *(params[name] for name in names))
        return sum(1 for row in rows if row["part"] == "hit")


def prepare_raw(text: str, filters: store.SearchFilters):
    sql = store.search_sql(filters, True)
    params = store.search_params(
        filters, search_query(text, language="nl"), search_query(text, language="en"), LIMIT, 0
    )
    names = list(dict.fromkeys(re.findall(r"(?<!:):([a-z_]+)\b", sql)))
    return positional(sql, names), names, params


async def measure(label: str, runner, items, prepared, repeat: int = 1) -> list[float]:
    timings = []
    for _ in range(repeat):
        for text, filters in items:
            started = time.perf_counter()
            await runner(text, filters, prepared)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def figures(name: str, timings: list[float]) -> tuple[float, float]:
    p50, p95 = statistics.median(timings), percentile(timings, 95)
    print(f"  {name:<34} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   (n={len(timings)})", flush=True)
    return p50, p95


BUCKETS = ((0, 1_000), (1_000, 5_000), (5_000, 10_000), (10_000, 10**9))


def by_matches(timings: dict[str, list[float]], matches: list[int]) -> None:
    """p95 per path for queries grouped by how many articles they match: the cost grows with the matches, since
    every match is visited and counted into the facets."""
    for low, high in BUCKETS:
        chosen = [i for i, m in enumerate(matches) if low <= m < high]
        if not chosen:
            continue
        cells = []
        for name in ("raw", "function", "route"):
            values = [timings[name][i] for i in chosen]
            cells.append(f"{name} p50 {statistics.median(values):6.2f} p95 {percentile(values, 95):6.2f}")
        label = f"{low:,}–{high:,}" if high < 10**9 else f"≥ {low:,}"
        print(f"    matches {label:<14} n={len(chosen):<4} " + " | ".join(cells), flush=True)


async def run(articles: int, count: int) -> int:
    _private, public = generate_key_pair()
    async with bench_servers(schemas=("knowledge",)) as servers:
        settings = Settings(
            environment="test",
            database_url=servers.admin_url,
            redis_url=servers.redis_url,
            stream_namespace=f"bench-{uuid.uuid4().hex[:8]}",
            jwt_public_key=public,
            log_json=False,
            log_level="WARNING",
        )
        url = settings.service_database_url("knowledge")
        await asyncio.to_thread(migrations.upgrade, "knowledge", url)
        print(f"seeding {articles} articles …", flush=True)
        seconds, _ = await load(asyncpg_dsn(url), articles)
        print(f"  seeding took {seconds:.1f}s", flush=True)

        from services.knowledge.app import build

        app = build(settings)
        async with app.router.lifespan_context(app):
            runtime = app.state.runtime
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                conn = await asyncpg.connect(asyncpg_dsn(url))
                try:
                    raw = Raw(conn)

                    async def function(text, filters, _prepared):
                        async with search.reader(runtime.engine) as connection:
                            return await search.run(connection, text, filters, limit=LIMIT, offset=0)

                    async def route(text, filters, _prepared):
                        params = {"q": text, "limit": LIMIT} | {k: v for k, v in vars(filters).items() if v is not None}
                        response = await client.get("/knowledge/v1/search", params=params)
                        assert response.status_code == 200, response.text
                        return response

                    result = 0
                    for title, ranks, n in (
                        ("typical queries (ranks 100-20,000)", (100, 20_000), count),
                        ("head words (ranks 20-100)", (20, 100), max(count // 5, 20)),
                    ):
                        items = queries(n, ranks)
                        prepared = {(t, f): prepare_raw(t, f) for t, f in items}
                        hits = []
                        for text, filters in items:  # warm caches and prepared statements; count the matches
                            await raw(text, filters, prepared)
                            await function(text, filters, prepared)
                            hits.append((await route(text, filters, prepared)).json()["total"])
                        timings: dict[str, list[float]] = {"raw": [], "function": [], "route": []}
                        for index, item in enumerate(items):
                            order = [("raw", raw), ("function", function), ("route", route)]
                            for name, runner in order[index % 3 :] + order[: index % 3]:
                                timings[name] += await measure(name, runner, [item], prepared)
                        print(f"{title}: {n} queries, median matches {statistics.median(hits):.0f}")
                        raw_p50, raw_p95 = figures("raw SQL (asyncpg)", timings["raw"])
                        fn_p50, fn_p95 = figures("service search function", timings["function"])
                        rt_p50, rt_p95 = figures("service route GET /search", timings["route"])
                        by_matches(timings, hits)
                        print(
                            f"  ratio raw/service (p50, p95): function {raw_p50 / fn_p50:.2f}, {raw_p95 / fn_p95:.2f}"
                            f"; route {raw_p50 / rt_p50:.2f}, {raw_p95 / rt_p95:.2f}",
                            flush=True,
                        )
                        if ranks == (100, 20_000):
                            ok = raw_p95 / fn_p95 >= 0.8 and fn_p95 <= 30
                            print(f"  target (function ≥ 0.8× raw at p95, p95 ≤ 30 ms): {'met' if ok else 'MISSED'}")
                            result = 0 if ok else 1
                    typo_items = [("energiecooperatei", store.SearchFilters()), ("subsidei", store.SearchFilters())]
                    typo = await measure("typo", function, typo_items * 10, {})
                    figures("typo fallback (did_you_mean)", typo)
                finally:
                    await conn.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    return asyncio.run(run(args.articles, args.queries))


if __name__ == "__main__":
    raise SystemExit(main())
