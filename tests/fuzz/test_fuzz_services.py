"""API fuzzing with schemathesis against each service's own OpenAPI document, the real app running in-process.

Per service (`running_service`, lifespan started, consumers and relay running), for every operation of
`/<service>/openapi.json`:
- schemathesis generates requests from the document, valid ones (20 per operation) and invalid ones (10, its
  negative mode); each goes through the app's ASGI client as an operator, a registered contributor (who coordinates
  a collective) or anonymously; some POSTs carry an `Idempotency-Key`, some PATCHes `If-Match: *`;
- half of the path ids and `…_id` body fields are ids the service returned earlier in the run, so routes get past
  their 404 and 422; some cursors decode but were never issued (odd dates, huge numbers, NaN, NUL); now and then a
  string gets a NUL, a BOM, a right-to-left mark, an emoji or a quote appended;
- then every string of the body and the query, one at a time, gets a NUL in a request the service served before.

Every response must pass: no 5xx and no exception out of the app (`not_a_server_error`, with the service's logged
traceback in the report); the documented schema and content type where the status code is documented
(`response_schema_conformance`, `content_type_conformance`); every 4xx is `application/problem+json` with `type`,
`title` and its own `status`. Findings are collected over the whole run and reported grouped, server errors first,
each with one request to replay. Generation is seeded (ONDEROP_FUZZ_SEED); ONDEROP_FUZZ_EXAMPLES=200 digs deeper.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import traceback
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

import httpx
import pytest
import requests
import schemathesis
import schemathesis.checks
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from shared.contracts.registry import CollectiveRegistered, ContributorRegistered, MembershipAdded
from shared.http import PROBLEM_JSON, encode_cursor
from tests.authz.authz_world import consumed, publish_event
from tests.conftest import running_service

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SERVICES = ("registry", "knowledge", "rewards", "funding")
POSITIVE_EXAMPLES = int(os.environ.get("ONDEROP_FUZZ_EXAMPLES", "20"))
NEGATIVE_EXAMPLES = max(1, POSITIVE_EXAMPLES // 2)
SEED = int(os.environ.get("ONDEROP_FUZZ_SEED", "20240901"))
BASE_URL = "http://test"
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.content_type_conformance,
]


@dataclass
class Finding:
    operation: str
    kind: str
    request: str
    detail: str


Drawn = tuple[Any, str, dict[str, str]]  # (case, caller, extra headers)


class ErrorLog(logging.Handler):
    """The service's own "unhandled error" log records: the traceback behind a 500 it answered itself."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)

    def last_traceback(self, frames: int = 8) -> str:
        if not self.records:
            return "(no traceback logged)"
        error = self.records[-1].exc_info[1]
        lines = "".join(traceback.format_exception(error)).splitlines()
        ours = [line.strip() for line in lines if "/services/" in line or "/shared/" in line]
        while error.__cause__ is not None or error.__context__ is not None:
            error = error.__cause__ or error.__context__
        return "\n".join([*ours[-frames:], f"{type(error).__module__}.{type(error).__name__}: {error}"])


@dataclass
class Fuzzer:
    service: str
    client: httpx.AsyncClient
    callers: dict[str, dict[str, str]]
    errors: ErrorLog = field(default_factory=ErrorLog)
    served: dict[str, Drawn] = field(default_factory=dict)  # per operation: the first case answered with a 2xx
    known: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # "collective_id" → ids
    findings: list[Finding] = field(default_factory=list)
    sent: int = 0
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def remember(self, name: str, value: str) -> None:
        pool = self.known[name]
        if value not in pool and len(pool) < 20:
            pool.append(value)

    def harvest(self, path: str, body: Any) -> None:
        """Remember the ids a service returned (`id` of /collectives/… as `collective_id`, any `…_id` as itself),
        so later requests can name resources that exist."""
        objects = [body] if isinstance(body, dict) else []
        if isinstance(body, dict) and isinstance(body.get("items"), list):
            objects += [item for item in body["items"] if isinstance(item, dict)]
        for obj in objects:
            for key, value in obj.items():
                if isinstance(value, str) and is_uuid(value) and (key == "id" or key.endswith("_id")):
                    self.remember(id_name(path) if key == "id" else key, value)


PATH_PARAMETER = re.compile(r"\{([^}]+)\}")


def id_name(path: str) -> str:
    """`/x/v1/questions/{question_id}/answers` → `answer_id`: what the `id` of this path's resources is called."""
    literals = [p for p in path.strip("/").split("/") if not p.startswith("{")]
    return literals[-1].removesuffix("s") + "_id"


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


CALLER_WEIGHTS = ("operator", "operator", "contributor", "anonymous")


def draw_cases(fuzzer: Fuzzer, operation: Any) -> list[Drawn]:
    """Cases for one operation, drawn with Hypothesis from schemathesis' positive and negative strategies."""
    known = {name: list(ids) for name, ids in fuzzer.known.items() if ids}
    cursor = any(parameter.name == "cursor" for parameter in operation.query)
    positive = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
    drawn = generate(positive, POSITIVE_EXAMPLES, known, cursor)
    with contextlib.suppress(Unsatisfiable):  # nothing in the operation can be made invalid (no parameters, body)
        negative = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
        drawn += generate(negative, NEGATIVE_EXAMPLES, known, cursor)
    return drawn


# Cursors that decode (base64 of a JSON list of strings) but were never issued: every value a key column could be
# compared with, and the edges of each (naive and far-off datetimes, 20-digit numbers, NaN, NUL).
CURSOR_VALUES = st.one_of(
    st.uuids().map(str),
    st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["NaN", "inf", "-0", "", "\x00", "1e309", "2024-02-30", "0001-01-01T00:00:00+00:00"]),
    st.text(max_size=30),
)
CRAFTED_CURSORS = st.lists(CURSOR_VALUES, min_size=1, max_size=3).map(encode_cursor)


HOSTILE = ("\x00", "\u202e", "\ufeff", "\U0001f9d1\u200d\U0001f33e", "' OR 1=1 --", "%00", "\\", "😀" * 40)


def hostile_string(data: st.DataObject, container: dict[str, Any]) -> None:
    """Now and then one string value gains what PostgreSQL, a tokenizer or a slug maker may choke on (NUL above
    all: text columns refuse it); the request must then be refused with a 4xx or served, never a 5xx."""
    names = sorted(name for name, value in container.items() if isinstance(value, str))
    if names and data.draw(st.integers(0, 3)) == 0:
        name = data.draw(st.sampled_from(names))
        container[name] = container[name] + data.draw(st.sampled_from(HOSTILE))


def generate(strategy: st.SearchStrategy, examples: int, known: dict[str, list[str]], cursor: bool) -> list[Drawn]:
    drawn: list[Drawn] = []

    @seed(SEED)
    @hypothesis_settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def draw(data: st.DataObject) -> None:
        case = data.draw(strategy)
        for name in case.path_parameters or {}:
            if name in known and data.draw(st.booleans()):
                case.path_parameters[name] = data.draw(st.sampled_from(known[name]))
        if cursor and data.draw(st.booleans()):
            case.query = {**(case.query or {}), "cursor": data.draw(CRAFTED_CURSORS)}
        if isinstance(case.body, dict):
            for name, value in case.body.items():
                if name in known and isinstance(value, str) and data.draw(st.booleans()):
                    case.body[name] = data.draw(st.sampled_from(known[name]))
            hostile_string(data, case.body)
        if case.query:
            hostile_string(data, case.query)
        extra: dict[str, str] = {}
        if case.method.upper() == "PATCH" and data.draw(st.booleans()):
            extra["If-Match"] = "*"
        if case.method.upper() == "POST" and data.draw(st.integers(0, 3)) == 0:
            extra["Idempotency-Key"] = f"fuzz-{uuid.uuid4()}"  # unique: a reused key would answer 422 early
        drawn.append((case, data.draw(st.sampled_from(CALLER_WEIGHTS)), extra))

    draw()
    return drawn


def describe(method: str, url: str, caller: str, headers: dict[str, str], body: bytes | None) -> str:
    shown = {k: v for k, v in headers.items() if k.lower() in ("content-type", "if-match", "idempotency-key")}
    text = (body or b"").decode(errors="replace")
    if len(text) > 600:
        text = text[:600] + "…"
    return f"{method} {url}  caller={caller}  headers={shown}  body={text!r}"


def problem_shape_errors(response: httpx.Response) -> list[str]:
    content_type = response.headers.get("content-type", "")
    if not content_type.startswith(PROBLEM_JSON):
        return [f"content-type {content_type!r}, expected {PROBLEM_JSON}"]
    try:
        body = response.json()
    except ValueError:
        return ["the body is not JSON"]
    missing = [name for name in ("type", "title", "status") if name not in body]
    errors = [f"problem lacks {', '.join(missing)}"] if missing else []
    if body.get("status") not in (None, response.status_code):
        errors.append(f"problem status {body.get('status')} on a {response.status_code} response")
    return errors


async def send_case(fuzzer: Fuzzer, case: Any, caller: str, extra: dict[str, str]) -> None:
    headers = fuzzer.callers[caller] | extra
    kwargs = case.as_transport_kwargs(base_url=BASE_URL, headers=headers)
    kwargs.pop("cookies", None)
    # requests prepares the request exactly as schemathesis' own transport would put it on the wire.
    prepared = requests.Request(**kwargs).prepare()
    body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
    label = case.operation.label
    request_text = describe(prepared.method, prepared.url, caller, dict(prepared.headers), body)
    fuzzer.sent += 1
    try:
        response = await fuzzer.client.request(
            prepared.method, prepared.url, headers=dict(prepared.headers), content=body
        )
    except Exception as exc:
        fuzzer.statuses[label][500] += 1
        trace = "".join(traceback.format_exception(exc)[-6:])
        fuzzer.findings.append(Finding(label, f"unhandled {type(exc).__name__}", request_text, trace))
        return
    fuzzer.statuses[label][response.status_code] += 1
    try:
        case.validate_response(response, checks=CHECKS)
    except schemathesis.errors.FailureGroup as group:
        for failure in group.exceptions:
            title = getattr(failure, "title", type(failure).__name__)
            message = str(getattr(failure, "message", failure))
            if response.status_code >= 500:
                message = f"{message}\n{response.text[:300]}\n{fuzzer.errors.last_traceback()}"
            fuzzer.findings.append(Finding(label, f"{title} ({response.status_code})", request_text, message[:800]))
    if 400 <= response.status_code < 500:
        for error in problem_shape_errors(response):
            fuzzer.findings.append(Finding(label, f"not problem+json ({response.status_code})", request_text, error))
    if 200 <= response.status_code < 300:
        fuzzer.served.setdefault(label, (case, caller, extra))
        if "json" in response.headers.get("content-type", ""):
            fuzzer.harvest(case.operation.path, response.json())


async def send_with_nul_in_each_string(fuzzer: Fuzzer, operation: Any, document: dict[str, Any]) -> None:
    """Every string the operation takes in its JSON body (top level) or query, one at a time, with a NUL in it:
    PostgreSQL's text refuses NUL, so a field that lets it through answers 500. Sent in a request the service served
    before when there is one (so it gets as far as the database), else in a generated one."""
    case, caller, extra = (
        fuzzer.served.get(operation.label) or (await asyncio.to_thread(draw_cases, fuzzer, operation))[0]
    )
    extra = {name: value for name, value in extra.items() if name != "Idempotency-Key"}  # the body differs now
    body_fields, query_fields = string_inputs(document, operation.path, operation.method)
    if not isinstance(case.body, dict):
        body_fields = []
    if case.query is None:
        case.query = {}
    for container, names in ((case.body, body_fields), (case.query, query_fields)):
        for name in names:
            had, value = name in container, container.get(name)
            text = value if isinstance(value, str) else "Tekst"
            container[name] = text[:20] + "\x00" + text[20:]
            await send_case(fuzzer, case, caller, extra)
            if had:
                container[name] = value
            else:
                del container[name]


def string_inputs(document: dict[str, Any], path: str, method: str) -> tuple[list[str], list[str]]:
    """(top-level string properties of the JSON body, string query parameters) of one operation, per its document."""
    schemas = document.get("components", {}).get("schemas", {})

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def is_text(schema: dict[str, Any]) -> bool:
        options = [resolve(o) for o in schema.get("anyOf", [schema])]
        return any(o.get("type") == "string" and "enum" not in o and "format" not in o for o in options)

    operation = document["paths"][path][method.lower()]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    properties = resolve(body).get("properties", {}) if body else {}
    body_fields = sorted(name for name, schema in properties.items() if is_text(resolve(schema)))
    query_fields = sorted(
        p["name"] for p in operation.get("parameters", []) if p.get("in") == "query" and is_text(p.get("schema", {}))
    )
    return body_fields, query_fields


def operation_order(operation: Any) -> tuple[int, int, str]:
    """Creating routes first, then reads, then routes on one resource: later ones meet ids the earlier returned."""
    parameters = len(PATH_PARAMETER.findall(operation.path))
    method_rank = {"POST": 0, "GET": 1}.get(operation.method.upper(), 2)
    return parameters, method_rank, operation.path


# --- priming: a registered person with a collective, as the registry's events tell every other service ----------


async def prime(
    client: httpx.AsyncClient, service: str, person: uuid.UUID, headers: dict[str, str], redis, settings
) -> dict[str, str]:
    """Make the contributor caller a registered person who coordinates a collective, in this service's terms;
    returns those ids by name."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    if service == "registry":
        body = {"display_name": "Fuzz Tester", "email": f"fuzz-{person.hex[:10]}@example.org"}
        registered = await client.post("/registry/v1/contributors", json=body, headers=headers)
        assert registered.status_code == 201, registered.text
        body = {"name": f"Fuzzcoöperatie {person.hex[:8]}", "kind": "energy_cooperative", "legal_form": "association"}
        body |= {"municipality_code": "GM0106", "stage": "startup", "themes": ["energy"]}
        founded = await client.post("/registry/v1/collectives", json=body, headers=headers)
        assert founded.status_code == 201, founded.text
        return {"contributor_id": str(person), "collective_id": founded.json()["id"]}
    if runtime.consumer is None:
        return {}
    collective = uuid.uuid4()
    state = {
        "collective_id": collective,
        "slug": f"fuzz-{collective.hex[:10]}",
        "name": f"Fuzzcollectief {collective.hex[:6]}",
        "kind": "energy_cooperative",
        "legal_form": "cooperative",
        "municipality_code": "GM0106",
        "province_code": "PV22",
        "stage": "startup",
        "themes": ["energy"],
        "version": 1,
    }
    person_event = ContributorRegistered(contributor_id=person, display_name="Fuzz", version=1)
    membership = MembershipAdded(collective_id=collective, contributor_id=person, role="coordinator")
    await publish_event(redis, settings, person_event, str(person))
    await publish_event(redis, settings, CollectiveRegistered(**state), str(collective))
    last = await publish_event(redis, settings, membership, f"{collective}/{person}")
    await consumed(redis, settings.stream("registry"), service, last)
    return {"contributor_id": str(person), "collective_id": str(collective)}


@pytest.mark.parametrize("service", SERVICES)
async def test_no_generated_request_breaks_the_service_or_its_schema(service, settings, token, redis, caplog):
    caplog.set_level(logging.WARNING, logger="httpx")  # a line per request is noise here
    person = uuid.uuid4()
    callers = {
        "operator": token("operator"),
        "contributor": token("contributor", sub=str(person)),
        "anonymous": {},
    }
    async with running_service(service, settings.model_copy(update={"db_pool_size": 4})) as client:
        primed = await prime(client, service, person, callers["contributor"], redis, settings)
        document = (await client.get(f"/{service}/openapi.json")).json()
        schema = schemathesis.openapi.from_dict(document)
        operations = sorted((result.ok() for result in schema.get_all_operations()), key=operation_order)
        fuzzer = Fuzzer(service, client, callers)
        for name, value in primed.items():
            fuzzer.remember(name, value)
        logging.getLogger("onderop.http").addHandler(fuzzer.errors)
        try:
            for operation in operations:
                for case, caller, extra in await asyncio.to_thread(draw_cases, fuzzer, operation):
                    await send_case(fuzzer, case, caller, extra)
            for operation in operations:
                await send_with_nul_in_each_string(fuzzer, operation, document)
        finally:
            logging.getLogger("onderop.http").removeHandler(fuzzer.errors)

    print(coverage(fuzzer))
    assert fuzzer.sent >= len(operations) * POSITIVE_EXAMPLES // 2
    assert len(fuzzer.served) >= len(operations) // 4, f"too few operations ever answered 2xx\n{coverage(fuzzer)}"
    if fuzzer.findings:
        pytest.fail(report(fuzzer), pytrace=False)


def report(fuzzer: Fuzzer) -> str:
    """Server errors first, each group with one request to replay; a finding seen on many operations (a wrong
    document rather than a wrong route) is listed once with the operations it concerns."""
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in fuzzer.findings:
        groups[(finding.kind, finding.operation)].append(finding)
    operations_by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, operation in groups:
        operations_by_kind[kind].append(operation)
    lines = [f"{fuzzer.service}: {len(fuzzer.findings)} findings in {len(groups)} groups ({fuzzer.sent} requests)"]

    def severity(kind: str) -> tuple[int, str]:
        server_error = kind.startswith("unhandled") or "(5" in kind or "Server error" in kind
        return (0 if server_error else 1 if len(operations_by_kind[kind]) < 4 else 2), kind

    for kind in sorted(operations_by_kind, key=severity):
        operations = sorted(operations_by_kind[kind])
        if severity(kind)[0] == 2:
            first = groups[(kind, operations[0])][0]
            lines += [f"\n{kind} on {len(operations)} operations: {', '.join(operations)}"]
            lines += [f"  e.g. request: {first.request}", "  " + first.detail.replace("\n", "\n  ")]
            continue
        for operation in operations:
            found = groups[(kind, operation)]
            lines += [f"\n[{operation}] {kind} ×{len(found)}", f"  request: {found[0].request}"]
            lines += ["  " + found[0].detail.replace("\n", "\n  ")]
    return "\n".join(lines)


def coverage(fuzzer: Fuzzer) -> str:
    lines = [f"{fuzzer.service}: statuses per operation"]
    for label, counts in sorted(fuzzer.statuses.items()):
        lines.append(f"  {label}: " + ", ".join(f"{code}×{n}" for code, n in sorted(counts.items())))
    return "\n".join(lines)


@pytest.mark.parametrize("service", SERVICES)
def test_the_document_declares_every_error_as_problem_json(service, settings):
    """What the services answer on an error (problem+json, RFC 9457) is what their OpenAPI says they answer."""
    document = import_module(f"services.{service}.app").build(settings).openapi()
    schemas = document.get("components", {}).get("schemas", {})
    wrong = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                if status[0] not in "45":
                    continue
                content = response.get("content", {})
                if set(content) != {PROBLEM_JSON}:
                    wrong.append(f"{method.upper()} {path} {status}: documented as {sorted(content)}")
                    continue
                schema = content[PROBLEM_JSON].get("schema", {})
                schema = schemas.get(schema.get("$ref", "").rsplit("/", 1)[-1], schema)
                missing = {"type", "title", "status"} - set(schema.get("properties", {}))
                if missing:
                    wrong.append(f"{method.upper()} {path} {status}: the schema lacks {sorted(missing)}")
    assert not wrong, f"{len(wrong)} error responses documented otherwise than they are sent:\n" + "\n".join(wrong[:10])


def test_the_checks_and_helpers_of_this_module():
    problem = httpx.Response(
        404, json={"type": "t", "title": "x", "status": 404}, headers={"content-type": PROBLEM_JSON}
    )
    plain = httpx.Response(404, json={"detail": "Not Found"})
    assert problem_shape_errors(problem) == []
    assert problem_shape_errors(plain) == ["content-type 'application/json', expected application/problem+json"]
    assert id_name("/a/v1/collectives/{collective_id}/members") == "member_id"
    assert id_name("/a/v1/questions/{question_id}/answers") == "answer_id"
    assert id_name("/a/v1/collectives/{collective_id}") == "collective_id"
    document = {
        "paths": {
            "/x": {
                "post": {
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}},
                }
            }
        },
        "components": {
            "schemas": {
                "In": {
                    "properties": {
                        "name": {"type": "string"},
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "day": {"type": "string", "format": "date"},
                        "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    }
                },
                "Kind": {"type": "string", "enum": ["a", "b"]},
            }
        },
    }
    assert string_inputs(document, "/x", "POST") == (["name", "note"], ["q"])
