from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ui.cli import app

FORMATS = Path(__file__).resolve().parents[1] / "data" / "formats"
ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
FAST = {"BRIEFING_EMBEDDING_MODEL": "hash", "BRIEFING_LEDGER": "false"}


def _run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=env or FAST)


def test_ingest_json_contract_and_exit_code(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{nope")
    result = _run(
        "ingest",
        str(FORMATS),
        str(tmp_path / "bad.json"),
        "--data-dir",
        str(tmp_path / "d"),
        "--json",
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"added", "updated", "unchanged", "failed", "replaced", "chunks"}
    assert report["added"] == 1 + 1 + 1 + 3 + 2 + 2 + 1  # html, json, md, jsonl, rss, atom, txt
    assert report["failed"] == [
        {
            "path": str(tmp_path / "bad.json"),
            "error": "invalid JSON at line 1 column 2: "
            "Expecting property name enclosed in double quotes",
        }
    ]
    again = _run("ingest", str(FORMATS), "--data-dir", str(tmp_path / "d"), "--json")
    assert again.exit_code == 0
    assert json.loads(again.stdout)["unchanged"] == 11


def test_sources_and_remove(tmp_path: Path) -> None:
    data = str(tmp_path / "d")
    _run("ingest", str(FORMATS / "articles.jsonl"), "--data-dir", data, "--json")
    rows = json.loads(_run("sources", "--data-dir", data, "--json").stdout)
    assert len(rows) == 3
    assert {"doc_id", "title", "outlet", "published", "chunks"} <= set(rows[0])
    removed = _run("remove", rows[0]["doc_id"], "--data-dir", data)
    assert removed.exit_code == 0
    assert len(json.loads(_run("sources", "--data-dir", data, "--json").stdout)) == 2
    missing = _run("remove", "nope", "--data-dir", data)
    assert missing.exit_code == 1
    assert "no article with doc_id 'nope'" in missing.stderr


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    names = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore[union-attr]
    assert {"ingest", "sources", "remove", "claims", "parties", "demo"} <= set(names)
    for name in names:
        result = _run(name, "--help")
        assert result.exit_code == 0, name
        assert "--data-dir" in result.stdout
        assert re.search(rf"briefing {name}\b", readme), (
            f"README does not document `briefing {name}`"
        )


@pytest.mark.integration
def test_chroma_server_down_is_a_clear_error(tmp_path: Path) -> None:
    from tests.conftest import free_port

    port = free_port()
    env = {**FAST, "BRIEFING_CHROMA_MODE": "http", "BRIEFING_CHROMA_PORT": str(port)}
    result = _run("ingest", str(FORMATS / "plain.txt"), "--data-dir", str(tmp_path / "d"), env=env)
    assert result.exit_code == 1
    assert f"127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
