"""Inputs that hit gateway bugs already pinned by an xfail test in test_found_bugs.py.

schemathesis_hooks.py keeps the fuzzed run away from them; when a bug is fixed its xfail
test fails as an unexpected pass, and its predicate here goes with the xfail mark.
"""

from __future__ import annotations


def response_format_is_not_an_object(body: object) -> bool:
    """test_a_response_format_that_is_not_an_object_is_a_400 (capability_check.py)."""
    if not isinstance(body, dict):
        return False
    response_format = body.get("response_format")
    return response_format not in (None, {}) and not isinstance(response_format, dict)
