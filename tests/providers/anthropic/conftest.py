"""One mock upstream and one gateway (Granian) in front of it, shared by this folder's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.gateway_stack import Stack, running_stack

from .deployment import deployments


@pytest.fixture(scope="package")
def stack(tmp_path_factory) -> Iterator[Stack]:
    with running_stack(deployments, tmp_path_factory.mktemp("anthropic")) as running:
        yield running
