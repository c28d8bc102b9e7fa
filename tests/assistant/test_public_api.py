"""The public API: every exported name resolves, the error tree holds, importing is cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

import assistant
from assistant import errors


def test_every_exported_name_resolves() -> None:
    for name in assistant.__all__:
        assert getattr(assistant, name) is not None, name
    with pytest.raises(AttributeError):
        _ = assistant.NoSuchThing  # type: ignore[attr-defined]


def test_errors_form_one_tree_under_briefing_error() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, errors.BriefingError), name
    assert issubclass(errors.IngestError, errors.BadInput)
    assert issubclass(errors.StoreUnavailable, errors.StoreError)
    assert not issubclass(errors.NotFound, errors.BadInput)
    err = errors.IngestError("a/b.json", "not valid JSON")
    assert str(err) == "a/b.json: not valid JSON" and err.path == "a/b.json"


def test_importing_the_package_loads_no_model_store_or_parser() -> None:
    code = (
        "import sys, assistant\n"
        "assistant.Settings, assistant.BriefingError\n"
        "heavy = [m for m in ('torch', 'spacy', 'chromadb', 'sentence_transformers') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
