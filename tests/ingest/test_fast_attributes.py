"""FastAttributeRuler sets exactly what spaCy's AttributeRuler sets, token for token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest.sentences import SPACY_MODEL, import_spacy, load_nlp, paragraph_pieces

ROOT = Path(__file__).resolve().parents[2]
EVAL_ARTICLES = ROOT.parent / "shared" / "data" / "eval" / "articles"
DEMO_CORPUS = ROOT / "assistant" / "demo_corpus"
ATTRS = ["POS", "TAG", "MORPH", "LEMMA", "NORM", "DEP", "HEAD", "SENT_START"]

spacy = import_spacy()

from spacy.pipeline import AttributeRuler  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from ingest.fast_attributes import FastAttributeRuler  # noqa: E402


@pytest.fixture(scope="module")
def shipped_ruler() -> AttributeRuler:
    """The model's own attribute ruler, loaded alone, untouched by load_nlp."""
    pipes = ["tok2vec", "tagger", "parser", "senter", "lemmatizer", "ner"]
    ruler = spacy.load(SPACY_MODEL, exclude=pipes).get_pipe("attribute_ruler")
    assert type(ruler) is AttributeRuler
    return ruler


def _attributes(doc: Doc) -> list[list[int]]:
    return doc.to_array(ATTRS).tolist()  # type: ignore[no-any-return]


def _apply_both(docs: list[Doc], original: Any, fast: FastAttributeRuler) -> tuple[int, int]:
    """Runs both rulers on copies of each doc; returns (tokens, tokens whose attributes differ)."""
    tokens = differ = 0
    for doc in docs:
        one, two = original(doc.copy()), fast(doc.copy())
        tokens += len(doc)
        differ += sum(a != b for a, b in zip(_attributes(one), _attributes(two), strict=True))
    return tokens, differ


def _corpus_docs(texts: list[str]) -> list[Doc]:
    nlp = load_nlp()
    pieces = [piece for text in texts for _, _, piece in paragraph_pieces(text)]
    return list(nlp.pipe(pieces, disable=["attribute_ruler", "ner"]))


def _generated_texts(tmp_path: Path) -> list[str]:
    from benchmarks.ingest import write_corpus

    write_corpus(tmp_path, 20, 3)
    return [p.read_text("utf-8") for p in sorted(tmp_path.glob("*.md"))]


def test_load_nlp_swaps_in_the_fast_ruler_with_the_shipped_patterns(
    shipped_ruler: AttributeRuler,
) -> None:
    nlp = load_nlp()
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, FastAttributeRuler)
    assert nlp.pipe_names.index("attribute_ruler") == nlp.pipe_names.index("parser") + 1
    assert ruler.patterns == shipped_ruler.patterns
    assert len(ruler.patterns) > 100


@pytest.mark.parametrize("corpus", ["eval", "demo", "generated"])
def test_same_attributes_on_every_token_of_real_articles(
    corpus: str, shipped_ruler: AttributeRuler, tmp_path: Path
) -> None:
    if corpus == "eval":
        if not EVAL_ARTICLES.is_dir():
            pytest.skip(f"shared eval set not found at {EVAL_ARTICLES}")
        texts = [p.read_text("utf-8") for p in sorted(EVAL_ARTICLES.glob("*.md"))]
    elif corpus == "demo":
        texts = [p.read_text("utf-8") for p in sorted(DEMO_CORPUS.glob("*.md"))]
    else:
        texts = _generated_texts(tmp_path)
    assert len(texts) >= 10
    docs = _corpus_docs(texts)
    fast = load_nlp().get_pipe("attribute_ruler")
    tokens, differ = _apply_both(docs, shipped_ruler, fast)
    assert tokens > 5_000
    assert differ == 0
    # the rulers did work: most tokens got a coarse part of speech from them
    with_pos = sum(t.pos_ != "" for d in docs[:20] for t in fast(d.copy()))
    assert with_pos > 0.9 * sum(len(d) for d in docs[:20])


MADE_UP_PATTERNS: list[dict[str, Any]] = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "LEMMA": "thing"}},
    # a later pattern on the same token wins for the attributes it sets, not the others
    {"patterns": [[{"LOWER": "widget", "TAG": "NN"}]], "attrs": {"LEMMA": "gadget"}},
    # two tokens, the second one modified
    {
        "patterns": [[{"LOWER": "shall"}, {"LOWER": {"IN": ["not", "n't"]}}]],
        "attrs": {"LEMMA": "no"},
        "index": 1,
    },
    # two tokens by a regular expression and a dependency label, negative index
    {
        "patterns": [
            [{"LOWER": {"REGEX": "^bl[aeiou]p$"}}, {"DEP": "dobj", "TAG": {"NOT_IN": ["NN"]}}]
        ],
        "attrs": {"POS": "X"},
        "index": -1,
    },
    # an operator: left to the fallback Matcher
    {
        "patterns": [[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]],
        "attrs": {"LEMMA": "much"},
        "index": -1,
    },
    {
        "patterns": [[{"IS_PUNCT": True}], [{"ORTH": "!"}]],
        "attrs": {"POS": "PUNCT", "MORPH": "PunctType=Excl"},
    },
]


def _made_up_doc(vocab: Any) -> Doc:
    words = ["The", "widget", "shall", "n't", "blip", "zorks", "very", "very", "big", "!"]
    tags = ["DT", "NN", "MD", "RB", "VB", "NNS", "RB", "RB", "JJ", "."]
    deps = ["det", "nsubj", "aux", "neg", "ROOT", "dobj", "advmod", "advmod", "amod", "punct"]
    heads = [1, 4, 4, 4, 4, 4, 8, 8, 5, 4]
    return Doc(vocab, words=words, tags=tags, deps=deps, heads=heads)


def test_made_up_patterns_single_multi_token_and_operator() -> None:
    nlp = spacy.blank("en")
    original = AttributeRuler(nlp.vocab)
    original.add_patterns(MADE_UP_PATTERNS)
    fast = FastAttributeRuler(nlp.vocab)
    fast.add_patterns(MADE_UP_PATTERNS)
    one, two = original(_made_up_doc(nlp.vocab)), fast(_made_up_doc(nlp.vocab))
    assert _attributes(one) == _attributes(two)
    assert [t.lemma_ for t in two] == ["", "gadget", "", "no", "", "", "", "", "much", ""]
    assert [t.pos_ for t in two] == ["", "NOUN", "", "", "", "X", "", "", "", "PUNCT"]
    assert str(two[9].morph) == "PunctType=Excl"
    assert fast.match(_made_up_doc(nlp.vocab)) == original.match(_made_up_doc(nlp.vocab))


def test_patterns_added_later_are_used() -> None:
    nlp = spacy.blank("en")
    fast = FastAttributeRuler(nlp.vocab)
    fast.add_patterns(MADE_UP_PATTERNS[:1])
    assert fast(_made_up_doc(nlp.vocab))[1].lemma_ == "thing"
    fast.add_patterns(MADE_UP_PATTERNS[1:2])
    assert fast(_made_up_doc(nlp.vocab))[1].lemma_ == "gadget"


def test_an_index_outside_the_match_fails_as_in_spacy() -> None:
    nlp = spacy.blank("en")
    bad = [{"patterns": [[{"TAG": "NN"}]], "attrs": {"LEMMA": "x"}, "index": 2}]
    errors = []
    for ruler in (AttributeRuler(nlp.vocab), FastAttributeRuler(nlp.vocab)):
        ruler.add_patterns(bad)
        doc = _made_up_doc(nlp.vocab)
        with pytest.raises(ValueError) as caught:
            ruler.set_annotations(doc, ruler.match(doc))
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert "E1001" in errors[0]
