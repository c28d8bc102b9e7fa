"""`briefing feeds`, `fetch`, `watch` and `ingest URL` through the CLI, over loopback HTTP."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.api import Assistant
from assistant.settings import Settings
from tests.assistant.test_feeds import body, item
from tests.feed_server import FeedServer, Route, page, rss
from ui.cli import app
from ui.cli_feeds import parse_interval

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
FAST = {
    "BRIEFING_EMBEDDING_MODEL": "hash",
    "BRIEFING_LEDGER": "false",
    "BRIEFING_FETCH_HOST_DELAY_S": "0",
    "BRIEFING_FETCH_TIMEOUT_S": "2",
    "BRIEFING_FETCH_ALLOW_PRIVATE": "true",  # the test server is on loopback
}


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=FAST)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def test_feeds_add_list_remove(tmp_path: Path, server: FeedServer) -> None:
    data = str(tmp_path / "d")
    added = _run(
        "feeds", "add", server.url("/f.xml"), "--outlet", "Wire", "--data-dir", data, "--json"
    )
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["outlet"] == "Wire"
    listed = json.loads(_run("feeds", "list", "--data-dir", data, "--json").stdout)
    assert [f["url"] for f in listed] == [server.url("/f.xml")]
    assert listed[0]["status"] == "active" and listed[0]["last_fetched"] is None
    # times read as they always did: ISO 8601, UTC, to the second
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00", listed[0]["added_at"])
    assert _run("feeds", "remove", server.url("/f.xml"), "--data-dir", data).exit_code == 0
    assert json.loads(_run("feeds", "list", "--data-dir", data, "--json").stdout) == []
    missing = _run("feeds", "remove", server.url("/f.xml"), "--data-dir", data)
    assert missing.exit_code == 1 and "briefing feeds list" in " ".join(missing.stderr.split())
    bad = _run("feeds", "add", "not a url", "--data-dir", data)
    assert bad.exit_code == 1 and "not an http" in bad.stderr


def test_feeds_add_refuses_a_loopback_host_unless_the_setting_allows_it(tmp_path: Path) -> None:
    data = str(tmp_path / "d")
    url = "http://127.0.0.1:9/feed.xml"
    env = {k: v for k, v in FAST.items() if k != "BRIEFING_FETCH_ALLOW_PRIVATE"}
    refused = runner.invoke(app, ["feeds", "add", url, "--data-dir", data], env=env)
    said = " ".join(refused.stderr.split())
    assert refused.exit_code == 1
    assert url in said and "loopback" in said and "BRIEFING_FETCH_ALLOW_PRIVATE=true" in said
    assert _run("feeds", "add", url, "--data-dir", data).exit_code == 0


def test_fetch_json_contract_and_exit_code(tmp_path: Path, server: FeedServer) -> None:
    data = str(tmp_path / "d")
    base = server.url("")
    server.route("/ok.xml", Route(rss("OK", [item(1, base), item(2, base)]), etag='"e"'))
    server.route("/broken.xml", Route("", status=500))
    for path in ("/ok.xml", "/broken.xml"):
        _run("feeds", "add", server.url(path), "--data-dir", data)
    result = _run("fetch", "--data-dir", data, "--json")
    assert result.exit_code == 1  # one feed failed, after the other was done
    report = json.loads(result.stdout)
    assert {"feeds", "added", "updated", "unchanged", "failed"} <= set(report)
    assert (report["added"], report["updated"], report["unchanged"]) == (2, 0, 0)
    assert report["failed"] == [{"url": server.url("/broken.xml"), "error": "HTTP 500"}]
    ok = next(f for f in report["feeds"] if f["url"] == server.url("/ok.xml"))
    assert {"url", "status", "http_status", "new", "updated", "unchanged", "error"} <= set(ok)
    assert (ok["status"], ok["http_status"], ok["new"], ok["error"]) == ("ok", 200, 2, None)
    server.route("/broken.xml", Route(rss("Fixed", [])))
    again = _run("fetch", "--data-dir", data, "--json")
    assert again.exit_code == 0, again.output
    statuses = {f["url"]: f["status"] for f in json.loads(again.stdout)["feeds"]}
    assert statuses == {server.url("/ok.xml"): "not_modified", server.url("/broken.xml"): "ok"}


def test_ingest_url_mixed_with_a_path(tmp_path: Path, server: FeedServer) -> None:
    server.route("/story", Route(page("A page story", body(60), site_name="Page Outlet")))
    local = tmp_path / "local.txt"
    local.write_text("Local title\n" + " ".join(body(61)))
    data = str(tmp_path / "d")
    result = _run("ingest", server.url("/story"), str(local), "--data-dir", data, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == 2
    rows = json.loads(_run("sources", "--data-dir", data, "--json").stdout)
    assert {r["url"] for r in rows} == {server.url("/story"), None}


def test_watch_polls_and_writes_the_days_briefing_once(tmp_path: Path, server: FeedServer) -> None:
    base = server.url("")
    server.route("/f.xml", Route(rss("W", [item(1, base)]), etag='"w"'))
    data = str(tmp_path / "d")
    _run("feeds", "add", server.url("/f.xml"), "--data-dir", data)
    out = tmp_path / "briefings"
    args = ["--every", "1s", "--times", "2", "--briefing-at", "00:00", "--out", str(out)]
    result = _run("watch", *args, "--data-dir", data)
    assert result.exit_code == 0, result.output
    assert server.hits("/f.xml") == 2
    written = out / f"{date.today().isoformat()}.md"
    assert written.read_text().startswith("# Briefing for")
    assert result.stderr.count("wrote ") == 1
    bad = _run("watch", "--every", "soon", "--data-dir", data)
    assert bad.exit_code == 1 and "not an interval" in bad.stderr


def test_parse_interval() -> None:
    assert [parse_interval(v) for v in ("30m", "1h", "90s", "1h30m")] == [1800, 3600, 90, 5400]


def _complete(db_path: Path) -> int:
    try:
        with sqlite3.connect(db_path) as conn:
            row = conn.execute("SELECT COUNT(*) FROM articles WHERE status='complete'").fetchone()
        return int(row[0])
    except sqlite3.Error:
        return 0


@pytest.mark.integration
def test_sigkill_mid_fetch_then_rerun_stores_each_article_once(
    tmp_path: Path, server: FeedServer
) -> None:
    base = server.url("")
    entries = []
    for n in range(48):
        server.route(f"/news/{n}", Route(page(f"Story {n}", body(100 + n)), delay_s=0.08))
        entries.append({"title": f"Story {n}", "link": f"{base}/news/{n}", "guid": str(n)})
    server.route("/f.xml", Route(rss("Wire", entries), etag='"k"'))
    data = tmp_path / "d"
    env = {**os.environ, **FAST, "PYTHONPATH": str(ROOT), "BRIEFING_DATA_DIR": str(data)}
    briefing = str(Path(sys.executable).with_name("briefing"))
    assert _run("feeds", "add", server.url("/f.xml"), "--data-dir", str(data)).exit_code == 0
    proc = subprocess.Popen(
        [briefing, "fetch"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    db_path = data / "briefing.sqlite3"
    killed_at = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        done = _complete(db_path)
        if done >= 16:
            proc.send_signal(signal.SIGKILL)
            killed_at = done
            break
        time.sleep(0.02)
    proc.wait(30)
    assert killed_at is not None and killed_at < 48, "the fetch finished before it was killed"
    rerun = subprocess.run(
        [briefing, "fetch", "--json"], env=env, capture_output=True, text=True, timeout=300
    )
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["failed"] == [] and report["added"] + report["unchanged"] == 48
    assert report["added"] <= 48 - killed_at
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT url) FROM articles").fetchone() == (48, 48)
    assert conn.execute("SELECT COUNT(*) FROM articles WHERE status != 'complete'").fetchone() == (
        0,
    )
    assert conn.execute("SELECT COUNT(*) FROM feed_entries").fetchone() == (48,)
    sqlite_ids = {r[0] for r in conn.execute("SELECT id FROM passages")}
    store = Assistant(Settings(data_dir=data, embedding_model="hash", ledger=False)).store
    vector_ids = {i for doc_id in store.all_doc_ids() for i in store.ids_for_doc(doc_id)}
    assert vector_ids == sqlite_ids and store.count() == len(sqlite_ids)


def test_the_cli_loads_no_http_client_or_minhash_until_a_feed_command_runs() -> None:
    code = (
        "import sys, ui.cli\n"
        "print(','.join(m for m in ('httpx', 'datasketch', 'assistant.feeds', 'assistant.api') "
        "if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == ""
