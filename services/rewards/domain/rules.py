"""The versioned rules file (rules.toml beside this module), parsed into a frozen `Rules`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from services.rewards.domain.levels import Badge, BadgeCounter, Level

DEFAULT_RULES_PATH = Path(__file__).with_name("rules.toml")
_VERSION = re.compile(r"^\d{4}-\d{2}-\d+$")


class RulesError(ValueError):
    pass


@dataclass(frozen=True)
class PointValues:
    article_published: int
    endorsement_received: int
    answer_accepted: int
    asker_bonus: int
    reuse_by_other_collective: int


@dataclass(frozen=True)
class AuthorSplit:
    article_published: bool
    endorsement_received: bool
    reuse_by_other_collective: bool


@dataclass(frozen=True)
class Caps:
    daily_endorsement_cap: int
    pair_cap_per_month: int


@dataclass(frozen=True)
class Rules:
    version: str
    effective_from: date
    points: PointValues
    split_among_authors: AuthorSplit
    caps: Caps
    levels: tuple[Level, ...]
    badges: tuple[Badge, ...]

    def as_public_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "effective_from": self.effective_from.isoformat(),
            "points": _plain(self.points),
            "split_among_authors": _plain(self.split_among_authors),
            "caps": _plain(self.caps),
            "anti_gaming": {
                "own_work": "no points for endorsing, reusing or accepting your own work",
                "reuse": "only a collective other than the article's own collective earns its authors points",
                "accepted_answers_exempt_from_daily_cap": True,
                "balance_never_below_zero": True,
            },
            "levels": [
                {"key": level.key, "threshold": level.threshold, "label": {"nl": level.label_nl, "en": level.label_en}}
                for level in self.levels
            ],
            "badges": [
                {
                    "key": badge.key,
                    "counter": badge.counter.value,
                    "at_least": badge.at_least,
                    "label": {"nl": badge.label_nl, "en": badge.label_en},
                }
                for badge in self.badges
            ],
        }


def load_rules(path: Path | str | None = None) -> Rules:
    source = Path(path) if path is not None else DEFAULT_RULES_PATH
    with source.open("rb") as file:
        raw = tomllib.load(file)
    return parse_rules(raw)


@cache
def default_rules() -> Rules:
    return load_rules()


def parse_rules(raw: dict[str, Any]) -> Rules:
    version = raw.get("version")
    if not isinstance(version, str) or not _VERSION.match(version):
        raise RulesError(f"version must look like 2026-11-1, got {version!r}")
    effective_from = raw.get("effective_from")
    if isinstance(effective_from, str):
        effective_from = date.fromisoformat(effective_from)
    if not isinstance(effective_from, date):
        raise RulesError("effective_from must be a date")
    levels = tuple(_level(entry) for entry in _table_list(raw, "levels"))
    if not levels or min(level.threshold for level in levels) != 0:
        raise RulesError("levels must include one with threshold 0")
    if len({level.threshold for level in levels}) != len(levels) or len({lv.key for lv in levels}) != len(levels):
        raise RulesError("level keys and thresholds must be unique")
    badges = tuple(_badge(entry) for entry in _table_list(raw, "badges"))
    if len({badge.key for badge in badges}) != len(badges):
        raise RulesError("badge keys must be unique")
    return Rules(
        version=version,
        effective_from=effective_from,
        points=_section(raw, "points", PointValues, int),
        split_among_authors=_section(raw, "split_among_authors", AuthorSplit, bool),
        caps=_section(raw, "caps", Caps, int),
        levels=tuple(sorted(levels, key=lambda level: level.threshold)),
        badges=badges,
    )


def _section(raw: dict[str, Any], name: str, kind: type, value_type: type) -> Any:
    table = raw.get(name)
    if not isinstance(table, dict):
        raise RulesError(f"[{name}] is missing")
    expected = {field.name for field in fields(kind)}
    if set(table) != expected:
        raise RulesError(f"[{name}] must have exactly {sorted(expected)}, got {sorted(table)}")
    for key, value in table.items():
        # bool is a subclass of int: reject true/false where a number is meant.
        if type(value) is not value_type or (value_type is int and value < 0):
            raise RulesError(f"[{name}] {key} must be a non-negative {value_type.__name__}, got {value!r}")
    return kind(**table)


def _table_list(raw: dict[str, Any], name: str) -> list[dict[str, Any]]:
    entries = raw.get(name, [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise RulesError(f"[[{name}]] must be an array of tables")
    return entries


def _level(entry: dict[str, Any]) -> Level:
    try:
        level = Level(key=entry["key"], threshold=entry["threshold"], label_nl=entry["nl"], label_en=entry["en"])
    except KeyError as missing:
        raise RulesError(f"a level misses {missing}") from None
    if type(level.threshold) is not int or level.threshold < 0:
        raise RulesError(f"level {level.key} needs a non-negative integer threshold")
    return level


def _badge(entry: dict[str, Any]) -> Badge:
    try:
        counter = BadgeCounter(entry["counter"])
        badge = Badge(
            key=entry["key"], counter=counter, at_least=entry["at_least"], label_nl=entry["nl"], label_en=entry["en"]
        )
    except KeyError as missing:
        raise RulesError(f"a badge misses {missing}") from None
    except ValueError:
        raise RulesError(f"unknown badge counter {entry.get('counter')!r}") from None
    if type(badge.at_least) is not int or badge.at_least < 1:
        raise RulesError(f"badge {badge.key} needs at_least ≥ 1")
    return badge


def _plain(section: Any) -> dict[str, Any]:
    return {field.name: getattr(section, field.name) for field in fields(section)}
