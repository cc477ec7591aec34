"""Tables of rewards, all in the `rewards` schema.

The ledger (`ledger_transactions` + `ledger_entries`) is append-only: triggers made by the migrations refuse every
DELETE on it and every UPDATE but one: erasure moving a person's rows to their anonymous id (the columns that name a
person, nothing else). Everything else about points is derived from it in the same transaction that appends to it
(balances, counters, endorsement tallies for the caps), so a reader never sees one without the other.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from shared.service import platform_tables

metadata = MetaData(
    schema="rewards",
    naming_convention={
        "pk": "pk_%(table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
    },
)
platform = platform_tables(metadata)

POINTS, CENTS = "points", "cents"


def _timestamps() -> list[Column]:
    return [
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    ]


# One transaction per source event (a knowledge event, or a pool being funded or divided). `claims_source` marks
# *the* award of a source key: the partial unique index makes a second award of the same thing impossible even when
# two consumers race.
ledger_transactions = Table(
    "ledger_transactions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("source_event_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("source_event_type", String(200), nullable=False),
    Column("source_key", String(300), nullable=False),
    Column("outcome", String(40), nullable=False),
    Column("claims_source", Boolean, nullable=False),
    Column("unit", String(10), nullable=False),
    Column("rules_version", String(20)),
    Column("actor_id", UUID(as_uuid=True)),
    Column("article_id", UUID(as_uuid=True)),
    Column("themes", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("uq_ledger_transactions_claimed_source", "source_key", unique=True, postgresql_where=text("claims_source")),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("transaction_id", UUID(as_uuid=True), ForeignKey(ledger_transactions.c.id), nullable=False),
    Column("account", String(120), nullable=False),
    Column("contributor_id", UUID(as_uuid=True)),
    Column("amount", BigInteger, nullable=False),
    Column("unit", String(10), nullable=False),
    Column("reason", String(40), nullable=False),
    Column("source_key", String(300), nullable=False),
    Column("article_id", UUID(as_uuid=True)),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Index("ix_ledger_entries_source_key", "source_key"),
    Index("ix_ledger_entries_article_id", "article_id", postgresql_where=text("article_id IS NOT NULL")),
    Index("ix_ledger_entries_contributor", "contributor_id", "occurred_at", "id"),
    Index(
        "ix_ledger_entries_points_in_time",
        "occurred_at",
        postgresql_where=text("contributor_id IS NOT NULL AND unit = 'points'"),
    ),
)

# A reversal that arrived before what it undoes: the key (`endorsement:<id>`, `article:<id>`) earns nothing later.
ledger_tombstones = Table(
    "ledger_tombstones",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("transaction_id", UUID(as_uuid=True), ForeignKey(ledger_transactions.c.id), nullable=False),
)

# Running sums of positive endorsement points for the daily and the pair caps (withdrawals give no room back).
endorsement_day_tally = Table(
    "endorsement_day_tally",
    metadata,
    Column("contributor_id", UUID(as_uuid=True), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("points", BigInteger, nullable=False),
)

endorsement_pair_tally = Table(
    "endorsement_pair_tally",
    metadata,
    Column("endorser_id", UUID(as_uuid=True), primary_key=True),
    Column("author_id", UUID(as_uuid=True), primary_key=True),
    Column("month", Date, primary_key=True),
    Column("points", BigInteger, nullable=False),
)

# The themes (and home collective) of `article:<id>` / `answer:<id>` as last published: what rules ask about.
knowledge_subjects = Table(
    "knowledge_subjects",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("themes", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("collective_id", UUID(as_uuid=True)),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

contributor_balances = Table(
    "contributor_balances",
    metadata,
    Column("contributor_id", UUID(as_uuid=True), primary_key=True),
    Column("balance", BigInteger, nullable=False, server_default="0"),
    Column("peak_balance", BigInteger, nullable=False, server_default="0"),
    Column("level", String(40), nullable=False),
    Column("articles_published", Integer, nullable=False, server_default="0"),
    Column("answers_accepted", Integer, nullable=False, server_default="0"),
    Column("reusing_collectives", Integer, nullable=False, server_default="0"),
    Column("endorsements_received", Integer, nullable=False, server_default="0"),
    Column("version", Integer, nullable=False, server_default="0"),
    *_timestamps(),
    CheckConstraint("balance >= 0", name="balance_not_negative"),
)

counter_items = Table(
    "counter_items",
    metadata,
    Column("contributor_id", UUID(as_uuid=True), primary_key=True),
    Column("counter", String(40), primary_key=True),
    Column("item", String(200), primary_key=True),
)

contributor_badges = Table(
    "contributor_badges",
    metadata,
    Column("contributor_id", UUID(as_uuid=True), primary_key=True),
    Column("badge", String(60), primary_key=True),
    Column("source_event_id", UUID(as_uuid=True), nullable=False),
    Column("earned_at", DateTime(timezone=True), nullable=False),
)

# Read model of registry contributors: names and provinces for leaderboards and payout views. After
# `contributor.erased` the name and province are gone, `erased_at` is set, and `anonymous_id` names the random id that
# the person's ledger rows, standing, badges, tallies and payouts were moved to (the migration's
# `rewards.move_to_anonymous`); the anonymous id has a row of its own here, erased, without anything personal. Later
# events naming the erased id are booked on the anonymous id, so nothing personal is ever recreated.
contributors = Table(
    "contributors",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("display_name", String(100)),
    Column("province_code", String(4)),
    Column("municipality_code", String(6)),
    Column("status", String(20), nullable=False),
    Column("erased_at", DateTime(timezone=True)),
    Column("anonymous_id", UUID(as_uuid=True), unique=True),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_contributors_province_code", "province_code"),
)

pools = Table(
    "pools",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("theme", String(40)),
    Column("province_code", String(4)),
    Column("min_payout_cents", BigInteger, nullable=False),
    Column("max_share", Numeric(7, 6), nullable=False),
    Column("funder_id", UUID(as_uuid=True)),
    Column("created_by", String(200), nullable=False),
    Column("status", String(20), nullable=False, server_default="open"),
    Column("distributed_cents", BigInteger),
    Column("undistributed_cents", BigInteger),
    Column("cap_cents", BigInteger),
    Column("closed_at", DateTime(timezone=True)),
    Column("closed_by", String(200)),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    CheckConstraint("amount_cents > 0", name="amount_positive"),
    CheckConstraint("period_end >= period_start", name="period_order"),
    CheckConstraint("max_share > 0 AND max_share <= 1", name="max_share_range"),
    CheckConstraint("min_payout_cents >= 0 AND min_payout_cents <= amount_cents", name="min_payout_range"),
    Index("ix_pools_created_at_id", "created_at", "id"),
)

payouts = Table(
    "payouts",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("pool_id", UUID(as_uuid=True), ForeignKey(pools.c.id), nullable=False),
    Column("contributor_id", UUID(as_uuid=True), nullable=False),
    Column("points", BigInteger, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("status", String(20), nullable=False, server_default="calculated"),
    Column("approved_at", DateTime(timezone=True)),
    Column("approved_by", String(200)),
    Column("paid_at", DateTime(timezone=True)),
    Column("paid_by", String(200)),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    UniqueConstraint("pool_id", "contributor_id"),
    CheckConstraint("amount_cents > 0", name="amount_positive"),
    Index("ix_payouts_contributor_id", "contributor_id"),
)
