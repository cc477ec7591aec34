"""Registry HTTP routes: parse → decide → write with the outbox in one transaction → respond.

Authorisation matrix ("manager" of a collective = an operator, a collective_admin token scoped to it, or a
contributor token whose `sub` is a coordinator or board member of it in the registry's own memberships table):

| route                                              | anonymous | who may                                          |
| -------------------------------------------------- | --------- | ------------------------------------------------ |
| every GET (vocabulary, collectives, history,       | yes       | anyone; private e-mail addresses only as below   |
|   members, stats, contributors, umbrellas, impact, |           |                                                  |
|   goals)                                           |           |                                                  |
| POST /collectives                                  | 401       | a registered, active contributor (becomes its    |
|                                                    |           | coordinator in the same transaction); operator   |
|                                                    |           | (no membership); others 403                      |
| PATCH /collectives/{id}, POST …/dissolve           | 401       | manager; others 403                              |
| POST /collectives/{id}/members                     | 401       | manager; others 403                              |
| DELETE /collectives/{id}/members/{contributor_id}  | 401       | manager, or the person themself (leaving)        |
| POST /collectives/{id}/impact                      | 401       | manager; others 403                              |
| POST /contributors                                 | 401       | role contributor (registers themself) or operator|
| PATCH, DELETE /contributors/{id}                   | 401       | the person (sub == id, role contributor) or an   |
|                                                    |           | operator; others 403                             |
| POST /umbrellas, POST /goals                       | 401       | operator; others 403                             |

Private data: `collective.contact_email` is returned only to the collective's managers; `contributor.email` only to
the person and operators. No event carries either.

A collective that has a coordinator keeps one: its last coordinator cannot leave, be removed or take another role
(409 `last-coordinator`) until another is appointed. Erasure is not held back by this.

Checks run in a fixed order: 401 (no token) → 404 (unknown) → 403 (not allowed) → 409 (dissolved) → 428/412
(If-Match) → 422/409 (the change itself). Routes on a person check 403 before 404, so nobody can probe for ids.

Events (through the outbox, in the same transaction; each carries the full public state, `sequence` = version):
`collective.registered|updated|stage_changed|dissolved` (subject the collective; exactly one per version, and
`stage_changed` instead of `updated` when the stage is among the changes), `contributor.registered|updated|erased`
(subject the person), `membership.added|removed` (subject `<collective>/<contributor>`, own version; `added` again on
a role change), `impact.reported` (subject `<collective>/<year>`, the report's version) and `goal.set`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Row, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.registry import api_people, api_sector, store
from services.registry.access import (
    CurrentPrincipal,
    MaybePrincipal,
    RuntimeDep,
    managed_collectives,
    person_of,
    require_manager,
)
from services.registry.domain.validation import check_collective_consistency
from services.registry.events import (
    Pending,
    collective_event,
    membership_added,
    membership_removed,
    outbox_events,
    publish,
)
from services.registry.models import collective_history, collectives, contributors, memberships
from services.registry.schemas import (
    COLLECTIVE_FIELDS,
    CollectiveIn,
    CollectiveOut,
    CollectivePage,
    CollectivePatch,
    Dissolution,
    HistoryPage,
    MembershipIn,
    MembershipOut,
    MembershipPage,
    MunicipalityCode,
    ProvinceCode,
)
from shared.auth import Principal
from shared.contracts.registry import (
    CollectiveDissolved,
    CollectiveRegistered,
    CollectiveStageChanged,
    CollectiveUpdated,
)
from shared.contracts.vocabulary import CollectiveKind, Stage, Theme, province_of
from shared.http import (
    Cursor,
    Limit,
    Problem,
    conflict,
    etag,
    forbidden,
    invalid,
    invalid_fields,
    not_found,
    require_if_match,
)
from shared.service import Runtime

router = APIRouter(prefix="/registry/v1", tags=["registry"])

PUBLIC_FIELDS = tuple(name for name in COLLECTIVE_FIELDS if name not in store.PRIVATE_FIELDS)


def duplicate_kvk(kvk_number: str | None) -> Problem:
    return conflict("duplicate-kvk-number", f"a collective with KvK number {kvk_number} is already registered")


def collective_out(row: Row, show_private: bool) -> CollectiveOut:
    out = CollectiveOut.model_validate(row, from_attributes=True)
    return out if show_private else out.model_copy(update={"contact_email": None})


def check_consistency(state: dict[str, Any]) -> None:
    problems = check_collective_consistency(state["legal_form"], state["kvk_number"], state["anbi"])
    if problems:
        raise invalid_fields(problems)


async def require_umbrellas(session: AsyncSession, umbrella_ids: list[uuid.UUID]) -> None:
    missing = await store.missing_umbrellas(session, umbrella_ids)
    if missing:
        raise invalid("umbrella_ids", f"unknown umbrella(s): {', '.join(map(str, missing))}")


def require_active(row: Row) -> None:
    if row.status != "active":
        raise conflict("collective-dissolved", f"collective {row.id} is dissolved and can no longer change")


def with_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


# --- collectives ----------------------------------------------------------------------------------------------


@router.post("/collectives", status_code=201, response_model=CollectiveOut)
async def register_collective(
    body: CollectiveIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> CollectiveOut:
    """The registering contributor becomes the collective's coordinator; an operator registers without a role."""
    founder = person_of(principal)
    if founder is None and not principal.is_operator:
        raise forbidden("registering a collective needs a contributor's token (or an operator's)")
    values = body.model_dump()
    check_consistency(values)
    values |= {"id": uuid.uuid4(), "province_code": province_of(body.municipality_code)}
    values |= {"slug": store.slugify(body.name), "status": "active", "dissolved_on": None, "version": 1}
    actor = (principal.sub, "contributor" if founder else "operator")
    try:
        row = await register_at_once(runtime, values, founder, actor)
        row = row or await register_step_by_step(runtime, values, founder, actor)
    except (IntegrityError, asyncpg.IntegrityConstraintViolationError) as exc:
        raise store.translate_integrity_error(exc, {"kvk_number": duplicate_kvk(body.kvk_number)}) from exc
    response.headers["Location"] = f"{router.prefix}/collectives/{row.id}"
    with_etag(response, row.version)
    return collective_out(row, show_private=True)


def registration_events(state: Any, founder: uuid.UUID | None) -> list[Pending]:
    pending = [collective_event(CollectiveRegistered, state)]
    if founder is not None:
        coordinator = {"collective_id": state.id, "contributor_id": founder, "role": "coordinator", "version": 1}
        pending.append(membership_added(SimpleNamespace(**coordinator)))
    return pending


async def register_at_once(
    runtime: Runtime, values: dict[str, Any], founder: uuid.UUID | None, actor: tuple[str, str]
) -> Any:
    """The usual case in one round trip (see `store.register_in_one_statement`): the new row, or None when a check
    failed or the slug is taken — then the step-by-step path finds out which."""
    state = SimpleNamespace(**values)
    history = store.history_entry(state, "registered", actor, store.initial_values(state, COLLECTIVE_FIELDS))
    events = outbox_events(registration_events(state, founder))
    async with store.driver_connection(runtime.engine) as conn:
        record = await store.register_in_one_statement(conn, runtime.outbox, values, founder, history, events)
    if record is None:
        return None
    runtime.outbox.committed()
    return SimpleNamespace(**record)


async def register_step_by_step(
    runtime: Runtime, values: dict[str, Any], founder: uuid.UUID | None, actor: tuple[str, str]
) -> Row:
    async with runtime.transaction() as session:
        await require_umbrellas(session, values["umbrella_ids"])
        if founder is not None and not await store.is_active_contributor(session, founder):
            raise forbidden("register yourself first (POST /registry/v1/contributors)")
        row = await store.insert_collective(session, values)
        if founder is not None:
            await store.insert_row(
                session, memberships, {"collective_id": row.id, "contributor_id": founder, "role": "coordinator"}
            )
        await store.record_history(session, row, "registered", actor, store.initial_values(row, COLLECTIVE_FIELDS))
        await publish(runtime.outbox, session, registration_events(row, founder))
    return row


@router.get("/collectives", response_model=CollectivePage)
async def list_collectives(
    runtime: RuntimeDep,
    principal: MaybePrincipal,
    kind: CollectiveKind | None = None,
    stage: Stage | None = None,
    province: ProvinceCode | None = None,
    municipality: MunicipalityCode | None = None,
    theme: Theme | None = None,
    umbrella: uuid.UUID | None = None,
    status: Annotated[str | None, Query(pattern="^(active|dissolved)$")] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200, pattern="^[^\x00]+$")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> CollectivePage:
    conditions = store.collective_filters(
        kind=kind,
        stage=stage,
        province=province,
        municipality=municipality,
        theme=theme,
        umbrella=umbrella,
        status=status,
        q=q,
    )
    keys = [collectives.c.created_at, collectives.c.id]
    async with runtime.sessions() as session:
        query = select(*store.stored(collectives)).where(*conditions)
        rows, next_cursor = await store.keyset_page(session, query, keys, cursor, limit)
        managed = await managed_collectives(session, principal, [row.id for row in rows])
    return CollectivePage(items=[collective_out(row, row.id in managed) for row in rows], next_cursor=next_cursor)


@router.get("/collectives/{collective_id}", response_model=CollectiveOut)
async def get_collective(
    collective_id: uuid.UUID, runtime: RuntimeDep, principal: MaybePrincipal, response: Response
) -> CollectiveOut:
    async with runtime.sessions() as session:
        row = await store.fetch_or_404(session, collectives, "collective", id=collective_id)
        managed = await managed_collectives(session, principal, [row.id])
    with_etag(response, row.version)
    return collective_out(row, row.id in managed)


def proposed_collective(changes: dict[str, Any]) -> dict[str, Any]:
    if "municipality_code" in changes:
        changes["province_code"] = province_of(changes["municipality_code"])
    return changes


def collective_change_event(row: Row, changes: dict[str, tuple[Any, Any]]) -> tuple[Pending, str]:
    """One event per version: `stage_changed` when the stage is among the changes, else `updated`; both carry the
    full state. `changed_fields` names public fields only (a new contact address is no one else's business)."""
    public = [name for name in changes if name in PUBLIC_FIELDS]
    if "stage" not in changes:
        return collective_event(CollectiveUpdated, row, changed_fields=public), "updated"
    extra = {"previous_stage": changes["stage"][0], "changed_fields": public}
    return collective_event(CollectiveStageChanged, row, **extra), "stage_changed"


@router.patch("/collectives/{collective_id}", response_model=CollectiveOut)
async def update_collective(
    collective_id: uuid.UUID,
    body: CollectivePatch,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    request: Request,
    response: Response,
) -> CollectiveOut:
    try:
        async with runtime.transaction() as session:
            row = await store.fetch_or_404(session, collectives, "collective", id=collective_id)
            capacity = await require_manager(session, principal, collective_id)
            require_active(row)
            require_if_match(request, row.version)
            changes = store.changed_fields(row, proposed_collective(body.changes()))
            if changes:
                row = await apply_collective_changes(session, runtime, row, changes, (principal.sub, capacity))
    except IntegrityError as exc:
        raise store.translate_integrity_error(exc, {"kvk_number": duplicate_kvk(body.kvk_number)}) from exc
    with_etag(response, row.version)
    return collective_out(row, show_private=True)


async def apply_collective_changes(
    session: AsyncSession, runtime: Runtime, row: Row, changes: dict[str, tuple[Any, Any]], actor: tuple[str, str]
) -> Row:
    merged = row._asdict() | {name: new for name, (_, new) in changes.items()}
    check_consistency(merged)
    if "umbrella_ids" in changes:
        await require_umbrellas(session, merged["umbrella_ids"])
    current = (collectives.c.id == row.id) & (collectives.c.version == row.version)
    updated = await store.update_where(
        session, collectives, current & (collectives.c.status == "active"), {k: new for k, (_, new) in changes.items()}
    )
    if updated is None:
        raise store.stale("the collective")
    pending, action = collective_change_event(updated, changes)
    await store.record_history(session, updated, action, actor, changes)
    await publish(runtime.outbox, session, [pending])
    return updated


@router.post("/collectives/{collective_id}/dissolve", response_model=CollectiveOut)
async def dissolve_collective(
    collective_id: uuid.UUID,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    request: Request,
    response: Response,
    body: Dissolution | None = None,
) -> CollectiveOut:
    """Ends the collective: it stays in the register as dissolved, and every later change gets 409. `If-Match` is
    optional here (dissolving twice is refused anyway)."""
    dissolved_on = (body.dissolved_on if body else None) or datetime.now(UTC).date()
    async with runtime.transaction() as session:
        row = await store.fetch_or_404(session, collectives, "collective", id=collective_id)
        capacity = await require_manager(session, principal, collective_id)
        require_active(row)
        if request.headers.get("if-match"):
            require_if_match(request, row.version)
        if row.founded_on and dissolved_on < row.founded_on:
            raise invalid("dissolved_on", "a collective cannot be dissolved before it was founded")
        current = (collectives.c.id == row.id) & (collectives.c.status == "active")
        ended = {"status": "dissolved", "dissolved_on": dissolved_on}
        updated = await store.update_where(session, collectives, current, ended)
        if updated is None:
            raise conflict("collective-dissolved", f"collective {row.id} was dissolved meanwhile")
        changes = {"status": (row.status, updated.status), "dissolved_on": (None, dissolved_on)}
        await store.record_history(session, updated, "dissolved", (principal.sub, capacity), changes)
        await publish(runtime.outbox, session, [collective_event(CollectiveDissolved, updated)])
    with_etag(response, updated.version)
    return collective_out(updated, show_private=True)


@router.get("/collectives/{collective_id}/history", response_model=HistoryPage)
async def collective_changes(
    collective_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None
) -> HistoryPage:
    """Newest first: who changed which fields from what to what. Private values are shown as `redacted`."""
    async with runtime.sessions() as session:
        await store.fetch_or_404(session, collectives, "collective", id=collective_id)
        query = select(collective_history).where(collective_history.c.collective_id == collective_id)
        rows, next_cursor = await store.keyset_page(
            session, query, [collective_history.c.version], cursor, limit, descending=True
        )
    return HistoryPage.model_validate({"items": [row._asdict() for row in rows], "next_cursor": next_cursor})


# --- memberships ----------------------------------------------------------------------------------------------


def membership_out(row: Row, display_name: str) -> MembershipOut:
    return MembershipOut.model_validate(row._asdict() | {"display_name": display_name})


@router.get("/collectives/{collective_id}/members", response_model=MembershipPage)
async def list_members(
    collective_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None
) -> MembershipPage:
    keys = [memberships.c.created_at, memberships.c.contributor_id]
    query = (
        select(memberships, contributors.c.display_name)
        .join(contributors, contributors.c.id == memberships.c.contributor_id)
        .where(memberships.c.collective_id == collective_id, memberships.c.status == "active")
    )
    async with runtime.sessions() as session:
        await store.fetch_or_404(session, collectives, "collective", id=collective_id)
        rows, next_cursor = await store.keyset_page(session, query, keys, cursor, limit)
    return MembershipPage(items=[membership_out(row, row.display_name) for row in rows], next_cursor=next_cursor)


@router.post("/collectives/{collective_id}/members", status_code=201, response_model=MembershipOut)
async def add_member(
    collective_id: uuid.UUID,
    body: MembershipIn,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    response: Response,
) -> MembershipOut:
    """201 for a new membership (or a return after removal); 200 when the role changed or nothing did. A role
    change publishes `membership.added` again, with the new role and the next version."""
    async with runtime.transaction() as session:
        row = await store.fetch_or_404(session, collectives, "collective", id=collective_id)
        await require_manager(session, principal, collective_id)
        require_active(row)
        person = await store.fetch(session, contributors, id=body.contributor_id)
        if person is None or person.status != "active":
            raise invalid("contributor_id", f"no registered contributor with id {body.contributor_id}")
        await store.lock_memberships_of(session, collective_id)
        if body.role != "coordinator":
            await store.require_another_coordinator(session, collective_id, person.id)
        membership, created = await store.upsert_membership(session, collective_id, person.id, body.role)
        if membership is None:
            membership = await store.fetch(session, memberships, collective_id=collective_id, contributor_id=person.id)
        else:
            await publish(runtime.outbox, session, [membership_added(membership)])
    response.status_code = 201 if created else 200
    return membership_out(membership, person.display_name)


def may_remove_member(principal: Principal, contributor_id: uuid.UUID, capacity: str | None) -> bool:
    return capacity is not None or person_of(principal) == contributor_id


@router.delete("/collectives/{collective_id}/members/{contributor_id}", status_code=204)
async def remove_member(
    collective_id: uuid.UUID, contributor_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep
) -> Response:
    async with runtime.transaction() as session:
        row = await store.fetch_or_404(session, collectives, "collective", id=collective_id)
        capacity = (await managed_collectives(session, principal, [collective_id])).get(collective_id)
        if not may_remove_member(principal, contributor_id, capacity):
            raise forbidden("only the collective's managers or the member themself may end a membership")
        require_active(row)
        await store.lock_memberships_of(session, collective_id)
        await store.require_another_coordinator(session, collective_id, contributor_id)
        removed = await store.remove_membership(session, collective_id, contributor_id)
        if removed is None:
            raise not_found("membership", f"{collective_id}/{contributor_id}")
        await publish(runtime.outbox, session, [membership_removed(removed)])
    return Response(status_code=204)


router.include_router(api_people.router)
router.include_router(api_sector.router)

__all__ = ["router"]
