"""`briefing serve` warms the engine in the background as the server starts (issue 14)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ui.views as views
from assistant import BriefingError
from assistant.api import Assistant
from ui.cli import app


def test_background_warm_up_builds_the_page_assistant_once(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "_BOTS", {})
    monkeypatch.setattr(views, "_WARMED", set())
    runs: list[Assistant] = []
    real = Assistant.warm_up

    def counting(self: Assistant, freeze_gc: bool = True) -> None:
        runs.append(self)
        real(self, freeze_gc=False)

    monkeypatch.setattr(Assistant, "warm_up", counting)
    views.warm_in_background().join(timeout=120)
    bot = views.get_assistant()  # what a page gets later
    assert runs == [bot]
    assert bot.settings.data_dir == data_dir
    views.warm_up(bot)  # the page's own warm-up finds it done
    assert runs == [bot]


def test_a_bad_setting_leaves_the_error_to_the_page(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "_BOTS", {})
    monkeypatch.setattr(views, "_WARMED", set())
    monkeypatch.setenv("BRIEFING_CHUNK_SENTENCES", "0")
    views.warm_in_background().join(timeout=60)
    assert not views._BOTS and not views._WARMED
    with pytest.raises(BriefingError, match="BRIEFING_CHUNK"):
        views.get_assistant()  # the page shows the same error


def test_serve_starts_streamlit_through_the_warming_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []

    def fake_exec(path: str, command: list[str], env: dict[str, str]) -> None:
        calls.append(command)

    monkeypatch.setattr(os, "chdir", lambda folder: None)
    monkeypatch.setattr(os, "execve", fake_exec)
    result = CliRunner().invoke(app, ["serve", "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 0
    [command] = calls
    assert command[1:5] == [
        "-m",
        "ui.streamlit_main",
        "run",
        str(Path(views.__file__).parents[1] / "web.py"),
    ]


def test_streamlit_main_warms_then_hands_its_arguments_to_streamlit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from streamlit.web import cli

    import ui.streamlit_main as entry

    order: list[str] = []
    monkeypatch.setattr(views, "warm_in_background", lambda: order.append("warm"))

    def fake_main() -> int:
        order.append(" ".join(sys.argv))
        return 0

    monkeypatch.setattr(cli, "main", fake_main)
    monkeypatch.setattr(sys, "argv", ["ui/streamlit_main.py"])
    assert entry.main(["run", "web.py", "--server.port", "9"]) == 0
    assert order == ["warm", "streamlit run web.py --server.port 9"]
