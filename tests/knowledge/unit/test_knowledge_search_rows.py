import pytest

from services.knowledge import store

pytestmark = pytest.mark.unit


def test_facet_masks_are_split_into_values_and_hits_keep_their_rank():
    energy, care = store.THEME_BITS["energy"], store.THEME_BITS["care"]
    rows = [
        ("hit", None, 2, '{"id": "b"}'),
        ("hit", None, 1, '{"id": "a"}'),
        ("total", None, 5, None),
        ("kind", "guide", 3, None),
        ("kind", "tool", 2, None),
        ("themes_mask", str(energy | care), 2, None),
        ("themes_mask", str(energy), 3, None),
        ("stages_mask", "0", 5, None),
    ]
    result = store.parse_search_rows(rows)
    assert [hit["id"] for hit in result.hits] == ["a", "b"]
    assert result.total == 5
    assert result.facets["kind"] == {"guide": 3, "tool": 2}
    assert result.facets["theme"] == {"energy": 5, "care": 2}
    assert result.facets["stage"] == {}


def test_every_filter_is_a_bound_parameter():
    filters = store.SearchFilters(
        kind="guide", theme="energy", collective_kind="local_fund", stage="idea", language="nl"
    )
    sql = store.search_sql(filters, True)
    params = store.search_params(filters, "energie", "energie", 20, 0)
    assert "guide" not in sql and "energie" not in sql
    assert params["theme_bit"] == store.THEME_BITS["energy"] and "q_en" not in params
    assert "websearch_to_tsquery('dutch', :q)" in sql


def test_masks_have_one_bit_per_value():
    assert store.mask(["energy", "care"], store.THEME_BITS) == store.THEME_BITS["energy"] | store.THEME_BITS["care"]
    assert len(set(store.THEME_BITS.values())) == len(store.THEME_BITS)
