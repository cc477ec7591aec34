"""How `onderop status`, `dlq`, `replay` … find a platform started by `onderop up` on embedded servers."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from shared import cli

pytestmark = pytest.mark.unit

URLS = {"database_url": "postgresql+asyncpg://postgres@127.0.0.1:1/onderop", "redis_url": "redis://127.0.0.1:1/0"}


def settings_seen(home, monkeypatch, running: dict | None):
    for name in ("ONDEROP_DATABASE_URL", "ONDEROP_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ONDEROP_HOME", str(home))
    if running is not None:
        (home / "running.json").write_text(json.dumps(running))
    return cli.running_settings()


def test_the_urls_of_a_running_up_are_found(tmp_path, monkeypatch) -> None:
    settings = settings_seen(tmp_path, monkeypatch, URLS | {"pid": os.getpid()})
    assert (settings.database_url, settings.redis_url) == (URLS["database_url"], URLS["redis_url"])


@pytest.mark.parametrize("running", [None, URLS | {"pid": 2**22 + 12345}, URLS, {"pid": "x"}, []])
def test_without_a_live_up_the_command_says_so(tmp_path, monkeypatch, running) -> None:
    # no file; one left by an `up` that was killed (no such process); one without a pid; nonsense
    with pytest.raises(cli.typer.Exit) as stopped:
        settings_seen(tmp_path, monkeypatch, running)
    assert stopped.value.exit_code == 2


def test_status_beside_no_platform_exits_2_with_a_clear_message(tmp_path, monkeypatch) -> None:
    for name in ("ONDEROP_DATABASE_URL", "ONDEROP_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(cli.app, ["status"], env={"ONDEROP_HOME": str(tmp_path)})
    assert result.exit_code == 2 and "no running platform" in result.output
