"""When to try a delivery again, when to give up on it, and when to give up on a whole subscription."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

# 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h: ten attempts spread over about 16 hours.
DEFAULT_SCHEDULE: tuple[float, ...] = (5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800)


def max_attempts(schedule: Sequence[float]) -> int:
    return len(schedule) + 1


def next_delay(
    schedule: Sequence[float], attempts_made: int, jitter: float, uniform: Callable[[float, float], float]
) -> float | None:
    """Seconds until the next attempt after `attempts_made` failed ones; None when the delivery is dead.

    Jitter spreads the retries of many deliveries that failed together (a partner that was down for a minute), so
    they do not all come back in the same second.
    """
    if attempts_made >= max_attempts(schedule):
        return None
    base = schedule[attempts_made - 1]
    return max(0.0, base * uniform(1 - jitter, 1 + jitter))


def should_disable(
    consecutive_failures: int,
    failing_since: datetime | None,
    now: datetime,
    *,
    disable_after: int,
    disable_after_seconds: float,
) -> bool:
    """A long run of failed attempts that has also lasted long enough: a busy subscription fails many times in a
    short outage, so the count alone would switch it off for a blip."""
    if consecutive_failures < disable_after or failing_since is None:
        return False
    return now - failing_since >= timedelta(seconds=disable_after_seconds)


def attempt_result(status_code: int | None, error_kind: str | None) -> str:
    """The label of one attempt: success, redirect, gone, http_4xx, http_5xx, or the kind of error."""
    if status_code is None:
        return error_kind or "error"
    if 200 <= status_code < 300:
        return "success"
    if 300 <= status_code < 400:
        return "redirect"
    if status_code == 410:
        return "gone"
    if status_code < 500:
        return "http_4xx"
    return "http_5xx"
