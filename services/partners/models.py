"""Tables of the partner service, all in the `partners` schema.

`partner_events` keeps every event the service consumed for the retention window (replay reads it; deliveries
render their body from it). `deliveries` is the outbox of webhooks: one row per (subscription, event) to send,
written in the same transaction as the consumed event's inbox row. `delivery_attempts` is the delivery log.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from shared.service import platform_tables

metadata = MetaData(
    schema="partners",
    naming_convention={
        "pk": "pk_%(table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
    },
)
platform = platform_tables(metadata)


def _timestamps() -> list[Column]:
    return [
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    ]


partners = Table(
    "partners",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("website", String(300)),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    Index("ix_partners_created_at_id", "created_at", "id"),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("partner_id", UUID(as_uuid=True), ForeignKey(partners.c.id, ondelete="CASCADE"), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("description", String(500), nullable=False, server_default=""),
    Column("event_types", ARRAY(String(200)), nullable=False),
    Column("provinces", ARRAY(String(4)), nullable=False, server_default="{}"),
    Column("collective_kinds", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("secret", String(200), nullable=False),
    Column("previous_secret", String(200)),
    Column("previous_secret_until", DateTime(timezone=True)),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("disabled_reason", String(20)),
    Column("disabled_at", DateTime(timezone=True)),
    Column("consecutive_failures", Integer, nullable=False, server_default="0"),
    Column("failing_since", DateTime(timezone=True)),
    Column("last_error", String(1000)),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    Index("ix_subscriptions_partner_id_created_at", "partner_id", "created_at", "id"),
)

partner_events = Table(
    "partner_events",
    metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("type", String(200), nullable=False),
    Column("subject", String(200)),
    Column("time", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("payload", JSONB, nullable=False),
    Index("ix_partner_events_time", "time", "event_id"),
    Index("ix_partner_events_received_at", "received_at"),
)

OPEN = "status IN ('pending', 'in_flight')"

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("seq", BigInteger, Identity(), nullable=False, unique=True),
    Column("subscription_id", UUID(as_uuid=True), ForeignKey(subscriptions.c.id, ondelete="CASCADE"), nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("subject", String(200)),
    Column("subject_key", String(200), nullable=False),  # the subject, or the event id when it has none
    Column("event_time", DateTime(timezone=True), nullable=False),
    Column("origin", String(20), nullable=False, server_default="live"),  # live, replay, redelivery
    Column("redelivery_of", UUID(as_uuid=True)),
    Column("status", String(20), nullable=False, server_default="pending"),  # pending, in_flight, delivered, dead
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("claim_token", UUID(as_uuid=True)),
    Column("lease_until", DateTime(timezone=True)),
    Column("last_status_code", Integer),
    Column("last_error", String(1000)),
    Column("delivered_at", DateTime(timezone=True)),
    *_timestamps(),
    # The worker's claim: per subscription, due pending rows in order.
    Index(
        "ix_deliveries_due",
        "subscription_id",
        "next_attempt_at",
        "seq",
        postgresql_where=text("status = 'pending'"),
    ),
    # Ordering per subject: is an earlier delivery of this subject still open?
    Index("ix_deliveries_open_subject", "subscription_id", "subject_key", "seq", postgresql_where=text(OPEN)),
    Index("ix_deliveries_subscription_seq", "subscription_id", "seq"),
    Index("ix_deliveries_lease", "lease_until", postgresql_where=text("status = 'in_flight'")),
    Index("ix_deliveries_finished", "updated_at", postgresql_where=text("status IN ('delivered', 'dead')")),
    Index("ix_deliveries_event_id", "event_id"),
    # A consumed event is queued once per subscription, however often the stream hands it over.
    Index(
        "uq_deliveries_live",
        "subscription_id",
        "event_id",
        unique=True,
        postgresql_where=text("origin = 'live'"),
    ),
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("delivery_id", UUID(as_uuid=True), ForeignKey(deliveries.c.id, ondelete="CASCADE"), nullable=False),
    Column("subscription_id", UUID(as_uuid=True), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("latency_ms", Integer, nullable=False),
    Column("status_code", Integer),
    Column("result", String(20), nullable=False),
    Column("error", String(1000)),
    Index("ix_delivery_attempts_delivery_id", "delivery_id", "attempt"),
    Index("ix_delivery_attempts_subscription_id", "subscription_id", "started_at"),
)
