"""The built-in `demo` model."""

from .adapter import DemoProvider

__all__ = ["DemoProvider"]
