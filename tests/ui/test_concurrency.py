"""Writers at the same time (issue 13, item 11): the CLI ingesting while the web app uploads,
two CLI ingests of overlapping folders, and a writer that finds the lock held.

Afterwards every article is stored once and complete, SQLite's passages are exactly the vector
store's ids, and no party alias another process learned is lost.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.api import Assistant, demo_corpus_path
from assistant.settings import Settings
from tests.ui.conftest import ROOT, WEB

CORPUS = sorted(demo_corpus_path().glob("*.md"))


def _cli(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from ui.cli import app; app()", *args],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _split(tmp_path: Path) -> tuple[Path, Path]:
    """Two folders sharing 8 of the 20 demo articles."""
    a, b = tmp_path / "A", tmp_path / "B"
    for folder, files in ((a, CORPUS[:14]), (b, CORPUS[6:])):
        folder.mkdir()
        for f in files:
            shutil.copy(f, folder / f.name)
    return a, b


def _aliases(data_dir: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(data_dir / "briefing.sqlite3") as conn:
        return {
            (str(c), str(a)) for c, a in conn.execute("SELECT canonical, alias FROM party_aliases")
        }


def _assert_consistent(data_dir: Path, ledger: bool) -> None:
    bot = Assistant(Settings(data_dir=data_dir, embedding_model="hash", ledger=ledger))
    with sqlite3.connect(data_dir / "briefing.sqlite3") as conn:
        statuses = dict(conn.execute("SELECT status, COUNT(*) FROM articles GROUP BY status"))
        titles = [r[0] for r in conn.execute("SELECT title FROM articles")]
    assert statuses == {"complete": len(CORPUS)}
    assert len(titles) == len(set(titles)) == len(CORPUS)  # each article once
    passages = set(bot.db.all_passage_ids())
    vectors = {pid for doc in bot.store.all_doc_ids() for pid in bot.store.ids_for_doc(doc)}
    assert passages == vectors
    assert bot.store.count() == len(passages)


def test_two_cli_ingests_of_overlapping_folders(tmp_path: Path) -> None:
    a, b = _split(tmp_path)
    data = tmp_path / "d"
    env = {"BRIEFING_EMBEDDING_MODEL": "hash", "BRIEFING_LEDGER": "false"}
    first = _cli("ingest", str(a), "--data-dir", str(data), "--json", env=env)
    second = _cli("ingest", str(b), "--data-dir", str(data), "--json", env=env)
    reports = []
    for proc in (first, second):
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, stderr
        reports.append(json.loads(stdout))
    assert sum(r["added"] for r in reports) == len(CORPUS)
    assert sum(r["unchanged"] for r in reports) == 8  # the overlap, read by the later one
    assert all(r["replaced"] == [] for r in reports)
    _assert_consistent(data, ledger=False)


def test_the_cli_ingests_while_the_web_app_uploads_and_no_alias_is_lost(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_LEDGER", "true")
    a, b = _split(tmp_path)
    at = AppTest.from_file(str(WEB), default_timeout=600).run()
    at.switch_page("views/library.py").run()
    # The web app loads its party registry with its first upload and keeps it for its life.
    at.file_uploader[0].set_value([(CORPUS[0].name, CORPUS[0].read_bytes(), "text/markdown")])
    at.button[0].click().run()
    assert not at.exception
    cli = _cli(
        "ingest",
        str(b),
        "--data-dir",
        str(data_dir),
        "--json",
        env={"BRIEFING_EMBEDDING_MODEL": "hash", "BRIEFING_LEDGER": "true"},
    )
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), "text/markdown") for p in CORPUS[1:14]])
    at.button[0].click().run()
    assert not at.exception
    stdout, stderr = cli.communicate(timeout=900)
    assert cli.returncode == 0, stderr
    assert set(at.dataframe[0].value["error"]) == {""}
    _assert_consistent(data_dir, ledger=True)
    learned = _aliases(data_dir)
    assert learned  # the corpus teaches aliases, or this test would prove nothing
    # One more upload from the long-running web app, whose registry predates the CLI run.
    changed = CORPUS[-1].read_bytes() + b"\n\nThe report was updated on the same day.\n"
    at.file_uploader[0].set_value([(CORPUS[-1].name, changed, "text/markdown")])
    at.button[0].click().run()
    assert not at.exception
    assert list(at.dataframe[0].value["updated"]) == [1]
    assert {alias for _, alias in learned} <= {alias for _, alias in _aliases(data_dir)}


def test_a_writer_that_finds_the_lock_held_says_who_holds_it(tmp_path: Path) -> None:
    from filelock import FileLock

    data = tmp_path / "d"
    data.mkdir()
    (data / "writer.pid").write_text(str(os.getpid()))
    with FileLock(data / "writer.lock"):
        proc = _cli(
            "ingest",
            str(CORPUS[0]),
            "--data-dir",
            str(data),
            env={
                "BRIEFING_EMBEDDING_MODEL": "hash",
                "BRIEFING_LEDGER": "false",
                "BRIEFING_LOCK_TIMEOUT_S": "1",
                "COLUMNS": "300",
            },
        )
        _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 1
    assert f"busy: another ingest is running (pid {os.getpid()})" in stderr
    assert "Traceback" not in stderr
    with sqlite3.connect(data / "briefing.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
