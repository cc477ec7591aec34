"""What funding does with the registry's events.

| event                                                  | effect                                              |
| ------------------------------------------------------ | --------------------------------------------------- |
| collective.registered / updated / stage_changed /      | upsert the collective read model when the event's   |
|   dissolved                                            | version is newer, then re-match it against every    |
|                                                        | open instrument (match.found / match.lost on flips) |
| membership.added / removed                             | upsert the memberships read model (newer versions)  |
| contributor.erased                                     | unlink the person from pledges, needs, applications |

Every handler is idempotent twice over: the kit's inbox skips a redelivered event, and the version guard makes an
older event (arriving late) a no-op, so duplicates and out-of-order delivery leave the same state.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.funding import store
from services.funding.rematch import InstrumentCache, collective_profile, rematch_collective
from shared.contracts.envelope import CloudEvent
from shared.contracts.registry import (
    CollectiveDissolved,
    CollectiveRegistered,
    CollectiveStageChanged,
    CollectiveState,
    CollectiveUpdated,
    ContributorErased,
    MembershipAdded,
    MembershipRemoved,
)
from shared.contracts.vocabulary import province_of
from shared.messaging.consumer import EventConsumer
from shared.service import Runtime

COLLECTIVE_EVENTS = (CollectiveRegistered, CollectiveUpdated, CollectiveStageChanged, CollectiveDissolved)


def instrument_cache(runtime: Runtime) -> InstrumentCache:
    return runtime.state.setdefault("instrument_cache", InstrumentCache())


def collective_values(state: CollectiveState) -> dict:
    return {
        "id": state.collective_id,
        "name": state.name,
        "kind": state.kind.value,
        "legal_form": state.legal_form.value,
        "stage": state.stage.value,
        "themes": [t.value for t in state.themes],
        "municipality_code": state.municipality_code,
        "province_code": state.province_code or province_of(state.municipality_code),
        "anbi": state.anbi,
        "kvk_number": state.kvk_number,
        "member_count": state.member_count,
        "status": state.status,
        "version": state.version,
    }


def register(consumer: EventConsumer, runtime: Runtime) -> None:
    @consumer.handles(*(cls.event_type() for cls in COLLECTIVE_EVENTS))
    async def on_collective(session: AsyncSession, event: CloudEvent) -> None:
        state = CollectiveState.model_validate(event.data)
        row = await store.upsert_collective(session, collective_values(state))
        if row is None:
            return  # we hold this version or a newer one already
        cause = "collective_dissolved" if row.status != "active" else "collective_changed"
        await rematch_collective(
            session, runtime.outbox, instrument_cache(runtime), collective_profile(row), cause=cause
        )

    @consumer.handles(MembershipAdded.event_type())
    async def on_membership_added(session: AsyncSession, event: CloudEvent) -> None:
        data = MembershipAdded.model_validate(event.data)
        values = {
            "collective_id": data.collective_id,
            "contributor_id": data.contributor_id,
            "role": data.role.value,
            "status": "active",
            "version": data.version,
        }
        await store.upsert_membership(session, values)

    @consumer.handles(MembershipRemoved.event_type())
    async def on_membership_removed(session: AsyncSession, event: CloudEvent) -> None:
        data = MembershipRemoved.model_validate(event.data)
        values = {
            "collective_id": data.collective_id,
            "contributor_id": data.contributor_id,
            "role": "member",
            "status": "removed",
            "version": data.version,
        }
        await store.upsert_membership(session, values)

    @consumer.handles(ContributorErased.event_type())
    async def on_contributor_erased(session: AsyncSession, event: CloudEvent) -> None:
        data = ContributorErased.model_validate(event.data)
        await store.anonymise_person(session, data.contributor_id)
