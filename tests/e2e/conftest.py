"""All services as real processes, started the way `onderop up` starts them, on the test servers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from shared import cli
from shared.devstack import free_port
from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Platform:
    settings: Settings
    urls: dict[str, str]
    processes: dict[str, subprocess.Popen]

    def url(self, service: str, path: str) -> str:
        return self.urls[service] + path


@pytest.fixture(scope="module")
def platform(settings: Settings, tmp_path_factory) -> Iterator[Platform]:
    services = cli._services()
    e2e_settings = settings.model_copy(update={"stream_namespace": f"{settings.stream_namespace}-e2e"})
    cli.prepare(e2e_settings, services)
    env = cli.child_env(e2e_settings) | {
        "ONDEROP_CLAIM_IDLE_MS": "1000",
        "ONDEROP_RELAY_POLL_INTERVAL_MS": "50",
        "ONDEROP_LOG_JSON": "false",
        "PYTHONPATH": str(ROOT),
    }
    log_dir = tmp_path_factory.mktemp("e2e-logs")
    ports = {s: free_port() for s in services}
    processes = {s: cli.start_service(s, ports[s], env, log_dir) for s in services}
    try:
        ready = cli.wait_ready(ports, 60)
        if not all(ready.values()):
            logs = {s: (log_dir / f"{s}.log").read_text()[-2000:] for s in services}
            pytest.fail(f"services not ready: {ready}\n{logs}")
        yield Platform(e2e_settings, {s: f"http://127.0.0.1:{p}" for s, p in ports.items()}, processes)
    finally:
        for proc in processes.values():
            proc.terminate()
        for proc in processes.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


async def eventually(fetch, check, timeout: float = 20.0, what: str = "condition"):
    """Poll `fetch()` until `check(result)` holds; return the result."""
    deadline = time.monotonic() + timeout
    result = None
    while time.monotonic() < deadline:
        result = await fetch()
        if check(result):
            return result
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; last: {getattr(result, 'text', result)!s:.500}")


@pytest.fixture
async def http() -> Iterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


__all__ = ["eventually", "os"]
