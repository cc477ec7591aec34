"""Against a running service: /metrics exports every metric the dashboards and alerts query, with those labels."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from ops_support import DEPLOY, MetricInfo, business_metrics, catalogue, from_grafana, metric_tokens
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import running_service

pytestmark = pytest.mark.integration

yaml = pytest.importorskip("yaml", reason="reading the alert rules needs PyYAML (pyyaml==6.0.3)")


def queried_metrics() -> set[str]:
    exprs = [
        from_grafana(target["expr"])
        for path in (DEPLOY / "grafana" / "dashboards").glob("*.json")
        for panel in json.loads(path.read_text())["panels"]
        for target in panel.get("targets", [])
    ]
    alerts = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    exprs += [rule["expr"] for group in alerts["groups"] for rule in group["rules"]]
    return {name for expr in exprs for name in metric_tokens(expr)}


def exported(text: str) -> dict[str, MetricInfo]:
    types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", text, re.MULTILINE))
    found = {}
    for family in text_string_to_metric_families(text):
        labels = frozenset(label for sample in family.samples for label in sample.labels) - {"le"}
        kind = types.get(family.name) or types.get(f"{family.name}_total") or family.type
        name = family.name + ("_total" if kind == "counter" else "")
        info = MetricInfo(name, kind, labels, "/metrics")
        found |= dict.fromkeys(info.series_names(), info)
    return found


async def scrape_until(client, ready: callable, timeout: float = 15.0) -> str:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        text = (await client.get("/metrics")).text
        if ready(text) or asyncio.get_running_loop().time() > deadline:
            return text
        await asyncio.sleep(0.2)


async def test_registry_exports_what_dashboards_and_alerts_query(settings) -> None:
    async with running_service("registry", settings) as client:
        assert (await client.get("/readyz")).status_code == 200
        assert (await client.get("/registry/v1/collectives")).status_code == 200
        text = await scrape_until(client, lambda t: 'onderop_outbox_backlog{service="registry"}' in t)
    live = exported(text)
    # Other services' business metrics are exported by their own processes; this one runs only registry.
    elsewhere = {n for n, i in business_metrics().items() if not i.source.endswith("/registry")}
    expected = {name for name in queried_metrics() if name not in elsewhere}
    missing = sorted(name for name in expected if name not in live)
    assert not missing, f"queried but not exported by a running service: {missing}"
    compared = 0
    for name in expected:
        declared, seen = catalogue()[name], live[name]
        if seen.labels:  # a labelled metric without children shows no labels yet
            assert seen.labels == declared.labels, f"{name}: exported with {seen.labels}, expected {declared.labels}"
            compared += 1
    assert compared >= 6, "too few metrics had samples to compare their labels"
    assert 'onderop_ready{service="registry"} 1.0' in text
    assert re.search(r'onderop_http_requests_total\{[^}]*route="/registry/v1/collectives"[^}]*status="200"', text)
