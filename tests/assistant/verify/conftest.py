"""Fixtures shared by the figure tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.verify import figures


@pytest.fixture
def fresh_figure_caches() -> Iterator[None]:
    """The test starts as a new process would: nothing parsed, nothing remembered."""
    figures._KNOWN.clear()
    figures._PARSED.clear()
    yield
    figures._KNOWN.clear()
    figures._PARSED.clear()
