"""What the operations tests share: the catalogue of metrics the code exports, and PromQL inspection.

The catalogue is built from the code itself: the platform kit's metric objects (shared/observability.py), FastStream's
Prometheus middleware (instantiated on a private registry), the business metrics each service declares (found by
deploy/grafana/build_dashboards.py), prometheus_client's process/platform/GC collectors, and Prometheus' own `up`.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SERVICES = ("registry", "knowledge", "rewards", "funding")
# Labels Prometheus attaches to every scraped series (compose: job, instance, component from dns_sd relabelling).
TARGET_LABELS = frozenset({"job", "instance", "component"})
# What the design says about who consumes whom, for services whose app.py does not exist yet.
DESIGNED_CONSUMES = {
    "registry": (),
    "knowledge": ("registry",),
    "rewards": ("knowledge", "registry"),
    "funding": ("registry",),
}


@dataclass(frozen=True)
class MetricInfo:
    name: str  # as declared, e.g. onderop_http_requests_total
    kind: str  # counter, gauge, histogram, summary, info, unknown
    labels: frozenset[str]
    source: str

    def series_names(self) -> set[str]:
        """The names its samples carry in the exposition format."""
        base = self.name.removesuffix("_total") if self.kind == "counter" else self.name
        if self.kind == "counter":
            return {f"{base}_total", f"{base}_created", base}
        if self.kind == "histogram":
            return {f"{base}_bucket", f"{base}_count", f"{base}_sum", f"{base}_created", base}
        if self.kind == "summary":
            return {base, f"{base}_count", f"{base}_sum", f"{base}_created"}
        if self.kind == "info":
            return {base, f"{base}_info"}
        return {base}


def load_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec, path
    assert spec.loader, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@cache
def dashboards_builder():
    return load_module(DEPLOY / "grafana" / "build_dashboards.py", "onderop_build_dashboards")


@cache
def service_infos() -> tuple:
    """Each service's consumed streams and business metrics, read from its source by the dashboard generator."""
    return tuple(dashboards_builder().discover(REPO))


def _from_collector(metric, source: str) -> MetricInfo:
    kind = metric._type
    name = metric._name + ("_total" if kind == "counter" else "")
    return MetricInfo(name, kind, frozenset(metric._labelnames), source)


@cache
def kit_metrics() -> dict[str, MetricInfo]:
    from prometheus_client import Counter, Gauge, Histogram, Summary

    from shared import observability

    found = {}
    for value in vars(observability).values():
        if isinstance(value, Counter | Gauge | Histogram | Summary):
            info = _from_collector(value, "shared/observability.py")
            found[info.name] = info
    return found


@cache
def faststream_metrics() -> dict[str, MetricInfo]:
    from faststream.prometheus.container import MetricsContainer
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary

    container = MetricsContainer(CollectorRegistry(), metrics_prefix="faststream", custom_label_names=())
    found = {}
    for attribute in dir(container):
        value = getattr(container, attribute, None)
        if isinstance(value, Counter | Gauge | Histogram | Summary):
            info = _from_collector(value, "faststream.prometheus")
            found[info.name] = info
    return found


@cache
def business_metrics() -> dict[str, MetricInfo]:
    found = {}
    for service in service_infos():
        for metric in service.metrics:
            name = metric.name + ("_total" if metric.kind == "counter" and not metric.name.endswith("_total") else "")
            found[name] = MetricInfo(name, metric.kind, frozenset(metric.labels), f"services/{service.name}")
    return found


@cache
def process_metrics() -> dict[str, MetricInfo]:
    from prometheus_client import CollectorRegistry, GCCollector, PlatformCollector, ProcessCollector

    found = {}
    private = CollectorRegistry()
    for collector in (ProcessCollector(registry=private), PlatformCollector(registry=private), GCCollector(private)):
        for family in collector.collect():
            kind = family.type if family.type in ("counter", "gauge", "histogram", "summary", "info") else "unknown"
            name = family.name + ("_total" if kind == "counter" else "")
            labels = {label for sample in family.samples for label in sample.labels}
            found[name] = MetricInfo(name, kind, frozenset(labels), "prometheus_client")
    # Always exported on Linux, even when this machine's /proc lacks a figure at the moment of the check.
    for name in ("process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds"):
        kind = "counter" if name.endswith("_total") else "gauge"
        found.setdefault(name, MetricInfo(name, kind, frozenset(), "prometheus_client"))
    return found


@cache
def catalogue() -> dict[str, MetricInfo]:
    """Every metric a dashboard or an alert may name, by every series name it is exposed under."""
    infos = [
        *kit_metrics().values(),
        *faststream_metrics().values(),
        *business_metrics().values(),
        *process_metrics().values(),
        MetricInfo("up", "gauge", frozenset(), "prometheus"),
    ]
    return {series: info for info in infos for series in info.series_names()}


# --- PromQL -------------------------------------------------------------------------------------------------------

GRAFANA_RANGE = re.compile(r"\$__(rate_interval|interval|range)|\$\{__(rate_interval|interval|range)\}")
GRAFANA_VARIABLE = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")
METRIC_TOKEN = re.compile(r"\b((?:onderop|faststream|process|python)_[a-zA-Z0-9_]+)")


def from_grafana(expr: str) -> str:
    """A Grafana query as plain PromQL: range variables become 5m, template variables a literal."""
    return GRAFANA_VARIABLE.sub("x", GRAFANA_RANGE.sub("5m", expr))


def metric_tokens(expr: str) -> set[str]:
    """Every name in our metric namespaces, found textually (works without a PromQL parser)."""
    return set(METRIC_TOKEN.findall(expr))


@dataclass
class QueryUse:
    selectors: list[tuple[str, set[str]]]  # (metric name, label names in its matchers)
    grouping: list[tuple[set[str], set[str]]]  # (labels in `by (…)`, metric names beneath)


def promql_parser():
    """The PromQL parser, or None where promql-parser==0.11.0 is not installed."""
    try:
        import promql_parser
    except ImportError:
        return None
    return promql_parser


def promql_use(expr: str) -> QueryUse:
    """The selectors and `by` groupings of a PromQL expression; raises on a syntax error."""
    promql = promql_parser()
    if promql is None:
        pytest.skip("PromQL syntax checks need promql-parser==0.11.0")
    tree = promql.parse(expr)
    use = QueryUse([], [])

    def selectors_below(node) -> tuple[set[str], bool]:
        names: set[str] = set()
        relabels = False

        def visit(n) -> bool:
            nonlocal relabels
            if isinstance(n, promql.VectorSelector) and n.name:
                names.add(n.name)
            if isinstance(n, promql.Call) and n.func.name in ("label_replace", "label_join"):
                relabels = True
            return True

        promql.walk(node, visit)
        return names, relabels

    def visit(node) -> bool:
        if isinstance(node, promql.VectorSelector) and node.name:
            use.selectors.append((node.name, {m.name for m in node.matchers.matchers}))
        grouped = isinstance(node, promql.AggregateExpr) and node.modifier is not None
        if grouped and node.modifier.type == promql.AggModifierType.By:
            names, relabels = selectors_below(node.expr)
            if not relabels:
                use.grouping.append((set(node.modifier.labels), names))
        return True

    promql.walk(tree, visit)
    return use


def check_query(expr: str, where: str) -> list[str]:
    """Problems with one query: unknown metrics and, where the parser is installed, syntax errors, labels a metric
    does not have, and grouping by a label that none of its metrics has."""
    known = catalogue()
    problems = [f"{where}: unknown metric {name}" for name in sorted(metric_tokens(expr)) if name not in known]
    if promql_parser() is None:
        return problems
    try:
        use = promql_use(expr)
    except (ValueError, TypeError) as exc:
        return [*problems, f"{where}: not valid PromQL: {exc}"]
    for name, labels in use.selectors:
        info = known.get(name)
        if info is None:
            problems.append(f"{where}: unknown metric {name}")
            continue
        allowed = info.labels | TARGET_LABELS | ({"le"} if name.endswith("_bucket") else set()) | {"__name__"}
        problems += [f"{where}: {name} has no label {label!r}" for label in sorted(labels - allowed)]
    for by, names in use.grouping:
        available = set(TARGET_LABELS)
        for name in names:
            info = known.get(name)
            if info:
                available |= info.labels | ({"le"} if name.endswith("_bucket") else set())
        problems += [
            f"{where}: `by ({label})` but {sorted(names)} have no such label" for label in sorted(by - available)
        ]
    return problems


# --- tools --------------------------------------------------------------------------------------------------------


def tool(name: str, package: str) -> str:
    """The path of a command-line tool from the virtualenv or PATH, or a skip naming the package that brings it."""
    venv_bin = REPO / ".venv" / "bin" / name
    found = str(venv_bin) if venv_bin.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed ({package})")
    return found


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False, **kwargs)


def consumes() -> dict[str, tuple[str, ...]]:
    """Who consumes whom: the services' own ServiceSpec where it exists, else the design."""
    declared = {s.name: s.consumes for s in service_infos()}
    return {
        service: declared[service] if (REPO / "services" / service / "app.py").exists() else designed
        for service, designed in DESIGNED_CONSUMES.items()
    }
