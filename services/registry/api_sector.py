"""The sector as a whole: vocabulary, umbrella organisations, impact reports, shared goals and statistics.
Mounted under `/registry/v1` by api.py."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import Row, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.registry import store
from services.registry.access import CurrentPrincipal, RuntimeDep, require_manager, require_role
from services.registry.domain import goals as goal_rules
from services.registry.domain.impact import INDICATORS, labelled_indicators, rollup, validate_report
from services.registry.events import goal_set, impact_reported, publish
from services.registry.models import collectives, goals, impact_reports, umbrellas
from services.registry.schemas import (
    GoalIn,
    GoalOut,
    GoalPage,
    ImpactIn,
    ImpactOut,
    ImpactPage,
    ProvinceCode,
    UmbrellaIn,
    UmbrellaOut,
    UmbrellaPage,
)
from shared.auth import Principal
from shared.contracts.vocabulary import (
    PROVINCE_NAMES_EN,
    CollectiveKind,
    LegalForm,
    MembershipRole,
    Stage,
    Theme,
    labelled,
    municipalities,
    provinces,
)
from shared.http import Cursor, Limit, Problem, conflict, etag, invalid, invalid_fields, require_if_match

router = APIRouter(tags=["sector"])

Operator = Annotated[Principal, require_role("operator")]


def today() -> date:
    return datetime.now(UTC).date()


# --- vocabulary -----------------------------------------------------------------------------------------------


STATUSES = {
    "collective_statuses": [
        {"code": "active", "nl": "actief", "en": "active"},
        {"code": "dissolved", "nl": "opgeheven", "en": "dissolved"},
    ],
    "contributor_statuses": [
        {"code": "active", "nl": "actief", "en": "active"},
        {"code": "erased", "nl": "verwijderd", "en": "erased"},
    ],
}


@router.get("/vocabulary")
async def vocabulary(runtime: RuntimeDep, response: Response) -> dict[str, Any]:
    """Every closed list the API takes, with `nl` and `en` labels, plus the regions and umbrella organisations."""
    async with runtime.sessions() as session:
        rows = (await session.execute(select(umbrellas).order_by(umbrellas.c.name))).all()
    response.headers["Cache-Control"] = "public, max-age=300"
    return {
        "kinds": labelled(CollectiveKind),
        "legal_forms": labelled(LegalForm),
        "stages": labelled(Stage),
        "themes": labelled(Theme),
        "membership_roles": labelled(MembershipRole),
        **STATUSES,
        "provinces": [
            {"code": p.code, "name": p.name, "nl": p.name, "en": PROVINCE_NAMES_EN.get(p.code, p.name)}
            | {"abbreviation": p.abbreviation}
            for p in provinces().values()
        ],
        # municipalities' names are proper names, the same in English
        "municipalities": [
            {"code": m.code, "name": m.name, "nl": m.name, "en": m.name, "province_code": m.province_code}
            for m in municipalities().values()
        ],
        "umbrellas": [{"id": str(u.id), "slug": u.slug, "name": u.name, "website": u.website} for u in rows],
        "impact_indicators": labelled_indicators(),
        "goal_indicators": goal_rules.labelled_goal_indicators(),
    }


# --- umbrellas ------------------------------------------------------------------------------------------------


@router.get("/umbrellas", response_model=UmbrellaPage)
async def list_umbrellas(runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None) -> UmbrellaPage:
    async with runtime.sessions() as session:
        rows, next_cursor = await store.keyset_page(session, select(umbrellas), [umbrellas.c.slug], cursor, limit)
    return UmbrellaPage(items=[UmbrellaOut.model_validate(r._asdict()) for r in rows], next_cursor=next_cursor)


@router.get("/umbrellas/{umbrella_id}", response_model=UmbrellaOut)
async def get_umbrella(umbrella_id: uuid.UUID, runtime: RuntimeDep) -> UmbrellaOut:
    async with runtime.sessions() as session:
        row = await store.fetch_or_404(session, umbrellas, "umbrella", id=umbrella_id)
    return UmbrellaOut.model_validate(row._asdict())


@router.post("/umbrellas", status_code=201, response_model=UmbrellaOut)
async def add_umbrella(body: UmbrellaIn, runtime: RuntimeDep, response: Response, _: Operator) -> UmbrellaOut:
    try:
        async with runtime.transaction() as session:
            row = await store.insert_row(session, umbrellas, body.model_dump() | {"id": uuid.uuid4()})
    except IntegrityError as exc:
        taken = conflict("slug-taken", f"an umbrella with slug {body.slug!r} exists")
        raise store.translate_integrity_error(exc, {"slug": taken}) from exc
    response.headers["Location"] = f"/registry/v1/umbrellas/{row.id}"
    return UmbrellaOut.model_validate(row._asdict())


# --- impact reports -------------------------------------------------------------------------------------------


def check_report(body: ImpactIn) -> None:
    if body.year > today().year:
        raise invalid("year", "figures can be reported for the current or a past year only")
    problems = validate_report(body.values)
    if problems:
        raise invalid_fields([(f"values.{code}", message) for code, message in problems])


@router.post("/collectives/{collective_id}/impact", status_code=201, response_model=ImpactOut)
async def report_impact(
    collective_id: uuid.UUID,
    body: ImpactIn,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    request: Request,
    response: Response,
) -> ImpactOut:
    """One report per collective and year (201). A second report for the same year replaces the first whole (200)
    and, like any update, needs `If-Match` with the ETag of the report it replaces (428 without, 412 when stale), so
    that two board members cannot silently overwrite each other's figures."""
    check_report(body)
    async with runtime.transaction() as session:
        collective = await store.fetch_or_404(session, collectives, "collective", id=collective_id)
        await require_manager(session, principal, collective_id)
        if collective.status != "active":
            raise conflict("collective-dissolved", f"collective {collective_id} is dissolved and can no longer change")
        existing = await store.existing_report(session, collective_id, body.year)
        if existing is None:
            report = await store.insert_report(session, collective_id, body.year, body.values, principal.sub)
            if report is None:
                raise Problem(412, "stale-version", "Precondition failed", f"the {body.year} report was just made")
        else:
            require_if_match(request, existing.version)
            report = await store.replace_report(session, existing, body.values, principal.sub)
        await publish(runtime.outbox, session, [impact_reported(report, collective)])
    response.status_code = 201 if report.version == 1 else 200
    response.headers["ETag"] = etag(report.version)
    return ImpactOut.model_validate(report._asdict())


@router.get("/collectives/{collective_id}/impact", response_model=ImpactPage)
async def list_impact(
    collective_id: uuid.UUID, runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None
) -> ImpactPage:
    """The collective's yearly reports, the latest year first."""
    query = select(impact_reports).where(impact_reports.c.collective_id == collective_id)
    async with runtime.sessions() as session:
        await store.fetch_or_404(session, collectives, "collective", id=collective_id)
        rows, next_cursor = await store.keyset_page(
            session, query, [impact_reports.c.year], cursor, limit, descending=True
        )
    return ImpactPage(items=[ImpactOut.model_validate(r._asdict()) for r in rows], next_cursor=next_cursor)


# --- shared goals ---------------------------------------------------------------------------------------------


def _number(value: Decimal | float | int) -> int | float:
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def goal_rule(goal: Mapping[str, Any]) -> goal_rules.Goal:
    return goal_rules.Goal(
        indicator=goal["indicator"],
        scope=goal_rules.Scope(goal["scope_province_code"], goal["scope_kind"]),
        baseline_value=_number(goal["baseline_value"]),
        target_value=_number(goal["target_value"]),
        baseline_date=goal["baseline_date"],
        target_date=goal["target_date"],
    )


class Figures:
    """The register and the impact reports, each loaded at most once per request and only when a goal needs it."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.register: list[goal_rules.CollectiveFigures] | None = None
        self.reports: list | None = None

    async def measure(self, goal: goal_rules.Goal) -> goal_rules.Measurement:
        if isinstance(goal.indicator, goal_rules.RegisterMeasure):
            if self.register is None:
                self.register = await store.active_collective_figures(self.session)
            return goal_rules.current_value(goal.indicator, goal.scope, self.register, [])
        if self.reports is None:
            self.reports = await store.reported_figures(self.session)
        return goal_rules.current_value(goal.indicator, goal.scope, [], self.reports)


async def goal_out(row: Row, figures: Figures) -> GoalOut:
    rule = goal_rule(row._mapping)
    measured = await figures.measure(rule)
    progress = goal_rules.progress(rule, measured.value, today())
    return GoalOut.model_validate(
        row._asdict()
        | {
            "baseline_value": rule.baseline_value,
            "target_value": rule.target_value,
            "scope_label": {"nl": rule.scope.label("nl"), "en": rule.scope.label("en")},
            "progress": {
                "as_of": today(),
                "current_value": progress.current_value,
                "measured_year": measured.year,
                "percentage": progress.percentage,
                "expected_percentage": progress.expected_percentage,
                "on_track": progress.on_track,
                "reached": progress.reached,
            },
        }
    )


def counted_in_whole_units(indicator: goal_rules.GoalIndicator) -> bool:
    return isinstance(indicator, goal_rules.RegisterMeasure) or INDICATORS[indicator].integer


def checked_goal(body: GoalIn) -> dict[str, Any]:
    values = body.model_dump()
    try:
        rule = goal_rule(values)
    except ValueError as exc:
        raise invalid_fields([("body", str(exc))]) from exc
    if counted_in_whole_units(rule.indicator):
        fractional = [name for name in ("baseline_value", "target_value") if values[name] != int(values[name])]
        if fractional:
            raise invalid_fields([(name, f"{body.indicator} is counted in whole units") for name in fractional])
    return values


@router.post("/goals", status_code=201, response_model=GoalOut)
async def set_goal(body: GoalIn, principal: Operator, runtime: RuntimeDep, response: Response) -> GoalOut:
    """Operators record the goals that umbrella organisations agreed with ministries."""
    values = checked_goal(body) | {"id": uuid.uuid4(), "created_by": principal.sub}
    async with runtime.transaction() as session:
        if body.umbrella_id and await store.missing_umbrellas(session, [body.umbrella_id]):
            raise invalid("umbrella_id", f"unknown umbrella {body.umbrella_id}")
        row = await store.insert_row(session, goals, values)
        await publish(runtime.outbox, session, [goal_set(row)])
        out = await goal_out(row, Figures(session))
    response.headers["Location"] = f"/registry/v1/goals/{row.id}"
    return out


@router.get("/goals", response_model=GoalPage)
async def list_goals(runtime: RuntimeDep, limit: Limit = 50, cursor: Cursor = None) -> GoalPage:
    """Every goal with its progress, computed now from the register and the impact reports."""
    async with runtime.sessions() as session:
        rows, next_cursor = await store.keyset_page(
            session, select(goals), [goals.c.created_at, goals.c.id], cursor, limit
        )
        figures = Figures(session)
        items = [await goal_out(row, figures) for row in rows]
    return GoalPage(items=items, next_cursor=next_cursor)


@router.get("/goals/{goal_id}", response_model=GoalOut)
async def get_goal(goal_id: uuid.UUID, runtime: RuntimeDep) -> GoalOut:
    async with runtime.sessions() as session:
        row = await store.fetch_or_404(session, goals, "goal", id=goal_id)
        return await goal_out(row, Figures(session))


# --- sector statistics ----------------------------------------------------------------------------------------


def _quarter(moment: date) -> str:
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def growth(foundings: Iterable[tuple[date, int]]) -> list[dict[str, Any]]:
    total = 0
    quarters = []
    for start, count in foundings:
        total += count
        quarters.append({"quarter": _quarter(start), "registered": count, "cumulative": total})
    return quarters


def tally(rows: list[Row], field: str, vocabulary: Iterable[str]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for row in rows:
        counts[getattr(row, field)] += row.collectives
    return {code: counts.get(code, 0) for code in vocabulary}


def national_totals(reports: list) -> dict[int, dict[str, int | float]]:
    totals = rollup(("all", None, r.year, r.values) for r in reports)
    return totals.get("all", {}).get(None, {})


@router.get("/stats")
async def sector_statistics(
    runtime: RuntimeDep, kind: CollectiveKind | None = None, province: ProvinceCode | None = None
) -> dict[str, Any]:
    """The figures the movement brings to ministries. Counts, members and volunteers are of active collectives;
    growth counts every registered collective (dissolved ones too) by the quarter it was founded in (the date of
    registration when the founding date is unknown); impact sums every report, per kind → province → year."""
    conditions = store.collective_filters(kind=kind, province=province)
    async with runtime.sessions() as session:
        register = await store.register_figures(session, conditions)
        themes = await store.theme_counts(session, conditions)
        foundings = await store.foundings_per_quarter(session, conditions)
        reports = await store.reported_figures(session, conditions)
    return {
        "filters": {"kind": kind, "province": province},
        "active_collectives": sum(row.collectives for row in register),
        "members_total": sum(row.members for row in register),
        "volunteers_total": sum(row.volunteers for row in register),
        "by_kind": tally(register, "kind", [k.value for k in CollectiveKind]),
        "by_province": tally(register, "province_code", list(provinces())),
        "by_stage": tally(register, "stage", [s.value for s in Stage]),
        "by_theme": {theme.value: themes.get(theme.value, 0) for theme in Theme},
        "growth": {"basis": "founded_on, else the registration date", "quarters": growth(foundings)},
        "impact": {
            "by_kind_province_year": rollup(reports),
            "totals_by_year": national_totals(reports),
        },
        "generated_at": datetime.now(UTC).isoformat(),
    }
