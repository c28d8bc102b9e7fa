"""The project's error tree. Shells catch `BriefingError`; anything else is a bug.

    BriefingError
    ├── NotFound          a doc_id, file or day that does not exist
    ├── BadInput          a question, option or file the assistant cannot use
    │   └── IngestError   one file or record could not be read as an article
    ├── ConfigError       a setting is missing, malformed or contradicts another one
    ├── StoreError        the vector store or the article database failed
    │   └── StoreUnavailable   the configured store cannot be reached
    └── ModelError        an embedding or chat model failed or is misconfigured

It lives in the lowest layer that raises it; `assistant.errors` re-exports it.
"""

from __future__ import annotations

from pathlib import Path


class BriefingError(Exception):
    """Root of every error the assistant reports to a user."""


class NotFound(BriefingError):
    """A doc_id, file or day that the store does not hold."""


class BadInput(BriefingError):
    """A question, option or file the assistant cannot use as given."""


class IngestError(BadInput):
    """A file or record could not be read as an article."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class StoreError(BriefingError):
    """The vector store or the article database failed."""


class StoreUnavailable(StoreError):
    """The configured store cannot be reached."""


class ConfigError(BriefingError):
    """A setting is missing, malformed or contradicts another one."""


class ModelError(BriefingError):
    """An embedding or chat model failed, timed out or is misconfigured."""
