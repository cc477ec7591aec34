"""HTTP request and response models of the registry."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.registry.domain.validation import normalise_kvk, normalise_postcode
from shared.contracts.vocabulary import CollectiveKind, LegalForm, Stage, Theme, municipalities


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CollectiveIn(Strict):
    name: str = Field(min_length=2, max_length=200)
    kind: CollectiveKind
    legal_form: LegalForm
    kvk_number: str | None = Field(default=None, max_length=20)
    anbi: bool = False
    municipality_code: str = Field(max_length=6)
    postcode: str | None = Field(default=None, max_length=8)
    founded_on: date | None = None
    stage: Stage
    member_count: int | None = Field(default=None, ge=0, le=10_000_000)
    volunteer_count: int | None = Field(default=None, ge=0, le=10_000_000)
    themes: list[Theme] = Field(default_factory=list, max_length=12)
    description: str = Field(default="", max_length=5000)
    website: str | None = Field(default=None, max_length=300, pattern=r"^https?://")
    contact_email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

    @field_validator("kvk_number")
    @classmethod
    def _kvk(cls, value: str | None) -> str | None:
        return normalise_kvk(value) if value else None

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str | None) -> str | None:
        return normalise_postcode(value) if value else None

    @field_validator("municipality_code")
    @classmethod
    def _municipality(cls, value: str) -> str:
        if value not in municipalities():
            raise ValueError("unknown municipality code (CBS GMxxxx, see /registry/v1/vocabulary)")
        return value


class CollectiveOut(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    kind: CollectiveKind
    legal_form: LegalForm
    kvk_number: str | None
    anbi: bool
    municipality_code: str
    province_code: str
    postcode: str | None
    founded_on: date | None
    stage: Stage
    member_count: int | None
    volunteer_count: int | None
    themes: list[Theme]
    description: str
    website: str | None
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
