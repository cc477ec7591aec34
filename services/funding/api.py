"""Funding HTTP routes: parse → decide (domain) → write with the outbox in one transaction → respond.

Authorisation matrix ("manager" of a collective = an operator, a collective_admin token scoped to it, or a
contributor whose `sub` is its coordinator or board member in the memberships read model; "member" = any active
membership; "the funder" = a funder token scoped to that funder id, `principal.acts_for_funder`):

| route                                                   | anonymous | who may                                     |
| ------------------------------------------------------- | --------- | ------------------------------------------- |
| every GET of funders, instruments (drafts: only their   | yes       | anyone                                      |
|   funder and operators), collectives (the read model),  |           |                                             |
|   matches, needs, mix, rounds, projects, estimate,      |           |                                             |
|   allocations, coverage                                 |           |                                             |
| POST /funders                                           | 401       | operator; others 403                        |
| POST /instruments                                       | 401       | the funder named in the body, operator      |
| PATCH /instruments/{id}, POST …/close                   | 401       | the instrument's funder, operator           |
| POST /needs                                             | 401       | manager of the collective                   |
| POST /applications                                      | 401       | manager or member of the collective         |
| GET /applications, /applications/{id}                   | 401       | the applicant side (managers, the creator), |
|                                                         |           | the instrument's funder, operator           |
| POST /applications/{id}/submit, /withdraw               | 401       | manager of the collective, or the creator   |
| POST /applications/{id}/review, /decision, /disburse    | 401       | the instrument's funder, operator           |
| POST /rounds                                            | 401       | the funder named in the body, operator      |
| POST /rounds/{id}/projects                              | 401       | manager of the collective, the round's      |
|                                                         |           | funder, operator                            |
| POST /rounds/{id}/pledges                               | 401       | a person: role contributor with a UUID sub  |
| POST /rounds/{id}/close                                 | 401       | the round's funder, operator                |

The applications and rounds routes live in `api_applications.py` and `api_rounds.py` under the same prefix.

Checks run in a fixed order: 401 (no token) → 404 (unknown path id) → 422 (unknown id in the body) → 403 (not
allowed) → 409 (state) → 428/412 (If-Match) → 422 (the change itself).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Row, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.funding import store
from services.funding.access import funder_ids, require_funder, require_manager
from services.funding.domain.coverage import CoverageRow
from services.funding.domain.matching import (
    REASONS,
    CollectiveProfile,
    InstrumentForm,
    InstrumentProfile,
    MatchResult,
    could_match,
    evaluate,
    explain,
    open_on,
    verdict,
)
from services.funding.domain.mix import propose_mix
from services.funding.events import instrument_event, publish
from services.funding.models import collectives, funders, instruments, matches, needs
from services.funding.rematch import (
    collective_profile,
    instrument_profile,
    lock_catalogue,
    rematch_instrument,
    today,
)
from services.funding.schemas import (
    NOT_NULL,
    CollectiveOut,
    CoverageOut,
    CoverageRowOut,
    CriterionOut,
    Explanation,
    FunderIn,
    FunderOut,
    FunderPage,
    InstrumentIn,
    InstrumentMatchOut,
    InstrumentMatchPage,
    InstrumentOut,
    InstrumentPage,
    InstrumentPatch,
    Labels,
    MatchOut,
    MatchPage,
    MixItemOut,
    MixOut,
    NeedIn,
    NeedOut,
    NeedPage,
    ProvinceCode,
    RegionFilter,
    SearchText,
)
from shared.auth import CurrentPrincipal, MaybePrincipal, Principal
from shared.contracts.funding import InstrumentClosed, InstrumentPublished, InstrumentUpdated
from shared.contracts.vocabulary import LABELS, CollectiveKind, LegalForm, Stage, Theme
from shared.http import (
    Cursor,
    Limit,
    Problem,
    conflict,
    decode_cursor,
    encode_cursor,
    etag,
    forbidden,
    invalid,
    invalid_fields,
    not_found,
    require_if_match,
)
from shared.service import Runtime, RuntimeDep

router = APIRouter(prefix="/funding/v1", tags=["funding"])


def with_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def sees_drafts_of(principal: Principal | None, funder_id: uuid.UUID) -> bool:
    return principal is not None and principal.acts_for_funder(funder_id)


# --- funders --------------------------------------------------------------------------------------------------


@router.post("/funders", status_code=201, response_model=FunderOut)
async def create_funder(body: FunderIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response):
    if not principal.is_operator:
        raise forbidden("only operators register funders")
    async with runtime.transaction() as session:
        row = await store.insert_row(session, funders, body.model_dump(mode="json") | {"id": uuid.uuid4()})
    response.headers["Location"] = f"{router.prefix}/funders/{row.id}"
    with_etag(response, row.version)
    return FunderOut.model_validate(row, from_attributes=True)


@router.get("/funders", response_model=FunderPage)
async def list_funders(runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None) -> FunderPage:
    async with runtime.sessions() as session:
        rows, next_cursor = await store.keyset_page(
            session, select(funders), [funders.c.created_at, funders.c.id], cursor, limit
        )
    return FunderPage(items=[FunderOut.model_validate(r, from_attributes=True) for r in rows], next_cursor=next_cursor)


@router.get("/funders/{funder_id}", response_model=FunderOut)
async def get_funder(funder_id: uuid.UUID, runtime: RuntimeDep, response: Response) -> FunderOut:
    async with runtime.sessions() as session:
        row = await store.fetch_or_404(session, funders, "funder", id=funder_id)
    with_etag(response, row.version)
    return FunderOut.model_validate(row, from_attributes=True)


# --- instruments ----------------------------------------------------------------------------------------------


def instrument_out(row: Row, day: date, funder_name: str | None = None) -> InstrumentOut:
    values = row._asdict() | {"open_now": open_on(instrument_profile(row), day), "funder_name": funder_name}
    return InstrumentOut.model_validate(values)


def rule_problems(values: dict[str, Any]) -> list[tuple[str, str]]:
    problems = []
    low, high = values.get("amount_min_cents") or 0, values.get("amount_max_cents")
    if high is not None and high < low:
        problems.append(("amount_max_cents", "must be at least amount_min_cents"))
    opens, closes = values.get("opens_on"), values.get("closes_on")
    if opens is not None and closes is not None and date.fromisoformat(str(closes)) < date.fromisoformat(str(opens)):
        problems.append(("closes_on", "must not be before opens_on"))
    areas = values.get("provinces") or values.get("municipalities")
    if values.get("national") and areas:
        problems.append(("national", "a national instrument takes no provinces or municipalities"))
    if not values.get("national") and not areas:
        problems.append(("provinces", "name provinces or municipalities, or make the instrument national"))
    if values.get("requires_anbi") and values.get("legal_forms") == ["cooperative"]:
        # AWR art. 5b: a cooperative cannot hold ANBI status, so no collective could ever be eligible
        problems.append(("requires_anbi", "a cooperative cannot hold ANBI status; this instrument could fit no one"))
    return problems


async def visible_instrument(session: AsyncSession, principal: Principal | None, instrument_id: uuid.UUID) -> Row:
    row = await store.fetch_or_404(session, instruments, "instrument", id=instrument_id)
    if row.status == "draft" and not sees_drafts_of(principal, row.funder_id):
        raise not_found("instrument", instrument_id)
    return row


async def funder_name(session: AsyncSession, funder_id: uuid.UUID) -> str | None:
    return (await session.execute(select(funders.c.name).where(funders.c.id == funder_id))).scalar()


@router.post("/instruments", status_code=201, response_model=InstrumentOut)
async def create_instrument(body: InstrumentIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response):
    values = body.model_dump(mode="json")
    async with runtime.transaction() as session:
        funder = await store.fetch(session, funders, id=body.funder_id)
        if funder is None and principal.is_operator:
            raise invalid("funder_id", f"no funder with id {body.funder_id}")
        require_funder(principal, body.funder_id, "this for the funder")
        if funder is None:
            raise invalid("funder_id", f"no funder with id {body.funder_id}")
        problems = rule_problems(values)
        if problems:
            raise invalid_fields(problems)
        # Before the insert takes its change_seq: see the module docstring of rematch.py.
        await lock_catalogue(session, exclusive=True)
        row = await store.insert_row(session, instruments, body.model_dump() | {"id": uuid.uuid4()})
        if row.status == "open":
            await rematch_instrument(session, runtime.outbox, instrument_profile(row), cause="instrument_changed")
            await publish(runtime.outbox, session, [instrument_event(InstrumentPublished, row)])
    response.headers["Location"] = f"{router.prefix}/instruments/{row.id}"
    with_etag(response, row.version)
    return instrument_out(row, today(), funder.name)


@router.get("/instruments", response_model=InstrumentPage)
async def list_instruments(
    runtime: RuntimeDep,
    principal: MaybePrincipal,
    form: InstrumentForm | None = None,
    kind: CollectiveKind | None = None,
    legal_form: LegalForm | None = None,
    stage: Stage | None = None,
    theme: Theme | None = None,
    region: Annotated[
        RegionFilter | None,
        Query(description="`national`, or a province (PVnn) or municipality (GMnnnn): what is available there"),
    ] = None,
    open: Annotated[bool | None, Query(description="open for applications today")] = None,
    status: Annotated[str | None, Query(pattern="^(draft|open|closed)$")] = None,
    funder_id: uuid.UUID | None = None,
    q: Annotated[SearchText | None, Query(description="words in the name or description")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> InstrumentPage:
    day = today()
    conditions = store.instrument_filters(
        day=day,
        form=form,
        kind=kind,
        legal_form=legal_form,
        stage=stage,
        theme=theme,
        region=region,
        open_now=open,
        status=status,
        funder_id=funder_id,
        q=q,
    )
    if principal is None or not principal.is_operator:
        mine = list(funder_ids(principal)) if principal is not None else []
        conditions.append((instruments.c.status != "draft") | instruments.c.funder_id.in_(mine))
    query = select(instruments, funders.c.name.label("funder_name")).join(funders).where(*conditions)
    async with runtime.sessions() as session:
        rows, next_cursor = await store.keyset_page(
            session, query, [instruments.c.created_at, instruments.c.id], cursor, limit
        )
    items = [instrument_out(row, day, row.funder_name) for row in rows]
    return InstrumentPage(items=items, next_cursor=next_cursor)


@router.get("/instruments/{instrument_id}", response_model=InstrumentOut)
async def get_instrument(
    instrument_id: uuid.UUID, runtime: RuntimeDep, principal: MaybePrincipal, response: Response
) -> InstrumentOut:
    async with runtime.sessions() as session:
        row = await visible_instrument(session, principal, instrument_id)
        name = await funder_name(session, row.funder_id)
    with_etag(response, row.version)
    return instrument_out(row, today(), name)


def status_move(old: str, new: str) -> None:
    if old == "closed":
        raise conflict("instrument-closed", "a closed instrument cannot change; publish a new one instead")
    if old == "open" and new == "draft":
        raise conflict("instrument-published", "a published instrument cannot go back to draft; close it instead")


async def change_instrument(
    session: AsyncSession, runtime: Runtime, row: Row, changes: dict[str, tuple[Any, Any]]
) -> Row:
    """Write the change, re-match the instrument against every collective, publish what it means."""
    values = {name: new for name, (_, new) in changes.items()}
    if values.get("status") == "closed":
        values["closed_at"] = datetime.now(UTC)
    current = (instruments.c.id == row.id) & (instruments.c.version == row.version)
    updated = await store.update_where(session, instruments, current & (instruments.c.status == row.status), values)
    if updated is None:
        raise Problem(412, "stale-version", "Precondition failed", "the instrument changed meanwhile; read it again")
    if row.status == "open" or updated.status == "open":
        cause = "instrument_closed" if updated.status == "closed" else "instrument_changed"
        await rematch_instrument(session, runtime.outbox, instrument_profile(updated), cause=cause)
    if updated.status == "closed" and row.status == "open":
        pending = instrument_event(InstrumentClosed, updated)
    elif updated.status == "open" and row.status == "draft":
        pending = instrument_event(InstrumentPublished, updated)
    elif updated.status == "open":
        pending = instrument_event(InstrumentUpdated, updated, changed_fields=sorted(changes))
    else:
        return updated  # a draft's changes are nobody else's business yet
    await publish(runtime.outbox, session, [pending])
    return updated


@router.patch("/instruments/{instrument_id}", response_model=InstrumentOut)
async def update_instrument(
    instrument_id: uuid.UUID,
    body: InstrumentPatch,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    request: Request,
    response: Response,
) -> InstrumentOut:
    proposed = body.changes()
    async with runtime.transaction() as session:
        await lock_catalogue(session, exclusive=True)
        row = await visible_instrument(session, principal, instrument_id)
        require_funder(principal, row.funder_id, "this to the instrument")
        status_move(row.status, proposed.get("status") or row.status)
        require_if_match(request, row.version)
        cleared = sorted(name for name, value in proposed.items() if value is None and name in NOT_NULL)
        if cleared:
            raise invalid_fields([(name, "may not be null") for name in cleared])
        changes = store.changed_fields(row, proposed)
        merged = {name: getattr(row, name) for name in InstrumentPatch.model_fields} | proposed
        problems = rule_problems(merged)
        if problems:
            raise invalid_fields(problems)
        if changes:
            row = await change_instrument(session, runtime, row, changes)
        name = await funder_name(session, row.funder_id)
    with_etag(response, row.version)
    return instrument_out(row, today(), name)


@router.post("/instruments/{instrument_id}/close", response_model=InstrumentOut)
async def close_instrument(
    instrument_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, request: Request, response: Response
) -> InstrumentOut:
    """Closes for good: matches are lost in the same transaction. `If-Match` is optional here."""
    async with runtime.transaction() as session:
        await lock_catalogue(session, exclusive=True)
        row = await visible_instrument(session, principal, instrument_id)
        require_funder(principal, row.funder_id, "this to the instrument")
        if row.status == "closed":
            raise conflict("instrument-closed", f"instrument {instrument_id} is closed already")
        if request.headers.get("if-match"):
            require_if_match(request, row.version)
        row = await change_instrument(session, runtime, row, {"status": (row.status, "closed")})
        name = await funder_name(session, row.funder_id)
    with_etag(response, row.version)
    return instrument_out(row, today(), name)


# --- matches --------------------------------------------------------------------------------------------------

ELIGIBLE_SUMMARY = Labels(nl="Komt in aanmerking.", en="Eligible.")
UNKNOWN_SUMMARY = Labels(
    nl="Komt waarschijnlijk in aanmerking; de financier beslist zodra de ontbrekende gegevens bekend zijn.",
    en="Probably eligible; the funder decides once the missing facts are known.",
)
INELIGIBLE_SUMMARY = Labels(nl="Komt niet in aanmerking.", en="Not eligible.")


def match_out(
    result: MatchResult, instrument: InstrumentProfile, stored: bool, computed_at: datetime | None
) -> MatchOut:
    criteria = [
        CriterionOut(**c.as_dict(), explanation=Labels(nl=REASONS[c.reason][0], en=REASONS[c.reason][1]))
        for c in result.criteria
    ]
    summary = ELIGIBLE_SUMMARY if result.eligible and not result.unknown else UNKNOWN_SUMMARY
    if not result.eligible:
        summary = INELIGIBLE_SUMMARY
    return MatchOut(
        collective_id=result.collective_id,
        instrument_id=result.instrument_id,
        instrument_name=instrument.label,
        funder_id=instrument.funder_id,
        form=str(instrument.form),
        eligible=result.eligible,
        score=result.score,
        criteria=criteria,
        explanation=Explanation(summary=summary, nl=explain(result, "nl"), en=explain(result, "en")),
        stored=stored,
        computed_at=computed_at,
    )


async def collective_or_404(session: AsyncSession, collective_id: uuid.UUID) -> CollectiveProfile:
    row = await store.fetch(session, collectives, id=collective_id)
    if row is None:
        raise not_found("collective", collective_id)
    return collective_profile(row)


@router.get("/collectives/{collective_id}", response_model=CollectiveOut)
async def get_collective(collective_id: uuid.UUID, runtime: RuntimeDep) -> CollectiveOut:
    """Funding's read model of a registry collective (404 until the registry's event has arrived)."""
    async with runtime.sessions() as session:
        row = await store.fetch_or_404(session, collectives, "collective", id=collective_id)
        eligible = await session.execute(
            select(func.count()).where(matches.c.collective_id == collective_id, matches.c.eligible.is_(True))
        )
    return CollectiveOut.model_validate(row._asdict() | {"eligible_matches": eligible.scalar_one()})


@router.get("/collectives/{collective_id}/matches", response_model=MatchPage)
async def collective_matches(
    collective_id: uuid.UUID,
    runtime: RuntimeDep,
    eligible: bool | None = None,
    scope: Annotated[
        str,
        Query(
            pattern="^(stored|all)$",
            description="stored: the instruments that could fit (the matches table); all: every open instrument, "
            "with the reasons why the others do not fit",
        ),
    ] = "stored",
    limit: Limit = 20,
    cursor: Cursor = None,
) -> MatchPage:
    """Ranked: eligible first, then by score. Each match is explained criterion by criterion, in Dutch and English."""
    day = today()
    async with runtime.sessions() as session:
        collective = await collective_or_404(session, collective_id)
        stored_rows = await session.execute(
            select(instruments, matches.c.computed_at)
            .join(matches, matches.c.instrument_id == instruments.c.id)
            .where(matches.c.collective_id == collective_id)
        )
        candidates = {row.id: (instrument_profile(row), row.computed_at) for row in stored_rows}
        if scope == "all":
            open_rows = await session.execute(select(instruments).where(store.open_condition(day)))
            for row in open_rows:
                candidates.setdefault(row.id, (instrument_profile(row), None))
    ranked = []
    for instrument_id, (profile, _) in candidates.items():
        found = verdict(collective, profile, day)
        if eligible is None or found.eligible == eligible:
            ranked.append(((0 if found.eligible else 1, -found.score, str(instrument_id)), instrument_id))
    ranked.sort()
    after = decode_cursor(cursor, 3)
    if after is not None:
        try:
            position = (int(after[0]), int(after[1]), str(uuid.UUID(after[2])))
        except ValueError as exc:
            raise invalid("cursor", "not a cursor this service issued") from exc
        ranked = [item for item in ranked if item[0] > position]
    page, rest = ranked[:limit], ranked[limit:]
    items = []
    for _, instrument_id in page:
        profile, computed_at = candidates[instrument_id]
        result = evaluate(collective, profile, day)
        items.append(match_out(result, profile, stored=computed_at is not None, computed_at=computed_at))
    next_cursor = encode_cursor(list(page[-1][0])) if rest and page else None
    return MatchPage(items=items, next_cursor=next_cursor)


@router.get("/collectives/{collective_id}/matches/{instrument_id}", response_model=MatchOut)
async def explain_match(
    collective_id: uuid.UUID,
    instrument_id: uuid.UUID,
    runtime: RuntimeDep,
    principal: MaybePrincipal,
    amount_cents: Annotated[int | None, Query(ge=1, le=10**12)] = None,
    stage: Stage | None = None,
) -> MatchOut:
    """Any pair explained, also one that can never match (e.g. an ANBI-only instrument for a cooperative)."""
    async with runtime.sessions() as session:
        collective = await collective_or_404(session, collective_id)
        row = await visible_instrument(session, principal, instrument_id)
        computed_at = (
            await session.execute(
                select(matches.c.computed_at).where(
                    matches.c.collective_id == collective_id, matches.c.instrument_id == instrument_id
                )
            )
        ).scalar()
    profile = instrument_profile(row)
    result = evaluate(collective, profile, today(), need_amount_cents=amount_cents, need_stage=stage)
    return match_out(result, profile, stored=computed_at is not None, computed_at=computed_at)


@router.get("/instruments/{instrument_id}/matches", response_model=InstrumentMatchPage)
async def instrument_matches(
    instrument_id: uuid.UUID,
    runtime: RuntimeDep,
    principal: MaybePrincipal,
    eligible: bool = True,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> InstrumentMatchPage:
    """The collectives the instrument fits (or, with `eligible=false`, could fit later), best score first."""
    async with runtime.sessions() as session:
        await visible_instrument(session, principal, instrument_id)
        query = (
            select(
                matches.c.collective_id,
                matches.c.eligible,
                matches.c.score,
                matches.c.computed_at,
                collectives.c.name.label("collective_name"),
                collectives.c.kind,
                collectives.c.legal_form,
                collectives.c.stage,
                collectives.c.province_code,
                collectives.c.municipality_code,
            )
            .join(collectives, collectives.c.id == matches.c.collective_id)
            .where(matches.c.instrument_id == instrument_id, matches.c.eligible.is_(eligible))
        )
        rows, next_cursor = await store.keyset_page(
            session, query, [matches.c.score, matches.c.collective_id], cursor, limit, descending=[True, False]
        )
    return InstrumentMatchPage(
        items=[InstrumentMatchOut.model_validate(row._asdict()) for row in rows], next_cursor=next_cursor
    )


# --- coverage -------------------------------------------------------------------------------------------------


def labels_of(enum: type, code: str) -> Labels:
    nl, en = LABELS[enum].get(code, (code, code))
    return Labels(nl=nl, en=en)


@router.get("/coverage", response_model=CoverageOut)
async def coverage(
    runtime: RuntimeDep,
    province: Annotated[ProvinceCode | None, Query(description="a province (PVnn) code")] = None,
    include_empty: bool = False,
) -> CoverageOut:
    """Per collective kind and stage: how many active collectives have at least one eligible open instrument."""
    c = collectives.c
    covered = exists().where(matches.c.collective_id == c.id, matches.c.eligible.is_(True))
    query = (
        select(c.kind, c.stage, func.count(), func.count().filter(covered))
        .where(c.status == "active", *([c.province_code == province] if province else []))
        .group_by(c.kind, c.stage)
    )
    async with runtime.sessions() as session:
        counts = {(kind, stage): (total, fit) for kind, stage, total, fit in await session.execute(query)}
    if include_empty:
        for kind in CollectiveKind:
            for stage in Stage:
                counts.setdefault((kind.value, stage.value), (0, 0))
    kinds, stages = [k.value for k in CollectiveKind], [s.value for s in Stage]
    rows = []
    for (kind, stage), (total, fit) in sorted(
        counts.items(), key=lambda i: (kinds.index(i[0][0]), stages.index(i[0][1]))
    ):
        row = CoverageRow(kind, stage, total, fit)
        rows.append(
            CoverageRowOut(
                kind=kind,
                kind_label=labels_of(CollectiveKind, kind),
                stage=stage,
                stage_label=labels_of(Stage, stage),
                collectives=row.collectives,
                covered=row.covered,
                uncovered=row.uncovered,
                share=row.share,
            )
        )
    return CoverageOut(
        computed_on=today(),
        province=province,
        collectives=sum(r.collectives for r in rows),
        covered=sum(r.covered for r in rows),
        rows=rows,
    )


# --- needs ----------------------------------------------------------------------------------------------------


def need_out(row: Row) -> NeedOut:
    return NeedOut.model_validate(row, from_attributes=True)


@router.post("/needs", status_code=201, response_model=NeedOut)
async def create_need(body: NeedIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response) -> NeedOut:
    async with runtime.transaction() as session:
        collective = await store.fetch(session, collectives, id=body.collective_id)
        if collective is None:
            raise invalid("collective_id", f"no collective with id {body.collective_id} is known to funding")
        await require_manager(session, principal, body.collective_id)
        if collective.status != "active":
            raise conflict("collective-dissolved", f"collective {body.collective_id} is dissolved")
        if body.needed_by is not None and body.needed_by < today():
            raise invalid("needed_by", "must not be in the past")
        values = {
            "id": uuid.uuid4(),
            "collective_id": body.collective_id,
            "amount_cents": body.amount_cents,
            "purpose": body.purpose,
            "stage": body.stage or collective.stage,
            "themes": list(body.themes) if body.themes is not None else list(collective.themes),
            "needed_by": body.needed_by,
            "created_by": principal.sub,
        }
        row = await store.insert_row(session, needs, values)
    response.headers["Location"] = f"{router.prefix}/needs/{row.id}"
    with_etag(response, row.version)
    return need_out(row)


@router.get("/needs", response_model=NeedPage)
async def list_needs(
    runtime: RuntimeDep, collective_id: uuid.UUID | None = None, limit: Limit = 50, cursor: Cursor = None
) -> NeedPage:
    query = select(needs).where(*([needs.c.collective_id == collective_id] if collective_id else []))
    async with runtime.sessions() as session:
        rows, next_cursor = await store.keyset_page(session, query, [needs.c.created_at, needs.c.id], cursor, limit)
    return NeedPage(items=[need_out(r) for r in rows], next_cursor=next_cursor)


@router.get("/needs/{need_id}", response_model=NeedOut)
async def get_need(need_id: uuid.UUID, runtime: RuntimeDep, response: Response) -> NeedOut:
    async with runtime.sessions() as session:
        row = await store.fetch_or_404(session, needs, "need", id=need_id)
    with_etag(response, row.version)
    return need_out(row)


@router.get("/needs/{need_id}/mix", response_model=MixOut)
async def need_mix(need_id: uuid.UUID, runtime: RuntimeDep) -> MixOut:
    """A proposed combination of eligible instruments covering the need: gifts first, then community money, then
    loans; each step explained, co-financing respected."""
    day = today()
    async with runtime.sessions() as session:
        need = await store.fetch_or_404(session, needs, "need", id=need_id)
        collective = await collective_or_404(session, need.collective_id)
        rows = (await session.execute(select(instruments).where(instruments.c.status == "open"))).all()
    names = {row.id: row.name for row in rows}
    profiles = [instrument_profile(row) for row in rows]
    considered = [p for p in profiles if could_match(collective, p, stage=need.stage)]
    candidates = [(p, evaluate(collective, p, day, need.amount_cents, need.stage, need.themes)) for p in considered]
    mix = propose_mix(need.amount_cents, need.stage, candidates)
    items = [
        MixItemOut(
            instrument_id=item.instrument_id,
            instrument_name=names[item.instrument_id],
            funder_id=item.funder_id,
            form=item.form,
            amount_cents=item.amount_cents,
            cofinancing_required_cents=item.cofinancing_required_cents,
            reasoning=item.reasoning,
        )
        for item in mix.items
    ]
    return MixOut(
        need_id=need.id,
        collective_id=need.collective_id,
        need_amount_cents=mix.need_amount_cents,
        stage=mix.stage,
        items=items,
        covered_cents=mix.covered_cents,
        own_contribution_cents=mix.own_contribution_cents,
        shortfall_cents=mix.shortfall_cents,
        complete=mix.complete,
        steps=list(mix.steps),
        considered=len(considered),
    )


__all__ = ["router"]
