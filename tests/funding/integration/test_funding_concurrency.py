# ruff: noqa: F811  (pytest fixtures imported from funding_support are parameters of the tests)
"""Races between conflicting application moves: exactly one wins, the others get 409, one event, one final state."""

import asyncio
import uuid
from collections import Counter

import pytest
from funding_support import (  # noqa: F401
    API,
    funder_token,
    funding,
    known_collective,
    new_funder,
    new_instrument,
    token,
)
from sqlalchemy import select

from services.funding import store
from services.funding.api_applications import move
from services.funding.models import applications
from shared.http import Problem

pytestmark = pytest.mark.integration

APELDOORN = "GM0200"


async def submitted_application(funding, token, redis, settings) -> tuple[dict, dict[str, str], dict[str, str]]:
    """A submitted application, with the headers of its applicant side and of its funder."""
    funder = await new_funder(funding, token)
    coop = await known_collective(funding, redis, settings, municipality_code=APELDOORN)
    instrument = await new_instrument(funding, token, funder["id"], municipalities=[APELDOORN])
    applicant = token("collective_admin", collectives=[coop["collective_id"]])
    body = {
        "collective_id": coop["collective_id"],
        "instrument_id": instrument["id"],
        "title": "Warmtenet voor de wijk",
        "amount_requested_cents": 1_500_000,
    }
    created = await funding.post(f"{API}/applications", json=body, headers=applicant)
    assert created.status_code == 201, created.text
    url = f"{API}/applications/{created.json()['id']}"
    submitted = await funding.post(f"{url}/submit", headers=applicant)
    assert submitted.status_code == 200, submitted.text
    return submitted.json(), applicant, funder_token(token, funder["id"])


async def outbox_rows(funding, application_id: str) -> list:
    """The application's events as written in funding's outbox (whether or not the relay has published them yet)."""
    runtime = funding.app.state.runtime
    table = runtime.spec.tables.outbox
    async with runtime.sessions() as session:
        result = await session.execute(
            select(table.c.type, table.c.payload).where(table.c.subject == application_id).order_by(table.c.id)
        )
        return list(result)


@pytest.mark.parametrize("start", ["submitted", "in_review"])
async def test_concurrent_conflicting_decisions_let_exactly_one_win(funding, token, redis, settings, start):
    application, applicant, funder = await submitted_application(funding, token, redis, settings)
    url = f"{API}/applications/{application['id']}"
    if start == "in_review":
        assert (await funding.post(f"{url}/review", headers=funder)).status_code == 200

    grant = {"decision": "granted", "amount_cents": 1_000_000, "note": "Ja"}
    reject = {"decision": "rejected", "note": "Nee"}
    attempts = [
        *(funding.post(f"{url}/decision", json=grant, headers=funder) for _ in range(3)),
        *(funding.post(f"{url}/decision", json=reject, headers=funder) for _ in range(3)),
        *(funding.post(f"{url}/withdraw", headers=applicant) for _ in range(2)),
    ]
    responses = await asyncio.gather(*attempts)

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: 7}, [(r.status_code, r.text) for r in responses]
    [winner] = [r.json() for r in responses if r.status_code == 200]
    for loser in (r for r in responses if r.status_code == 409):
        assert loser.headers["content-type"].startswith("application/problem+json")
        assert loser.json()["type"].endswith("/invalid-transition")
        assert loser.json()["current_status"] in (start, winner["status"])

    final = (await funding.get(url, headers=applicant)).json()
    assert final == winner
    assert final["status"] in ("granted", "rejected", "withdrawn")
    assert final["version"] == application["version"] + (2 if start == "in_review" else 1)
    if final["status"] == "granted":
        assert final["amount_granted_cents"] == 1_000_000
        assert (final["decision_note"], final["withdrawn_at"]) == ("Ja", None)
    elif final["status"] == "rejected":
        assert (final["amount_granted_cents"], final["decision_note"], final["withdrawn_at"]) == (None, "Nee", None)
    else:
        assert (final["decided_at"], final["amount_granted_cents"], final["decision_note"]) == (None, None, None)

    rows = await outbox_rows(funding, application["id"])
    types = [t.split(".")[3:5] for t, _ in rows]
    expected = ["application", "withdrawn"] if final["status"] == "withdrawn" else ["application", "decided"]
    assert types == [["application", "submitted"], expected]
    payload = rows[1].payload
    assert payload["sequence"] == final["version"]
    assert payload["data"]["status"] == final["status"]
    assert payload["data"]["amount_granted_cents"] == final["amount_granted_cents"]
    if expected[1] == "decided":
        assert payload["data"]["decision"] == final["status"]

    # Once settled, any further decision is refused the ordinary way.
    assert (await funding.post(f"{url}/decision", json=reject, headers=funder)).status_code == 409


async def test_the_guarded_update_refuses_a_move_whose_read_went_stale(funding, token, redis, settings):
    """Both transactions read `submitted`, so neither is stopped by the early status check; the second's UPDATE
    waits on the first's row lock and, once the first commits, matches no row: 409, nothing written."""
    application, _, _ = await submitted_application(funding, token, redis, settings)
    application_id = uuid.UUID(application["id"])
    runtime = funding.app.state.runtime
    both_read = asyncio.Barrier(2)
    first_moved = asyncio.Event()

    async def first() -> str:
        async with runtime.transaction() as session:
            row = await store.fetch(session, applications, id=application_id)
            await both_read.wait()
            moved = await move(session, row, ("submitted", "in_review"), "granted", {"amount_granted_cents": 500_000})
            first_moved.set()
            await asyncio.sleep(0.2)  # hold the row lock while the second one's UPDATE arrives
        return moved.status

    async def second() -> str:
        async with runtime.transaction() as session:
            row = await store.fetch(session, applications, id=application_id)
            assert row.status == "submitted"
            await both_read.wait()
            await first_moved.wait()
            await move(session, row, ("submitted", "in_review"), "rejected", {"decision_note": "te laat"})
        return "rejected"

    results = await asyncio.gather(first(), second(), return_exceptions=True)
    assert results[0] == "granted"
    assert isinstance(results[1], Problem), results[1]
    assert (results[1].status, results[1].slug) == (409, "invalid-transition")

    async with runtime.sessions() as session:
        row = await store.fetch(session, applications, id=application_id)
    assert (row.status, row.amount_granted_cents, row.decision_note) == ("granted", 500_000, None)
    assert row.version == application["version"] + 1
