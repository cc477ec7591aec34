"""Dividing a match-funding round's budget over its projects.

Two mechanisms:

- `quadratic`: a project's ideal match is `(Σ√pledge)² − Σpledge` over the people who pledged to it, so broad
  support counts for more than deep pockets. The ideal matches are scaled to the whole budget; a per-project cap
  clips a project and the excess is redistributed over the others until none is left.
- `one_to_one`: €1 for every €1 raised, up to a cap per project, as Dutch provinces and municipalities do. When the
  entitlements together exceed the budget they are scaled down pro rata (there is no notion of "who came first" in
  a pure function; a first-come-first-served round would close itself when the budget runs out).

Every result holds `sum(allocations) + unallocated_cents == budget_cents`. Money stays unallocated only when nothing
more can be allocated: no project has a positive ideal match, or every such project has reached its cap (or, for
`one_to_one`, its raised amount). Cents are split with the largest-remainder method, so no cent appears or vanishes.

All-or-nothing campaigns: a project listed in `targets` whose pledges stay below its target gets no match, and its
pledges are released (listed in `released`). The target counts residents' pledges only, not the match.

One person, one voice per project: pledges are counted as one total per person per project (`aggregate_pledges`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Generic, TypeVar

P = TypeVar("P", bound=Hashable)
Q = TypeVar("Q", bound=Hashable)
K = TypeVar("K", bound=Hashable)


class Mechanism(StrEnum):
    quadratic = "quadratic"
    one_to_one = "one_to_one"


@dataclass(frozen=True, slots=True)
class RoundAllocation(Generic[P]):
    budget_cents: int
    allocations: dict[P, int]
    unallocated_cents: int
    capped: frozenset[P] = field(default_factory=frozenset)
    released: frozenset[P] = field(default_factory=frozenset)

    @property
    def allocated_cents(self) -> int:
        return self.budget_cents - self.unallocated_cents


@dataclass(frozen=True, slots=True)
class PledgeEffect(Generic[P]):
    project_id: P
    pledge_cents: int
    match_before_cents: int
    match_after_cents: int
    target_reached_before: bool
    target_reached_after: bool

    @property
    def match_change_cents(self) -> int:
        return self.match_after_cents - self.match_before_cents


def _key_order(key: Hashable) -> str:
    return str(key)


def largest_remainder(total: int, weights: Mapping[K, int | float | Fraction]) -> dict[K, int]:
    """Split `total` cents in proportion to `weights`, exactly: the parts are integers that sum to `total`.

    Each part is the floor of its exact share plus at most one cent; the extra cents go to the largest remainders,
    ties broken by the key's text so the result does not depend on the mapping's order.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    exact = {key: Fraction(weight) for key, weight in weights.items()}
    if any(weight < 0 for weight in exact.values()):
        raise ValueError("weights must not be negative")
    weight_sum = sum(exact.values(), Fraction(0))
    if weight_sum == 0:
        if total == 0:
            return dict.fromkeys(exact, 0)
        raise ValueError("cannot split a positive total over zero weights")
    parts: dict[K, int] = {}
    remainders: list[tuple[Fraction, str, K]] = []
    for key, weight in exact.items():
        share = total * weight / weight_sum
        whole = math.floor(share)
        parts[key] = whole
        remainders.append((share - whole, _key_order(key), key))
    left = total - sum(parts.values())
    remainders.sort(key=lambda item: (-item[0], item[1]))
    for _, _, key in remainders[:left]:
        parts[key] += 1
    return parts


def aggregate_pledges(pledges: Iterable[tuple[P, Q, int]]) -> dict[P, dict[Q, int]]:
    """From individual pledges `(project, person, cents)` to one counted total per person per project."""
    totals: dict[P, dict[Q, int]] = {}
    for project, person, cents in pledges:
        if cents < 0:
            raise ValueError("a pledge must not be negative")
        per_person = totals.setdefault(project, {})
        per_person[person] = per_person.get(person, 0) + cents
    return totals


def raised_totals(pledges: Mapping[P, Mapping[Q, int]]) -> dict[P, int]:
    return {project: sum(per_person.values()) for project, per_person in pledges.items()}


def quadratic_weight(contributions: Iterable[int]) -> float:
    """`(Σ√c)² − Σc`: zero for a project with fewer than two backers, so one large pledge alone earns no match."""
    positive = [c for c in contributions if c > 0]
    if len(positive) < 2:
        return 0.0
    root_sum = math.fsum(math.sqrt(c) for c in positive)
    return max(root_sum * root_sum - math.fsum(positive), 0.0)


def _released(raised: Mapping[P, int], targets: Mapping[P, int] | None) -> frozenset[P]:
    if not targets:
        return frozenset()
    return frozenset(project for project, target in targets.items() if raised.get(project, 0) < target)


def _projects(joined: Mapping[P, object], targets: Mapping[P, int] | None) -> list[P]:
    """Every project in the round: those with pledges and those with a campaign target but no pledges yet."""
    return [*joined, *(project for project in targets or {} if project not in joined)]


def _validate(budget_cents: int, cap_cents: int | None) -> None:
    if budget_cents < 0:
        raise ValueError("budget_cents must not be negative")
    if cap_cents is not None and cap_cents < 0:
        raise ValueError("cap_cents must not be negative")


def _fill_with_cap(
    budget_cents: int,
    weights: Mapping[P, float | int],
    cap_cents: int | None,
    projects: Iterable[P],
    released: frozenset[P],
) -> RoundAllocation[P]:
    """Scale weights to the budget; clip at the cap and hand the excess to the rest until nothing exceeds it."""
    active = {project: Fraction(weight) for project, weight in weights.items() if weight > 0}
    weight_sum = sum(active.values(), Fraction(0))
    budget = budget_cents
    allocations = dict.fromkeys(projects, 0)
    capped: set[P] = set()
    if cap_cents is not None:
        while active:
            over = [p for p, weight in active.items() if budget * weight > cap_cents * weight_sum]
            if not over:
                break
            for project in over:
                weight_sum -= active.pop(project)
                capped.add(project)
                allocations[project] = cap_cents
                budget -= cap_cents
    if active:
        allocations.update(largest_remainder(budget, active))
        budget = 0
    return RoundAllocation(budget_cents, allocations, budget, frozenset(capped), released)


def quadratic_allocation(
    budget_cents: int,
    pledges: Mapping[P, Mapping[Q, int]],
    cap_cents: int | None = None,
    targets: Mapping[P, int] | None = None,
) -> RoundAllocation[P]:
    """`pledges` holds one total per person per project; see `aggregate_pledges`."""
    _validate(budget_cents, cap_cents)
    released = _released(raised_totals(pledges), targets)
    weights = {
        project: quadratic_weight(per_person.values())
        for project, per_person in pledges.items()
        if project not in released
    }
    return _fill_with_cap(budget_cents, weights, cap_cents, _projects(pledges, targets), released)


def one_to_one_allocation(
    budget_cents: int,
    raised: Mapping[P, int],
    cap_cents: int | None = None,
    targets: Mapping[P, int] | None = None,
) -> RoundAllocation[P]:
    _validate(budget_cents, cap_cents)
    if any(amount < 0 for amount in raised.values()):
        raise ValueError("raised amounts must not be negative")
    released = _released(raised, targets)
    entitled = {
        project: amount if cap_cents is None else min(amount, cap_cents)
        for project, amount in raised.items()
        if project not in released
    }
    capped = frozenset(p for p, amount in raised.items() if p not in released and amount != entitled[p])
    allocations = dict.fromkeys(_projects(raised, targets), 0)
    wanted = sum(entitled.values())
    if wanted <= budget_cents:
        allocations.update(entitled)
        return RoundAllocation(budget_cents, allocations, budget_cents - wanted, capped, released)
    allocations.update(largest_remainder(budget_cents, entitled))
    return RoundAllocation(budget_cents, allocations, 0, capped, released)


def allocate(
    mechanism: Mechanism | str,
    budget_cents: int,
    pledges: Mapping[P, Mapping[Q, int]],
    cap_cents: int | None = None,
    targets: Mapping[P, int] | None = None,
) -> RoundAllocation[P]:
    if Mechanism(mechanism) is Mechanism.quadratic:
        return quadratic_allocation(budget_cents, pledges, cap_cents, targets)
    return one_to_one_allocation(budget_cents, raised_totals(pledges), cap_cents, targets)


def estimate_pledge_effect(
    mechanism: Mechanism | str,
    budget_cents: int,
    pledges: Mapping[P, Mapping[Q, int]],
    project_id: P,
    person_id: Q,
    pledge_cents: int,
    cap_cents: int | None = None,
    targets: Mapping[P, int] | None = None,
) -> PledgeEffect[P]:
    """The project's match if the round closed now, before and after this person adds this pledge.

    The pledge adds to what the person already pledged to the project (one counted total per person). Under
    `quadratic` with a fixed budget, the other projects' matches shrink by what this one gains.
    """
    if pledge_cents <= 0:
        raise ValueError("pledge_cents must be positive")
    after: dict[P, Mapping[Q, int]] = dict(pledges)
    per_person = dict(pledges.get(project_id, {}))
    per_person[person_id] = per_person.get(person_id, 0) + pledge_cents
    after[project_id] = per_person
    before_result = allocate(mechanism, budget_cents, pledges, cap_cents, targets)
    after_result = allocate(mechanism, budget_cents, after, cap_cents, targets)
    target = (targets or {}).get(project_id)
    raised_before = sum(pledges.get(project_id, {}).values())
    return PledgeEffect(
        project_id,
        pledge_cents,
        before_result.allocations.get(project_id, 0),
        after_result.allocations.get(project_id, 0),
        target is None or raised_before >= target,
        target is None or raised_before + pledge_cents >= target,
    )
