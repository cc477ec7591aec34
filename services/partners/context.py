"""What the partner service keeps beside the kit's runtime: its own settings, the SSRF guard and the worker's wake-up.

The wake-up is an asyncio.Event set after a transaction that queued deliveries commits (the consumer, a replay, a
redelivery), so the worker claims them at once instead of at its next poll. Replicas in other processes find them
at their next poll.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from services.partners.settings import PartnersSettings
from services.partners.transport import Resolver, TargetGuard, system_resolver
from shared.service import Runtime

WAKE = "partners_wake"


@dataclass
class PartnersContext:
    settings: PartnersSettings
    guard: TargetGuard
    wake: asyncio.Event = field(default_factory=asyncio.Event)


def attach(runtime: Runtime, settings: PartnersSettings, resolver: Resolver | None = None) -> PartnersContext:
    context = PartnersContext(settings, TargetGuard(settings.allow_hosts, resolver or system_resolver))
    runtime.state["partners"] = context
    _listen_for_commits()
    return context


def context_of(runtime: Runtime) -> PartnersContext:
    return runtime.state["partners"]


def wake_after_commit(session: AsyncSession, context: PartnersContext) -> None:
    session.info[WAKE] = context.wake


def _after_commit(session: Session) -> None:
    wake = session.info.pop(WAKE, None)
    if wake is not None:
        wake.set()


def _listen_for_commits() -> None:
    # On the Session class once per process: only sessions carrying the flag react, so other services' sessions in
    # the same process (tests) are untouched.
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
