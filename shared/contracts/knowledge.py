"""Events published by the knowledge service on `onderop:events:knowledge`.

Each event names the contributors who should be credited (authors, endorser, asker), so that rewards needs nothing
else to award or reverse points.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.contracts.envelope import EventData, event
from shared.contracts.vocabulary import CollectiveKind, Stage, Theme


class ArticleState(EventData):
    article_id: uuid.UUID
    slug: str
    title: str
    summary: str
    kind: str
    themes: list[Theme] = Field(default_factory=list)
    collective_kinds: list[CollectiveKind] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    language: Literal["nl", "en"]
    license: str
    authors: list[uuid.UUID]
    collective_id: uuid.UUID | None = None
    status: str
    revision: int
    published_at: datetime | None = None


@event("knowledge", "article.published")
class ArticlePublished(ArticleState):
    """An article became public (first publication); `authors` are credited, in order. Carries the full public state."""


@event("knowledge", "article.revised")
class ArticleRevised(ArticleState):
    """A published article got a new revision (`revision` counts them); `revised_by` made it. Full public state."""

    revised_by: uuid.UUID | None = None


@event("knowledge", "article.retracted")
class ArticleRetracted(ArticleState):
    """A published article was withdrawn from the platform; what its publication earned is reversed. Full state."""


@event("knowledge", "question.asked")
class QuestionAsked(EventData):
    """Someone asked for support, on behalf of `collective_id` when given; `asker_id` is null once erased."""

    question_id: uuid.UUID
    title: str
    asker_id: uuid.UUID | None
    collective_id: uuid.UUID | None = None
    themes: list[Theme] = Field(default_factory=list)


@event("knowledge", "answer.posted")
class AnswerPosted(EventData):
    """An answer to `question_id` was posted by `author_id` (null once erased)."""

    answer_id: uuid.UUID
    question_id: uuid.UUID
    author_id: uuid.UUID | None
    themes: list[Theme] = Field(default_factory=list)


@event("knowledge", "answer.accepted")
class AnswerAccepted(EventData):
    """The asker accepted this answer: its author is credited, the asker gets a small bonus."""

    answer_id: uuid.UUID
    question_id: uuid.UUID
    author_id: uuid.UUID | None
    asker_id: uuid.UUID | None
    themes: list[Theme] = Field(default_factory=list)


class EndorsementState(EventData):
    endorsement_id: uuid.UUID
    target_type: Literal["article", "answer"]
    target_id: uuid.UUID
    article_id: uuid.UUID | None = None
    endorser_id: uuid.UUID | None
    credited: list[uuid.UUID] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)


@event("knowledge", "endorsement.added")
class EndorsementAdded(EndorsementState):
    """ "This helped us": `endorser_id` endorsed an article or answer; `credited` are its authors."""


@event("knowledge", "endorsement.withdrawn")
class EndorsementWithdrawn(EndorsementState):
    """An endorsement was withdrawn; what it earned `credited` is reversed."""


@event("knowledge", "reuse.reported")
class ReuseReported(EventData):
    """Collective `collective_id` reports reusing an article; `credited` are its authors (nothing is earned by
    reuse within the article's own `source_collective_id`)."""

    reuse_id: uuid.UUID
    article_id: uuid.UUID
    collective_id: uuid.UUID
    reporter_id: uuid.UUID | None
    credited: list[uuid.UUID] = Field(default_factory=list)
    source_collective_id: uuid.UUID | None = None
    themes: list[Theme] = Field(default_factory=list)
