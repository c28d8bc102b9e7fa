"""Fixtures shared by the web page tests: a temp data dir (hash embedder, no ledger) and a
store filled with the one-of-each-format articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "ui" / "web.py"
FORMATS = ROOT / "tests" / "data" / "formats"
HOSTILE_TITLE = "Council vote <script>alert(1)</script>"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data"
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(path))
    monkeypatch.setenv("BRIEFING_EMBEDDING_MODEL", "hash")
    monkeypatch.setenv("BRIEFING_LEDGER", "false")
    return path


@pytest.fixture
def filled(data_dir: Path) -> Assistant:
    bot = Assistant(Settings())
    report = bot.ingest(sorted(FORMATS.iterdir()))
    assert report.failed == [] and report.added == 11
    return bot
