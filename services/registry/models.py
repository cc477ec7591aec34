"""Tables of the registry, all in the `registry` schema."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from shared.service import platform_tables

metadata = MetaData(schema="registry")
platform = platform_tables(metadata)

collectives = Table(
    "collectives",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("slug", String(120), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("legal_form", String(40), nullable=False),
    Column("kvk_number", String(8), unique=True),
    Column("anbi", Boolean, nullable=False, default=False),
    Column("municipality_code", String(6), nullable=False),
    Column("province_code", String(4), nullable=False),
    Column("postcode", String(7)),
    Column("founded_on", Date),
    Column("stage", String(20), nullable=False),
    Column("member_count", Integer),
    Column("volunteer_count", Integer),
    Column("themes", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("description", Text, nullable=False, server_default=""),
    Column("website", String(300)),
    Column("contact_email", String(254)),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
