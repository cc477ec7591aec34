"""Demo data: the fictional catalogue of `domain/demo_catalogue.py`, a few needs and applications of demo collectives,
and one open quadratic match-funding round with projects and pledges — with the events they imply, in one
transaction. Idempotent: nothing happens when the demo funders are there already.

The demo collectives (`col-NN`) reach funding's read model through the registry's events, and are matched against
the catalogue when they arrive; needs, applications and projects refer to them by their deterministic ids.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.funding import store
from services.funding.domain.demo_catalogue import DemoInstrument, demo_funders, demo_instruments
from services.funding.events import application_event, instrument_event, publish, round_event
from services.funding.models import applications, funders, instruments, needs, pledges, round_projects, rounds
from services.funding.rematch import instrument_profile, lock_catalogue, rematch_instrument, today
from shared.contracts.funding import (
    ApplicationDecided,
    ApplicationSubmitted,
    FundsDisbursed,
    InstrumentClosed,
    InstrumentPublished,
    RoundOpened,
)
from shared.demo import demo_id
from shared.service import Runtime

_LOCK = "SELECT pg_advisory_xact_lock(hashtext('onderop-funding-seed'))"
EURO = 100
SEEDER = "seed"


def collective(key: str) -> uuid.UUID:
    return demo_id("collective", key)


def person(key: str) -> uuid.UUID:
    return demo_id("contributor", key)


def instrument_id(key: str) -> uuid.UUID:
    return next(i.id for i in demo_instruments(today().year) if i.key == key)


def _instrument_row(item: DemoInstrument, now: datetime) -> dict[str, Any]:
    values = item.as_dict()
    description = f"{item.description}\n\n{item.note_nl} Gemodelleerd naar: {item.modelled_on}."
    return {
        "id": item.id,
        "funder_id": item.funder_id,
        "name": item.name,
        "description": description,
        "form": item.form.value,
        "status": item.status.value,
        **{name: values[name] for name in ("collective_kinds", "legal_forms", "stages", "themes")},
        "national": item.national,
        "provinces": sorted(item.provinces),
        "municipalities": sorted(item.municipalities),
        "requires_anbi": item.requires_anbi,
        "requires_kvk": item.requires_kvk,
        "min_members": item.min_members,
        "amount_min_cents": item.amount_min_cents,
        "amount_max_cents": item.amount_max_cents,
        "cofinancing_pct": item.cofinancing_pct,
        "opens_on": item.opens_on,
        "closes_on": item.closes_on,
        "application_url": item.application_url,
        "closed_at": now if item.status.value == "closed" else None,
    }


NEEDS = [
    # key, collective, euros, stage, themes, purpose
    (
        "need-hondsrug",
        "col-14",
        150_000,
        "startup",
        ["energy"],
        "Projectleider en haalbaarheidsstudie voor een zonneveld van 2 MW, tot de vergunning er is.",
    ),
    (
        "need-vorden",
        "col-29",
        20_000,
        "startup",
        ["liveability", "care"],
        "Kwartiermaker en inrichting van een dorpshuiskamer waar ouderen elkaar ontmoeten.",
    ),
    (
        "need-transvaal",
        "col-43",
        4_000,
        "startup",
        ["nature_and_green", "social_cohesion"],
        "Plantenbakken, gereedschap en aarde voor tien geveltuinen en een binnenplaats.",
    ),
    (
        "need-texel",
        "col-39",
        15_000,
        "startup",
        ["care"],
        "Opzet van een vrijwillige vervoersdienst en de eerste ledenwerving.",
    ),
]

APPLICATIONS = [
    # key, collective, instrument, need, status, euros requested, euros granted
    ("app-vorden", "col-29", "kleine-kernen-gelderland", "need-vorden", "submitted", 15_000, None),
    ("app-transvaal", "col-43", "oranjerood-kleine-initiatieven", "need-transvaal", "disbursed", 2_500, 2_500),
    ("app-hondsrug", "col-14", "ontwikkellening-drenthe", "need-hondsrug", "in_review", 150_000, None),
    ("app-texel", "col-39", "startsubsidie-zorg-in-het-dorp", "need-texel", "draft", 12_000, None),
]

ROUND_KEY = "buurtmatch-zuid-holland"
PROJECTS = [
    # key, collective, title, euros target, all or nothing
    ("proj-transvaal", "col-43", "Geveltuinen in Transvaal (fictief)", 3_000, True),
    ("proj-stadsakker", "col-45", "Een kas voor de Delftse Stadsakker (fictief)", 8_000, False),
    ("proj-carnisse", "col-41", "Buurtkeuken Carnisse (fictief)", 12_000, True),
]
# project key → (contributor key, euros) pledges; broad support for the small garden project, deep pockets elsewhere
PLEDGES = {
    "proj-transvaal": [(f"con-{n:02d}", 25 + 5 * (n % 4)) for n in range(1, 21)],
    "proj-stadsakker": [("con-29", 1_500), ("con-30", 1_000), ("con-31", 250), ("con-32", 100)],
    "proj-carnisse": [("con-29", 500), ("con-33", 150), ("con-34", 75)],
}


async def _insert(session: AsyncSession, table, rows: list[dict[str, Any]]) -> list:
    return list((await session.execute(insert(table).returning(table), rows)).all()) if rows else []


def _application_rows(now: datetime) -> list[dict[str, Any]]:
    rows = []
    catalogue = {i.key: i for i in demo_instruments(today().year)}
    for key, collective_key, instrument_key, need_key, status, requested, granted in APPLICATIONS:
        item = catalogue[instrument_key]
        submitted = None if status == "draft" else now - timedelta(days=20)
        decided = now - timedelta(days=6) if status in ("granted", "rejected", "disbursed") else None
        rows.append(
            {
                "id": demo_id("application", key),
                "collective_id": collective(collective_key),
                "instrument_id": item.id,
                "funder_id": item.funder_id,
                "need_id": demo_id("need", need_key),
                "status": status,
                "title": f"Aanvraag {item.name}",
                "motivation": "Voorbeeldaanvraag (fictief) uit de demodata.",
                "amount_requested_cents": requested * EURO,
                "amount_granted_cents": granted * EURO if granted else None,
                "disbursed_cents": granted * EURO if status == "disbursed" else None,
                "decision_note": "Toegekend: past goed bij de regeling." if decided else None,
                "created_by": SEEDER,
                "submitted_at": submitted,
                "review_started_at": now - timedelta(days=10) if status != "draft" and status != "submitted" else None,
                "decided_at": decided,
                "disbursed_at": now - timedelta(days=2) if status == "disbursed" else None,
            }
        )
    return rows


def _application_events(row: Any) -> list:
    if row.status == "submitted" or row.status == "in_review":
        return [application_event(ApplicationSubmitted, row)]
    if row.status == "disbursed":
        return [
            application_event(ApplicationDecided, row, decision="granted", note=row.decision_note or ""),
            application_event(FundsDisbursed, row, amount_cents=row.disbursed_cents, disbursed_at=row.disbursed_at),
        ]
    return []


async def seed(runtime: Runtime) -> str:
    now = datetime.now(UTC)
    year = today().year
    async with runtime.transaction() as session:
        await session.execute(text(_LOCK))
        first = demo_funders()[0]
        if await store.fetch(session, funders, id=first.id):
            return "demo data already present"
        await lock_catalogue(session, exclusive=True)
        funder_rows = [
            {
                "id": f.id,
                "name": f.name,
                "kind": f.kind.value,
                "description": f.description,
                "website": f.website,
                "fictional": f.fictional,
            }
            for f in demo_funders()
        ]
        await _insert(session, funders, funder_rows)
        catalogue = await _insert(session, instruments, [_instrument_row(i, now) for i in demo_instruments(year)])
        pending = []
        for row in catalogue:
            if row.status == "draft":
                continue
            await rematch_instrument(session, runtime.outbox, instrument_profile(row))
            pending.append(instrument_event(InstrumentPublished, row))
            if row.status == "closed":
                pending.append(instrument_event(InstrumentClosed, row))

        need_rows = [
            {
                "id": demo_id("need", key),
                "collective_id": collective(collective_key),
                "amount_cents": euros * EURO,
                "purpose": purpose,
                "stage": stage,
                "themes": themes,
                "needed_by": (now + timedelta(days=120)).date(),
                "created_by": SEEDER,
            }
            for key, collective_key, euros, stage, themes, purpose in NEEDS
        ]
        await _insert(session, needs, need_rows)
        for row in await _insert(session, applications, _application_rows(now)):
            pending += _application_events(row)

        round_values = {
            "id": demo_id("round", ROUND_KEY),
            "funder_id": next(f.id for f in demo_funders() if f.key == "provincie-zuid-holland"),
            "name": "Buurtmatch Zuid-Holland (fictief)",
            "description": "Voorbeeldronde: de provincie verdubbelt brede steun uit de buurt met kwadratische "
            "matchfunding. Eén bijdrage per persoon per project telt.",
            "mechanism": "quadratic",
            "budget_cents": 20_000 * EURO,
            "cap_cents": 6_000 * EURO,
            "opens_at": now - timedelta(days=7),
            "closes_at": now + timedelta(days=53),
            "status": "open",
        }
        (round_row,) = await _insert(session, rounds, [round_values])
        pending.append(round_event(RoundOpened, round_row))
        project_rows = [
            {
                "id": demo_id("project", key),
                "round_id": round_row.id,
                "collective_id": collective(collective_key),
                "title": title,
                "target_cents": target * EURO,
                "all_or_nothing": all_or_nothing,
                "created_by": SEEDER,
            }
            for key, collective_key, title, target, all_or_nothing in PROJECTS
        ]
        await _insert(session, round_projects, project_rows)
        pledge_rows = [
            {
                "id": demo_id("pledge", f"{project_key}/{contributor_key}"),
                "round_id": round_row.id,
                "project_id": demo_id("project", project_key),
                "person_id": person(contributor_key),
                "amount_cents": euros * EURO,
            }
            for project_key, backers in PLEDGES.items()
            for contributor_key, euros in backers
        ]
        await _insert(session, pledges, pledge_rows)
        await publish(runtime.outbox, session, pending)
    return (
        f"{len(funder_rows)} funders, {len(catalogue)} instruments, {len(need_rows)} needs, {len(APPLICATIONS)} "
        f"applications, 1 round with {len(project_rows)} projects and {len(pledge_rows)} pledges"
    )
