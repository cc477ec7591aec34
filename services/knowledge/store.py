"""Queries of the knowledge service. Nothing here commits: the route's or the handler's unit of work does, once."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Row,
    Select,
    Table,
    and_,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR, UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.knowledge.domain.markdown import markdown_to_text, render_markdown
from services.knowledge.domain.spelling import MAX_LENGTH_DIFFERENCE
from services.knowledge.domain.text import search_document, slugify
from services.knowledge.models import (
    answers,
    article_authors,
    article_revisions,
    articles,
    collectives,
    contributors,
    endorsements,
    memberships,
    questions,
    reuses,
    search_entries,
    search_terms,
)
from shared.contracts.vocabulary import CollectiveKind, Stage, Theme
from shared.http import conflict, decode_cursor, encode_cursor, invalid, not_found

TS_CONFIG = {"nl": "dutch", "en": "english"}

# --- generic helpers ------------------------------------------------------------------------------------------


async def fetch(session: AsyncSession, table: Table, **keys: Any) -> Row | None:
    condition = and_(*(table.c[name] == value for name, value in keys.items()))
    return (await session.execute(select(table).where(condition))).first()


async def fetch_or_404(session: AsyncSession, table: Table, what: str, **keys: Any) -> Row:
    row = await fetch(session, table, **keys)
    if row is None:
        raise not_found(what, "/".join(str(v) for v in keys.values()))
    return row


async def update_where(
    session: AsyncSession, table: Table, condition: ColumnElement[bool], values: Mapping[str, Any]
) -> Row | None:
    """A guarded change: the row comes back only when `condition` still held (version, status), else None."""
    statement = (
        update(table).where(condition).values(**values, version=table.c.version + 1, updated_at=func.now())
    ).returning(table)
    return (await session.execute(statement)).first()


def _parse_key(column: Column, value: str) -> Any:
    kind = column.type.python_type
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is uuid.UUID:
        return uuid.UUID(value)
    return kind(value)


async def keyset_page(
    session: AsyncSession,
    query: Select,
    keys: Sequence[Column],
    cursor: str | None,
    limit: int,
    *,
    descending: bool = False,
) -> tuple[list[Row], str | None]:
    """One page in the stable order of `keys` (the last one unique), and the cursor of the next page."""
    values = decode_cursor(cursor, len(keys))
    if values is not None:
        try:
            parsed = [_parse_key(key, value) for key, value in zip(keys, values, strict=True)]
        except (ValueError, TypeError) as exc:
            raise invalid("cursor", "not a cursor this service issued") from exc
        position = tuple_(*keys)
        query = query.where(position < tuple_(*parsed) if descending else position > tuple_(*parsed))
    query = query.order_by(*(key.desc() if descending else key for key in keys)).limit(limit + 1)
    rows = list((await session.execute(query)).all())
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor([rows[-1]._mapping[key.name] for key in keys])


# --- read models of the registry ------------------------------------------------------------------------------


async def upsert_collective(session: AsyncSession, values: dict[str, Any]) -> None:
    """Insert, or replace when the incoming version is newer than what is held (duplicates and stale events
    change nothing)."""
    statement = pg_insert(collectives).values(**values, updated_at=func.now())
    changed = {name: statement.excluded[name] for name in values if name != "id"}
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[collectives.c.id],
            set_=changed | {"updated_at": func.now()},
            where=collectives.c.version < statement.excluded.version,
        )
    )


async def upsert_contributor(session: AsyncSession, values: dict[str, Any]) -> None:
    statement = pg_insert(contributors).values(**values, status="active", updated_at=func.now())
    changed = {name: statement.excluded[name] for name in values if name != "id"}
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[contributors.c.id],
            set_=changed | {"status": "active", "updated_at": func.now()},
            where=(contributors.c.version < statement.excluded.version) & (contributors.c.status != "erased"),
        )
    )


async def erase_contributor(session: AsyncSession, contributor_id: uuid.UUID, version: int) -> None:
    """Anonymise the person everywhere in this schema: a nameless tombstone stays in the read model so that late
    events cannot bring them back; every other reference to their id becomes NULL."""
    statement = pg_insert(contributors).values(
        id=contributor_id, display_name=None, expertise=[], province_code=None, status="erased", version=version
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[contributors.c.id],
            set_={
                "display_name": None,
                "expertise": [],
                "province_code": None,
                "status": "erased",
                "version": func.greatest(contributors.c.version, statement.excluded.version),
                "updated_at": func.now(),
            },
        )
    )
    person = contributor_id
    await session.execute(
        update(article_authors).where(article_authors.c.contributor_id == person).values(contributor_id=None)
    )
    await session.execute(
        update(article_revisions)
        .where(article_revisions.c.authors.contains([person]))
        .values(authors=func.array_remove(article_revisions.c.authors, literal(person, UUID(as_uuid=True))))
    )
    await session.execute(
        update(article_revisions).where(article_revisions.c.editor_id == person).values(editor_id=None)
    )
    await session.execute(update(questions).where(questions.c.asker_id == person).values(asker_id=None))
    await session.execute(update(answers).where(answers.c.author_id == person).values(author_id=None))
    await session.execute(update(endorsements).where(endorsements.c.endorser_id == person).values(endorser_id=None))
    await session.execute(update(reuses).where(reuses.c.reporter_id == person).values(reporter_id=None))
    await session.execute(delete(memberships).where(memberships.c.contributor_id == person))


async def upsert_membership(
    session: AsyncSession, collective_id: uuid.UUID, contributor_id: uuid.UUID, role: str, status: str, version: int
) -> None:
    """A membership's latest state; ignored for an erased person, so nothing links them to a collective again."""
    erased = (
        await session.execute(
            select(contributors.c.id).where(contributors.c.id == contributor_id, contributors.c.status == "erased")
        )
    ).first()
    if erased is not None:
        return
    statement = pg_insert(memberships).values(
        collective_id=collective_id, contributor_id=contributor_id, role=role, status=status, version=version
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[memberships.c.collective_id, memberships.c.contributor_id],
            set_={
                "role": statement.excluded.role,
                "status": statement.excluded.status,
                "version": statement.excluded.version,
                "updated_at": func.now(),
            },
            where=memberships.c.version < statement.excluded.version,
        )
    )


async def active_contributors(session: AsyncSession, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Row]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await session.execute(
        select(contributors).where(contributors.c.id.in_(wanted), contributors.c.status == "active")
    )
    return {row.id: row for row in rows}


async def display_names(session: AsyncSession, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    known = await active_contributors(session, (i for i in ids if i is not None))
    return {i: row.display_name for i, row in known.items() if row.display_name}


async def is_member(session: AsyncSession, collective_id: uuid.UUID, contributor_id: uuid.UUID) -> bool:
    row = (
        await session.execute(
            select(memberships.c.role).where(
                memberships.c.collective_id == collective_id,
                memberships.c.contributor_id == contributor_id,
                memberships.c.status == "active",
            )
        )
    ).first()
    return row is not None


async def collective_names(session: AsyncSession, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = list({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = await session.execute(select(collectives.c.id, collectives.c.name).where(collectives.c.id.in_(wanted)))
    return dict(rows.all())


# --- articles -------------------------------------------------------------------------------------------------


def search_vectors(language: str, title: str, summary: str, plain_text: str) -> tuple[ColumnElement, ColumnElement]:
    """(full, rank) tsvectors of an article, computed by PostgreSQL from application-normalised text: title 'A'
    || summary 'B' || body 'C', and the title and summary part alone."""
    config = cast(literal(TS_CONFIG[language]), REGCONFIG)

    def weighted(content: str, weight: str) -> ColumnElement:
        document = search_document(content, language=language)
        return func.setweight(
            func.to_tsvector(config, literal(document)), literal_column(f"'{weight}'"), type_=TSVECTOR
        )

    rank = weighted(title, "A").op("||")(weighted(summary, "B"))
    return rank.op("||")(weighted(plain_text, "C")), rank


def rendered(body: str) -> dict[str, str]:
    return {"body_html": render_markdown(body), "plain_text": markdown_to_text(body)}


def article_slug(title: str) -> str:
    try:
        return slugify(title, max_length=100)
    except ValueError:
        return "artikel"


async def insert_article(session: AsyncSession, values: dict[str, Any]) -> Row:
    """Insert with the plain slug of the title, or with a suffix when another article has that slug already."""
    values = values | rendered(values["body"])
    slug = article_slug(values["title"])
    for candidate in (slug, f"{slug}-{values['id'].hex[:8]}"):
        statement = (
            pg_insert(articles)
            .values(**values, slug=candidate)
            .on_conflict_do_nothing(index_elements=[articles.c.slug])
            .returning(articles)
        )
        row = (await session.execute(statement)).first()
        if row is not None:
            await sync_search_entry(session, row)
            return row
    raise conflict("slug-taken", "an article with a very similar title was created at the same moment; retry")


async def update_article(session: AsyncSession, row: Row, changes: dict[str, Any]) -> Row | None:
    """Apply content changes as the next revision; None when the article changed meanwhile."""
    values = dict(changes)
    if "body" in values:
        values |= rendered(values["body"])
    values["revision"] = articles.c.revision + 1
    current = (articles.c.id == row.id) & (articles.c.version == row.version) & (articles.c.status != "retracted")
    updated = await update_where(session, articles, current, values)
    if updated is not None:
        await sync_search_entry(session, updated)
    return updated


async def change_status(
    session: AsyncSession, article_id: uuid.UUID, from_status: str, values: dict[str, Any]
) -> Row | None:
    condition = (articles.c.id == article_id) & (articles.c.status == from_status)
    updated = await update_where(session, articles, condition, values)
    if updated is not None:
        await sync_search_entry(session, updated)
    return updated


THEME_BITS = {theme.value: 1 << n for n, theme in enumerate(Theme)}
COLLECTIVE_KIND_BITS = {kind.value: 1 << n for n, kind in enumerate(CollectiveKind)}
STAGE_BITS = {stage.value: 1 << n for n, stage in enumerate(Stage)}


def mask(values: Iterable[str], bits: Mapping[str, int]) -> int:
    result = 0
    for value in values:
        result |= bits[value]
    return result


async def sync_search_entry(session: AsyncSession, row: Row) -> None:
    """A published article gets (or refreshes) its search entry; any other status removes it."""
    if row.status != "published":
        await session.execute(delete(search_entries).where(search_entries.c.article_id == row.id))
        return
    full, rank = search_vectors(row.language, row.title, row.summary, row.plain_text)
    values = {
        "language": row.language,
        "kind": row.kind,
        "themes_mask": mask(row.themes, THEME_BITS),
        "collective_kinds_mask": mask(row.collective_kinds, COLLECTIVE_KIND_BITS),
        "stages_mask": mask(row.stages, STAGE_BITS),
        "published_at": row.published_at,
        "search_vector": full,
        "rank_vector": rank,
    }
    statement = pg_insert(search_entries).values(article_id=row.id, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=[search_entries.c.article_id], set_=values))


async def authors_of(
    session: AsyncSession, article_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID | None]]:
    wanted = list(set(article_ids))
    result: dict[uuid.UUID, list[uuid.UUID | None]] = {i: [] for i in wanted}
    if not wanted:
        return result
    rows = await session.execute(
        select(article_authors.c.article_id, article_authors.c.contributor_id)
        .where(article_authors.c.article_id.in_(wanted))
        .order_by(article_authors.c.article_id, article_authors.c.position)
    )
    for article_id, contributor_id in rows:
        result[article_id].append(contributor_id)
    return result


async def set_authors(session: AsyncSession, article_id: uuid.UUID, authors: Sequence[uuid.UUID]) -> None:
    await session.execute(delete(article_authors).where(article_authors.c.article_id == article_id))
    await session.execute(
        insert(article_authors),
        [{"article_id": article_id, "position": n, "contributor_id": a} for n, a in enumerate(authors)],
    )


REVISION_FIELDS = (
    "title",
    "summary",
    "body",
    "kind",
    "themes",
    "collective_kinds",
    "stages",
    "language",
    "license",
    "collective_id",
    "status",
)


async def record_revision(
    session: AsyncSession,
    row: Row,
    authors: Sequence[uuid.UUID | None],
    changed_fields: Sequence[str],
    editor: tuple[uuid.UUID | None, str],
) -> None:
    await session.execute(
        insert(article_revisions).values(
            article_id=row.id,
            revision=row.revision,
            authors=[a for a in authors if a is not None],
            changed_fields=list(changed_fields),
            editor_id=editor[0],
            editor_role=editor[1],
            **{name: getattr(row, name) for name in REVISION_FIELDS},
        )
    )


async def adjust_vocabulary(session: AsyncSession, words: Iterable[str], delta: int) -> None:
    """Count `words` in (delta +1) or out (-1) of the typo-tolerance vocabulary; unused words are dropped."""
    rows = [{"term": w, "length": len(w), "frequency": delta} for w in sorted(set(words))]
    if not rows:
        return
    if delta > 0:
        statement = pg_insert(search_terms).values(rows)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[search_terms.c.term],
                set_={"frequency": search_terms.c.frequency + statement.excluded.frequency},
            )
        )
        return
    terms = [r["term"] for r in rows]
    await session.execute(
        update(search_terms).where(search_terms.c.term.in_(terms)).values(frequency=search_terms.c.frequency + delta)
    )
    await session.execute(delete(search_terms).where(search_terms.c.term.in_(terms), search_terms.c.frequency <= 0))


async def known_terms(session: AsyncSession, words: Sequence[str]) -> set[str]:
    rows = await session.execute(select(search_terms.c.term).where(search_terms.c.term.in_(list(set(words)))))
    return set(rows.scalars())


async def vocabulary_near(session: AsyncSession, words: Sequence[str]) -> dict[str, int]:
    """Vocabulary words that could be what `words` were meant to be: about as long, and starting with the same
    letter or having the same second letter (a slip on the first key still matches)."""
    near = []
    for word in set(words):
        near.append(
            search_terms.c.length.between(len(word) - MAX_LENGTH_DIFFERENCE, len(word) + MAX_LENGTH_DIFFERENCE)
            & ((func.left(search_terms.c.term, 1) == word[:1]) | (func.substr(search_terms.c.term, 2, 1) == word[1:2]))
        )
    if not near:
        return {}
    rows = await session.execute(select(search_terms.c.term, search_terms.c.frequency).where(or_(*near)))
    return dict(rows.all())


# --- search ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    kind: str | None = None
    theme: str | None = None
    collective_kind: str | None = None
    stage: str | None = None
    language: str | None = None


@dataclass
class SearchRows:
    total: int
    hits: list[dict[str, Any]] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


FACETS = ("kind", "theme", "collective_kind", "stage", "language")
SNIPPET_SOURCE_CHARS = 2000


MASK_FACETS = {
    "themes_mask": ("theme", THEME_BITS),
    "collective_kinds_mask": ("collective_kind", COLLECTIVE_KIND_BITS),
    "stages_mask": ("stage", STAGE_BITS),
}

# Page, total and facet counts in ONE statement and round trip. The query is parsed once (`q`), the matches are
# visited once (a materialised CTE over the narrow search entries), and the total and every facet come from one
# aggregate pass over them (GROUPING SETS: PostgreSQL hashes all six groupings in a single scan). The masks group into
# a few hundred combinations at most, which Python splits into single values (much cheaper in PostgreSQL than a
# FILTER per value).
#
# Ranking: ts_rank_cd over the title and summary vector is 0 for a document that contains none of the query's
# lexemes (it only looks at the positions of the query's lexemes in the document), so it is only called for
# matches whose rank vector holds at least one of them (`rank_vector @@ any_lexeme`, the query's lexemes ORed,
# negated and phrase ones included); every other match scores exactly 0 without the call. Most matches of a query
# match in the body only, and ts_rank_cd was the dearest step per match: this takes about a third off the statement
# for large result sets, with every match scored as before (test_knowledge_search_ranking compares the two).
# `any_lexeme` is built from the text form of the parsed query, in which every operand is a single-quoted lexeme
# (quotes doubled inside) with an optional `:*`/weight suffix, which the tsquery input reads back unchanged.
#
# `{match}`, `{score}`, `{filters}` and `{order}` are fixed fragments chosen below, never client text; every client
# value is a bound parameter.
QUERY_CTE = """q AS MATERIALIZED (
    SELECT query, (
        SELECT string_agg(operand[1], ' | ')
        FROM regexp_matches(query::text, '(''(?:[^'']|'''')*''(?::[*A-D]+)?)', 'g') AS operand
    )::tsquery AS any_lexeme
    FROM (SELECT {tsquery} AS query) parsed
)"""

_SEARCH_SQL = (
    "WITH "
    + QUERY_CTE
    + """,
hits AS MATERIALIZED (
    SELECT e.article_id AS id, e.kind, e.language, e.themes_mask, e.collective_kinds_mask, e.stages_mask,
        e.published_at, {score} AS score
    FROM q, knowledge.search_entries e
    WHERE true {match} {filters}
),
page AS (
    SELECT id, score, published_at FROM hits ORDER BY {order} LIMIT :limit OFFSET :offset
)
SELECT 'hit' AS part, NULL::text AS key, row_number() OVER (ORDER BY {page_order}) AS n, json_build_object(
    'id', a.id, 'slug', a.slug, 'title', a.title, 'summary', a.summary, 'kind', a.kind, 'themes', a.themes,
    'collective_kinds', a.collective_kinds, 'stages', a.stages, 'language', a.language,
    'published_at', a.published_at, 'endorsement_count', a.endorsement_count, 'reuse_count', a.reuse_count,
    'score', p.score, 'text', left(a.plain_text, {snippet_chars})) AS doc
FROM page p JOIN knowledge.articles a ON a.id = p.id
UNION ALL
SELECT CASE GROUPING(kind, language, themes_mask, collective_kinds_mask, stages_mask)
        WHEN 31 THEN 'total' WHEN 15 THEN 'kind' WHEN 23 THEN 'language' WHEN 27 THEN 'themes_mask'
        WHEN 29 THEN 'collective_kinds_mask' ELSE 'stages_mask' END,
    COALESCE(kind, language, themes_mask::text, collective_kinds_mask::text, stages_mask::text), count(*), NULL
FROM hits
GROUP BY GROUPING SETS ((), (kind), (language), (themes_mask), (collective_kinds_mask), (stages_mask))
"""
)

_TSQUERY = {
    None: "(websearch_to_tsquery('dutch', :q) || websearch_to_tsquery('english', :q_en))",
    "nl": "websearch_to_tsquery('dutch', :q)",
    "en": "websearch_to_tsquery('english', :q_en)",
}

# The documented score: ts_rank_cd(rank_vector, query, 32), only called where it can be above 0 (see above).
RANK_SCORE = "CASE WHEN e.rank_vector @@ q.any_lexeme THEN ts_rank_cd(e.rank_vector, q.query, 32) ELSE 0 END"


def search_sql(filters: SearchFilters, with_query: bool) -> str:
    """The search statement for these filters (named parameters :q, :q_en, :kind, …, :limit, :offset)."""
    conditions = []
    if filters.kind:
        conditions.append("e.kind = :kind")
    if filters.theme:
        conditions.append("e.themes_mask & :theme_bit <> 0")
    if filters.collective_kind:
        conditions.append("e.collective_kinds_mask & :collective_kind_bit <> 0")
    if filters.stage:
        conditions.append("e.stages_mask & :stage_bit <> 0")
    if filters.language:
        conditions.append("e.language = :language")
    if with_query:
        tsquery = _TSQUERY[filters.language]
        match = "AND e.search_vector @@ q.query"
        score = RANK_SCORE
        order = "score DESC, published_at DESC, id"
    else:
        tsquery, match, score, order = "NULL::tsquery", "", "NULL::real", "published_at DESC, id"
    page_order = ", ".join(f"p.{term}" for term in order.split(", "))
    return _SEARCH_SQL.format(
        tsquery=tsquery,
        score=score,
        match=match,
        filters="".join(f" AND {c}" for c in conditions),
        order=order,
        page_order=page_order,
        snippet_chars=SNIPPET_SOURCE_CHARS,
    )


def search_params(
    filters: SearchFilters, query_nl: str | None, query_en: str | None, limit: int, offset: int
) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if query_nl is not None:
        if filters.language != "en":
            params["q"] = query_nl
        if filters.language != "nl":
            params["q_en"] = query_en
    if filters.kind:
        params["kind"] = filters.kind
    if filters.language:
        params["language"] = filters.language
    if filters.theme:
        params["theme_bit"] = THEME_BITS[filters.theme]
    if filters.collective_kind:
        params["collective_kind_bit"] = COLLECTIVE_KIND_BITS[filters.collective_kind]
    if filters.stage:
        params["stage_bit"] = STAGE_BITS[filters.stage]
    return params


def search_statement(filters: SearchFilters, with_query: bool):
    """The text construct for the shape of these filters (which ones are set, and the language, which picks the
    text-search configurations), built once per shape; SQLAlchemy caches its compilation per SQL string."""
    shape = SearchFilters(
        kind="*" if filters.kind else None,
        theme="*" if filters.theme else None,
        collective_kind="*" if filters.collective_kind else None,
        stage="*" if filters.stage else None,
        language=filters.language,
    )
    return _statement(shape, with_query)


@lru_cache(maxsize=128)
def _statement(shape: SearchFilters, with_query: bool):
    return text(search_sql(shape, with_query))


@lru_cache(maxsize=8192)
def _mask_values(part: str, key: str) -> tuple[str, tuple[str, ...]]:
    """The facet and its values in one mask combination (a few hundred combinations recur in every result)."""
    facet, bits = MASK_FACETS[part]
    combination = int(key)
    return facet, tuple(value for value, bit in bits.items() if combination & bit)


def parse_search_rows(rows: Iterable[Sequence[Any]]) -> SearchRows:
    result = SearchRows(total=0, facets={name: {} for name in FACETS})
    positioned: list[tuple[int, dict[str, Any]]] = []
    for part, key, n, doc in rows:
        if part == "hit":
            positioned.append((n, json.loads(doc) if isinstance(doc, str) else doc))
        elif part == "total":
            result.total = n
        elif part in MASK_FACETS:
            facet, values = _mask_values(part, key)
            counts = result.facets[facet]
            for value in values:
                counts[value] = counts.get(value, 0) + n
        else:
            result.facets[part][key] = n
    result.hits = [hit for _, hit in sorted(positioned, key=lambda pair: pair[0])]
    for name, counts in result.facets.items():
        result.facets[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return result


async def search_rows(
    session: AsyncSession,
    filters: SearchFilters,
    query_nl: str | None,
    query_en: str | None,
    *,
    limit: int,
    offset: int,
) -> SearchRows:
    statement = search_statement(filters, query_nl is not None)
    params = search_params(filters, query_nl, query_en, limit, offset)
    rows = (await session.execute(statement, params)).all()
    return parse_search_rows(rows)


# --- questions, answers, endorsements, reuse --------------------------------------------------------------------


async def standing_endorsement(
    session: AsyncSession, target_type: str, target_id: uuid.UUID, endorser_id: uuid.UUID
) -> Row | None:
    return (
        await session.execute(
            select(endorsements).where(
                endorsements.c.target_type == target_type,
                endorsements.c.target_id == target_id,
                endorsements.c.endorser_id == endorser_id,
                endorsements.c.status == "active",
            )
        )
    ).first()


async def count_change(session: AsyncSession, table: Table, row_id: uuid.UUID, column: str, delta: int) -> int:
    """Move a denormalised counter and return its new value (the counters feed ranking and recommendations)."""
    statement = (
        update(table).where(table.c.id == row_id).values({column: table.c[column] + delta}).returning(table.c[column])
    )
    return (await session.execute(statement)).scalar_one()
