"""Who may act for a collective in the funding service (the full matrix is in the docstring of `api.py`).

A collective's "manager" is an operator, a collective_admin token scoped to it, or a contributor whose `sub` is its
coordinator or board member in the memberships read model (fed by the registry's membership events) — the same
rule the registry applies. A "member" is any contributor with an active membership of any role.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.funding.models import memberships
from shared.auth import Principal
from shared.http import forbidden

MANAGING_ROLES = ("coordinator", "board")


def person_of(principal: Principal | None) -> uuid.UUID | None:
    """The contributor acting, when the token is a person's (role contributor, a UUID `sub`)."""
    if principal is None or not principal.has("contributor"):
        return None
    return principal.contributor_id


async def membership_role(session: AsyncSession, principal: Principal | None, collective_id: uuid.UUID) -> str | None:
    person = person_of(principal)
    if person is None:
        return None
    query = select(memberships.c.role).where(
        memberships.c.collective_id == collective_id,
        memberships.c.contributor_id == person,
        memberships.c.status == "active",
    )
    return (await session.execute(query)).scalar()


async def manages(session: AsyncSession, principal: Principal | None, collective_id: uuid.UUID) -> bool:
    if principal is None:
        return False
    if principal.manages_collective(collective_id):
        return True
    return await membership_role(session, principal, collective_id) in MANAGING_ROLES


async def require_manager(session: AsyncSession, principal: Principal, collective_id: uuid.UUID) -> None:
    if not await manages(session, principal, collective_id):
        raise forbidden("only the collective's coordinators and board, its admins and operators may do this")


async def require_manager_or_member(session: AsyncSession, principal: Principal, collective_id: uuid.UUID) -> None:
    if principal.manages_collective(collective_id):
        return
    if await membership_role(session, principal, collective_id) is None:
        raise forbidden("only the collective's members, its admins and operators may do this")


async def managed_or_membered(session: AsyncSession, principal: Principal) -> set[uuid.UUID]:
    """Collectives whose applications this caller may see as the applicant side."""
    ids = {uuid.UUID(c) for c in principal.collectives if _is_uuid(c)} if principal.has("collective_admin") else set()
    person = person_of(principal)
    if person is not None:
        query = select(memberships.c.collective_id).where(
            memberships.c.contributor_id == person,
            memberships.c.status == "active",
            memberships.c.role.in_(MANAGING_ROLES),
        )
        ids |= set((await session.execute(query)).scalars())
    return ids


def funder_ids(principal: Principal) -> set[uuid.UUID]:
    if not principal.has("funder"):
        return set()
    return {uuid.UUID(f) for f in principal.funders if _is_uuid(f)}


def require_funder(principal: Principal, funder_id: uuid.UUID, what: str = "this") -> None:
    if not principal.acts_for_funder(funder_id):
        raise forbidden(f"only the funder itself or an operator may do {what}")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
