"""Two data dirs on one real Chroma server (issue 13, item 16): vectors are shared, articles
are not. A hit whose article is missing locally is a named skip, never a crash or an answer
from text this user does not hold; and one user's recovery never deletes the other's vectors."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.api import Assistant
from assistant.settings import Settings
from tests.hostile import GOOD_BODY
from ui.cli import app

pytestmark = pytest.mark.integration


def _settings(data_dir: Path, server: tuple[str, int]) -> Settings:
    host, port = server
    return Settings(
        data_dir=data_dir,
        embedding_model="hash",
        ledger=False,
        chroma_mode="http",
        chroma_host=host,
        chroma_port=port,
        collection="shared-team",
    )


def test_another_users_vectors_are_skipped_by_name_and_kept(
    tmp_path: Path, chroma_server: tuple[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    alice = Assistant(_settings(tmp_path / "alice", chroma_server))
    zorblat = tmp_path / "zorblat.md"
    zorblat.write_text(
        "---\ntitle: Zorblat crane falls\noutlet: Quay Times\npublished: 2026-03-10\n---\n"
        "The zorblat crane fell into the harbour on Monday. Nobody was hurt, the port said.\n"
    )
    assert alice.ingest([zorblat]).added == 1
    alice_vectors = alice.store.count()
    bob = Assistant(_settings(tmp_path / "bob", chroma_server))
    other = tmp_path / "other.md"
    other.write_text(
        "---\ntitle: Harbour board meets\noutlet: Quay Times\npublished: 2026-03-10\n---\n"
        + GOOD_BODY
    )
    assert bob.ingest([other]).added == 1
    with caplog.at_level(logging.WARNING):
        hits = bob.retriever.retrieve("zorblat crane fell into the harbour", 5)
    assert all(h.passage.doc_id == bob.sources()[0].doc_id for h in hits)
    assert bob.retriever.skipped >= 1
    assert "skipped" in caplog.text and str(tmp_path / "bob") in caplog.text
    # Bob's recovery (an interrupted run) must not take Alice's vectors for debris.
    assert bob.ingestor.sweep_orphans is False
    with bob.db.transaction() as conn:
        bob.db.mark(conn, [bob.sources()[0].doc_id], "pending")
    assert bob.ingestor.recover() == 1
    assert bob.store.count() >= alice_vectors + 1
    assert {a.doc_id for a in alice.sources()} <= bob.store.all_doc_ids()
    # Through the CLI: an answer, not a crash, citing only what Bob holds.
    host, port = chroma_server
    env = {
        "BRIEFING_EMBEDDING_MODEL": "hash",
        "BRIEFING_LEDGER": "false",
        "BRIEFING_CHROMA_MODE": "http",
        "BRIEFING_CHROMA_HOST": host,
        "BRIEFING_CHROMA_PORT": str(port),
        "BRIEFING_COLLECTION": "shared-team",
    }
    result = CliRunner().invoke(
        app,
        ["ask", "What fell into the harbour?", "--data-dir", str(tmp_path / "bob"), "--json"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert all(c["title"] != "Zorblat crane falls" for c in answer["citations"])
