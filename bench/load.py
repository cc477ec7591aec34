"""Load test: a realistic mix of reads and writes against all services as processes, on loopback.

A bounded asyncio client (fixed concurrency, bounded duration) drives the public routes; reported are throughput,
p50/p99 per route, the error count (target 0), the memory (RSS) of every service process at start and end (target:
flat) and how long the event lag takes to drain once the load stops (target: within 10 s).

    python -m bench.load [--seconds 300] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import random
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psutil
from redis.asyncio import Redis

from bench.common import bench_servers, percentile
from shared import cli
from shared.auth import generate_key_pair, issue_token
from shared.devstack import free_port
from shared.messaging import streams
from shared.settings import Settings

MUNICIPALITIES = ["GM1680", "GM0363", "GM0599", "GM0344", "GM0014", "GM0080", "GM0193", "GM0935"]
KINDS = ["residents_initiative", "village_cooperative", "energy_cooperative", "care_cooperative", "local_fund"]


class Client:
    def __init__(self, urls: dict[str, str], private_key: str, settings: Settings) -> None:
        self.urls = urls
        self.latencies: dict[str, list[float]] = collections.defaultdict(list)
        self.errors: collections.Counter[str] = collections.Counter()
        self.collectives: list[tuple[str, str]] = []  # (id, etag)
        self.not_yet_consistent = 0
        self.private_key = private_key
        self.settings = settings

    def token(self, *roles: str, sub: str | None = None) -> dict[str, str]:
        value = issue_token(
            self.private_key,
            sub=sub or str(uuid.uuid4()),
            roles=list(roles),
            issuer=self.settings.jwt_issuer,
            audience=self.settings.jwt_audience,
        )
        return {"Authorization": f"Bearer {value}"}

    async def call(self, http: httpx.AsyncClient, name: str, method: str, url: str, **kwargs) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await http.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self.errors[f"{name}: {type(exc).__name__}"] += 1
            return None
        self.latencies[name].append(time.perf_counter() - started)
        expected = (name == "patch collective" and response.status_code == 412) or (
            # funding learns of a new collective from the registry's events a moment later: not a fault
            name == "matches" and response.status_code == 404
        )
        if response.status_code >= 400 and not expected:
            self.errors[f"{name}: {response.status_code}"] += 1
        elif response.status_code == 404:
            self.not_yet_consistent += 1
        return response

    async def one(self, http: httpx.AsyncClient, operator: dict[str, str]) -> None:
        r = random.random()
        reg, fun, kno = self.urls["registry"], self.urls["funding"], self.urls["knowledge"]
        if r < 0.10 or not self.collectives:
            response = await self.call(
                http,
                "register collective",
                "POST",
                f"{reg}/registry/v1/collectives",
                json={
                    "name": f"Lastproef {uuid.uuid4().hex[:8]}",
                    "kind": random.choice(KINDS),
                    "legal_form": "association",
                    "municipality_code": random.choice(MUNICIPALITIES),
                    "stage": random.choice(["startup", "growth"]),
                    "member_count": random.randint(5, 500),
                    "themes": ["liveability"],
                },
                headers=operator,
            )
            if response is not None and response.status_code == 201:
                self.collectives.append((response.json()["id"], response.headers["etag"]))
        elif r < 0.15:
            index = random.randrange(len(self.collectives))
            cid, tag = self.collectives[index]
            response = await self.call(
                http,
                "patch collective",
                "PATCH",
                f"{reg}/registry/v1/collectives/{cid}",
                json={"member_count": random.randint(5, 900)},
                headers=operator | {"If-Match": tag},
            )
            if response is not None and response.status_code == 200:
                self.collectives[index] = (cid, response.headers["etag"])
        elif r < 0.35:
            await self.call(
                http,
                "list collectives",
                "GET",
                f"{reg}/registry/v1/collectives",
                params={"province": "PV22", "limit": 20},
            )
        elif r < 0.50:
            cid, _ = random.choice(self.collectives)
            await self.call(http, "get collective", "GET", f"{reg}/registry/v1/collectives/{cid}")
        elif r < 0.70:
            await self.call(
                http,
                "search",
                "GET",
                f"{kno}/knowledge/v1/search",
                params={"q": random.choice(["energiecoöperatie", "zorg", "subsidie", "leden", "dorp"])},
            )
        elif r < 0.85:
            cid, _ = random.choice(self.collectives)
            await self.call(http, "matches", "GET", f"{fun}/funding/v1/collectives/{cid}/matches")
        elif r < 0.92:
            await self.call(http, "stats", "GET", f"{reg}/registry/v1/stats")
        else:
            await self.call(http, "instruments", "GET", f"{fun}/funding/v1/instruments", params={"stage": "startup"})


def rss(processes: dict[str, psutil.Process]) -> dict[str, float]:
    return {s: round(p.memory_info().rss / 2**20, 1) for s, p in processes.items()}


async def total_lag(redis: Redis, settings: Settings, services: tuple[str, ...]) -> int:
    total = 0
    for producer in services:
        for health in await streams.group_health(redis, settings.stream(producer)):
            total += (health.lag or 0) + health.pending
    return total


async def main(seconds: float, concurrency: int) -> dict:
    services = cli._services()
    async with bench_servers(services) as servers:
        private, public = generate_key_pair()
        settings = Settings(
            database_url=servers.admin_url,
            redis_url=servers.redis_url,
            stream_namespace=f"load-{uuid.uuid4().hex[:6]}",
            jwt_public_key=public,
            jwt_private_key=private,
            environment="test",
        )
        await asyncio.to_thread(cli.prepare, settings, services)
        ports = {s: free_port() for s in services}
        log_dir = Path(tempfile.mkdtemp(prefix="onderop-load-"))
        children = {s: cli.start_service(s, ports[s], cli.child_env(settings), log_dir) for s in services}
        redis = Redis.from_url(settings.redis_url)
        try:
            ready = await asyncio.to_thread(cli.wait_ready, ports, 60)
            assert all(ready.values()), f"not ready, see {log_dir}"
            print(await cli.run_seed(settings, services), flush=True)
            processes = {s: psutil.Process(p.pid) for s, p in children.items()}
            await asyncio.sleep(5)  # let the seed's events settle before the baseline memory reading
            memory_start = rss(processes)
            client = Client({s: f"http://127.0.0.1:{p}" for s, p in ports.items()}, private, settings)
            operator = client.token("operator", sub="load-operator")
            stop_at = time.monotonic() + seconds
            requests = 0

            async def worker(http: httpx.AsyncClient) -> None:
                nonlocal requests
                while time.monotonic() < stop_at:
                    await client.one(http, operator)
                    requests += 1

            limits = httpx.Limits(max_connections=concurrency * 2)
            started = time.monotonic()
            async with httpx.AsyncClient(timeout=15, limits=limits) as http:
                await asyncio.gather(*(worker(http) for _ in range(concurrency)))
            elapsed = time.monotonic() - started
            drain_started = time.monotonic()
            while await total_lag(redis, settings, services) > 0 and time.monotonic() - drain_started < 60:
                await asyncio.sleep(0.2)
            drained_in = time.monotonic() - drain_started
            memory_end = rss(processes)
            routes = {
                name: {
                    "count": len(v),
                    "p50_ms": round(percentile(v, 50) * 1000, 1),
                    "p99_ms": round(percentile(v, 99) * 1000, 1),
                }
                for name, v in sorted(client.latencies.items())
            }
            summary = {
                "seconds": round(elapsed),
                "concurrency": concurrency,
                "requests": requests,
                "requests_per_s": round(requests / elapsed, 1),
                "errors": dict(client.errors),
                "routes": routes,
                "rss_mib_start": memory_start,
                "rss_mib_end": memory_end,
                "lag_drained_in_s": round(drained_in, 1),
            }
            print(json.dumps(summary, indent=2, ensure_ascii=False))
            return summary
        finally:
            await redis.aclose()
            for child in children.values():
                child.terminate()
            for child in children.values():
                child.wait(20)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.concurrency))
