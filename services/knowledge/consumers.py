"""Read models of the registry, fed by its events: collectives, contributors and memberships.

Which handler serves which event:

| event                                                        | handler               | effect                    |
| ------------------------------------------------------------ | --------------------- | ------------------------- |
| collective.registered, .updated, .stage_changed, .dissolved  | on_collective         | kind, stage, themes       |
| contributor.registered, .updated                             | on_contributor        | display name, expertise   |
| contributor.erased                                           | on_contributor_erased | anonymise the person      |
| membership.added, membership.removed                         | on_membership         | the membership's state    |

Every upsert applies only when the event's version is newer than the one held, so duplicates and events that
arrive out of order change nothing; an erased person stays erased whatever arrives later.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.knowledge import store
from shared.contracts.envelope import CloudEvent
from shared.contracts.registry import (
    CollectiveDissolved,
    CollectiveRegistered,
    CollectiveStageChanged,
    CollectiveState,
    CollectiveUpdated,
    ContributorErased,
    ContributorRegistered,
    ContributorState,
    ContributorUpdated,
    MembershipAdded,
    MembershipRemoved,
)
from shared.messaging.consumer import EventConsumer, event_types
from shared.service import Runtime


def version_of(event: CloudEvent, data_version: int) -> int:
    return max(data_version, event.sequence or 0)


async def on_collective(session: AsyncSession, event: CloudEvent) -> None:
    data = CollectiveState.model_validate(event.data)
    await store.upsert_collective(
        session,
        {
            "id": data.collective_id,
            "slug": data.slug,
            "name": data.name,
            "kind": data.kind.value,
            "stage": data.stage.value,
            "themes": [t.value for t in data.themes],
            "province_code": data.province_code,
            "status": data.status,
            "version": version_of(event, data.version),
        },
    )


async def on_contributor(session: AsyncSession, event: CloudEvent) -> None:
    data = ContributorState.model_validate(event.data)
    await store.upsert_contributor(
        session,
        {
            "id": data.contributor_id,
            "display_name": data.display_name,
            "expertise": [t.value for t in data.expertise],
            "province_code": data.province_code,
            "version": version_of(event, data.version),
        },
    )


async def on_contributor_erased(session: AsyncSession, event: CloudEvent) -> None:
    data = ContributorErased.model_validate(event.data)
    await store.erase_contributor(session, data.contributor_id, version_of(event, data.version))


async def on_membership(session: AsyncSession, event: CloudEvent) -> None:
    removed = event.type == MembershipRemoved.event_type()
    data = (MembershipRemoved if removed else MembershipAdded).model_validate(event.data)
    await store.upsert_membership(
        session,
        data.collective_id,
        data.contributor_id,
        getattr(data, "role", "member"),
        "removed" if removed else "active",
        version_of(event, data.version),
    )


def register(consumer: EventConsumer, runtime: Runtime) -> None:
    consumer.handles(
        *event_types(CollectiveRegistered, CollectiveUpdated, CollectiveStageChanged, CollectiveDissolved)
    )(on_collective)
    consumer.handles(*event_types(ContributorRegistered, ContributorUpdated))(on_contributor)
    consumer.handles(ContributorErased.event_type())(on_contributor_erased)
    consumer.handles(*event_types(MembershipAdded, MembershipRemoved))(on_membership)
