"""Grafana dashboards: valid JSON, generated from the code, and every query names metrics and labels that exist."""

from __future__ import annotations

import json

import pytest
from ops_support import (
    DEPLOY,
    REPO,
    SERVICES,
    catalogue,
    check_query,
    dashboards_builder,
    from_grafana,
    kit_metrics,
    promql_parser,
    service_infos,
)

pytestmark = pytest.mark.unit

DASHBOARDS = DEPLOY / "grafana" / "dashboards"


def dashboards() -> dict[str, dict]:
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(DASHBOARDS.glob("*.json"))}


def queries(board: dict) -> list[tuple[str, str]]:
    return [
        (f"{board['uid']} / {panel['title']}", target["expr"])
        for panel in board["panels"]
        for target in panel.get("targets", [])
    ]


def test_there_is_an_overview_and_one_dashboard_per_service() -> None:
    names = set(dashboards())
    services = {s.name for s in service_infos()}
    assert services >= set(SERVICES)
    assert names == {"overview.json"} | {f"{s}.json" for s in services}


def test_committed_dashboards_are_what_the_generator_makes() -> None:
    rendered = dashboards_builder().render_all(REPO)
    stale = [name for name, content in rendered.items() if (DASHBOARDS / name).read_text(encoding="utf-8") != content]
    assert not stale, f"run `python deploy/grafana/build_dashboards.py` (out of date: {stale})"


def test_dashboards_are_well_formed() -> None:
    uids = set()
    for name, board in dashboards().items():
        assert board["uid"] not in uids, name
        uids.add(board["uid"])
        assert board["title"].startswith("Onderop"), name
        ids = [panel["id"] for panel in board["panels"]]
        assert len(ids) == len(set(ids)), f"{name}: duplicate panel ids"
        cells: set[tuple[int, int]] = set()
        for panel in board["panels"]:
            grid = panel["gridPos"]
            assert grid["x"] >= 0, f"{name}: {panel['title']} leaves the grid"
            assert grid["x"] + grid["w"] <= 24, f"{name}: {panel['title']} leaves the grid"
            area = {
                (x, y) for x in range(grid["x"], grid["x"] + grid["w"]) for y in range(grid["y"], grid["y"] + grid["h"])
            }
            assert not cells & area, f"{name}: {panel['title']} overlaps another panel"
            cells |= area
            for target in panel.get("targets", []):
                assert target["datasource"] == {"type": "prometheus", "uid": "prometheus"}, name
                assert target["expr"].strip(), f"{name}: {panel['title']} has an empty query"


def test_every_query_uses_metrics_and_labels_the_code_exports() -> None:
    problems = []
    for board in dashboards().values():
        for where, expr in queries(board):
            problems += check_query(from_grafana(expr), where)
    assert not problems, "\n".join(problems)


def test_the_overview_shows_traffic_errors_latency_event_flow_lag_outbox_and_dlq() -> None:
    board = dashboards()["overview.json"]
    used = {name for _, expr in queries(board) for name in catalogue() if name in expr}
    required = {
        "onderop_http_requests_total",
        "onderop_http_request_duration_seconds_bucket",
        "onderop_outbox_published_total",
        "onderop_events_consumed_total",
        "onderop_consumer_group_lag",
        "onderop_consumer_group_pending",
        "onderop_outbox_backlog",
        "onderop_outbox_oldest_unpublished_seconds",
        "onderop_dlq_length",
        "onderop_ready",
    }
    assert required <= used, f"missing from the overview: {sorted(required - used)}"
    assert any('status=~"5.."' in expr for _, expr in queries(board)), "no server-error panel"


def test_every_platform_metric_appears_on_some_dashboard() -> None:
    text = "\n".join(expr for board in dashboards().values() for _, expr in queries(board))
    unused = [name.removesuffix("_total") for name in kit_metrics() if name.removesuffix("_total") not in text]
    assert not unused, f"platform metrics on no dashboard: {unused}"


def test_each_service_dashboard_shows_its_business_figures_or_says_they_are_missing() -> None:
    boards = dashboards()
    for service in service_infos():
        board = boards[f"{service.name}.json"]
        exprs = "\n".join(expr for _, expr in queries(board))
        for metric in service.metrics:
            assert metric.name in exprs, f"{service.name}: no panel for {metric.name}"
        if not service.metrics:
            notes = [p for p in board["panels"] if p["type"] == "text"]
            assert notes
            assert "no `onderop_" in notes[0]["options"]["content"]
        if service.consumes:
            assert f'consumer="{service.name}"' in exprs
            assert f'group="{service.name}"' in exprs


def test_the_query_check_catches_typos_wrong_labels_and_bad_syntax() -> None:
    assert check_query("rate(onderop_http_request_total[5m])", "typo")  # found textually, parser or not
    if promql_parser() is None:
        pytest.skip("label and syntax checks need promql-parser==0.11.0")
    assert check_query('onderop_dlq_length{service="knowledge"}', "label") == [
        "label: onderop_dlq_length has no label 'service'"
    ]
    assert check_query("max by (service) (onderop_consumer_group_lag)", "by")
    assert check_query("sum(rate(onderop_outbox_published_total[5m])", "syntax")
    assert check_query('max by (group) (onderop_consumer_group_lag{stream=~".*:events:registry"})', "fine") == []
