from datetime import date
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.funding.domain.coverage import CoverageRow, coverage_rows
from services.funding.domain.matching import CollectiveProfile, InstrumentProfile, is_eligible
from shared.contracts.vocabulary import CollectiveKind, LegalForm, Stage

pytestmark = pytest.mark.unit

TODAY = date(2026, 5, 1)


def collective(kind=CollectiveKind.care_cooperative, stage=Stage.startup, **changes) -> CollectiveProfile:
    values = {"legal_form": LegalForm.cooperative, "municipality_code": "GM0345", "member_count": 30} | changes
    return CollectiveProfile(id=uuid4(), kind=kind, stage=stage, **values)


def instrument(**rules) -> InstrumentProfile:
    return InstrumentProfile(id=uuid4(), funder_id=uuid4(), form="grant", **({"national": True} | rules))


def test_counts_collectives_with_at_least_one_open_eligible_instrument():
    collectives = [
        collective(),
        collective(member_count=5),
        collective(stage=Stage.growth),
        collective(kind=CollectiveKind.energy_cooperative),
        collective(status="dissolved"),
    ]
    instruments = [
        instrument(collective_kinds={CollectiveKind.care_cooperative}, stages={Stage.startup}, min_members=10),
        instrument(collective_kinds={CollectiveKind.care_cooperative}, stages={Stage.growth}, status="closed"),
        instrument(collective_kinds={CollectiveKind.energy_cooperative}, closes_on=date(2026, 1, 1)),
    ]
    rows = coverage_rows(collectives, instruments, TODAY)
    assert rows == [
        CoverageRow("energy_cooperative", "startup", 1, 0),
        CoverageRow("care_cooperative", "startup", 2, 1),
        CoverageRow("care_cooperative", "growth", 1, 0),
    ]
    assert rows[1].share == 0.5
    assert rows[1].uncovered == 1
    assert rows[1].as_dict() == {
        "kind": "care_cooperative",
        "stage": "startup",
        "collectives": 2,
        "covered": 1,
        "uncovered": 1,
        "share": 0.5,
    }


def test_include_empty_lists_every_kind_and_stage():
    rows = coverage_rows([], [], TODAY, include_empty=True)
    assert len(rows) == len(CollectiveKind) * len(Stage)
    assert rows[0] == CoverageRow("residents_initiative", "idea", 0, 0)
    assert rows[0].share is None


def test_an_instrument_for_any_kind_covers_every_kind():
    rows = coverage_rows(
        [collective(kind=kind) for kind in CollectiveKind], [instrument(legal_forms={LegalForm.cooperative})], TODAY
    )
    assert all(row.covered == row.collectives == 1 for row in rows)


collectives = st.builds(
    collective,
    kind=st.sampled_from([CollectiveKind.care_cooperative, CollectiveKind.village_cooperative]),
    stage=st.sampled_from([Stage.startup, Stage.growth]),
    legal_form=st.sampled_from([LegalForm.cooperative, LegalForm.foundation]),
    municipality_code=st.sampled_from(["GM0345", "GM0599", None]),
    member_count=st.one_of(st.none(), st.integers(0, 40)),
    anbi=st.booleans(),
    status=st.sampled_from(["active", "dissolved"]),
)
instruments = st.builds(
    instrument,
    collective_kinds=st.frozensets(
        st.sampled_from([CollectiveKind.care_cooperative, CollectiveKind.village_cooperative])
    ),
    stages=st.frozensets(st.sampled_from([Stage.startup, Stage.growth])),
    national=st.booleans(),
    provinces=st.frozensets(st.sampled_from(["PV26", "PV28"])),
    requires_anbi=st.booleans(),
    min_members=st.one_of(st.none(), st.integers(0, 40)),
    status=st.sampled_from(["open", "closed"]),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(collectives, max_size=15), st.lists(instruments, max_size=6))
def test_coverage_equals_checking_every_pair(cs, ins):
    rows = {(row.kind, row.stage): row for row in coverage_rows(cs, ins, TODAY)}
    active = [c for c in cs if c.status == "active"]
    assert sum(row.collectives for row in rows.values()) == len(active)
    for (kind, stage), row in rows.items():
        group = [c for c in active if (c.kind, c.stage) == (kind, stage)]
        assert row.collectives == len(group)
        assert row.covered == sum(any(is_eligible(c, i, TODAY) for i in ins) for c in group)
