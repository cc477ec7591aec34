"""Search result snippets: the passage with the most query words, HTML-escaped, the words wrapped in <mark>.

Done in Python over the readable text (not with `ts_headline` over the normalised text, which has lost its accents
and carries every compound twice). A word of the text matches a query word when, accents folded, it starts with the
query word less a few letters, which stands in for PostgreSQL's stemming ("zonnepanelen" and "zonnepaneel"), and
hyphens inside it are ignored ("energie-coöperatie" and "energiecooperatie").
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable
from functools import lru_cache

from services.knowledge.domain.text import fold, search_query

SNIPPET_WORDS = 30
MIN_QUERY_TERM_LENGTH = 3
STEM_SLACK = 3
MIN_STEM_LENGTH = 5

_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_QUERY_TOKEN = re.compile(r"[a-z0-9]+")

# Words too common to be worth marking; PostgreSQL ignores them in a query as well.
_DUTCH_STOP_WORDS = (
    "aan als bij dat de den der des die dit een en het hoe in is met naar niet of om op te tot van voor wat wie"
)
_ENGLISH_STOP_WORDS = "and are but for from how not the this that was what who with you"
STOP_WORDS = frozenset(_DUTCH_STOP_WORDS.split()) | frozenset(_ENGLISH_STOP_WORDS.split())


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


def highlight(text: str, terms: Iterable[str], *, words: int = SNIPPET_WORDS) -> str:
    """About `words` words of `text` around its densest cluster of `terms`; the start of the text without one."""
    pattern = _pattern(tuple(terms))
    matches = [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern else []
    # Only the passage around the densest cluster is split into words: a page of results stays cheap.
    anchor = _densest(matches, reach=words * 4)
    offset = max(0, anchor - words * 6)
    passage = text[offset : anchor + words * 12]
    tokens = [(m.start() + offset, m.end() + offset) for m in _WORD.finditer(passage)]
    if offset > 0 and tokens and tokens[0][0] == offset:
        tokens = tokens[1:]  # the cut may have split a word
    if not tokens:
        return html.escape(text[:200])
    starts = [start for start, _ in tokens]
    hit_tokens: set[int] = set()
    for match_start, match_end in matches:
        index = bisect.bisect_right(starts, match_start) - 1
        while 0 <= index < len(tokens) and tokens[index][0] < match_end:
            if tokens[index][1] > match_start:
                hit_tokens.add(index)
            index += 1
    hits = sorted(hit_tokens)
    first = max(0, min(_best_window_start(hits, words) - 2, len(tokens) - words)) if hits else 0
    last = min(len(tokens), first + words) - 1
    parts: list[str] = ["…"] if first > 0 or offset > 0 else []
    position = tokens[first][0]
    for index in range(first, last + 1):
        if index in hit_tokens:
            start, end = tokens[index]
            parts += [html.escape(text[position:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
            position = end
    end_of_window = tokens[last][1]
    parts.append(html.escape(text[position:end_of_window]))
    rest = text[end_of_window:]
    if last < len(tokens) - 1 or _WORD.search(rest):
        parts.append(" …")
    else:
        parts.append(html.escape(rest))
    return _collapse_space("".join(parts))


def _densest(matches: list[tuple[int, int]], reach: int) -> int:
    """The start of the match with the most matches within `reach` characters after it; 0 without matches."""
    best, best_count, high = 0, 0, 0
    for low, (start, _) in enumerate(matches):
        high = max(high, low)
        while high + 1 < len(matches) and matches[high + 1][0] - start <= reach:
            high += 1
        if high - low + 1 > best_count:
            best, best_count = start, high - low + 1
    return best


def _best_window_start(hits: list[int], words: int) -> int:
    best_start, best_count = hits[0], 0
    low = 0
    for high, index in enumerate(hits):
        while index - hits[low] >= words:
            low += 1
        if high - low + 1 > best_count:
            best_start, best_count = hits[low], high - low + 1
    return best_start


def _accented_forms() -> dict[str, str]:
    """For each plain letter, the Latin letters that fold to it ("o" → "oöóòôõ…"), for accent-blind patterns."""
    forms: dict[str, set[str]] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        plain = fold(char)
        if len(plain) == 1 and plain.isascii() and plain.isalpha():
            forms.setdefault(plain, {plain}).add(char)
    return {plain: "".join(sorted(chars)) for plain, chars in forms.items()}


_ACCENTED = _accented_forms()


def _char_pattern(char: str) -> str:
    forms = _ACCENTED.get(char)
    return f"[{re.escape(forms)}]" if forms else re.escape(char)


@lru_cache(maxsize=4096)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """Words starting with a term's stem (the term less a few letters, for inflections), in any case and with or
    without accents, hyphens allowed anywhere, since the query joins compounds that the text may hyphenate."""
    stems = []
    for term in terms:
        stem = term[: max(MIN_STEM_LENGTH, len(term) - STEM_SLACK)]
        stems.append("-?".join(_char_pattern(char) for char in stem))
    if not stems:
        return None
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(stems)})[^\W_]*(?:-[^\W_]+)*", re.IGNORECASE)


def _collapse_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
