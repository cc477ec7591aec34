import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.knowledge.domain.snippets import highlight, query_terms

pytestmark = pytest.mark.unit


def test_query_terms_are_normalised_and_skip_stop_words_and_negation():
    assert query_terms("De Energie-coöperaties -zon en subsidie") == ["energiecooperatie", "subsidie"]


def test_matches_are_marked_whatever_their_accents_or_form():
    text = "Onze energiecoöperatie legt zonnepanelen op het dak."
    snippet = highlight(text, query_terms("energiecooperatie zonnepaneel"))
    assert snippet == "Onze <mark>energiecoöperatie</mark> legt <mark>zonnepanelen</mark> op het dak."


def test_the_window_moves_to_the_matches_and_is_escaped():
    text = " ".join(["vulling"] * 100) + " de <script>subsidie</script> & meer"
    snippet = highlight(text, ["subsidie"], words=10)
    assert snippet.startswith("…") and "<mark>subsidie</mark>" in snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet and "&amp;" in snippet


def test_without_a_match_the_start_is_shown():
    snippet = highlight("een twee drie vier vijf", ["zes"], words=3)
    assert snippet == "een twee drie …"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.lists(st.text(min_size=3, max_size=8), max_size=3))
def test_snippets_never_carry_markup_from_the_text(text, terms):
    snippet = highlight(text, terms)
    without_marks = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks
