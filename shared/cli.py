"""The `onderop` command: run the local stack, migrate, seed, mint local tokens, replay events, drain DLQs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import Annotated

import httpx
import psutil
import typer
from redis.asyncio import Redis
from sqlalchemy.engine import make_url

from shared import migrations
from shared.auth import ROLES, ensure_local_keys, issue_token
from shared.db import asyncpg_dsn, bootstrap_schemas, ensure_database
from shared.devstack import EmbeddedPostgres, EmbeddedRedis
from shared.messaging import streams
from shared.messaging.relay import replay as replay_outbox
from shared.settings import DEFAULT_PORTS, SERVICES, Settings, load_settings

app = typer.Typer(help="Onderop: the platform for Dutch citizen collectives.", no_args_is_help=True)
dlq_app = typer.Typer(help="Inspect, replay and purge dead-lettered events.", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")

DATABASE_NAME = "onderop"


def _services() -> tuple[str, ...]:
    """The services this checkout has (the four of the design, plus partners once it exists)."""
    root = Path(__file__).parent.parent / "services"
    return tuple(s for s in (*SERVICES, "partners") if (root / s / "app.py").exists())


def _ports() -> dict[str, int]:
    """Local ports: 8001–8005 unless `ONDEROP_<SERVICE>_PORT` says otherwise."""
    defaults = DEFAULT_PORTS | {"partners": 8005}
    return {s: int(os.environ.get(f"ONDEROP_{s.upper()}_PORT", port)) for s, port in defaults.items()}


# --- local stack ----------------------------------------------------------------------------------------------


class LocalStack:
    """Embedded servers for whatever URL is not configured; data under `.onderop/` between runs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.postgres: EmbeddedPostgres | None = None
        self.redis: EmbeddedRedis | None = None
        self.wrote_running_file = False

    def start(self) -> Settings:
        home = self.settings.home.absolute()
        updates: dict[str, object] = {}
        if not self.settings.database_url:
            self.postgres = EmbeddedPostgres(home / "pg").start()
            updates["database_url"] = make_url(self.postgres.url).set(database=DATABASE_NAME).render_as_string(False)
            asyncio.run(ensure_database(self.postgres.url, DATABASE_NAME))
        if not self.settings.redis_url:
            self.redis = EmbeddedRedis(home / "redis").start()
            updates["redis_url"] = self.redis.url
        if not self.settings.jwt_public_key and not self.settings.jwks_url:
            private, public = ensure_local_keys(home / "keys")
            updates |= {"jwt_private_key": private, "jwt_public_key": public}
        urls = {k: v for k, v in updates.items() if k in ("database_url", "redis_url")}
        if urls:  # for `onderop status`, `dlq`, `replay` … run beside this `up` (the embedded ports are free ones)
            running_file(self.settings).write_text(json.dumps(urls | {"pid": os.getpid()}))
            self.wrote_running_file = True
        return self.settings.model_copy(update=updates)

    def stop(self) -> None:
        if self.wrote_running_file:
            running_file(self.settings).unlink(missing_ok=True)
        if self.redis:
            self.redis.stop()
        if self.postgres:
            self.postgres.stop()


def running_file(settings: Settings) -> Path:
    return settings.home.absolute() / "running.json"


def running_settings(*needs: str) -> Settings:
    """The settings for a command that works on a platform already running: the configured URLs, else those of the
    embedded servers of a running `onderop up`, else a clear error. `needs`: which URLs (default both)."""
    needs = needs or ("database_url", "redis_url")
    settings = load_settings()
    if all(getattr(settings, name) for name in needs):
        return settings
    try:
        running = json.loads(running_file(settings).read_text())
    except (OSError, ValueError):
        running = {}
    pid = running.get("pid") if isinstance(running, dict) else None
    if not (isinstance(pid, int) and pid > 0 and psutil.pid_exists(pid)):  # none, or left by an `up` that was killed
        running = {}
    settings = settings.model_copy(update={name: getattr(settings, name) or running.get(name) for name in needs})
    if not all(getattr(settings, name) for name in needs):
        names = " and ".join(f"ONDEROP_{name.upper()}" for name in needs)
        typer.echo(f"no running platform found: start one with `onderop up` (in this folder), or set {names}", err=True)
        raise typer.Exit(2)
    return settings


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "ONDEROP_DATABASE_URL": settings.database_url,
            "ONDEROP_REDIS_URL": settings.redis_url,
            "ONDEROP_JWT_PUBLIC_KEY": settings.jwt_public_key,
            "ONDEROP_STREAM_NAMESPACE": settings.stream_namespace,
            "ONDEROP_ENVIRONMENT": settings.environment,
        }
    )
    env.pop("ONDEROP_JWT_PRIVATE_KEY", None)  # services only verify
    return env


def start_service(service: str, port: int, env: dict[str, str], log_dir: Path) -> subprocess.Popen:
    log_dir.mkdir(parents=True, exist_ok=True)
    log = (log_dir / f"{service}.log").open("ab")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            f"services.{service}.app:build",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_ready(ports: dict[str, int], timeout: float) -> dict[str, bool]:
    deadline = time.monotonic() + timeout
    ready = dict.fromkeys(ports, False)
    with httpx.Client(timeout=1.0) as client:
        while time.monotonic() < deadline and not all(ready.values()):
            for service, port in ports.items():
                if not ready[service]:
                    with contextlib.suppress(httpx.HTTPError):
                        ready[service] = client.get(f"http://127.0.0.1:{port}/readyz").status_code == 200
            time.sleep(0.2)
    return ready


def prepare(settings: Settings, services: tuple[str, ...]) -> None:
    asyncio.run(bootstrap_schemas(settings.database_url, services))
    for service in services:
        migrations.upgrade(service, settings.service_database_url(service))


@app.command()
def up(
    seed_demo: Annotated[bool, typer.Option("--seed/--no-seed", help="load demo data into an empty platform")] = True,
    timeout: Annotated[float, typer.Option(help="seconds to wait for readiness")] = 60.0,
) -> None:
    """Start the whole platform: embedded servers when no URLs are set, migrations, the services, demo data."""
    started = time.monotonic()
    services = _services()
    ports = {s: _ports()[s] for s in services}
    taken = [f"{service} ({port})" for service, port in ports.items() if port_in_use(port)]
    if taken:  # else the readiness checks below would answer for whatever already listens there
        typer.echo(
            f"port in use for {', '.join(taken)}: another `onderop up` may be running; stop it, or choose ports "
            "with ONDEROP_<SERVICE>_PORT",
            err=True,
        )
        raise typer.Exit(1)
    stack = LocalStack(load_settings())
    settings = stack.start()
    children: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log_dir = settings.home.absolute() / "logs"
    try:
        prepare(settings, services)
        env = child_env(settings)
        for service in services:
            children[service] = start_service(service, ports[service], env, log_dir)
        ready = wait_ready(ports, timeout)
        if not all(ready.values()):
            typer.echo(f"not ready: {[s for s, ok in ready.items() if not ok]} — see {log_dir}", err=True)
            raise typer.Exit(1)
        typer.echo(f"all {len(services)} services ready in {time.monotonic() - started:.1f}s")
        if seed_demo:
            typer.echo(asyncio.run(run_seed(settings, services)))
        for service, port in ports.items():
            typer.echo(f"  {service:<10} http://127.0.0.1:{port}/{service}/docs")
        typer.echo(f"  logs in {log_dir}; an operator token: onderop token --role operator --sub me")
        typer.echo("Ctrl-C stops everything; the data stays in .onderop/ for the next run.")
        while not stopping:
            for service, child in list(children.items()):
                if child.poll() is not None and not stopping:
                    typer.echo(f"{service} exited with {child.returncode}; restarting", err=True)
                    children[service] = start_service(service, ports[service], env, log_dir)
            time.sleep(0.5)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
        stack.stop()
        typer.echo("stopped")


@app.command()
def migrate() -> None:
    """Create the schemas and roles (with an admin URL) and run every service's migrations."""
    settings = running_settings("database_url")
    prepare(settings, _services())
    typer.echo("migrated: " + ", ".join(_services()))


@app.command("makemigration")
def make_migration(service: str, message: str) -> None:
    """Developers: autogenerate a migration for SERVICE from its models (needs ONDEROP_DATABASE_URL)."""
    settings = load_settings()
    prepare(settings, (service,))
    migrations.autogenerate(service, settings.service_database_url(service), message)


async def run_seed(settings: Settings, services: tuple[str, ...]) -> str:
    from shared.service import build_runtime

    lines = []
    for service in services:
        try:
            seed_module = import_module(f"services.{service}.seed")
        except ModuleNotFoundError:
            continue
        spec = import_module(f"services.{service}.app").SPEC
        runtime = await build_runtime(spec, settings)
        try:
            lines.append(f"{service}: {await seed_module.seed(runtime)}")
        finally:
            await runtime.redis.aclose()
            await runtime.engine.dispose()
    return "demo data — " + "; ".join(lines) if lines else "no demo data"


@app.command()
def seed() -> None:
    """Load the demo data into every service that is still empty (idempotent)."""
    settings = running_settings()
    typer.echo(asyncio.run(run_seed(settings, _services())))


@app.command()
def token(
    role: Annotated[list[str], typer.Option("--role", help=f"one of {', '.join(ROLES)}; repeatable")],
    sub: Annotated[str, typer.Option(help="subject: a contributor id for people")],
    scope: Annotated[
        list[str] | None, typer.Option(help="collective:<id>, funder:<id> or partner:<id>; repeatable")
    ] = None,
    hours: float = 12.0,
) -> None:
    """Print a bearer token signed with the local stack's key."""
    from datetime import timedelta

    scope = scope or []
    settings = load_settings()
    private = settings.jwt_private_key or ensure_local_keys(settings.home.absolute() / "keys")[0]
    unknown = [r for r in role if r not in ROLES]
    if unknown:
        raise typer.BadParameter(f"unknown role(s) {unknown}; use {ROLES}")
    scopes: dict[str, list[str]] = {"collective": [], "funder": [], "partner": []}
    for item in scope:
        kind, _, value = item.partition(":")
        if kind not in scopes or not value:
            raise typer.BadParameter(f"scope {item!r}: use collective:<id>, funder:<id> or partner:<id>")
        scopes[kind].append(value)
    typer.echo(
        issue_token(
            private,
            sub=sub,
            roles=role,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            collectives=scopes["collective"],
            funders=scopes["funder"],
            partner=scopes["partner"][0] if scopes["partner"] else None,
            ttl=timedelta(hours=hours),
        )
    )


@app.command()
def replay(
    service: Annotated[str, typer.Option(help="the producing service")],
    since: Annotated[datetime | None, typer.Option(help="ISO time; default: everything retained")] = None,
    until: Annotated[datetime | None, typer.Option(help="ISO time, exclusive")] = None,
) -> None:
    """Publish a service's retained events again (after Redis lost data); consumers skip what they applied."""
    settings = running_settings()

    async def run() -> int:
        redis = Redis.from_url(settings.redis_url)
        try:
            return await replay_outbox(
                asyncpg_dsn(settings.service_database_url(service)), service, redis, since=since, until=until
            )
        finally:
            await redis.aclose()

    typer.echo(f"replayed {asyncio.run(run())} events of {service}")


def _with_redis(action):
    settings = running_settings("redis_url")

    async def run():
        redis = Redis.from_url(settings.redis_url)
        try:
            return await action(redis, settings)
        finally:
            await redis.aclose()

    return asyncio.run(run())


@dlq_app.command("list")
def dlq_list(consumer: str, count: int = 50) -> None:
    """List the dead-lettered entries of CONSUMER (a service name)."""
    entries = _with_redis(lambda r, s: streams.dlq_list(r, s.dlq_stream(consumer), count))
    for entry_id, record in entries:
        event = json.loads(record["entry"])
        typer.echo(
            f"{entry_id}  {event.get('type', '?'):<55} deliveries={record['deliveries']}  {record['error'][:80]}"
        )
    typer.echo(f"{len(entries)} entries")


@dlq_app.command("show")
def dlq_show(consumer: str, entry_id: str) -> None:
    entries = _with_redis(lambda r, s: streams.dlq_list(r, s.dlq_stream(consumer), 10_000))
    for eid, record in entries:
        if eid == entry_id:
            record["entry"] = json.loads(record["entry"])
            typer.echo(json.dumps(record, indent=2, ensure_ascii=False))
            return
    raise typer.Exit(1)


@dlq_app.command("replay")
def dlq_replay(consumer: str, entry_id: Annotated[list[str] | None, typer.Argument()] = None) -> None:
    """Put entries back on their origin stream (all, or the given ids) and remove them from the DLQ."""
    n = _with_redis(lambda r, s: streams.dlq_replay(r, s.dlq_stream(consumer), entry_id))
    typer.echo(f"replayed {n}")


@dlq_app.command("purge")
def dlq_purge(consumer: str, entry_id: Annotated[list[str] | None, typer.Argument()] = None) -> None:
    n = _with_redis(lambda r, s: streams.dlq_purge(r, s.dlq_stream(consumer), entry_id))
    typer.echo(f"purged {n}")


async def collect_status(settings: Settings, services: tuple[str, ...]) -> list[dict]:
    import asyncpg

    rows = []
    redis = Redis.from_url(settings.redis_url)
    try:
        async with httpx.AsyncClient(timeout=2.0) as client:
            for service in services:
                row: dict = {"service": service}
                try:
                    response = await client.get(f"http://127.0.0.1:{_ports()[service]}/readyz")
                    row["ready"] = response.status_code == 200
                except httpx.HTTPError:
                    row["ready"] = False
                try:
                    conn = await asyncpg.connect(asyncpg_dsn(settings.service_database_url(service)))
                    try:
                        row["outbox_backlog"] = await conn.fetchval(
                            f"SELECT count(*) FROM {service}.outbox WHERE published_at IS NULL"
                        )
                    finally:
                        await conn.close()
                except (OSError, asyncpg.PostgresError) as exc:
                    row["outbox_backlog"] = f"? ({type(exc).__name__})"
                stream = settings.stream(service)
                row["stream_length"] = await redis.xlen(stream)
                row["groups"] = {
                    g.group: {"lag": g.lag, "pending": g.pending} for g in await streams.group_health(redis, stream)
                }
                row["dlq"] = await redis.xlen(settings.dlq_stream(service))
                rows.append(row)
    finally:
        await redis.aclose()
    return rows


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Per service: ready, outbox backlog, stream length, lag and pending per consumer group, DLQ size."""
    settings = running_settings()
    rows = asyncio.run(collect_status(settings, _services()))
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
    else:
        print_status(rows)
    # A non-zero exit when something needs an operator, so scripts and probes can act on it.
    if not all(r["ready"] for r in rows) or any(r["dlq"] for r in rows):
        raise typer.Exit(1)


def print_status(rows: list[dict]) -> None:
    typer.echo(f"{'service':<10} {'ready':<6} {'outbox':>7} {'stream':>7} {'dlq':>5}  groups (lag/pending)")
    for row in rows:
        groups = (
            ", ".join(f"{g}:{'?' if v['lag'] is None else v['lag']}/{v['pending']}" for g, v in row["groups"].items())
            or "-"
        )
        typer.echo(
            f"{row['service']:<10} {'yes' if row['ready'] else 'NO':<6} {row['outbox_backlog']!s:>7} "
            f"{row['stream_length']:>7} {row['dlq']:>5}  {groups}"
        )


# --- direct stream access for trusted partners ---------------------------------------------------------------------

PARTNER_READ_COMMANDS = (
    "+ping",
    "+xread",
    "+xreadgroup",
    "+xack",
    "+xinfo",
    "+xrange",
    "+xrevrange",
    "+xlen",
    "+xpending",
    "+xautoclaim",
    "+xclaim",
    "+xgroup|create",
    "+xgroup|createconsumer",
    "+xgroup|delconsumer",
)


def partner_acl_rules(namespace: str, password: str) -> list[str]:
    """ACL SETUSER rules: read the event streams of `namespace` and manage consumer groups on them, nothing else.

    Redis cannot tie a group to a user: such a user may also read, acknowledge or claim in another partner's group on
    the same stream (docs/partners.md says how to live with that). No XADD, XDEL, XTRIM, XSETID, XGROUP DESTROY or
    SETID, DEL, KEYS, SCAN, CONFIG, FLUSH*; no pub/sub channels; no key outside `<namespace>:events:*`.
    """
    return ["reset", "on", f">{password}", f"~{namespace}:events:*", "resetchannels", "-@all", *PARTNER_READ_COMMANDS]


PARTNER_USER_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


async def grant_partner_access(redis: Redis, namespace: str, name: str, password: str) -> list[str]:
    """Create or replace the ACL user `name`; the rules it got, with the password left out."""
    import re

    if not re.match(PARTNER_USER_NAME, name) or name == "default":
        raise ValueError("a partner user name is 1-64 letters, digits, '.', '_' or '-', and not 'default'")
    if len(password) < 16:
        raise ValueError("use a password of at least 16 characters (e.g. `openssl rand -hex 24`)")
    rules = partner_acl_rules(namespace, password)
    await redis.execute_command("ACL", "SETUSER", name, *rules)
    return [r if not r.startswith(">") else ">…" for r in rules]


async def revoke_partner_access(redis: Redis, name: str) -> int:
    return int(await redis.execute_command("ACL", "DELUSER", name))


@app.command("partner-access")
def partner_access(
    name: Annotated[str, typer.Argument(help="the partner's Redis user name, e.g. gemeente-zwolle")],
    password: Annotated[
        str | None, typer.Option(help="at least 16 characters; asked for when left out", show_default=False)
    ] = None,
    revoke: Annotated[bool, typer.Option("--revoke", help="delete the user instead")] = False,
) -> None:
    """Give a trusted partner read access to the event streams with its own Redis user (ACL), or take it away.

    The user may read every `<namespace>:events:*` stream and create and use consumer groups on them; it cannot
    write, delete or trim entries, nor touch any other key. Run `ACL SAVE` (or keep an aclfile) where Redis persists
    its users; see docs/partners.md.
    """
    if revoke:
        removed = _with_redis(lambda r, s: revoke_partner_access(r, name))
        typer.echo(f"removed Redis user {name}" if removed else f"no Redis user {name}")
        return
    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        rules = _with_redis(lambda r, s: grant_partner_access(r, s.stream_namespace, name, password))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    settings = load_settings()
    typer.echo(f"Redis user {name}: ACL SETUSER {name} {' '.join(rules)}")
    typer.echo(f"streams: {', '.join(settings.stream(s) for s in SERVICES)}")
    typer.echo(f"suggested consumer group: partner-{name} (one per partner; see docs/partners.md)")


if __name__ == "__main__":
    app()
