"""What the knowledge service publishes: event payloads built from rows, written to the outbox in the caller's
transaction. Each payload names the contributors to credit, so rewards needs nothing else to award or reverse points;
a person erased from the registry is simply no longer named.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.knowledge import (
    AnswerAccepted,
    AnswerPosted,
    ArticlePublished,
    ArticleRetracted,
    ArticleRevised,
    ArticleState,
    EndorsementState,
    QuestionAsked,
    ReuseReported,
)
from shared.messaging.outbox import Outbox


def named(people: Sequence[uuid.UUID | None]) -> list[uuid.UUID]:
    return list(dict.fromkeys(p for p in people if p is not None))


def article_state(event_class: type[ArticleState], row: Any, authors: Sequence[uuid.UUID | None], **extra: Any):
    return event_class(
        article_id=row.id,
        slug=row.slug,
        title=row.title,
        summary=row.summary,
        kind=row.kind,
        themes=row.themes,
        collective_kinds=row.collective_kinds,
        stages=row.stages,
        language=row.language,
        license=row.license,
        authors=named(authors),
        collective_id=row.collective_id,
        status=row.status,
        revision=row.revision,
        published_at=row.published_at,
        **extra,
    )


async def article_published(outbox: Outbox, session: AsyncSession, row: Any, authors: Sequence) -> None:
    await outbox.add(session, article_state(ArticlePublished, row, authors), subject=row.id, sequence=row.version)


async def article_revised(
    outbox: Outbox, session: AsyncSession, row: Any, authors: Sequence, revised_by: uuid.UUID | None
) -> None:
    data = article_state(ArticleRevised, row, authors, revised_by=revised_by)
    await outbox.add(session, data, subject=row.id, sequence=row.version)


async def article_retracted(outbox: Outbox, session: AsyncSession, row: Any, authors: Sequence) -> None:
    await outbox.add(session, article_state(ArticleRetracted, row, authors), subject=row.id, sequence=row.version)


async def question_asked(outbox: Outbox, session: AsyncSession, row: Any) -> None:
    data = QuestionAsked(
        question_id=row.id,
        title=row.title,
        asker_id=row.asker_id,
        collective_id=row.collective_id,
        themes=row.themes,
    )
    await outbox.add(session, data, subject=row.id, sequence=row.version)


async def answer_posted(outbox: Outbox, session: AsyncSession, answer: Any, question: Any) -> None:
    data = AnswerPosted(
        answer_id=answer.id, question_id=question.id, author_id=answer.author_id, themes=question.themes
    )
    await outbox.add(session, data, subject=answer.id, sequence=answer.version)


async def answer_accepted(outbox: Outbox, session: AsyncSession, answer: Any, question: Any) -> None:
    data = AnswerAccepted(
        answer_id=answer.id,
        question_id=question.id,
        author_id=answer.author_id,
        asker_id=question.asker_id,
        themes=question.themes,
    )
    await outbox.add(session, data, subject=answer.id, sequence=answer.version)


async def endorsement_changed(
    outbox: Outbox,
    session: AsyncSession,
    event_class: type[EndorsementState],
    endorsement: Any,
    credited: Sequence[uuid.UUID | None],
    themes: Sequence[str],
) -> None:
    data = event_class(
        endorsement_id=endorsement.id,
        target_type=endorsement.target_type,
        target_id=endorsement.target_id,
        article_id=endorsement.article_id,
        endorser_id=endorsement.endorser_id,
        credited=named(credited),
        themes=list(themes),
    )
    sequence = 1 if endorsement.status == "active" else 2
    await outbox.add(session, data, subject=endorsement.id, sequence=sequence)


async def reuse_reported(
    outbox: Outbox, session: AsyncSession, reuse: Any, article: Any, credited: Sequence[uuid.UUID | None]
) -> None:
    data = ReuseReported(
        reuse_id=reuse.id,
        article_id=article.id,
        collective_id=reuse.collective_id,
        reporter_id=reuse.reporter_id,
        credited=named(credited),
        source_collective_id=article.collective_id,
        themes=article.themes,
    )
    await outbox.add(session, data, subject=reuse.id, sequence=1)
