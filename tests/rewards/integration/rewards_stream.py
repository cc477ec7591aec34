"""Feeding rewards' consumers through the real streams, in the relay's wire format, and waiting for effects."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import httpx
from redis.asyncio import Redis

from shared.contracts.envelope import CloudEvent, EventData, make_event
from shared.contracts.knowledge import (
    AnswerAccepted,
    ArticlePublished,
    ArticleRetracted,
    EndorsementAdded,
    EndorsementWithdrawn,
    ReuseReported,
)
from shared.contracts.registry import ContributorErased, ContributorRegistered
from shared.messaging.relay import entry_fields
from shared.settings import Settings


def person() -> str:
    return str(uuid.uuid4())


async def send(
    redis: Redis,
    settings: Settings,
    data: EventData,
    *,
    at: datetime | None = None,
    event_id: uuid.UUID | None = None,
    subject: str | uuid.UUID | None = None,
    sequence: int | None = None,
) -> CloudEvent:
    event = make_event(data, subject=subject, sequence=sequence)
    event = event.model_copy(update={k: v for k, v in {"time": at, "id": event_id}.items() if v is not None})
    await send_event(redis, settings, event)
    return event


async def send_event(redis: Redis, settings: Settings, event: CloudEvent) -> None:
    row = {"event_id": event.id, "type": event.type, "subject": event.subject, "payload": event.model_dump(mode="json")}
    await redis.xadd(settings.stream(event.producer), entry_fields(row))


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 10.0, interval: float = 0.05) -> Any:
    """The first truthy result of `check`, polled until `timeout`; the last result's assertion otherwise."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not reached within {timeout} s; last result {result!r}")
        await asyncio.sleep(interval)


async def balance(client: httpx.AsyncClient, contributor: str) -> int | None:
    response = await client.get(f"/rewards/v1/contributors/{contributor}")
    return response.json()["balance"] if response.status_code == 200 else None


async def wait_balance(client: httpx.AsyncClient, contributor: str, expected: int, timeout: float = 10.0) -> None:
    async def check() -> bool:
        return await balance(client, contributor) == expected

    try:
        await eventually(check, timeout)
    except AssertionError:
        actual = await balance(client, contributor)
        raise AssertionError(f"balance of {contributor} is {actual}, expected {expected}") from None


def article(article_id: str, authors: list[str], *, themes=("energy",), collective: str | None = None, revision=1):
    return {
        "article_id": article_id,
        "slug": f"artikel-{article_id[:8]}",
        "title": "Zo richt je een energiecoöperatie op",
        "summary": "Een stappenplan.",
        "kind": "guide",
        "themes": list(themes),
        "language": "nl",
        "license": "CC-BY-4.0",
        "authors": authors,
        "collective_id": collective,
        "status": "published",
        "revision": revision,
    }


def published(article_id: str, authors: list[str], **kwargs) -> ArticlePublished:
    return ArticlePublished(**article(article_id, authors, **kwargs))


def retracted(article_id: str, authors: list[str], **kwargs) -> ArticleRetracted:
    return ArticleRetracted(**{**article(article_id, authors, **kwargs), "status": "retracted"})


def endorsement(endorsement_id: str, endorser: str | None, credited: list[str], article_id: str, **kwargs):
    return {
        "endorsement_id": endorsement_id,
        "target_type": "article",
        "target_id": article_id,
        "article_id": article_id,
        "endorser_id": endorser,
        "credited": credited,
        **kwargs,
    }


def endorsed(endorsement_id: str, endorser: str, credited: list[str], article_id: str) -> EndorsementAdded:
    return EndorsementAdded(**endorsement(endorsement_id, endorser, credited, article_id))


def withdrawn(endorsement_id: str, endorser: str | None, credited: list[str], article_id: str) -> EndorsementWithdrawn:
    return EndorsementWithdrawn(**endorsement(endorsement_id, endorser, credited, article_id))


def accepted(author: str, asker: str | None, themes=("care",)) -> AnswerAccepted:
    return AnswerAccepted(
        answer_id=uuid.uuid4(), question_id=uuid.uuid4(), author_id=author, asker_id=asker, themes=list(themes)
    )


def reused(article_id: str, collective: str, reporter: str, credited: list[str], home: str | None = None):
    return ReuseReported(
        reuse_id=uuid.uuid4(),
        article_id=article_id,
        collective_id=collective,
        reporter_id=reporter,
        credited=credited,
        source_collective_id=home,
    )


def registered(contributor: str, name: str, province: str | None, version: int = 1) -> ContributorRegistered:
    return ContributorRegistered(contributor_id=contributor, display_name=name, province_code=province, version=version)


def erased(contributor: str, version: int) -> ContributorErased:
    return ContributorErased(contributor_id=contributor, version=version)
