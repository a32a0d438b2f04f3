"""Ferrogate: an OpenAI-compatible AI gateway with a Rust core."""

__version__ = "0.1.0"
