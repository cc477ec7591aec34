"""What the partner service does with every public event: keep it for replay and queue the webhooks it causes.

| event                                   | effect                                                              |
| --------------------------------------- | ------------------------------------------------------------------- |
| every type of registry, knowledge,      | a `partner_events` row (replay, rendering), and one `deliveries`    |
|   rewards and funding                   | row per active subscription whose patterns and filters it matches   |

Both are written in the consumer's transaction, with its inbox row: an event is queued for a subscription exactly
once, or not at all (an outbox for webhooks). A subscription created later can catch up with a replay.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.partners import store
from services.partners.context import PartnersContext, wake_after_commit
from shared.contracts.envelope import CloudEvent
from shared.contracts.export import load_all_contracts
from shared.messaging.consumer import EventConsumer

SOURCES = ("registry", "knowledge", "rewards", "funding")


def deliverable_types() -> list[str]:
    return [t for t, cls in load_all_contracts().items() if cls.service in SOURCES]


def register(consumer: EventConsumer, context: PartnersContext) -> None:
    @consumer.handles(*deliverable_types(), batch=True)
    async def on_events(session: AsyncSession, events: list[CloudEvent]) -> None:
        if await store.ingest(session, events):
            wake_after_commit(session, context)
