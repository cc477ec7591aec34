"""All services as real processes, started the way `onderop up` starts them, on the test servers.

Shared by tests/e2e and tests/faults (their conftest modules import these fixtures).
"""

from __future__ import annotations

import asyncio
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

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Platform:
    settings: Settings
    urls: dict[str, str]
    processes: dict[str, subprocess.Popen]
    ports: dict[str, int]
    env: dict[str, str]
    log_dir: Path

    def url(self, service: str, path: str) -> str:
        return self.urls[service] + path

    def kill(self, service: str) -> None:
        """SIGKILL: no shutdown hooks, no acknowledgements, pending entries stay with the dead consumer."""
        proc = self.processes[service]
        proc.kill()
        proc.wait(10)

    def start(self, service: str) -> None:
        self.processes[service] = cli.start_service(service, self.ports[service], self.env, self.log_dir)
        ready = cli.wait_ready({service: self.ports[service]}, 60)
        assert ready[service], (self.log_dir / f"{service}.log").read_text()[-2000:]


@pytest.fixture(scope="module")
def platform(settings: Settings, tmp_path_factory, request) -> Iterator[Platform]:
    services = cli._services()
    namespace = f"{settings.stream_namespace}-{request.module.__name__.rsplit('.', 1)[-1][:20]}"
    e2e_settings = settings.model_copy(update={"stream_namespace": namespace})
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
        yield Platform(
            e2e_settings, {s: f"http://127.0.0.1:{p}" for s, p in ports.items()}, processes, ports, env, log_dir
        )
    finally:
        for proc in processes.values():
            proc.terminate()
        for proc in list(processes.values()):
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


__all__ = ["Platform", "eventually", "http", "platform"]
