from datetime import date
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.funding.domain.matching import CollectiveProfile, InstrumentProfile, evaluate
from services.funding.domain.mix import FORM_TIERS, euros, propose_mix
from shared.contracts.vocabulary import CollectiveKind, LegalForm, Stage

pytestmark = pytest.mark.unit

TODAY = date(2026, 5, 1)
COLLECTIVE = CollectiveProfile(
    id=uuid4(),
    kind=CollectiveKind.village_cooperative,
    legal_form=LegalForm.cooperative,
    stage=Stage.startup,
    municipality_code="GM0345",
    kvk_number="12345678",
    member_count=40,
)


def offer(form: str, low: int, high: int | None, cofinancing: int = 0, name: str = "", **rules) -> InstrumentProfile:
    return InstrumentProfile(
        id=uuid4(),
        funder_id=uuid4(),
        form=form,
        national=True,
        amount_min_cents=low,
        amount_max_cents=high,
        cofinancing_pct=cofinancing,
        name=name or form,
        **rules,
    )


def candidates(need: int, *instruments: InstrumentProfile, stage: str = Stage.startup):
    return [(i, evaluate(COLLECTIVE, i, TODAY, need_amount_cents=need, need_stage=stage)) for i in instruments]


def test_grants_come_before_crowdfunding_before_loans():
    loan = offer("loan", 0, 50_000_00)
    crowd = offer("crowdfunding", 0, 3_000_00)
    grant = offer("grant", 0, 5_000_00)
    mix = propose_mix(10_000_00, Stage.startup, candidates(10_000_00, loan, crowd, grant))
    assert [item.form for item in mix.items] == ["grant", "crowdfunding", "loan"]
    assert [item.amount_cents for item in mix.items] == [5_000_00, 3_000_00, 2_000_00]
    assert mix.covered_cents == 10_000_00
    assert mix.complete
    assert "This must be repaid." in mix.items[2].reasoning


def test_within_a_group_the_better_match_goes_first():
    rolling = offer("subsidy", 0, 6_000_00, name="rolling")
    aimed = offer("grant", 0, 6_000_00, name="aimed", stages={Stage.startup})
    mix = propose_mix(8_000_00, Stage.startup, candidates(8_000_00, rolling, aimed))
    assert [item.instrument_id for item in mix.items] == [aimed.id, rolling.id]
    assert [item.amount_cents for item in mix.items] == [6_000_00, 2_000_00]


def test_an_instrument_is_skipped_when_what_is_left_is_below_its_minimum():
    grant = offer("grant", 0, 9_500_00)
    prize = offer("prize", 1_000_00, 1_000_00, name="village prize")
    crowd = offer("crowdfunding", 100_00, 5_000_00)
    mix = propose_mix(10_000_00, Stage.startup, candidates(10_000_00, grant, prize, crowd))
    assert [item.form for item in mix.items] == ["grant", "crowdfunding"]
    assert mix.items[1].amount_cents == 500_00
    assert any("village prize" in step and "below its minimum" in step for step in mix.steps)


def test_cofinancing_limits_what_one_instrument_carries():
    half = offer("grant", 0, None, cofinancing=100, name="one-to-one fund")
    mix = propose_mix(10_000_00, Stage.startup, candidates(10_000_00, half))
    (item,) = mix.items
    assert item.amount_cents == 5_000_00
    assert item.cofinancing_required_cents == 5_000_00
    assert mix.own_contribution_cents == 5_000_00
    assert mix.shortfall_cents == 0
    assert "co-financing rule" in item.reasoning


def test_other_instruments_count_as_cofinancing():
    grant = offer("grant", 0, 6_000_00, cofinancing=50)
    loan = offer("loan", 0, 10_000_00)
    mix = propose_mix(10_000_00, Stage.startup, candidates(10_000_00, grant, loan))
    assert [item.amount_cents for item in mix.items] == [6_000_00, 4_000_00]
    assert mix.items[0].cofinancing_required_cents == 3_000_00
    assert mix.own_contribution_cents == 0


def test_ineligible_and_off_stage_instruments_are_left_out_with_a_reason():
    anbi_fund = offer("grant", 0, 10_000_00, requires_anbi=True, name="ANBI fund")
    growth_loan = offer("loan", 0, 10_000_00, stages={Stage.growth}, name="growth loan")
    mix = propose_mix(10_000_00, Stage.startup, candidates(10_000_00, anbi_fund, growth_loan))
    assert mix.items == ()
    assert mix.shortfall_cents == 10_000_00
    left_out = next(step for step in mix.steps if step.startswith("Left out"))
    assert "ANBI fund" in left_out
    assert "anbi_excluded_for_cooperatives" in left_out
    assert "growth loan" in left_out
    assert "stage_not_eligible" in left_out
    assert mix.steps[-1].startswith("Shortfall: €10,000.00")


def test_instruments_not_needed_are_named():
    grant = offer("grant", 0, 10_000_00)
    loan = offer("loan", 0, 10_000_00, name="spare loan")
    mix = propose_mix(10_000_00, Stage.startup, candidates(10_000_00, grant, loan))
    assert len(mix.items) == 1
    assert any(step.startswith("Not needed") and "spare loan" in step for step in mix.steps)


def test_the_same_instrument_is_used_once():
    grant = offer("grant", 0, 1_000_00)
    pairs = candidates(5_000_00, grant)
    mix = propose_mix(5_000_00, Stage.startup, pairs + pairs)
    assert [item.amount_cents for item in mix.items] == [1_000_00]


def test_a_guarantee_is_explained_as_security_not_cash():
    guarantee = offer("guarantee", 0, 10_000_00)
    mix = propose_mix(10_000_00, Stage.startup, candidates(10_000_00, guarantee))
    assert "secures a loan" in mix.items[0].reasoning


def test_inputs_are_checked():
    grant = offer("grant", 0, 10_000_00)
    (pair,) = candidates(1_000_00, grant)
    with pytest.raises(ValueError, match="positive"):
        propose_mix(0, Stage.startup, [pair])
    other = offer("grant", 0, 10_000_00)
    with pytest.raises(ValueError, match="paired"):
        propose_mix(1_000_00, Stage.startup, [(other, pair[1])])


def test_euros_format():
    assert euros(123456789) == "€1,234,567.89"
    assert euros(5) == "€0.05"


FORMS = sorted(FORM_TIERS)


@st.composite
def offers(draw) -> InstrumentProfile:
    low = draw(st.integers(0, 20_000))
    return InstrumentProfile(
        id=UUID(int=draw(st.integers(1, 10**9))),
        funder_id=uuid4(),
        form=draw(st.sampled_from(FORMS)),
        national=True,
        stages=draw(st.frozensets(st.sampled_from(list(Stage)), max_size=2)),
        amount_min_cents=low,
        amount_max_cents=draw(st.one_of(st.none(), st.integers(max(low, 1), 60_000))),
        cofinancing_pct=draw(st.sampled_from([0, 0, 25, 50, 100])),
    )


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 100_000), st.lists(offers(), max_size=8, unique_by=lambda i: i.id), st.sampled_from(list(Stage)))
def test_a_mix_respects_ranges_cofinancing_and_order(need, instruments, stage):
    mix = propose_mix(need, stage, candidates(need, *instruments, stage=stage))
    by_id = {i.id: i for i in instruments}
    assert mix.covered_cents + mix.own_contribution_cents + mix.shortfall_cents == need
    assert min(mix.covered_cents, mix.own_contribution_cents, mix.shortfall_cents) >= 0
    assert sum(item.amount_cents for item in mix.items) == mix.covered_cents
    for item in mix.items:
        instrument = by_id[item.instrument_id]
        assert item.amount_cents >= max(instrument.amount_min_cents, 1)
        if instrument.amount_max_cents is not None:
            assert item.amount_cents <= instrument.amount_max_cents
        others = mix.covered_cents - item.amount_cents + mix.own_contribution_cents
        assert others >= item.cofinancing_required_cents
        assert not instrument.stages or stage in instrument.stages
    tiers = [FORM_TIERS[item.form] for item in mix.items]
    assert tiers == sorted(tiers)
    assert len({item.instrument_id for item in mix.items}) == len(mix.items)
