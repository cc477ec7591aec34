"""Applications: draft → submitted → in_review → granted | rejected → disbursed; withdrawn from any open state.

Every move is one guarded `UPDATE … WHERE id = :id AND status IN (…) RETURNING`: of two racing requests one wins,
the other gets 409. A decision may come straight from `submitted` (the review is then implied). Drafts are private
to the applicant side and publish nothing; every later move publishes the application's full state.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy import Row, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.funding import store
from services.funding.access import funder_ids, managed_or_membered, manages, require_manager_or_member
from services.funding.domain.matching import evaluate, open_on
from services.funding.events import application_event, publish
from services.funding.models import applications, collectives, instruments, needs
from services.funding.rematch import collective_profile, instrument_profile, today
from services.funding.schemas import ApplicationIn, ApplicationOut, ApplicationPage, DecisionIn, DisbursementIn
from shared.auth import CurrentPrincipal, Principal
from shared.contracts.funding import ApplicationDecided, ApplicationSubmitted, ApplicationWithdrawn, FundsDisbursed
from shared.http import Cursor, Limit, conflict, etag, forbidden, invalid, not_found
from shared.service import RuntimeDep

router = APIRouter(prefix="/funding/v1", tags=["applications"])

OPEN_STATES = ("draft", "submitted", "in_review")


def application_out(row: Row, response: Response | None = None) -> ApplicationOut:
    if response is not None:
        response.headers["ETag"] = etag(row.version)
    return ApplicationOut.model_validate(row, from_attributes=True)


async def is_applicant(session: AsyncSession, principal: Principal, row: Row) -> bool:
    return row.created_by == principal.sub or await manages(session, principal, row.collective_id)


async def require_applicant(session: AsyncSession, principal: Principal, row: Row) -> None:
    if not await is_applicant(session, principal, row):
        raise forbidden("only the collective's managers or the person who drafted it may do this")


def require_deciding_funder(principal: Principal, row: Row) -> None:
    if not principal.acts_for_funder(row.funder_id):
        raise forbidden("only the instrument's funder or an operator may do this")


async def move(
    session: AsyncSession, row: Row, from_states: tuple[str, ...], to_state: str, values: dict[str, Any]
) -> Row:
    condition = (applications.c.id == row.id) & applications.c.status.in_(from_states)
    moved = await store.update_where(session, applications, condition, {"status": to_state, **values})
    if moved is None:
        raise conflict(
            "invalid-transition",
            f"application {row.id} is {row.status}; it can only become {to_state} from {', '.join(from_states)}",
            current_status=row.status,
        )
    return moved


def refuse_unless(row: Row, from_states: tuple[str, ...], to_state: str) -> None:
    if row.status not in from_states:
        raise conflict(
            "invalid-transition",
            f"application {row.id} is {row.status}; it can only become {to_state} from {', '.join(from_states)}",
            current_status=row.status,
        )


@router.post("/applications", status_code=201, response_model=ApplicationOut)
async def create_application(
    body: ApplicationIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> ApplicationOut:
    async with runtime.transaction() as session:
        collective = await store.fetch(session, collectives, id=body.collective_id)
        if collective is None:
            raise invalid("collective_id", f"no collective with id {body.collective_id} is known to funding")
        instrument = await store.fetch(session, instruments, id=body.instrument_id)
        if instrument is None or (instrument.status == "draft" and not principal.acts_for_funder(instrument.funder_id)):
            raise invalid("instrument_id", f"no instrument with id {body.instrument_id}")
        if body.need_id is not None:
            need = await store.fetch(session, needs, id=body.need_id)
            if need is None or need.collective_id != body.collective_id:
                raise invalid("need_id", f"collective {body.collective_id} has no need with id {body.need_id}")
        await require_manager_or_member(session, principal, body.collective_id)
        if collective.status != "active":
            raise conflict("collective-dissolved", f"collective {body.collective_id} is dissolved")
        if instrument.status != "open":
            raise conflict("instrument-not-open", f"instrument {body.instrument_id} is {instrument.status}")
        check_amount(instrument, body.amount_requested_cents, "amount_requested_cents")
        values = body.model_dump() | {
            "id": uuid.uuid4(),
            "funder_id": instrument.funder_id,
            "status": "draft",
            "created_by": principal.sub,
        }
        row = await store.insert_row(session, applications, values)
    response.headers["Location"] = f"{router.prefix}/applications/{row.id}"
    return application_out(row, response)


def check_amount(instrument: Row, amount: int | None, field: str) -> None:
    if amount is None:
        return
    if amount < instrument.amount_min_cents:
        raise invalid(field, f"below the instrument's minimum of {instrument.amount_min_cents} cents")
    if instrument.amount_max_cents is not None and amount > instrument.amount_max_cents:
        raise invalid(field, f"above the instrument's maximum of {instrument.amount_max_cents} cents")


@router.get("/applications", response_model=ApplicationPage)
async def list_applications(
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    collective_id: uuid.UUID | None = None,
    instrument_id: uuid.UUID | None = None,
    status: Annotated[
        str | None, Query(pattern="^(draft|submitted|in_review|granted|rejected|disbursed|withdrawn)$")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ApplicationPage:
    """Only the applications the caller may see: as applicant side, as the funder, or all for operators."""
    a = applications.c
    conditions = [
        a.collective_id == collective_id if collective_id else None,
        a.instrument_id == instrument_id if instrument_id else None,
        a.status == status if status else None,
    ]
    async with runtime.sessions() as session:
        if not principal.is_operator:
            mine = await managed_or_membered(session, principal)
            funders = funder_ids(principal)
            conditions.append(
                or_(
                    a.created_by == principal.sub,
                    a.collective_id.in_(mine) if mine else false(),
                    (a.funder_id.in_(funders) & (a.status != "draft")) if funders else false(),
                )
            )
        query = select(applications).where(*(c for c in conditions if c is not None))
        rows, next_cursor = await store.keyset_page(session, query, [a.created_at, a.id], cursor, limit)
    return ApplicationPage(items=[application_out(r) for r in rows], next_cursor=next_cursor)


async def visible_application(session: AsyncSession, principal: Principal, application_id: uuid.UUID) -> Row:
    row = await store.fetch_or_404(session, applications, "application", id=application_id)
    funder_sees = principal.acts_for_funder(row.funder_id) and (row.status != "draft" or principal.is_operator)
    if not funder_sees and not await is_applicant(session, principal, row):
        if principal.acts_for_funder(row.funder_id):
            raise not_found("application", application_id)  # a funder does not learn of drafts
        raise forbidden("only the applicant side, the instrument's funder and operators may see an application")
    return row


@router.get("/applications/{application_id}", response_model=ApplicationOut)
async def get_application(
    application_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> ApplicationOut:
    async with runtime.sessions() as session:
        row = await visible_application(session, principal, application_id)
    return application_out(row, response)


@router.post("/applications/{application_id}/submit", response_model=ApplicationOut)
async def submit_application(
    application_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> ApplicationOut:
    """The instrument must be open today and the collective must not fail a hard criterion (unknown facts are
    allowed: the funder asks for them)."""
    async with runtime.transaction() as session:
        row = await store.fetch_or_404(session, applications, "application", id=application_id)
        await require_applicant(session, principal, row)
        refuse_unless(row, ("draft",), "submitted")
        instrument = await store.fetch(session, instruments, id=row.instrument_id)
        collective = await store.fetch(session, collectives, id=row.collective_id)
        day = today()
        profile = instrument_profile(instrument)
        if not open_on(profile, day):
            raise conflict("instrument-not-open", f"instrument {row.instrument_id} does not take applications today")
        result = evaluate(collective_profile(collective), profile, day, need_amount_cents=row.amount_requested_cents)
        if not result.eligible:
            reasons = [c.reason for c in result.unmet]
            raise conflict("not-eligible", "the collective does not meet: " + ", ".join(reasons), reasons=reasons)
        moved = await move(session, row, ("draft",), "submitted", {"submitted_at": datetime.now(UTC)})
        await publish(runtime.outbox, session, [application_event(ApplicationSubmitted, moved)])
    return application_out(moved, response)


@router.post("/applications/{application_id}/withdraw", response_model=ApplicationOut)
async def withdraw_application(
    application_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> ApplicationOut:
    async with runtime.transaction() as session:
        row = await store.fetch_or_404(session, applications, "application", id=application_id)
        await require_applicant(session, principal, row)
        refuse_unless(row, OPEN_STATES, "withdrawn")
        moved = await move(session, row, OPEN_STATES, "withdrawn", {"withdrawn_at": datetime.now(UTC)})
        if row.status != "draft":
            await publish(runtime.outbox, session, [application_event(ApplicationWithdrawn, moved)])
    return application_out(moved, response)


async def funder_visible(session: AsyncSession, principal: Principal, application_id: uuid.UUID) -> Row:
    row = await store.fetch_or_404(session, applications, "application", id=application_id)
    hidden_draft = row.status == "draft" and principal.acts_for_funder(row.funder_id) and not principal.is_operator
    if hidden_draft and not await is_applicant(session, principal, row):
        raise not_found("application", application_id)
    require_deciding_funder(principal, row)
    return row


@router.post("/applications/{application_id}/review", response_model=ApplicationOut)
async def start_review(
    application_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> ApplicationOut:
    async with runtime.transaction() as session:
        row = await funder_visible(session, principal, application_id)
        refuse_unless(row, ("submitted",), "in_review")
        moved = await move(session, row, ("submitted",), "in_review", {"review_started_at": datetime.now(UTC)})
    return application_out(moved, response)


@router.post("/applications/{application_id}/decision", response_model=ApplicationOut)
async def decide_application(
    application_id: uuid.UUID,
    body: DecisionIn,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    response: Response,
) -> ApplicationOut:
    async with runtime.transaction() as session:
        row = await funder_visible(session, principal, application_id)
        refuse_unless(row, ("submitted", "in_review"), body.decision)
        values: dict[str, Any] = {"decided_at": datetime.now(UTC), "decision_note": body.note}
        if body.decision == "granted":
            amount = body.amount_cents or row.amount_requested_cents
            if amount is None:
                raise invalid("amount_cents", "say how much is granted (the application named no amount)")
            instrument = await store.fetch(session, instruments, id=row.instrument_id)
            if instrument.amount_max_cents is not None and amount > instrument.amount_max_cents:
                raise invalid("amount_cents", f"above the instrument's maximum of {instrument.amount_max_cents} cents")
            if row.amount_requested_cents is not None and amount > row.amount_requested_cents:
                raise invalid("amount_cents", f"above the {row.amount_requested_cents} cents the collective asked for")
            values["amount_granted_cents"] = amount
        elif body.amount_cents is not None:
            raise invalid("amount_cents", "a rejection grants no amount")
        moved = await move(session, row, ("submitted", "in_review"), body.decision, values)
        event = application_event(ApplicationDecided, moved, decision=body.decision, note=body.note)
        await publish(runtime.outbox, session, [event])
    return application_out(moved, response)


@router.post("/applications/{application_id}/disburse", response_model=ApplicationOut)
async def disburse_application(
    application_id: uuid.UUID,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    response: Response,
    body: DisbursementIn | None = None,
) -> ApplicationOut:
    async with runtime.transaction() as session:
        row = await funder_visible(session, principal, application_id)
        refuse_unless(row, ("granted",), "disbursed")
        amount = (body.amount_cents if body else None) or row.amount_granted_cents
        if amount > row.amount_granted_cents:
            raise invalid("amount_cents", f"above the granted {row.amount_granted_cents} cents")
        now = datetime.now(UTC)
        moved = await move(session, row, ("granted",), "disbursed", {"disbursed_cents": amount, "disbursed_at": now})
        event = application_event(FundsDisbursed, moved, amount_cents=amount, disbursed_at=now)
        await publish(runtime.outbox, session, [event])
    return application_out(moved, response)
