"""What every service process is made of: FastAPI gateway + FastStream subscribers + outbox relay, wired in the
lifespan (never at import). Each service's `app.py` is its composition root and calls `create_app`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from faststream.redis import RedisBroker
from faststream.redis.prometheus import RedisPrometheusMiddleware
from faststream.specification import AsyncAPI
from prometheus_client import REGISTRY, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from redis.asyncio import Redis
from sqlalchemy import MetaData, Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared import migrations
from shared.auth import TokenVerifier
from shared.contracts.envelope import EVENT_TYPES
from shared.db import asyncpg_dsn, create_engine, session_factory
from shared.http import (
    BodySizeLimit,
    IdempotencyKeys,
    RefuseNul,
    install_problem_handlers,
    install_problem_openapi,
)
from shared.messaging import streams
from shared.messaging.consumer import EventConsumer, cancel
from shared.messaging.outbox import Outbox, idempotency_table, inbox_table, outbox_table
from shared.messaging.relay import OutboxRelay
from shared.observability import (
    DLQ_LENGTH,
    GROUP_LAG,
    GROUP_PENDING,
    HTTP_LATENCY,
    HTTP_REQUESTS,
    OUTBOX_BACKLOG,
    OUTBOX_OLDEST_AGE,
    READY,
    STREAM_LENGTH,
    configure_logging,
    correlation_id,
)
from shared.settings import Settings, load_settings

log = logging.getLogger("onderop.service")


@dataclass
class ServiceTables:
    outbox: Table
    inbox: Table
    idempotency: Table


def platform_tables(metadata: MetaData) -> ServiceTables:
    """The outbox, inbox and idempotency tables every service keeps in its own schema."""
    return ServiceTables(outbox_table(metadata), inbox_table(metadata), idempotency_table(metadata))


@dataclass
class ServiceSpec:
    name: str
    metadata: MetaData
    tables: ServiceTables
    routers: list[APIRouter]
    description: str = ""
    consumes: tuple[str, ...] = ()  # producer services whose streams this service reads
    register_handlers: Callable[[EventConsumer, Runtime], None] | None = None
    background: Callable[[Runtime], list[Awaitable[None]]] | None = None
    business_gauges: Callable[[AsyncSession], Awaitable[None]] | None = None


@dataclass
class Runtime:
    """Everything a request or a handler of this process needs, built once in the lifespan."""

    spec: ServiceSpec
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    redis: Redis
    broker: RedisBroker
    outbox: Outbox
    consumer: EventConsumer | None
    relay: OutboxRelay
    verifier: TokenVerifier
    head_revision: str | None
    tasks: list[asyncio.Task] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits once at the end, rolls back on any error."""
        async with self.sessions() as session, session.begin():
            yield session

    @property
    def name(self) -> str:
        return self.spec.name

    def in_background(self, work: Awaitable[Any], name: str) -> asyncio.Task:
        """Housekeeping a request starts but need not wait for; cancelled with the other tasks when the process
        stops, and forgotten once done. A failure is logged, never raised to anyone."""

        async def logged() -> None:
            try:
                await work
            except Exception:
                log.warning("background work %s failed", name, exc_info=True)

        task = asyncio.create_task(logged(), name=f"{self.name}-{name}")
        self.tasks.append(task)
        task.add_done_callback(lambda done: done in self.tasks and self.tasks.remove(done))
        return task


async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def build_runtime(spec: ServiceSpec, settings: Settings) -> Runtime:
    url = settings.service_database_url(spec.name)
    engine = create_engine(url, spec.name, pool_size=settings.db_pool_size)
    sessions = session_factory(engine)
    redis = Redis.from_url(settings.redis_url, decode_responses=False, health_check_interval=10)
    broker = RedisBroker(
        settings.redis_url,
        middlewares=[RedisPrometheusMiddleware(registry=REGISTRY, app_name=spec.name)],
        logger=logging.getLogger(f"onderop.faststream.{spec.name}"),
        log_level=logging.DEBUG,  # "Received"/"Processed" per batch is noise at INFO; failures still log as errors
    )
    outbox = Outbox(spec.tables.outbox, settings.stream(spec.name))
    consumer = None
    if spec.consumes:
        consumer = EventConsumer(
            spec.name,
            sessions=sessions,
            inbox=spec.tables.inbox,
            redis=redis,
            dlq_stream=settings.dlq_stream(spec.name),
            batch_size=settings.consumer_batch_size,
            block_ms=settings.consumer_block_ms,
            claim_idle_ms=settings.claim_idle_ms,
            delivery_limit=settings.delivery_limit,
        )
        consumer.consume(*(settings.stream(s) for s in spec.consumes))
    relay = OutboxRelay(
        asyncpg_dsn(url),
        spec.name,
        redis,
        poll_interval=settings.relay_poll_interval_ms / 1000,
        batch_size=settings.relay_batch_size,
        retention_hours=settings.outbox_retention_hours,
        stream_retention_hours=settings.stream_retention_hours,
        stream=settings.stream(spec.name),
    )
    outbox.bind(relay.wake, engine)
    runtime = Runtime(
        spec=spec,
        settings=settings,
        engine=engine,
        sessions=sessions,
        redis=redis,
        broker=broker,
        outbox=outbox,
        consumer=consumer,
        relay=relay,
        verifier=TokenVerifier(settings),
        head_revision=migrations.head_revision(spec.name),
    )
    if consumer is not None:
        if spec.register_handlers:
            spec.register_handlers(consumer, runtime)
        consumer.attach(broker)
    for event_type, data_class in EVENT_TYPES.items():
        if data_class.service == spec.name:
            broker.publisher(
                stream=settings.stream(spec.name), title=event_type, schema=data_class, description=data_class.__doc__
            )
    return runtime


async def start_runtime(runtime: Runtime) -> None:
    if runtime.consumer is not None:
        await runtime.consumer.ensure_groups()
    await runtime.broker.start()
    runtime.tasks.append(asyncio.create_task(runtime.relay.run(), name=f"{runtime.name}-relay"))
    if runtime.consumer is not None:
        runtime.tasks.append(asyncio.create_task(runtime.consumer.watchdog(), name=f"{runtime.name}-watchdog"))
    runtime.tasks.append(asyncio.create_task(_gauges_loop(runtime), name=f"{runtime.name}-gauges"))
    if runtime.spec.background:
        for coro in runtime.spec.background(runtime):
            runtime.tasks.append(asyncio.create_task(coro))


async def stop_runtime(runtime: Runtime) -> None:
    runtime.relay.stop()
    try:
        await asyncio.wait_for(cancel(runtime.tasks), 10)
    except TimeoutError:
        log.warning("background tasks of %s did not stop within 10 s", runtime.name)
    with contextlib.suppress(Exception):
        await runtime.broker.stop()
    await runtime.redis.aclose()
    await runtime.engine.dispose()


def create_app(spec: ServiceSpec, settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    prefix = f"/{spec.name}"

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, settings.log_json)
        runtime = await build_runtime(spec, settings)
        app.state.runtime = runtime
        idempotency.sessions, idempotency.table = runtime.sessions, spec.tables.idempotency
        await start_runtime(runtime)
        log.info("%s started", spec.name)
        try:
            yield
        finally:
            await stop_runtime(runtime)

    app = FastAPI(
        title=f"Onderop {spec.name}",
        description=spec.description,
        version="1.0.0",
        lifespan=lifespan,
        docs_url=f"{prefix}/docs",
        openapi_url=f"{prefix}/openapi.json",
        redoc_url=None,
    )
    install_problem_handlers(app)
    install_problem_openapi(app)
    for router in spec.routers:
        app.include_router(router)
    app.include_router(_operations_router(spec))

    # Outermost first: metrics see everything, the size limit applies before anything reads a body, and NUL
    # characters are refused before idempotency stores a request.
    idempotency = _LateBoundIdempotency()
    app.add_middleware(_IdempotencyAdapter, holder=idempotency)
    app.add_middleware(RefuseNul)
    app.add_middleware(BodySizeLimit, max_bytes=settings.http_max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Correlation-ID"],
            expose_headers=["ETag", "Location", "X-Correlation-ID"],
        )
    app.add_middleware(_Observe, service=spec.name)
    return app


class _LateBoundIdempotency:
    """The idempotency store needs the session factory, which exists only once the lifespan ran."""

    sessions: async_sessionmaker | None = None
    table: Table | None = None


class _IdempotencyAdapter:
    def __init__(self, app, holder: _LateBoundIdempotency) -> None:
        self.app = app
        self.holder = holder

    async def __call__(self, scope, receive, send) -> None:
        await IdempotencyKeys(self.app, self.holder.sessions, self.holder.table)(scope, receive, send)


class _Observe:
    """Correlation id in and out, and the HTTP metrics; a plain ASGI middleware (cheaper than BaseHTTPMiddleware)."""

    def __init__(self, app, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-correlation-id"), None)
        cid = incoming if incoming and len(incoming) <= 100 and incoming.isprintable() else str(uuid.uuid4())
        token = correlation_id.set(cid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-correlation-id", cid.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            template = getattr(scope.get("route"), "path", "unmatched")
            HTTP_REQUESTS.labels(self.service, scope["method"], template, str(status)).inc()
            HTTP_LATENCY.labels(self.service, scope["method"], template).observe(time.perf_counter() - started)
            correlation_id.reset(token)


def _operations_router(spec: ServiceSpec) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", include_in_schema=False)
    async def healthz() -> dict:
        return {"status": "ok", "service": spec.name}

    @router.get("/readyz", include_in_schema=False)
    async def readyz(runtime: RuntimeDep) -> JSONResponse:
        checks = await readiness(runtime)
        ok = all(v == "ok" for v in checks.values())
        READY.labels(spec.name).set(1 if ok else 0)
        return JSONResponse(
            {"status": "ready" if ok else "not ready", "checks": checks}, status_code=200 if ok else 503
        )

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    @router.get(f"/{spec.name}/asyncapi", include_in_schema=False)
    async def asyncapi(runtime: RuntimeDep) -> JSONResponse:
        document = AsyncAPI(
            runtime.broker,
            title=f"Onderop {spec.name} events",
            version="1.0.0",
            description="Entries are CloudEvents; see docs/events.md for the wire format.",
        )
        return JSONResponse(document.to_specification().to_jsonable())

    return router


async def readiness(runtime: Runtime) -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            checks["database"] = "ok"
            if runtime.head_revision is not None:
                version = (
                    await conn.execute(text(f"SELECT version_num FROM {runtime.name}.{migrations.VERSION_TABLE}"))
                ).scalar()
                at_head = version == runtime.head_revision
                checks["migrations"] = "ok" if at_head else f"at {version}, head is {runtime.head_revision}"
    except Exception as exc:
        checks["database"] = f"unavailable: {type(exc).__name__}"
    try:
        await asyncio.wait_for(runtime.redis.ping(), 2)
        checks["redis"] = "ok"
    except Exception as exc:
        checks["redis"] = f"unavailable: {type(exc).__name__}"
    return checks


async def _gauges_loop(runtime: Runtime, interval: float = 5.0) -> None:
    """Platform gauges (ARCHITECTURE.md §8), refreshed in the background so a scrape costs no query."""
    outbox = runtime.spec.tables.outbox
    while True:
        try:
            async with runtime.sessions() as session:
                backlog, oldest = (
                    await session.execute(
                        select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.published_at.is_(None))
                    )
                ).one()
                OUTBOX_BACKLOG.labels(runtime.name).set(backlog)
                age = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0
                OUTBOX_OLDEST_AGE.labels(runtime.name).set(age)
                if runtime.spec.business_gauges:
                    await runtime.spec.business_gauges(session)
            own = runtime.settings.stream(runtime.name)
            STREAM_LENGTH.labels(own).set(await runtime.redis.xlen(own))
            consumed = runtime.consumer.streams if runtime.consumer else []
            for stream in consumed:
                for health in await streams.group_health(runtime.redis, stream):
                    if health.group == runtime.name:
                        GROUP_LAG.labels(stream, health.group).set(health.lag or 0)
                        GROUP_PENDING.labels(stream, health.group).set(health.pending)
            dlq = runtime.settings.dlq_stream(runtime.name)
            DLQ_LENGTH.labels(runtime.name).set(await runtime.redis.xlen(dlq))
            READY.labels(runtime.name).set(1)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            READY.labels(runtime.name).set(0)
            log.debug("gauge refresh failed: %s", exc)
        await asyncio.sleep(interval)
