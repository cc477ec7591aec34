"""Typo tolerance without pg_trgm: the search vocabulary, and "did you mean" over it.

The vocabulary is the set of normalised words of published titles and summaries. A query word that is not in it
is replaced by the closest vocabulary word (difflib's ratio; on a tie the more frequent word wins), so
"energiecooperatei" becomes "energiecooperatie" and "subsidei" becomes "subsidie".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from services.knowledge.domain.text import search_document, search_query

MIN_TERM_LENGTH = 3
MAX_TERM_LENGTH = 100
MAX_LENGTH_DIFFERENCE = 2
SIMILARITY_CUTOFF = 0.75

_PLAIN_WORD = re.compile(r"[a-z0-9]+")
# `websearch_to_tsquery` reads these; they are not words to correct.
_OPERATOR_WORDS = frozenset({"or"})


def vocabulary_words(*texts: str, language: str = "nl") -> set[str]:
    """The normalised words of `texts` that are worth suggesting: letters only, 3 to 100 characters."""
    words: set[str] = set()
    for text in texts:
        for word in search_document(text, language=language).split():
            if MIN_TERM_LENGTH <= len(word) <= MAX_TERM_LENGTH and word.isalpha():
                words.add(word)
    return words


def query_words(query: str, *, language: str = "nl") -> list[str]:
    """The words of a normalised query that could be misspelt: not negated, not an operator, long enough."""
    words = []
    for token in search_query(query, language=language).split():
        if token.startswith("-"):
            continue
        for word in _PLAIN_WORD.findall(token):
            if word not in _OPERATOR_WORDS and len(word) >= MIN_TERM_LENGTH and word.isalpha():
                words.append(word)
    return words


def length_window(words: Iterable[str]) -> tuple[int, int] | None:
    """The range of vocabulary word lengths worth loading to correct `words`."""
    lengths = [len(word) for word in words]
    if not lengths:
        return None
    return max(MIN_TERM_LENGTH, min(lengths) - MAX_LENGTH_DIFFERENCE), max(lengths) + MAX_LENGTH_DIFFERENCE


def closest_word(word: str, vocabulary: Mapping[str, int]) -> str | None:
    """The vocabulary word most like `word`, or None when nothing is close enough."""
    matcher = difflib.SequenceMatcher(b=word, autojunk=False)
    best: tuple[float, int, str] | None = None
    for candidate, frequency in vocabulary.items():
        if abs(len(candidate) - len(word)) > MAX_LENGTH_DIFFERENCE:
            continue
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() < SIMILARITY_CUTOFF or matcher.quick_ratio() < SIMILARITY_CUTOFF:
            continue
        ratio = matcher.ratio()
        if ratio < SIMILARITY_CUTOFF:
            continue
        key = (ratio, frequency, candidate)
        if best is None or key[:2] > best[:2] or (key[:2] == best[:2] and candidate < best[2]):
            best = key
    return best[2] if best else None


def did_you_mean(query: str, vocabulary: Mapping[str, int], *, language: str = "nl") -> str | None:
    """The query with each unknown word replaced by its closest vocabulary word; None when nothing changed."""
    corrected: list[str] = []
    changed = False
    for word in query_words(query, language=language):
        if word in vocabulary:
            corrected.append(word)
            continue
        replacement = closest_word(word, vocabulary)
        if replacement is not None and replacement != word:
            corrected.append(replacement)
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None
