"""Event payloads of the funding service built from table rows, and the outbox write."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.envelope import EventData, make_event
from shared.contracts.funding import (
    ApplicationState,
    InstrumentState,
    ProjectAllocation,
    RoundClosed,
    RoundState,
)
from shared.messaging.outbox import Outbox
from shared.observability import causation_id, correlation_id

_INSTRUMENT_FIELDS = tuple(name for name in InstrumentState.model_fields if name != "instrument_id")
_APPLICATION_FIELDS = tuple(name for name in ApplicationState.model_fields if name != "application_id")
_ROUND_FIELDS = tuple(name for name in RoundState.model_fields if name != "round_id")


def instrument_event(event_class: type[InstrumentState], row: Any, **extra: Any) -> tuple[EventData, Any, int]:
    data = event_class(instrument_id=row.id, **{name: getattr(row, name) for name in _INSTRUMENT_FIELDS}, **extra)
    return data, row.id, row.version


def application_event(event_class: type[ApplicationState], row: Any, **extra: Any) -> tuple[EventData, Any, int]:
    data = event_class(application_id=row.id, **{name: getattr(row, name) for name in _APPLICATION_FIELDS}, **extra)
    return data, row.id, row.version


def round_event(event_class: type[RoundState], row: Any, **extra: Any) -> tuple[EventData, Any, int]:
    data = event_class(round_id=row.id, **{name: getattr(row, name) for name in _ROUND_FIELDS}, **extra)
    return data, row.id, row.version


def round_closed(row: Any, projects: list[Any]) -> tuple[EventData, Any, int]:
    allocations = [
        ProjectAllocation(
            project_id=p.id,
            collective_id=p.collective_id,
            raised_cents=p.raised_cents or 0,
            backers=p.backers or 0,
            match_cents=p.match_cents or 0,
            capped=bool(p.capped),
            released=bool(p.released),
        )
        for p in projects
    ]
    return round_event(
        RoundClosed,
        row,
        allocations=allocations,
        allocated_cents=row.allocated_cents,
        unallocated_cents=row.unallocated_cents,
    )


async def publish(outbox: Outbox, session: AsyncSession, pending: list[tuple[EventData, Any, int]]) -> None:
    events = [
        make_event(
            data,
            subject=subject,
            sequence=sequence,
            correlationid=correlation_id.get(),
            causationid=causation_id.get(),
        )
        for data, subject, sequence in pending
    ]
    await outbox.add_events(session, events)
