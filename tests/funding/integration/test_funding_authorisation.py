# ruff: noqa: F811  (pytest fixtures imported from funding_support are parameters of the tests)
"""Every write route × every role → the expected 2xx / 401 / 403 (the matrix in the docstring of api.py).

Each attempt gets fresh state (a new instrument, application or round where the route changes it), so an allowed
role always meets a valid move and the status shows the authorisation alone.
"""

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

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

pytestmark = pytest.mark.integration

ROLES = ("anonymous", "contributor", "collective_admin", "other_admin", "funder", "other_funder", "operator")
HAARLEM = "GM0392"


class World:
    def __init__(self, funding, token, funder: dict, collective: dict) -> None:
        self.funding, self.token = funding, token
        self.fid, self.cid = funder["id"], collective["collective_id"]
        self.admin = token("collective_admin", collectives=[self.cid])

    def headers(self, role: str) -> dict[str, str]:
        return {
            "anonymous": {},
            "contributor": self.token("contributor"),
            "collective_admin": self.admin,
            "other_admin": self.token("collective_admin", collectives=[str(uuid.uuid4())]),
            "funder": funder_token(self.token, self.fid),
            "other_funder": funder_token(self.token, str(uuid.uuid4())),
            "operator": self.token("operator"),
        }[role]

    async def instrument(self) -> str:
        return (await new_instrument(self.funding, self.token, self.fid, municipalities=[HAARLEM]))["id"]

    async def application(self, *moves: tuple[str, dict | None]) -> str:
        body = {"collective_id": self.cid, "instrument_id": await self.instrument(), "title": "Aanvraag"}
        r = await self.funding.post(
            f"{API}/applications", json=body | {"amount_requested_cents": 200_000}, headers=self.admin
        )
        assert r.status_code == 201, r.text
        app_id = r.json()["id"]
        operator = self.token("operator")
        for move, payload in moves:
            moved = await self.funding.post(f"{API}/applications/{app_id}/{move}", json=payload, headers=operator)
            assert moved.status_code == 200, moved.text
        return app_id

    async def round(self) -> str:
        body = {
            "name": "Ronde",
            "funder_id": self.fid,
            "mechanism": "quadratic",
            "budget_cents": 100_000,
            "closes_at": (datetime.now(UTC) + timedelta(days=5)).isoformat(),
        }
        r = await self.funding.post(f"{API}/rounds", json=body, headers=self.token("operator"))
        assert r.status_code == 201, r.text
        return r.json()["id"]

    async def project(self, round_id: str) -> str:
        body = {"collective_id": self.cid, "title": "Project", "target_cents": 1_000}
        r = await self.funding.post(f"{API}/rounds/{round_id}/projects", json=body, headers=self.admin)
        assert r.status_code == 201, r.text
        return r.json()["id"]


Request = tuple[str, str, dict | None, dict[str, str]]
Prepare = Callable[[World], Awaitable[Request]]


async def funder_post(w: World) -> Request:
    return "POST", f"{API}/funders", {"name": "Fonds X", "kind": "bank"}, {}


async def instrument_post(w: World) -> Request:
    body = {"funder_id": w.fid, "name": "Regeling", "form": "loan", "municipalities": [HAARLEM]}
    return "POST", f"{API}/instruments", body, {}


async def instrument_patch(w: World) -> Request:
    return "PATCH", f"{API}/instruments/{await w.instrument()}", {"description": "Nieuw"}, {"If-Match": "*"}


async def instrument_close(w: World) -> Request:
    return "POST", f"{API}/instruments/{await w.instrument()}/close", None, {}


async def need_post(w: World) -> Request:
    return "POST", f"{API}/needs", {"collective_id": w.cid, "amount_cents": 10_000, "purpose": "Een bankje"}, {}


async def application_post(w: World) -> Request:
    body = {"collective_id": w.cid, "instrument_id": await w.instrument(), "title": "Aanvraag"}
    return "POST", f"{API}/applications", body, {}


async def submit(w: World) -> Request:
    return "POST", f"{API}/applications/{await w.application()}/submit", None, {}


async def withdraw(w: World) -> Request:
    return "POST", f"{API}/applications/{await w.application()}/withdraw", None, {}


async def review(w: World) -> Request:
    return "POST", f"{API}/applications/{await w.application(('submit', None))}/review", None, {}


async def decide(w: World) -> Request:
    app_id = await w.application(("submit", None))
    return "POST", f"{API}/applications/{app_id}/decision", {"decision": "rejected"}, {}


async def disburse(w: World) -> Request:
    app_id = await w.application(("submit", None), ("decision", {"decision": "granted"}))
    return "POST", f"{API}/applications/{app_id}/disburse", None, {}


async def round_post(w: World) -> Request:
    body = {
        "name": "Ronde",
        "funder_id": w.fid,
        "mechanism": "one_to_one",
        "budget_cents": 10_000,
        "closes_at": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
    }
    return "POST", f"{API}/rounds", body, {}


async def project_post(w: World) -> Request:
    body = {"collective_id": w.cid, "title": "Project", "target_cents": 1_000}
    return "POST", f"{API}/rounds/{await w.round()}/projects", body, {}


async def pledge_post(w: World) -> Request:
    round_id = await w.round()
    return (
        "POST",
        f"{API}/rounds/{round_id}/pledges",
        {"project_id": await w.project(round_id), "amount_cents": 500},
        {},
    )


async def round_close(w: World) -> Request:
    return "POST", f"{API}/rounds/{await w.round()}/close", None, {}


MATRIX: list[tuple[str, Prepare, set[str]]] = [
    ("POST /funders", funder_post, {"operator"}),
    ("POST /instruments", instrument_post, {"funder", "operator"}),
    ("PATCH /instruments/{id}", instrument_patch, {"funder", "operator"}),
    ("POST /instruments/{id}/close", instrument_close, {"funder", "operator"}),
    ("POST /needs", need_post, {"collective_admin", "operator"}),
    ("POST /applications", application_post, {"collective_admin", "operator"}),
    ("POST /applications/{id}/submit", submit, {"collective_admin", "operator"}),
    ("POST /applications/{id}/withdraw", withdraw, {"collective_admin", "operator"}),
    ("POST /applications/{id}/review", review, {"funder", "operator"}),
    ("POST /applications/{id}/decision", decide, {"funder", "operator"}),
    ("POST /applications/{id}/disburse", disburse, {"funder", "operator"}),
    ("POST /rounds", round_post, {"funder", "operator"}),
    ("POST /rounds/{id}/projects", project_post, {"collective_admin", "funder", "operator"}),
    ("POST /rounds/{id}/pledges", pledge_post, {"contributor"}),
    ("POST /rounds/{id}/close", round_close, {"funder", "operator"}),
]


async def test_every_write_route_for_every_role(funding, token, redis, settings):
    funder = await new_funder(funding, token)
    collective = await known_collective(funding, redis, settings, municipality_code=HAARLEM)
    world = World(funding, token, funder, collective)
    outcomes = {}
    for route, prepare, allowed in MATRIX:
        for role in ROLES:
            method, url, body, extra = await prepare(world)
            response = await funding.request(method, url, json=body, headers=world.headers(role) | extra)
            expected = "2xx" if role in allowed else ("401" if role == "anonymous" else "403")
            got = "2xx" if 200 <= response.status_code < 300 else str(response.status_code)
            outcomes[(route, role)] = (expected, got, response.text[:200])
    wrong = {key: value for key, value in outcomes.items() if value[0] != value[1]}
    assert not wrong, wrong
    assert len(outcomes) == len(MATRIX) * len(ROLES)
