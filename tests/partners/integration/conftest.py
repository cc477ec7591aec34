"""Fixtures of the partner integration tests: one receiver and one running partner service for the session."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from partners_support import API, CREATED, Receiver, running_partners, serve_receiver

from shared.auth import issue_token


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    with serve_receiver() as running:
        yield running


@pytest.fixture(scope="session")
def token(settings, jwt_keys):
    """Tokens signed with a key loaded once (parsing the PEM on every call is slow)."""
    key = serialization.load_pem_private_key(jwt_keys[0].encode(), password=None)

    def make(*roles: str, sub: str | None = None, **claims) -> dict[str, str]:
        value = issue_token(
            key,  # type: ignore[arg-type]
            sub=sub or str(uuid.uuid4()),
            roles=list(roles),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            **claims,
        )
        return {"Authorization": f"Bearer {value}"}

    return make


@pytest.fixture(scope="session")
async def partners(settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_partners(settings.model_copy(update={"db_pool_size": 4})) as client:
        yield client


@pytest.fixture(scope="session")
def operator(token) -> dict[str, str]:
    return token("operator")


@pytest.fixture(autouse=True)
async def remove_subscriptions(partners, operator) -> AsyncIterator[None]:
    """Subscriptions live on between tests otherwise, and would receive (and fail on) later tests' events."""
    yield
    while CREATED:
        partner_id, subscription_id = CREATED.pop()
        await partners.delete(f"{API}/partners/{partner_id}/subscriptions/{subscription_id}", headers=operator)
