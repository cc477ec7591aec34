"""Who should read what, and who could answer what: recommendations and expert routing.

Every function takes plain signals and returns a ranked list with a score and the reasons behind it. Reasons are
short codes (`kind:energy_cooperative`, `theme:energy`, `endorsements:4`) that the API turns into labels.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, TypeVar

# Fit points. They are integers on purpose: popularity only ever breaks ties between equally fitting items, and
# adding a fraction below 1 to an integer fit keeps the score in the same order as that two-level ranking.
KIND_MATCH_POINTS = 3
KIND_ANY_POINTS = 1
STAGE_MATCH_POINTS = 2
STAGE_ANY_POINTS = 1
THEME_POINTS = 2
MAX_THEMES_COUNTED = 3
QUESTION_SAME_KIND_POINTS = 1

# A reuse means a collective actually applied the article; an endorsement only says it helped someone.
REUSE_WEIGHT = 2

EXPERTISE_POINTS = 2.0
THEME_RECORD_WEIGHT = 3.0
TOTAL_RECORD_WEIGHT = 0.5

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class CollectiveProfile:
    kind: str
    stage: str
    themes: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class ArticleSignal:
    id: Hashable
    kinds: frozenset[str] = field(default_factory=frozenset)  # empty: applies to any kind of collective
    stages: frozenset[str] = field(default_factory=frozenset)  # empty: applies to any stage
    themes: frozenset[str] = field(default_factory=frozenset)
    endorsements: int = 0
    reuses: int = 0
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class QuestionSignal:
    id: Hashable
    themes: frozenset[str] = field(default_factory=frozenset)
    answers: int = 0
    asked_at: datetime | None = None
    asker_kind: str | None = None  # kind of the collective it was asked for, if any


@dataclass(frozen=True, slots=True)
class ExpertSignal:
    contributor_id: Hashable
    expertise_themes: frozenset[str] = field(default_factory=frozenset)
    accepted_answers_by_theme: Mapping[str, int] = field(default_factory=dict)
    accepted_answers_total: int = 0


class Recommendation(NamedTuple):
    id: Hashable
    score: float
    reasons: tuple[str, ...]


class ExpertSuggestion(NamedTuple):
    contributor_id: Hashable
    score: float
    reasons: tuple[str, ...]


def recommend(
    collective: CollectiveProfile,
    articles: Iterable[ArticleSignal],
    already_reused: Collection[Hashable] = frozenset(),
    *,
    limit: int | None = None,
) -> list[Recommendation]:
    """Articles that fit the collective's kind, stage and themes; among equals, the most endorsed and reused first.

    An article written for other kinds of collective is left out unless it shares a theme, and so is one that
    the collective has already reused.
    """
    collective_themes = frozenset(collective.themes)
    ranked: list[tuple[tuple, Recommendation]] = []
    for article in articles:
        if article.id in already_reused:
            continue
        fit, reasons = _article_fit(collective, collective_themes, article)
        if fit is None:
            continue
        popularity = max(article.endorsements, 0) + REUSE_WEIGHT * max(article.reuses, 0)
        if article.endorsements > 0:
            reasons.append(f"endorsements:{article.endorsements}")
        if article.reuses > 0:
            reasons.append(f"reuses:{article.reuses}")
        score = fit + _squash(popularity)
        key = (-fit, -popularity, _newest_first(article.published_at), str(article.id))
        ranked.append((key, Recommendation(article.id, round(score, 4), tuple(reasons))))
    return _take([item for _, item in sorted(ranked, key=lambda pair: pair[0])], limit)


def recommend_questions(
    collective: CollectiveProfile,
    questions: Iterable[QuestionSignal],
    exclude: Collection[Hashable] = frozenset(),
    *,
    limit: int | None = None,
) -> list[Recommendation]:
    """Open questions the collective could help with: shared themes first, then the least answered, then newest.

    The caller passes open questions only, and excludes the collective's own.
    """
    collective_themes = frozenset(collective.themes)
    ranked: list[tuple[tuple, Recommendation]] = []
    for question in questions:
        if question.id in exclude:
            continue
        shared = sorted(collective_themes & frozenset(question.themes))
        if not shared:
            continue
        reasons = [f"theme:{theme}" for theme in shared]
        fit = THEME_POINTS * min(len(shared), MAX_THEMES_COUNTED)
        if question.asker_kind is not None and question.asker_kind == collective.kind:
            fit += QUESTION_SAME_KIND_POINTS
            reasons.append(f"kind:{collective.kind}")
        answers = max(question.answers, 0)
        if answers == 0:
            reasons.append("unanswered")
        # Below 1, so it only orders questions that fit equally well; fewer answers means more need of help.
        score = fit + 1 / (2 + answers)
        key = (-fit, answers, _newest_first(question.asked_at), str(question.id))
        ranked.append((key, Recommendation(question.id, round(score, 4), tuple(reasons))))
    return _take([item for _, item in sorted(ranked, key=lambda pair: pair[0])], limit)


def suggest_experts(
    question_themes: Collection[str],
    candidates: Iterable[ExpertSignal],
    exclude: Collection[Hashable] = frozenset(),
    *,
    limit: int | None = None,
) -> list[ExpertSuggestion]:
    """Contributors who claim expertise in the question's themes or have had answers accepted in them.

    A record of accepted answers in the question's own themes weighs most; declared expertise next; the overall
    record only a little, so a prolific answerer in other fields does not crowd out a specialist.
    """
    themes = frozenset(question_themes)
    ranked: list[tuple[tuple, ExpertSuggestion]] = []
    for candidate in candidates:
        if candidate.contributor_id in exclude:
            continue
        declared = sorted(themes & frozenset(candidate.expertise_themes))
        record = {
            theme: count for theme in sorted(themes) if (count := candidate.accepted_answers_by_theme.get(theme, 0)) > 0
        }
        if not declared and not record:
            continue
        theme_record = sum(record.values())
        total_record = max(candidate.accepted_answers_total, theme_record)
        score = (
            EXPERTISE_POINTS * len(declared)
            + THEME_RECORD_WEIGHT * math.log2(1 + theme_record)
            + TOTAL_RECORD_WEIGHT * math.log2(1 + total_record)
        )
        reasons = [f"expertise:{theme}" for theme in declared]
        reasons += [f"accepted_answers:{theme}:{count}" for theme, count in record.items()]
        if total_record > 0:
            reasons.append(f"accepted_answers_total:{total_record}")
        key = (-score, -theme_record, str(candidate.contributor_id))
        ranked.append((key, ExpertSuggestion(candidate.contributor_id, round(score, 4), tuple(reasons))))
    return _take([item for _, item in sorted(ranked, key=lambda pair: pair[0])], limit)


def _article_fit(
    collective: CollectiveProfile, collective_themes: frozenset[str], article: ArticleSignal
) -> tuple[int | None, list[str]]:
    reasons: list[str] = []
    shared = sorted(collective_themes & frozenset(article.themes))
    fit = THEME_POINTS * min(len(shared), MAX_THEMES_COUNTED)
    reasons += [f"theme:{theme}" for theme in shared]

    if not article.kinds:
        fit += KIND_ANY_POINTS
    elif collective.kind in article.kinds:
        fit += KIND_MATCH_POINTS
        reasons.insert(0, f"kind:{collective.kind}")
    elif not shared:
        return None, []

    if not article.stages:
        fit += STAGE_ANY_POINTS
    elif collective.stage in article.stages:
        fit += STAGE_MATCH_POINTS
        reasons.insert(1 if reasons and reasons[0].startswith("kind:") else 0, f"stage:{collective.stage}")
    return fit, reasons


def _squash(popularity: int) -> float:
    # Stays clearly below 1 even after rounding, so a score never reaches the next fit level.
    return 0.99 * popularity / (popularity + 1)


def _newest_first(moment: datetime | None) -> float:
    return -moment.timestamp() if moment is not None else math.inf


def _take(items: list[_T], limit: int | None) -> list[_T]:
    return items if limit is None else items[: max(limit, 0)]
