"""HTTP conventions shared by every gateway (ARCHITECTURE.md §6).

problem+json errors (RFC 9457) with a stable `type` per error, cursor pagination, `Idempotency-Key` on POST,
`ETag`/`If-Match` on updates, body size limits.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import parse_qsl

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import async_sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("onderop.http")

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://onderop.nl/problems/"

T = TypeVar("T")


class Problem(Exception):
    """Raise anywhere in a request to answer with application/problem+json."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
        **fields: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        # Extension members; `extra` carries those whose names clash with the parameters (e.g. a "status" field).
        self.extra = {**(extra or {}), **fields}

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = dict(self.extra)
        body.update({"type": PROBLEM_BASE + self.slug, "title": self.title, "status": self.status})
        if self.detail:
            body["detail"] = self.detail
        if instance:
            body["instance"] = instance
        return body


def not_found(what: str, ident: object) -> Problem:
    return Problem(404, "not-found", f"{what} not found", f"no {what} with id {ident}")


def forbidden(detail: str) -> Problem:
    return Problem(403, "forbidden", "Forbidden", detail)


def conflict(slug: str, detail: str, **extra: Any) -> Problem:
    return Problem(409, slug, "Conflict", detail, extra=extra)


def invalid(field: str, message: str) -> Problem:
    """A 422 naming one field, shaped like FastAPI's own validation errors."""
    return Problem(
        422,
        "validation-error",
        "Invalid request",
        message,
        errors=[{"field": field, "message": message, "type": "value_error"}],
    )


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    return JSONResponse(
        problem.body(str(request.url.path) if request else None),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


async def send_problem(scope: Scope, send: Send, problem: Problem) -> None:
    """A problem+json answer from plain ASGI middleware, which has no Request to build a response from."""
    body = json.dumps(problem.body(scope.get("path", "").replace("\x00", ""))).encode()
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def validation_problem(errors: list[dict[str, str]]) -> Problem:
    """422 naming every field at fault (`errors`: field, message, type), as request validation answers."""
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)[:1000]
    return Problem(422, "validation-error", "Invalid request", detail, errors=errors)


def _field_of(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) if parts else "body"


_HTTP_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Invalid request",
    428: "Precondition required",
}

_CONNECTION_ERRORS = (OSError, ConnectionError, InterfaceError, OperationalError)


_UNAVAILABLE_NAMES = frozenset(
    {
        "AdminShutdownError",
        "CannotConnectNowError",
        "ConnectionDoesNotExistError",
        "ConnectionFailureError",
        "InterfaceError",  # asyncpg's: "connection is closed"
        "InternalClientError",  # asyncpg's: a connection broken in the middle of an operation
        "PostgresConnectionError",
        "TooManyConnectionsError",
    }
)


def _is_database_unavailable(exc: BaseException) -> bool:
    """True when the error, or anything it wraps, says the database cannot be reached right now (a 503)."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        error = stack.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, _CONNECTION_ERRORS) or type(error).__name__ in _UNAVAILABLE_NAMES:
            return True
        sqlstate = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(("08", "57P")):
            return True
        stack += [getattr(error, "orig", None), error.__cause__, error.__context__]
    return False


def _sqlstate(exc: BaseException) -> str | None:
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        error = stack.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        sqlstate = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if isinstance(sqlstate, str):
            return sqlstate
        stack += [getattr(error, "orig", None), error.__cause__, error.__context__]
    return None


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                # a JSON syntax error's location is a character position, not a field
                "field": "body" if e.get("type") == "json_invalid" else _field_of(e.get("loc", ())),
                "message": e.get("msg", ""),
                "type": e.get("type", ""),
            }
            for e in exc.errors()
        ]
        return problem_response(validation_problem(errors), request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = _HTTP_TITLES.get(exc.status_code, "Error")
        slug = title.lower().replace(" ", "-")
        detail = exc.detail if isinstance(exc.detail, str) else None
        return problem_response(Problem(exc.status_code, slug, title, detail, headers=exc.headers), request)

    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        if _is_database_unavailable(exc):
            log.warning("database unavailable: %s", exc)
            return problem_response(
                Problem(
                    503,
                    "unavailable",
                    "Service unavailable",
                    "a backing service is unavailable; retry shortly",
                    headers={"Retry-After": "2"},
                ),
                request,
            )
        state = _sqlstate(exc) or ""
        if state.startswith("22"):
            # A data exception (a number or date out of range…) comes from what the client sent: a safety net behind
            # each route's own validation, which does not know the field any more.
            log.warning("data rejected by the database on %s %s: %s", request.method, request.url.path, exc)
            detail = _DATA_EXCEPTIONS.get(state, "a value in the request cannot be used as sent")
            return problem_response(Problem(422, "invalid-value", "Invalid request", detail), request)
        if state.startswith("40"):
            # A deadlock or serialisation failure: the transaction was rolled back whole, so nothing was written
            # and the same request may simply be sent again. A safety net: routes lock in one order to avoid them.
            log.warning("transaction rolled back on %s %s: %s", request.method, request.url.path, exc)
            retry = Problem(
                409,
                "concurrent-change",
                "Conflict",
                "another request changed the same data at the same moment; nothing was written, send it again",
                headers={"Retry-After": "1"},
            )
            return problem_response(retry, request)
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(Problem(500, "internal-error", "Internal error"), request)

    # Database and connection errors are handled here, inside the exception middleware, so that an outage answers a
    # clean 503; only what is left reaches Starlette's server-error handler (which re-raises after answering).
    for error_class in (DBAPIError, OSError, ConnectionError, *_database_driver_errors()):
        app.add_exception_handler(error_class, _unexpected)
    app.add_exception_handler(Exception, _unexpected)


_DATA_EXCEPTIONS = {
    "22003": "a number in the request is out of range",
    "22007": "a date or time in the request is not valid",
    "22008": "a date or time in the request is out of range",
    "22021": "text in the request contains a character that cannot be stored",
}


def _database_driver_errors() -> tuple[type[BaseException], ...]:
    import asyncpg

    return (asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError)


# --- pagination ----------------------------------------------------------------------------------------------


class Page(BaseModel, Generic[T]):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    items: list[T]
    next_cursor: str | None = None


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else str(v) for v in values]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, arity: int) -> list[str] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise invalid("cursor", "not a cursor this service issued") from exc
    if not isinstance(values, list) or len(values) != arity or not all(isinstance(v, str) for v in values):
        raise invalid("cursor", "not a cursor this service issued")
    return values


# --- optimistic concurrency -----------------------------------------------------------------------------------


def etag(version: int) -> str:
    return f'"{version}"'


def require_if_match(request: Request, current_version: int) -> None:
    header = request.headers.get("if-match")
    if not header:
        raise Problem(428, "precondition-required", "Precondition required", "send If-Match with the ETag you read")
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    if "*" in candidates:
        return
    if etag(current_version) not in candidates:
        raise Problem(
            412,
            "stale-version",
            "Precondition failed",
            f"the resource changed; its current version is {current_version}",
            current_version=current_version,
        )


def parse_if_match_version(request: Request) -> int | None:
    header = request.headers.get("if-match", "").strip().removeprefix("W/").strip('"')
    return int(header) if header.isdigit() else None


# --- body size limit --------------------------------------------------------------------------------------------


class BodySizeLimit:
    """Refuse bodies above `max_bytes` with 413, counting what arrives when no Content-Length is sent."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._too_large(scope, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise Problem(413, "payload-too-large", "Payload too large", f"at most {self.max_bytes} bytes")
            return message

        await self.app(scope, limited_receive, send)

    async def _too_large(self, scope: Scope, send: Send) -> None:
        await send_problem(
            scope, send, Problem(413, "payload-too-large", "Payload too large", f"at most {self.max_bytes} bytes")
        )


# --- NUL characters ----------------------------------------------------------------------------------------------


class RefuseNul:
    """Refuse a NUL character anywhere in the path, the query or a JSON body with 422 naming where it is.

    PostgreSQL's text and jsonb cannot hold NUL, so such a value could only fail deep inside a route, as a database
    error that no longer knows which field it came from. The check costs a byte search per request; the body is
    parsed again only when that search finds something.
    """

    BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fields = self._in_url(scope)
        if fields:
            await self._refuse(scope, send, fields)
            return
        if scope["method"] not in self.BODY_METHODS:
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = b""
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        if b"\\u0000" in body or b"\x00" in body:
            fields = self._in_json(body)
            if fields:
                await self._refuse(scope, send, fields)
                return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _in_url(scope: Scope) -> list[str]:
        fields = ["path"] if "\x00" in scope.get("path", "") else []
        query = scope.get("query_string", b"")
        if b"%00" in query:
            for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
                if "\x00" in name or "\x00" in value:
                    fields.append(f"query.{name.replace(chr(0), '')}")
        return fields

    @staticmethod
    def _in_json(body: bytes) -> list[str]:
        try:
            document = json.loads(body)
        except ValueError:
            return []  # not JSON: the route's own validation says what is wrong with it
        found: list[str] = []

        def walk(value: Any, path: str) -> None:
            if isinstance(value, str):
                if "\x00" in value:
                    found.append(path or "body")
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    walk(item, f"{path}[{index}]" if path else f"[{index}]")
            elif isinstance(value, dict):
                for key, item in value.items():
                    name = key.replace("\x00", "")
                    child = f"{path}.{name}" if path else name
                    if "\x00" in key:
                        found.append(child)
                    walk(item, child)

        walk(document, "")
        return found

    @staticmethod
    async def _refuse(scope: Scope, send: Send, fields: list[str]) -> None:
        errors = [{"field": f, "message": "must not contain a NUL character", "type": "nul_character"} for f in fields]
        await send_problem(scope, send, validation_problem(errors))


# --- Idempotency-Key ---------------------------------------------------------------------------------------------

IDEMPOTENCY_IN_FLIGHT = -1
IDEMPOTENCY_TTL = timedelta(hours=24)
IDEMPOTENCY_STALE_CLAIM = timedelta(seconds=60)


class IdempotencyKeys:
    """`Idempotency-Key` on POST: the first response is stored and replayed for the same key and body.

    The same key with another body gets 422; the same key while the first request still runs gets 409. Keys are
    scoped to the caller (a hash of the Authorization header), so one client cannot replay another's response.
    """

    def __init__(self, app: ASGIApp, sessions: async_sessionmaker | None, table: Table | None) -> None:
        self.app = app
        self.sessions = sessions
        self.table = table

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or self.sessions is None or self.table is None:
            await self.app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode(errors="replace") for k, v in scope.get("headers") or []}
        key = headers.get("idempotency-key")
        if key is None:
            await self.app(scope, receive, send)
            return
        if not (1 <= len(key) <= 200) or not key.isprintable():
            await send_problem(scope, send, invalid("Idempotency-Key", "1 to 200 printable characters"))
            return

        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        request_hash = hashlib.sha256(scope["path"].encode() + b"\0" + body).hexdigest()
        principal = hashlib.sha256(headers.get("authorization", "").encode()).hexdigest()[:32]

        stored = await self._claim(key, principal, scope["path"], request_hash)
        if stored is not None:
            if stored["request_hash"] != request_hash:
                await send_problem(
                    scope,
                    send,
                    Problem(
                        422,
                        "idempotency-key-reused",
                        "Idempotency key reused",
                        "this Idempotency-Key was used with another request body",
                    ),
                )
                return
            if stored["status_code"] == IDEMPOTENCY_IN_FLIGHT:
                await send_problem(
                    scope, send, Problem(409, "idempotency-in-flight", "Conflict", "the first request is still running")
                )
                return
            await self._replay(stored, send)
            return

        replayed = False

        async def replay_body() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        status = 500
        response_headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, response_headers
            if message["type"] == "http.response.start":
                status = message["status"]
                response_headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_body, capture)
        finally:
            await self._finish(key, principal, status, response_headers, b"".join(chunks))

    async def _claim(self, key: str, principal: str, route: str, request_hash: str) -> dict | None:
        table = self.table
        now = datetime.now(UTC)
        async with self.sessions() as session, session.begin():
            await session.execute(delete(table).where(table.c.created_at < now - IDEMPOTENCY_TTL))
            inserted = await session.execute(
                pg_insert(table)
                .values(
                    key=key,
                    principal=principal,
                    route=route,
                    request_hash=request_hash,
                    status_code=IDEMPOTENCY_IN_FLIGHT,
                    response_body="",
                    response_headers=[],
                    created_at=now,
                )
                .on_conflict_do_nothing()
                .returning(table.c.key)
            )
            if inserted.first() is not None:
                return None
            row = (
                (
                    await session.execute(
                        select(table).where(table.c.key == key, table.c.principal == principal).with_for_update()
                    )
                )
                .mappings()
                .first()
            )
            if row is None:
                return None
            if row["status_code"] == IDEMPOTENCY_IN_FLIGHT and row["created_at"] < now - IDEMPOTENCY_STALE_CLAIM:
                # The first attempt died without an answer: let this one take over.
                await session.execute(
                    update(table)
                    .where(table.c.key == key, table.c.principal == principal)
                    .values(created_at=now, request_hash=request_hash)
                )
                return None
            return dict(row)

    async def _finish(self, key: str, principal: str, status: int, headers: list, body: bytes) -> None:
        table = self.table
        async with self.sessions() as session, session.begin():
            condition = (table.c.key == key) & (table.c.principal == principal)
            if status >= 500 or (status == 409 and b"idempotency" in body):
                await session.execute(delete(table).where(condition))
                return
            kept = [
                [k.decode(), v.decode()] for k, v in headers if k.lower() in (b"content-type", b"location", b"etag")
            ]
            await session.execute(
                update(table)
                .where(condition)
                .values(status_code=status, response_body=body.decode(errors="replace"), response_headers=kept)
            )

    async def _replay(self, stored: dict, send: Send) -> None:
        body = stored["response_body"].encode()
        headers = [(k.encode(), v.encode()) for k, v in stored["response_headers"]]
        headers += [(b"idempotent-replayed", b"true"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": stored["status_code"], "headers": headers})
        await send({"type": "http.response.body", "body": body})


# --- OpenAPI: errors are documented as what they are -------------------------------------------------------------

PROBLEM_SCHEMA = {
    "title": "Problem",
    "description": "RFC 9457 problem details; validation errors list each field in `errors`.",
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}, "type": {"type": "string"}},
            },
        },
    },
    "required": ["type", "title", "status"],
    "additionalProperties": True,
}


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Every 4xx/5xx response of every operation as application/problem+json, and the usual ones listed."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for schemas in (schema["components"]["schemas"],):
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            usual = {"422": "Invalid request", "503": "A backing service is unavailable"}
            if method in ("post", "patch", "delete", "put"):
                usual |= {
                    "401": "Missing or invalid token",
                    "403": "Not allowed",
                    "409": "Conflict",
                    "413": "Body too large",
                }
            if method == "patch":
                usual |= {"412": "Stale If-Match", "428": "If-Match required"}
            if "{" in next(iter([k for k, v in schema["paths"].items() if v is path_item]), ""):
                usual["404"] = "Not found"
            for code, description in usual.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code[0] in "45":
                    response["content"] = problem
    return schema


def install_problem_openapi(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(original())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# --- query parameters every list route shares ---------------------------------------------------------------------

Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(max_length=500)]


def invalid_fields(problems: Sequence[tuple[str, str]]) -> Problem:
    """A 422 naming several fields at once: (field, message) pairs from a domain check."""
    return Problem(
        422,
        "validation-error",
        "Invalid request",
        "; ".join(message for _, message in problems),
        errors=[{"field": name, "message": message, "type": "value_error"} for name, message in problems],
    )
