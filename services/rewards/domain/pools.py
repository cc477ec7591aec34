"""Dividing a reward pool among contributors in proportion to their points.

The order of the steps matters and is this:
1. Water-filling: shares in proportion to points; anyone above the cap gets the cap and the rest is shared again
   among the others, until nobody is above it.
2. Minimum payout: if anyone's share is under the minimum, the contributors with the fewest points (all who tie on
   that count) are dropped and step 1 runs again without them. Dropping one group at a time, lowest first, keeps
   everyone who would clear the minimum once a smaller contributor's share is redistributed.
3. Largest remainder on the exact shares, ties by contributor id, so the cents sum exactly to what is distributed.

The cap is `floor(max_share × amount)` in whole cents, so rounding up can never lift a payout above it. When the
cap times the number of contributors is below the amount (max_share 0.25 and only two people), everyone gets the cap
and the rest stays undistributed; with nobody eligible, all of it does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar

ContributorId = TypeVar("ContributorId")
ShareLike = Fraction | Decimal | float | int | str


class PoolError(ValueError):
    pass


@dataclass(frozen=True)
class PoolDivision:
    payouts: dict
    undistributed_cents: int
    cap_cents: int
    capped: frozenset = field(default_factory=frozenset)
    below_minimum: frozenset = field(default_factory=frozenset)

    @property
    def distributed_cents(self) -> int:
        return sum(self.payouts.values())


def as_fraction(max_share: ShareLike) -> Fraction:
    """0.25, "0.25", Decimal("0.25") and Fraction(1, 4) all mean a quarter (floats by their decimal text)."""
    if isinstance(max_share, bool):
        raise PoolError("max_share must be a number")
    try:
        share = Fraction(repr(max_share)) if isinstance(max_share, float) else Fraction(max_share)
    except (ValueError, TypeError, ZeroDivisionError):
        raise PoolError(f"max_share must be a number, got {max_share!r}") from None
    if not 0 < share <= 1:
        raise PoolError("max_share must be more than 0 and at most 1")
    return share


def share_cap_cents(amount_cents: int, max_share: ShareLike) -> int:
    return math.floor(amount_cents * as_fraction(max_share))


def divide_pool(
    amount_cents: int,
    points: Mapping[ContributorId, int],
    min_payout_cents: int = 0,
    max_share: ShareLike = 1,
) -> PoolDivision:
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents < 0:
        raise PoolError("amount_cents must be a non-negative integer")
    if isinstance(min_payout_cents, bool) or not isinstance(min_payout_cents, int) or min_payout_cents < 0:
        raise PoolError("min_payout_cents must be a non-negative integer")
    cap = share_cap_cents(amount_cents, max_share)
    eligible = {contributor: int(earned) for contributor, earned in points.items() if earned > 0}
    below_minimum: set = set()
    while True:
        exact, capped = _water_fill(amount_cents, eligible, cap)
        under = [contributor for contributor, share in exact.items() if share < min_payout_cents]
        if not under:
            break
        fewest = min(eligible[contributor] for contributor in under)
        dropped = {contributor for contributor in under if eligible[contributor] == fewest}
        below_minimum |= dropped
        eligible = {contributor: earned for contributor, earned in eligible.items() if contributor not in dropped}
    payouts = _largest_remainder(exact)
    return PoolDivision(
        payouts={contributor: cents for contributor, cents in payouts.items() if cents > 0},
        undistributed_cents=amount_cents - sum(payouts.values()),
        cap_cents=cap,
        capped=frozenset(capped),
        below_minimum=frozenset(below_minimum),
    )


def _water_fill(amount_cents: int, points: Mapping, cap: int) -> tuple[dict, set]:
    capped: set = set()
    while True:
        free = [contributor for contributor in points if contributor not in capped]
        remaining = amount_cents - cap * len(capped)
        total = sum(points[contributor] for contributor in free)
        shares = {contributor: Fraction(remaining * points[contributor], total) for contributor in free}
        over = {contributor for contributor, share in shares.items() if share > cap}
        if not over:
            return {**{contributor: Fraction(cap) for contributor in capped}, **shares}, capped
        capped |= over


def _largest_remainder(exact: Mapping) -> dict:
    floors = {contributor: math.floor(share) for contributor, share in exact.items()}
    leftover = int(sum(exact.values())) - sum(floors.values())
    by_remainder = sorted(exact, key=lambda contributor: (floors[contributor] - exact[contributor], str(contributor)))
    for contributor in by_remainder[:leftover]:
        floors[contributor] += 1
    return dict(sorted(floors.items(), key=lambda item: str(item[0])))


class PayoutStatus(StrEnum):
    calculated = "calculated"
    approved = "approved"
    paid = "paid"


_NEXT_STATUS = {PayoutStatus.calculated: PayoutStatus.approved, PayoutStatus.approved: PayoutStatus.paid}


def can_move_payout(current: PayoutStatus, target: PayoutStatus) -> bool:
    return _NEXT_STATUS.get(PayoutStatus(current)) == PayoutStatus(target)


@dataclass(frozen=True)
class PoolTerms:
    """What a funder sets when creating a pool. The period runs from the start of `period_start` through the end of
    `period_end` (both UTC days, inclusive); `theme` and `province` (e.g. `PV26`) narrow it when given."""

    amount_cents: int
    period_start: date
    period_end: date
    min_payout_cents: int = 0
    max_share: Fraction = Fraction(1)
    theme: str | None = None
    province: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.amount_cents, bool) or not isinstance(self.amount_cents, int) or self.amount_cents <= 0:
            raise PoolError("amount_cents must be a positive integer")
        if not isinstance(self.min_payout_cents, int) or not 0 <= self.min_payout_cents <= self.amount_cents:
            raise PoolError("min_payout_cents must be between 0 and amount_cents")
        if self.period_end < self.period_start:
            raise PoolError("period_end must not be before period_start")
        object.__setattr__(self, "max_share", as_fraction(self.max_share))

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.period_start, time.min, tzinfo=UTC)

    @property
    def ends_before(self) -> datetime:
        return datetime.combine(self.period_end + timedelta(days=1), time.min, tzinfo=UTC)

    def covers(self, moment: datetime, themes: tuple[str, ...] | frozenset[str], province: str | None) -> bool:
        return (
            self.starts_at <= moment < self.ends_before
            and (self.theme is None or self.theme in themes)
            and (self.province is None or self.province == province)
        )

    def divide(self, points: Mapping[ContributorId, int]) -> PoolDivision:
        return divide_pool(self.amount_cents, points, self.min_payout_cents, self.max_share)
