import json
import re
import uuid
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook

from services.partners.consumers import deliverable_types
from services.partners.domain.links import SELF_LINKS, resource_links, webhook_body
from services.partners.settings import PartnersSettings
from services.partners.worker import signature_headers
from shared.contracts.export import load_all_contracts

pytestmark = pytest.mark.unit


def test_every_deliverable_type_has_a_self_link_made_of_its_own_fields():
    contracts = load_all_contracts()
    for event_type in deliverable_types():
        _, _, service, entity, verb, _ = event_type.split(".")
        template = SELF_LINKS.get(f"{service}.{entity}.{verb}") or SELF_LINKS.get(f"{service}.{entity}")
        assert template, f"no link for {event_type}"
        fields = set(re.findall(r"{(\w+)}", template))
        assert fields <= set(contracts[event_type].model_fields), (event_type, fields)


def test_links_are_filled_from_the_data_and_prefixed_with_the_public_url():
    cid, iid = uuid.uuid4(), uuid.uuid4()
    links = resource_links(
        "nl.onderop.funding.match.found.v1", {"collective_id": str(cid), "instrument_id": str(iid)}, "https://api.x"
    )
    assert links == {
        "self": f"https://api.x/funding/v1/collectives/{cid}/matches/{iid}",
        "collective": f"https://api.x/registry/v1/collectives/{cid}",
    }
    assert resource_links("nl.onderop.knowledge.endorsement.added.v1", {"article_id": None}) == {}


def test_the_signed_body_verifies_with_the_standard_webhooks_library():
    secret = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    event = {"id": str(uuid.uuid4()), "type": "nl.onderop.registry.goal.set.v1", "data": {"goal_id": "g1"}}
    body = webhook_body(event)
    headers = signature_headers(event["id"], body, [secret], datetime.now(UTC))
    payload = Webhook(secret).verify(body, headers)
    assert payload["data"]["links"]["self"] == "/registry/v1/goals/g1"
    assert json.loads(body) == payload and headers["webhook-id"] == event["id"]


def test_settings_read_lists_as_json_or_comma_separated(monkeypatch):
    monkeypatch.setenv("ONDEROP_PARTNERS_ALLOW_HOSTS", "127.0.0.1, Receiver.Test.")
    monkeypatch.setenv("ONDEROP_PARTNERS_RETRY_SCHEDULE", "[1, 2.5]")
    monkeypatch.setenv("ONDEROP_PARTNERS_DATABASE_URL", "postgresql://elsewhere")  # the kit's, not ours
    settings = PartnersSettings()
    assert settings.allow_hosts == ["127.0.0.1", "receiver.test"]
    assert settings.retry_schedule == [1, 2.5]
