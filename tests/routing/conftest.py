from __future__ import annotations

from collections.abc import Iterator
from string import ascii_lowercase

import pytest

from tests.routing.mock_fleet import Mock, candidate, close_providers


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# Router modules define a module-scoped `mock_processes` fixture (how many mocks, which
# flags); these two turn it into fresh mocks and candidates for each test.


@pytest.fixture
def mocks(mock_processes: list[Mock]) -> Iterator[list[Mock]]:
    """The module's mock processes with start-up faults and zero counts, before and after."""
    for mock in mock_processes:
        mock.reset()
    yield mock_processes
    for mock in mock_processes:
        mock.reset()


@pytest.fixture
async def deployments(mocks: list[Mock]):
    """Candidates a, b, c, ... on the mocks, one each, in that priority order."""
    names = zip(ascii_lowercase, mocks, strict=False)
    built = [candidate(name, mock, priority=i) for i, (name, mock) in enumerate(names)]
    yield built
    await close_providers(built)
