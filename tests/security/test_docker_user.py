"""The Docker image runs as a non-root user (read from the Dockerfile: no daemon here)."""

from __future__ import annotations

import re

import pytest

from tests.support.processes import REPO

ROOT_USERS = {"root", "0"}


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    pairs = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            pairs.append((word.upper(), rest.strip()))
    return pairs


def runtime_user(dockerfile: str) -> str | None:
    """The user the container runs as: the final stage's last USER (None: root, the
    default). Earlier stages do not reach the image."""
    instructions = _instructions(dockerfile)
    starts = [i for i, (word, _) in enumerate(instructions) if word == "FROM"]
    assert starts, "the Dockerfile has no FROM"
    users = [args.split(":")[0] for word, args in instructions[starts[-1] :] if word == "USER"]
    return users[-1] if users else None


def test_the_image_runs_as_a_user_that_is_not_root():
    user = runtime_user((REPO / "Dockerfile").read_text())

    assert user is not None, "the final stage never sets USER, so the image runs as root"
    assert user not in ROOT_USERS


@pytest.mark.parametrize(
    ("dockerfile", "user"),
    [
        ('FROM a AS build\nUSER app\nFROM b\nCMD ["x"]\n', None),  # only the build stage
        ('FROM b\nUSER app\nRUN x \\\n  y\nUSER 0:0\nCMD ["x"]\n', "0"),  # switched back
        ('FROM b\nUSER app\nFROM c AS again\nCMD ["x"]\n', None),  # a later stage
        ('FROM b\nUSER app\n# USER root\nENTRYPOINT ["x"]\n', "app"),  # a comment
    ],
)
def test_the_check_sees_where_root_remains(dockerfile, user):
    assert runtime_user(dockerfile) == user
