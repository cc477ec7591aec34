"""Leaderboard periods: a month (`2026-11`), a quarter (`2026-Q4`), a year (`2026`) or `all`, in UTC."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(?P<year>\d{4})-Q(?P<quarter>[1-4])$")
_YEAR = re.compile(r"^(?P<year>\d{4})$")
EXAMPLES = "2026-11, 2026-Q4, 2026 or all"


@dataclass(frozen=True)
class Period:
    label: str
    starts_at: datetime | None  # None: since the beginning
    ends_before: datetime | None  # None: until now


def _start_of_month(year: int, month: int) -> datetime:
    return datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1, tzinfo=UTC)


def parse_period(text: str) -> Period:
    try:
        return _parse(text.strip())
    except ValueError:  # also a year past what datetime can hold
        raise ValueError(f"period must look like {EXAMPLES}; got {text!r}") from None


def _parse(text: str) -> Period:
    if text == "all":
        return Period("all", None, None)
    if match := _MONTH.match(text):
        year, month = int(match["year"]), int(match["month"])
        return Period(text, _start_of_month(year, month), _start_of_month(year, month + 1))
    if match := _QUARTER.match(text):
        year, first = int(match["year"]), 3 * int(match["quarter"]) - 2
        return Period(text, _start_of_month(year, first), _start_of_month(year, first + 3))
    if match := _YEAR.match(text):
        year = int(match["year"])
        return Period(text, _start_of_month(year, 1), _start_of_month(year + 1, 1))
    raise ValueError(text)
