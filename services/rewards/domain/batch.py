"""Deciding a run of events against one snapshot loaded for all of them, exactly as if one by one.

A store loads the union of what the events of a run may ask (`combined_reads`) once; `RunningState` then answers
each decision from that snapshot plus the effects of the decisions before it in the run. Caps depend on earlier
endorsements, reversals on earlier awards, and both may sit in the same run, so the run is decided in order.
Anything not loaded still raises `MissingState`, as a plain `StateSnapshot` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from services.rewards.domain.ledger import (
    ANSWER_ACCEPTED,
    ARTICLE_PUBLISHED,
    KnowledgeEvent,
    MissingState,
    Posting,
    Reason,
    StateReads,
    StateSnapshot,
    month_start,
    utc_day,
)
from services.rewards.domain.ledger import Decision as _Decision


def combined_reads(reads: Iterable[StateReads | None]) -> StateReads:
    merged: dict[str, dict] = {name: {} for name in StateReads.__dataclass_fields__}
    for one in reads:
        if one is None:
            continue
        for name in merged:
            merged[name].update(dict.fromkeys(getattr(one, name)))
    return StateReads(**{name: tuple(values) for name, values in merged.items()})


PERSON_FIELDS = ("authors", "credited", "endorser_id", "author_id", "asker_id", "reporter_id")
ARTICLE_REVISED = "article.revised"


def contributors_named(event: KnowledgeEvent) -> set[str]:
    """Everyone an event may credit or debit: their balances must be loaded before a run is decided, because an
    earlier event of the run can bring them into the postings a later reversal reads."""
    named: set[str] = set()
    for name in PERSON_FIELDS:
        value = event.data.get(name)
        if isinstance(value, list | tuple):
            named.update(str(item) for item in value if item is not None)
        elif value is not None and value != "":
            named.add(str(value))
    return named


def subject_themes(event: KnowledgeEvent) -> tuple[str, tuple[str, ...]] | None:
    """The themes an event sets for `article:<id>` / `answer:<id>`, as the in-memory `Ledger` remembers them."""
    themes = event.data.get("themes")
    if themes is None:
        return None
    if event.type in {ARTICLE_PUBLISHED, ARTICLE_REVISED} and event.data.get("article_id"):
        return f"article:{event.data['article_id']}", tuple(str(theme) for theme in themes)
    if event.type == ANSWER_ACCEPTED and event.data.get("answer_id"):
        return f"answer:{event.data['answer_id']}", tuple(str(theme) for theme in themes)
    return None


class RunningState:
    """A `StateView` over a snapshot that also sees the decisions recorded on it since it was loaded."""

    def __init__(self, snapshot: StateSnapshot) -> None:
        self._known = dict(snapshot.known)
        self._closed = dict(snapshot.closed)
        self._by_source = {key: list(postings) for key, postings in snapshot.postings_by_source.items()}
        self._by_article = {key: list(postings) for key, postings in snapshot.postings_by_article.items()}
        self._endorsement_points = dict(snapshot.endorsement_points)
        self._pair_points = dict(snapshot.pair_points)
        self._balances = dict(snapshot.balances)
        self._themes = dict(snapshot.themes)

    @staticmethod
    def _lookup(values: dict, key: object, what: str):
        try:
            return values[key]
        except KeyError:
            raise MissingState(f"{what} {key!r} was not loaded") from None

    def record(self, decision: _Decision) -> None:
        # Known and closed keys are facts whatever was loaded; sums and lists only grow where the loaded part is
        # there to add to, so a question about anything else still fails loudly.
        if decision.claims_source:
            self._known[decision.source_key] = True
        for key in decision.closes:
            self._closed[key] = True
        day, month = utc_day(decision.time), month_start(decision.time)
        for posting in decision.postings:
            self._append(self._by_source, posting.source_key, posting)
            if posting.article_id is not None:
                self._append(self._by_article, posting.article_id, posting)
            if posting.contributor_id is None:
                continue
            if posting.contributor_id in self._balances:
                self._balances[posting.contributor_id] += posting.amount
            if posting.reason == Reason.endorsement_received and posting.amount > 0:
                self._add(self._endorsement_points, (posting.contributor_id, day), posting.amount)
                if decision.actor_id is not None:
                    self._add(self._pair_points, (decision.actor_id, posting.contributor_id, month), posting.amount)

    def remember_themes(self, subject_key: str, themes: tuple[str, ...]) -> None:
        if subject_key in self._themes:
            self._themes[subject_key] = themes

    @staticmethod
    def _append(values: dict[str, list[Posting]], key: str, posting: Posting) -> None:
        if key in values:
            values[key].append(posting)

    @staticmethod
    def _add(values: dict, key: tuple, amount: int) -> None:
        if key in values:
            values[key] += amount

    def is_known(self, source_key: str) -> bool:
        return self._lookup(self._known, source_key, "known")

    def is_closed(self, key: str) -> bool:
        return self._lookup(self._closed, key, "closed")

    def postings_for_source(self, source_key: str) -> tuple[Posting, ...]:
        return tuple(self._lookup(self._by_source, source_key, "postings for source"))

    def postings_for_article(self, article_id: str) -> tuple[Posting, ...]:
        return tuple(self._lookup(self._by_article, article_id, "postings for article"))

    def endorsement_points_on(self, contributor_id: str, day: date) -> int:
        return self._lookup(self._endorsement_points, (contributor_id, day), "endorsement points")

    def pair_points_in_month(self, endorser_id: str, author_id: str, month: date) -> int:
        return self._lookup(self._pair_points, (endorser_id, author_id, month), "pair points")

    def balance(self, contributor_id: str) -> int:
        return self._lookup(self._balances, contributor_id, "balance")

    def themes_for(self, subject_key: str) -> tuple[str, ...]:
        return self._lookup(self._themes, subject_key, "themes")
