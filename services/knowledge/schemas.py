"""HTTP request and response models of the knowledge service.

Requests reject unknown fields, limit every string and list, and take closed enums.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from shared.contracts.vocabulary import CollectiveKind, Stage, Theme


class ArticleKind(StrEnum):
    guide = "guide"
    template = "template"
    case_study = "case_study"
    tool = "tool"
    checklist = "checklist"
    regulation_explainer = "regulation_explainer"


class License(StrEnum):
    """SPDX identifiers of the licences an article may carry; open licences, so others may build on it."""

    cc_by_sa_4 = "CC-BY-SA-4.0"
    cc_by_4 = "CC-BY-4.0"
    cc0 = "CC0-1.0"
    cc_by_nc_sa_4 = "CC-BY-NC-SA-4.0"


Language = Literal["nl", "en"]
ArticleStatus = Literal["draft", "published", "retracted"]
QuestionStatus = Literal["open", "answered", "resolved", "closed"]


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))


def _has_text(value: str) -> str:
    if not any(char.isalnum() for char in value):
        raise ValueError("needs at least one letter or digit")
    return value


Title = Annotated[str, Field(min_length=3, max_length=200), AfterValidator(_has_text)]
Summary = Annotated[str, Field(max_length=1000)]
Body = Annotated[str, Field(min_length=1, max_length=100_000)]
AnswerBody = Annotated[str, Field(min_length=1, max_length=20_000)]
Themes = Annotated[list[Theme], Field(max_length=len(Theme)), AfterValidator(_unique)]
Kinds = Annotated[list[CollectiveKind], Field(max_length=len(CollectiveKind)), AfterValidator(_unique)]
Stages = Annotated[list[Stage], Field(max_length=len(Stage)), AfterValidator(_unique)]
Authors = Annotated[list[uuid.UUID], Field(min_length=1, max_length=20), AfterValidator(_unique)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- articles ---------------------------------------------------------------------------------------------------


class ArticleIn(Strict):
    title: Title
    summary: Summary = ""
    body: Body
    kind: ArticleKind
    themes: Themes = Field(default_factory=list)
    collective_kinds: Kinds = Field(default_factory=list, description="empty: applies to any kind of collective")
    stages: Stages = Field(default_factory=list, description="empty: applies to any stage")
    language: Language = "nl"
    license: License = License.cc_by_sa_4
    authors: Authors | None = Field(default=None, description="contributor ids; default: the caller alone")
    collective_id: uuid.UUID | None = Field(default=None, description="the collective the article comes from")
    status: Literal["draft", "published"] = "draft"


class ArticlePatch(Strict):
    """Only the fields sent change; each change is a new revision. Fields that cannot be empty refuse `null`."""

    title: Title = Field(None)
    summary: Summary = Field(None)
    body: Body = Field(None)
    kind: ArticleKind = Field(None)
    themes: Themes = Field(None)
    collective_kinds: Kinds = Field(None)
    stages: Stages = Field(None)
    language: Language = Field(None)
    license: License = Field(None)
    authors: Authors = Field(None)
    collective_id: uuid.UUID | None = None

    def changes(self) -> dict[str, Any]:
        return self.model_dump(mode="python", exclude_unset=True)


class AuthorOut(BaseModel):
    contributor_id: uuid.UUID | None = Field(description="null once the person asked to be erased")
    display_name: str | None


class ArticleOut(BaseModel):
    id: uuid.UUID
    slug: str
    title: str
    summary: str
    body: str
    body_html: str
    kind: ArticleKind
    themes: list[Theme]
    collective_kinds: list[CollectiveKind]
    stages: list[Stage]
    language: Language
    license: str
    authors: list[AuthorOut]
    collective_id: uuid.UUID | None
    collective_name: str | None = None
    status: ArticleStatus
    revision: int
    version: int
    endorsement_count: int
    reuse_count: int
    published_at: datetime | None
    retracted_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ArticleSummaryOut(BaseModel):
    id: uuid.UUID
    slug: str
    title: str
    summary: str
    kind: ArticleKind
    themes: list[Theme]
    collective_kinds: list[CollectiveKind]
    stages: list[Stage]
    language: Language
    status: ArticleStatus
    revision: int
    endorsement_count: int
    reuse_count: int
    published_at: datetime | None
    created_at: datetime


class ArticlePage(BaseModel):
    items: list[ArticleSummaryOut]
    next_cursor: str | None = None


class RevisionOut(BaseModel):
    revision: int
    title: str
    summary: str
    body: str
    kind: ArticleKind
    themes: list[Theme]
    collective_kinds: list[CollectiveKind]
    stages: list[Stage]
    language: Language
    license: str
    collective_id: uuid.UUID | None
    authors: list[uuid.UUID]
    status: ArticleStatus
    changed_fields: list[str]
    editor_id: uuid.UUID | None = Field(description="null for an operator's change, or once the person was erased")
    editor_role: str
    created_at: datetime


class RevisionPage(BaseModel):
    items: list[RevisionOut]
    next_cursor: str | None = None


# --- endorsements and reuse ---------------------------------------------------------------------------------------


class EndorsementOut(BaseModel):
    id: uuid.UUID
    target_type: Literal["article", "answer"]
    target_id: uuid.UUID
    endorser_id: uuid.UUID | None
    status: Literal["active", "withdrawn"]
    created_at: datetime
    endorsement_count: int = Field(description="the target's standing endorsements after this change")


class ReuseIn(Strict):
    collective_id: uuid.UUID
    note: Annotated[str, Field(max_length=2000)] = ""


class ReuseOut(BaseModel):
    id: uuid.UUID
    article_id: uuid.UUID
    collective_id: uuid.UUID
    reporter_id: uuid.UUID | None
    note: str
    created_at: datetime
    reuse_count: int


# --- questions and answers ----------------------------------------------------------------------------------------


class QuestionIn(Strict):
    title: Title
    body: Body
    themes: Themes = Field(default_factory=list)
    collective_id: uuid.UUID | None = Field(default=None, description="asked on behalf of this collective")
    language: Language = "nl"


class AnswerIn(Strict):
    body: AnswerBody


class PersonOut(BaseModel):
    contributor_id: uuid.UUID | None
    display_name: str | None


class AnswerOut(BaseModel):
    id: uuid.UUID
    question_id: uuid.UUID
    author: PersonOut
    body: str
    body_html: str
    accepted: bool
    endorsement_count: int
    created_at: datetime


class QuestionOut(BaseModel):
    id: uuid.UUID
    title: str
    body: str
    body_html: str
    asker: PersonOut
    collective_id: uuid.UUID | None
    collective_name: str | None = None
    themes: list[Theme]
    language: Language
    status: QuestionStatus
    accepted_answer_id: uuid.UUID | None
    answer_count: int
    version: int
    created_at: datetime
    updated_at: datetime
    answers: list[AnswerOut] = Field(default_factory=list)


class QuestionSummaryOut(BaseModel):
    id: uuid.UUID
    title: str
    asker: PersonOut
    collective_id: uuid.UUID | None
    themes: list[Theme]
    language: Language
    status: QuestionStatus
    answer_count: int
    created_at: datetime


class QuestionPage(BaseModel):
    items: list[QuestionSummaryOut]
    next_cursor: str | None = None


# --- search, recommendations, experts -----------------------------------------------------------------------------


class SearchHit(BaseModel):
    id: uuid.UUID
    slug: str
    title: str
    summary: str
    kind: ArticleKind
    themes: list[Theme]
    collective_kinds: list[CollectiveKind]
    stages: list[Stage]
    language: Language
    published_at: datetime | None
    endorsement_count: int
    reuse_count: int
    score: float | None = Field(description="ts_rank_cd of the match; null when browsing without a query")
    snippet: str = Field(description="HTML-escaped text with the matched words in <mark>")


class SearchResult(BaseModel):
    query: str | None
    searched_for: str | None = Field(description="the query the results are for: `did_you_mean` when it was used")
    did_you_mean: str | None
    total: int
    items: list[SearchHit]
    facets: dict[str, dict[str, int]]
    next_cursor: str | None = None


class RecommendedArticle(BaseModel):
    id: uuid.UUID
    slug: str
    title: str
    kind: ArticleKind
    score: float
    reasons: list[str]


class RecommendedQuestion(BaseModel):
    id: uuid.UUID
    title: str
    status: QuestionStatus
    score: float
    reasons: list[str]


class Recommendations(BaseModel):
    collective_id: uuid.UUID
    articles: list[RecommendedArticle]
    questions: list[RecommendedQuestion]


class ExpertOut(BaseModel):
    contributor_id: uuid.UUID
    display_name: str
    expertise: list[Theme]
    score: float
    reasons: list[str]


class Experts(BaseModel):
    question_id: uuid.UUID
    items: list[ExpertOut]
