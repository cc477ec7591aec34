"""Tables of the registry, all in the `registry` schema."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID

from shared.service import platform_tables

metadata = MetaData(
    schema="registry",
    naming_convention={
        "pk": "pk_%(table_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
    },
)
platform = platform_tables(metadata)

# Diacritics are folded on both sides of a text search, because the `unaccent` extension needs rights that the
# service's role does not have: "cooperatie" then finds "coöperatie". `translate` is immutable, so an index can use it.
ACCENTED = "ÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜÇàáâäèéêëìíîïòóôöùúûüç"
PLAIN = "AAAAEEEEIIIIOOOOUUUUCaaaaeeeeiiiioooouuuuc"


def _folded(column: str) -> str:
    return f"translate(coalesce({column}, ''), '{ACCENTED}', '{PLAIN}')"


SEARCH_DOCUMENT = (
    f"setweight(to_tsvector('dutch'::regconfig, {_folded('name')}), 'A') || "
    f"setweight(to_tsvector('dutch'::regconfig, {_folded('description')}), 'B')"
)


def _timestamps() -> list[Column]:
    return [
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    ]


umbrellas = Table(
    "umbrellas",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("slug", String(120), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("website", String(300)),
    Column("description", Text, nullable=False, server_default=""),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
)

collectives = Table(
    "collectives",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("slug", String(120), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(40), nullable=False, index=True),
    Column("legal_form", String(40), nullable=False),
    Column("kvk_number", String(8), unique=True),
    Column("rsin", String(9)),
    Column("anbi", Boolean, nullable=False, server_default="false"),
    Column("municipality_code", String(6), nullable=False, index=True),
    Column("province_code", String(4), nullable=False, index=True),
    Column("postcode", String(7)),
    Column("founded_on", Date),
    Column("stage", String(20), nullable=False, index=True),
    Column("member_count", Integer),
    Column("volunteer_count", Integer),
    Column("themes", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("description", Text, nullable=False, server_default=""),
    Column("website", String(300)),
    Column("contact_email", String(254)),
    Column("umbrella_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default="{}"),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("dissolved_on", Date),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    Column("search", TSVECTOR, Computed(SEARCH_DOCUMENT, persisted=True)),
    Index("ix_collectives_created_at_id", "created_at", "id"),
    Index("ix_collectives_themes", "themes", postgresql_using="gin"),
    Index("ix_collectives_umbrella_ids", "umbrella_ids", postgresql_using="gin"),
    Index("ix_collectives_search", "search", postgresql_using="gin"),
)

collective_history = Table(
    "collective_history",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("collective_id", UUID(as_uuid=True), ForeignKey(collectives.c.id, ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("actor_role", String(40), nullable=False),
    Column("changes", JSONB, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("collective_id", "version"),
)

contributors = Table(
    "contributors",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("display_name", String(100), nullable=False),
    Column("email", String(254), unique=True),
    Column("expertise", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("municipality_code", String(6)),
    Column("province_code", String(4)),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("erased_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
)

memberships = Table(
    "memberships",
    metadata,
    Column("collective_id", UUID(as_uuid=True), ForeignKey(collectives.c.id, ondelete="CASCADE"), primary_key=True),
    Column("contributor_id", UUID(as_uuid=True), ForeignKey(contributors.c.id, ondelete="CASCADE"), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    Index("ix_memberships_contributor_id", "contributor_id"),
)

impact_reports = Table(
    "impact_reports",
    metadata,
    Column("collective_id", UUID(as_uuid=True), ForeignKey(collectives.c.id, ondelete="CASCADE"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("values", JSONB, nullable=False),
    Column("reported_by", String(200), nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
)

goals = Table(
    "goals",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("umbrella_id", UUID(as_uuid=True), ForeignKey(umbrellas.c.id)),
    Column("indicator", String(40), nullable=False),
    Column("scope_province_code", String(4)),
    Column("scope_kind", String(40)),
    # Exact decimals: goals compare against sums of reported figures, which the domain keeps exact too.
    Column("baseline_value", Numeric(24, 4), nullable=False),
    Column("target_value", Numeric(24, 4), nullable=False),
    Column("baseline_date", Date, nullable=False),
    Column("target_date", Date, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    Index("ix_goals_created_at_id", "created_at", "id"),
)
