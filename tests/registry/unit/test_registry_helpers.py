import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.registry import store
from services.registry.api_sector import growth
from services.registry.events import collective_event, goal_set
from shared.contracts.registry import CollectiveRegistered, CollectiveState
from shared.demo import demo_id

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Dorpscoöperatie Ons Wierden (fictief)", "dorpscooperatie-ons-wierden-fictief"),
        ("Fatma Yıldız' Wijkkeuken", "fatma-yildiz-wijkkeuken"),
        ("  --  ", "collectief"),
    ],
)
def test_slugs_are_plain_ascii_words(name, slug):
    assert store.slugify(name) == slug


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_every_name_has_a_short_url_safe_slug(name):
    slug = store.slugify(name)
    assert 1 <= len(slug) <= 100
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)


def test_accents_fold_to_the_letters_people_type():
    assert store.fold_accents("Coöperatie Église Ürk") == "Cooperatie Eglise Urk"


def test_growth_runs_a_cumulative_count_per_quarter():
    quarters = growth([(date(2023, 10, 1), 2), (date(2024, 1, 1), 1), (date(2024, 7, 1), 3)])
    assert quarters == [
        {"quarter": "2023-Q4", "registered": 2, "cumulative": 2},
        {"quarter": "2024-Q1", "registered": 1, "cumulative": 3},
        {"quarter": "2024-Q3", "registered": 3, "cumulative": 6},
    ]


def collective_state(**overrides) -> SimpleNamespace:
    values = {name: None for name in CollectiveState.model_fields} | {
        "id": uuid.uuid4(),
        "slug": "zon",
        "name": "Zon (fictief)",
        "kind": "energy_cooperative",
        "legal_form": "cooperative",
        "anbi": False,
        "municipality_code": "GM0106",
        "province_code": "PV22",
        "stage": "idea",
        "themes": ["energy"],
        "description": "",
        "umbrella_ids": [],
        "status": "active",
        "version": 3,
        "contact_email": "geheim@example.org",
    }
    return SimpleNamespace(**(values | overrides))


def test_a_collective_event_carries_the_public_state_and_its_version_as_sequence():
    state = collective_state()
    pending = collective_event(CollectiveRegistered, state)
    assert (pending.subject, pending.sequence) == (state.id, 3)
    assert pending.data.collective_id == state.id
    assert "geheim@example.org" not in pending.data.model_dump_json()


def test_history_keeps_that_a_private_field_changed_but_not_its_value():
    state = collective_state()
    changes = {"contact_email": ("a@example.org", "b@example.org"), "stage": ("idea", "growth")}
    entry = store.history_entry(state, "updated", ("sub-1", "board"), changes)
    assert entry["changes"] == [
        {"field": "contact_email", "redacted": True},
        {"field": "stage", "from": "idea", "to": "growth"},
    ]
    assert (entry["version"], entry["actor"], entry["actor_role"]) == (3, "sub-1", "board")


@pytest.mark.parametrize(
    ("province", "kind", "scope_type", "scope_value"),
    [
        (None, None, "national", None),
        ("PV22", None, "province", "PV22"),
        (None, "care_cooperative", "kind", "care_cooperative"),
        ("PV22", "energy_cooperative", "kind_in_province", "energy_cooperative:PV22"),
    ],
)
def test_a_goal_names_its_scope_both_ways(province, kind, scope_type, scope_value):
    goal = SimpleNamespace(
        id=demo_id("goal", "t"),
        title="Doel",
        description="",
        umbrella_id=None,
        indicator="collectives_count",
        scope_province_code=province,
        scope_kind=kind,
        baseline_value=1,
        target_value=2,
        baseline_date=date(2024, 1, 1),
        target_date=date(2030, 1, 1),
        version=1,
    )
    data = goal_set(goal).data
    assert (data.scope_type, data.scope_value) == (scope_type, scope_value)
    assert (data.scope_province_code, data.scope_kind) == (province, kind)


def test_changed_fields_compare_values_as_json_would():
    row = SimpleNamespace(themes=["energy"], founded_on=date(2020, 1, 1), member_count=4)
    proposed = {"themes": ["energy"], "founded_on": date(2020, 1, 1), "member_count": 5}
    assert store.changed_fields(row, proposed) == {"member_count": (4, 5)}
