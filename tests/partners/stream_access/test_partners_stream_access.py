"""Direct stream access for trusted partners: `onderop partner-access` makes a Redis user that can read and consume
the event streams, and can neither write nor delete nor read any other key."""

import secrets
import uuid

import pytest
import redis as sync_redis
from redis.exceptions import AuthenticationError, NoPermissionError
from typer.testing import CliRunner

from shared import cli

pytestmark = pytest.mark.integration


@pytest.fixture
def namespace(settings) -> str:
    return f"{settings.stream_namespace}-acl-{uuid.uuid4().hex[:6]}"


@pytest.fixture
def admin(settings, namespace):
    client = sync_redis.Redis.from_url(settings.redis_url)
    yield client
    for key in client.scan_iter(match=f"{namespace}*"):
        client.delete(key)
    client.close()


def run_cli(settings, namespace: str, *args: str):
    env = {"ONDEROP_REDIS_URL": settings.redis_url, "ONDEROP_STREAM_NAMESPACE": namespace}
    return CliRunner().invoke(cli.app, ["partner-access", *args], env=env)


def test_a_partner_user_reads_and_consumes_the_streams_and_nothing_else(settings, namespace, admin):
    name, password = f"partner-{uuid.uuid4().hex[:8]}", secrets.token_hex(16)
    registry, dlq, other = f"{namespace}:events:registry", f"{namespace}:dlq:funding", f"{namespace}:secret"
    entry_id = admin.xadd(registry, {"id": "e1", "type": "nl.onderop.registry.goal.set.v1", "data": "{}"})
    admin.xadd(dlq, {"error": "boom"})
    admin.set(other, "private")

    result = run_cli(settings, namespace, name, "--password", password)
    assert result.exit_code == 0, result.output
    assert f"~{namespace}:events:*" in result.output and password not in result.output
    partner = sync_redis.Redis.from_url(settings.redis_url, username=name, password=password)
    try:
        assert partner.ping()
        assert partner.xlen(registry) == 1 and partner.xrange(registry)[0][0] == entry_id
        partner.xgroup_create(registry, f"partner-{name}", id="0")
        read = partner.xreadgroup(f"partner-{name}", "worker-1", {registry: ">"}, count=10)
        assert read[0][1][0][0] == entry_id
        assert partner.xack(registry, f"partner-{name}", entry_id) == 1
        assert partner.xinfo_groups(registry)[0]["name"].decode() == f"partner-{name}"

        forbidden = [
            lambda: partner.xadd(registry, {"type": "forged"}),
            lambda: partner.xdel(registry, entry_id),
            lambda: partner.xtrim(registry, maxlen=0),
            lambda: partner.delete(registry),
            lambda: partner.xgroup_destroy(registry, f"partner-{name}"),
            lambda: partner.xrange(dlq),
            lambda: partner.get(other),
            lambda: partner.keys("*"),
            lambda: partner.flushall(),
            lambda: partner.config_get("*"),
            lambda: partner.publish("channel", "x"),
        ]
        for attempt in forbidden:
            with pytest.raises(NoPermissionError):
                attempt()
        assert admin.xlen(registry) == 1 and admin.get(other) == b"private"
    finally:
        partner.close()
        revoked = run_cli(settings, namespace, name, "--revoke")
        assert revoked.exit_code == 0 and "removed" in revoked.output
    with pytest.raises(AuthenticationError):
        sync_redis.Redis.from_url(settings.redis_url, username=name, password=password).ping()


def test_a_weak_password_or_a_bad_name_is_refused(settings, namespace):
    weak = run_cli(settings, namespace, f"partner-{uuid.uuid4().hex[:8]}", "--password", "short")
    assert weak.exit_code != 0 and "16 characters" in weak.output
    default = run_cli(settings, namespace, "default", "--password", secrets.token_hex(16))
    assert default.exit_code != 0


def test_the_rules_never_grant_a_writing_command():
    rules = cli.partner_acl_rules("onderop", "x" * 20)
    assert rules[:2] == ["reset", "on"] and "-@all" in rules and "~onderop:events:*" in rules
    granted = {r[1:].split("|")[0] for r in rules if r.startswith("+")}
    assert not granted & {"xadd", "xdel", "xtrim", "xsetid", "del", "unlink", "keys", "scan", "flushall", "config"}
    assert "+xgroup|destroy" not in rules and "+xgroup|setid" not in rules
