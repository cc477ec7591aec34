"""Match-funding rounds: a funder's budget, collectives' projects, residents' pledges, the allocation at closing.

Pledges are kept one by one and counted as one total per person per project (`aggregate_pledges`). A pledge holds
the round's row FOR SHARE and closing updates it, so no pledge slips in after the allocation was computed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import Row, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.funding import store
from services.funding.access import manages, person_of, require_funder
from services.funding.domain.matchfunding import RoundAllocation, aggregate_pledges, allocate, estimate_pledge_effect
from services.funding.events import publish, round_closed, round_event
from services.funding.models import collectives, funders, pledges, round_projects, rounds
from services.funding.schemas import (
    AllocationOut,
    AllocationsOut,
    EstimateOut,
    PledgeIn,
    PledgeOut,
    ProjectIn,
    ProjectOut,
    ProjectPage,
    RoundIn,
    RoundOut,
    RoundPage,
)
from shared.auth import CurrentPrincipal, MaybePrincipal
from shared.contracts.funding import RoundOpened
from shared.http import Cursor, Limit, conflict, etag, forbidden, invalid
from shared.service import RuntimeDep

router = APIRouter(prefix="/funding/v1", tags=["match-funding rounds"])


def accepting(row: Row, now: datetime) -> bool:
    return row.status == "open" and row.opens_at <= now < row.closes_at


def round_out(row: Row, response: Response | None = None) -> RoundOut:
    if response is not None:
        response.headers["ETag"] = etag(row.version)
    return RoundOut.model_validate(row._asdict() | {"accepting_pledges": accepting(row, datetime.now(UTC))})


@router.post("/rounds", status_code=201, response_model=RoundOut)
async def create_round(body: RoundIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response):
    now = datetime.now(UTC)
    opens_at = body.opens_at or now
    async with runtime.transaction() as session:
        funder = await store.fetch(session, funders, id=body.funder_id)
        if funder is None and principal.is_operator:
            raise invalid("funder_id", f"no funder with id {body.funder_id}")
        require_funder(principal, body.funder_id, "this for the funder")
        if funder is None:
            raise invalid("funder_id", f"no funder with id {body.funder_id}")
        if body.closes_at <= max(opens_at, now):
            raise invalid("closes_at", "must be after opens_at and in the future")
        if body.cap_cents is not None and body.cap_cents > body.budget_cents:
            raise invalid("cap_cents", "a project's cap cannot exceed the round's budget")
        values = body.model_dump() | {"id": uuid.uuid4(), "opens_at": opens_at, "status": "open"}
        row = await store.insert_row(session, rounds, values)
        await publish(runtime.outbox, session, [round_event(RoundOpened, row)])
    response.headers["Location"] = f"{router.prefix}/rounds/{row.id}"
    return round_out(row, response)


@router.get("/rounds", response_model=RoundPage)
async def list_rounds(
    runtime: RuntimeDep,
    funder_id: uuid.UUID | None = None,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> RoundPage:
    conditions = [rounds.c.funder_id == funder_id if funder_id else None, rounds.c.status == status if status else None]
    query = select(rounds).where(*(c for c in conditions if c is not None))
    async with runtime.sessions() as session:
        rows, next_cursor = await store.keyset_page(session, query, [rounds.c.created_at, rounds.c.id], cursor, limit)
    return RoundPage(items=[round_out(r) for r in rows], next_cursor=next_cursor)


@router.get("/rounds/{round_id}", response_model=RoundOut)
async def get_round(round_id: uuid.UUID, runtime: RuntimeDep, response: Response) -> RoundOut:
    async with runtime.sessions() as session:
        row = await store.fetch_or_404(session, rounds, "round", id=round_id)
    return round_out(row, response)


# --- projects -------------------------------------------------------------------------------------------------


def project_out(row: Row, raised: int, backers: int) -> ProjectOut:
    return ProjectOut.model_validate(row._asdict() | {"raised_cents": raised, "backers": backers})


@router.post("/rounds/{round_id}/projects", status_code=201, response_model=ProjectOut)
async def add_project(
    round_id: uuid.UUID, body: ProjectIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> ProjectOut:
    try:
        async with runtime.transaction() as session:
            round_row = await store.fetch_or_404(session, rounds, "round", id=round_id)
            collective = await store.fetch(session, collectives, id=body.collective_id)
            if collective is None:
                raise invalid("collective_id", f"no collective with id {body.collective_id} is known to funding")
            if not principal.acts_for_funder(round_row.funder_id) and not await manages(
                session, principal, body.collective_id
            ):
                raise forbidden("only the collective's managers, the round's funder and operators may add a project")
            if round_row.status != "open" or datetime.now(UTC) >= round_row.closes_at:
                # projects may join before pledging opens, never after it ended
                raise conflict("round-closed", f"round {round_id} is closed (or past its closing time)")
            if collective.status != "active":
                raise conflict("collective-dissolved", f"collective {body.collective_id} is dissolved")
            values = body.model_dump() | {"id": uuid.uuid4(), "round_id": round_id, "created_by": principal.sub}
            row = await store.insert_row(session, round_projects, values)
    except IntegrityError as exc:
        if "uq_round_projects_round_collective" in str(exc.orig):
            raise conflict("duplicate-project", "this collective already has a project in this round") from exc
        raise
    response.headers["Location"] = f"{router.prefix}/rounds/{round_id}/projects/{row.id}"
    return project_out(row, 0, 0)


@router.get("/rounds/{round_id}/projects", response_model=ProjectPage)
async def list_projects(round_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None):
    async with runtime.sessions() as session:
        await store.fetch_or_404(session, rounds, "round", id=round_id)
        query = select(round_projects).where(round_projects.c.round_id == round_id)
        rows, next_cursor = await store.keyset_page(
            session, query, [round_projects.c.created_at, round_projects.c.id], cursor, limit
        )
        totals = aggregate_pledges(await store.round_pledges(session, round_id))
    items = [project_out(r, sum(totals.get(r.id, {}).values()), len(totals.get(r.id, {}))) for r in rows]
    return ProjectPage(items=items, next_cursor=next_cursor)


# --- pledges and the allocation -------------------------------------------------------------------------------


async def round_state(session: AsyncSession, row: Row):
    projects = await store.round_project_rows(session, row.id)
    totals = aggregate_pledges(await store.round_pledges(session, row.id))
    targets = {p.id: p.target_cents for p in projects if p.all_or_nothing}
    return projects, totals, targets


def allocation_now(row: Row, totals, targets) -> RoundAllocation:
    return allocate(row.mechanism, row.budget_cents, totals, row.cap_cents, targets)


@router.post("/rounds/{round_id}/pledges", status_code=201, response_model=PledgeOut)
async def pledge(round_id: uuid.UUID, body: PledgeIn, principal: CurrentPrincipal, runtime: RuntimeDep) -> PledgeOut:
    """By a person (a contributor's token); all of one person's pledges to a project count as one."""
    now = datetime.now(UTC)
    async with runtime.transaction() as session:
        round_row = await store.fetch_or_404(session, rounds, "round", id=round_id)
        project = await store.fetch(session, round_projects, id=body.project_id)
        if project is None or project.round_id != round_id:
            raise invalid("project_id", f"round {round_id} has no project {body.project_id}")
        person = person_of(principal)
        if person is None:
            raise forbidden("pledges are made by people: use a contributor's token")
        locked = (await session.execute(select(rounds).where(rounds.c.id == round_id).with_for_update(read=True))).one()
        if not accepting(locked, now):
            raise conflict("round-not-accepting", f"round {round_id} does not take pledges now ({locked.status})")
        row = await store.insert_row(
            session,
            pledges,
            {
                "id": uuid.uuid4(),
                "round_id": round_id,
                "project_id": body.project_id,
                "person_id": person,
                "amount_cents": body.amount_cents,
            },
        )
        _, totals, targets = await round_state(session, locked)
    result = allocation_now(round_row, totals, targets)
    per_person = totals.get(body.project_id, {})
    return PledgeOut(
        id=row.id,
        round_id=round_id,
        project_id=body.project_id,
        amount_cents=row.amount_cents,
        your_total_cents=per_person.get(person, 0),
        project_raised_cents=sum(per_person.values()),
        estimated_match_cents=result.allocations.get(body.project_id, 0),
        created_at=row.created_at,
    )


@router.get("/rounds/{round_id}/estimate", response_model=EstimateOut)
async def estimate(
    round_id: uuid.UUID,
    runtime: RuntimeDep,
    principal: MaybePrincipal,
    project_id: uuid.UUID,
    amount_cents: Annotated[int, Query(ge=1, le=10_000_000)],
) -> EstimateOut:
    """What a pledge would add to the project's match if the round closed now. Anonymous callers are estimated as
    a new backer; a contributor's pledge adds to what they pledged before."""
    async with runtime.sessions() as session:
        round_row = await store.fetch_or_404(session, rounds, "round", id=round_id)
        project = await store.fetch(session, round_projects, id=project_id)
        if project is None or project.round_id != round_id:
            raise invalid("project_id", f"round {round_id} has no project {project_id}")
        if not accepting(round_row, datetime.now(UTC)):
            raise conflict("round-not-accepting", f"round {round_id} does not take pledges now ({round_row.status})")
        _, totals, targets = await round_state(session, round_row)
    person = person_of(principal)
    new_backer = person is None or person not in totals.get(project_id, {})
    raised = sum(totals.get(project_id, {}).values())
    effect = estimate_pledge_effect(
        round_row.mechanism,
        round_row.budget_cents,
        totals,
        project_id,
        person or uuid.uuid4(),
        amount_cents,
        round_row.cap_cents,
        targets,
    )
    return EstimateOut(
        round_id=round_id,
        project_id=project_id,
        pledge_cents=amount_cents,
        match_before_cents=effect.match_before_cents,
        match_after_cents=effect.match_after_cents,
        match_change_cents=effect.match_change_cents,
        # against the project's own target, all-or-nothing or not (the match itself only cares for the former)
        target_reached_before=raised >= project.target_cents,
        target_reached_after=raised + amount_cents >= project.target_cents,
        as_new_backer=new_backer,
    )


def allocations_out(row: Row, projects: list[Row], totals, result: RoundAllocation, final: bool) -> AllocationsOut:
    items = []
    for p in projects:
        per_person = totals.get(p.id, {})
        raised = sum(per_person.values())
        released = p.id in result.released
        items.append(
            AllocationOut(
                project_id=p.id,
                collective_id=p.collective_id,
                title=p.title,
                target_cents=p.target_cents,
                all_or_nothing=p.all_or_nothing,
                raised_cents=raised,
                backers=len(per_person),
                match_cents=result.allocations.get(p.id, 0),
                capped=p.id in result.capped,
                released=released,
                released_pledges_cents=raised if released else 0,
            )
        )
    return AllocationsOut(
        round_id=row.id,
        mechanism=row.mechanism,
        final=final,
        budget_cents=row.budget_cents,
        allocated_cents=result.allocated_cents,
        unallocated_cents=result.unallocated_cents,
        items=items,
    )


@router.post("/rounds/{round_id}/close", response_model=AllocationsOut)
async def close_round(round_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response):
    """Computes the final allocation (it and `unallocated_cents` sum exactly to the budget); 409 when closed."""
    async with runtime.transaction() as session:
        row = await store.fetch_or_404(session, rounds, "round", id=round_id, lock=True)
        require_funder(principal, row.funder_id, "this to the round")
        if row.status != "open":
            raise conflict("round-closed", f"round {round_id} is closed already")
        projects, totals, targets = await round_state(session, row)
        result = allocation_now(row, totals, targets)
        for p in projects:
            per_person = totals.get(p.id, {})
            await session.execute(
                update(round_projects)
                .where(round_projects.c.id == p.id)
                .values(
                    raised_cents=sum(per_person.values()),
                    backers=len(per_person),
                    match_cents=result.allocations.get(p.id, 0),
                    capped=p.id in result.capped,
                    released=p.id in result.released,
                )
            )
        closed = await store.update_where(
            session,
            rounds,
            (rounds.c.id == round_id) & (rounds.c.status == "open"),
            {
                "status": "closed",
                "closed_at": datetime.now(UTC),
                "allocated_cents": result.allocated_cents,
                "unallocated_cents": result.unallocated_cents,
            },
        )
        if closed is None:
            raise conflict("round-closed", f"round {round_id} was closed meanwhile")
        stored = await store.round_project_rows(session, round_id)
        await publish(runtime.outbox, session, [round_closed(closed, stored)])
    response.headers["ETag"] = etag(closed.version)
    return allocations_out(closed, projects, totals, result, final=True)


@router.get("/rounds/{round_id}/allocations", response_model=AllocationsOut)
async def round_allocations(round_id: uuid.UUID, runtime: RuntimeDep) -> AllocationsOut:
    """After closing: the final allocation. While open: what it would be if the round closed now."""
    async with runtime.sessions() as session:
        row = await store.fetch_or_404(session, rounds, "round", id=round_id)
        projects, totals, targets = await round_state(session, row)
    if row.status == "closed":
        # Closing locked pledges out, so recomputing gives the stored figures; the stored ones are authoritative.
        result = RoundAllocation(
            row.budget_cents,
            {p.id: p.match_cents or 0 for p in projects},
            row.unallocated_cents,
            frozenset(p.id for p in projects if p.capped),
            frozenset(p.id for p in projects if p.released),
        )
        return allocations_out(row, projects, totals, result, final=True)
    return allocations_out(row, projects, totals, allocation_now(row, totals, targets), final=False)
