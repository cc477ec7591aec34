"""Knowledge events in, ledger transactions out.

`decide(event, state, rules)` is the whole rule book: it reads what it needs through a `StateView` and returns one
`Decision` — one double-entry transaction keyed by the source event id — or None for events that carry no points.

Keys. Every award has a *source key* naming what it rewards (`publication:<article>`, `endorsement:<id>`,
`answer:<id>`, `reuse:<article>:<collective>`); every posting carries the source key and, when the points came from an
article, the `article_id`. A reversal negates, per source key and contributor, the net of the postings found under
that key (withdrawal) or that article (retraction) — reversal postings keep the key they undo, so a later reversal
of the same key finds a net of zero and undoes nothing twice.

Idempotency, twice over: the ledger ignores an event id it has seen, and an award whose source key already has a
claiming transaction (`Decision.claims_source`) awards nothing: the same endorsement re-published under a new event
id pays once, and a reuse by one collective pays once however many people report it.

Out of order. A withdrawal or retraction that arrives before what it undoes records a tombstone (`closes`): the
endorsement, or everything about the article, that arrives later awards nothing. Without caps the final balances
do not depend on arrival order at all (a property test shows it). With caps, order decides which endorsement of a day
hits the cap, and the caps count points when awarded without giving room back on withdrawal — so an endorse-then-
withdraw pair arriving in reverse leaves the day's later endorsements more room. That is accepted: no point is ever
paid twice or kept after its reversal.

Balance floor. Reversals only undo the net still credited under a key, so with these rules a balance cannot go
below zero; `_reversal` still clamps each contributor's debit to the balance, as the rule is "never below zero",
whatever earlier rules may have done.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any, Protocol, TypeVar
from uuid import UUID

from services.rewards.domain.levels import BadgeCounter, CounterItem, Counters
from services.rewards.domain.rules import Rules, default_rules

ISSUANCE_ACCOUNT = "platform:issuance"
EVENT_TYPE_PREFIX = "nl.onderop."

ARTICLE_PUBLISHED = "article.published"
ARTICLE_RETRACTED = "article.retracted"
ENDORSEMENT_ADDED = "endorsement.added"
ENDORSEMENT_WITHDRAWN = "endorsement.withdrawn"
ANSWER_ACCEPTED = "answer.accepted"
REUSE_REPORTED = "reuse.reported"
POINT_EVENT_TYPES = frozenset(
    {ARTICLE_PUBLISHED, ARTICLE_RETRACTED, ENDORSEMENT_ADDED, ENDORSEMENT_WITHDRAWN, ANSWER_ACCEPTED, REUSE_REPORTED}
)


def contributor_account(contributor_id: str) -> str:
    return f"contributor:{contributor_id}"


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def month_start(moment: datetime) -> date:
    return utc_day(moment).replace(day=1)


class Reason(StrEnum):
    article_published = "article_published"
    endorsement_received = "endorsement_received"
    answer_accepted = "answer_accepted"
    asker_bonus = "asker_bonus"
    reuse_by_other_collective = "reuse_by_other_collective"
    endorsement_withdrawn = "endorsement_withdrawn"
    article_retracted = "article_retracted"


class Outcome(StrEnum):
    awarded = "awarded"
    capped = "capped"
    reversed = "reversed"
    nothing_to_reverse = "nothing_to_reverse"
    own_work = "own_work"
    same_collective = "same_collective"
    no_one_credited = "no_one_credited"
    duplicate_source = "duplicate_source"
    closed_source = "closed_source"


class InvalidEvent(ValueError):
    pass


class MissingState(LookupError):
    pass


@dataclass(frozen=True)
class KnowledgeEvent:
    """A knowledge event as rewards sees it; `type` may be given in full (`nl.onderop.article.published.v1`)."""

    event_id: UUID
    type: str
    time: datetime
    data: Mapping[str, Any]

    def __post_init__(self) -> None:
        if not isinstance(self.event_id, UUID):
            object.__setattr__(self, "event_id", UUID(str(self.event_id)))
        object.__setattr__(self, "type", short_event_type(self.type))
        if self.time.tzinfo is None or self.time.utcoffset() is None:
            raise InvalidEvent("event time must be timezone-aware")

    @cached_property
    def parsed(self) -> _Parsed | None:
        """The fields the rules read, checked once per event (a store asks for its reads before deciding)."""
        return _parse_data(self)


def short_event_type(event_type: str) -> str:
    """`article.published` for `nl.onderop.knowledge.article.published.v1` (and for the same without the service)."""
    if not event_type.startswith(EVENT_TYPE_PREFIX):
        return event_type
    short = event_type.removeprefix(EVENT_TYPE_PREFIX)
    head, _, tail = short.rpartition(".")
    if head and tail[:1] == "v" and tail[1:].isdigit():
        short = head
    parts = short.split(".")
    return ".".join(parts[-2:]) if len(parts) == 3 else short


@dataclass(frozen=True)
class Posting:
    account: str
    amount: int
    contributor_id: str | None
    reason: Reason
    source_key: str
    article_id: str | None = None


@dataclass(frozen=True)
class Decision:
    """One ledger transaction. It is stored even when it has no postings: that records the source key as seen."""

    event_id: UUID
    event_type: str
    time: datetime
    rules_version: str
    source_key: str
    outcome: Outcome
    actor_id: str | None = None
    article_id: str | None = None
    themes: tuple[str, ...] = ()
    postings: tuple[Posting, ...] = ()
    closes: tuple[str, ...] = ()
    counter_items: tuple[CounterItem, ...] = ()

    @property
    def claims_source(self) -> bool:
        """True when this transaction is *the* award for its source key, so later awards for the key pay nothing.

        Refusals (own work, same collective, …) do not claim the key: the same reuse reported again by someone
        else must still pay, whichever report arrives first. Store it; `is_known` means "a claiming transaction".
        """
        return self.outcome in {Outcome.awarded, Outcome.capped}

    @property
    def total(self) -> int:
        return sum(posting.amount for posting in self.postings)

    def deltas(self) -> dict[str, int]:
        """Net points change per contributor: positive ones are `points.awarded`, negative `points.reversed`."""
        changes: dict[str, int] = defaultdict(int)
        for posting in self.postings:
            if posting.contributor_id is not None:
                changes[posting.contributor_id] += posting.amount
        return {contributor: amount for contributor, amount in sorted(changes.items()) if amount}


class StateView(Protocol):
    """What a decision reads. For a PostgreSQL store:

    - is_known: a transaction with this source key and `claims_source` exists.
    - is_closed: a transaction listed this key in `closes` (a tombstone).
    - postings_for_source / postings_for_article: every posting with that source_key / article_id, awards and
      reversals alike.
    - endorsement_points_on / pair_points_in_month: the sum of positive `endorsement_received` postings credited to
      the author in transactions of that UTC day / calendar month (and with that endorser as `actor_id`);
      withdrawals do not give the room back.
    - themes_for: the themes of `article:<id>` / `answer:<id>` as last published; () when unknown.
    """

    def is_known(self, source_key: str) -> bool: ...

    def is_closed(self, key: str) -> bool: ...

    def postings_for_source(self, source_key: str) -> Sequence[Posting]: ...

    def postings_for_article(self, article_id: str) -> Sequence[Posting]: ...

    def endorsement_points_on(self, contributor_id: str, day: date) -> int: ...

    def pair_points_in_month(self, endorser_id: str, author_id: str, month: date) -> int: ...

    def balance(self, contributor_id: str) -> int: ...

    def themes_for(self, subject_key: str) -> tuple[str, ...]: ...


# --- the events, parsed -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Publication:
    article_id: str
    authors: tuple[str, ...]
    themes: tuple[str, ...]

    @property
    def source_key(self) -> str:
        return f"publication:{self.article_id}"


@dataclass(frozen=True)
class _Retraction:
    article_id: str

    @property
    def source_key(self) -> str:
        return f"retraction:{self.article_id}"


@dataclass(frozen=True)
class _Endorsement:
    endorsement_id: str
    target_type: str
    target_id: str
    article_id: str | None
    endorser_id: str | None
    credited: tuple[str, ...]
    # The target's themes as the event states them; an answer's are known here from nowhere else until it is
    # accepted (an endorsement may come first), so they are taken from the event when it names them.
    themes: tuple[str, ...] = ()

    @property
    def endorsement_key(self) -> str:
        return f"endorsement:{self.endorsement_id}"

    @property
    def subject_key(self) -> str:
        return f"article:{self.article_id}" if self.article_id else f"{self.target_type}:{self.target_id}"

    @property
    def closing_keys(self) -> tuple[str, ...]:
        return (self.endorsement_key, f"article:{self.article_id}") if self.article_id else (self.endorsement_key,)

    @property
    def counted_target(self) -> str:
        """What the endorsement counter counts: one per endorser and target."""
        return f"{self.endorser_id}>{self.target_type}:{self.target_id}"


@dataclass(frozen=True)
class _Acceptance:
    answer_id: str
    author_id: str | None
    asker_id: str | None
    themes: tuple[str, ...]

    @property
    def source_key(self) -> str:
        return f"answer:{self.answer_id}"


@dataclass(frozen=True)
class _Reuse:
    article_id: str
    collective_id: str
    reporter_id: str | None
    credited: tuple[str, ...]
    author_collective_ids: frozenset[str]

    @property
    def source_key(self) -> str:
        return f"reuse:{self.article_id}:{self.collective_id}"


_Parsed = _Publication | _Retraction | _Endorsement | _Acceptance | _Reuse


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if value is None or str(value) == "":
        raise InvalidEvent(f"field {name!r} is missing")
    return str(value)


def _person(data: Mapping[str, Any], name: str) -> str | None:
    """A person named by the event, or None when knowledge sent null: someone who erased themselves."""
    if name not in data:
        raise InvalidEvent(f"field {name!r} is missing")
    return _optional_text(data, name)


def _optional_text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    return None if value is None or str(value) == "" else str(value)


def _texts(data: Mapping[str, Any], name: str, *, required: bool = True) -> tuple[str, ...]:
    value = data.get(name)
    if value is None and not required:
        return ()
    if not isinstance(value, list | tuple | set | frozenset):
        raise InvalidEvent(f"field {name!r} must be a list")
    return tuple(dict.fromkeys(str(item) for item in value))


def _parse(event: KnowledgeEvent) -> _Parsed | None:
    return event.parsed


def _parse_data(event: KnowledgeEvent) -> _Parsed | None:
    data = event.data
    match event.type:
        case "article.published":
            return _Publication(
                article_id=_text(data, "article_id"),
                authors=_texts(data, "authors"),
                themes=_texts(data, "themes", required=False),
            )
        case "article.retracted":
            return _Retraction(article_id=_text(data, "article_id"))
        case "endorsement.added" | "endorsement.withdrawn":
            target_type = _text(data, "target_type")
            if target_type not in {"article", "answer"}:
                raise InvalidEvent(f"unknown endorsement target_type {target_type!r}")
            target_id = _text(data, "target_id")
            article_id = _optional_text(data, "article_id") or (target_id if target_type == "article" else None)
            return _Endorsement(
                endorsement_id=_text(data, "endorsement_id"),
                target_type=target_type,
                target_id=target_id,
                article_id=article_id,
                # A withdrawal may name nobody (the endorser erased themselves); a new endorsement needs its endorser
                # for the own-work and pair checks.
                endorser_id=_text(data, "endorser_id")
                if event.type == ENDORSEMENT_ADDED
                else _person(data, "endorser_id"),
                credited=_texts(data, "credited", required=event.type == ENDORSEMENT_ADDED),
                themes=_texts(data, "themes", required=False),
            )
        case "answer.accepted":
            return _Acceptance(
                answer_id=_text(data, "answer_id"),
                author_id=_person(data, "author_id"),
                asker_id=_person(data, "asker_id"),
                themes=_texts(data, "themes", required=False),
            )
        case "reuse.reported":
            return _Reuse(
                article_id=_text(data, "article_id"),
                collective_id=_text(data, "collective_id"),
                reporter_id=_person(data, "reporter_id"),
                credited=_texts(data, "credited"),
                author_collective_ids=frozenset(_texts(data, "author_collective_ids", required=False)),
            )
    return None


# --- what a decision reads ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StateReads:
    """Everything `decide` may ask the state for one event, so an async store can load it before deciding.

    Balances are a second step: load them for every contributor that appears in the loaded postings.
    """

    known: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()
    source_postings: tuple[str, ...] = ()
    article_postings: tuple[str, ...] = ()
    endorsement_days: tuple[tuple[str, date], ...] = ()
    pair_months: tuple[tuple[str, str, date], ...] = ()
    themes: tuple[str, ...] = ()


def reads_for(event: KnowledgeEvent) -> StateReads | None:
    parsed = _parse(event)
    match parsed:
        case _Publication():
            return StateReads(known=(parsed.source_key,), closed=(f"article:{parsed.article_id}",))
        case _Retraction():
            return StateReads(article_postings=(parsed.article_id,), themes=(f"article:{parsed.article_id}",))
        case _Endorsement() if event.type == ENDORSEMENT_WITHDRAWN:
            return StateReads(source_postings=(parsed.endorsement_key,), themes=(parsed.subject_key,))
        case _Endorsement():
            day, month = utc_day(event.time), month_start(event.time)
            return StateReads(
                known=(parsed.endorsement_key,),
                closed=parsed.closing_keys,
                endorsement_days=tuple((author, day) for author in parsed.credited),
                pair_months=tuple((parsed.endorser_id, author, month) for author in parsed.credited),
                themes=(parsed.subject_key,),
            )
        case _Acceptance():
            return StateReads(known=(parsed.source_key,))
        case _Reuse():
            return StateReads(
                known=(parsed.source_key,),
                closed=(f"article:{parsed.article_id}",),
                themes=(f"article:{parsed.article_id}",),
            )
    return None


def counter_candidates(event: KnowledgeEvent) -> tuple[CounterItem, ...]:
    """Every counter item a decision about `event` could count (a superset of its `counter_items`), so a store can
    load whether they were counted before together with the `StateReads`, before deciding."""
    parsed = _parse(event)
    match parsed:
        case _Publication():
            return tuple(CounterItem(a, BadgeCounter.articles_published, parsed.article_id) for a in parsed.authors)
        case _Endorsement() if event.type == ENDORSEMENT_ADDED:
            target = parsed.counted_target
            return tuple(CounterItem(a, BadgeCounter.endorsements_received, target) for a in parsed.credited)
        case _Acceptance() if parsed.author_id is not None:
            return (CounterItem(parsed.author_id, BadgeCounter.answers_accepted, parsed.answer_id),)
        case _Reuse():
            counter = BadgeCounter.reusing_collectives
            return tuple(CounterItem(a, counter, parsed.collective_id) for a in parsed.credited)
    return ()


_V = TypeVar("_V")


@dataclass(frozen=True)
class StateSnapshot:
    """A `StateView` over preloaded values; asking for anything not loaded raises `MissingState`."""

    known: Mapping[str, bool] = field(default_factory=dict)
    closed: Mapping[str, bool] = field(default_factory=dict)
    postings_by_source: Mapping[str, Sequence[Posting]] = field(default_factory=dict)
    postings_by_article: Mapping[str, Sequence[Posting]] = field(default_factory=dict)
    endorsement_points: Mapping[tuple[str, date], int] = field(default_factory=dict)
    pair_points: Mapping[tuple[str, str, date], int] = field(default_factory=dict)
    balances: Mapping[str, int] = field(default_factory=dict)
    themes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_view(cls, view: StateView, reads: StateReads) -> StateSnapshot:
        by_source = {key: tuple(view.postings_for_source(key)) for key in reads.source_postings}
        by_article = {article: tuple(view.postings_for_article(article)) for article in reads.article_postings}
        loaded = [posting for postings in (*by_source.values(), *by_article.values()) for posting in postings]
        contributors = {posting.contributor_id for posting in loaded if posting.contributor_id is not None}
        return cls(
            known={key: view.is_known(key) for key in reads.known},
            closed={key: view.is_closed(key) for key in reads.closed},
            postings_by_source=by_source,
            postings_by_article=by_article,
            endorsement_points={key: view.endorsement_points_on(*key) for key in reads.endorsement_days},
            pair_points={key: view.pair_points_in_month(*key) for key in reads.pair_months},
            balances={contributor: view.balance(contributor) for contributor in contributors},
            themes={key: view.themes_for(key) for key in reads.themes},
        )

    @staticmethod
    def _lookup(values: Mapping[Any, _V], key: Any, what: str) -> _V:
        try:
            return values[key]
        except KeyError:
            raise MissingState(f"{what} {key!r} was not loaded") from None

    def is_known(self, source_key: str) -> bool:
        return self._lookup(self.known, source_key, "known")

    def is_closed(self, key: str) -> bool:
        return self._lookup(self.closed, key, "closed")

    def postings_for_source(self, source_key: str) -> Sequence[Posting]:
        return self._lookup(self.postings_by_source, source_key, "postings for source")

    def postings_for_article(self, article_id: str) -> Sequence[Posting]:
        return self._lookup(self.postings_by_article, article_id, "postings for article")

    def endorsement_points_on(self, contributor_id: str, day: date) -> int:
        return self._lookup(self.endorsement_points, (contributor_id, day), "endorsement points")

    def pair_points_in_month(self, endorser_id: str, author_id: str, month: date) -> int:
        return self._lookup(self.pair_points, (endorser_id, author_id, month), "pair points")

    def balance(self, contributor_id: str) -> int:
        return self._lookup(self.balances, contributor_id, "balance")

    def themes_for(self, subject_key: str) -> tuple[str, ...]:
        return self._lookup(self.themes, subject_key, "themes")


# --- the rules ------------------------------------------------------------------------------------------------------


def split_evenly(total: int, recipients: Iterable[str]) -> dict[str, int]:
    """Largest remainder with equal weights: the first ids in sorted order get the leftover points."""
    ordered = sorted(set(recipients))
    if not ordered:
        return {}
    base, leftover = divmod(total, len(ordered))
    return {recipient: base + (1 if index < leftover else 0) for index, recipient in enumerate(ordered)}


def _shares(total: int, recipients: Sequence[str], split: bool) -> dict[str, int]:
    return split_evenly(total, recipients) if split else {recipient: total for recipient in sorted(set(recipients))}


def _award(amounts: Mapping[str, int], reason: Reason, source_key: str, article_id: str | None) -> list[Posting]:
    postings = [
        Posting(contributor_account(contributor), amount, contributor, reason, source_key, article_id)
        for contributor, amount in sorted(amounts.items())
        if amount > 0
    ]
    issued = sum(posting.amount for posting in postings)
    if issued:
        postings.append(Posting(ISSUANCE_ACCOUNT, -issued, None, reason, source_key, article_id))
    return postings


def _reversal(postings: Iterable[Posting], reason: Reason, state: StateView) -> tuple[Posting, ...]:
    still_credited: dict[str, dict[tuple[str, str | None], int]] = defaultdict(lambda: defaultdict(int))
    for posting in postings:
        if posting.contributor_id is not None and posting.account == contributor_account(posting.contributor_id):
            still_credited[posting.contributor_id][(posting.source_key, posting.article_id)] += posting.amount
    debits: list[Posting] = []
    for contributor in sorted(still_credited):
        owed = {key: amount for key, amount in sorted(still_credited[contributor].items()) if amount > 0}
        if not owed:
            continue
        room = max(0, state.balance(contributor))
        for (source_key, article_id), amount in owed.items():
            taken = min(amount, room)
            room -= taken
            if taken:
                debits.append(
                    Posting(contributor_account(contributor), -taken, contributor, reason, source_key, article_id)
                )
    returned: dict[tuple[str, str | None], int] = defaultdict(int)
    for debit in debits:
        returned[(debit.source_key, debit.article_id)] -= debit.amount
    credits = [
        Posting(ISSUANCE_ACCOUNT, amount, None, reason, source_key, article_id)
        for (source_key, article_id), amount in sorted(
            returned.items(), key=lambda item: (item[0][0], item[0][1] or "")
        )
    ]
    return (*debits, *credits)


_MakeDecision = Callable[..., Decision]


def decide(event: KnowledgeEvent, state: StateView, rules: Rules | None = None) -> Decision | None:
    rules = rules or default_rules()
    parsed = _parse(event)
    if parsed is None:
        return None

    def decision(source_key: str, outcome: Outcome, **details: Any) -> Decision:
        return Decision(
            event_id=event.event_id,
            event_type=event.type,
            time=event.time,
            rules_version=rules.version,
            source_key=source_key,
            outcome=outcome,
            **details,
        )

    match parsed:
        case _Publication():
            return _publication(parsed, state, rules, decision)
        case _Retraction():
            return _retraction(parsed, state, decision)
        case _Endorsement() if event.type == ENDORSEMENT_WITHDRAWN:
            return _withdrawal(parsed, state, decision)
        case _Endorsement():
            return _endorsement(parsed, event.time, state, rules, decision)
        case _Acceptance():
            return _acceptance(parsed, state, rules, decision)
        case _Reuse():
            return _reuse(parsed, state, rules, decision)
    return None


def _publication(parsed: _Publication, state: StateView, rules: Rules, decision: _MakeDecision) -> Decision:
    key, article_key = parsed.source_key, f"article:{parsed.article_id}"
    context = {"article_id": parsed.article_id, "themes": parsed.themes}
    if state.is_known(key):
        return decision(key, Outcome.duplicate_source, **context)
    if state.is_closed(article_key):
        return decision(key, Outcome.closed_source, **context)
    if not parsed.authors:
        return decision(key, Outcome.no_one_credited, **context)
    amounts = _shares(rules.points.article_published, parsed.authors, rules.split_among_authors.article_published)
    return decision(
        key,
        Outcome.awarded,
        postings=tuple(_award(amounts, Reason.article_published, key, parsed.article_id)),
        counter_items=tuple(
            CounterItem(author, BadgeCounter.articles_published, parsed.article_id) for author in sorted(amounts)
        ),
        **context,
    )


def _retraction(parsed: _Retraction, state: StateView, decision: _MakeDecision) -> Decision:
    postings = _reversal(state.postings_for_article(parsed.article_id), Reason.article_retracted, state)
    return decision(
        parsed.source_key,
        Outcome.reversed if postings else Outcome.nothing_to_reverse,
        article_id=parsed.article_id,
        themes=state.themes_for(f"article:{parsed.article_id}"),
        postings=postings,
        closes=(f"article:{parsed.article_id}",),
    )


def _withdrawal(parsed: _Endorsement, state: StateView, decision: _MakeDecision) -> Decision:
    postings = _reversal(state.postings_for_source(parsed.endorsement_key), Reason.endorsement_withdrawn, state)
    return decision(
        f"withdrawal:{parsed.endorsement_id}",
        Outcome.reversed if postings else Outcome.nothing_to_reverse,
        actor_id=parsed.endorser_id,
        article_id=parsed.article_id,
        themes=parsed.themes or state.themes_for(parsed.subject_key),
        postings=postings,
        closes=(parsed.endorsement_key,),
    )


def _endorsement(
    parsed: _Endorsement, time: datetime, state: StateView, rules: Rules, decision: _MakeDecision
) -> Decision:
    key = parsed.endorsement_key
    context = {"actor_id": parsed.endorser_id, "article_id": parsed.article_id}
    if state.is_known(key):
        return decision(key, Outcome.duplicate_source, **context)
    if any(state.is_closed(closing) for closing in parsed.closing_keys):
        return decision(key, Outcome.closed_source, **context)
    if parsed.endorser_id in parsed.credited:
        return decision(key, Outcome.own_work, **context)
    if not parsed.credited:
        return decision(key, Outcome.no_one_credited, **context)
    shares = _shares(rules.points.endorsement_received, parsed.credited, rules.split_among_authors.endorsement_received)
    day, month = utc_day(time), month_start(time)
    amounts = {
        author: max(
            0,
            min(
                share,
                rules.caps.daily_endorsement_cap - state.endorsement_points_on(author, day),
                rules.caps.pair_cap_per_month - state.pair_points_in_month(parsed.endorser_id, author, month),
            ),
        )
        for author, share in shares.items()
    }
    postings = tuple(_award(amounts, Reason.endorsement_received, key, parsed.article_id))
    # Counted whether or not the caps left points: the endorsement was received. One per endorser and target, so
    # endorsing, withdrawing and endorsing again does not inflate the counter.
    target = parsed.counted_target
    return decision(
        key,
        Outcome.awarded if postings else Outcome.capped,
        themes=parsed.themes or state.themes_for(parsed.subject_key),
        postings=postings,
        counter_items=tuple(
            CounterItem(author, BadgeCounter.endorsements_received, target) for author in sorted(amounts)
        ),
        **context,
    )


def _acceptance(parsed: _Acceptance, state: StateView, rules: Rules, decision: _MakeDecision) -> Decision:
    key = parsed.source_key
    context = {"actor_id": parsed.asker_id, "themes": parsed.themes}
    if state.is_known(key):
        return decision(key, Outcome.duplicate_source, **context)
    if parsed.author_id is None:
        return decision(key, Outcome.no_one_credited, **context)
    if parsed.author_id == parsed.asker_id:
        return decision(key, Outcome.own_work, **context)
    postings = [*_award({parsed.author_id: rules.points.answer_accepted}, Reason.answer_accepted, key, None)]
    if parsed.asker_id is not None:
        postings += _award({parsed.asker_id: rules.points.asker_bonus}, Reason.asker_bonus, key, None)
    return decision(
        key,
        Outcome.awarded,
        postings=tuple(postings),
        counter_items=(CounterItem(parsed.author_id, BadgeCounter.answers_accepted, parsed.answer_id),),
        **context,
    )


def _reuse(parsed: _Reuse, state: StateView, rules: Rules, decision: _MakeDecision) -> Decision:
    key = parsed.source_key
    context = {"actor_id": parsed.reporter_id, "article_id": parsed.article_id}
    if state.is_known(key):
        return decision(key, Outcome.duplicate_source, **context)
    if state.is_closed(f"article:{parsed.article_id}"):
        return decision(key, Outcome.closed_source, **context)
    if parsed.collective_id in parsed.author_collective_ids:
        return decision(key, Outcome.same_collective, **context)
    if parsed.reporter_id in parsed.credited:
        return decision(key, Outcome.own_work, **context)
    if not parsed.credited:
        return decision(key, Outcome.no_one_credited, **context)
    amounts = _shares(
        rules.points.reuse_by_other_collective, parsed.credited, rules.split_among_authors.reuse_by_other_collective
    )
    return decision(
        key,
        Outcome.awarded,
        themes=state.themes_for(f"article:{parsed.article_id}"),
        postings=tuple(_award(amounts, Reason.reuse_by_other_collective, key, parsed.article_id)),
        counter_items=tuple(
            CounterItem(author, BadgeCounter.reusing_collectives, parsed.collective_id) for author in sorted(amounts)
        ),
        **context,
    )


# --- the in-memory ledger -------------------------------------------------------------------------------------------


class Ledger:
    """An in-memory ledger and `StateView`: the reference the PostgreSQL store must behave like."""

    def __init__(self, rules: Rules | None = None) -> None:
        self.rules = rules or default_rules()
        self._transactions: list[Decision] = []
        self._seen_event_ids: set[UUID] = set()
        self._known: set[str] = set()
        self._closed: set[str] = set()
        self._by_source: dict[str, list[Posting]] = defaultdict(list)
        self._by_article: dict[str, list[Posting]] = defaultdict(list)
        self._accounts: dict[str, int] = defaultdict(int)
        self._endorsement_points: dict[tuple[str, date], int] = defaultdict(int)
        self._pair_points: dict[tuple[str, str, date], int] = defaultdict(int)
        self._themes: dict[str, tuple[str, ...]] = {}
        self._counter_items: dict[str, set[CounterItem]] = defaultdict(set)

    @property
    def transactions(self) -> tuple[Decision, ...]:
        return tuple(self._transactions)

    def apply(self, event: KnowledgeEvent) -> Decision | None:
        if event.event_id in self._seen_event_ids:
            return None
        decision = decide(event, self, self.rules)
        self._seen_event_ids.add(event.event_id)
        self._remember_themes(event)
        if decision is not None:
            self._record(decision)
        return decision

    def _remember_themes(self, event: KnowledgeEvent) -> None:
        themes = event.data.get("themes")
        if themes is None:
            return
        if event.type in {ARTICLE_PUBLISHED, "article.revised"} and event.data.get("article_id"):
            self._themes[f"article:{event.data['article_id']}"] = tuple(str(theme) for theme in themes)
        elif event.type == ANSWER_ACCEPTED and event.data.get("answer_id"):
            self._themes[f"answer:{event.data['answer_id']}"] = tuple(str(theme) for theme in themes)

    def _record(self, decision: Decision) -> None:
        self._transactions.append(decision)
        if decision.claims_source:
            self._known.add(decision.source_key)
        self._closed.update(decision.closes)
        day, month = utc_day(decision.time), month_start(decision.time)
        for posting in decision.postings:
            self._accounts[posting.account] += posting.amount
            self._by_source[posting.source_key].append(posting)
            if posting.article_id is not None:
                self._by_article[posting.article_id].append(posting)
            if posting.reason == Reason.endorsement_received and posting.contributor_id is not None:
                self._endorsement_points[(posting.contributor_id, day)] += posting.amount
                if decision.actor_id is not None:
                    self._pair_points[(decision.actor_id, posting.contributor_id, month)] += posting.amount
        for item in decision.counter_items:
            self._counter_items[item.contributor_id].add(item)

    def balance(self, contributor_id: str) -> int:
        return self._accounts.get(contributor_account(contributor_id), 0)

    def balances(self) -> dict[str, int]:
        prefix = contributor_account("")
        return {
            account.removeprefix(prefix): amount
            for account, amount in sorted(self._accounts.items())
            if account.startswith(prefix)
        }

    def account_balance(self, account: str) -> int:
        return self._accounts.get(account, 0)

    def counters(self, contributor_id: str) -> Counters:
        return Counters.from_items(self._counter_items.get(contributor_id, ()))

    def points_earned(self, start: datetime, end: datetime, theme: str | None = None) -> dict[str, int]:
        """Net points per contributor from transactions in [start, end), optionally only those about `theme`."""
        earned: dict[str, int] = defaultdict(int)
        for transaction in self._transactions:
            if not start <= transaction.time < end or (theme is not None and theme not in transaction.themes):
                continue
            for contributor, amount in transaction.deltas().items():
                earned[contributor] += amount
        return {contributor: amount for contributor, amount in sorted(earned.items()) if amount}

    def is_known(self, source_key: str) -> bool:
        return source_key in self._known

    def is_closed(self, key: str) -> bool:
        return key in self._closed

    def postings_for_source(self, source_key: str) -> Sequence[Posting]:
        return tuple(self._by_source.get(source_key, ()))

    def postings_for_article(self, article_id: str) -> Sequence[Posting]:
        return tuple(self._by_article.get(article_id, ()))

    def endorsement_points_on(self, contributor_id: str, day: date) -> int:
        return self._endorsement_points.get((contributor_id, day), 0)

    def pair_points_in_month(self, endorser_id: str, author_id: str, month: date) -> int:
        return self._pair_points.get((endorser_id, author_id, month), 0)

    def themes_for(self, subject_key: str) -> tuple[str, ...]:
        return self._themes.get(subject_key, ())
