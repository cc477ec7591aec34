"""Search result snippets: the passage with the most query words, HTML-escaped, the words wrapped in <mark>.

Done in Python over the readable text (not with `ts_headline` over the normalised text, which has lost its accents
and carries every compound twice). A word of the text matches a query word when their normalised forms are equal,
or share a prefix long enough to stand for PostgreSQL's stemming ("zonnepanelen" and "zonnepaneel").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from services.knowledge.domain.text import search_query

SNIPPET_WORDS = 30
MIN_QUERY_TERM_LENGTH = 3
STEM_SLACK = 3
MIN_SHARED_PREFIX = 4

_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_QUERY_TOKEN = re.compile(r"[a-z0-9]+")

# Words too common to be worth marking; PostgreSQL ignores them in a query as well.
STOP_WORDS = frozenset(
    "aan als bij dat de den der des die dit een en het hoe in is met naar niet of om op te tot van voor wat wie "
    "and are but for from how not the this that was what who with you".split()
)


def query_terms(query: str, *, language: str = "nl") -> list[str]:
    """The normalised words of a query worth marking (negated words and stop words left out)."""
    terms: list[str] = []
    for token in search_query(query, language=language).split():
        if token.startswith("-"):
            continue
        for word in _QUERY_TOKEN.findall(token):
            if len(word) >= MIN_QUERY_TERM_LENGTH and word not in STOP_WORDS and word not in terms:
                terms.append(word)
    return terms


def highlight(text: str, terms: Iterable[str], *, language: str = "nl", words: int = SNIPPET_WORDS) -> str:
    """About `words` words of `text` around the densest cluster of `terms`; the start of the text without one."""
    wanted = tuple(terms)
    tokens = [(m.start(), m.end(), _matches(_normalised(m.group(), language), wanted)) for m in _WORD.finditer(text)]
    if not tokens:
        return html.escape(text[:200])
    hits = [i for i, (_, _, hit) in enumerate(tokens) if hit]
    first = _best_window_start(hits, words) if hits else 0
    first = max(0, min(first - 2, len(tokens) - words)) if hits else 0
    last = min(len(tokens), first + words) - 1
    parts: list[str] = ["…"] if first > 0 else []
    position = tokens[first][0]
    for start, end, hit in tokens[first : last + 1]:
        parts.append(html.escape(text[position:start]))
        word = html.escape(text[start:end])
        parts.append(f"<mark>{word}</mark>" if hit else word)
        position = end
    if last < len(tokens) - 1:
        parts.append(" …")
    return _collapse_space("".join(parts))


def _best_window_start(hits: list[int], words: int) -> int:
    best_start, best_count = hits[0], 0
    low = 0
    for high, index in enumerate(hits):
        while index - hits[low] >= words:
            low += 1
        if high - low + 1 > best_count:
            best_start, best_count = hits[low], high - low + 1
    return best_start


def _matches(word: str, terms: tuple[str, ...]) -> bool:
    for term in terms:
        if word == term or word.startswith(term):
            return True
        shared = _shared_prefix(word, term)
        if shared >= MIN_SHARED_PREFIX and shared >= min(len(word), len(term)) - STEM_SLACK:
            return True
    return False


def _shared_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


@lru_cache(maxsize=65_536)
def _normalised(word: str, language: str) -> str:
    return search_query(word, language=language)


def _collapse_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
