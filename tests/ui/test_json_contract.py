"""The `--json` contracts of `sources`, `ask` and `summary`: the keys and the date strings the
CLI printed while records carried dates as ISO text, now that they carry `date` objects."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ui.cli import app

FORMATS = Path(__file__).resolve().parents[1] / "data" / "formats"
FAST = {"BRIEFING_EMBEDDING_MODEL": "hash", "BRIEFING_LEDGER": "false"}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$")  # UTC, to the second
runner = CliRunner()

SOURCE_KEYS = {"doc_id", "title", "outlet", "published", "url", "chunks"}
CITATION_KEYS = {
    "n", "doc_id", "title", "outlet", "published", "url", "passage", "start", "end",
    "speaker", "party", "cue", "also_in",
}  # fmt: skip
ANSWER_KEYS = {
    "question", "answer", "engine", "refused", "statements", "citations", "repairs",
    "timings_ms", "notice", "standalone_question",
}  # fmt: skip
STATEMENT_KEYS = {"text", "citations", "party", "speaker"}
BRIEFING_KEYS = {"date", "since", "until", "stories", "citations", "repairs"}
STORY_KEYS = {"title", "outlets", "doc_ids", "summary", "agreed", "contested", "revisions"}
SINCE_LAST_KEYS = {"last_at", "last_date", "new_stories", "revised", "contested"}


def _json(*args: str) -> object:
    result = runner.invoke(app, list(args), env=FAST)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("contract") / "d")
    report = _json("ingest", str(FORMATS), "--data-dir", path, "--json")
    assert report["failed"] == [] and report["added"] == 11  # type: ignore[index]
    return path


def test_sources_json_keeps_its_keys_and_iso_dates(data: str) -> None:
    rows = _json("sources", "--data-dir", data, "--json")
    assert isinstance(rows, list) and len(rows) == 11
    assert all(set(r) == SOURCE_KEYS for r in rows)
    assert all(r["published"] is None or DAY.match(r["published"]) for r in rows)
    by_title = {r["title"]: r["published"] for r in rows}
    records = [json.loads(line) for line in (FORMATS / "articles.jsonl").read_text().splitlines()]
    for record in records:  # the file's own ISO text comes back unchanged
        assert by_title[record["title"]] == record.get("published")
    assert [r["published"] for r in rows] == sorted(
        (r["published"] for r in rows), key=lambda d: d or "", reverse=True
    )  # newest first, undated last, as before


def test_ask_json_keeps_its_keys_and_the_sources_dates(data: str) -> None:
    answer = _json(
        "ask", "How much will the library's extra hours cost?", "--data-dir", data, "--json"
    )
    assert isinstance(answer, dict) and set(answer) == ANSWER_KEYS
    assert answer["citations"] and not answer["refused"]
    assert all(set(s) == STATEMENT_KEYS for s in answer["statements"])
    published = {
        r["doc_id"]: r["published"] for r in _json("sources", "--data-dir", data, "--json")
    }  # type: ignore[union-attr]
    for c in answer["citations"]:
        assert set(c) == CITATION_KEYS
        assert c["published"] == published[c["doc_id"]] and isinstance(c["also_in"], list)


def test_summary_json_keeps_its_keys_iso_period_and_utc_time(data: str) -> None:
    first = _json("summary", "--date", "2026-03-11", "--format", "json", "--data-dir", data)
    assert isinstance(first, dict) and set(first) == BRIEFING_KEYS  # no last briefing yet
    assert first["date"] == first["since"] == first["until"] == "2026-03-11"
    assert first["stories"] and all(set(s) == STORY_KEYS for s in first["stories"])
    assert first["citations"]
    for c in first["citations"]:
        assert set(c) == CITATION_KEYS and c["published"] == "2026-03-11"
    again = _json("summary", "--date", "2026-03-11", "--format", "json", "--data-dir", data)
    assert isinstance(again, dict) and set(again) == BRIEFING_KEYS | {"since_last"}
    assert set(again["since_last"]) == SINCE_LAST_KEYS
    assert TIME.match(again["since_last"]["last_at"])
    assert again["since_last"]["last_date"] == "2026-03-11"
    period = _json(
        "summary", "--since", "2026-03-10", "--until", "2026-03-12", "--format", "json",
        "--data-dir", data,
    )  # fmt: skip
    assert isinstance(period, dict)
    assert (period["date"], period["since"], period["until"]) == (
        "2026-03-10..2026-03-12",
        "2026-03-10",
        "2026-03-12",
    )
    assert {c["published"] for c in period["citations"]} <= {
        "2026-03-10",
        "2026-03-11",
        "2026-03-12",
    }
