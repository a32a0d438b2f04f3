"""Ferrogate's OpenAPI document, served at `GET /openapi.json`."""

from .document import OpenApiJson, openapi_document

__all__ = ["OpenApiJson", "openapi_document"]
