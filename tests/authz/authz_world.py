"""The world the authorisation matrix runs in, and the matrix itself: for every write route of the four services
how to prepare a valid request against existing resources, and who may make it. Shared by tests/authz (who may)
and tests/fuzz (what a valid request with hostile strings gets); the rules are explained in test_authz_matrix.py.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import import_module
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi.routing import iter_route_contexts

from shared.auth import issue_token
from shared.contracts.envelope import EventData, make_event
from shared.contracts.knowledge import ArticlePublished
from shared.contracts.registry import CollectiveRegistered, ContributorRegistered
from shared.messaging.relay import entry_fields
from tests.conftest import running_service

SERVICES = ("registry", "knowledge", "rewards", "funding")
ROLES = ("anonymous", "contributor", "other_admin", "other_funder", "partner", "operator")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ANY_VERSION = {"If-Match": "*"}
Headers = dict[str, str]


# --- what a route is asked, and what each caller should get ------------------------------------------------------


@dataclass
class Call:
    """One prepared request. `owner`: the headers of whom the resource belongs to (expected 2xx), if anyone;
    `as_role`: a role played by another identity for this route (e.g. an unregistered person registering)."""

    method: str
    url: str
    body: Any = None
    headers: Headers = field(default_factory=dict)
    owner: Headers | None = None
    as_role: dict[str, Headers] = field(default_factory=dict)


Prepare = Callable[["World"], Awaitable[Call]]


@dataclass(frozen=True)
class Rule:
    prepare: Prepare
    allowed: frozenset[str] = frozenset({"operator"})
    otherwise: Mapping[str, int] = field(default_factory=dict)
    why: str = ""

    def expected(self, role: str) -> str:
        if role in self.otherwise:
            return str(self.otherwise[role])
        if role == "anonymous":
            return "401"
        return "2xx" if role in self.allowed else "403"


def outcome(status: int) -> str:
    return "2xx" if 200 <= status < 300 else str(status)


# --- the world each service's rows run in ------------------------------------------------------------------------


@dataclass
class World:
    """A running service, tokens for every role, and the people and things its rows prepare requests against."""

    service: str
    client: httpx.AsyncClient
    token: Callable[..., Headers]
    settings: Any
    redis: Any
    roles: dict[str, Headers] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    people: dict[str, Headers] = field(default_factory=dict)
    spare: list[str] = field(default_factory=list)

    async def request(self, call: Call, headers: Headers) -> httpx.Response:
        kwargs: dict[str, Any] = {"headers": headers | call.headers}
        if call.body is not None:
            kwargs["json"] = call.body
        return await self.client.request(call.method, call.url, **kwargs)

    async def ok(self, method: str, url: str, headers: Headers, body: Any = None) -> dict[str, Any]:
        response = await self.request(Call(method, url, body), headers)
        assert 200 <= response.status_code < 300, f"setting up: {method} {url} → {response.status_code} {response.text}"
        return response.json() if response.content else {}


async def publish_event(redis, settings, data: EventData, subject: str, *, at: datetime | None = None) -> str:
    """An event on its producer's stream in the relay's wire format; returns the entry id."""
    event = make_event(data, subject=subject, sequence=getattr(data, "version", None))
    if at is not None:
        event = event.model_copy(update={"time": at})
    row = {"event_id": event.id, "type": event.type, "subject": event.subject, "payload": event.model_dump(mode="json")}
    entry = await redis.xadd(settings.stream(event.producer), entry_fields(row))
    return entry.decode() if isinstance(entry, bytes) else entry


def entry_key(entry_id: str | bytes) -> tuple[int, int]:
    text = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
    millis, _, sequence = text.partition("-")
    return int(millis), int(sequence or 0)


async def consumed(redis, stream: str, group: str, entry_id: str, timeout: float = 15.0) -> None:
    """Wait until the consumer group (a service's name) acknowledged the entry: handled, or skipped as not its
    business (a service need not record the events it does not handle, so its inbox cannot tell)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        groups = {
            (g["name"].decode() if isinstance(g["name"], bytes) else g["name"]): g
            for g in await redis.xinfo_groups(stream)
        }
        delivered = group in groups and entry_key(groups[group]["last-delivered-id"]) >= entry_key(entry_id)
        if delivered and not await redis.xpending_range(stream, group, min=entry_id, max=entry_id, count=1):
            return
        assert asyncio.get_running_loop().time() < deadline, f"{group} did not consume {stream} entry {entry_id}"
        await asyncio.sleep(0.05)


async def registered_people(world: World, *names: str) -> None:
    """People registered in the registry, as its events tell this service; `world.people[name]` acts as them."""
    last = ""
    for name in names:
        person = uuid.uuid4()
        data = ContributorRegistered(contributor_id=person, display_name=f"{name.title()} (matrix)", version=1)
        last = await publish_event(world.redis, world.settings, data, str(person))
        world.ids[name] = str(person)
        world.people[name] = world.token("contributor", sub=str(person))
    await consumed(world.redis, world.settings.stream("registry"), world.service, last)


async def known_collective(world: World, name: str, municipality: str, province: str) -> None:
    collective = uuid.uuid4()
    data = CollectiveRegistered(
        collective_id=collective,
        slug=f"matrix-{collective.hex[:10]}",
        name=f"Matrixcollectief {collective.hex[:6]}",
        kind="energy_cooperative",
        legal_form="cooperative",
        municipality_code=municipality,
        province_code=province,
        stage="startup",
        member_count=40,
        themes=["energy"],
        version=1,
    )
    entry = await publish_event(world.redis, world.settings, data, str(collective))
    await consumed(world.redis, world.settings.stream("registry"), world.service, entry)
    world.ids[name] = str(collective)


# --- registry -----------------------------------------------------------------------------------------------------

REGISTRY = "/registry/v1"


async def registry_world(world: World) -> None:
    _, world.people["coordinator"] = await registry_person(world)
    _, world.roles["contributor"] = await registry_person(world)


async def registry_person(world: World) -> tuple[str, Headers]:
    """A person who registered themself: (their contributor id, their token)."""
    person = str(uuid.uuid4())
    headers = world.token("contributor", sub=person)
    body = {"display_name": "Anna de Vries", "email": f"matrix-{person[:13]}@example.org", "expertise": ["energy"]}
    await world.ok("POST", f"{REGISTRY}/contributors", headers, body)
    return person, headers


def collective_body() -> dict[str, Any]:
    return {
        "name": f"Energiecoöperatie Matrix {uuid.uuid4().hex[:8]}",
        "kind": "energy_cooperative",
        "legal_form": "cooperative",
        "kvk_number": f"{random.randint(10_000_000, 89_999_999)}",
        "municipality_code": "GM0106",
        "stage": "startup",
        "member_count": 40,
        "themes": ["energy"],
        "description": "Leden leggen samen zonnepanelen op daken in de wijk.",
    }


async def coordinated_collective(world: World) -> str:
    return (await world.ok("POST", f"{REGISTRY}/collectives", world.people["coordinator"], collective_body()))["id"]


async def registry_collective_post(w: World) -> Call:
    return Call("POST", f"{REGISTRY}/collectives", collective_body())


async def registry_collective_patch(w: World) -> Call:
    url = f"{REGISTRY}/collectives/{await coordinated_collective(w)}"
    return Call("PATCH", url, {"description": "Nu ook warmte."}, ANY_VERSION, owner=w.people["coordinator"])


async def registry_collective_dissolve(w: World) -> Call:
    url = f"{REGISTRY}/collectives/{await coordinated_collective(w)}/dissolve"
    return Call("POST", url, owner=w.people["coordinator"])


async def registry_member_post(w: World) -> Call:
    newcomer, _ = await registry_person(w)
    url = f"{REGISTRY}/collectives/{await coordinated_collective(w)}/members"
    return Call("POST", url, {"contributor_id": newcomer, "role": "member"}, owner=w.people["coordinator"])


async def registry_member_delete(w: World) -> Call:
    collective = await coordinated_collective(w)
    member, _ = await registry_person(w)
    body = {"contributor_id": member, "role": "member"}
    await w.ok("POST", f"{REGISTRY}/collectives/{collective}/members", w.roles["operator"], body)
    return Call("DELETE", f"{REGISTRY}/collectives/{collective}/members/{member}", owner=w.people["coordinator"])


async def registry_impact_post(w: World) -> Call:
    url = f"{REGISTRY}/collectives/{await coordinated_collective(w)}/impact"
    return Call("POST", url, {"year": 2024, "values": {"members": 7}}, owner=w.people["coordinator"])


async def registry_contributor_post(w: World) -> Call:
    body = {"display_name": "Bram Jansen", "email": f"matrix-{uuid.uuid4().hex[:12]}@example.org"}
    # Each registers under its token's `sub`: fresh tokens keep every attempt a first registration.
    fresh = {"contributor": w.token("contributor"), "operator": w.token("operator")}
    return Call("POST", f"{REGISTRY}/contributors", body, as_role=fresh)


async def registry_contributor_patch(w: World) -> Call:
    person, headers = await registry_person(w)
    url = f"{REGISTRY}/contributors/{person}"
    return Call("PATCH", url, {"display_name": "Anna de Vries-Bakker"}, ANY_VERSION, owner=headers)


async def registry_contributor_delete(w: World) -> Call:
    person, headers = await registry_person(w)
    return Call("DELETE", f"{REGISTRY}/contributors/{person}", owner=headers)


async def registry_umbrella_post(w: World) -> Call:
    slug = f"matrix-{uuid.uuid4().hex[:10]}"
    return Call("POST", f"{REGISTRY}/umbrellas", {"slug": slug, "name": "Koepel Matrix (fictief)"})


async def registry_goal_post(w: World) -> Call:
    body = {
        "title": "Meer zorgcoöperaties in Limburg (fictief)",
        "indicator": "collectives_count",
        "scope_province_code": "PV31",
        "scope_kind": "care_cooperative",
        "baseline_value": 0,
        "target_value": 1000,
        "baseline_date": "2024-01-01",
        "target_date": "2030-12-31",
    }
    return Call("POST", f"{REGISTRY}/goals", body)


# --- knowledge ----------------------------------------------------------------------------------------------------

KNOWLEDGE = "/knowledge/v1"


async def knowledge_world(world: World) -> None:
    await registered_people(world, "author", "asker", "contributor")
    world.roles["contributor"] = world.people["contributor"]
    await known_collective(world, "collective", "GM0106", "PV22")
    world.people["collective_admin"] = world.token("collective_admin", collectives=[world.ids["collective"]])


async def article_by_author(w: World, status: str = "published") -> str:
    body = {"title": "Zo richt je een energiecoöperatie op", "body": "Stap voor stap.", "kind": "guide"}
    body |= {"themes": ["energy"], "status": status, "authors": [w.ids["author"]]}
    return (await w.ok("POST", f"{KNOWLEDGE}/articles", w.people["author"], body))["id"]


async def question_by_asker(w: World) -> str:
    body = {"title": "Hoe vinden we een dak?", "body": "Wie heeft ervaring met daken van scholen?"}
    return (await w.ok("POST", f"{KNOWLEDGE}/questions", w.people["asker"], body))["id"]


async def answer_by_author(w: World) -> str:
    url = f"{KNOWLEDGE}/questions/{await question_by_asker(w)}/answers"
    return (await w.ok("POST", url, w.people["author"], {"body": "Vraag de gemeente om een lijst."}))["id"]


async def knowledge_article_post(w: World) -> Call:
    body = {"title": "Subsidie voor buurtbatterijen", "body": "Zo deden wij het.", "kind": "case_study"}
    # The unrelated contributor writes it together with the author: a person may post only as one of its authors.
    body |= {"status": "published", "authors": [w.ids["author"], w.ids["contributor"]]}
    return Call("POST", f"{KNOWLEDGE}/articles", body)


async def knowledge_article_patch(w: World) -> Call:
    url = f"{KNOWLEDGE}/articles/{await article_by_author(w)}"
    return Call("PATCH", url, {"summary": "Met een stappenplan."}, ANY_VERSION, owner=w.people["author"])


async def knowledge_article_publish(w: World) -> Call:
    url = f"{KNOWLEDGE}/articles/{await article_by_author(w, 'draft')}/publish"
    return Call("POST", url, owner=w.people["author"])


async def knowledge_article_retract(w: World) -> Call:
    return Call("POST", f"{KNOWLEDGE}/articles/{await article_by_author(w)}/retract", owner=w.people["author"])


async def knowledge_article_endorse(w: World) -> Call:
    return Call("POST", f"{KNOWLEDGE}/articles/{await article_by_author(w)}/endorsements")


async def knowledge_article_unendorse(w: World) -> Call:
    endorsements = f"{KNOWLEDGE}/articles/{await article_by_author(w)}/endorsements"
    await w.ok("POST", endorsements, w.roles["contributor"])
    return Call("DELETE", f"{endorsements}/me")


async def knowledge_reuse_post(w: World) -> Call:
    url = f"{KNOWLEDGE}/articles/{await article_by_author(w)}/reuses"
    return Call("POST", url, {"collective_id": w.ids["collective"]}, owner=w.people["collective_admin"])


async def knowledge_question_post(w: World) -> Call:
    return Call("POST", f"{KNOWLEDGE}/questions", {"title": "Wie kent een goede notaris?", "body": "Voor de statuten."})


async def knowledge_answer_post(w: World) -> Call:
    url = f"{KNOWLEDGE}/questions/{await question_by_asker(w)}/answers"
    return Call("POST", url, {"body": "Kijk bij de koepel."})


async def knowledge_answer_accept(w: World) -> Call:
    return Call("POST", f"{KNOWLEDGE}/answers/{await answer_by_author(w)}/accept", owner=w.people["asker"])


async def knowledge_question_close(w: World) -> Call:
    return Call("POST", f"{KNOWLEDGE}/questions/{await question_by_asker(w)}/close", owner=w.people["asker"])


async def knowledge_answer_endorse(w: World) -> Call:
    return Call("POST", f"{KNOWLEDGE}/answers/{await answer_by_author(w)}/endorsements")


async def knowledge_answer_unendorse(w: World) -> Call:
    endorsements = f"{KNOWLEDGE}/answers/{await answer_by_author(w)}/endorsements"
    await w.ok("POST", endorsements, w.roles["contributor"])
    return Call("DELETE", f"{endorsements}/me")


# --- rewards ------------------------------------------------------------------------------------------------------

REWARDS = "/rewards/v1"
PAYOUTS_NEEDED = 2 * (len(ROLES) + 1)  # approve and paid, a fresh payout for every role and the owner


async def rewards_world(world: World) -> None:
    world.roles["contributor"] = world.token("contributor")
    funder = str(uuid.uuid4())
    world.ids["funder"] = funder
    world.people["funder"] = world.token("funder", funders=[funder])
    # Points earned on one day no other test uses, by enough authors for a payout per attempt.
    day = date(2000, 1, 1) + timedelta(days=random.randint(0, 3 * 365))
    world.ids["day"] = day.isoformat()
    authors = [str(uuid.uuid4()) for _ in range(PAYOUTS_NEEDED)]
    article = str(uuid.uuid4())
    data = ArticlePublished(
        article_id=article,
        slug=f"matrix-{article[:8]}",
        title="Puntenverdeling",
        summary="",
        kind="guide",
        themes=["energy"],
        language="nl",
        license="CC-BY-4.0",
        authors=authors,
        status="published",
        revision=1,
    )
    at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    entry = await publish_event(world.redis, world.settings, data, article, at=at)
    await consumed(world.redis, world.settings.stream("knowledge"), world.service, entry)
    pool = await world.ok("POST", f"{REWARDS}/pools", world.roles["operator"], pool_body(world))
    closed = await world.ok("POST", f"{REWARDS}/pools/{pool['id']}/close", world.roles["operator"])
    assert closed["status"] == "closed"
    payouts = await world.ok("GET", f"{REWARDS}/pools/{pool['id']}/payouts?limit=200", world.roles["operator"])
    world.spare = [p["id"] for p in payouts["items"] if p["contributor_id"] in authors]
    assert len(world.spare) == PAYOUTS_NEEDED, payouts


def pool_body(w: World) -> dict[str, Any]:
    day = w.ids["day"]
    body = {"name": "Kennisdelerspot Matrix", "amount_cents": 100_000, "period_start": day, "period_end": day}
    return body | {"theme": "energy", "funder_id": w.ids["funder"]}


async def rewards_pool_post(w: World) -> Call:
    return Call("POST", f"{REWARDS}/pools", pool_body(w), owner=w.people["funder"])


async def rewards_pool_close(w: World) -> Call:
    # The day after the world's: nobody earned points then, so closing it needs nothing but the right to.
    day_after = (date.fromisoformat(w.ids["day"]) + timedelta(days=1)).isoformat()
    body = pool_body(w) | {"period_start": day_after, "period_end": day_after}
    pool = await w.ok("POST", f"{REWARDS}/pools", w.roles["operator"], body)
    return Call("POST", f"{REWARDS}/pools/{pool['id']}/close", owner=w.people["funder"])


async def rewards_payout_approve(w: World) -> Call:
    return Call("POST", f"{REWARDS}/payouts/{w.spare.pop()}/approve", owner=w.people["funder"])


async def rewards_payout_paid(w: World) -> Call:
    payout = w.spare.pop()
    await w.ok("POST", f"{REWARDS}/payouts/{payout}/approve", w.roles["operator"])
    return Call("POST", f"{REWARDS}/payouts/{payout}/paid", owner=w.people["funder"])


# --- funding ------------------------------------------------------------------------------------------------------

FUNDING = "/funding/v1"
HAARLEM, NOORD_HOLLAND = "GM0392", "PV27"


async def funding_world(world: World) -> None:
    world.roles["contributor"] = world.token("contributor")
    funder = await world.ok(
        "POST", f"{FUNDING}/funders", world.roles["operator"], {"name": "Matrixfonds", "kind": "bank"}
    )
    world.ids["funder"] = funder["id"]
    world.people["funder"] = world.token("funder", funders=[funder["id"]])
    await known_collective(world, "collective", HAARLEM, NOORD_HOLLAND)
    world.people["collective_admin"] = world.token("collective_admin", collectives=[world.ids["collective"]])


def instrument_body(w: World) -> dict[str, Any]:
    body = {"funder_id": w.ids["funder"], "name": f"Regeling {uuid.uuid4().hex[:6]}", "form": "grant"}
    return body | {"municipalities": [HAARLEM], "amount_min_cents": 100_000, "amount_max_cents": 2_000_000}


async def instrument(w: World) -> str:
    return (await w.ok("POST", f"{FUNDING}/instruments", w.roles["operator"], instrument_body(w)))["id"]


async def application(w: World, *moves: tuple[str, dict | None]) -> str:
    body = {"collective_id": w.ids["collective"], "instrument_id": await instrument(w), "title": "Zonnedak school"}
    created = await w.ok(
        "POST", f"{FUNDING}/applications", w.people["collective_admin"], body | {"amount_requested_cents": 200_000}
    )
    for move, payload in moves:
        await w.ok("POST", f"{FUNDING}/applications/{created['id']}/{move}", w.roles["operator"], payload)
    return created["id"]


def round_body(w: World) -> dict[str, Any]:
    closes_at = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    return {"name": "Matrixronde", "funder_id": w.ids["funder"], "mechanism": "quadratic", "budget_cents": 100_000} | {
        "closes_at": closes_at
    }


async def funding_round(w: World) -> str:
    return (await w.ok("POST", f"{FUNDING}/rounds", w.roles["operator"], round_body(w)))["id"]


def project_body(w: World) -> dict[str, Any]:
    return {"collective_id": w.ids["collective"], "title": "Buurtbatterij", "target_cents": 1_000}


async def funding_funder_post(w: World) -> Call:
    return Call("POST", f"{FUNDING}/funders", {"name": "Fonds Matrix", "kind": "private_fund"})


async def funding_instrument_post(w: World) -> Call:
    return Call("POST", f"{FUNDING}/instruments", instrument_body(w), owner=w.people["funder"])


async def funding_instrument_patch(w: World) -> Call:
    url = f"{FUNDING}/instruments/{await instrument(w)}"
    return Call("PATCH", url, {"description": "Nu ook voor warmte."}, ANY_VERSION, owner=w.people["funder"])


async def funding_instrument_close(w: World) -> Call:
    return Call("POST", f"{FUNDING}/instruments/{await instrument(w)}/close", owner=w.people["funder"])


async def funding_need_post(w: World) -> Call:
    body = {"collective_id": w.ids["collective"], "amount_cents": 10_000, "purpose": "Een bankje op het plein"}
    return Call("POST", f"{FUNDING}/needs", body, owner=w.people["collective_admin"])


async def funding_application_post(w: World) -> Call:
    body = {"collective_id": w.ids["collective"], "instrument_id": await instrument(w), "title": "Zonnedak school"}
    return Call("POST", f"{FUNDING}/applications", body, owner=w.people["collective_admin"])


async def funding_application_submit(w: World) -> Call:
    url = f"{FUNDING}/applications/{await application(w)}/submit"
    return Call("POST", url, owner=w.people["collective_admin"])


async def funding_application_withdraw(w: World) -> Call:
    url = f"{FUNDING}/applications/{await application(w)}/withdraw"
    return Call("POST", url, owner=w.people["collective_admin"])


async def funding_application_review(w: World) -> Call:
    url = f"{FUNDING}/applications/{await application(w, ('submit', None))}/review"
    return Call("POST", url, owner=w.people["funder"])


async def funding_application_decision(w: World) -> Call:
    url = f"{FUNDING}/applications/{await application(w, ('submit', None))}/decision"
    return Call("POST", url, {"decision": "rejected", "note": "Past niet."}, owner=w.people["funder"])


async def funding_application_disburse(w: World) -> Call:
    granted = await application(w, ("submit", None), ("decision", {"decision": "granted"}))
    return Call("POST", f"{FUNDING}/applications/{granted}/disburse", owner=w.people["funder"])


async def funding_round_post(w: World) -> Call:
    return Call("POST", f"{FUNDING}/rounds", round_body(w), owner=w.people["funder"])


async def funding_project_post(w: World) -> Call:
    url = f"{FUNDING}/rounds/{await funding_round(w)}/projects"
    return Call("POST", url, project_body(w), owner=w.people["collective_admin"])


async def funding_pledge_post(w: World) -> Call:
    round_id = await funding_round(w)
    project = await w.ok("POST", f"{FUNDING}/rounds/{round_id}/projects", w.roles["operator"], project_body(w))
    return Call("POST", f"{FUNDING}/rounds/{round_id}/pledges", {"project_id": project["id"], "amount_cents": 500})


async def funding_round_close(w: World) -> Call:
    return Call("POST", f"{FUNDING}/rounds/{await funding_round(w)}/close", owner=w.people["funder"])


# --- the matrix ---------------------------------------------------------------------------------------------------

PERSON = frozenset({"contributor"})
NOT_A_PERSON = "a person's act: the operator's token names no person (role contributor with a person's id)"
HIDDEN_DRAFT = "a draft is invisible to all but its authors and operators: 404, so nobody can probe for drafts"

MATRIX: dict[tuple[str, str, str], Rule] = {
    # registry
    ("registry", "POST", "/registry/v1/collectives"): Rule(
        registry_collective_post,
        allowed=frozenset({"contributor", "operator"}),
        why="any registered person may register a collective (and becomes its coordinator)",
    ),
    ("registry", "PATCH", "/registry/v1/collectives/{collective_id}"): Rule(registry_collective_patch),
    ("registry", "POST", "/registry/v1/collectives/{collective_id}/dissolve"): Rule(registry_collective_dissolve),
    ("registry", "POST", "/registry/v1/collectives/{collective_id}/members"): Rule(registry_member_post),
    ("registry", "DELETE", "/registry/v1/collectives/{collective_id}/members/{contributor_id}"): Rule(
        registry_member_delete, why="also the member themself may leave (tested in tests/registry)"
    ),
    ("registry", "POST", "/registry/v1/collectives/{collective_id}/impact"): Rule(registry_impact_post),
    ("registry", "POST", "/registry/v1/contributors"): Rule(
        registry_contributor_post,
        allowed=frozenset({"contributor", "operator"}),
        why="people register themselves: `contributor` is played by a person not registered yet",
    ),
    ("registry", "PATCH", "/registry/v1/contributors/{contributor_id}"): Rule(registry_contributor_patch),
    ("registry", "DELETE", "/registry/v1/contributors/{contributor_id}"): Rule(registry_contributor_delete),
    ("registry", "POST", "/registry/v1/umbrellas"): Rule(registry_umbrella_post),
    ("registry", "POST", "/registry/v1/goals"): Rule(registry_goal_post),
    # knowledge
    ("knowledge", "POST", "/knowledge/v1/articles"): Rule(
        knowledge_article_post,
        allowed=frozenset({"contributor", "operator"}),
        why="a registered person who is one of the authors, or an operator for any registered authors",
    ),
    ("knowledge", "PATCH", "/knowledge/v1/articles/{article_id}"): Rule(knowledge_article_patch),
    ("knowledge", "POST", "/knowledge/v1/articles/{article_id}/publish"): Rule(
        knowledge_article_publish,
        otherwise={"contributor": 404, "other_admin": 404, "other_funder": 404, "partner": 404},
        why=HIDDEN_DRAFT,
    ),
    ("knowledge", "POST", "/knowledge/v1/articles/{article_id}/retract"): Rule(knowledge_article_retract),
    ("knowledge", "POST", "/knowledge/v1/articles/{article_id}/endorsements"): Rule(
        knowledge_article_endorse, allowed=PERSON, why=NOT_A_PERSON + "; never an author"
    ),
    ("knowledge", "DELETE", "/knowledge/v1/articles/{article_id}/endorsements/me"): Rule(
        knowledge_article_unendorse, allowed=PERSON, why="the person who endorsed (the contributor did, first)"
    ),
    ("knowledge", "POST", "/knowledge/v1/articles/{article_id}/reuses"): Rule(
        knowledge_reuse_post, why="a member or admin of the collective that reused it, or an operator"
    ),
    ("knowledge", "POST", "/knowledge/v1/questions"): Rule(knowledge_question_post, allowed=PERSON, why=NOT_A_PERSON),
    ("knowledge", "POST", "/knowledge/v1/questions/{question_id}/answers"): Rule(
        knowledge_answer_post, allowed=PERSON, why=NOT_A_PERSON
    ),
    ("knowledge", "POST", "/knowledge/v1/answers/{answer_id}/accept"): Rule(
        knowledge_answer_accept, allowed=frozenset(), why="only the asker accepts an answer, not even an operator"
    ),
    ("knowledge", "POST", "/knowledge/v1/questions/{question_id}/close"): Rule(knowledge_question_close),
    ("knowledge", "POST", "/knowledge/v1/answers/{answer_id}/endorsements"): Rule(
        knowledge_answer_endorse, allowed=PERSON, why=NOT_A_PERSON + "; never the answer's author"
    ),
    ("knowledge", "DELETE", "/knowledge/v1/answers/{answer_id}/endorsements/me"): Rule(
        knowledge_answer_unendorse, allowed=PERSON, why="the person who endorsed (the contributor did, first)"
    ),
    # rewards
    ("rewards", "POST", "/rewards/v1/pools"): Rule(
        rewards_pool_post, why="a funder acting for the pool's funder_id, or an operator"
    ),
    ("rewards", "POST", "/rewards/v1/pools/{pool_id}/close"): Rule(rewards_pool_close),
    ("rewards", "POST", "/rewards/v1/payouts/{payout_id}/approve"): Rule(rewards_payout_approve),
    ("rewards", "POST", "/rewards/v1/payouts/{payout_id}/paid"): Rule(rewards_payout_paid),
    # funding
    ("funding", "POST", "/funding/v1/funders"): Rule(funding_funder_post),
    ("funding", "POST", "/funding/v1/instruments"): Rule(funding_instrument_post),
    ("funding", "PATCH", "/funding/v1/instruments/{instrument_id}"): Rule(funding_instrument_patch),
    ("funding", "POST", "/funding/v1/instruments/{instrument_id}/close"): Rule(funding_instrument_close),
    ("funding", "POST", "/funding/v1/needs"): Rule(funding_need_post),
    ("funding", "POST", "/funding/v1/applications"): Rule(
        funding_application_post, why="a manager or member of the collective, or an operator"
    ),
    ("funding", "POST", "/funding/v1/applications/{application_id}/submit"): Rule(funding_application_submit),
    ("funding", "POST", "/funding/v1/applications/{application_id}/withdraw"): Rule(funding_application_withdraw),
    ("funding", "POST", "/funding/v1/applications/{application_id}/review"): Rule(funding_application_review),
    ("funding", "POST", "/funding/v1/applications/{application_id}/decision"): Rule(funding_application_decision),
    ("funding", "POST", "/funding/v1/applications/{application_id}/disburse"): Rule(funding_application_disburse),
    ("funding", "POST", "/funding/v1/rounds"): Rule(funding_round_post),
    ("funding", "POST", "/funding/v1/rounds/{round_id}/projects"): Rule(
        funding_project_post, why="a manager of the collective, the round's funder, or an operator"
    ),
    ("funding", "POST", "/funding/v1/rounds/{round_id}/pledges"): Rule(
        funding_pledge_post, allowed=PERSON, why="pledges are made by people: " + NOT_A_PERSON
    ),
    ("funding", "POST", "/funding/v1/rounds/{round_id}/close"): Rule(funding_round_close),
}

WORLDS: dict[str, Callable[[World], Awaitable[None]]] = {
    "registry": registry_world,
    "knowledge": knowledge_world,
    "rewards": rewards_world,
    "funding": funding_world,
}


# --- fixtures (import them into the test module) ----------------------------------------------------------------


def write_routes(service: str, settings) -> set[tuple[str, str, str]]:
    app = import_module(f"services.{service}.app").build(settings)
    return {
        (service, method, route.path_format)
        for route in iter_route_contexts(app.routes)
        for method in (route.methods or ()) & WRITE_METHODS
    }


@pytest.fixture(scope="module")
def fast_token(settings, jwt_keys) -> Callable[..., Headers]:
    """The conftest's `token` with the private key parsed once (parsing the PEM costs ~0.1 s a token)."""
    key = serialization.load_pem_private_key(jwt_keys[0].encode(), password=None)

    def make(*roles: str, sub: str | None = None, **claims: Any) -> Headers:
        value = issue_token(
            key,  # type: ignore[arg-type]  (PyJWT signs with a loaded key as well as a PEM string)
            sub=sub or str(uuid.uuid4()),
            roles=list(roles),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            **claims,
        )
        return {"Authorization": f"Bearer {value}"}

    return make


@pytest.fixture
async def world(request, settings, fast_token, redis) -> AsyncIterator[World]:
    service = request.param
    async with running_service(service, settings.model_copy(update={"db_pool_size": 4})) as client:
        roles = {
            "anonymous": {},
            "other_admin": fast_token("collective_admin", collectives=[str(uuid.uuid4())]),
            "other_funder": fast_token("funder", funders=[str(uuid.uuid4())]),
            "partner": fast_token("partner", partner="matrix-partner"),
            "operator": fast_token("operator"),
        }
        built = World(service, client, fast_token, settings, redis, roles=roles)
        await WORLDS[service](built)
        assert set(built.roles) == set(ROLES)
        yield built
