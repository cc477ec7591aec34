"""Events published by the partner service on `onderop:events:partners`.

Subject: the subscription id; `sequence` is the subscription's version after the change. No event carries a target
URL or a secret (URLs often hold a partner's own access token).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.contracts.envelope import EventData, event


@event("partners", "subscription.disabled")
class SubscriptionDisabled(EventData):
    """A webhook subscription was switched off: after a run of failed deliveries (`failures`), because its target
    answered 410 Gone (`gone`), or by its owner (`manual`). Nothing is sent to it until it is enabled again."""

    subscription_id: uuid.UUID
    partner_id: uuid.UUID
    reason: Literal["failures", "gone", "manual"]
    consecutive_failures: int = Field(description="failed attempts in a row when it was disabled")
    failing_since: datetime | None = None
    last_error: str | None = None
    disabled_at: datetime
    version: int


@event("partners", "subscription.enabled")
class SubscriptionEnabled(EventData):
    """A disabled webhook subscription was enabled again; deliveries still waiting resume at once."""

    subscription_id: uuid.UUID
    partner_id: uuid.UUID
    enabled_at: datetime
    version: int
