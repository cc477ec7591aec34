from collections import Counter
from datetime import date

import pytest

from services.registry import demo_data
from services.registry.domain.goals import CollectiveFigures, Goal, Scope, current_value, progress
from services.registry.domain.impact import ReportedFigures, validate_report
from services.registry.domain.validation import (
    check_collective_consistency,
    check_municipality,
    normalise_kvk,
    normalise_postcode,
)
from shared.contracts.vocabulary import CollectiveKind, MembershipRole, Stage, Theme, province_of, provinces

pytestmark = pytest.mark.unit

COLLECTIVES = demo_data.collectives()
CONTRIBUTORS = demo_data.contributors()
MEMBERSHIPS = demo_data.memberships()
REPORTS = demo_data.impact_reports()
UMBRELLAS = demo_data.umbrellas()
GOALS = demo_data.goals()


def test_demo_data_is_the_same_on_every_call() -> None:
    assert demo_data.collectives() == COLLECTIVES
    assert demo_data.memberships() == MEMBERSHIPS
    assert demo_data.impact_reports() == REPORTS
    assert demo_data.goals() == GOALS


def test_every_kind_and_every_stage_is_present() -> None:
    assert {c["kind"] for c in COLLECTIVES} == set(CollectiveKind)
    assert {c["stage"] for c in COLLECTIVES} == set(Stage)


def test_all_twelve_provinces_are_covered() -> None:
    assert {province_of(c["municipality_code"]) for c in COLLECTIVES} == set(provinces())
    assert all(c["province_code"] == province_of(c["municipality_code"]) for c in COLLECTIVES)


def test_sizes_are_as_promised() -> None:
    assert 50 <= len(COLLECTIVES) <= 70
    assert 35 <= len(CONTRIBUTORS) <= 45
    assert 6 <= len(UMBRELLAS) <= 10
    assert len(GOALS) == 3


def test_keys_slugs_kvk_numbers_and_emails_are_unique() -> None:
    for records, field in [
        (COLLECTIVES, "key"),
        (COLLECTIVES, "slug"),
        (CONTRIBUTORS, "key"),
        (CONTRIBUTORS, "email"),
        (UMBRELLAS, "key"),
        (UMBRELLAS, "slug"),
    ]:
        values = [record[field] for record in records]
        assert len(values) == len(set(values)), field
    kvk_numbers = [c["kvk_number"] for c in COLLECTIVES if c["kvk_number"]]
    assert len(kvk_numbers) == len(set(kvk_numbers))


def test_identifiers_and_codes_are_valid_and_already_canonical() -> None:
    for collective in COLLECTIVES:
        if collective["kvk_number"] is not None:
            assert normalise_kvk(collective["kvk_number"]) == collective["kvk_number"]
            assert collective["kvk_number"].startswith("9")
        assert normalise_postcode(collective["postcode"]) == collective["postcode"]
        assert check_municipality(collective["municipality_code"]) == collective["municipality_code"]
    for person in CONTRIBUTORS:
        assert check_municipality(person["municipality_code"]) == person["municipality_code"]


def test_legal_form_kvk_and_anbi_are_consistent() -> None:
    for collective in COLLECTIVES:
        assert (
            check_collective_consistency(collective["legal_form"], collective["kvk_number"], collective["anbi"]) == []
        )
    assert not any(c["anbi"] for c in COLLECTIVES if c["legal_form"] == "cooperative")
    assert all(c["kvk_number"] is None for c in COLLECTIVES if c["legal_form"] == "informal")
    assert all(c["legal_form"] in {"foundation", "association"} for c in COLLECTIVES if c["anbi"])
    assert all(c["kvk_number"] for c in COLLECTIVES if c["legal_form"] != "informal")


def test_legal_forms_fit_the_kind() -> None:
    forms = {c["kind"]: set() for c in COLLECTIVES}
    for collective in COLLECTIVES:
        forms[collective["kind"]].add(collective["legal_form"])
    assert forms["energy_cooperative"] == {"cooperative"}
    assert forms["local_fund"] == {"foundation"}
    assert forms["residents_initiative"] == {"informal"}


def test_invented_organisations_are_marked_fictional_and_use_reserved_domains() -> None:
    assert all(record["name"].endswith("(fictief)") for record in [*COLLECTIVES, *UMBRELLAS])
    websites = [c["website"] for c in COLLECTIVES if c["website"]] + [u["website"] for u in UMBRELLAS]
    assert all(site.startswith("https://") and site.endswith(".example.org") for site in websites)
    assert all(c["contact_email"].endswith(".example.org") for c in COLLECTIVES)
    assert all(p["email"].endswith("@example.org") and p["email"].isascii() for p in CONTRIBUTORS)


def test_collective_fields_are_plausible() -> None:
    umbrella_keys = {u["key"] for u in UMBRELLAS}
    for collective in COLLECTIVES:
        assert collective["member_count"] >= 0
        assert collective["volunteer_count"] > 0
        assert collective["themes"]
        assert set(collective["themes"]) <= set(Theme)
        assert date(1900, 1, 1) < collective["founded_on"] <= date(2025, 12, 31)
        assert set(collective["umbrella_keys"]) <= umbrella_keys
        assert 1 <= collective["description"].count(".") <= 3


def test_every_collective_has_exactly_one_coordinator() -> None:
    coordinators = Counter(m["collective_key"] for m in MEMBERSHIPS if m["role"] == MembershipRole.coordinator)
    assert set(coordinators) == {c["key"] for c in COLLECTIVES}
    assert set(coordinators.values()) == {1}


def test_memberships_refer_to_known_records_once_per_pair() -> None:
    collective_keys = {c["key"] for c in COLLECTIVES}
    contributor_keys = {p["key"] for p in CONTRIBUTORS}
    pairs = [(m["collective_key"], m["contributor_key"]) for m in MEMBERSHIPS]
    assert len(pairs) == len(set(pairs))
    assert all(c in collective_keys and p in contributor_keys for c, p in pairs)
    assert {m["role"] for m in MEMBERSHIPS} == set(MembershipRole)


def test_everyone_takes_part_and_some_people_serve_several_collectives() -> None:
    per_person = Counter(m["contributor_key"] for m in MEMBERSHIPS)
    assert set(per_person) == {p["key"] for p in CONTRIBUTORS}
    assert sum(1 for count in per_person.values() if count > 1) >= 5


def test_impact_reports_are_valid_and_cover_most_collectives() -> None:
    founded = {c["key"]: c["founded_on"] for c in COLLECTIVES}
    for report in REPORTS:
        assert validate_report(report["values"]) == []
        assert report["year"] in {2024, 2025}
        assert founded[report["collective_key"]].year <= report["year"]
    reporting = {r["collective_key"] for r in REPORTS}
    assert len(reporting) >= 0.75 * len(COLLECTIVES)
    assert {r["year"] for r in REPORTS} == {2024, 2025}


def test_goals_are_measurable_and_show_progress_on_the_demo_data() -> None:
    by_key = {c["key"]: c for c in COLLECTIVES}
    figures = [
        CollectiveFigures(c["kind"], c["province_code"], c["member_count"], c["volunteer_count"]) for c in COLLECTIVES
    ]
    reports = [
        ReportedFigures(
            by_key[r["collective_key"]]["kind"], by_key[r["collective_key"]]["province_code"], r["year"], r["values"]
        )
        for r in REPORTS
    ]
    assert {g["umbrella_key"] for g in GOALS} <= {u["key"] for u in UMBRELLAS}
    for record in GOALS:
        scope = Scope(record["scope_province_code"], record["scope_kind"])
        goal = Goal(
            record["indicator"],
            scope,
            record["baseline_value"],
            record["target_value"],
            record["baseline_date"],
            record["target_date"],
        )
        measured = current_value(goal.indicator, scope, figures, reports)
        result = progress(goal, measured.value, date(2026, 1, 1))
        assert 0 < result.percentage < 100, record["key"]
