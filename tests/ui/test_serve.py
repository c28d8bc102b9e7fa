"""`briefing serve` for a team (issue 13, item 14): the app's own Streamlit config is what
Streamlit reads, and the upload limit follows the ingest size limit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ui.cli import app

UI = Path(__file__).resolve().parents[2] / "ui"


def test_streamlit_reads_the_shipped_config_from_where_serve_runs_it() -> None:
    streamlit = Path(sys.executable).with_name("streamlit")
    shown = subprocess.run(
        [str(streamlit), "config", "show"], cwd=UI, capture_output=True, text=True, check=True
    ).stdout
    active = {line for line in shown.splitlines() if line and not line.startswith("#")}
    assert {
        'showErrorDetails = "none"',
        'toolbarMode = "viewer"',
        'fileWatcherType = "none"',
        "gatherUsageStats = false",
        "runOnSave = false",
        "headless = true",
    } <= active


def test_serve_runs_from_ui_with_the_ingest_limit_and_warns_on_a_public_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[list[str], Path]] = []

    def fake_call(command: list[str], env: dict[str, str], cwd: Path) -> int:
        calls.append((command, cwd))
        return 0

    monkeypatch.setattr(subprocess, "call", fake_call)
    env = {"BRIEFING_MAX_FILE_MB": "7.5", "BRIEFING_SERVE_HOST": "0.0.0.0", "COLUMNS": "300"}
    result = CliRunner().invoke(app, ["serve", "--data-dir", str(tmp_path / "d")], env=env)
    assert result.exit_code == 0
    [(command, cwd)] = calls
    assert cwd == UI
    assert command[command.index("--server.maxUploadSize") + 1] == "8"
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert "upload and remove articles" in result.stderr
    quiet = CliRunner().invoke(app, ["serve", "--host", "127.0.0.1"], env=env)
    assert quiet.exit_code == 0 and "warning" not in quiet.stderr
