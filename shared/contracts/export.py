"""Export the JSON Schema of every event to `docs/events/` (`python -m shared.contracts.export`).

A test compares the files with the contracts and fails when they drift, so the published schemas are always true.
"""

from __future__ import annotations

import json
import sys
from importlib import import_module
from pathlib import Path

from shared.contracts.envelope import EVENT_TYPES, CloudEvent

PRODUCERS = ("registry", "knowledge", "rewards", "funding", "partners")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "events"


def load_all_contracts() -> dict[str, type]:
    for producer in PRODUCERS:
        try:
            import_module(f"shared.contracts.{producer}")
        except ModuleNotFoundError:
            continue
    # Only the platform's producers: tests and benchmarks register event types of their own.
    return {t: c for t, c in sorted(EVENT_TYPES.items()) if c.service in PRODUCERS}


def schema_of(event_type: str, data_class: type) -> dict:
    envelope = CloudEvent.model_json_schema()
    envelope["$id"] = f"https://onderop.nl/events/{event_type}.json"
    envelope["title"] = event_type
    envelope["description"] = (data_class.__doc__ or "").strip() or f"The CloudEvent {event_type}."
    envelope["properties"]["type"] = {"const": event_type, "type": "string"}
    envelope["properties"]["data"] = data_class.model_json_schema()
    return envelope


def rendered() -> dict[str, str]:
    return {
        f"{event_type}.json": json.dumps(schema_of(event_type, cls), indent=2, ensure_ascii=False, sort_keys=True)
        + "\n"
        for event_type, cls in load_all_contracts().items()
    }


CATALOGUE = DOCS.parent / "events.md"
START, END = "<!-- catalogue:start -->", "<!-- catalogue:end -->"


# Where the subject is not simply the id of the entity the type names.
SUBJECTS = {
    "membership": "`<collective_id>/<contributor_id>`",
    "impact": "`<collective_id>/<year>`",
    "match": "`<collective_id>/<instrument_id>`",
    "points": "the contributor id",
    "badge": "the contributor id",
    "level": "the contributor id",
    "funds": "the application id",
}


def catalogue_table() -> str:
    lines = ["| type | stream | subject | schema | what it means |", "| --- | --- | --- | --- | --- |"]
    for event_type, cls in load_all_contracts().items():
        doc = " ".join((cls.__doc__ or "").split()) or "—"
        entity = cls.name.split(".")[0]
        lines.append(
            f"| `{event_type}` | `onderop:events:{cls.service}` | {SUBJECTS.get(entity, f'the {entity} id')} "
            f"| [schema](events/{event_type}.json) | {doc} |"
        )
    return "\n".join(lines)


def update_catalogue() -> None:
    text = CATALOGUE.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    CATALOGUE.write_text(f"{head}{START}\n{catalogue_table()}\n{END}{tail}", encoding="utf-8")


def main() -> int:
    DOCS.mkdir(parents=True, exist_ok=True)
    files = rendered()
    for stale in DOCS.glob("*.json"):
        if stale.name not in files:
            stale.unlink()
    for name, text in files.items():
        (DOCS / name).write_text(text, encoding="utf-8")
    update_catalogue()
    print(f"wrote {len(files)} schemas to {DOCS} and the catalogue in {CATALOGUE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
