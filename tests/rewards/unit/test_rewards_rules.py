import json
import re
import tomllib
from datetime import date

import pytest

from services.rewards.domain.levels import BadgeCounter
from services.rewards.domain.rules import DEFAULT_RULES_PATH, RulesError, default_rules, load_rules, parse_rules

pytestmark = pytest.mark.unit


def _raw() -> dict:
    with DEFAULT_RULES_PATH.open("rb") as file:
        return tomllib.load(file)


def test_default_rules_carry_a_version_and_the_starting_point_values():
    rules = default_rules()

    assert re.fullmatch(r"\d{4}-\d{2}-\d+", rules.version)
    assert isinstance(rules.effective_from, date)
    assert rules.points.article_published == 20
    assert rules.points.endorsement_received == 10
    assert rules.points.answer_accepted == 25
    assert rules.points.asker_bonus == 2
    assert rules.points.reuse_by_other_collective == 40
    assert rules.caps.daily_endorsement_cap > rules.points.endorsement_received
    assert rules.caps.pair_cap_per_month >= rules.points.endorsement_received


def test_levels_are_sorted_from_zero_and_badges_count_known_counters():
    rules = default_rules()

    thresholds = [level.threshold for level in rules.levels]
    assert thresholds == sorted(thresholds)
    assert thresholds[0] == 0
    assert [level.key for level in rules.levels][:2] == ["starter", "deler"]
    assert {badge.counter for badge in rules.badges} <= set(BadgeCounter)
    assert {"first_article", "ten_accepted_answers", "reused_by_five_collectives"} <= {b.key for b in rules.badges}


def test_public_dict_is_json_with_version_and_bilingual_labels():
    public = default_rules().as_public_dict()

    decoded = json.loads(json.dumps(public))
    assert decoded["version"] == default_rules().version
    assert decoded["points"]["endorsement_received"] == 10
    assert decoded["caps"]["daily_endorsement_cap"] == default_rules().caps.daily_endorsement_cap
    assert decoded["levels"][0]["label"] == {"nl": "Starter", "en": "Starter"}
    assert all(set(badge["label"]) == {"nl", "en"} for badge in decoded["badges"])


def test_load_rules_reads_another_file(tmp_path):
    text = DEFAULT_RULES_PATH.read_text(encoding="utf-8")
    text = text.replace('version = "2026-11-1"', 'version = "2027-01-2"').replace(
        "article_published = 20", "article_published = 30"
    )
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")

    rules = load_rules(path)

    assert rules.version == "2027-01-2"
    assert rules.points.article_published == 30
    assert rules.points.endorsement_received == default_rules().points.endorsement_received


def _broken(change) -> dict:
    raw = _raw()
    change(raw)
    return raw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw.update(version="v1"), "version"),
        (lambda raw: raw.pop("points"), r"\[points\]"),
        (lambda raw: raw["points"].update(endorsement_received=-5), "non-negative"),
        (lambda raw: raw["points"].update(asker_bonus=True), "non-negative int"),
        (lambda raw: raw["points"].update(bonus_for_everyone=100), "exactly"),
        (lambda raw: raw["split_among_authors"].update(article_published="yes"), "bool"),
        (lambda raw: raw["caps"].pop("pair_cap_per_month"), "exactly"),
        (lambda raw: raw["levels"].pop(0), "threshold 0"),
        (lambda raw: raw["badges"][0].update(counter="likes"), "unknown badge counter"),
        (lambda raw: raw["badges"][0].update(at_least=0), "at_least"),
        (lambda raw: raw["badges"].append(dict(raw["badges"][0])), "unique"),
    ],
)
def test_invalid_rules_are_refused_with_a_reason(change, message):
    with pytest.raises(RulesError, match=message):
        parse_rules(_broken(change))
