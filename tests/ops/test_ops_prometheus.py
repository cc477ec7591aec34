"""Prometheus: the scrape config and the alert rules parse, name only exported metrics, and fire when they should."""

from __future__ import annotations

import re

import pytest
from ops_support import DEPLOY, REPO, SERVICES, check_query, run, tool

pytestmark = pytest.mark.unit

yaml = pytest.importorskip("yaml", reason="the YAML checks need PyYAML (pyyaml==6.0.3)")

PROMETHEUS = DEPLOY / "prometheus"


def rules() -> list[dict]:
    document = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def heading_anchors(markdown: str) -> set[str]:
    """GitHub's anchors: lower case, punctuation dropped, spaces to hyphens."""
    anchors = set()
    for line in markdown.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


def test_alert_rules_are_complete_and_documented() -> None:
    document = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text(encoding="utf-8"))
    assert document["groups"]
    assert all(group["name"] and group["rules"] for group in document["groups"])
    anchors = heading_anchors((REPO / "docs" / "operations.md").read_text(encoding="utf-8"))
    names = [rule["alert"] for rule in rules()]
    assert len(names) == len(set(names)), "duplicate alert names"
    for rule in rules():
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations", "keep_firing_for"}, rule["alert"]
        assert re.fullmatch(r"\d+[smh]", rule["for"]), rule["alert"]
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        runbook = rule["annotations"]["runbook"]
        assert runbook.startswith("docs/operations.md#"), rule["alert"]
        assert runbook.split("#", 1)[1] in anchors, f"{rule['alert']}: no heading for {runbook}"


def test_alert_rules_use_only_exported_metrics_and_labels() -> None:
    problems = []
    for rule in rules():
        problems += check_query(rule["expr"], rule["alert"])
    assert not problems, "\n".join(problems)


def test_the_alerts_the_design_asks_for_exist() -> None:
    exprs = {rule["alert"]: rule["expr"] for rule in rules()}
    joined = "\n".join(exprs.values())
    for needed in (
        "onderop_ready",
        "up{",
        'onderop_http_requests_total{status=~"5.."}',
        "histogram_quantile(0.99",
        "onderop_outbox_backlog",
        "onderop_outbox_oldest_unpublished_seconds",
        "onderop_consumer_group_lag",
        "onderop_consumer_group_pending",
        "onderop_dlq_length",
    ):
        assert needed in joined, f"no alert uses {needed}"
    absent = exprs["OnderopServiceAbsent"]
    assert all(f'component="{service}"' in absent for service in SERVICES)


def test_promtool_accepts_the_rules_and_they_fire_as_the_unit_tests_expect() -> None:
    promtool = tool("promtool", "Debian's prometheus package")
    checked = run([promtool, "check", "rules", str(PROMETHEUS / "alerts.yml")])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = run([promtool, "test", "rules", "alerts.test.yml"], cwd=PROMETHEUS)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_scrape_config_finds_every_service_and_loads_the_rules() -> None:
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text(encoding="utf-8"))
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]
    job = next(j for j in config["scrape_configs"] if j["job_name"] == "onderop")
    assert job.get("metrics_path", "/metrics") == "/metrics"
    discovery = job["dns_sd_configs"][0]
    assert set(SERVICES) <= set(discovery["names"])
    assert discovery["port"] == 8000
    # Dashboards and alerts group by `component`: it must come from the DNS name.
    assert {"source_labels": ["__meta_dns_name"], "target_label": "component"} in job["relabel_configs"]


def test_promtool_accepts_the_scrape_config() -> None:
    promtool = tool("promtool", "Debian's prometheus package")
    checked = run([promtool, "check", "config", "--syntax-only", str(PROMETHEUS / "prometheus.yml")])
    assert checked.returncode == 0, checked.stdout + checked.stderr
