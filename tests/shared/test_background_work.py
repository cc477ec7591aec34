"""`Runtime.in_background`: housekeeping a request starts and does not wait for."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import pytest

from shared.service import Runtime

pytestmark = pytest.mark.unit


def bare_runtime() -> Runtime:
    unused = None
    return Runtime(
        SimpleNamespace(name="kit"), unused, unused, unused, unused, unused, unused, unused, unused, unused, unused
    )


async def test_background_work_runs_is_forgotten_when_done_and_a_failure_is_logged(caplog) -> None:
    runtime = bare_runtime()
    done = asyncio.Event()

    async def work() -> None:
        done.set()

    async def failing() -> None:
        raise RuntimeError("boom")

    ok = runtime.in_background(work(), "tidy")
    bad = runtime.in_background(failing(), "tidy-more")
    assert set(runtime.tasks) == {ok, bad} and ok.get_name() == "kit-tidy"
    with caplog.at_level(logging.WARNING, logger="onderop.service"):
        await asyncio.gather(ok, bad)
        await asyncio.sleep(0)  # done callbacks run on the next loop iteration
    assert done.is_set()
    assert runtime.tasks == []
    assert "background work tidy-more failed" in caplog.text
