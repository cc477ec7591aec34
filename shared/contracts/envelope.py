"""The CloudEvents 1.0 envelope every Onderop event travels in, and the registry of event types.

Type naming: `nl.onderop.<service>.<entity>.<verb-past-tense>.v<N>`. Within one `vN` a payload only gains fields;
a breaking change is a new `vN+1` published beside the old one until consumers have moved.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

TYPE_PATTERN = re.compile(r"^nl\.onderop\.(?P<service>[a-z]+)\.(?P<name>[a-z_]+\.[a-z_]+)\.v(?P<version>[1-9][0-9]*)$")


class EventData(BaseModel):
    """Base of every event payload. Frozen; consumers ignore fields they do not know (forward compatibility)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    service: ClassVar[str]
    name: ClassVar[str]  # "<entity>.<verb>", e.g. "collective.registered"
    type_version: ClassVar[int] = 1

    @classmethod
    def event_type(cls) -> str:
        return f"nl.onderop.{cls.service}.{cls.name}.v{cls.type_version}"


class CloudEvent(BaseModel):
    """CloudEvents 1.0 attributes plus the Onderop extensions `correlationid`, `causationid` and `sequence`."""

    model_config = ConfigDict(extra="ignore")

    specversion: str = "1.0"
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    source: str
    type: str = Field(pattern=TYPE_PATTERN.pattern)
    subject: str | None = None
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    datacontenttype: str = "application/json"
    correlationid: str | None = None
    causationid: str | None = None
    sequence: int | None = None
    data: dict[str, Any]

    @property
    def producer(self) -> str:
        match = TYPE_PATTERN.match(self.type)
        return match["service"] if match else ""

    @property
    def short_type(self) -> str:
        """`collective.registered` for `nl.onderop.registry.collective.registered.v1`."""
        match = TYPE_PATTERN.match(self.type)
        return match["name"] if match else self.type


EVENT_TYPES: dict[str, type[EventData]] = {}


def event(service: str, name: str, version: int = 1):
    """Register a payload class under its type string."""

    def register(cls: type[EventData]) -> type[EventData]:
        cls.service = service
        cls.name = name
        cls.type_version = version
        type_ = cls.event_type()
        if type_ in EVENT_TYPES and EVENT_TYPES[type_] is not cls:
            raise ValueError(f"event type {type_} registered twice")
        EVENT_TYPES[type_] = cls
        return cls

    return register


def make_event(
    data: EventData,
    *,
    subject: str | uuid.UUID | None = None,
    sequence: int | None = None,
    correlationid: str | None = None,
    causationid: str | None = None,
) -> CloudEvent:
    return CloudEvent(
        source=f"onderop/{data.service}",
        type=data.event_type(),
        subject=str(subject) if subject is not None else None,
        sequence=sequence,
        correlationid=correlationid,
        causationid=causationid,
        data=data.model_dump(mode="json"),
    )


def parse_data(event: CloudEvent) -> EventData:
    """The typed payload of an event; raises KeyError for an unknown type, ValidationError for a bad payload."""
    return EVENT_TYPES[event.type].model_validate(event.data)
