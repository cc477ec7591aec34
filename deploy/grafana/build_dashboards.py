"""Writes the Grafana dashboards of deploy/grafana/dashboards/ from what the code exports.

    python deploy/grafana/build_dashboards.py           regenerate the JSON files
    python deploy/grafana/build_dashboards.py --check   exit 1 when a committed file differs (tests/ops runs this)

Dashboards are generated rather than hand-edited so that every service gets the same panels, and so that a
business metric a service adds (a `Gauge("onderop_<service>_…")` or `Counter(…)` in services/<service>/*.py) gets
its panel on that service's dashboard at the next run. Only the standard library is used; nothing is imported from
the project, so the script also runs where its dependencies are not installed.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "dashboards"
DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
CORE_SERVICES = ("registry", "knowledge", "rewards", "funding")
# Probes and scrapes hit every replica all the time; they are not traffic.
TRAFFIC = 'route!~"/metrics|/healthz|/readyz"'
RATE = "$__rate_interval"


@dataclass(frozen=True)
class BusinessMetric:
    name: str
    kind: str  # "gauge" or "counter"
    help: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class ServiceInfo:
    name: str
    consumes: tuple[str, ...]
    metrics: tuple[BusinessMetric, ...]


def _string_tuple(node: ast.AST | None) -> tuple[str, ...]:
    if isinstance(node, ast.Tuple | ast.List):
        return tuple(e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return ()


def discover(root: Path = ROOT) -> list[ServiceInfo]:
    """The services of this checkout (the four of the design, then any other with an app.py, e.g. partners)."""
    services_dir = root / "services"
    names = list(CORE_SERVICES) + sorted(
        p.parent.name for p in services_dir.glob("*/app.py") if p.parent.name not in CORE_SERVICES
    )
    return [_service_info(services_dir / name, name) for name in names]


def _service_info(package: Path, name: str) -> ServiceInfo:
    consumes: tuple[str, ...] = ()
    metrics: dict[str, BusinessMetric] = {}
    for source in sorted(package.glob("*.py")):
        try:
            tree = ast.parse(source.read_text(encoding="utf-8"))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if callee == "ServiceSpec":
                for keyword in node.keywords:
                    if keyword.arg == "consumes":
                        consumes = _string_tuple(keyword.value)
            if callee in ("Gauge", "Counter") and len(node.args) >= 2:
                metric_name, help_text = (a.value if isinstance(a, ast.Constant) else None for a in node.args[:2])
                if isinstance(metric_name, str) and metric_name.startswith(f"onderop_{name}_"):
                    labels = _string_tuple(node.args[2]) if len(node.args) > 2 else ()
                    for keyword in node.keywords:
                        if keyword.arg == "labelnames":
                            labels = _string_tuple(keyword.value)
                    metrics[metric_name] = BusinessMetric(metric_name, callee.lower(), str(help_text or ""), labels)
    return ServiceInfo(name, consumes, tuple(metrics[k] for k in sorted(metrics)))


# --- panels -------------------------------------------------------------------------------------------------------


def target(expr: str, legend: str = "", ref: str = "A") -> dict:
    return {"refId": ref, "datasource": DATASOURCE, "expr": expr, "legendFormat": legend or "__auto"}


def timeseries(title: str, targets: list[dict], unit: str = "short", description: str = "", stack: bool = False):
    return {
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "fieldConfig": {
            "defaults": {
                "unit": unit,
                "min": 0,
                "custom": {"fillOpacity": 10, "stacking": {"mode": "normal" if stack else "none"}},
            },
            "overrides": [],
        },
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}, "tooltip": {"mode": "multi"}},
        "targets": targets,
    }


def stat(title: str, targets: list[dict], description: str = "", red_above: float | None = None, unit="short"):
    steps = [{"color": "green", "value": None}]
    if red_above is not None:
        steps.append({"color": "red", "value": red_above})
    return {
        "type": "stat",
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "fieldConfig": {
            "defaults": {"unit": unit, "thresholds": {"mode": "absolute", "steps": steps}},
            "overrides": [],
        },
        "options": {
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "colorMode": "background",
            "graphMode": "none",
            "textMode": "value_and_name",
        },
        "targets": targets,
    }


def text(title: str, content: str) -> dict:
    return {"type": "text", "title": title, "options": {"mode": "markdown", "content": content}}


def row(title: str) -> dict:
    return {"type": "row", "title": title, "collapsed": False, "panels": []}


def latency(selector: str, by: str, quantiles=(0.5, 0.95, 0.99)) -> list[dict]:
    return [
        target(
            f"histogram_quantile({q}, sum by ({by}, le) "
            f"(rate(onderop_http_request_duration_seconds_bucket{{{selector}}}[{RATE}])))",
            f"p{round(q * 100)} {{{{{by}}}}}" if "," not in by else f"p{round(q * 100)}",
            chr(ord("A") + i),
        )
        for i, q in enumerate(quantiles)
    ]


def layout(sections: list[tuple[dict, list[dict]]]) -> list[dict]:
    """Rows of full-width headers followed by their panels, two or three to a line."""
    panels: list[dict] = []
    y = 0
    for header, items in sections:
        panels.append(dict(header, gridPos={"h": 1, "w": 24, "x": 0, "y": y}))
        y += 1
        per_line = 3 if len(items) % 3 == 0 else 2
        width = 24 // per_line
        for start in range(0, len(items), per_line):
            line = items[start : start + per_line]
            # Stat panels alone on a line stay low; beside graphs they take the line's height.
            height = max(4 if i["type"] == "stat" else (5 if i["type"] == "text" else 8) for i in line)
            for column, item in enumerate(line):
                panels.append(dict(item, gridPos={"h": height, "w": width, "x": column * width, "y": y}))
            y += height
    return [dict(panel, id=number) for number, panel in enumerate(panels, start=1)]


def dashboard(uid: str, title: str, description: str, sections: list[tuple[dict, list[dict]]]) -> dict:
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["onderop"],
        "editable": False,
        "graphTooltip": 1,
        "refresh": "30s",
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": "now-3h", "to": "now"},
        "timezone": "browser",
        "annotations": {"list": []},
        "templating": {"list": []},
        "links": [
            {"type": "dashboards", "tags": ["onderop"], "asDropdown": True, "title": "Onderop", "includeVars": False}
        ],
        "panels": layout(sections),
    }


# --- dashboards ---------------------------------------------------------------------------------------------------


def overview() -> dict:
    services = (
        row("Services"),
        [
            stat(
                "Ready replicas",
                [target("sum by (service) (onderop_ready)", "{{service}}")],
                "Processes whose last readiness check passed (onderop_ready).",
            ),
            stat(
                "Scraped processes up",
                [target('sum by (component) (up{job="onderop"})', "{{component}}")],
                "Processes Prometheus reaches, per service.",
            ),
            stat(
                "Dead-lettered events",
                [target("max by (consumer) (onderop_dlq_length)", "{{consumer}}")],
                "Entries in onderop:dlq:<consumer>; drain with `onderop dlq list|show|replay|purge <consumer>`.",
                red_above=1,
            ),
        ],
    )
    http = (
        row("HTTP"),
        [
            timeseries(
                "Requests per second",
                [target(f"sum by (service) (rate(onderop_http_requests_total{{{TRAFFIC}}}[{RATE}]))", "{{service}}")],
                "reqps",
                stack=True,
            ),
            timeseries(
                "Server errors (5xx share)",
                [
                    target(
                        f'sum by (service) (rate(onderop_http_requests_total{{status=~"5..", {TRAFFIC}}}[{RATE}])) '
                        f"/ sum by (service) (rate(onderop_http_requests_total{{{TRAFFIC}}}[{RATE}]))",
                        "{{service}}",
                    )
                ],
                "percentunit",
            ),
            timeseries(
                "Client errors (4xx per second)",
                [
                    target(
                        "sum by (service, status) "
                        f'(rate(onderop_http_requests_total{{status=~"4..", {TRAFFIC}}}[{RATE}]))',
                        "{{service}} {{status}}",
                    )
                ],
                "reqps",
            ),
            timeseries("Latency p99 per service", latency(TRAFFIC, "service", (0.99,)), "s"),
            timeseries("Latency p95 per service", latency(TRAFFIC, "service", (0.95,)), "s"),
            timeseries("Latency p50 per service", latency(TRAFFIC, "service", (0.5,)), "s"),
        ],
    )
    events = (
        row("Event flow"),
        [
            timeseries(
                "Published events per second (per producing stream)",
                [target(f"sum by (service) (rate(onderop_outbox_published_total[{RATE}]))", "{{service}}")],
                "ops",
                "Events the outbox relay of each service appended to onderop:events:<service>.",
            ),
            timeseries(
                "Consumed events per second (per consumer and stream)",
                [
                    target(
                        "sum by (consumer, stream) "
                        f'(rate(onderop_events_consumed_total{{outcome="processed"}}[{RATE}]))',
                        "{{consumer}} ← {{stream}}",
                    )
                ],
                "ops",
            ),
            timeseries(
                "Consumer outcomes",
                [
                    target(
                        f"sum by (consumer, outcome) (rate(onderop_events_consumed_total[{RATE}]))",
                        "{{consumer}} {{outcome}}",
                    )
                ],
                "ops",
                "processed, duplicate (inbox already had it), ignored (no handler), failed (will be redelivered), "
                "dead_lettered.",
            ),
            timeseries(
                "Consumer-group lag",
                [target("max by (stream, group) (onderop_consumer_group_lag)", "{{group}} ← {{stream}}")],
                description="Entries not yet delivered to the group (XINFO GROUPS lag). KEDA scales on this.",
            ),
            timeseries(
                "Pending (delivered, not acknowledged)",
                [target("max by (stream, group) (onderop_consumer_group_pending)", "{{group}} ← {{stream}}")],
            ),
            timeseries("Stream length", [target("max by (stream) (onderop_stream_length)", "{{stream}}")], "short"),
            timeseries(
                "Handler time p95 (FastStream)",
                [
                    target(
                        "histogram_quantile(0.95, sum by (app_name, le) "
                        f"(rate(faststream_received_processed_messages_duration_seconds_bucket[{RATE}])))",
                        "{{app_name}}",
                    )
                ],
                "s",
            ),
            timeseries(
                "Handler exceptions (FastStream)",
                [
                    target(
                        "sum by (app_name, exception_type) "
                        f"(rate(faststream_received_processed_messages_exceptions_total[{RATE}]))",
                        "{{app_name}} {{exception_type}}",
                    )
                ],
                "ops",
            ),
        ],
    )
    outbox = (
        row("Outbox and dead letters"),
        [
            timeseries("Outbox backlog", [target("max by (service) (onderop_outbox_backlog)", "{{service}}")]),
            timeseries(
                "Oldest unpublished event",
                [target("max by (service) (onderop_outbox_oldest_unpublished_seconds)", "{{service}}")],
                "s",
            ),
            timeseries(
                "Active relays",
                [target("sum by (service) (onderop_relay_active)", "{{service}}")],
                description="Exactly one per service holds the advisory lock; 0 means nobody publishes.",
            ),
            timeseries("Dead-letter queue length", [target("max by (consumer) (onderop_dlq_length)", "{{consumer}}")]),
            timeseries(
                "Dead-lettered per second",
                [
                    target(
                        "sum by (consumer, stream) "
                        f'(rate(onderop_events_consumed_total{{outcome="dead_lettered"}}[{RATE}]))',
                        "{{consumer}} ← {{stream}}",
                    )
                ],
                "ops",
            ),
            timeseries(
                "Redeliveries (failed attempts per second)",
                [
                    target(
                        f'sum by (consumer, stream) (rate(onderop_events_consumed_total{{outcome="failed"}}[{RATE}]))',
                        "{{consumer}} ← {{stream}}",
                    )
                ],
                "ops",
            ),
        ],
    )
    processes = (
        row("Processes"),
        [
            timeseries(
                "Resident memory",
                [target('process_resident_memory_bytes{job="onderop"}', "{{component}} {{instance}}")],
                "bytes",
            ),
            timeseries(
                "CPU",
                [target(f'rate(process_cpu_seconds_total{{job="onderop"}}[{RATE}])', "{{component}} {{instance}}")],
                "percentunit",
            ),
        ],
    )
    return dashboard(
        "onderop-overview",
        "Onderop — platform overview",
        "Traffic, errors and latency of every service; event flow per stream; lag, outbox and dead letters.",
        [services, http, events, outbox, processes],
    )


def service_dashboard(info: ServiceInfo) -> dict:
    s = info.name
    mine = f'service="{s}", {TRAFFIC}'
    http = (
        row("HTTP"),
        [
            timeseries(
                "Requests per second by route",
                [
                    target(
                        f"topk(10, sum by (method, route) (rate(onderop_http_requests_total{{{mine}}}[{RATE}])))",
                        "{{method}} {{route}}",
                    )
                ],
                "reqps",
            ),
            timeseries(
                "Responses by status",
                [target(f"sum by (status) (rate(onderop_http_requests_total{{{mine}}}[{RATE}]))", "{{status}}")],
                "reqps",
                stack=True,
            ),
            timeseries(
                "Latency p95 by route",
                [
                    target(
                        "topk(10, histogram_quantile(0.95, sum by (route, le) "
                        f"(rate(onderop_http_request_duration_seconds_bucket{{{mine}}}[{RATE}]))))",
                        "{{route}}",
                    )
                ],
                "s",
            ),
            timeseries("Latency (all routes)", latency(mine, "service"), "s"),
        ],
    )
    publishing = (
        row(f"Events {s} publishes (onderop:events:{s})"),
        [
            timeseries(
                "Published per second",
                [target(f'sum(rate(onderop_outbox_published_total{{service="{s}"}}[{RATE}]))', "published")],
                "ops",
            ),
            timeseries(
                "Outbox backlog and oldest unpublished event",
                [
                    target(f'max(onderop_outbox_backlog{{service="{s}"}})', "backlog"),
                    target(f'max(onderop_outbox_oldest_unpublished_seconds{{service="{s}"}})', "oldest (s)", "B"),
                ],
            ),
            timeseries(
                "Stream length and active relays",
                [
                    target(f'max(onderop_stream_length{{stream=~".*:events:{s}"}})', "stream length"),
                    target(f'sum(onderop_relay_active{{service="{s}"}})', "active relays", "B"),
                ],
            ),
            stat(
                "Ready replicas",
                [target(f'sum(onderop_ready{{service="{s}"}})', "ready")],
                red_above=None,
            ),
        ],
    )
    sections = [http, publishing]
    if info.consumes:
        sources = ", ".join(f"onderop:events:{p}" for p in info.consumes)
        sections.append(
            (
                row(f"Events {s} consumes ({sources})"),
                [
                    timeseries(
                        "Consumed per second by stream and outcome",
                        [
                            target(
                                "sum by (stream, outcome) "
                                f'(rate(onderop_events_consumed_total{{consumer="{s}"}}[{RATE}]))',
                                "{{stream}} {{outcome}}",
                            )
                        ],
                        "ops",
                    ),
                    timeseries(
                        "Lag and pending per stream",
                        [
                            target(f'max by (stream) (onderop_consumer_group_lag{{group="{s}"}})', "lag {{stream}}"),
                            target(
                                f'max by (stream) (onderop_consumer_group_pending{{group="{s}"}})',
                                "pending {{stream}}",
                                "B",
                            ),
                        ],
                    ),
                    timeseries(
                        "Handler time p95 by handler (FastStream)",
                        [
                            target(
                                "histogram_quantile(0.95, sum by (handler, le) (rate("
                                f'faststream_received_processed_messages_duration_seconds_bucket{{app_name="{s}"}}'
                                f"[{RATE}])))",
                                "{{handler}}",
                            )
                        ],
                        "s",
                    ),
                    stat(
                        "Dead-lettered events",
                        [target(f'max(onderop_dlq_length{{consumer="{s}"}})', "DLQ")],
                        f"`onderop dlq list {s}` shows them.",
                        red_above=1,
                    ),
                ],
            )
        )
    sections.append((row(f"{s.capitalize()} figures"), business_panels(info)))
    return dashboard(
        f"onderop-{s}",
        f"Onderop — {s}",
        f"The {s} service: HTTP, the events it publishes and consumes, and its own figures.",
        sections,
    )


def business_panels(info: ServiceInfo) -> list[dict]:
    if not info.metrics:
        return [
            text(
                "No business figures yet",
                f"The {info.name} service exports no `onderop_{info.name}_*` metric yet (its `ServiceSpec` has no "
                "`business_gauges`). Its activity shows above through the platform's event counters, which count "
                "events per stream and outcome, not per event type. Add gauges in "
                f"`services/{info.name}/app.py` and run `python deploy/grafana/build_dashboards.py`.",
            )
        ]
    panels = []
    for metric in info.metrics:
        by = ", ".join(metric.labels)
        legend = " ".join(f"{{{{{label}}}}}" for label in metric.labels) or metric.name
        if metric.kind == "counter":
            inner = f"rate({metric.name.removesuffix('_total')}_total[{RATE}])"
            expr = f"sum by ({by}) ({inner})" if by else f"sum({inner})"
            unit = "ops"
        else:
            # Every replica computes the same figure from the database: take one, do not add them up.
            expr = f"max by ({by}) ({metric.name})" if by else f"max({metric.name})"
            unit = "short"
        panels.append(timeseries(metric.help or metric.name, [target(expr, legend)], unit, f"`{metric.name}`"))
    return panels


def render_all(root: Path = ROOT) -> dict[str, str]:
    boards = {"overview.json": overview()}
    for info in discover(root):
        boards[f"{info.name}.json"] = service_dashboard(info)
    return {name: json.dumps(board, indent=2, ensure_ascii=False) + "\n" for name, board in boards.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    args = parser.parse_args()
    rendered = render_all()
    if args.check:
        stale = [n for n, content in rendered.items() if _read(OUT / n) != content]
        extra = sorted(p.name for p in OUT.glob("*.json") if p.name not in rendered)
        for name in stale + extra:
            print(f"out of date: {OUT / name}", file=sys.stderr)
        return 1 if stale or extra else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, content in rendered.items():
        (OUT / name).write_text(content, encoding="utf-8")
    print(f"wrote {len(rendered)} dashboards to {OUT}")
    return 0


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
