"""Who may do what in the registry (the matrix is in the docstring of `api.py`).

Rights over a collective come from the token (operator; collective_admin scoped to the collective) or from the
registry's own memberships table (a contributor who is its coordinator or on its board). The token's `sub` is the
contributor id of a person.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.registry.models import memberships
from shared.auth import CurrentPrincipal, MaybePrincipal, Principal, require_role
from shared.contracts.vocabulary import MembershipRole
from shared.http import forbidden
from shared.service import RuntimeDep

# The kit's async dependencies, re-exported so the registry's routes import them from one place.
__all__ = ["CurrentPrincipal", "MaybePrincipal", "RuntimeDep", "require_role"]


MANAGING_ROLES = (MembershipRole.coordinator.value, MembershipRole.board.value)


def person_of(principal: Principal | None) -> uuid.UUID | None:
    """The contributor acting, when the token is a person's (role contributor, a UUID `sub`)."""
    if principal is None or not principal.has("contributor"):
        return None
    return principal.contributor_id


async def managed_collectives(
    session: AsyncSession, principal: Principal | None, collective_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """For each of `collective_ids` the caller manages: the capacity in which (operator, collective_admin,
    coordinator, board)."""
    ids = list(collective_ids)
    if principal is None or not ids:
        return {}
    if principal.is_operator:
        return dict.fromkeys(ids, "operator")
    capacities = {i: "collective_admin" for i in ids if principal.manages_collective(i)}
    person = person_of(principal)
    if person is not None and len(capacities) < len(ids):
        rows = await session.execute(
            select(memberships.c.collective_id, memberships.c.role).where(
                memberships.c.contributor_id == person,
                memberships.c.collective_id.in_([i for i in ids if i not in capacities]),
                memberships.c.status == "active",
                memberships.c.role.in_(MANAGING_ROLES),
            )
        )
        capacities |= {collective_id: role for collective_id, role in rows}
    return capacities


async def require_manager(session: AsyncSession, principal: Principal, collective_id: uuid.UUID) -> str:
    capacity = (await managed_collectives(session, principal, [collective_id])).get(collective_id)
    if capacity is None:
        raise forbidden("only the collective's coordinators and board, its admins and operators may do this")
    return capacity


def require_self_or_operator(principal: Principal, contributor_id: uuid.UUID) -> str:
    if principal.is_operator:
        return "operator"
    if person_of(principal) == contributor_id:
        return "self"
    raise forbidden("only the person themself or an operator may do this")


def sees_private_contributor_data(principal: Principal | None, contributor_id: uuid.UUID) -> bool:
    return principal is not None and (principal.is_operator or person_of(principal) == contributor_id)
