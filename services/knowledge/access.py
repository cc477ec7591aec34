"""Who may do what in the knowledge service (the matrix is in the docstring of `api.py`).

A person is a token with the role `contributor` whose `sub` is their contributor id; whether they are registered
(and not erased) comes from the read model of the registry's contributors. Rights over a collective come from the
token (operator; collective_admin scoped to it) or from the read model of memberships (any active member).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.knowledge import store
from shared.auth import Principal
from shared.http import Problem, forbidden

OPERATOR = "operator"
AUTHOR = "author"


def person_of(principal: Principal | None) -> uuid.UUID | None:
    if principal is None or not principal.has("contributor"):
        return None
    return principal.contributor_id


async def registered_person(session: AsyncSession, principal: Principal) -> uuid.UUID:
    """The caller as a registered contributor, or 403."""
    person = person_of(principal)
    if person is None:
        raise forbidden("this needs a contributor's token")
    if person not in await store.active_contributors(session, [person]):
        raise Problem(
            403,
            "not-registered",
            "Forbidden",
            "register as a contributor first (POST /registry/v1/contributors); it can take a moment to arrive here",
        )
    return person


def may_see_article(principal: Principal | None, row: Any, authors: Sequence[uuid.UUID | None]) -> bool:
    """Published articles are public; drafts and retracted ones only for their authors and operators."""
    return row.status == "published" or sees_drafts(principal, authors)


def sees_drafts(principal: Principal | None, authors: Sequence[uuid.UUID | None]) -> bool:
    """Authors and operators see an article's draft stages; everyone else sees only what was published."""
    if principal is None:
        return False
    return principal.is_operator or (person_of(principal) is not None and person_of(principal) in authors)


def editor_of(principal: Principal, authors: Sequence[uuid.UUID | None]) -> tuple[uuid.UUID | None, str]:
    """(who, in what capacity) may change an article: one of its authors, or an operator; else 403."""
    person = person_of(principal)
    if person is not None and person in authors:
        return person, AUTHOR
    if principal.is_operator:
        return None, OPERATOR
    raise forbidden("only the article's authors and operators may do this")


async def may_act_for_collective(session: AsyncSession, principal: Principal, collective_id: uuid.UUID) -> bool:
    if principal.manages_collective(collective_id):
        return True
    person = person_of(principal)
    return person is not None and await store.is_member(session, collective_id, person)
