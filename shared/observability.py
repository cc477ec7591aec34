"""Logs, metrics and the correlation id that travels from an HTTP request through every event it causes."""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
from datetime import UTC, datetime

from prometheus_client import Counter, Gauge, Histogram

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("correlation_id", default=None)
causation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("causation_id", default=None)

HTTP_REQUESTS = Counter(
    "onderop_http_requests_total", "HTTP requests by route and status", ["service", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "onderop_http_request_duration_seconds",
    "HTTP request latency by route",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
EVENTS_PUBLISHED = Counter("onderop_outbox_published_total", "Events the relay published", ["service"])
EVENTS_CONSUMED = Counter(
    "onderop_events_consumed_total",
    "Consumed events by outcome (processed, duplicate, ignored, failed, dead_lettered)",
    ["consumer", "stream", "outcome"],
)
OUTBOX_BACKLOG = Gauge("onderop_outbox_backlog", "Unpublished outbox rows", ["service"])
OUTBOX_OLDEST_AGE = Gauge("onderop_outbox_oldest_unpublished_seconds", "Age of the oldest unpublished row", ["service"])
STREAM_LENGTH = Gauge("onderop_stream_length", "Entries in a stream", ["stream"])
GROUP_LAG = Gauge("onderop_consumer_group_lag", "Entries not yet delivered to a group", ["stream", "group"])
GROUP_PENDING = Gauge("onderop_consumer_group_pending", "Entries delivered but not acknowledged", ["stream", "group"])
DLQ_LENGTH = Gauge("onderop_dlq_length", "Entries in a dead-letter stream", ["consumer"])
RELAY_ACTIVE = Gauge("onderop_relay_active", "1 when this process holds the relay lock", ["service"])
READY = Gauge("onderop_ready", "1 when the service is ready", ["service"])


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlationid": correlation_id.get(),
        }
        for key in ("service", "event_id", "event_type", "stream"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", json_logs: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if json_logs else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).setLevel(logging.WARNING)


class Stopwatch:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started
