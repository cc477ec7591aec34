"""Demo data of rewards: points come from the knowledge events of the demo, so only a reward pool is seeded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from services.rewards import api, store
from services.rewards.models import pools
from shared.demo import demo_id
from shared.service import Runtime

DEMO_POOL = demo_id("pool", "pool-01")
DEMO_FUNDER = demo_id("umbrella", "umb-02")


def current_quarter(today: date) -> tuple[date, date]:
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = today.replace(month=first_month, day=1)
    following = (
        start.replace(year=start.year + 1, month=1) if first_month == 10 else start.replace(month=first_month + 3)
    )
    return start, following - timedelta(days=1)


async def seed(runtime: Runtime) -> str:
    async with runtime.transaction() as session:
        if await store.fetch(session, pools, id=DEMO_POOL) is not None:
            return "demo pool already there"
        start, end = current_quarter(datetime.now(UTC).date())
        await api.open_pool(
            session,
            runtime.outbox,
            {
                "id": DEMO_POOL,
                "name": "Kennisdelerspot Energie (fictief)",
                "amount_cents": 250_000,
                "period_start": start,
                "period_end": end,
                "theme": "energy",
                "province_code": None,
                "min_payout_cents": 1_000,
                "max_share": Decimal("0.25"),
                "funder_id": DEMO_FUNDER,
                "created_by": "demo",
            },
        )
    return f"1 reward pool (energy, {start.isoformat()} to {end.isoformat()})"
