"""A financing mix: which eligible instruments, for how much, together cover a collective's need.

The proposal is greedy and explains every step. Gifts come first (grants, subsidies, prizes, in-kind support),
then money raised from the community (match funding, crowdfunding, member capital, community bonds), then money
that must be repaid or secured (loans, revolving funds, guarantees); within each group the better match comes first.

Co-financing: an instrument with `cofinancing_pct = p` that contributes `a` needs at least `ceil(a * p / 100)` from
other sources towards the same need — the other instruments in the mix or, failing those, the collective's own
contribution. So one instrument never takes more than `floor(need * 100 / (100 + p))`, which always leaves room for
its co-financing inside the need. Afterwards, `own_contribution_cents` is the least the collective must bring itself
so that every item's co-financing is met, and `covered + own_contribution + shortfall == need` always holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from services.funding.domain.matching import InstrumentForm, InstrumentProfile, MatchResult
from shared.contracts.vocabulary import LABELS, Stage

FORM_TIERS: dict[str, int] = {
    InstrumentForm.grant: 0,
    InstrumentForm.subsidy: 0,
    InstrumentForm.prize: 0,
    InstrumentForm.in_kind: 0,
    InstrumentForm.match_funding: 1,
    InstrumentForm.crowdfunding: 1,
    InstrumentForm.member_capital: 1,
    InstrumentForm.community_bonds: 1,
    InstrumentForm.loan: 2,
    InstrumentForm.revolving_fund: 2,
    InstrumentForm.guarantee: 2,
}
TIER_NAMES = (
    "grants, subsidies, prizes and in-kind support",
    "match funding, crowdfunding, member capital and community bonds",
    "loans, revolving funds and guarantees",
)


@dataclass(frozen=True, slots=True)
class MixItem:
    instrument_id: UUID
    funder_id: UUID
    form: str
    amount_cents: int
    cofinancing_required_cents: int
    reasoning: str


@dataclass(frozen=True, slots=True)
class Mix:
    need_amount_cents: int
    stage: str
    items: tuple[MixItem, ...]
    covered_cents: int
    own_contribution_cents: int
    shortfall_cents: int
    steps: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.shortfall_cents == 0


def euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}€{whole:,}.{rest:02d}"


def _stage_label(stage: str) -> str:
    labels = LABELS[Stage].get(str(stage))
    return labels[1] if labels else str(stage)


def _order_key(candidate: tuple[InstrumentProfile, MatchResult]) -> tuple[int, int, int, int, str]:
    instrument, result = candidate
    largest = instrument.amount_max_cents if instrument.amount_max_cents is not None else 1 << 62
    return (
        FORM_TIERS.get(instrument.form, len(TIER_NAMES)),
        -result.score,
        instrument.cofinancing_pct,
        -largest,
        str(instrument.id),
    )


def _describe(instrument: InstrumentProfile, result: MatchResult) -> str:
    return f"{instrument.label} ({instrument.form}, score {result.score})"


def _why_ineligible(result: MatchResult) -> str:
    return ", ".join(c.reason for c in result.unmet) or "not eligible"


def propose_mix(
    need_amount_cents: int,
    stage: str,
    candidates: Iterable[tuple[InstrumentProfile, MatchResult]],
) -> Mix:
    """Candidates are instruments with their match for this need (ideally evaluated with its amount and stage)."""
    if need_amount_cents <= 0:
        raise ValueError("need_amount_cents must be positive")
    seen: set[UUID] = set()
    ordered: list[tuple[InstrumentProfile, MatchResult]] = []
    for instrument, result in candidates:
        if result.instrument_id != instrument.id:
            raise ValueError(f"match result for {result.instrument_id} paired with instrument {instrument.id}")
        if instrument.id not in seen:
            seen.add(instrument.id)
            ordered.append((instrument, result))
    ordered.sort(key=_order_key)

    need = need_amount_cents
    steps = [
        f"Need: {euros(need)} at stage {_stage_label(stage)}.",
        f"Order: first {TIER_NAMES[0]}; then {TIER_NAMES[1]}; then {TIER_NAMES[2]}; "
        "within each group the best match first.",
    ]
    ineligible = [f"{_describe(i, r)}: {_why_ineligible(r)}" for i, r in ordered if not r.eligible]
    if ineligible:
        steps.append(f"Left out, not eligible: {'; '.join(ineligible)}.")
    taken: list[tuple[InstrumentProfile, int, str]] = []
    not_needed: list[str] = []
    remaining = need
    for instrument, result in ordered:
        if not result.eligible:
            continue
        name = _describe(instrument, result)
        if instrument.stages and stage not in instrument.stages:
            steps.append(f"Skipped {name}: not meant for stage {_stage_label(stage)}.")
            continue
        if remaining == 0:
            not_needed.append(name)
            continue
        share = instrument.largest_share(need)
        amount = min(share, remaining)
        if amount < instrument.amount_min_cents or amount <= 0:
            steps.append(
                f"Skipped {name}: it could add {euros(amount)}, below its minimum of "
                f"{euros(instrument.amount_min_cents)}."
            )
            continue
        if amount == remaining:
            limit = f"the remaining {euros(remaining)}"
        elif instrument.amount_max_cents is not None and share == instrument.amount_max_cents:
            limit = f"its maximum of {euros(instrument.amount_max_cents)}"
        else:
            limit = (
                f"its co-financing rule: {instrument.cofinancing_pct}% of its amount must come from elsewhere, "
                f"so it carries at most {euros(share)} of {euros(need)}"
            )
        reasoning = f"{euros(amount)} from {name}, limited by {limit}."
        if instrument.cofinancing_pct:
            reasoning += (
                f" Requires {euros(instrument.cofinancing_required(amount))} co-financing "
                f"({instrument.cofinancing_pct}% of its amount)."
            )
        if instrument.form == InstrumentForm.guarantee:
            reasoning += " A guarantee pays nothing itself: it secures a loan of this size from a lender."
        elif FORM_TIERS.get(instrument.form) == 2:
            reasoning += " This must be repaid."
        taken.append((instrument, amount, reasoning))
        remaining -= amount
        steps.append(f"Took {reasoning}")
    if not_needed:
        steps.append(f"Not needed once the need was covered: {'; '.join(not_needed)}.")

    covered = need - remaining
    items = []
    own_contribution = 0
    for instrument, amount, reasoning in taken:
        required = instrument.cofinancing_required(amount)
        own_contribution = max(own_contribution, required - (covered - amount))
        items.append(MixItem(instrument.id, instrument.funder_id, str(instrument.form), amount, required, reasoning))
    shortfall = remaining - own_contribution

    if not items:
        steps.append("No eligible instrument can contribute to this need.")
    if own_contribution:
        steps.append(
            f"Own contribution: {euros(own_contribution)}, so that every instrument's co-financing is met by "
            "money from other sources."
        )
    if shortfall:
        steps.append(f"Shortfall: {euros(shortfall)} is not covered by any instrument.")
    else:
        steps.append(f"Covered: {euros(covered)} from instruments and {euros(own_contribution)} own contribution.")
    return Mix(need, str(stage), tuple(items), covered, own_contribution, shortfall, tuple(steps))
