"""Figures read at ingest and stored, so that a number question needs no parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.settings import Settings
from assistant.verify import figures
from assistant.verify.evidence import article_sentences
from assistant.verify.figure_store import (
    FILLED_KEY,
    decode_figures,
    encode_figures,
    load_figures,
    text_key,
)
from ingest.store import MemoryStore
from tests.conftest import CountingEmbedder

BODY = (
    "Dock workers stayed off the job for a second day. The union said 900 members joined.\n\n"
    "The port company said only 300 workers were absent. It called the strike a failure.\n\n"
    "Talks are set for Friday. Ships waited outside the harbour. Seven ships were delayed."
)


def _article(folder: Path, name: str, body: str = BODY) -> Path:
    path = folder / name
    path.write_text(
        '---\ntitle: "Harbour strike enters day two"\noutlet: Test Wire\npublished: 2026-03-11\n'
        f"url: https://test.example/{name}\n---\n\n{body}\n"
    )
    return path


pytestmark = pytest.mark.usefixtures("fresh_figure_caches")


def _bot(tmp_path: Path, ledger: bool, figures_at_ingest: bool | None = True) -> Assistant:
    settings = Settings(
        data_dir=tmp_path / "data",
        embedding_model="hash",
        ledger=ledger,
        chunk_sentences=2,
        figures_at_ingest=figures_at_ingest,
    )
    return Assistant(settings, embedder=CountingEmbedder(), store=MemoryStore())


def _no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("the parser was loaded")

    monkeypatch.setattr(figures, "parse", lambda text: refuse())
    monkeypatch.setattr(figures, "_nlp", refuse)


def _one_article_ingested(tmp_path: Path) -> tuple[Assistant, str]:
    """A store (ledger off) holding the one sample article, and that article's doc_id."""
    src = tmp_path / "src"
    src.mkdir()
    _article(src, "a.md")
    bot = _bot(tmp_path, ledger=False)
    bot.ingest([src])
    [doc_id] = [a.doc_id for a in bot.db.articles()]
    return bot, doc_id


def _stored(bot: Assistant) -> dict[str, str]:
    return dict(bot.db.conn.execute("SELECT text_key, figures FROM figures").fetchall())


@pytest.mark.parametrize("ledger", [False, True])
def test_ingest_stores_the_parsed_figures_of_every_evidence_text(
    tmp_path: Path, ledger: bool
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _article(src, "a.md")
    bot = _bot(tmp_path, ledger)
    bot.ingest([src])
    [doc_id] = [a.doc_id for a in bot.db.articles()]
    stored = _stored(bot)
    evidence = article_sentences(bot.db, doc_id)
    with_numbers = [s.text for s in evidence if figures.numbers_in(s.text)]
    assert len(stored) == len(set(with_numbers)) > 0  # a row for each text with a number
    figures._KNOWN.clear()
    for text in with_numbers:  # what a parse at question time gives, exactly
        assert decode_figures(stored[text_key(text)]) == figures.figures_in(text)
    values = {f.value for text in with_numbers for f in figures.figures_in(text)}
    assert {"900", "300", "7"} <= values


def test_a_number_question_loads_no_parser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _article(src, "a.md")
    bot = _bot(tmp_path, ledger=True)
    bot.ingest([src])
    figures._KNOWN.clear()
    figures._PARSED.clear()
    _no_parser(monkeypatch)
    answer = bot.ask("How many ships were delayed?")
    assert not answer.refused and answer.answer.startswith("Seven ships were delayed.")
    assert figures._KNOWN  # the evidence's figures came from the store


def test_figures_of_another_version_are_not_used(tmp_path: Path) -> None:
    bot, doc_id = _one_article_ingested(tmp_path)
    texts = [s.text for s in article_sentences(bot.db, doc_id)]
    figures._KNOWN.clear()
    with bot.db.transaction() as conn:
        conn.execute("UPDATE figures SET version = 'older'")
    assert load_figures(bot.db, texts) == 0
    with bot.db.transaction() as conn:
        conn.execute("UPDATE figures SET version = ?", (figures.figures_version(),))
    assert load_figures(bot.db, texts) == len(_stored(bot)) > 0


def test_an_older_data_dir_is_parsed_lazily_then_filled_by_the_next_ingest(
    tmp_path: Path,
) -> None:
    bot, old_doc = _one_article_ingested(tmp_path)
    with bot.db.transaction() as conn:  # as a release before the figures table left it
        conn.execute("DROP TABLE figures")
        conn.execute("DELETE FROM meta WHERE key = ?", (FILLED_KEY,))
    figures._KNOWN.clear()
    texts = [s.text for s in article_sentences(bot.db, old_doc)]  # no table: no error
    assert not figures._KNOWN
    assert {"900", "300"} <= {f.value for t in texts for f in figures.figures_in(t)}

    other = tmp_path / "other"
    other.mkdir()
    _article(other, "b.md", "The council said 42 homes were flooded. Repairs start in May.")
    reopened = _bot(tmp_path, ledger=False)
    reopened.ingest([other])
    docs = {r[0] for r in reopened.db.conn.execute("SELECT doc_id FROM figures")}
    assert old_doc in docs and len(docs) == 2
    assert reopened.db.get_meta(FILLED_KEY) == figures.figures_version()


def test_removing_an_article_removes_its_figures(tmp_path: Path) -> None:
    bot, doc_id = _one_article_ingested(tmp_path)
    assert _stored(bot)
    bot.remove(doc_id)
    assert _stored(bot) == {}


def test_figures_survive_the_round_trip() -> None:
    found = [
        figures.Figure("7", "ship", "ships", None),
        figures.Figure("4", None, None, "dead"),
        figures.Figure("12.5", "percent:vote", "percent", None),
    ]
    assert decode_figures(encode_figures(found)) == found
    assert text_key("a") != text_key("b") and text_key("a") == text_key("a")


@pytest.mark.parametrize("ledger", [False, True])
def test_by_default_figures_are_read_at_ingest_only_with_the_ledger(
    tmp_path: Path, ledger: bool
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    _article(src, "a.md")
    bot = _bot(tmp_path, ledger, figures_at_ingest=None)
    bot.ingest([src])
    assert bool(_stored(bot)) is ledger
    assert (bot.db.get_meta(FILLED_KEY) is not None) is ledger  # no fill-in after the ingest
    figures._KNOWN.clear()
    answer = bot.ask("How many ships were delayed?")  # without stored figures: parsed now
    assert not answer.refused and "Seven ships were delayed." in answer.answer
