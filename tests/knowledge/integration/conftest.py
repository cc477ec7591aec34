import pytest

from tests.conftest import running_service


@pytest.fixture(scope="module")
async def client(settings):
    """One running knowledge service (routes, consumers, relay) per test module."""
    async with running_service("knowledge", settings) as client:
        yield client
