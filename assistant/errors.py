"""The error tree every shell catches (defined in `ingest.errors`, the lowest layer raising it)."""

from __future__ import annotations

from ingest.errors import (
    BadInput,
    BriefingError,
    ConfigError,
    IngestError,
    ModelError,
    NotFound,
    StoreError,
    StoreUnavailable,
)

__all__ = [
    "BadInput",
    "BriefingError",
    "ConfigError",
    "IngestError",
    "ModelError",
    "NotFound",
    "StoreError",
    "StoreUnavailable",
]
