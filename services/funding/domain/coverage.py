"""The overview for the movement: per collective kind and stage, how many collectives have a fitting instrument.

A collective is covered when at least one instrument that is open on the day is eligible for it (hard criteria only,
no particular need). Dissolved collectives are not counted. The rows show where the gaps are — the figures the
umbrella organisations take to the ministries.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date

from services.funding.domain.matching import (
    CollectiveProfile,
    CollectiveStatus,
    InstrumentProfile,
    is_eligible,
    open_on,
)
from shared.contracts.vocabulary import CollectiveKind, Stage


@dataclass(frozen=True, slots=True)
class CoverageRow:
    kind: str
    stage: str
    collectives: int
    covered: int

    @property
    def uncovered(self) -> int:
        return self.collectives - self.covered

    @property
    def share(self) -> float | None:
        """Covered share from 0 to 1, rounded to four decimals; None when there are no such collectives."""
        return round(self.covered / self.collectives, 4) if self.collectives else None

    def as_dict(self) -> dict[str, str | int | float | None]:
        return {
            "kind": self.kind,
            "stage": self.stage,
            "collectives": self.collectives,
            "covered": self.covered,
            "uncovered": self.uncovered,
            "share": self.share,
        }


def _eligibility_signature(collective: CollectiveProfile) -> Hashable:
    # Everything eligibility without a need depends on; collectives that agree on it are covered alike.
    return (
        collective.kind,
        collective.legal_form,
        collective.stage,
        collective.municipality_code,
        collective.province_code,
        collective.anbi,
        bool(collective.kvk_number),
        collective.member_count,
    )


def _order(value: str, declared: list[str]) -> tuple[int, str]:
    return (declared.index(value), "") if value in declared else (len(declared), value)


def coverage_rows(
    collectives: Iterable[CollectiveProfile],
    instruments: Iterable[InstrumentProfile],
    today: date,
    include_empty: bool = False,
) -> list[CoverageRow]:
    """Rows in vocabulary order (kind, then stage); with `include_empty`, also the kind–stage pairs with no one."""
    open_instruments = [instrument for instrument in instruments if open_on(instrument, today)]
    for_any_kind = [i for i in open_instruments if not i.collective_kinds]
    by_kind: dict[str, list[InstrumentProfile]] = {}
    for instrument in open_instruments:
        for kind in instrument.collective_kinds:
            by_kind.setdefault(str(kind), []).append(instrument)

    known: dict[Hashable, bool] = {}
    counts: dict[tuple[str, str], list[int]] = {}
    for collective in collectives:
        if collective.status != CollectiveStatus.active:
            continue
        signature = _eligibility_signature(collective)
        covered = known.get(signature)
        if covered is None:
            candidates = (*by_kind.get(str(collective.kind), ()), *for_any_kind)
            covered = any(is_eligible(collective, instrument, today) for instrument in candidates)
            known[signature] = covered
        row = counts.setdefault((str(collective.kind), str(collective.stage)), [0, 0])
        row[0] += 1
        row[1] += covered

    if include_empty:
        for kind in CollectiveKind:
            for stage in Stage:
                counts.setdefault((kind.value, stage.value), [0, 0])
    kinds = [kind.value for kind in CollectiveKind]
    stages = [stage.value for stage in Stage]
    ordered = sorted(counts.items(), key=lambda item: (_order(item[0][0], kinds), _order(item[0][1], stages)))
    return [CoverageRow(kind, stage, total, covered) for (kind, stage), (total, covered) in ordered]
