"""Tables of the knowledge service, all in the `knowledge` schema.

Two kinds: what this service owns (articles and their revisions, questions, answers, endorsements, reuse reports,
the search vocabulary) and read models of the registry (collectives, contributors, memberships), fed by its events
and never written by a request.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR, UUID

from shared.service import platform_tables

metadata = MetaData(
    schema="knowledge",
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


# --- read models of the registry ----------------------------------------------------------------------------------

collectives = Table(
    "collectives",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("slug", String(120), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("stage", String(20), nullable=False),
    Column("themes", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("province_code", String(4)),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# An erased person stays as a tombstone (id, status `erased`, no name), so that an older event arriving late
# cannot bring them back; nothing else in this schema refers to that id any more.
contributors = Table(
    "contributors",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("display_name", String(100)),
    Column("expertise", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("province_code", String(4)),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

memberships = Table(
    "memberships",
    metadata,
    Column("collective_id", UUID(as_uuid=True), primary_key=True),
    Column("contributor_id", UUID(as_uuid=True), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_memberships_contributor_id", "contributor_id"),
)

# --- what this service owns ---------------------------------------------------------------------------------------

articles = Table(
    "articles",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("slug", String(120), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("summary", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("plain_text", Text, nullable=False),  # the body without markup, for snippets
    Column("kind", String(40), nullable=False),
    Column("themes", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("collective_kinds", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("stages", ARRAY(String(20)), nullable=False, server_default="{}"),
    Column("language", String(2), nullable=False),
    Column("license", String(40), nullable=False),
    Column("collective_id", UUID(as_uuid=True)),
    Column("status", String(20), nullable=False),
    Column("revision", Integer, nullable=False, server_default="1"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("endorsement_count", Integer, nullable=False, server_default="0"),
    Column("reuse_count", Integer, nullable=False, server_default="0"),
    Column("published_at", DateTime(timezone=True)),
    Column("retracted_at", DateTime(timezone=True)),
    *_timestamps(),
    Index("ix_articles_status_published_at", "status", "published_at", "id"),
    Index("ix_articles_collective_id", "collective_id"),
)

# What search reads: one narrow row per PUBLISHED article (a draft or a retracted article has none, so it can never
# be found). Every match of a query is visited to be ranked and counted into the facets, so the heap is kept small:
# facets are bit masks one aggregate pass can count, the full vector (title, summary and body) is only ever read
# through its GIN index and lives out of line (STORAGE EXTERNAL), and ranking reads a small inline vector of the
# title and summary (STORAGE MAIN). Both storage settings are in the migration.
search_entries = Table(
    "search_entries",
    metadata,
    Column("article_id", UUID(as_uuid=True), ForeignKey(articles.c.id, ondelete="CASCADE"), primary_key=True),
    Column("language", String(2), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("themes_mask", Integer, nullable=False),
    Column("collective_kinds_mask", Integer, nullable=False),
    Column("stages_mask", Integer, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    # setweight(to_tsvector(cfg, title), 'A') || summary 'B' || body 'C' over application-normalised text
    # (services.knowledge.domain.text.search_document); cfg is `dutch` for nl and `english` for en.
    Column("search_vector", TSVECTOR, nullable=False),
    # The title ('A') and summary ('B') part of it: what ts_rank_cd scores.
    Column("rank_vector", TSVECTOR, nullable=False),
    Index("ix_search_entries_search_vector", "search_vector", postgresql_using="gin"),
    Index("ix_search_entries_published_at", "published_at"),
)

article_authors = Table(
    "article_authors",
    metadata,
    Column("article_id", UUID(as_uuid=True), ForeignKey(articles.c.id, ondelete="CASCADE"), primary_key=True),
    Column("position", SmallInteger, primary_key=True),
    Column("contributor_id", UUID(as_uuid=True)),  # NULL once the person was erased
    Index("ix_article_authors_contributor_id", "contributor_id"),
)

article_revisions = Table(
    "article_revisions",
    metadata,
    Column("article_id", UUID(as_uuid=True), ForeignKey(articles.c.id, ondelete="CASCADE"), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("summary", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("themes", ARRAY(String(40)), nullable=False),
    Column("collective_kinds", ARRAY(String(40)), nullable=False),
    Column("stages", ARRAY(String(20)), nullable=False),
    Column("language", String(2), nullable=False),
    Column("license", String(40), nullable=False),
    Column("collective_id", UUID(as_uuid=True)),
    Column("authors", ARRAY(UUID(as_uuid=True)), nullable=False),
    Column("status", String(20), nullable=False),
    Column("changed_fields", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("editor_id", UUID(as_uuid=True)),  # NULL for an operator, or once the person was erased
    Column("editor_role", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_article_revisions_editor_id", "editor_id"),
)

questions = Table(
    "questions",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("asker_id", UUID(as_uuid=True)),
    Column("collective_id", UUID(as_uuid=True)),
    Column("themes", ARRAY(String(40)), nullable=False, server_default="{}"),
    Column("language", String(2), nullable=False, server_default="nl"),
    Column("status", String(20), nullable=False, server_default="open"),
    Column("accepted_answer_id", UUID(as_uuid=True)),
    Column("answer_count", Integer, nullable=False, server_default="0"),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    Index("ix_questions_created_at_id", "created_at", "id"),
    Index("ix_questions_asker_id", "asker_id"),
    Index("ix_questions_collective_id", "collective_id"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("question_id", UUID(as_uuid=True), ForeignKey(questions.c.id, ondelete="CASCADE"), nullable=False),
    Column("author_id", UUID(as_uuid=True)),
    Column("body", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("accepted", Boolean, nullable=False, server_default="false"),
    Column("endorsement_count", Integer, nullable=False, server_default="0"),
    Column("version", Integer, nullable=False, server_default="1"),
    *_timestamps(),
    Index("ix_answers_question_id", "question_id", "created_at"),
    Index("ix_answers_author_id", "author_id"),
)

endorsements = Table(
    "endorsements",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("target_type", String(10), nullable=False),
    Column("target_id", UUID(as_uuid=True), nullable=False),
    Column("article_id", UUID(as_uuid=True)),
    Column("endorser_id", UUID(as_uuid=True)),
    Column("status", String(20), nullable=False, server_default="active"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("withdrawn_at", DateTime(timezone=True)),
    # One standing endorsement per person and target; a withdrawn one stays as history.
    Index(
        "uq_endorsements_active",
        "target_type",
        "target_id",
        "endorser_id",
        unique=True,
        postgresql_where=text("status = 'active'"),
    ),
    Index("ix_endorsements_endorser_id", "endorser_id"),
)

reuses = Table(
    "reuses",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("article_id", UUID(as_uuid=True), ForeignKey(articles.c.id, ondelete="CASCADE"), nullable=False),
    Column("collective_id", UUID(as_uuid=True), nullable=False),
    Column("reporter_id", UUID(as_uuid=True)),
    Column("note", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("article_id", "collective_id", name="uq_reuses_article_id_collective_id"),
    Index("ix_reuses_collective_id", "collective_id"),
    Index("ix_reuses_reporter_id", "reporter_id"),
)

# The typo-tolerance vocabulary: normalised words of published titles and summaries, with how many published
# articles use them. Small enough to compare in Python, since pg_trgm and fuzzystrmatch are not available.
search_terms = Table(
    "search_terms",
    metadata,
    Column("term", String(100), primary_key=True),
    Column("length", SmallInteger, nullable=False),
    Column("frequency", Integer, nullable=False),
    Index("ix_search_terms_length", "length"),
)
