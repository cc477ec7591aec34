import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.registry.domain.validation import (
    check_collective_consistency,
    check_municipality,
    normalise_kvk,
    normalise_postcode,
    normalise_rsin,
)
from shared.contracts.vocabulary import LegalForm, municipalities

pytestmark = pytest.mark.unit

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
separators = st.sampled_from(["", " ", "."])


@st.composite
def spaced(draw: st.DrawFn, number: str) -> str:
    return "".join(draw(separators) + digit for digit in number) + draw(separators)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789", min_size=8, max_size=8).flatmap(lambda n: st.tuples(st.just(n), spaced(n))))
def test_kvk_number_keeps_its_eight_digits_whatever_the_separators(number_and_typed: tuple[str, str]) -> None:
    number, typed = number_and_typed
    assert normalise_kvk(typed) == number


@pytest.mark.parametrize("typed", ["1234567", "123456789", "1234567a", "", "12-34-56-78", "１２３４５６７８"])
def test_kvk_number_that_is_not_eight_digits_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="KvK number must be exactly 8 digits"):
        normalise_kvk(typed)


def test_kvk_number_given_as_integer_is_refused_because_leading_zeros_would_be_lost() -> None:
    with pytest.raises(ValueError, match="as text"):
        normalise_kvk(1234567)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("1234AB", "1234 AB"), ("1234 ab", "1234 AB"), (" 9431 ah ", "9431 AH"), ("NL-2611ET", "2611 ET")],
)
def test_postcode_is_written_in_its_canonical_form(typed: str, canonical: str) -> None:
    assert normalise_postcode(typed) == canonical


@pytest.mark.parametrize("letters", ["SA", "SD", "SS"])
def test_postcode_letter_pairs_never_used_in_the_netherlands_are_refused(letters: str) -> None:
    with pytest.raises(ValueError, match="SA, SD or SS"):
        normalise_postcode(f"1234 {letters}")


@pytest.mark.parametrize("typed", ["0123 AB", "123 AB", "12345 AB", "1234 A", "1234 A1", "ABCD 12", ""])
def test_postcode_in_another_shape_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="like '1234 AB'"):
        normalise_postcode(typed)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1000, 9999),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2).filter(
        lambda p: p not in {"SA", "SD", "SS"}
    ),
    st.sampled_from(["", " "]),
    st.booleans(),
)
def test_every_well_formed_postcode_is_accepted_and_normalising_is_idempotent(
    number: int, letters: str, gap: str, lower: bool
) -> None:
    typed = f"{number}{gap}{letters.lower() if lower else letters}"
    canonical = normalise_postcode(typed)
    assert canonical == f"{number} {letters}"
    assert normalise_postcode(canonical) == canonical


def _with_check_digit(first_eight: str) -> str | None:
    weighted = sum((9 - position) * int(digit) for position, digit in enumerate(first_eight))
    check = weighted % 11
    return None if check == 10 else first_eight + str(check)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=8, max_size=8).filter(lambda n: n != "00000000"))
def test_rsin_with_a_correct_check_digit_is_accepted(first_eight: str) -> None:
    rsin = _with_check_digit(first_eight)
    if rsin is None:
        return
    assert normalise_rsin(f"{rsin[:4]}.{rsin[4:6]}.{rsin[6:]}") == rsin


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8).filter(lambda n: n != "00000000"),
    st.integers(0, 8),
    st.integers(1, 9),
)
def test_the_eleven_check_catches_every_single_mistyped_digit(first_eight: str, position: int, shift: int) -> None:
    rsin = _with_check_digit(first_eight)
    if rsin is None:
        return
    mistyped = rsin[:position] + str((int(rsin[position]) + shift) % 10) + rsin[position + 1 :]
    with pytest.raises(ValueError, match="11-check"):
        normalise_rsin(mistyped)


def test_known_rsin_is_accepted() -> None:
    assert normalise_rsin("111222333") == "111222333"


@pytest.mark.parametrize("typed", ["11122233", "1112223330", "11122233x"])
def test_rsin_that_is_not_nine_digits_is_refused_rather_than_padded(typed: str) -> None:
    with pytest.raises(ValueError, match="exactly 9 digits"):
        normalise_rsin(typed)


def test_every_known_municipality_code_passes_and_case_is_normalised() -> None:
    assert all(check_municipality(code) == code for code in municipalities())
    assert check_municipality(" gm0363 ") == "GM0363"


@pytest.mark.parametrize("code", ["GM9999", "PV22", "0363", ""])
def test_unknown_municipality_code_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match="unknown municipality code"):
        check_municipality(code)


def test_informal_collective_with_kvk_number_or_anbi_is_inconsistent() -> None:
    problems = check_collective_consistency(LegalForm.informal, "99000001", anbi=True)
    assert [field for field, _ in problems] == ["kvk_number", "anbi"]


def test_informal_collective_without_kvk_number_is_consistent() -> None:
    assert check_collective_consistency("informal", None, anbi=False) == []


def test_cooperative_cannot_hold_anbi_status() -> None:
    problems = check_collective_consistency(LegalForm.cooperative, "99000002", anbi=True)
    assert problems == [("anbi", "a cooperative cannot hold ANBI status (Dutch tax law, AWR art. 5b)")]


@pytest.mark.parametrize("form", [LegalForm.foundation, LegalForm.association])
def test_foundations_and_associations_may_hold_anbi_status(form: LegalForm) -> None:
    assert check_collective_consistency(form, "99000003", anbi=True) == []


@pytest.mark.parametrize("form", [f for f in LegalForm if f is not LegalForm.informal])
def test_legal_entity_without_kvk_number_yet_is_not_an_error(form: LegalForm) -> None:
    assert check_collective_consistency(form, None, anbi=False) == []


def test_unknown_legal_form_is_reported_as_a_problem() -> None:
    assert check_collective_consistency("limited_partnership", None, anbi=False)[0][0] == "legal_form"
