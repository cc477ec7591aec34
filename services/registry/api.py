"""Registry HTTP routes: parse → decide → write with the outbox → commit once → respond."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from services.registry.models import collectives, platform
from services.registry.schemas import CollectiveIn, CollectiveOut
from shared.auth import CurrentPrincipal
from shared.contracts.registry import CollectiveRegistered
from shared.contracts.vocabulary import province_of
from shared.http import Problem, conflict, etag, not_found
from shared.service import RuntimeDep

router = APIRouter(prefix="/registry/v1", tags=["registry"])


def collective_event_state(row) -> dict:
    return {
        "collective_id": row.id,
        **{
            k: getattr(row, k)
            for k in (
                "slug",
                "name",
                "kind",
                "legal_form",
                "kvk_number",
                "anbi",
                "municipality_code",
                "province_code",
                "postcode",
                "founded_on",
                "stage",
                "member_count",
                "volunteer_count",
                "themes",
                "description",
                "website",
                "status",
                "version",
            )
        },
    }


@router.post("/collectives", status_code=201, response_model=CollectiveOut)
async def register_collective(
    body: CollectiveIn, principal: CurrentPrincipal, runtime: RuntimeDep, response: Response
) -> CollectiveOut:
    if body.legal_form == "informal" and body.kvk_number:
        raise Problem(
            422,
            "validation-error",
            "Invalid request",
            "an informal collective has no KvK number",
            errors=[{"field": "kvk_number", "message": "must be empty for an informal collective"}],
        )
    collective_id = uuid.uuid4()
    values = body.model_dump(mode="json") | {
        "id": collective_id,
        "slug": f"{body.name.lower().replace(' ', '-')[:100]}-{collective_id.hex[:6]}",
        "province_code": province_of(body.municipality_code),
        "founded_on": body.founded_on,
        "version": 1,
    }
    try:
        async with runtime.transaction() as session:
            row = (await session.execute(insert(collectives).values(values).returning(collectives))).one()
            await runtime.outbox.add(
                session,
                CollectiveRegistered(**collective_event_state(row)),
                subject=collective_id,
                sequence=row.version,
            )
    except IntegrityError as exc:
        if "kvk_number" in str(exc.orig):
            raise conflict(
                "duplicate-kvk-number", f"a collective with KvK number {body.kvk_number} is registered"
            ) from exc
        raise
    response.headers["Location"] = f"/registry/v1/collectives/{collective_id}"
    response.headers["ETag"] = etag(row.version)
    return CollectiveOut.model_validate(row, from_attributes=True)


@router.get("/collectives/{collective_id}", response_model=CollectiveOut)
async def get_collective(collective_id: uuid.UUID, runtime: RuntimeDep, response: Response) -> CollectiveOut:
    async with runtime.sessions() as session:
        row = (await session.execute(select(collectives).where(collectives.c.id == collective_id))).first()
    if row is None:
        raise not_found("collective", collective_id)
    response.headers["ETag"] = etag(row.version)
    return CollectiveOut.model_validate(row, from_attributes=True)


__all__ = ["platform", "router"]
