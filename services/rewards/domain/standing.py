"""A contributor's standing — balance, levels and badges — moved along by ledger decisions.

Levels are announced once: `level.reached` fires when the balance first passes a threshold above the highest balance
ever held (`peak_balance`), so losing points and earning them back announces nothing twice. Badges count distinct
things (`CounterItem`), so an item counted before never counts again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from services.rewards.domain.ledger import Decision
from services.rewards.domain.levels import Badge, CounterItem, Counters, Level, level_for, newly_earned_badges
from services.rewards.domain.rules import Rules


@dataclass(frozen=True)
class Standing:
    contributor_id: str
    balance: int = 0
    peak_balance: int = 0
    counters: Counters = field(default_factory=Counters)
    version: int = 0


@dataclass(frozen=True)
class Change:
    """What one decision did to one contributor."""

    contributor_id: str
    points: int
    before: Standing
    after: Standing
    level: Level
    levels_reached: tuple[Level, ...] = ()
    badges_earned: tuple[Badge, ...] = ()


class Standings:
    """Standings of the contributors a run of decisions touches, starting from what was loaded.

    `counted` holds the counter items already counted before the run; contributors missing from `loaded` start at
    zero (they have no row yet).
    """

    def __init__(self, loaded: Mapping[str, Standing], counted: Iterable[CounterItem], rules: Rules) -> None:
        self.rules = rules
        self._standings = dict(loaded)
        self._counted = set(counted)
        self.touched: dict[str, Standing] = {}

    def get(self, contributor_id: str) -> Standing:
        return self._standings.get(contributor_id) or Standing(contributor_id)

    def apply(self, decision: Decision) -> list[Change]:
        deltas = decision.deltas()
        fresh: dict[str, list[CounterItem]] = {}
        for item in decision.counter_items:
            if item not in self._counted:
                self._counted.add(item)
                fresh.setdefault(item.contributor_id, []).append(item)
        changes = []
        levels, badges = self.rules.levels, self.rules.badges
        for contributor in sorted(deltas.keys() | fresh.keys()):
            before = self.get(contributor)
            points = deltas.get(contributor, 0)
            counters = before.counters
            for item in fresh.get(contributor, ()):
                counters = replace(counters, **{item.counter.value: counters.value(item.counter) + 1})
            balance = before.balance + points
            after = Standing(contributor, balance, max(before.peak_balance, balance), counters, before.version + 1)
            reached = tuple(level for level in levels if before.peak_balance < level.threshold <= balance)
            changes.append(
                Change(
                    contributor_id=contributor,
                    points=points,
                    before=before,
                    after=after,
                    level=level_for(balance, levels),
                    levels_reached=reached,
                    # only a counter that moved can earn a badge
                    badges_earned=tuple(newly_earned_badges(before.counters, counters, badges))
                    if counters is not before.counters
                    else (),
                )
            )
            self._standings[contributor] = after
            self.touched[contributor] = after
        return changes
