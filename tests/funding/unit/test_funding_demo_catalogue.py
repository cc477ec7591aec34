import json
from datetime import date
from uuid import uuid4

import pytest

from services.funding.domain.coverage import coverage_rows
from services.funding.domain.demo_catalogue import demo_funders, demo_instruments, demo_profiles
from services.funding.domain.matching import (
    CollectiveProfile,
    FunderKind,
    InstrumentForm,
    InstrumentStatus,
    evaluate,
    open_on,
)
from shared.contracts.vocabulary import CollectiveKind, LegalForm, Stage, Theme, municipalities, provinces

pytestmark = pytest.mark.unit

SEEDED_ON = date(2026, 11, 26)


def test_every_demo_organisation_and_instrument_is_marked_fictional():
    for item in [*demo_funders(), *demo_instruments(2026)]:
        assert item.fictional
        assert "(fictief)" in item.name
    for instrument in demo_instruments(2026):
        assert "2025" in instrument.note_en
        assert "example" in instrument.note_en.lower()
        assert instrument.application_url.startswith("https://example.org/")
        assert instrument.modelled_on


def test_ids_are_unique_and_stable_and_funders_exist():
    funders, instruments = demo_funders(), demo_instruments(2026)
    assert 10 <= len(funders) <= 15
    assert 25 <= len(instruments) <= 35
    assert len({f.id for f in funders}) == len(funders)
    assert len({i.id for i in instruments}) == len(instruments)
    assert [i.id for i in demo_instruments(2030)] == [i.id for i in instruments]
    assert {i.funder_id for i in instruments} <= {f.id for f in funders}
    assert {f.kind for f in funders} == set(FunderKind)


def test_codes_and_vocabularies_are_real():
    for instrument in demo_instruments(2026):
        assert instrument.provinces <= provinces().keys()
        assert instrument.municipalities <= municipalities().keys()
        assert {str(k) for k in instrument.collective_kinds} <= {k.value for k in CollectiveKind}
        assert {str(f) for f in instrument.legal_forms} <= {f.value for f in LegalForm}
        assert {str(s) for s in instrument.stages} <= {s.value for s in Stage}
        assert {str(t) for t in instrument.themes} <= {t.value for t in Theme}
        assert instrument.national or instrument.provinces or instrument.municipalities


def test_the_catalogue_covers_the_forms_and_the_facts():
    instruments = {i.key: i for i in demo_instruments(2026)}
    assert {i.form for i in instruments.values()} == set(InstrumentForm)
    assert {i.status for i in instruments.values()} == set(InstrumentStatus)
    neighbourhood_budget = instruments["wijkbudget-veenendaal"]
    assert neighbourhood_budget.amount_max_cents == 5_000_00
    assert neighbourhood_budget.municipalities == {"GM0345"}
    provincial_match = instruments["matchfunding-zuid-holland"]
    assert (provincial_match.form, provincial_match.amount_max_cents, provincial_match.cofinancing_pct) == (
        InstrumentForm.match_funding,
        5_000_00,
        100,
    )
    development_loan = instruments["ontwikkellening-energiecooperaties"]
    assert development_loan.stages == {Stage.startup}
    assert development_loan.closes_on == date(2039, 12, 31)
    assert {"PV28", "PV26", "PV31"} <= development_loan.provinces
    assert "GM1859" in development_loan.municipalities  # Berkelland, in the Achterhoek


def test_profiles_and_dicts_are_usable():
    profiles = demo_profiles(2026)
    assert len(profiles) == len(demo_instruments(2026))
    for instrument in demo_instruments(2026):
        json.dumps(instrument.as_dict())
    json.dumps([f.as_dict() for f in demo_funders()])


def test_most_instruments_are_open_when_seeded():
    profiles = demo_profiles(SEEDED_ON.year)
    assert sum(open_on(p, SEEDED_ON) for p in profiles) >= 25


def test_a_cooperative_is_told_it_cannot_hold_anbi():
    cooperative = CollectiveProfile(
        uuid4(), CollectiveKind.care_cooperative, LegalForm.cooperative, Stage.growth, frozenset({Theme.care})
    )
    anbi_fund = next(p for p in demo_profiles(2026) if p.requires_anbi)
    result = evaluate(cooperative, anbi_fund, SEEDED_ON)
    assert not result.eligible
    assert result.criterion("anbi").reason == "anbi_excluded_for_cooperatives"


def test_startup_and_growth_collectives_of_every_kind_find_something():
    collectives = [
        CollectiveProfile(
            uuid4(),
            kind,
            LegalForm.association if kind == CollectiveKind.residents_initiative else LegalForm.cooperative,
            stage,
            municipality_code="GM0599",
            kvk_number="12345678",
            member_count=60,
        )
        for kind in CollectiveKind
        for stage in (Stage.startup, Stage.growth)
    ]
    rows = coverage_rows(collectives, demo_profiles(SEEDED_ON.year), SEEDED_ON)
    assert all(row.covered == row.collectives for row in rows), [r for r in rows if r.covered < r.collectives]
