"""Levels by points and badges by counters.

Levels follow the current balance, so a reversal can lower a level; `levels_reached` reports only upward crossings.
Badges are never taken back: they count distinct things that happened (an article published, an answer accepted),
and a later retraction does not un-happen the recognition.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class BadgeCounter(StrEnum):
    articles_published = "articles_published"
    answers_accepted = "answers_accepted"
    reusing_collectives = "reusing_collectives"
    endorsements_received = "endorsements_received"


@dataclass(frozen=True)
class Level:
    key: str
    threshold: int
    label_nl: str
    label_en: str


@dataclass(frozen=True)
class Badge:
    key: str
    counter: BadgeCounter
    at_least: int
    label_nl: str
    label_en: str

    def earned_by(self, counters: Counters) -> bool:
        return counters.value(self.counter) >= self.at_least


@dataclass(frozen=True)
class CounterItem:
    """One distinct thing that counts toward a contributor's counter; counting is by distinct `item`."""

    contributor_id: str
    counter: BadgeCounter
    item: str


@dataclass(frozen=True)
class Counters:
    articles_published: int = 0
    answers_accepted: int = 0
    reusing_collectives: int = 0
    endorsements_received: int = 0

    def value(self, counter: BadgeCounter) -> int:
        return getattr(self, counter.value)

    @classmethod
    def from_items(cls, items: Iterable[CounterItem]) -> Counters:
        distinct: dict[BadgeCounter, set[str]] = {counter: set() for counter in BadgeCounter}
        for item in items:
            distinct[item.counter].add(item.item)
        return cls(**{counter.value: len(values) for counter, values in distinct.items()})


def _default_levels() -> Sequence[Level]:
    from services.rewards.domain.rules import default_rules

    return default_rules().levels


def _default_badges() -> Sequence[Badge]:
    from services.rewards.domain.rules import default_rules

    return default_rules().badges


def level_for(points: int, levels: Sequence[Level] | None = None) -> Level:
    ladder = sorted(levels if levels is not None else _default_levels(), key=lambda level: level.threshold)
    reached = [level for level in ladder if points >= level.threshold]
    return reached[-1] if reached else ladder[0]


def levels_reached(before_points: int, after_points: int, levels: Sequence[Level] | None = None) -> list[Level]:
    ladder = sorted(levels if levels is not None else _default_levels(), key=lambda level: level.threshold)
    return [level for level in ladder if before_points < level.threshold <= after_points]


def earned_badges(counters: Counters, badges: Sequence[Badge] | None = None) -> list[Badge]:
    return [badge for badge in (badges if badges is not None else _default_badges()) if badge.earned_by(counters)]


def newly_earned_badges(before: Counters, after: Counters, badges: Sequence[Badge] | None = None) -> list[Badge]:
    return [
        badge
        for badge in (badges if badges is not None else _default_badges())
        if badge.earned_by(after) and not badge.earned_by(before)
    ]
