import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.partners.domain.matching import EVERYWHERE, Interest, Scope, event_facts, pattern_problem, wants
from shared.contracts.export import load_all_contracts

pytestmark = pytest.mark.unit

KNOWN = list(load_all_contracts())
COLLECTIVE = "nl.onderop.registry.collective.registered.v1"
INSTRUMENT = "nl.onderop.funding.instrument.published.v1"
MATCH = "nl.onderop.funding.match.found.v1"


def test_patterns_are_fnmatch_over_the_full_type():
    assert wants(Interest(("nl.onderop.funding.match.*",)), MATCH, event_facts(MATCH, {}))
    assert not wants(Interest(("nl.onderop.funding.match.*",)), INSTRUMENT, event_facts(INSTRUMENT, {}))
    assert wants(Interest(("nl.onderop.*.v1",)), COLLECTIVE, event_facts(COLLECTIVE, {}))
    assert wants(Interest((COLLECTIVE,)), COLLECTIVE, event_facts(COLLECTIVE, {}))


def test_a_pattern_must_match_a_published_type_and_use_only_allowed_characters():
    assert pattern_problem("nl.onderop.funding.match.*", KNOWN) is None
    assert "matches no event type" in pattern_problem("nl.onderop.funding.matches.*", KNOWN)
    assert "lower-case" in pattern_problem("NL.onderop.*", KNOWN)
    assert "lower-case" in pattern_problem("nl.onderop.*; DROP", KNOWN)


def test_a_collective_event_carries_its_province_and_kind():
    facts = event_facts(COLLECTIVE, {"province_code": "PV23", "kind": "energy_cooperative"})
    assert facts.provinces == Scope(frozenset({"PV23"})) and facts.collective_kinds == Scope(
        frozenset({"energy_cooperative"})
    )
    zwolle = Interest((COLLECTIVE,), provinces=frozenset({"PV23"}), collective_kinds=frozenset({"energy_cooperative"}))
    assert wants(zwolle, COLLECTIVE, facts)
    assert not wants(
        zwolle, COLLECTIVE, event_facts(COLLECTIVE, {"province_code": "PV27", "kind": "energy_cooperative"})
    )
    assert not wants(zwolle, COLLECTIVE, event_facts(COLLECTIVE, {"province_code": "PV23", "kind": "care_cooperative"}))


def test_an_event_without_the_filtered_field_does_not_pass_the_filter():
    assert not wants(Interest((MATCH,), provinces=frozenset({"PV23"})), MATCH, event_facts(MATCH, {"score": 80}))
    # a knowledge article's `kind` is the kind of article, not of collective
    article = "nl.onderop.knowledge.article.published.v1"
    assert event_facts(
        article, {"kind": "guide", "collective_kinds": ["energy_cooperative"]}
    ).collective_kinds == Scope(frozenset({"energy_cooperative"}))


def test_national_instruments_and_articles_for_every_kind_pass_every_filter():
    national = event_facts(
        INSTRUMENT, {"national": True, "provinces": [], "municipalities": [], "collective_kinds": []}
    )
    assert national.provinces == EVERYWHERE and national.collective_kinds == EVERYWHERE
    interest = Interest((INSTRUMENT,), provinces=frozenset({"PV20"}), collective_kinds=frozenset({"local_fund"}))
    assert wants(interest, INSTRUMENT, national)


def test_an_instruments_region_includes_the_provinces_of_its_municipalities():
    facts = event_facts(INSTRUMENT, {"national": False, "provinces": ["PV20"], "municipalities": ["GM0193"]})
    assert facts.provinces == Scope(frozenset({"PV20", "PV23"}))  # GM0193 Zwolle lies in Overijssel (PV23)


def test_goals_and_pools_without_a_scope_are_national():
    goal = event_facts("nl.onderop.registry.goal.set.v1", {"scope_type": "national", "scope_kind": None})
    assert goal.provinces == EVERYWHERE and goal.collective_kinds == EVERYWHERE
    pool = event_facts("nl.onderop.rewards.pool.created.v1", {"pool_id": "p", "province_code": None})
    assert pool.provinces == EVERYWHERE
    person = event_facts("nl.onderop.registry.contributor.registered.v1", {"province_code": None})
    assert person.provinces is None


@settings(max_examples=200, deadline=None)
@given(
    event_type=st.sampled_from(KNOWN),
    provinces=st.frozensets(st.sampled_from(["PV20", "PV23", "PV27"]), max_size=2),
    event_province=st.sampled_from(["PV20", "PV23", "PV27"]),
)
def test_adding_a_filter_never_lets_more_events_through(event_type, provinces, event_province):
    facts = event_facts(event_type, {"province_code": event_province})
    unfiltered = wants(Interest(("nl.onderop.*",)), event_type, facts)
    filtered = wants(Interest(("nl.onderop.*",), provinces=provinces), event_type, facts)
    assert unfiltered or not filtered
    assert filtered == (not provinces or event_province in provinces)
