"""Tables of the funding service, all in the `funding` schema.

`collectives` and `memberships` are read models of the registry's events (never written by a route); `matches`
holds, per collective and instrument that could match, the current verdict — kept in step incrementally.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Sequence,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from shared.service import platform_tables

metadata = MetaData(
    schema="funding",
    naming_convention={
        "pk": "pk_%(table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
    },
)
platform = platform_tables(metadata)

# Every instrument write takes the next value, so a process can fetch "what changed since I last looked".
instrument_change_seq = Sequence("instrument_change_seq", metadata=metadata)
# The `sequence` of match.found / match.lost: increasing across the service, so per pair the highest is newest.
match_event_seq = Sequence("match_event_seq", metadata=metadata)


def _timestamps() -> list[Column]:
    return [
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    ]


def _codes(name: str) -> Column:
    return Column(name, ARRAY(String(40)), nullable=False, server_default="{}")


funders = Table(
    "funders",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("website", String(300)),
    Column("fictional", Boolean, nullable=False, server_default="false"),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    Index("ix_funders_created_at_id", "created_at", "id"),
)

instruments = Table(
    "instruments",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("funder_id", UUID(as_uuid=True), ForeignKey(funders.c.id), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("form", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    _codes("collective_kinds"),
    _codes("legal_forms"),
    _codes("stages"),
    _codes("themes"),
    Column("national", Boolean, nullable=False, server_default="false"),
    _codes("provinces"),
    _codes("municipalities"),
    Column("requires_anbi", Boolean, nullable=False, server_default="false"),
    Column("requires_kvk", Boolean, nullable=False, server_default="false"),
    Column("min_members", Integer),
    Column("amount_min_cents", BigInteger, nullable=False, server_default="0"),
    Column("amount_max_cents", BigInteger),
    Column("cofinancing_pct", SmallInteger, nullable=False, server_default="0"),
    Column("opens_on", Date),
    Column("closes_on", Date),
    Column("application_url", String(500)),
    Column("closed_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("change_seq", BigInteger, nullable=False, server_default=instrument_change_seq.next_value(), index=True),
    # The day this instrument was last matched against every collective: the window sweep starts from it.
    Column("matched_on", Date),
    *_timestamps(),
    Index("ix_instruments_created_at_id", "created_at", "id"),
)

collectives = Table(
    "collectives",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("legal_form", String(40), nullable=False),
    Column("stage", String(20), nullable=False),
    _codes("themes"),
    Column("municipality_code", String(6)),
    Column("province_code", String(4)),
    Column("anbi", Boolean, nullable=False, server_default="false"),
    Column("kvk_number", String(8)),
    Column("member_count", Integer),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("matched_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_collectives_kind_stage", "kind", "stage"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("collective_id", UUID(as_uuid=True), primary_key=True),
    Column("contributor_id", UUID(as_uuid=True), primary_key=True, index=True),
    Column("role", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
)

matches = Table(
    "matches",
    metadata,
    Column("collective_id", UUID(as_uuid=True), primary_key=True),
    Column("instrument_id", UUID(as_uuid=True), primary_key=True),
    Column("eligible", Boolean, nullable=False),
    Column("score", SmallInteger, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_matches_instrument_ranked", "instrument_id", "eligible", "score", "collective_id"),
)

needs = Table(
    "needs",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("collective_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("amount_cents", BigInteger, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("stage", String(20), nullable=False),
    _codes("themes"),
    Column("needed_by", Date),
    Column("created_by", String(200)),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
)

applications = Table(
    "applications",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("collective_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("instrument_id", UUID(as_uuid=True), ForeignKey(instruments.c.id), nullable=False, index=True),
    Column("funder_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("need_id", UUID(as_uuid=True), ForeignKey(needs.c.id)),
    Column("status", String(20), nullable=False, server_default="draft"),
    Column("title", String(200), nullable=False),
    Column("motivation", Text, nullable=False, server_default=""),
    Column("amount_requested_cents", BigInteger),
    Column("amount_granted_cents", BigInteger),
    Column("disbursed_cents", BigInteger),
    Column("decision_note", Text),
    Column("created_by", String(200)),
    Column("submitted_at", DateTime(timezone=True)),
    Column("review_started_at", DateTime(timezone=True)),
    Column("decided_at", DateTime(timezone=True)),
    Column("disbursed_at", DateTime(timezone=True)),
    Column("withdrawn_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    Index("ix_applications_created_at_id", "created_at", "id"),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("funder_id", UUID(as_uuid=True), ForeignKey(funders.c.id), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("mechanism", String(20), nullable=False),
    Column("budget_cents", BigInteger, nullable=False),
    Column("cap_cents", BigInteger),
    Column("opens_at", DateTime(timezone=True), nullable=False),
    Column("closes_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False, server_default="open"),
    Column("closed_at", DateTime(timezone=True)),
    Column("allocated_cents", BigInteger),
    Column("unallocated_cents", BigInteger),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    Index("ix_rounds_created_at_id", "created_at", "id"),
)

round_projects = Table(
    "round_projects",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("round_id", UUID(as_uuid=True), ForeignKey(rounds.c.id), nullable=False),
    Column("collective_id", UUID(as_uuid=True), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("target_cents", BigInteger, nullable=False),
    Column("all_or_nothing", Boolean, nullable=False, server_default="false"),
    # Filled when the round closes.
    Column("raised_cents", BigInteger),
    Column("backers", Integer),
    Column("match_cents", BigInteger),
    Column("capped", Boolean),
    Column("released", Boolean),
    Column("created_by", String(200)),
    *_timestamps(),
    UniqueConstraint("round_id", "collective_id", name="uq_round_projects_round_collective"),
    Index("ix_round_projects_round_id_created_at", "round_id", "created_at", "id"),
)

pledges = Table(
    "pledges",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("round_id", UUID(as_uuid=True), ForeignKey(rounds.c.id), nullable=False, index=True),
    Column("project_id", UUID(as_uuid=True), ForeignKey(round_projects.c.id), nullable=False, index=True),
    # A pseudonymous person key: the contributor id, replaced by a random one when the person is erased.
    Column("person_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("amount_cents", BigInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
