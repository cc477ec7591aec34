"""Which events a subscription wants: type patterns (fnmatch) and optional province and collective-kind filters.

A filter only lets through events that carry the field it filters on. Events that concern every province or every
kind (a national instrument, an article for all kinds of collectives) pass any filter on that field. Which events
carry what is listed in docs/partners.md.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from shared.contracts.vocabulary import province_of

PATTERN = re.compile(r"^[a-z0-9_.*?\[\]!-]{1,200}$")


@dataclass(frozen=True)
class Scope:
    values: frozenset[str] = frozenset()
    everywhere: bool = False

    def meets(self, wanted: frozenset[str]) -> bool:
        return self.everywhere or bool(self.values & wanted)


EVERYWHERE = Scope(everywhere=True)


@dataclass(frozen=True)
class Facts:
    """What an event says about where it applies; None where it says nothing."""

    provinces: Scope | None
    collective_kinds: Scope | None


@dataclass(frozen=True)
class Interest:
    patterns: tuple[str, ...]
    provinces: frozenset[str] = frozenset()
    collective_kinds: frozenset[str] = frozenset()


def pattern_problem(pattern: str, known_types: Iterable[str]) -> str | None:
    if not PATTERN.match(pattern):
        return "lower-case letters, digits, '.', '_', '-' and the wildcards * ? [ ] only (at most 200)"
    if not any(fnmatch.fnmatchcase(t, pattern) for t in known_types):
        return "matches no event type the platform publishes (see GET /partners/v1/event-types)"
    return None


def matches_type(patterns: Iterable[str], event_type: str) -> bool:
    return any(fnmatch.fnmatchcase(event_type, p) for p in patterns)


def _scope(values: Iterable[Any]) -> Scope:
    return Scope(frozenset(str(getattr(v, "value", v)) for v in values if v))


def event_facts(event_type: str, data: Mapping[str, Any]) -> Facts:
    producer = event_type.split(".")[2] if event_type.count(".") >= 3 else ""
    provinces: Scope | None = None
    kinds: Scope | None = None

    if "provinces" in data or "municipalities" in data:  # an instrument's region
        named = set(data.get("provinces") or [])
        named |= {p for m in data.get("municipalities") or [] if (p := province_of(m))}
        provinces = EVERYWHERE if data.get("national") or not named else _scope(named)
    elif "scope_type" in data:  # a shared goal
        province = data.get("scope_province_code")
        provinces = _scope([province]) if province else EVERYWHERE
        kind = data.get("scope_kind")
        kinds = _scope([kind]) if kind else EVERYWHERE
    elif "pool_id" in data and "province_code" in data:  # a reward pool without a province is national
        provinces = _scope([data["province_code"]]) if data["province_code"] else EVERYWHERE
    elif data.get("province_code"):
        provinces = _scope([data["province_code"]])

    if "collective_kinds" in data:  # instruments and articles: empty means every kind
        kinds = _scope(data["collective_kinds"]) if data["collective_kinds"] else EVERYWHERE
    elif producer == "registry" and data.get("kind"):  # a collective's or an impact report's kind
        kinds = _scope([data["kind"]])
    return Facts(provinces, kinds)


def wants(interest: Interest, event_type: str, facts: Facts) -> bool:
    if not matches_type(interest.patterns, event_type):
        return False
    if interest.provinces and (facts.provinces is None or not facts.provinces.meets(interest.provinces)):
        return False
    return not (
        interest.collective_kinds
        and (facts.collective_kinds is None or not facts.collective_kinds.meets(interest.collective_kinds))
    )
