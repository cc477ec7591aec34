import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from services.knowledge.domain.text import SLUG_MAX_LENGTH, fold, search_document, search_query, slugify

pytestmark = pytest.mark.unit

DUTCH_ALPHABET = list(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäëïöüéèêáàóçĳĲßæøœ'-\u2019\u2011 \u00ad0123456789.,\""
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Coöperatie", "cooperatie"),
        ("Financiën", "financien"),
        ("CAFÉ Ĳsselmeer", "cafe ijsselmeer"),
        ("Straße", "strasse"),
        ("Ærø en Œuvre", "aero en oeuvre"),
        ("Łódź", "lodz"),
        ("ﬁets", "fiets"),
        ("İstanbul", "istanbul"),
    ],
)
def test_fold_removes_accents_and_case(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "document"),
    [
        ("Energie-coöperatie", "energiecooperatie energie cooperatie"),
        ("energiecoöperatie", "energiecooperatie"),
        ("energiecooperaties", "energiecooperatie"),
        ("Noord\u2011Brabant", "noordbrabant noord brabant"),
        ("De auto's van Anna\u2019s buurt", "de auto van anna buurt"),
        ("Financiën en subsidies", "financien en subsidie"),
        ("ideeën en categorieën", "idee en categorie"),
        ("CO2-uitstoot 2020-2024", "co2uitstoot co2 uitstoot 2020 2024"),
        ("zo'n buurt", "zo n buurt"),
        ("energie\u00adcoöperatie", "energiecooperatie"),
    ],
)
def test_search_document(text: str, document: str) -> None:
    assert search_document(text) == document


def test_english_documents_keep_their_plurals() -> None:
    assert search_document("Energy cooperatives and their studies", language="en") == (
        "energy cooperatives and their studies"
    )


@pytest.mark.parametrize(
    ("query", "normalised"),
    [
        ("Energie-coöperatie", "energiecooperatie"),
        ("energiecooperaties", "energiecooperatie"),
        ("auto's delen", "auto delen"),
        ('"energie-coöperatie drenthe" OR subsidies -lening', '"energiecooperatie drenthe" or subsidie -lening'),
        ("  veel   ruimte  ", "veel ruimte"),
    ],
)
def test_search_query(query: str, normalised: str) -> None:
    assert search_query(query) == normalised


@pytest.mark.parametrize(
    "spelling", ["Energie-coöperatie", "energiecoöperatie", "energiecooperaties", "ENERGIECOÖPERATIES"]
)
@pytest.mark.parametrize("written", ["Energie-coöperatie", "energiecoöperatie", "energiecooperaties"])
def test_spellings_of_energy_cooperative_find_each_other(spelling: str, written: str) -> None:
    assert set(search_query(spelling).split()) <= set(search_document(written).split())


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Een energiecoöperatie oprichten", "een-energiecooperatie-oprichten"),
        ("Auto's delen in 's-Hertogenbosch!", "autos-delen-in-s-hertogenbosch"),
        ("Financiën: ANBI & ĳs", "financien-anbi-ijs"),
        ("  --Ærø--  ", "aero"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugify_cuts_long_titles_at_a_word_boundary() -> None:
    slug = slugify("woord " * 40)

    assert len(slug) <= SLUG_MAX_LENGTH
    assert slug.endswith("woord")


def test_slugify_refuses_titles_without_letters_or_digits() -> None:
    with pytest.raises(ValueError, match="cannot make a slug"):
        slugify("?!—")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
@example("ꭰ")  # Cherokee: Unicode case-folds its small letters to the capitals, so "no capitals" is not the rule
def test_fold_is_idempotent_and_leaves_no_marks_or_case(text: str) -> None:
    folded = fold(text)

    assert fold(folded) == folded
    assert not any(unicodedata.combining(char) for char in folded)
    assert folded == folded.casefold()
    assert fold(text.casefold()) == folded


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=DUTCH_ALPHABET, max_size=60))
def test_search_query_is_idempotent(query: str) -> None:
    assert search_query(search_query(query)) == search_query(query)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet=st.sampled_from(list("abcdeijosäëïöüĳ")), min_size=1, max_size=8), min_size=1, max_size=4)
)
def test_a_word_searched_as_written_is_always_in_its_document(parts: list[str]) -> None:
    word = "-".join(parts)

    assert set(search_query(word).split()) <= set(search_document(word).split())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=DUTCH_ALPHABET, max_size=100))
def test_slugs_are_url_safe(title: str) -> None:
    try:
        slug = slugify(title)
    except ValueError:
        assert not re.search(r"[^\W_]", fold(title))
        return
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= SLUG_MAX_LENGTH
