"""Hostile input through both shells (issue 13): every file of tests/hostile.py through the CLI
and the upload page, inert terminal output, inert Markdown export, the one-line settings error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from tests.hostile import GOOD_BODY, SECRET_TEXT, hostile_cases, write_hostile, write_links
from tests.ui.conftest import FORMATS, WEB
from ui.cli import app

runner = CliRunner()
FAST = {"BRIEFING_EMBEDDING_MODEL": "hash", "BRIEFING_LEDGER": "false", "COLUMNS": "500"}
GOOD = b"---\ntitle: The good one\noutlet: Quay Times\npublished: 2026-03-10\n---\n" + (
    GOOD_BODY.encode()
)


def _run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=env or FAST)


def test_every_hostile_file_is_named_through_the_cli_and_the_batch_goes_on(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_TEXT)
    folder = tmp_path / "in"
    cases = write_hostile(folder, secret)
    links = write_links(folder / "links")
    (folder / "good.md").write_bytes(GOOD)
    long_path = folder / next(c.name for c in cases if not c.on_disk)
    data = str(tmp_path / "d")
    result = _run("ingest", str(folder), str(long_path), "--data-dir", data, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["added"] == 1  # the good file, despite everything around it
    failed = {Path(f["path"]).name: f["error"] for f in report["failed"]}
    for case in cases:
        assert case.reason in failed[case.name], (case.name, failed.get(case.name))
    for name, phrase in links.items():
        assert phrase in failed[name]
    assert SECRET_TEXT not in result.stdout + result.stderr
    rows = json.loads(_run("sources", "--data-dir", data, "--json").stdout)
    assert [r["title"] for r in rows] == ["The good one"]


def test_an_article_replaced_from_another_source_is_reported_with_both(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "first.json", tmp_path / "b" / "second.json"
    for path, words in ((first, "first"), (second, "second")):
        path.parent.mkdir()
        record = {"url": "https://news.example/x", "title": f"The {words}", "text": GOOD_BODY}
        path.write_text(json.dumps(record))
    data = str(tmp_path / "d")
    assert _run("ingest", str(first), "--data-dir", data, "--json").exit_code == 0
    result = _run("ingest", str(second), "--data-dir", data, "--json")
    report = json.loads(result.stdout)
    assert report["updated"] == 1
    [replaced] = report["replaced"]
    assert (replaced["old_source"], replaced["new_source"]) == (str(first), str(second))
    assert replaced["title"] == "The second"
    text = _run("ingest", str(first), "--data-dir", data)  # and back: said in plain text too
    assert f"{second} -> {first}" in " ".join(text.stderr.split())  # wrapped at 80 columns


def test_markup_and_escape_sequences_never_reach_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad[red]name.json").write_text("{broken")
    (folder / "esc.json").write_text(
        json.dumps(
            {
                "title": "Clear \x1b[2J screen [link=https://evil.example]here[/link]",
                "outlet": "[bold]Outlet\u202e",
                "published": "2026-03-10",
                "text": GOOD_BODY + " \x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
            }
        )
    )
    data = str(tmp_path / "d")
    ingest = _run("ingest", str(folder), "--data-dir", data)
    assert "bad[red]name.json" in ingest.stderr  # markup shown literally, not interpreted
    listing = _run("sources", "--data-dir", data)
    ask = _run("ask", "What did the harbour board approve?", "--data-dir", data)
    summary = _run("summary", "--date", "2026-03-10", "--data-dir", data)
    for result in (ingest, listing, ask, summary):
        assert "\x1b" not in result.stdout + result.stderr
        assert "\u202e" not in result.stdout + result.stderr
    assert "[link=https://evil.example]" in listing.stdout.replace("\n", "")  # literal text
    assert "[bold]Outlet" in listing.stdout


def test_markdown_export_is_inert(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.json"
    hostile.write_text(
        json.dumps(
            {
                "title": "![x](https://tracker.example/p.gif) [y](javascript:alert(1)) <img src=x>",
                "outlet": "[Outlet](javascript:void)",
                "published": "2026-03-10",
                "text": GOOD_BODY + " See ![pixel](https://tracker.example/q.gif) now.",
            }
        )
    )
    data = str(tmp_path / "d")
    assert _run("ingest", str(hostile), "--data-dir", data).exit_code == 0
    out = tmp_path / "b.md"
    result = _run(
        "summary", "--date", "2026-03-10", "--format", "md", "--out", str(out), "--data-dir", data
    )
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    assert "tracker" in text  # the title is there, as text
    assert not re.search(r"(?<!\\)!(?<!\\)\[", text)  # no image syntax
    assert not re.search(r"(?<!\\)\]\(", text)  # no link target
    assert not re.search(r"(?<!\\)<img", text)
    assert "javascript:" in text and "\\](javascript" in text  # shown, never a link target
    assert "https\u2060:" in text  # a URL in a title stays text (no autolink)


def test_a_bad_setting_is_one_line_naming_it_and_exit_2(tmp_path: Path) -> None:
    env = {**FAST, "BRIEFING_CHUNK_SENTENCES": "abc"}
    result = _run("sources", "--data-dir", str(tmp_path / "d"), env=env)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "BRIEFING_CHUNK_SENTENCES='abc'" in lines[0]
    assert "valid integer" in lines[0]
    assert "Traceback" not in result.stderr


# -- the upload page ---------------------------------------------------------------------------
def test_every_hostile_file_is_named_through_the_upload_page(
    data_dir: Path, tmp_path: Path
) -> None:
    from assistant.api import Assistant
    from assistant.settings import Settings

    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_TEXT)
    cases = hostile_cases(secret)
    at = AppTest.from_file(str(WEB), default_timeout=120).run()
    at.switch_page("views/library.py").run()
    uploads = [(c.name, c.content, "application/octet-stream") for c in cases]
    uploads.append(("good.md", GOOD, "text/markdown"))
    at.file_uploader[0].set_value(uploads)
    at.button[0].click().run()
    assert not at.exception
    results = at.dataframe[0].value
    assert len(results) == len(cases) + 1
    by_name = dict(zip(results["file"], results["error"], strict=True))
    for case in cases:
        if case.on_disk:
            assert case.reason in by_name[case.name], (case.name, by_name[case.name])
    long_name = next(c.name for c in cases if not c.on_disk)
    assert by_name[long_name].startswith("invalid JSON")  # stored under a shortened name
    assert by_name["good.md"] == ""
    assert SECRET_TEXT not in "\n".join(e.value for e in at.error)
    assert [a.title for a in Assistant(Settings()).sources()] == ["The good one"]
    assert [a.source_path for a in Assistant(Settings()).sources()] == ["upload:good.md"]


def test_a_formats_folder_still_ingests_cleanly(tmp_path: Path) -> None:
    result = _run("ingest", str(FORMATS), "--data-dir", str(tmp_path / "d"), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["replaced"] == []


@pytest.fixture(autouse=True)
def _no_ledger(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_LEDGER", "false")


def test_a_bad_setting_is_one_line_in_the_web_app_too(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CHUNK_SENTENCES", "abc")
    at = AppTest.from_file(str(WEB), default_timeout=120).run()
    assert not at.exception
    from ui.render import unescape_markdown

    [error] = at.error
    assert "BRIEFING_CHUNK_SENTENCES='abc': input should be a valid integer" in (
        unescape_markdown(error.value)
    )
