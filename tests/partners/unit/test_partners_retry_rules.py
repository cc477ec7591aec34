from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.partners.domain.retry import (
    DEFAULT_SCHEDULE,
    attempt_result,
    max_attempts,
    next_delay,
    should_disable,
)

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def middle(low: float, high: float) -> float:
    return (low + high) / 2


def test_the_default_schedule_spreads_ten_attempts_over_hours():
    assert max_attempts(DEFAULT_SCHEDULE) == 10
    delays = [next_delay(DEFAULT_SCHEDULE, n, 0, middle) for n in range(1, 10)]
    assert delays[:4] == [5, 30, 120, 600]
    assert sum(delays) / 3600 > 15
    assert next_delay(DEFAULT_SCHEDULE, 10, 0, middle) is None


@settings(max_examples=200, deadline=None)
@given(
    attempts=st.integers(min_value=1, max_value=9),
    jitter=st.floats(min_value=0, max_value=1),
    draw=st.floats(min_value=0, max_value=1),
)
def test_jitter_stays_within_its_bounds(attempts, jitter, draw):
    delay = next_delay(DEFAULT_SCHEDULE, attempts, jitter, lambda lo, hi: lo + (hi - lo) * draw)
    base = DEFAULT_SCHEDULE[attempts - 1]
    assert base * (1 - jitter) - 1e-9 <= delay <= base * (1 + jitter) + 1e-9
    assert delay >= 0


def test_a_subscription_is_disabled_only_after_a_long_enough_run_of_failures():
    rule = {"disable_after": 50, "disable_after_seconds": 24 * 3600}
    assert not should_disable(49, NOW - timedelta(days=3), NOW, **rule)
    assert not should_disable(500, NOW - timedelta(hours=1), NOW, **rule)  # a busy partner's short outage
    assert should_disable(50, NOW - timedelta(hours=24), NOW, **rule)
    assert not should_disable(50, None, NOW, **rule)


@pytest.mark.parametrize(
    ("status", "error", "result"),
    [
        (200, None, "success"),
        (204, None, "success"),
        (301, None, "redirect"),
        (410, None, "gone"),
        (429, None, "http_4xx"),
        (503, None, "http_5xx"),
        (None, "timeout", "timeout"),
        (None, "blocked", "blocked"),
        (None, None, "error"),
    ],
)
def test_attempt_results(status, error, result):
    assert attempt_result(status, error) == result
