"""What the registry publishes: event payloads built from table rows, and the outbox write.

Every aggregate event carries the aggregate's full public state and its version as the CloudEvent `sequence`;
private columns (e-mail addresses) are never read into a payload, because the payload fields are named by the
contract, not by the row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.registry.domain.goals import Scope
from shared.contracts.envelope import CloudEvent, EventData, make_event
from shared.contracts.registry import (
    CollectiveState,
    ContributorErased,
    ContributorState,
    GoalSet,
    ImpactReported,
    MembershipAdded,
    MembershipRemoved,
)
from shared.messaging.outbox import Outbox
from shared.observability import causation_id, correlation_id

_COLLECTIVE_FIELDS = tuple(name for name in CollectiveState.model_fields if name != "collective_id")
_CONTRIBUTOR_FIELDS = tuple(name for name in ContributorState.model_fields if name != "contributor_id")


@dataclass(frozen=True)
class Pending:
    data: EventData
    subject: str | uuid.UUID
    sequence: int


def collective_state(row: Any) -> dict[str, Any]:
    return {"collective_id": row.id, **{name: getattr(row, name) for name in _COLLECTIVE_FIELDS}}


def collective_event(event_class: type[CollectiveState], row: Any, **extra: Any) -> Pending:
    return Pending(event_class(**collective_state(row), **extra), row.id, row.version)


def contributor_event(event_class: type[ContributorState], row: Any) -> Pending:
    state = {name: getattr(row, name) for name in _CONTRIBUTOR_FIELDS}
    return Pending(event_class(contributor_id=row.id, **state), row.id, row.version)


def contributor_erased(row: Any) -> Pending:
    return Pending(ContributorErased(contributor_id=row.id, version=row.version), row.id, row.version)


def membership_subject(collective_id: uuid.UUID, contributor_id: uuid.UUID) -> str:
    return f"{collective_id}/{contributor_id}"


def membership_added(row: Any) -> Pending:
    data = MembershipAdded(
        collective_id=row.collective_id, contributor_id=row.contributor_id, role=row.role, version=row.version
    )
    return Pending(data, membership_subject(row.collective_id, row.contributor_id), row.version)


def membership_removed(row: Any) -> Pending:
    data = MembershipRemoved(collective_id=row.collective_id, contributor_id=row.contributor_id, version=row.version)
    return Pending(data, membership_subject(row.collective_id, row.contributor_id), row.version)


def impact_reported(report: Any, collective: Any) -> Pending:
    data = ImpactReported(
        collective_id=report.collective_id,
        year=report.year,
        indicators=report.values,
        kind=collective.kind,
        province_code=collective.province_code,
        version=report.version,
    )
    return Pending(data, f"{report.collective_id}/{report.year}", report.version)


def _scope_type_and_value(scope: Scope) -> tuple[str, str | None]:
    if scope.kind is not None and scope.province_code is not None:
        return "kind_in_province", f"{scope.kind.value}:{scope.province_code}"
    if scope.kind is not None:
        return "kind", scope.kind.value
    if scope.province_code is not None:
        return "province", scope.province_code
    return "national", None


def goal_set(row: Any) -> Pending:
    scope_type, scope_value = _scope_type_and_value(Scope(row.scope_province_code, row.scope_kind))
    data = GoalSet(
        goal_id=row.id,
        title=row.title,
        description=row.description,
        umbrella_id=row.umbrella_id,
        indicator=row.indicator,
        scope_type=scope_type,
        scope_value=scope_value,
        scope_province_code=row.scope_province_code,
        scope_kind=row.scope_kind,
        baseline_value=row.baseline_value,
        target_value=row.target_value,
        baseline_date=row.baseline_date,
        target_date=row.target_date,
        version=row.version,
    )
    return Pending(data, row.id, row.version)


def outbox_events(pending: list[Pending]) -> list[CloudEvent]:
    return [
        make_event(
            p.data,
            subject=p.subject,
            sequence=p.sequence,
            correlationid=correlation_id.get(),
            causationid=causation_id.get(),
        )
        for p in pending
    ]


async def publish(outbox: Outbox, session: AsyncSession, pending: list[Pending]) -> None:
    """All events of one change in one outbox insert, in the caller's transaction."""
    await outbox.add_events(session, outbox_events(pending))
