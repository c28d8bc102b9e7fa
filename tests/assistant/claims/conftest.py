"""The English pipeline, loaded once for every claims test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spacy.language import Language


@pytest.fixture(scope="session")
def nlp() -> Iterator[Language]:
    from ingest.sentences import load_nlp

    yield load_nlp()
