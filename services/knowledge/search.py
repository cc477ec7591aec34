"""Search over published articles: PostgreSQL full text on application-normalised text, facet counts, snippets,
and a "did you mean" from the vocabulary of titles and summaries when the full text finds nothing.

Why it is built this way: the embedded PostgreSQL has neither `unaccent` nor `pg_trgm`, so accents, compounds and
plurals are normalised in Python on both sides (services.knowledge.domain.text), and typo tolerance compares query
words with a small vocabulary table in Python (services.knowledge.domain.spelling).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from services.knowledge import store
from services.knowledge.domain.snippets import highlight, query_terms
from services.knowledge.domain.spelling import did_you_mean, query_words
from services.knowledge.domain.text import search_query
from services.knowledge.store import SearchFilters, SearchRows

# Below this many matches the vocabulary is asked for a better spelling. One: only when nothing is found, because
# every correction costs a vocabulary look-up and a second search, and a rare word that matches is not a typo.
FEW_RESULTS = 1


@asynccontextmanager
async def reader(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection in autocommit mode: a search is one read-only statement (two when it corrects a typo), so the
    BEGIN and ROLLBACK round trips of a session would only add latency."""
    async with engine.connect() as connection:
        yield await connection.execution_options(isolation_level="AUTOCOMMIT")


async def run(
    session: AsyncSession | AsyncConnection, q: str | None, filters: SearchFilters, *, limit: int, offset: int
) -> dict[str, Any]:
    if not q:
        rows = await store.search_rows(session, filters, None, None, limit=limit, offset=offset)
        return _result(None, None, None, rows, [], limit, offset)
    rows = await _full_text(session, q, filters, limit, offset)
    searched_for, suggestion = q, None
    if rows.total < FEW_RESULTS:
        suggestion = await _suggestion(session, q, filters.language or "nl")
        if suggestion is not None:
            alternative = await _full_text(session, suggestion, filters, limit, offset)
            if alternative.total <= rows.total:
                suggestion = None
            elif rows.total == 0:
                rows, searched_for = alternative, suggestion
    language = filters.language or "nl"
    return _result(q, searched_for, suggestion, rows, query_terms(searched_for, language=language), limit, offset)


async def _full_text(session: AsyncSession, q: str, filters: SearchFilters, limit: int, offset: int) -> SearchRows:
    return await store.search_rows(
        session,
        filters,
        search_query(q, language="nl"),
        search_query(q, language="en"),
        limit=limit,
        offset=offset,
    )


async def _suggestion(session: AsyncSession, q: str, language: str) -> str | None:
    words = query_words(q, language=language)
    if not words:
        return None
    known = await store.known_terms(session, words)
    unknown = [word for word in words if word not in known]
    if not unknown:
        return None
    vocabulary = dict.fromkeys(known, 1) | await store.vocabulary_near(session, unknown)
    return did_you_mean(q, vocabulary, language=language)


def _result(
    q: str | None,
    searched_for: str | None,
    suggestion: str | None,
    rows: SearchRows,
    terms: list[str],
    limit: int,
    offset: int,
) -> dict[str, Any]:
    items = []
    for hit in rows.hits:
        source = f"{hit['summary']}\n{hit.pop('text')}"
        items.append(hit | {"snippet": highlight(source, terms)})
    more = offset + len(items) < rows.total
    return {
        "query": q,
        "searched_for": searched_for,
        "did_you_mean": suggestion,
        "total": rows.total,
        "items": items,
        "facets": rows.facets,
        "next_offset": offset + limit if more else None,
    }
