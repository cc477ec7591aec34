"""The published event schemas and catalogue never drift from the contracts."""

from pathlib import Path

import pytest

from shared.contracts import export
from shared.contracts.envelope import TYPE_PATTERN

pytestmark = pytest.mark.unit

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_event_type_follows_the_naming_rule() -> None:
    types = export.load_all_contracts()
    assert types, "no event contracts found"
    for event_type, cls in types.items():
        assert TYPE_PATTERN.match(event_type), event_type
        assert event_type.split(".")[2] == cls.service


def test_json_schemas_in_docs_match_the_contracts() -> None:
    expected = export.rendered()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in (DOCS / "events").glob("*.json")}
    drifted = sorted(name for name in expected.keys() | on_disk.keys() if expected.get(name) != on_disk.get(name))
    assert not drifted, f"run `python -m shared.contracts.export`; drifted: {drifted}"


def test_the_catalogue_names_every_event_type() -> None:
    catalogue = (DOCS / "events.md").read_text(encoding="utf-8")
    missing = [t for t in export.load_all_contracts() if t not in catalogue]
    assert not missing, f"docs/events.md does not list {missing}"


def test_no_event_carries_an_email_address_field() -> None:
    for event_type, cls in export.load_all_contracts().items():
        fields = set(cls.model_fields)
        assert not {f for f in fields if "email" in f}, event_type
