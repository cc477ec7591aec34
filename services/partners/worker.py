"""The delivery worker: claims due deliveries, sends them signed, records every attempt, retries, disables.

- Claiming (store.CLAIM) takes at most `per_subscription` deliveries of one subscription at a time in this process
  and at most `max_in_flight` in all, so a slow or dead partner holds a few slots for at most `timeout` seconds each
  while every other subscription keeps its own. Claimed rows carry a lease; a replica that dies leaves them to be
  reclaimed when the lease runs out (at-least-once: the partner deduplicates on `webhook-id`).
- One request per delivery, with a hard time limit, no redirects, to checked addresses only (transport.py).
- Results are written by one writer task in batches (a transaction per batch, not per delivery): the attempt log,
  the delivery's new state (delivered / pending with backoff / dead), the subscription's failure run, and — when a
  run is long enough — the subscription's disabling with its `subscription.disabled` event in the same transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy.exc import IntegrityError
from standardwebhooks import Webhook

from services.partners import store
from services.partners.context import PartnersContext
from services.partners.domain.links import webhook_body
from services.partners.domain.retry import attempt_result, next_delay, should_disable
from services.partners.domain.targets import TargetRejected
from services.partners.transport import webhook_client
from shared.contracts.partners import SubscriptionDisabled
from shared.service import Runtime

log = logging.getLogger("onderop.partners.worker")

DELIVERIES = Counter(
    "onderop_partners_deliveries_total", "Deliveries by outcome: delivered, retry (scheduled again), dead", ["outcome"]
)
ATTEMPTS = Counter(
    "onderop_partners_delivery_attempts_total",
    "Delivery attempts by result: success, http_4xx, http_5xx, redirect, gone, timeout, connection, blocked",
    ["result"],
)
REQUEST_SECONDS = Histogram(
    "onderop_partners_delivery_request_seconds",
    "Duration of one webhook request",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DELIVERY_LAG = Histogram(
    "onderop_partners_delivery_lag_seconds",
    "From the event's time to its successful delivery",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 14400, 57600),
)
BACKLOG = Gauge("onderop_partners_backlog", "Deliveries waiting or in flight per subscription", ["subscription"])
SUBSCRIPTIONS = Gauge("onderop_partners_subscriptions", "Webhook subscriptions by status", ["status"])
DISABLED = Counter(
    "onderop_partners_subscriptions_disabled_total", "Subscriptions disabled by the worker, by reason", ["reason"]
)
IN_FLIGHT = Gauge("onderop_partners_in_flight", "Webhook requests under way in this process")

BODY_KEPT = 300  # characters of a failed response kept in the log
BODY_READ = 64 * 1024  # bytes read from a response at most (a partner cannot make us read a gigabyte)
RECLAIM_EVERY = 5.0
PRUNE_EVERY = 600.0
CLIENT_IDLE_SECONDS = 300.0


@dataclass
class Outcome:
    claimed: store.Claimed
    started_at: datetime
    latency: float
    status_code: int | None
    result: str
    error: str | None

    @property
    def success(self) -> bool:
        return self.result == "success"


def signature_headers(msg_id: str, body: str, secrets: list[str], at: datetime) -> dict[str, str]:
    """Standard Webhooks headers; during a secret rotation the body is signed with both secrets."""
    signatures = " ".join(Webhook(secret).sign(msg_id, at, body) for secret in secrets)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/cloudevents+json; charset=utf-8",
    }


class DeliveryWorker:
    def __init__(self, runtime: Runtime, context: PartnersContext, rng: random.Random | None = None) -> None:
        self.runtime = runtime
        self.context = context
        self.settings = context.settings
        self.rng = rng or random.Random()
        self.busy: dict[uuid.UUID, int] = defaultdict(int)
        self.failing: set[uuid.UUID] = set()  # subscriptions whose failure run this process extended
        self.tasks: set[asyncio.Task] = set()
        self.results: asyncio.Queue[Outcome] = asyncio.Queue()
        self.clients: dict[uuid.UUID, tuple[httpx.AsyncClient, float]] = {}
        self.ssl_context = httpx.create_ssl_context(trust_env=False)
        self._next_reclaim = 0.0
        self._next_prune = 0.0

    @property
    def lease_seconds(self) -> float:
        return self.settings.timeout * 2 + 60

    def client_for(self, subscription_id: uuid.UUID) -> httpx.AsyncClient:
        client, _ = self.clients.get(subscription_id) or (None, 0.0)
        if client is None:
            client = webhook_client(
                self.context.guard,
                timeout=self.settings.timeout,
                max_connections=self.settings.per_subscription,
                ssl_context=self.ssl_context,
            )
        self.clients[subscription_id] = (client, time.monotonic())
        return client

    async def close_idle_clients(self, idle_seconds: float) -> None:
        cutoff = time.monotonic() - idle_seconds
        for subscription_id, (client, used) in list(self.clients.items()):
            if used < cutoff and subscription_id not in self.busy:
                del self.clients[subscription_id]
                await client.aclose()

    async def run(self) -> None:
        writer = asyncio.create_task(self._write_results(), name="partners-results")
        try:
            while True:
                self.context.wake.clear()
                full = False
                try:
                    await self._housekeeping()
                    full = await self._claim_and_send()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("claiming deliveries failed; retrying")
                    await asyncio.sleep(1)
                if not full:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.context.wake.wait(), self.settings.poll_interval_ms / 1000)
        finally:
            for task in self.tasks:
                task.cancel()
            await asyncio.gather(*self.tasks, return_exceptions=True)
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await writer
            for client, _ in self.clients.values():
                with contextlib.suppress(Exception):
                    await client.aclose()
            self.clients.clear()

    async def _housekeeping(self) -> None:
        now = time.monotonic()
        if now >= self._next_reclaim:
            self._next_reclaim = now + RECLAIM_EVERY
            await self.close_idle_clients(CLIENT_IDLE_SECONDS)
            async with self.runtime.transaction() as session:
                reclaimed = await store.reclaim_expired(session)
            if reclaimed:
                log.warning("%d deliveries were in flight past their lease (a worker died); queued again", reclaimed)
        if now >= self._next_prune:
            self._next_prune = now + PRUNE_EVERY
            wall = datetime.now(UTC)
            async with self.runtime.transaction() as session:
                await store.prune(
                    session,
                    wall - timedelta(hours=self.settings.event_retention_hours),
                    wall - timedelta(hours=self.settings.log_retention_hours),
                )

    async def _claim_and_send(self) -> bool:
        """Claim what fits; True when the process is full or more is probably waiting."""
        capacity = self.settings.max_in_flight - len(self.tasks)
        if capacity <= 0:
            return False
        busy = {sid: n for sid, n in self.busy.items() if n > 0}
        async with self.runtime.transaction() as session:
            claimed = await store.claim(
                session,
                capacity=capacity,
                per_subscription=self.settings.per_subscription,
                busy=busy,
                lease_seconds=self.lease_seconds,
            )
        for item in claimed:
            self.busy[item.subscription_id] += 1
            task = asyncio.create_task(self._deliver(item))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        IN_FLIGHT.set(len(self.tasks))
        return len(claimed) >= capacity

    async def _deliver(self, item: store.Claimed) -> None:
        started_at = datetime.now(UTC)
        started = time.perf_counter()
        status_code: int | None = None
        error: str | None = None
        error_kind: str | None = None
        try:
            if item.payload is None:
                error_kind, error = "expired", "the event is no longer retained; it cannot be sent"
            else:
                status_code, error = await self._send(item, started_at)
        except TargetRejected as exc:
            error_kind, error = "blocked", f"target not allowed: {exc.detail}"
        except (TimeoutError, httpx.TimeoutException):
            error_kind, error = "timeout", f"no complete answer within {self.settings.timeout:g} s"
        except httpx.HTTPError as exc:
            error_kind, error = "connection", f"{type(exc).__name__}: {exc}"[:1000]
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("delivery %s failed unexpectedly", item.id)
            error_kind, error = "error", f"{type(exc).__name__}: {exc}"[:1000]
        finally:
            self.busy[item.subscription_id] -= 1
            if self.busy[item.subscription_id] <= 0:
                self.busy.pop(item.subscription_id, None)
        latency = time.perf_counter() - started
        result = attempt_result(status_code, error_kind)
        ATTEMPTS.labels(result).inc()
        REQUEST_SECONDS.observe(latency)
        self.results.put_nowait(Outcome(item, started_at, latency, status_code, result, error))

    async def _send(self, item: store.Claimed, at: datetime) -> tuple[int, str | None]:
        assert item.payload is not None
        client = self.client_for(item.subscription_id)
        body = webhook_body(item.payload, self.settings.public_base_url)
        headers = signature_headers(str(item.event_id), body, item.secrets, at)
        async with asyncio.timeout(self.settings.timeout):
            async with client.stream("POST", item.url, content=body.encode(), headers=headers) as response:
                received = bytearray()
                async for chunk in response.aiter_raw():
                    received += chunk
                    if len(received) >= BODY_READ:
                        break
        status = response.status_code
        if 200 <= status < 300:
            return status, None
        if 300 <= status < 400:
            return status, f"HTTP {status}: redirect to {response.headers.get('location', '?')!r} not followed"
        snippet = bytes(received[:BODY_KEPT]).decode(errors="replace")
        return status, f"HTTP {status}: {snippet}".strip()[:1000]

    # --- results ------------------------------------------------------------------------------------------------

    async def _write_results(self) -> None:
        while True:
            batch = [await self.results.get()]
            if self.tasks:
                # More requests are under way: a moment's wait turns many small transactions into one.
                await asyncio.sleep(self.settings.result_flush_ms / 1000)
            while not self.results.empty() and len(batch) < 500:
                batch.append(self.results.get_nowait())
            try:
                await self.record(batch)
            except asyncio.CancelledError:
                raise
            except Exception:
                # The rows stay in flight and are reclaimed when their lease ends: sent again, never lost.
                log.exception("recording %d delivery results failed", len(batch))
                await asyncio.sleep(1)
            self.context.wake.set()

    async def record(self, batch: list[Outcome]) -> None:
        try:
            await self._record(batch)
        except IntegrityError:
            if len(batch) == 1:
                raise
            # A subscription was deleted while its deliveries were in flight: record the others one by one.
            for outcome in batch:
                with contextlib.suppress(IntegrityError):
                    await self._record([outcome])

    async def _record(self, batch: list[Outcome]) -> None:
        now = datetime.now(UTC)
        schedule = self.settings.retry_schedule
        attempts, delivered, failed, held = [], [], [], []
        counted: list[str] = []
        lags: list[float] = []
        dead: list[tuple[store.Claimed, int, str | None]] = []
        for outcome in batch:
            item = outcome.claimed
            made = item.attempts + 1
            attempts.append(
                {
                    "delivery_id": item.id,
                    "subscription_id": item.subscription_id,
                    "attempt": made,
                    "started_at": outcome.started_at,
                    "latency_ms": round(outcome.latency * 1000),
                    "status_code": outcome.status_code,
                    "result": outcome.result,
                    "error": outcome.error,
                }
            )
            base = {"id": item.id, "token": item.claim_token, "attempts": made, "status_code": outcome.status_code}
            if outcome.success:
                delivered.append(base | {"now": now})
                counted.append("delivered")
                lags.append(max(0.0, (now - item.event_time).total_seconds()))
                continue
            delay = (
                None
                if outcome.result == "expired"
                else next_delay(schedule, made, self.settings.retry_jitter, self.rng.uniform)
            )
            next_at = now + timedelta(seconds=delay) if delay is not None else now
            failed.append(
                base
                | {
                    "status": "pending" if delay is not None else "dead",
                    "error": outcome.error,
                    "next_attempt_at": next_at,
                    "now": now,
                }
            )
            if delay is not None:
                counted.append("retry")
                held.append(
                    {
                        "subscription_id": item.subscription_id,
                        "subject_key": item.subject_key,
                        "seq": item.seq,
                        "next_attempt_at": next_at,
                    }
                )
            else:
                counted.append("dead")
                dead.append((item, made, outcome.error))
        async with self.runtime.transaction() as session:
            await store.execute_many(session, store.RECORD_ATTEMPT, attempts)
            await store.execute_many(session, store.MARK_DELIVERED, delivered)
            await store.execute_many(session, store.MARK_FAILED, failed)
            await store.execute_many(session, store.HOLD_SUCCESSORS, held)
            await self._track_failure_runs(session, batch, now)
        for outcome_label in counted:
            DELIVERIES.labels(outcome_label).inc()
        for lag in lags:
            DELIVERY_LAG.observe(lag)
        for item, made, error in dead:
            log.warning(
                "delivery %s of event %s to subscription %s is dead after %d attempts: %s",
                item.id,
                item.event_id,
                item.subscription_id,
                made,
                error,
            )

    async def _track_failure_runs(self, session, batch: list[Outcome], now: datetime) -> None:
        by_subscription: dict[uuid.UUID, list[Outcome]] = defaultdict(list)
        for outcome in batch:
            by_subscription[outcome.claimed.subscription_id].append(outcome)
        for subscription_id, outcomes in by_subscription.items():
            last_success = max((i for i, o in enumerate(outcomes) if o.success), default=-1)
            run = [o for o in outcomes[last_success + 1 :] if o.result != "expired"]
            if not run:
                # Most batches are all successes for a healthy subscription: only write when a run may be open.
                known_failing = subscription_id in self.failing or any(o.claimed.subscription_failing for o in outcomes)
                if last_success >= 0 and known_failing:
                    await store.reset_failures(session, subscription_id)
                    self.failing.discard(subscription_id)
                continue
            self.failing.add(subscription_id)
            row = await store.add_failures(
                session,
                subscription_id,
                count=len(run),
                first_failure=run[0].started_at,
                last_error=run[-1].error,
                restart=last_success >= 0,
            )
            if row is None or row.status != "active":
                continue
            if any(o.result == "gone" for o in run):
                await self.disable(session, subscription_id, "gone", now)
            elif should_disable(
                row.consecutive_failures,
                row.failing_since,
                now,
                disable_after=self.settings.disable_after,
                disable_after_seconds=self.settings.disable_after_seconds,
            ):
                await self.disable(session, subscription_id, "failures", now)

    async def disable(self, session, subscription_id: uuid.UUID, reason: str, now: datetime) -> None:
        row = await store.set_status(session, subscription_id, to="disabled", from_=("active",), reason=reason, now=now)
        if row is None:
            return
        await self.runtime.outbox.add(session, disabled_event(row, reason, now), subject=row.id, sequence=row.version)
        DISABLED.labels(reason).inc()
        log.error(
            "webhook subscription %s of partner %s disabled (%s) after %d failed attempts since %s; last error: %s",
            row.id,
            row.partner_id,
            reason,
            row.consecutive_failures,
            row.failing_since,
            row.last_error,
        )


def disabled_event(row, reason: str, now: datetime) -> SubscriptionDisabled:
    return SubscriptionDisabled(
        subscription_id=row.id,
        partner_id=row.partner_id,
        reason=reason,
        consecutive_failures=row.consecutive_failures,
        failing_since=row.failing_since,
        last_error=row.last_error,
        disabled_at=now,
        version=row.version,
    )
