"""Search text normalisation, done in the application.

Our PostgreSQL has neither `unaccent` nor `pg_trgm`, so accents, hyphenated compounds and a few Dutch plural forms
are normalised here, before the text reaches `to_tsvector('dutch', …)` or `websearch_to_tsquery('dutch', …)`.
Documents and queries go through the same steps, so whatever is conflated is conflated on both sides.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus marks, spelled out as readers would type them.
_UNDECOMPOSABLE_LETTERS = str.maketrans(
    {
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "\u0131": "i",  # dotless i
        "ħ": "h",
        "ŧ": "t",
    }
)

_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u0060\u00b4\u2032", "'"))
_HYPHENS = str.maketrans(dict.fromkeys("\u2010\u2011", "-"))
_SOFT_HYPHEN = "\u00ad"

_WORD_CHAR = r"[^\W_]"
_POSSESSIVE_OR_PLURAL_S = re.compile(rf"(?<={_WORD_CHAR})'s\b")
_HYPHENATED = re.compile(rf"{_WORD_CHAR}+(?:-{_WORD_CHAR}+)+")
_WORD = re.compile(rf"{_WORD_CHAR}+")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_WHITESPACE = re.compile(r"\s+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

SLUG_MAX_LENGTH = 80


def fold(text: str) -> str:
    """Lower-case `text` and take the accents off, so "Coöperatie", "coöperatie" and "cooperatie" are equal."""
    # NFKD twice around casefold: compatibility forms may decompose to capitals, and casefold may leave marks.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.translate(_UNDECOMPOSABLE_LETTERS)


def search_document(text: str, *, language: str = "nl") -> str:
    """The text to index: folded, with each hyphenated compound both joined and split.

    "Energie-coöperatie" becomes "energiecooperatie energie cooperatie", so a search for "energiecoöperatie",
    "energie-coöperatie" or "coöperatie" all find it.
    """
    return _normalise(text, language=language, keep_compound_parts=True)


def search_query(query: str, *, language: str = "nl") -> str:
    """A user's query, normalised like `search_document`, for `websearch_to_tsquery`.

    Compounds are only joined (the document holds the joined form too); quotes, `or` and a leading `-` for
    negation are left for `websearch_to_tsquery` to interpret.
    """
    return _normalise(query, language=language, keep_compound_parts=False)


def slugify(title: str, *, max_length: int = SLUG_MAX_LENGTH) -> str:
    """A URL slug: folded ASCII words joined by hyphens, cut at a word boundary.

    Raises ValueError when the title has no letters or digits at all; the caller decides on a fallback.
    """
    slug = _NOT_SLUG.sub("-", _prepare(title).replace("'", "")).strip("-")
    if not slug:
        raise ValueError(f"cannot make a slug from {title!r}")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_length]
        slug = slug.strip("-")
    return slug


def _prepare(text: str) -> str:
    unified = text.replace(_SOFT_HYPHEN, "").translate(_APOSTROPHES).translate(_HYPHENS)
    return fold(unified)


def _normalise(text: str, *, language: str, keep_compound_parts: bool) -> str:
    prepared = _prepare(text)
    # "auto's" is the plural of "auto" and "Anna's" the genitive of "Anna": both should find the bare word.
    prepared = _POSSESSIVE_OR_PLURAL_S.sub("", prepared).replace("'", " ")

    def compound(match: re.Match[str]) -> str:
        parts = match.group().split("-")
        if not all(_HAS_LETTER.search(part) for part in parts):
            return " ".join(parts)  # "2020-2024" is a range, not a compound
        joined = "".join(parts)
        return " ".join([joined, *parts]) if keep_compound_parts else joined

    prepared = _HYPHENATED.sub(compound, prepared)
    if language == "nl":
        prepared = _WORD.sub(lambda match: _dutch_singular(match.group()), prepared)
    return _WHITESPACE.sub(" ", prepared).strip()


def _dutch_singular(word: str) -> str:
    # PostgreSQL's Dutch stemmer leaves "coöperaties" and "categorieën" alone, so they would never meet
    # "coöperatie" and "categorie". Stripping these endings is applied to queries as well, so words that merely
    # look like such a plural ("advies" → "advie") still match themselves.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-1]
    if len(word) > 5 and word.endswith(("ieen", "eeen")):
        return word[:-2]
    return word
