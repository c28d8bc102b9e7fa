"""Figures read from the ledger's own parse: equal to a fresh parse, and no second parse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.api import Assistant
from assistant.settings import Settings
from assistant.verify import figures
from ingest.sentences import parse_articles, parsed_sentences
from ingest.store import MemoryStore
from tests.conftest import CountingEmbedder

# Made-up sentences: digits, a decimal share, a thousands separator, a year, a date, and
# numbers in words (those go through `spell_digits`, so they are parsed again on purpose).
PARAGRAPHS = (
    "The agency said 42 houses were flooded. Officials counted 1,300 evacuees on 4 May.\n\n"
    "Prices rose 4.5 percent in 2025, the bureau said. Seven schools closed on Tuesday.\n\n"
    "Rescuers reached twenty-five villages. At least 18 people were injured in the blast."
)


pytestmark = pytest.mark.usefixtures("fresh_figure_caches")


class CountingParser:
    """Wraps the figure reader's pipeline; records every text it is asked to parse."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.texts: list[str] = []

    def pipe(self, texts: Any, **kwargs: Any) -> Any:
        items = list(texts)
        self.texts += items
        return self.inner.pipe(items, **kwargs)

    @property
    def pipe_names(self) -> list[str]:
        return list(self.inner.pipe_names)

    def __call__(self, text: str, **kwargs: Any) -> Any:
        self.texts.append(text)
        return self.inner(text, **kwargs)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> CountingParser:
    parser = CountingParser(figures._nlp())
    monkeypatch.setattr(figures, "_parser", lambda: parser)
    return parser


def test_figures_from_the_ledger_parse_equal_those_of_a_fresh_parse(
    nlp_full: Any, counting: CountingParser
) -> None:
    parsed = next(parse_articles([PARAGRAPHS], nlp_full))
    texts = [s.text for s in parsed.sentences]
    spans = parsed_sentences(parsed)
    assert set(spans) == set(texts)  # every sentence of a parsed article has its span
    from_ledger = figures.read_figures(texts, parsed=[spans[t] for t in texts])
    reparsed_there = list(counting.texts)
    counting.texts.clear()
    fresh = figures.read_figures(texts)
    assert from_ledger == fresh
    values = {f.value for found in fresh if found for f in found}
    assert {"42", "1300", "4.5", "7", "25", "18"} <= values
    # Only the sentences with a number in words were parsed again (after spell_digits).
    spelled = [figures.spell_digits(t) for t in texts if figures.spell_digits(t) != t]
    assert len(spelled) == 2 and sorted(reparsed_there) == sorted(spelled)
    assert len(counting.texts) == sum(1 for t in texts if figures.numbers_in(t))


def test_a_span_that_is_not_the_text_is_not_trusted(
    nlp_full: Any, counting: CountingParser
) -> None:
    parsed = next(parse_articles([PARAGRAPHS], nlp_full))
    first, second = parsed.sentences[0].text, parsed.sentences[1].text
    wrong = parsed_sentences(parsed)[second]
    assert figures.read_figures([first], parsed=[wrong]) == figures.read_figures([first])
    assert counting.texts == [first, first]  # parsed both times: the span was not its own


def test_the_rule_based_sentencizer_gives_no_parse_to_read(nlp_full: Any) -> None:
    from ingest.sentences import load_nlp

    parsed = next(parse_articles([PARAGRAPHS], load_nlp(full=False)))
    assert parsed.sentences and parsed_sentences(parsed) == {}


def test_the_ledger_on_ingest_parses_each_sentence_once(
    tmp_path: Path, counting: CountingParser, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text(
        '---\ntitle: "Flood update"\noutlet: Test Wire\npublished: 2026-03-11\n'
        f"url: https://test.example/a\n---\n\n{PARAGRAPHS}\n"
    )
    settings = Settings(data_dir=tmp_path / "data", embedding_model="hash", ledger=True)
    bot = Assistant(settings, embedder=CountingEmbedder(), store=MemoryStore())
    ledger_texts: list[str] = []
    nlp = bot.nlp
    original_pipe = nlp.pipe

    def pipe(texts: Any, **kwargs: Any) -> Any:
        items = list(texts)
        ledger_texts.extend(items)
        return original_pipe(items, **kwargs)

    monkeypatch.setattr(nlp, "pipe", pipe)
    bot.ingest([src])
    # The ledger parsed each paragraph once; the figure reader parsed only the two sentences
    # whose numbers are words (read from their spelled form), never a digit-only sentence.
    # (When the figure reader's pipeline is the ledger's own object, its parses pass here too.)
    shared = list(counting.texts) if counting.inner is nlp else []
    assert sorted(ledger_texts) == sorted([*PARAGRAPHS.split("\n\n"), *shared])
    [doc_id] = [a.doc_id for a in bot.db.articles()]
    article = bot.db.article(doc_id)
    assert article is not None
    sentences = [s.text for s in next(parse_articles([article.text], nlp)).sentences]
    spelled = {figures.spell_digits(t) for t in sentences} - set(sentences)
    assert len(spelled) == 2 and sorted(counting.texts) == sorted(spelled)
    # And what was stored is what a fresh parse of each sentence gives.
    from assistant.verify.evidence import article_sentences
    from assistant.verify.figure_store import decode_figures, text_key

    stored = dict(bot.db.conn.execute("SELECT text_key, figures FROM figures").fetchall())
    with_numbers = [s.text for s in article_sentences(bot.db, doc_id) if figures.numbers_in(s.text)]
    assert len(with_numbers) == 6 and len(stored) == 6
    figures._KNOWN.clear()
    for text in with_numbers:
        assert decode_figures(stored[text_key(text)]) == figures.figures_in(text)


def test_the_figure_reader_reuses_the_ledgers_pipeline_and_reads_the_same_figures() -> None:
    from ingest.sentences import load_nlp, loaded_nlp

    load_nlp(full=True)  # what the ledger loads
    full = loaded_nlp(with_ner=True, full=True)
    assert full is not None and "ner" in full.pipe_names
    figures._nlp.cache_clear()
    assert figures._nlp() is full  # no second pipeline once the ledger's is loaded
    # ... but without its entity recogniser, which the figures never read
    assert not figures.parse("Acme Corp said 12 of its 40 stores in Ohio closed.").ents
    assert full("Acme Corp said 12 of its 40 stores in Ohio closed.").ents
    light = load_nlp(full=True, with_ner=False)
    demo = Path(__file__).resolve().parents[3] / "assistant" / "demo_corpus"
    texts = [p for f in sorted(demo.glob("*.md")) for p in f.read_text("utf-8").split("\n\n")]
    texts = [figures.spell_digits(t) for t in texts if any(ch.isdigit() for ch in t)]
    texts += PARAGRAPHS.split("\n\n")
    assert len(texts) >= 20
    for text, a, b in zip(texts, full.pipe(texts), light.pipe(texts), strict=True):
        assert figures._figures_of(a) == figures._figures_of(b), text
    figures._nlp.cache_clear()


def test_a_sentence_is_read_in_place_with_its_own_ends(nlp_full: Any) -> None:
    # Numbers first and last in their sentences: the words beside them across a sentence
    # boundary ('March' before '11', 'percent' after '40') are not the sentence's own.
    text = (
        "The vote was held in March. 11 members voted against it. Turnout was 40. "
        "Percent figures came later. Officials said 2,300 homes lost power on 4 May."
    )
    parsed = next(parse_articles([text], nlp_full))
    spans = list(parsed_sentences(parsed).values())
    assert len(spans) >= 4
    found = [figures._figures_of(span) for span in spans]
    assert found == [figures._figures_of(span.as_doc()) for span in spans]
    values = [f.value for one in found for f in one]
    assert "11" in values and "2300" in values and "4" not in values
