"""The project's error tree. Shells catch `BriefingError`; anything else is a bug."""

from __future__ import annotations

from pathlib import Path


class BriefingError(Exception):
    """Root of every error the assistant reports to a user."""


class IngestError(BriefingError):
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
