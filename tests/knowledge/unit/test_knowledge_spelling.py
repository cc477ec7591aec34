import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.knowledge.domain.spelling import closest_word, did_you_mean, length_window, query_words, vocabulary_words

pytestmark = pytest.mark.unit

VOCABULARY = {"energiecooperatie": 5, "energie": 9, "cooperatie": 4, "subsidie": 3, "subsidy": 1, "oprichten": 2}


def test_vocabulary_holds_normalised_words_of_titles_and_summaries():
    words = vocabulary_words("Een Energie-coöperatie oprichten", "Subsidie in 2024")
    assert {"energiecooperatie", "energie", "cooperatie", "oprichten", "subsidie", "een"} <= words
    assert "2024" not in words


def test_typos_are_corrected_to_the_closest_word():
    assert did_you_mean("energiecooperatei", VOCABULARY) == "energiecooperatie"
    assert did_you_mean("subsidei", VOCABULARY) == "subsidie"
    assert did_you_mean("Energie-coöperatie oprichtne", VOCABULARY) == "energiecooperatie oprichten"


def test_known_words_and_hopeless_words_are_left_alone():
    assert did_you_mean("energiecoöperatie", VOCABULARY) is None
    assert did_you_mean("xylofoon", VOCABULARY) is None
    assert did_you_mean("", VOCABULARY) is None


def test_negated_words_and_operators_are_not_corrected():
    assert query_words('"subsidei" or -energei') == ["subsidei"]


def test_the_more_frequent_word_wins_a_tie():
    assert closest_word("kaat", {"kaas": 1, "kaar": 7}) == "kaar"


def test_length_window_covers_the_query_words():
    assert length_window(["abc", "abcdefgh"]) == (3, 10)
    assert length_window([]) is None


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(VOCABULARY)), st.integers(min_value=1, max_value=6))
def test_swapping_two_letters_of_a_long_known_word_finds_it_back(word, position):
    if len(word) < 7 or position >= len(word) - 1:
        return
    typo = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    assert did_you_mean(typo, VOCABULARY) == (None if typo == word else word)
