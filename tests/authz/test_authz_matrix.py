# ruff: noqa: F811  (the `world` fixture imported from authz_world is a parameter of the tests)
"""The authorisation matrix of the whole platform: every write route of the four services × every kind of caller.

The routes come from the apps themselves (`app.routes`), so a new POST/PUT/PATCH/DELETE route without a row in
`MATRIX` fails `test_every_write_route_is_in_the_matrix`, and a row whose route is gone fails it too.

Callers (ROLES): `anonymous` (no token); `contributor`, a registered person unrelated to the resource; `other_admin`,
a collective_admin of another collective; `other_funder`, a funder acting for another funder; `partner`; `operator`.
Where a route belongs to someone who is none of these (a collective's coordinator, an article's author, the asker,
the funder of an instrument), `owner` is tried as well: it must get 2xx, which shows the refusals above are about
who asks, not about the state of the resource.

Default expectation: anonymous → 401, `allowed` roles (and `owner`) → 2xx, every other role → 403. Requests are
built so that authorisation is the only reason to refuse: the resources exist (created beforehand as an operator
or their owner), the bodies are valid, and each caller gets freshly prepared state. Exceptions are in the matrix
itself (`otherwise`, with `why`).
"""

from __future__ import annotations

import pytest

from shared.http import PROBLEM_JSON
from tests.authz.authz_world import (  # noqa: F401  (fast_token and world are fixtures)
    MATRIX,
    ROLES,
    SERVICES,
    World,
    fast_token,
    outcome,
    world,
    write_routes,
)

pytestmark = pytest.mark.integration


def test_every_write_route_is_in_the_matrix(settings):
    routes = set().union(*(write_routes(service, settings) for service in SERVICES))
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"write routes without a row in MATRIX: {missing}"
    assert not stale, f"rows in MATRIX for routes that no longer exist: {stale}"
    assert len(routes) >= 40


@pytest.mark.parametrize("world", SERVICES, indirect=True)
async def test_each_write_route_answers_each_caller_as_the_matrix_says(world: World):
    routes = sorted(write_routes(world.service, world.settings))
    wrong: list[str] = []
    seen: list[str] = []
    checked = 0
    for key in routes:
        rule = MATRIX.get(key)
        if rule is None:
            wrong.append(f"{key[1]} {key[2]}: no row in MATRIX")
            continue
        answers: list[str] = []
        for role in (*ROLES, "owner"):
            call = await rule.prepare(world)
            if role == "owner":
                if call.owner is None:
                    continue
                headers, expected = call.owner, "2xx"
            else:
                headers, expected = call.as_role.get(role, world.roles[role]), rule.expected(role)
            response = await world.request(call, headers)
            checked += 1
            answers.append(f"{role}={response.status_code}")
            if outcome(response.status_code) != expected:
                wrong.append(
                    f"{call.method} {key[2]} as {role}: expected {expected}, got {response.status_code}"
                    f" {response.text[:300]}  (request: {call.method} {call.url} body={call.body})"
                    + (f"  [matrix: {rule.why}]" if rule.why else "")
                )
            elif expected != "2xx" and not response.headers.get("content-type", "").startswith(PROBLEM_JSON):
                wrong.append(f"{call.method} {key[2]} as {role}: a {response.status_code} that is not problem+json")
            elif expected == "401" and "www-authenticate" not in response.headers:
                wrong.append(f"{call.method} {key[2]} as {role}: a 401 without WWW-Authenticate")
        seen.append(f"{key[1]:6} {key[2]}: {' '.join(answers)}")
    print("\n".join(seen))
    assert not wrong, f"{len(wrong)} of {checked} answers differ from the matrix:\n" + "\n".join(wrong)
    assert checked >= len(routes) * len(ROLES)
