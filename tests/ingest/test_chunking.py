from __future__ import annotations

from pathlib import Path

import pytest

from ingest.chunking import chunk_article, passage_id
from ingest.loaders import load_file
from ingest.sentences import paragraph_pieces, parse_articles
from ingest.types import Sentence


def _sentences(text: str, spans: list[tuple[int, int]]) -> list[Sentence]:
    return [Sentence(i, s, e, text[s:e], 0) for i, (s, e) in enumerate(spans)]


def test_chunks_overlap_and_keep_offsets() -> None:
    text = "A one. B two. C three. D four. E five."
    spans = [(0, 6), (7, 13), (14, 22), (23, 30), (31, 38)]
    passages = chunk_article("doc", text, _sentences(text, spans), size=2, overlap=1)
    assert [(p.first_sentence, p.last_sentence) for p in passages] == [
        (0, 1),
        (1, 2),
        (2, 3),
        (3, 4),
    ]
    assert [p.text for p in passages][0] == "A one. B two."
    assert all(text[p.start : p.end] == p.text for p in passages)
    assert passages[0].id == passage_id("doc", 0, 13)
    assert len({p.id for p in passages}) == 4


def test_short_article_is_one_chunk_and_bad_sizes_rejected() -> None:
    text = "Only one sentence."
    passages = chunk_article("d", text, _sentences(text, [(0, 18)]), size=4, overlap=1)
    assert [(p.start, p.end) for p in passages] == [(0, 18)]
    assert chunk_article("d", "", [], size=4, overlap=1) == []
    with pytest.raises(ValueError):
        chunk_article("d", text, [], size=2, overlap=2)


def test_paragraph_pieces_cut_long_paragraphs_at_whitespace() -> None:
    text = "  first para.\n\n" + "word " * 10_000
    pieces = paragraph_pieces(text)
    assert pieces[0] == (0, 2, "first para.")
    assert all(text[start : start + len(piece)] == piece for _, start, piece in pieces)
    assert max(len(piece) for _, _, piece in pieces) <= 20_000


@pytest.mark.integration
def test_every_seed_chunk_is_an_exact_slice(seed_article: Path, nlp_full) -> None:  # type: ignore[no-untyped-def]
    [article] = load_file(seed_article).articles
    [parsed] = list(parse_articles([article.text], nlp_full))
    assert len(parsed.sentences) >= 28
    for sentence in parsed.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
    passages = chunk_article(article.doc_id, article.text, parsed.sentences, size=4, overlap=1)
    assert len(passages) >= 9
    for passage in passages:
        assert article.text[passage.start : passage.end] == passage.text
    body = "The Pakistan Army claimed to have killed 23 BLA fighters"
    assert any(body in s.text and s.text.startswith("The Pakistan Army") for s in parsed.sentences)
