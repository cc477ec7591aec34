# ruff: noqa: F811  (the `world` fixture imported from authz_world is a parameter of the tests)
"""Every write route, sent the valid request of the authorisation matrix by a caller allowed to make it, but with a
NUL character in one string of the body (a top-level string, the first item of a list of strings, a key or value of
an object): the service refuses it (4xx, as problem+json) or serves it — never a 5xx.

PostgreSQL's text types cannot hold NUL, so a string the validation lets through reaches the database and fails
there; the random fuzzing in test_fuzz_services.py meets this only now and then, this goes through every field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from shared.http import PROBLEM_JSON
from tests.authz.authz_world import (  # noqa: F401  (fast_token and world are fixtures)
    MATRIX,
    SERVICES,
    Call,
    Rule,
    World,
    fast_token,
    world,
    write_routes,
)

pytestmark = pytest.mark.integration

NUL = "\x00"


def with_nul(body: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(field, its value with a NUL in it), for every string the body carries at its first two levels."""
    for name, value in body.items():
        if isinstance(value, str):
            yield name, value[:10] + NUL + value[10:]
        elif isinstance(value, list) and value and isinstance(value[0], str):
            yield name, [value[0] + NUL, *value[1:]]
        elif isinstance(value, dict) and value:
            key = next(iter(value))
            yield name, {key + NUL: value[key]}
            if isinstance(value[key], str):
                yield name, {key: value[key] + NUL}


def allowed_caller(world: World, rule: Rule, call: Call) -> dict[str, str] | None:
    """Someone the matrix lets make this request, so that only the NUL can be the reason to refuse it."""
    if call.owner is not None:
        return call.owner
    if not rule.allowed:
        return None
    role = "operator" if "operator" in rule.allowed else sorted(rule.allowed)[0]
    return call.as_role.get(role, world.roles[role])


def test_every_string_in_a_body_gets_a_nul():
    body = {"name": "Zonnedak", "themes": ["energy"], "values": {"members": 7}, "amount": 5, "note": "x" * 12}
    assert list(with_nul(body)) == [
        ("name", "Zonnedak\x00"),
        ("themes", ["energy\x00"]),
        ("values", {"members\x00": 7}),
        ("note", "xxxxxxxxxx\x00xx"),
    ]


@pytest.mark.parametrize("world", SERVICES, indirect=True)
async def test_a_nul_in_any_string_of_a_valid_request_is_refused_not_a_server_error(world: World):
    wrong: list[str] = []
    sent = 0
    for key in sorted(write_routes(world.service, world.settings)):
        rule = MATRIX[key]
        template = await rule.prepare(world)
        if not isinstance(template.body, dict) or allowed_caller(world, rule, template) is None:
            continue
        for name, hostile in with_nul(template.body):
            call = await rule.prepare(world)
            call.body[name] = hostile
            response = await world.request(call, allowed_caller(world, rule, call) or {})
            sent += 1
            refused_properly = response.status_code < 500 and (
                response.status_code < 400 or response.headers.get("content-type", "").startswith(PROBLEM_JSON)
            )
            if not refused_properly:
                wrong.append(f"{call.method} {key[2]} with {name}={hostile!r}: {response.status_code} {response.text}")
    assert sent > 0
    assert not wrong, f"{len(wrong)} of {sent} requests with a NUL broke the service:\n" + "\n".join(wrong)
