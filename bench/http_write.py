"""HTTP write benchmark: POST /registry/v1/collectives req/s through the real app, next to a bare baseline.

Both servers run under uvicorn in their own subprocess on a free loopback port, against the same PostgreSQL (a
database made for this run and dropped after it) and Redis; one raw asyncio HTTP/1.1 keep-alive client with
`--concurrency` connections drives them for `--seconds` each, in alternating rounds so that a noisy neighbour on the
machine hurts both alike, after a short warm-up. The registry route runs through the whole kit (middleware, token
check, validation with python-stdnum and the vocabulary) and writes the collective, the founder's membership, a
history row and two outbox events atomically, while its relay publishes them to Redis. The baseline is a bare
FastAPI route inserting one row with asyncpg.

    .venv/bin/python -m bench.http_write [--seconds 15] [--concurrency 32]

Uses ONDEROP_DATABASE_URL / ONDEROP_REDIS_URL (an admin URL) when set, else the machine's 127.0.0.1 servers, else
embedded ones (bench/common.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE_TABLE = """
CREATE TABLE IF NOT EXISTS bare_collectives (
    id uuid PRIMARY KEY, name text NOT NULL, kind text, legal_form text, kvk_number text, municipality_code text,
    stage text, created_at timestamptz DEFAULT now()
)"""
ROUNDS = 3


# --- the baseline app (imported by its uvicorn subprocess) ---------------------------------------------------------


def bare_app():
    import asyncpg
    from fastapi import FastAPI

    state: dict = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        state["pool"] = await asyncpg.create_pool(os.environ["BENCH_BARE_DSN"], min_size=10, max_size=20)
        yield
        await state["pool"].close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.post("/bare/collectives", status_code=201)
    async def create(body: dict) -> dict:
        row_id = uuid.uuid4()
        await state["pool"].execute(
            "INSERT INTO bare_collectives (id, name, kind, legal_form, kvk_number, municipality_code, stage) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            row_id,
            body["name"],
            body["kind"],
            body["legal_form"],
            body.get("kvk_number"),
            body["municipality_code"],
            body["stage"],
        )
        return {"id": str(row_id)}

    return app


# --- load client ---------------------------------------------------------------------------------------------------


@dataclass
class Result:
    ok: int = 0
    failed: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds spent while this target was driven


def cpu_seconds(server_pid: int) -> dict[tuple[str, int], float]:
    """CPU time so far, per process, of the server under test, this client, and every PostgreSQL and Redis process
    (those are shared with whatever else runs on the machine, so their share is an upper bound)."""
    import psutil

    seconds: dict[tuple[str, int], float] = {}
    for process in psutil.process_iter(["name"]):
        name = process.info["name"] or ""
        if process.pid == server_pid:
            key = "server"
        elif process.pid == os.getpid():
            key = "client"
        elif name.startswith(("postgres", "redis")):
            key = name[:5].replace("postg", "postgres")
        else:
            continue
        try:
            times = process.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        seconds[(key, process.pid)] = times.user + times.system
    return seconds


def cpu_spent(before: dict[tuple[str, int], float], after: dict[tuple[str, int], float]) -> dict[str, float]:
    """Per kind of process; a process that ended in between is left out (its last moments are not counted)."""
    spent: dict[str, float] = {}
    for (kind, pid), seconds in after.items():
        spent[kind] = spent.get(kind, 0.0) + seconds - before.get((kind, pid), 0.0)
    return spent


_numbers = itertools.count(10_000_000)


def next_body() -> bytes:
    number = next(_numbers)
    return json.dumps(
        {
            "name": f"Energiecoöperatie Bench {number}",
            "kind": "energy_cooperative",
            "legal_form": "cooperative",
            "kvk_number": str(number),
            "municipality_code": "GM0106",
            "postcode": "9401 HJ",
            "stage": "startup",
            "member_count": 40,
            "volunteer_count": 6,
            "themes": ["energy"],
            "description": "Leden leggen samen zonnepanelen op daken in de wijk.",
            "contact_email": "info@bench.example.org",
        }
    ).encode()


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = next(int(v) for k, _, v in (line.partition(":") for line in lines[1:]) if k.lower() == "content-length")
    await reader.readexactly(length)
    return status


async def requests(port: int, path: str, headers: str, until: float, result: Result) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    loop = asyncio.get_running_loop()
    try:
        while loop.time() < until:
            body = next_body()
            request = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{headers}"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            writer.write(request)
            status = await read_response(reader)
            if status == 201:
                result.ok += 1
            else:
                result.failed += 1
                result.statuses[status] = result.statuses.get(status, 0) + 1
    finally:
        writer.close()


async def connection(port: int, path: str, headers: str, until: float, result: Result) -> None:
    """One keep-alive connection; a connection the server drops counts as a failure (status 0) and is reopened."""
    while asyncio.get_running_loop().time() < until:
        try:
            await requests(port, path, headers, until, result)
        except (ConnectionError, asyncio.IncompleteReadError):
            result.failed += 1
            result.statuses[0] = result.statuses.get(0, 0) + 1


async def drive(port: int, path: str, headers: dict[str, str], seconds: float, concurrency: int) -> Result:
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    result = Result()
    until = asyncio.get_running_loop().time() + seconds
    await asyncio.gather(*(connection(port, path, extra, until, result) for _ in range(concurrency)))
    return result


# --- servers -------------------------------------------------------------------------------------------------------


def start_uvicorn(target: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "uvicorn", target, "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"]
    return subprocess.Popen(command, env=env, cwd=ROOT)


async def wait_until_up(port: int, path: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=1.0) as client:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"http://127.0.0.1:{port}{path}")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise TimeoutError(f"nothing ready on port {port}")


async def register_person(port: int, headers: dict[str, str]) -> None:
    import httpx

    body = {"display_name": "Bench Tester", "email": f"bench-{uuid.uuid4().hex[:8]}@example.org"}
    async with httpx.AsyncClient() as client:
        response = await client.post(f"http://127.0.0.1:{port}/registry/v1/contributors", json=body, headers=headers)
        response.raise_for_status()


async def create_bare_table(admin_url: str) -> None:
    import asyncpg

    from shared.db import asyncpg_dsn

    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        await conn.execute(BARE_TABLE)
    finally:
        await conn.close()


async def forget_stream(redis_url: str, namespace: str) -> None:
    from redis.asyncio import Redis

    redis = Redis.from_url(redis_url)
    async for key in redis.scan_iter(match=f"{namespace}*"):
        await redis.delete(key)
    await redis.aclose()


async def measure(
    args: argparse.Namespace, ports: dict[str, int], pids: dict[str, int], token: str
) -> dict[str, Result]:
    auth = {"Authorization": f"Bearer {token}"}
    await wait_until_up(ports["bare"], "/healthz")
    await wait_until_up(ports["registry"], "/readyz")
    await register_person(ports["registry"], auth)
    targets = {
        "bare": (ports["bare"], "/bare/collectives", {}),
        "registry": (ports["registry"], "/registry/v1/collectives", auth),
    }
    for port, path, headers in targets.values():
        await drive(port, path, headers, args.warmup, args.concurrency)
    totals = {name: Result() for name in targets}
    for _ in range(ROUNDS):
        for name, target in targets.items():
            before = cpu_seconds(pids[name])
            result = await drive(*target, args.seconds / ROUNDS, args.concurrency)
            for key, seconds in cpu_spent(before, cpu_seconds(pids[name])).items():
                totals[name].cpu[key] = totals[name].cpu.get(key, 0.0) + seconds
            totals[name].ok += result.ok
            totals[name].failed += result.failed
            for status, count in result.statuses.items():
                totals[name].statuses[status] = totals[name].statuses.get(status, 0) + count
    return totals


def report(results: dict[str, Result], seconds: float, concurrency: int) -> None:
    rates = {name: result.ok / seconds for name, result in results.items()}
    for name, result in results.items():
        failures = f", {result.failed} failed {result.statuses}" if result.failed else ""
        print(
            f"{name:<9} {rates[name]:8.0f} req/s  ({result.ok} in {seconds:.0f} s, {concurrency} connections{failures})"
        )
    print("CPU per request (ms):")
    for name, result in results.items():
        parts = ", ".join(f"{key} {1000 * seconds / max(result.ok, 1):.2f}" for key, seconds in result.cpu.items())
        print(f"  {name:<9} {parts}")
    ratio = rates["registry"] / rates["bare"] if rates["bare"] else 0.0
    print(f"ratio     {ratio:8.2f}  (registry / bare; target >= 0.6)")


async def run(args: argparse.Namespace) -> dict[str, Result]:
    from bench.common import bench_servers
    from shared import migrations
    from shared.auth import generate_key_pair, issue_token
    from shared.db import asyncpg_dsn
    from shared.devstack import free_port
    from shared.settings import load_settings

    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    async with bench_servers(schemas=("registry",)) as servers:
        settings = load_settings(database_url=servers.admin_url, redis_url=servers.redis_url)
        await asyncio.to_thread(migrations.upgrade, "registry", settings.service_database_url("registry"))
        await create_bare_table(servers.admin_url)
        private, public = generate_key_pair()
        claims = {"issuer": settings.jwt_issuer, "audience": settings.jwt_audience}
        token = issue_token(private, sub=str(uuid.uuid4()), roles=["contributor"], **claims)
        env = dict(os.environ) | {
            "ONDEROP_DATABASE_URL": servers.admin_url,
            "ONDEROP_REDIS_URL": servers.redis_url,
            "ONDEROP_STREAM_NAMESPACE": namespace,
            "ONDEROP_JWT_PUBLIC_KEY": public,
            "ONDEROP_LOG_LEVEL": "WARNING",
            "BENCH_BARE_DSN": asyncpg_dsn(servers.admin_url),
        }
        env.pop("ONDEROP_JWT_PRIVATE_KEY", None)
        ports = {"registry": free_port(), "bare": free_port()}
        processes = [
            start_uvicorn("services.registry.app:build", ports["registry"], env),
            start_uvicorn("bench.http_write:bare_app", ports["bare"], env),
        ]
        try:
            return await measure(args, ports, {name: p.pid for name, p in zip(ports, processes, strict=True)}, token)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                await asyncio.to_thread(process.wait, 15)
            await forget_stream(servers.redis_url, namespace)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    report(asyncio.run(run(args)), args.seconds, args.concurrency)


if __name__ == "__main__":
    main()
