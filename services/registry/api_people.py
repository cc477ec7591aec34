"""Contributors — the people in the register — and their erasure (AVG/GDPR). Mounted under `/registry/v1` by api.py.

A person registers themself: the contributor id is the token's `sub` when that is a UUID (so later tokens of the
same person act as that contributor), else a new id. Erasure keeps a tombstone row (status `erased`, no personal
data) so the id is never reused; an erased contributor is 404 to every route, so erasing twice is 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import Row, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.registry import store
from services.registry.access import (
    CurrentPrincipal,
    MaybePrincipal,
    RuntimeDep,
    require_role,
    require_self_or_operator,
    sees_private_contributor_data,
)
from services.registry.events import contributor_erased, contributor_event, membership_removed, publish
from services.registry.models import contributors
from services.registry.schemas import ContributorIn, ContributorOut, ContributorPatch, MembershipOfPerson
from shared.auth import Principal
from shared.contracts.registry import PERSONAL_EVENT_TYPES, ContributorRegistered, ContributorUpdated
from shared.contracts.vocabulary import province_of
from shared.http import conflict, etag, not_found, require_if_match
from shared.messaging.streams import forget_entries
from shared.service import Runtime

router = APIRouter(tags=["contributors"])

ERASED_NAME = "Verwijderde deelnemer"

CONTRIBUTOR_CONFLICTS = {
    "pk_contributors": conflict("already-registered", "this person is already registered (or was erased)"),
    "email": conflict("email-taken", "another contributor registered with this e-mail address"),
}


def with_province(values: dict[str, Any]) -> dict[str, Any]:
    if "municipality_code" in values:
        code = values["municipality_code"]
        values["province_code"] = province_of(code) if code else None
    return values


async def contributor_out(session: AsyncSession, row: Row, show_private: bool) -> ContributorOut:
    rows = await store.memberships_of_person(session, row.id)
    memberships = [MembershipOfPerson.model_validate(m._asdict()) for m in rows]
    out = ContributorOut.model_validate(row._asdict() | {"memberships": memberships})
    return out if show_private else out.model_copy(update={"email": None})


async def active_contributor(session: AsyncSession, contributor_id: uuid.UUID) -> Row:
    row = await store.fetch(session, contributors, id=contributor_id)
    if row is None or row.status != "active":
        raise not_found("contributor", contributor_id)
    return row


@router.post("/contributors", status_code=201, response_model=ContributorOut)
async def register_contributor(
    body: ContributorIn, runtime: RuntimeDep, response: Response, principal: Principal = require_role("contributor")
) -> ContributorOut:
    values = with_province(body.model_dump()) | {"id": principal.contributor_id or uuid.uuid4()}
    try:
        async with runtime.transaction() as session:
            row = await store.insert_row(session, contributors, values)
            await publish(runtime.outbox, session, [contributor_event(ContributorRegistered, row)])
            out = await contributor_out(session, row, show_private=True)
    except IntegrityError as exc:
        raise store.translate_integrity_error(exc, CONTRIBUTOR_CONFLICTS) from exc
    response.headers["Location"] = f"/registry/v1/contributors/{row.id}"
    response.headers["ETag"] = etag(row.version)
    return out


@router.get("/contributors/{contributor_id}", response_model=ContributorOut)
async def get_contributor(
    contributor_id: uuid.UUID, runtime: RuntimeDep, principal: MaybePrincipal, response: Response
) -> ContributorOut:
    """The public profile: name, expertise, region and the collectives they take part in."""
    async with runtime.sessions() as session:
        row = await active_contributor(session, contributor_id)
        out = await contributor_out(session, row, sees_private_contributor_data(principal, contributor_id))
    response.headers["ETag"] = etag(row.version)
    return out


@router.patch("/contributors/{contributor_id}", response_model=ContributorOut)
async def update_contributor(
    contributor_id: uuid.UUID,
    body: ContributorPatch,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    request: Request,
    response: Response,
) -> ContributorOut:
    require_self_or_operator(principal, contributor_id)
    try:
        async with runtime.transaction() as session:
            row = await active_contributor(session, contributor_id)
            require_if_match(request, row.version)
            changes = store.changed_fields(row, with_province(body.changes()))
            if changes:
                row = await apply_contributor_changes(session, runtime, row, changes)
            out = await contributor_out(session, row, show_private=True)
    except IntegrityError as exc:
        raise store.translate_integrity_error(exc, CONTRIBUTOR_CONFLICTS) from exc
    response.headers["ETag"] = etag(row.version)
    return out


async def apply_contributor_changes(session: AsyncSession, runtime: Runtime, row: Row, changes: dict) -> Row:
    current = (contributors.c.id == row.id) & (contributors.c.version == row.version)
    values = {name: new for name, (_, new) in changes.items()}
    updated = await store.update_where(session, contributors, current & (contributors.c.status == "active"), values)
    if updated is None:
        raise store.stale("the contributor")
    await publish(runtime.outbox, session, [contributor_event(ContributorUpdated, updated)])
    return updated


ERASED_VALUES = {
    "display_name": ERASED_NAME,
    "email": None,
    "expertise": [],
    "municipality_code": None,
    "province_code": None,
    "status": "erased",
    "erased_at": func.now(),
}


@router.delete("/contributors/{contributor_id}", status_code=204)
async def erase_contributor(contributor_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep) -> Response:
    """Removes the person's data here: name, e-mail, expertise and region, and every membership (each published as
    `membership.removed`); then `contributor.erased` asks every other service to anonymise what it holds."""
    require_self_or_operator(principal, contributor_id)
    async with runtime.transaction() as session:
        await active_contributor(session, contributor_id)
        ended = await store.erase_memberships(session, contributor_id)
        active = (contributors.c.id == contributor_id) & (contributors.c.status == "active")
        erased = await store.update_where(session, contributors, active, ERASED_VALUES)
        if erased is None:
            raise not_found("contributor", contributor_id)
        await publish(runtime.outbox, session, [*map(membership_removed, ended), contributor_erased(erased)])
        # The name, expertise and region also sit in the person's earlier events, kept for replays: gone too.
        forgotten = await runtime.outbox.forget(session, str(contributor_id), PERSONAL_EVENT_TYPES)
    if forgotten:  # reading through the stream can take a while; what is missed goes with the retention trim
        runtime.in_background(forget_entries(runtime.redis, runtime.outbox.stream, set(forgotten)), "forget-entries")
    return Response(status_code=204)
