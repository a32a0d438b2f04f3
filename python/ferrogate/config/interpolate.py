"""`${VAR}` and `${VAR:-default}` in config string values; `$$` is a literal dollar.

Applied to parsed YAML values rather than raw text, so an environment value can
never change the YAML structure around it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_PATTERN = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-)([^}]*))?\}")


class InterpolationError(ValueError):
    pass


def interpolate(value: Any, env: Mapping[str, str], path: str = "") -> Any:
    if isinstance(value, str):
        return _interpolate_string(value, env, path)
    if isinstance(value, list):
        return [interpolate(item, env, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {key: interpolate(item, env, _join(path, key)) for key, item in value.items()}
    return value


def _interpolate_string(text: str, env: Mapping[str, str], path: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, has_default, default = match.groups()
        found = env.get(name, "")
        return found if found or not has_default else default

    result = _PATTERN.sub(substitute, text)
    leftover = _PATTERN.sub("", text)
    if "${" in leftover:
        raise InterpolationError(f"{path}: malformed variable reference in {text!r}")
    return result


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)
