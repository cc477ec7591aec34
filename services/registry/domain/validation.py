"""Dutch identifiers and the consistency rules between legal form, KvK registration and ANBI status.

Each `normalise_*` function returns the canonical form or raises ValueError with a message fit for an API client,
so it can be wrapped unchanged in a pydantic validator.
"""

from __future__ import annotations

import re

from stdnum.exceptions import InvalidComponent, ValidationError
from stdnum.nl import bsn, postcode

from shared.contracts.vocabulary import LegalForm, municipalities

Problem = tuple[str, str]

_SEPARATORS = re.compile(r"[\s.]")
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")
_NINE_DIGITS = re.compile(r"[0-9]{9}")


def _require_text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be given as text, got {type(value).__name__}")
    return value


def normalise_kvk(value: str) -> str:
    compact = _SEPARATORS.sub("", _require_text(value, "KvK number"))
    if not _EIGHT_DIGITS.fullmatch(compact):
        raise ValueError(f"KvK number must be exactly 8 digits (spaces and dots allowed), got {value!r}")
    return compact


def normalise_postcode(value: str) -> str:
    text = _require_text(value, "postcode")
    try:
        return postcode.validate(text)
    except InvalidComponent:
        raise ValueError(
            f"postcode {value!r} uses a letter pair that Dutch postcodes never use (SA, SD or SS)"
        ) from None
    except ValidationError:
        raise ValueError(
            f"postcode must be four digits (not starting with 0) and two letters, like '1234 AB'; got {value!r}"
        ) from None


def normalise_rsin(value: str) -> str:
    # The RSIN shares the BSN's 11-check, but stdnum's BSN compact() pads short input with zeros, so the length is
    # checked here first: an 8-digit RSIN is a typo, not a number with a missing leading zero.
    compact = _SEPARATORS.sub("", _require_text(value, "RSIN"))
    if not _NINE_DIGITS.fullmatch(compact):
        raise ValueError(f"RSIN must be exactly 9 digits (spaces and dots allowed), got {value!r}")
    if not bsn.is_valid(compact):
        raise ValueError(f"RSIN {value!r} fails the 11-check; please check for a typing error")
    return compact


def check_municipality(code: str) -> str:
    text = _require_text(code, "municipality code").strip().upper()
    if text not in municipalities():
        raise ValueError(f"unknown municipality code {code!r}; expected a CBS code like 'GM0363'")
    return text


def check_collective_consistency(legal_form: LegalForm | str, kvk_number: str | None, anbi: bool) -> list[Problem]:
    try:
        form = LegalForm(legal_form)
    except ValueError:
        return [("legal_form", f"unknown legal form {legal_form!r}")]
    problems: list[Problem] = []
    if form is LegalForm.informal:
        if kvk_number:
            problems.append(("kvk_number", "an informal collective is not a legal entity and has no KvK number"))
        if anbi:
            problems.append(("anbi", "ANBI status is granted to legal entities only, not to an informal collective"))
    if form is LegalForm.cooperative and anbi:
        problems.append(("anbi", "a cooperative cannot hold ANBI status (Dutch tax law, AWR art. 5b)"))
    # Other legal entities are normally registered at the KvK, but a missing number is not an error: collectives
    # are often registered here before their papers are in order.
    return problems
