"""Webhook delivery benchmark: deliveries/s and latency to a local receiver with 10 subscriptions, and what happens
to the other nine when one receiver hangs.

The partner service runs in this process (consumer, delivery worker, routes) against a database made for this run;
the receiver is a bare ASGI app under uvicorn in its own process on a free loopback port, so the two do not share a
CPU core's interpreter lock. Events are written to the registry stream the way its relay writes them. Latency is
measured from the event's `time` (set when it is written) to its arrival at the receiver: stream → consumer →
`deliveries` row → claim → signed POST. Three rounds:

1. burst: `--events` events at once (× 10 subscriptions) — sustained deliveries/s while draining the backlog;
2. steady: `--rate` events/s for `--seconds` — p50/p99 latency when keeping up;
3. one hangs: the same steady load while one of the ten receivers never answers (the worker times out after
   `--timeout` s) — the other nine's latency and throughput beside round 2's.

Baseline: a bare httpx client posting the same bodies to the same receiver with the same concurrency (the
receiver's and loopback's ceiling).

    .venv/bin/python -m bench.webhooks [--events 2000] [--rate 20] [--seconds 15] [--timeout 5]

Uses ONDEROP_DATABASE_URL / ONDEROP_REDIS_URL (admin URL) when set, else the machine's 127.0.0.1 servers, else
embedded ones (bench/common.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBSCRIPTIONS = 10

# --- the receiver (run by uvicorn in its own process) ----------------------------------------------------------

_latencies: dict[str, list[float]] = defaultdict(list)


async def receiver_app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    path = scope["path"]
    if path in ("/stats", "/counts"):
        counts = {hook: len(values) for hook, values in _latencies.items()}
        body = json.dumps(_latencies if path == "/stats" else counts).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})
        return
    if path == "/reset":
        _latencies.clear()
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    chunks = []
    more = True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    arrived = time.time()
    hook = path.rsplit("/", 1)[-1]
    if hook.startswith("hang"):
        await asyncio.sleep(3600)
    event_time = json.loads(b"".join(chunks))["time"]
    _latencies[hook].append(arrived - datetime.fromisoformat(event_time.replace("Z", "+00:00")).timestamp())
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def start_receiver(port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.webhooks:receiver_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
            "--timeout-graceful-shutdown",
            "1",
        ],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )


# --- the run ---------------------------------------------------------------------------------------------------


def flat(lists) -> list[float]:
    return list(itertools.chain.from_iterable(lists))


def summarise(values: list[float]) -> str:
    from bench.common import percentile

    if not values:
        return "none"
    ms = sorted(v * 1000 for v in values)
    return f"p50 {percentile(ms, 50):.0f} ms, p99 {percentile(ms, 99):.0f} ms, max {ms[-1]:.0f} ms"


async def main(args: argparse.Namespace) -> None:
    import httpx
    from redis.asyncio import Redis

    from bench.common import bench_servers
    from services.partners.app import build
    from services.partners.settings import PartnersSettings
    from shared import migrations
    from shared.auth import generate_key_pair, issue_token
    from shared.contracts.envelope import make_event
    from shared.contracts.registry import MembershipAdded
    from shared.devstack import free_port
    from shared.messaging.relay import entry_fields
    from shared.settings import Settings

    logging.basicConfig(level=logging.WARNING)
    async with bench_servers(schemas=("partners",)) as servers:
        private, public = generate_key_pair()
        settings = Settings(
            environment="test",
            database_url=servers.admin_url,
            redis_url=servers.redis_url,
            stream_namespace=f"bench-{uuid.uuid4().hex[:8]}",
            jwt_public_key=public,
            jwt_private_key=private,
            log_json=False,
            log_level="WARNING",
        )
        await asyncio.to_thread(migrations.upgrade, "partners", settings.service_database_url("partners"))
        partners_settings = PartnersSettings(allow_hosts=["127.0.0.1"], timeout=args.timeout)
        port = free_port()
        receiver = start_receiver(port)
        redis = Redis.from_url(settings.redis_url)
        stream = settings.stream("registry")
        operator = {
            "Authorization": "Bearer "
            + issue_token(private, sub="bench", roles=["operator"], issuer="onderop-local", audience="onderop")
        }
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as plain:
                for _ in range(100):
                    with contextlib.suppress(httpx.HTTPError):
                        if (await plain.get("/stats")).status_code == 200:
                            break
                    await asyncio.sleep(0.1)

                async def stats() -> dict[str, list[float]]:
                    return (await plain.get("/stats")).json()

                async def publish(count: int) -> None:
                    async with redis.pipeline(transaction=False) as pipe:
                        for _ in range(count):
                            data = MembershipAdded(
                                collective_id=uuid.uuid4(), contributor_id=uuid.uuid4(), role="member", version=1
                            )
                            event = make_event(data, subject=f"{data.collective_id}/{data.contributor_id}", sequence=1)
                            row = {
                                "event_id": event.id,
                                "type": event.type,
                                "subject": event.subject,
                                "payload": event.model_dump(mode="json"),
                            }
                            pipe.xadd(stream, entry_fields(row))
                        await pipe.execute()

                async def wait_for(total: int, hooks: list[str], limit: float) -> float:
                    started = time.monotonic()
                    while time.monotonic() - started < limit:
                        got = (await plain.get("/counts")).json()
                        if sum(got.get(h, 0) for h in hooks) >= total:
                            break
                        await asyncio.sleep(0.1)
                    return time.monotonic() - started

                async def steady(seconds: float, rate: int) -> None:
                    ticks = int(seconds * 10)
                    per_tick = max(1, rate // 10)
                    started = time.monotonic()
                    for tick in range(ticks):
                        await publish(per_tick)
                        await asyncio.sleep(max(0.0, started + (tick + 1) / 10 - time.monotonic()))

                # Baseline: bare httpx clients in the worker's shape (one per subscription, `per_subscription`
                # requests at a time each) posting the same kind of body to the same receiver.
                body = json.dumps({"time": datetime.now().astimezone().isoformat(), "data": {}})
                shape = [
                    (
                        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}"),
                        asyncio.Semaphore(partners_settings.per_subscription),
                    )
                    for _ in range(SUBSCRIPTIONS)
                ]

                async def post_one(i: int) -> None:
                    client, sem = shape[i % SUBSCRIPTIONS]
                    async with sem:
                        await client.post("/hook/baseline", content=body)

                t0 = time.monotonic()
                await asyncio.gather(*(post_one(i) for i in range(args.events * 2)))
                baseline = args.events * 2 / (time.monotonic() - t0)
                for client, _ in shape:
                    await client.aclose()
                await plain.post("/reset")

                app = build(settings, partners_settings)
                async with app.router.lifespan_context(app):
                    api = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")
                    partner = (await api.post("/partners/v1/partners", json={"name": "bench"}, headers=operator)).json()
                    hooks = [f"fast{i}" for i in range(SUBSCRIPTIONS)]
                    subs = {}
                    for hook in hooks:
                        r = await api.post(
                            f"/partners/v1/partners/{partner['id']}/subscriptions",
                            json={
                                "url": f"http://127.0.0.1:{port}/hook/{hook}",
                                "event_types": [MembershipAdded.event_type()],
                            },
                            headers=operator,
                        )
                        subs[hook] = r.json()["id"]

                    print(
                        f"baseline: bare httpx, {SUBSCRIPTIONS} clients × {partners_settings.per_subscription} "
                        f"concurrent → receiver: {baseline:,.0f} req/s"
                    )

                    # 1. burst
                    await plain.post("/reset")
                    t0 = time.monotonic()
                    await publish(args.events)
                    took = await wait_for(args.events * SUBSCRIPTIONS, hooks, 300)
                    got = await stats()
                    total = sum(len(got.get(h, [])) for h in hooks)
                    print(
                        f"1. burst of {args.events} events × {SUBSCRIPTIONS} subscriptions: {total:,} deliveries in "
                        f"{took:.1f} s = {total / took:,.0f} deliveries/s; latency {summarise(flat(got.values()))}"
                    )

                    # 2. steady
                    await asyncio.sleep(1)
                    await plain.post("/reset")
                    expected = (args.rate // 10) * int(args.seconds * 10)
                    t0 = time.monotonic()
                    await steady(args.seconds, args.rate)
                    await wait_for(expected * SUBSCRIPTIONS, hooks, 60)
                    got = await stats()
                    steady_total = sum(len(got.get(h, [])) for h in hooks)
                    print(
                        f"2. steady {args.rate} events/s × {SUBSCRIPTIONS} = {args.rate * SUBSCRIPTIONS} deliveries/s "
                        f"for {args.seconds:g} s: {steady_total:,}/{expected * SUBSCRIPTIONS:,} delivered; "
                        f"latency {summarise(flat(got.values()))}"
                    )

                    # 3. one receiver hangs
                    hung = hooks[0]
                    r = await api.get(
                        f"/partners/v1/partners/{partner['id']}/subscriptions/{subs[hung]}", headers=operator
                    )
                    await api.patch(
                        f"/partners/v1/partners/{partner['id']}/subscriptions/{subs[hung]}",
                        json={"url": f"http://127.0.0.1:{port}/hook/hang0"},
                        headers={**operator, "If-Match": r.headers["etag"]},
                    )
                    await asyncio.sleep(1)
                    await plain.post("/reset")
                    others = hooks[1:]
                    t0 = time.monotonic()
                    await steady(args.seconds, args.rate)
                    await wait_for(expected * len(others), others, 60)
                    got = await stats()
                    other_total = sum(len(got.get(h, [])) for h in others)
                    print(
                        f"3. same load, {hung} hangs (timeout {args.timeout:g} s): the other {len(others)} got "
                        f"{other_total:,}/{expected * len(others):,}; their latency "
                        f"{summarise(flat(got.get(h, []) for h in others))}"
                    )
                    async with app.state.runtime.sessions() as session:
                        from sqlalchemy import text

                        hanging = (
                            await session.execute(
                                text(
                                    "SELECT status, count(*) FROM partners.deliveries WHERE subscription_id = :s "
                                    "GROUP BY status ORDER BY status"
                                ),
                                {"s": subs[hung]},
                            )
                        ).all()
                    print(
                        f"   the hanging subscription's deliveries: {dict(hanging)} (at most "
                        f"{partners_settings.per_subscription} in flight at once)"
                    )
                    await api.aclose()
        finally:
            receiver.terminate()
            receiver.wait(10)
            await redis.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rate", type=int, default=20, help="events/s in the steady rounds (× 10 deliveries)")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--timeout", type=float, default=5.0)
    asyncio.run(main(parser.parse_args()))
