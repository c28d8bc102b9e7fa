"""`briefing serve` for a team (issue 13, item 14): the app's own Streamlit config is what
Streamlit reads, and the upload limit follows the ingest size limit."""

from __future__ import annotations

import os
import signal
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
    where: list[Path] = []

    def fake_exec(path: str, command: list[str], env: dict[str, str]) -> None:
        calls.append((command, where[-1]))

    monkeypatch.setattr(os, "chdir", lambda folder: where.append(Path(folder)))
    monkeypatch.setattr(os, "execve", fake_exec)
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


@pytest.mark.slow
def test_a_stopped_serve_leaves_no_server_running(tmp_path: Path) -> None:
    """Streamlit takes the command's place: stopping `briefing serve` stops the server."""
    import psutil

    from tests.conftest import free_port, stop, wait_for_port

    port = free_port()
    briefing = Path(sys.executable).with_name("briefing")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [str(briefing), "serve", "--port", str(port), "--data-dir", str(tmp_path / "d")],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, 60, proc)
        assert "ui.streamlit_main" in " ".join(psutil.Process(proc.pid).cmdline())
    finally:
        proc.send_signal(signal.SIGTERM)
        stop(proc)
        log.close()
    left = [
        p.pid
        for p in psutil.process_iter(["cmdline"])
        if f"--server.port {port}" in " ".join(p.info["cmdline"] or [])
    ]
    assert left == []
