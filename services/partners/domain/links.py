"""The body of a webhook: the CloudEvent as published, with links to the resource it is about in `data.links`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# "<service>.<entity>" or "<service>.<entity>.<verb>" → the path of the resource, filled from the event's data.
SELF_LINKS: dict[str, str] = {
    "registry.collective": "/registry/v1/collectives/{collective_id}",
    "registry.contributor": "/registry/v1/contributors/{contributor_id}",
    "registry.membership": "/registry/v1/collectives/{collective_id}/members",
    "registry.impact": "/registry/v1/collectives/{collective_id}/impact",
    "registry.goal": "/registry/v1/goals/{goal_id}",
    "knowledge.article": "/knowledge/v1/articles/{article_id}",
    "knowledge.question": "/knowledge/v1/questions/{question_id}",
    "knowledge.answer": "/knowledge/v1/questions/{question_id}",
    "knowledge.endorsement": "/knowledge/v1/articles/{article_id}",
    "knowledge.reuse": "/knowledge/v1/articles/{article_id}",
    "rewards.points": "/rewards/v1/contributors/{contributor_id}",
    "rewards.badge": "/rewards/v1/contributors/{contributor_id}",
    "rewards.level": "/rewards/v1/contributors/{contributor_id}",
    "rewards.pool": "/rewards/v1/pools/{pool_id}",
    "rewards.payout": "/rewards/v1/payouts/{payout_id}",
    "funding.instrument": "/funding/v1/instruments/{instrument_id}",
    "funding.match": "/funding/v1/collectives/{collective_id}/matches/{instrument_id}",
    "funding.application": "/funding/v1/applications/{application_id}",
    "funding.funds": "/funding/v1/applications/{application_id}",
    "funding.round": "/funding/v1/rounds/{round_id}",
    "partners.subscription": "/partners/v1/partners/{partner_id}/subscriptions/{subscription_id}",
}
COLLECTIVE_LINK = "/registry/v1/collectives/{collective_id}"


def _fill(template: str, data: Mapping[str, Any]) -> str | None:
    try:
        return template.format_map({k: v for k, v in data.items() if v is not None})
    except (KeyError, ValueError):
        return None


def resource_links(event_type: str, data: Mapping[str, Any], base_url: str = "") -> dict[str, str]:
    parts = event_type.split(".")
    if len(parts) < 6:
        return {}
    service, entity, verb = parts[2], parts[3], parts[4]
    links: dict[str, str] = {}
    template = SELF_LINKS.get(f"{service}.{entity}.{verb}") or SELF_LINKS.get(f"{service}.{entity}")
    if template and (path := _fill(template, data)):
        links["self"] = base_url + path
    if "collective_id" in data and (path := _fill(COLLECTIVE_LINK, data)) and links.get("self") != base_url + path:
        links["collective"] = base_url + path
    return links


def webhook_body(cloud_event: Mapping[str, Any], base_url: str = "") -> str:
    """The exact bytes that are signed and sent; the same for every attempt of a delivery."""
    data = dict(cloud_event.get("data") or {})
    links = resource_links(str(cloud_event.get("type", "")), data, base_url)
    if links:
        data["links"] = links
    return json.dumps({**cloud_event, "data": data}, ensure_ascii=False, separators=(",", ":"))
