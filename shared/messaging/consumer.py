"""Idempotent event consumers on FastStream stream subscribers.

For every source stream a service consumes, two subscribers run in its consumer group:

- the reader (`XREADGROUP >`, batches of `consumer_batch_size`) applies a batch in ONE transaction, each event
  under its own savepoint: inbox row, handler changes and the handler's outbox rows commit together, a duplicate
  (inbox conflict) is skipped. Only the entries that succeeded are acknowledged; a failed one stays pending.
- the claimer (`XAUTOCLAIM`, FastStream's claim-only mode) takes over entries pending longer than `claim_idle_ms`
  — failed ones, and those of a consumer that died — and retries them one by one. Past `delivery_limit` deliveries
  the entry goes to `<namespace>:dlq:<consumer>` with its error and is acknowledged. An entry that cannot be parsed
  or validated goes to the DLQ at once: retrying cannot fix it.

FastStream pitfalls this works around are listed in ARCHITECTURE.md §11 (groups created at 0 by us, `max_records`
always set, manual acknowledgement by entry id, NOGROUP after Redis lost its data).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from faststream import AckPolicy
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.annotations import RedisBatchStreamMessage, RedisStreamMessage
from pydantic import ValidationError
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.contracts.envelope import CloudEvent
from shared.messaging import streams
from shared.messaging.outbox import record_inbox, record_inbox_batch
from shared.observability import EVENTS_CONSUMED, causation_id, correlation_id

log = logging.getLogger("onderop.consumer")

Handler = Callable[[AsyncSession, CloudEvent], Awaitable[None]]


class PoisonMessage(Exception):
    """Raised by a handler for an event that can never be applied; it goes to the DLQ at once."""


# An entry that cannot be parsed, or a payload its handler cannot validate, will never succeed: DLQ at once.
UNPARSABLE: tuple[type[BaseException], ...] = (KeyError, ValueError)  # json and pydantic errors are ValueErrors
PERMANENT_ERRORS: tuple[type[BaseException], ...] = (PoisonMessage, ValidationError)


@dataclass
class Entry:
    entry_id: str
    fields: dict[str, str]


def parse_entry(fields: dict[str, str]) -> CloudEvent:
    return CloudEvent.model_validate_json(fields["data"])


def process_consumer_name(group: str) -> str:
    return f"{group}-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class EventConsumer:
    """Declares which events a service handles and runs them exactly-once on top of at-least-once delivery."""

    def __init__(
        self,
        group: str,
        *,
        sessions: async_sessionmaker[AsyncSession],
        inbox: Table,
        redis: Redis,
        dlq_stream: str,
        batch_size: int = 100,
        block_ms: int = 100,
        claim_idle_ms: int = 10_000,
        delivery_limit: int = 5,
    ) -> None:
        self.group = group
        self.sessions = sessions
        self.inbox = inbox
        self.redis = redis
        self.dlq_stream = dlq_stream
        self.batch_size = batch_size
        self.block_ms = block_ms
        self.claim_idle_ms = claim_idle_ms
        self.delivery_limit = delivery_limit
        self.handlers: dict[str, Handler] = {}
        self.batch_types: set[str] = set()
        self.streams: list[str] = []
        self.subscribers: list = []
        self.consumer_name = process_consumer_name(group)
        self._last_errors: dict[str, str] = {}

    def handles(self, *event_types: str, batch: bool = False) -> Callable[[Handler], Handler]:
        """Register a handler for full event types (`nl.onderop.registry.collective.registered.v1`).

        With `batch=True` the handler receives a list of events (consecutive events of its types in one batch) and
        can apply them with one statement — for read models fed at high rates.
        """

        def register(handler: Handler) -> Handler:
            for event_type in event_types:
                if event_type in self.handlers:
                    raise ValueError(f"{event_type} has two handlers in {self.group}")
                self.handlers[event_type] = handler
                if batch:
                    self.batch_types.add(event_type)
            return handler

        return register

    def consume(self, *stream_names: str) -> None:
        self.streams.extend(s for s in stream_names if s not in self.streams)

    # --- wiring -----------------------------------------------------------------------------------------------

    def attach(self, broker: RedisBroker) -> None:
        for stream in self.streams:
            reader = broker.subscriber(
                stream=StreamSub(
                    stream,
                    group=self.group,
                    consumer=self.consumer_name,
                    batch=True,
                    max_records=self.batch_size,
                    polling_interval=self.block_ms,
                ),
                ack_policy=AckPolicy.MANUAL,
                title=f"{self.group}:{stream}:reader",
            )
            reader(self._reader_for(stream))
            claimer = broker.subscriber(
                stream=StreamSub(
                    stream,
                    group=self.group,
                    consumer=f"{self.consumer_name}-claimer",
                    min_idle_time=self.claim_idle_ms,
                    polling_interval=max(self.claim_idle_ms // 4, 100),
                ),
                ack_policy=AckPolicy.MANUAL,
                title=f"{self.group}:{stream}:claimer",
            )
            claimer(self._claimer_for(stream))
            self.subscribers += [reader, claimer]

    async def ensure_groups(self) -> None:
        for stream in self.streams:
            await streams.ensure_group(self.redis, stream, self.group)

    async def watchdog(self, interval: float = 1.0) -> None:
        """Re-create lost groups and restart stopped subscribers (Redis restarted empty, stream deleted)."""
        while True:
            await asyncio.sleep(interval)
            stopped = [s for s in self.subscribers if not s.running]
            if not stopped:
                continue
            try:
                await self.ensure_groups()
                for subscriber in stopped:
                    log.warning("restarting a stopped subscriber of %s", self.group)
                    await subscriber.start()
            except RedisError as exc:
                log.warning("watchdog of %s cannot reach Redis yet: %s", self.group, exc)

    # --- processing -------------------------------------------------------------------------------------------

    def _reader_for(self, stream: str):
        async def read_batch(body: list, msg: RedisBatchStreamMessage) -> None:
            ids = [i.decode() for i in msg.raw_message["message_ids"]]
            entries = [Entry(i, streams.decode_fields(f)) for i, f in zip(ids, msg.raw_message["data"], strict=True)]
            await self.process(stream, entries, deliveries=1)

        read_batch.__name__ = f"read_{self.group}_{stream.replace(':', '_')}"
        return read_batch

    def _claimer_for(self, stream: str):
        async def claim(body: dict, msg: RedisStreamMessage) -> None:
            entry_id = msg.raw_message["message_ids"][0].decode()
            entry = Entry(entry_id, streams.decode_fields(msg.raw_message["data"]))
            deliveries = await msg.get_delivery_count()
            if deliveries > self.delivery_limit:
                error = self._last_errors.pop(entry_id, "delivery limit exceeded (the consumer died or timed out)")
                await self._dead_letter(stream, entry, error, deliveries)
                return
            await self.process(stream, [entry], deliveries=deliveries)

        claim.__name__ = f"claim_{self.group}_{stream.replace(':', '_')}"
        return claim

    async def process(self, stream: str, entries: list[Entry], *, deliveries: int) -> None:
        """Apply entries in one transaction (a savepoint each); acknowledge what succeeded or was dead-lettered."""
        acked: list[str] = []
        poison: list[tuple[Entry, str]] = []
        failed: list[tuple[Entry, str]] = []
        outcomes: dict[str, int] = {}

        parsed: list[tuple[Entry, CloudEvent]] = []
        for entry in entries:
            try:
                parsed.append((entry, parse_entry(entry.fields)))
            except UNPARSABLE as exc:
                poison.append((entry, f"invalid entry: {exc!r}"))

        handled = [(entry, event) for entry, event in parsed if event.type in self.handlers]
        acked += [entry.entry_id for entry, event in parsed if event.type not in self.handlers]
        outcomes["ignored"] = len(parsed) - len(handled)

        if handled:
            fast = await self._apply_batch(handled) if len(handled) > 1 else None
            if fast is not None:
                for outcome, ids in fast.items():
                    outcomes[outcome] = outcomes.get(outcome, 0) + len(ids)
                    acked += ids
            else:
                # One event, or a batch in which something failed: each event under its own savepoint, so one
                # poison message cannot hold back the others.
                async with self.sessions() as session, session.begin():
                    for entry, event in handled:
                        outcome = await self._apply(session, entry, event, poison, failed)
                        if outcome:
                            outcomes[outcome] = outcomes.get(outcome, 0) + 1
                            acked.append(entry.entry_id)
            # Both paths committed when their block closed; only now is it safe to acknowledge.

        for entry, error in failed:
            if deliveries >= self.delivery_limit:
                poison.append((entry, error))
            else:
                self._last_errors[entry.entry_id] = error
                log.warning("event %s failed in %s (delivery %d): %s", entry.entry_id, self.group, deliveries, error)
        for entry, error in poison:
            await self._dead_letter(stream, entry, error, deliveries)
        if acked:
            await self.redis.xack(stream, self.group, *acked)
        for outcome, count in outcomes.items():
            if count:
                EVENTS_CONSUMED.labels(self.group, stream, outcome).inc(count)
        failed_now = len(failed) - sum(1 for e, _ in failed if deliveries >= self.delivery_limit)
        if failed_now:
            EVENTS_CONSUMED.labels(self.group, stream, "failed").inc(failed_now)

    async def _apply_batch(self, handled: list[tuple[Entry, CloudEvent]]) -> dict[str, list[str]] | None:
        """The fast path: one inbox INSERT for the whole batch, handlers without savepoints, one commit.

        Returns None when any handler failed; the transaction is then rolled back and the caller retries the batch
        event by event.
        """
        try:
            async with self.sessions() as session, session.begin():
                fresh = await record_inbox_batch(session, self.inbox, [event for _, event in handled], self.group)
                result: dict[str, list[str]] = {"processed": [], "duplicate": []}
                fresh_events = []
                for entry, event in handled:
                    if event.id in fresh:
                        fresh.discard(event.id)  # the same event twice in one batch applies once
                        fresh_events.append(event)
                        result["processed"].append(entry.entry_id)
                    else:
                        result["duplicate"].append(entry.entry_id)
                for handler, events in self._runs(fresh_events):
                    tokens = (correlation_id.set(events[0].correlationid), causation_id.set(str(events[0].id)))
                    try:
                        await handler(session, events if events[0].type in self.batch_types else events[0])
                    finally:
                        correlation_id.reset(tokens[0])
                        causation_id.reset(tokens[1])
            return result
        except Exception as exc:
            log.info("batch of %d in %s falls back to one by one: %s", len(handled), self.group, exc)
            return None

    def _runs(self, events: list[CloudEvent]) -> list[tuple[Handler, list[CloudEvent]]]:
        """Events in order, with consecutive events of one batch handler grouped into one call."""
        runs: list[tuple[Handler, list[CloudEvent]]] = []
        for event in events:
            handler = self.handlers[event.type]
            if (
                runs
                and event.type in self.batch_types
                and runs[-1][0] is handler
                and runs[-1][1][0].type in self.batch_types
            ):
                runs[-1][1].append(event)
            else:
                runs.append((handler, [event]))
        return runs

    async def _apply(
        self,
        session: AsyncSession,
        entry: Entry,
        event: CloudEvent,
        poison: list[tuple[Entry, str]],
        failed: list[tuple[Entry, str]],
    ) -> str | None:
        tokens = (correlation_id.set(event.correlationid), causation_id.set(str(event.id)))
        try:
            async with session.begin_nested():
                if not await record_inbox(session, self.inbox, event, self.group):
                    return "duplicate"
                handler = self.handlers[event.type]
                await handler(session, [event] if event.type in self.batch_types else event)
            return "processed"
        except PERMANENT_ERRORS as exc:
            poison.append((entry, f"{type(exc).__name__}: {exc}"))
        except Exception as exc:
            failed.append((entry, f"{type(exc).__name__}: {exc}"))
        finally:
            correlation_id.reset(tokens[0])
            causation_id.reset(tokens[1])
        return None

    async def _dead_letter(self, stream: str, entry: Entry, error: str, deliveries: int) -> None:
        await streams.dead_letter(
            self.redis,
            self.dlq_stream,
            origin_stream=stream,
            entry_id=entry.entry_id,
            fields=entry.fields,
            consumer=self.group,
            error=error,
            deliveries=deliveries,
        )
        await self.redis.xack(stream, self.group, entry.entry_id)
        self._last_errors.pop(entry.entry_id, None)
        EVENTS_CONSUMED.labels(self.group, stream, "dead_lettered").inc()
        log.error("event %s moved to %s after %d deliveries: %s", entry.entry_id, self.dlq_stream, deliveries, error)


def event_types(*classes: Iterable) -> list[str]:
    return [cls.event_type() for cls in classes]  # type: ignore[attr-defined]


async def cancel(tasks: Iterable[asyncio.Task]) -> None:
    tasks = list(tasks)  # a copy: a finished background task removes itself from the runtime's list meanwhile
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
