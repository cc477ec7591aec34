import json
import time
from dataclasses import replace
from datetime import date, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.funding.domain.matching import (
    HARD_CRITERIA,
    REASONS,
    SOFT_CRITERIA,
    UNKNOWN_PENALTY,
    CollectiveProfile,
    InstrumentProfile,
    MatchResult,
    Outcome,
    could_match,
    evaluate,
    explain,
    is_eligible,
    open_on,
    rank,
    verdict,
    verdicts_for_collective,
    verdicts_for_instrument,
)
from shared.contracts.vocabulary import CollectiveKind, LegalForm, Stage, Theme

pytestmark = pytest.mark.unit

TODAY = date(2026, 5, 1)
UTRECHT_CITY, VEENENDAAL, ROTTERDAM, LEEUWARDEN = "GM0344", "GM0345", "GM0599", "GM0080"
UTRECHT, ZUID_HOLLAND, FRYSLAN = "PV26", "PV28", "PV21"


def collective(**changes) -> CollectiveProfile:
    base = CollectiveProfile(
        id=uuid4(),
        kind=CollectiveKind.energy_cooperative,
        legal_form=LegalForm.cooperative,
        stage=Stage.startup,
        themes=frozenset({Theme.energy, Theme.liveability}),
        municipality_code=UTRECHT_CITY,
        kvk_number="12345678",
        member_count=80,
    )
    return replace(base, **changes)


def instrument(**changes) -> InstrumentProfile:
    base = InstrumentProfile(id=uuid4(), funder_id=uuid4(), form="grant", national=True)
    return replace(base, **changes)


def criterion(result: MatchResult, name: str):
    found = result.criterion(name)
    assert found is not None, name
    return found


def outcome_of(name: str, c: CollectiveProfile, i: InstrumentProfile, **need) -> tuple[Outcome, str]:
    found = criterion(evaluate(c, i, TODAY, **need), name)
    return found.outcome, found.reason


# --- hard criteria, one by one ---------------------------------------------------------------------------------


def test_an_open_national_instrument_without_rules_fits_an_active_collective():
    result = evaluate(collective(), instrument(), TODAY)
    assert result.eligible
    assert [c.name for c in result.criteria if c.hard] == [n for n in HARD_CRITERIA if n != "amount_range"]
    assert all(c.outcome is Outcome.met for c in result.criteria if c.hard)


def test_a_dissolved_collective_matches_nothing():
    result = evaluate(collective(status="dissolved"), instrument(), TODAY)
    assert not result.eligible
    assert criterion(result, "collective_active").reason == "collective_not_active"


@pytest.mark.parametrize(
    ("status", "opens_on", "closes_on", "reason"),
    [
        ("open", None, None, "window_open"),
        ("open", TODAY, TODAY, "window_open"),
        ("open", TODAY + timedelta(days=1), None, "window_not_yet_open"),
        ("open", None, TODAY - timedelta(days=1), "window_closed"),
        ("closed", None, None, "instrument_closed"),
        ("draft", None, None, "instrument_not_published"),
    ],
)
def test_open_window(status, opens_on, closes_on, reason):
    i = instrument(status=status, opens_on=opens_on, closes_on=closes_on)
    outcome, found = outcome_of("open_window", collective(), i)
    assert found == reason
    assert (outcome is Outcome.met) == (reason == "window_open")
    assert open_on(i, TODAY) == (reason == "window_open")


def test_kind():
    assert outcome_of("kind", collective(), instrument()) == (Outcome.met, "any_kind")
    allowed = instrument(collective_kinds={CollectiveKind.energy_cooperative})
    assert outcome_of("kind", collective(), allowed) == (Outcome.met, "kind_eligible")
    other = instrument(collective_kinds={CollectiveKind.care_cooperative, CollectiveKind.village_cooperative})
    result = evaluate(collective(), other, TODAY)
    kind = criterion(result, "kind")
    assert (kind.outcome, kind.reason) == (Outcome.unmet, "kind_not_eligible")
    assert kind.expected == ["care_cooperative", "village_cooperative"]
    assert kind.actual == "energy_cooperative"
    assert not result.eligible


def test_legal_form():
    assert outcome_of("legal_form", collective(), instrument()) == (Outcome.met, "any_legal_form")
    foundations = instrument(legal_forms={LegalForm.foundation, LegalForm.association})
    assert outcome_of("legal_form", collective(), foundations) == (Outcome.unmet, "legal_form_not_eligible")
    assert outcome_of("legal_form", collective(legal_form=LegalForm.foundation), foundations) == (
        Outcome.met,
        "legal_form_eligible",
    )


def test_stage_uses_the_need_stage_when_given():
    startup_only = instrument(stages={Stage.startup})
    assert outcome_of("stage", collective(), startup_only) == (Outcome.met, "stage_eligible")
    assert outcome_of("stage", collective(), startup_only, need_stage=Stage.growth) == (
        Outcome.unmet,
        "stage_not_eligible",
    )
    assert outcome_of("stage", collective(), instrument()) == (Outcome.met, "any_stage")


@pytest.mark.parametrize(
    ("changes", "municipality", "province", "expected"),
    [
        ({"national": True}, LEEUWARDEN, None, (Outcome.met, "national")),
        (
            {"national": False, "municipalities": {UTRECHT_CITY}},
            UTRECHT_CITY,
            None,
            (Outcome.met, "municipality_in_area"),
        ),
        ({"national": False, "provinces": {UTRECHT}}, VEENENDAAL, None, (Outcome.met, "province_in_area")),
        ({"national": False, "provinces": {ZUID_HOLLAND}}, UTRECHT_CITY, None, (Outcome.unmet, "outside_area")),
        ({"national": False, "municipalities": {VEENENDAAL}}, UTRECHT_CITY, None, (Outcome.unmet, "outside_area")),
        ({"national": False, "provinces": {UTRECHT}}, None, None, (Outcome.unknown, "collective_location_unknown")),
        (
            {"national": False, "municipalities": {VEENENDAAL}},
            None,
            UTRECHT,
            (Outcome.unknown, "collective_municipality_unknown"),
        ),
        ({"national": False, "municipalities": {ROTTERDAM}}, None, UTRECHT, (Outcome.unmet, "outside_area")),
        ({"national": False}, UTRECHT_CITY, None, (Outcome.unmet, "instrument_area_missing")),
    ],
)
def test_region(changes, municipality, province, expected):
    c = collective(municipality_code=municipality, province_code=province)
    assert outcome_of("region", c, instrument(**changes)) == expected


def test_the_province_follows_from_the_municipality():
    assert collective(municipality_code=VEENENDAAL, province_code=None).province_code == UTRECHT
    assert collective(municipality_code=None, province_code=None).province_code is None


def test_anbi_required_and_held():
    anbi = instrument(requires_anbi=True)
    foundation = collective(legal_form=LegalForm.foundation, anbi=True)
    assert outcome_of("anbi", foundation, anbi) == (Outcome.met, "anbi_registered")
    assert outcome_of("anbi", replace(foundation, anbi=False), anbi) == (Outcome.unmet, "anbi_required")
    assert outcome_of("anbi", foundation, instrument()) == (Outcome.met, "anbi_not_required")


def test_an_instrument_requiring_anbi_never_fits_a_cooperative_and_says_why():
    # Dutch tax law (AWR art. 5b) does not grant ANBI status to cooperatives, whatever the profile claims.
    anbi = instrument(requires_anbi=True)
    for claims_anbi in (False, True):
        result = evaluate(collective(legal_form=LegalForm.cooperative, anbi=claims_anbi), anbi, TODAY)
        assert not result.eligible
        assert criterion(result, "anbi").reason == "anbi_excluded_for_cooperatives"
        assert not could_match(collective(legal_form=LegalForm.cooperative, anbi=claims_anbi), anbi)
    assert "cooperatives" in REASONS["anbi_excluded_for_cooperatives"][1]


def test_kvk():
    kvk = instrument(requires_kvk=True)
    assert outcome_of("kvk", collective(), kvk) == (Outcome.met, "kvk_registered")
    assert outcome_of("kvk", collective(kvk_number=None), kvk) == (Outcome.unknown, "kvk_number_unknown")
    informal = collective(legal_form=LegalForm.informal, kvk_number=None)
    assert outcome_of("kvk", informal, kvk) == (Outcome.unmet, "kvk_required_informal_group")
    assert outcome_of("kvk", informal, instrument()) == (Outcome.met, "kvk_not_required")


def test_members():
    twenty = instrument(min_members=20)
    assert outcome_of("members", collective(member_count=20), twenty) == (Outcome.met, "enough_members")
    assert outcome_of("members", collective(member_count=19), twenty) == (Outcome.unmet, "too_few_members")
    assert outcome_of("members", collective(member_count=None), twenty) == (Outcome.unknown, "member_count_unknown")
    assert outcome_of("members", collective(member_count=None), instrument()) == (Outcome.met, "no_minimum_members")


def test_amount_range_only_when_a_need_amount_is_given():
    ranged = instrument(amount_min_cents=1_000_00, amount_max_cents=5_000_00)
    assert evaluate(collective(), ranged, TODAY).criterion("amount_range") is None
    assert outcome_of("amount_range", collective(), ranged, need_amount_cents=3_000_00) == (
        Outcome.met,
        "need_within_range",
    )
    assert outcome_of("amount_range", collective(), ranged, need_amount_cents=999_99) == (
        Outcome.unmet,
        "need_below_minimum",
    )
    # Above the maximum the instrument still helps: it covers part and the financing mix adds the rest.
    assert outcome_of("amount_range", collective(), ranged, need_amount_cents=20_000_00) == (
        Outcome.met,
        "need_above_maximum_partial",
    )


def test_amount_range_counts_the_cofinancing_the_minimum_requires():
    half = instrument(amount_min_cents=1_000_00, amount_max_cents=5_000_00, cofinancing_pct=50)
    assert outcome_of("amount_range", collective(), half, need_amount_cents=1_499_99) == (
        Outcome.unmet,
        "need_below_minimum_with_cofinancing",
    )
    assert outcome_of("amount_range", collective(), half, need_amount_cents=1_500_00)[0] is Outcome.met


def test_unknown_data_does_not_make_a_collective_ineligible_but_costs_points():
    rules = instrument(requires_kvk=True, min_members=10)
    complete = evaluate(collective(), rules, TODAY)
    incomplete = evaluate(collective(kvk_number=None, member_count=None), rules, TODAY)
    assert complete.eligible
    assert incomplete.eligible
    assert [c.name for c in incomplete.unknown] == ["kvk", "members"]
    assert incomplete.score == complete.score - 2 * UNKNOWN_PENALTY


# --- soft criteria and the score -------------------------------------------------------------------------------


def test_soft_criteria_are_listed_with_a_fit():
    result = evaluate(collective(), instrument(), TODAY, need_amount_cents=1_000_00)
    soft = [c for c in result.criteria if not c.hard]
    assert [c.name for c in soft] == list(SOFT_CRITERIA)
    assert all(c.fit is not None and 0 <= c.fit <= 100 for c in soft)


def test_theme_overlap_scores_higher_than_any_theme_higher_than_no_overlap():
    scores = {
        label: evaluate(collective(), instrument(themes=themes), TODAY).score
        for label, themes in {
            "overlap": {Theme.energy},
            "any": frozenset(),
            "none": {Theme.culture},
        }.items()
    }
    assert scores["overlap"] > scores["any"] > scores["none"]
    assert outcome_of("theme_overlap", collective(), instrument(themes={Theme.culture})) == (
        Outcome.unmet,
        "no_theme_overlap",
    )
    assert outcome_of("theme_overlap", collective(themes=frozenset()), instrument(themes={Theme.energy})) == (
        Outcome.unknown,
        "collective_themes_unknown",
    )


def test_need_themes_replace_the_collective_themes():
    care = instrument(themes={Theme.care})
    assert criterion(evaluate(collective(), care, TODAY), "theme_overlap").outcome is Outcome.unmet
    assert criterion(evaluate(collective(), care, TODAY, need_themes=["care"]), "theme_overlap").outcome is Outcome.met


def test_an_instrument_aimed_at_the_stage_scores_higher_than_a_general_one():
    aimed = evaluate(collective(), instrument(stages={Stage.startup}), TODAY)
    broad = evaluate(collective(), instrument(stages={Stage.startup, Stage.growth, Stage.established}), TODAY)
    general = evaluate(collective(), instrument(), TODAY)
    assert aimed.score > broad.score > general.score
    assert criterion(aimed, "stage_fit").reason == "stage_targeted"


def test_stage_fit_weighs_more_for_startup_and_growth():
    def gain(stage: str) -> int:
        c = collective(stage=stage)
        return evaluate(c, instrument(stages={stage}), TODAY).score - evaluate(c, instrument(), TODAY).score

    assert gain(Stage.startup) > gain(Stage.established)
    assert gain(Stage.growth) > gain(Stage.idea)


def test_amount_fit_prefers_an_instrument_that_covers_the_whole_need():
    whole = evaluate(collective(), instrument(amount_max_cents=10_000_00), TODAY, need_amount_cents=10_000_00)
    part = evaluate(collective(), instrument(amount_max_cents=2_500_00), TODAY, need_amount_cents=10_000_00)
    assert criterion(whole, "amount_fit").fit == 100
    assert criterion(part, "amount_fit").fit == 25
    assert criterion(part, "amount_fit").reason == "covers_part_of_need"
    assert whole.score > part.score


@pytest.mark.parametrize(
    ("days", "reason"),
    [(7, "deadline_very_close"), (45, "deadline_approaching"), (200, "deadline_later"), (800, "deadline_far")],
)
def test_deadline_proximity(days, reason):
    result = evaluate(collective(), instrument(closes_on=TODAY + timedelta(days=days)), TODAY)
    assert criterion(result, "deadline").reason == reason
    rolling = evaluate(collective(), instrument(), TODAY)
    assert criterion(rolling, "deadline").reason == "rolling"
    if reason == "deadline_approaching":
        assert result.score > rolling.score


def test_an_ineligible_pair_still_gets_a_score_and_ranks_after_eligible_ones():
    weak = evaluate(collective(), instrument(themes={Theme.culture}), TODAY)
    strong_but_out = evaluate(collective(), instrument(themes={Theme.energy}, requires_anbi=True), TODAY)
    assert not strong_but_out.eligible
    assert strong_but_out.score > weak.score
    assert rank([strong_but_out, weak]) == [weak, strong_but_out]


def test_rank_orders_by_score_then_id():
    c = collective()
    results = [
        evaluate(c, instrument(id=UUID(int=n), themes=themes), TODAY)
        for n, themes in enumerate([{Theme.culture}, {Theme.energy}, {Theme.energy}])
    ]
    ranked = rank(results)
    assert [r.score for r in ranked] == sorted((r.score for r in results), reverse=True)
    assert ranked[0].instrument_id == UUID(int=1)


def test_explanations_are_json_friendly_and_every_reason_has_words():
    i = instrument(
        national=False,
        provinces={UTRECHT, ZUID_HOLLAND},
        municipalities={LEEUWARDEN},
        collective_kinds={CollectiveKind.energy_cooperative},
        stages={Stage.startup},
        opens_on=date(2026, 1, 1),
        closes_on=date(2026, 12, 31),
        amount_min_cents=100,
        amount_max_cents=10_000,
    )
    result = evaluate(collective(), i, TODAY, need_amount_cents=5_000)
    as_json = json.loads(json.dumps(result.as_dict()))
    assert as_json["eligible"] is True
    region = next(c for c in as_json["criteria"] if c["name"] == "region")
    assert region["expected"]["provinces"] == ["PV26", "PV28"]
    window = next(c for c in as_json["criteria"] if c["name"] == "open_window")
    assert window["expected"]["closes_on"] == "2026-12-31"
    assert all(c.reason in REASONS for c in result.criteria)


def test_explain_gives_sentences_for_what_is_missing():
    result = evaluate(collective(member_count=None), instrument(min_members=5, requires_anbi=True), TODAY)
    sentences = explain(result)
    assert len(sentences) == 2
    assert "cooperatives" in sentences[0]
    assert explain(result, "nl")[1] == REASONS["member_count_unknown"][0]


def test_invalid_profiles_are_refused():
    with pytest.raises(ValueError, match="cofinancing"):
        instrument(cofinancing_pct=120)
    with pytest.raises(ValueError, match="amount_max"):
        instrument(amount_min_cents=500, amount_max_cents=100)
    with pytest.raises(ValueError, match="closes_on"):
        instrument(opens_on=TODAY, closes_on=TODAY - timedelta(days=1))
    with pytest.raises(ValueError, match="need_amount"):
        evaluate(collective(), instrument(), TODAY, need_amount_cents=0)


# --- properties: the fast paths agree with the full explanation ------------------------------------------------

MUNICIPALITIES = [UTRECHT_CITY, VEENENDAAL, ROTTERDAM, LEEUWARDEN, None]
PROVINCES = [UTRECHT, ZUID_HOLLAND, FRYSLAN]


def subsets(values) -> st.SearchStrategy[frozenset]:
    # "Any" (the empty set) half of the time, so that eligible pairs are common enough to test.
    return st.one_of(st.just(frozenset()), st.frozensets(st.sampled_from(list(values)), min_size=1, max_size=3))


def mostly(value: bool) -> st.SearchStrategy[bool]:
    return st.sampled_from([value, value, value, not value])


collectives = st.builds(
    CollectiveProfile,
    id=st.uuids(),
    kind=st.sampled_from([CollectiveKind.energy_cooperative, CollectiveKind.care_cooperative]),
    legal_form=st.sampled_from(list(LegalForm)),
    stage=st.sampled_from(list(Stage)),
    themes=subsets([Theme.energy, Theme.care, Theme.culture]),
    municipality_code=st.sampled_from(MUNICIPALITIES),
    province_code=st.sampled_from([None, *PROVINCES]),
    anbi=st.booleans(),
    kvk_number=st.sampled_from([None, "12345678"]),
    member_count=st.one_of(st.none(), st.integers(0, 60)),
    status=st.sampled_from(["active", "active", "dissolved"]),
)


@st.composite
def instruments(draw) -> InstrumentProfile:
    amount_min = draw(st.integers(0, 5_000))
    opens_on = draw(st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2026, 8, 1))))
    closes_on = draw(st.one_of(st.none(), st.dates(opens_on or date(2026, 1, 1), date(2028, 1, 1))))
    return InstrumentProfile(
        id=draw(st.uuids()),
        funder_id=uuid4(),
        form=draw(st.sampled_from(["grant", "loan", "crowdfunding"])),
        status=draw(st.sampled_from(["open", "open", "open", "closed", "draft"])),
        collective_kinds=draw(subsets([CollectiveKind.energy_cooperative, CollectiveKind.care_cooperative])),
        legal_forms=draw(subsets(LegalForm)),
        stages=draw(subsets(Stage)),
        themes=draw(subsets([Theme.energy, Theme.care, Theme.culture])),
        national=draw(mostly(True)),
        provinces=draw(subsets(PROVINCES)),
        municipalities=draw(subsets([m for m in MUNICIPALITIES if m])),
        requires_anbi=draw(mostly(False)),
        requires_kvk=draw(mostly(False)),
        min_members=draw(st.one_of(st.none(), st.integers(0, 50))),
        amount_min_cents=amount_min,
        amount_max_cents=draw(st.one_of(st.none(), st.integers(max(amount_min, 1), 20_000))),
        cofinancing_pct=draw(st.integers(0, 100)),
        opens_on=opens_on,
        closes_on=closes_on,
    )


needs = st.one_of(st.none(), st.integers(1, 30_000))
days = st.dates(date(2025, 12, 1), date(2028, 2, 1))


@settings(max_examples=200, deadline=None)
@given(collectives, instruments(), days, needs, st.one_of(st.none(), st.sampled_from(list(Stage))))
def test_verdict_and_is_eligible_agree_with_evaluate(c, i, today, need, stage):
    full = evaluate(c, i, today, need_amount_cents=need, need_stage=stage)
    assert verdict(c, i, today, need_amount_cents=need, need_stage=stage) == (full.eligible, full.score)
    assert is_eligible(c, i, today, need_amount_cents=need, need_stage=stage) == full.eligible
    assert 0 <= full.score <= 100
    assert full.eligible == all(x.outcome is not Outcome.unmet for x in full.criteria if x.hard)
    assert all(x.reason in REASONS for x in full.criteria)
    json.dumps(full.as_dict())


@settings(max_examples=200, deadline=None)
@given(collectives, instruments(), days, needs)
def test_could_match_never_rejects_an_eligible_pair(c, i, today, need):
    if not could_match(c, i):
        assert not evaluate(c, i, today, need_amount_cents=need).eligible


@settings(max_examples=50, deadline=None)
@given(st.lists(collectives, max_size=8), st.lists(instruments(), max_size=8), days)
def test_bulk_rematching_equals_one_by_one(cs, ins, today):
    for c in cs:
        expected = {i.id: verdict(c, i, today) for i in ins if could_match(c, i)}
        assert verdicts_for_collective(c, ins, today) == expected
    for i in ins:
        expected = {c.id: verdict(c, i, today) for c in cs if could_match(c, i)}
        assert verdicts_for_instrument(i, cs, today) == expected


def test_rematching_one_collective_against_many_instruments_stays_cheap():
    many = [instrument(themes={Theme.energy}, stages={Stage.startup}, min_members=5) for _ in range(5_000)]
    c = collective()
    started = time.perf_counter()
    found = verdicts_for_collective(c, many, TODAY)
    elapsed = time.perf_counter() - started
    assert len(found) == 5_000
    assert all(v.eligible for v in found.values())
    assert elapsed < 0.5  # generous for slow CI; the service's benchmark holds the real 20 ms target
