"""Numbers in a sentence and what each one counts, read from the dependency parse.

'The ministry raised the death toll to seven' and 'four people died' both count the dead;
'18,000 heaters' and 'the number of heaters to 29,000' both count heaters; '11 March' and
'in 2026' count nothing. Spelled-out numbers become digits through text2num first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from assistant.lexical import stem

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

_DIGITS = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
_YEARS = range(1900, 2101)
# Dependency labels on the way from a number to the word that tells what it counts.
_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "compound", "amod", "appos"})


@cache
def word_list(name: str) -> frozenset[str]:
    """A lexicon file of this package: one entry a line, '#' comments."""
    text = (resources.files("assistant.verify.lexicons") / f"{name}.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


@cache
def measures() -> dict[str, str]:
    """Outcome word -> what it counts ('toll' -> 'dead'), from lexicons/measures.txt."""
    out: dict[str, str] = {}
    for line in word_list("measures"):
        label, _, forms = line.partition(":")
        for form in forms.split():
            out.setdefault(form, label.strip())
    return out


@lru_cache(maxsize=8192)
def spell_digits(text: str) -> str:
    """'seven people' -> '7 people', 'twenty-five' -> '25' (text2num); 'one' stays a word."""
    from text_to_num import alpha2digit

    return str(alpha2digit(text, "en", threshold=2))


def is_number_word(word: str) -> bool:
    """'One', 'twelve', 'twenty-five' (text2num); not 'each'."""
    from text_to_num import text2num

    try:
        text2num(word.lower(), "en")
    except ValueError:
        return False
    return True


def normalise(number: str) -> str:
    """'4,200' -> '4200', '7.0' -> '7'."""
    value = number.replace(",", "").rstrip(".")
    return value[:-2] if value.endswith(".0") else value


def numbers_in(text: str) -> set[str]:
    """Every number in the text, digits or words, normalised ('seven' -> '7', '4,200' -> '4200')."""
    return {normalise(m.group()) for m in _DIGITS.finditer(spell_digits(text))}


@dataclass(frozen=True, slots=True)
class Figure:
    """A number and what it counts: a noun ('heater') and/or an outcome ('dead')."""

    value: str
    noun: str | None  # stemmed head noun, None when the noun only names the outcome ('toll')
    surface: str | None  # the noun as written ('heaters'), for display
    measure: str | None  # outcome label from lexicons/measures.txt

    @property
    def known(self) -> bool:
        return self.noun is not None or self.measure is not None

    def label(self) -> str:
        """How a briefing names what is counted: 'heaters', 'people dead', 'dead'."""
        if self.surface and self.measure and self.measure not in self.surface.lower():
            return f"{self.surface.lower()} {self.measure}"
        return (self.surface or self.measure or "").lower()


def same_thing(a: Figure, b: Figure) -> bool:
    """Whether two figures count the same thing (a toll with a toll, never clinics with a toll)."""
    generic = word_list("generic_counted")
    if a.measure and b.measure:
        if a.measure != b.measure:
            return False
        return (
            a.noun is None
            or b.noun is None
            or a.noun == b.noun
            or (a.surface or "").lower() in generic
            or (b.surface or "").lower() in generic
        )
    if _is_percent(a) and _is_percent(b):  # a share of the same thing, when both name it
        return a.noun == b.noun or "percent" in (a.noun, b.noun)
    # One side names no outcome: only the same noun makes it the same thing.
    return a.noun is not None and a.noun == b.noun


def _is_percent(f: Figure) -> bool:
    return f.noun is not None and (f.noun == "percent" or f.noun.startswith("percent:"))


@cache
def _nlp():  # type: ignore[no-untyped-def]
    from ingest.sentences import load_nlp, loaded_nlp

    # Tagger and parser are what figures need. Where the claims ledger has loaded the whole
    # pipeline, its parser is the same model: reuse it rather than load a second (~0.5 s, and
    # its memory); the entities it adds are not read here.
    return loaded_nlp(with_ner=True, full=True) or load_nlp(full=True, with_ner=False)


# Entities are never read here: where the pipeline is the ledger's, its NER (a second CNN
# encoder, ~40 % of the parse) is skipped, as in the pipeline loaded without it.
_SKIP = ("ner",)


def _skipped(nlp: Language) -> list[str]:
    return [name for name in _SKIP if name in nlp.pipe_names]


_PARSED: dict[str, Doc] = {}
_MAX_PARSED = 50_000
# Figures read at ingest and loaded from the data dir (`figure_store`): text -> figures. A text
# found here is never parsed, so a question whose evidence was ingested loads no spaCy.
_KNOWN: dict[str, tuple[Figure, ...]] = {}
_MAX_KNOWN = 200_000


def parse(text: str) -> Doc:
    """The dependency parse of one sentence (kept: briefings and the verifier reread)."""
    if text not in _PARSED:
        if len(_PARSED) >= _MAX_PARSED:
            _PARSED.clear()
        nlp = _nlp()
        _PARSED[text] = nlp(text, disable=_skipped(nlp))
    return _PARSED[text]


def parse_ahead(texts: Iterable[str]) -> None:
    """Parse the sentences that hold numbers in one batch (several times faster than one by
    one), so later `figures_in` calls find them parsed."""
    spelled = {spell_digits(t) for t in texts if t not in _KNOWN}
    todo = [t for t in spelled if t not in _PARSED and _DIGITS.search(t)]
    nlp = _nlp()
    docs = nlp.pipe(todo, batch_size=64, disable=_skipped(nlp))
    for text, doc in zip(todo, docs, strict=True):
        _PARSED[text] = doc


def remember_figures(known: Iterable[tuple[str, Sequence[Figure]]]) -> None:
    """Figures read earlier (at ingest, by `read_figures`) for these texts: `figures_in`
    returns them without a parse."""
    if len(_KNOWN) >= _MAX_KNOWN:
        _KNOWN.clear()
    for text, found in known:
        _KNOWN[text] = tuple(found)


def is_known(text: str) -> bool:
    """Whether `figures_in(text)` needs no parse (no number, or figures remembered)."""
    return text in _KNOWN or not _DIGITS.search(spell_digits(text))


def figures_in(text: str) -> list[Figure]:
    """Each counted number of the sentence with what it counts; dates and ordinals left out."""
    known = _KNOWN.get(text)
    if known is not None:
        return list(known)
    spelled = spell_digits(text)
    if not _DIGITS.search(spelled):
        return []  # no number: no parse needed
    return _figures_of(parse(spelled))


def read_figures(
    texts: Sequence[str], batch_size: int = 64, parsed: Sequence[Span | None] | None = None
) -> list[list[Figure] | None]:
    """`figures_in` of each text, parsed in batches and not kept (for ingest: a corpus's
    parses would not fit the cache); None for a text without a number (nothing to store).

    `parsed[i]`, when given, is a parse of `texts[i]` made already (the ledger's parse of the
    article, cut to the sentence): a text written with digits only is read from it instead of
    being parsed again. A text with a number in words is still parsed here, after
    `spell_digits`, since its figures are read from the parse of the spelled text (reading
    them off the parse as written, 'seven' standing for '7', gave other figures for 6 of 172
    such sentences of the eval and demo corpora; the digit-only ones agreed, 207 of 207)."""
    spelled = [spell_digits(t) for t in texts]
    out: list[list[Figure] | None] = [None] * len(texts)
    todo: list[int] = []
    for i, text in enumerate(spelled):
        if not _DIGITS.search(text):
            continue
        span = parsed[i] if parsed is not None else None
        if span is not None and text == texts[i] and span.text == text:
            out[i] = _figures_of(span)
        else:
            todo.append(i)
    if todo:  # the parser loads only when a text needs it
        from ingest.sentences import one_blas_thread

        parser = _parser()
        docs = parser.pipe(
            (spelled[i] for i in todo), batch_size=batch_size, disable=_skipped(parser)
        )
        with one_blas_thread():
            for i, doc in zip(todo, docs, strict=True):
                out[i] = _figures_of(doc)
    return out


def _parser() -> Language:
    """The pipeline `read_figures` parses with (a seam: tests count its calls)."""
    return _nlp()  # type: ignore[no-any-return]


def figures_version() -> str:
    """What stored figures were read with: this module, the word lists and the stemmer it uses,
    and the spaCy model. Figures stored under another version are read again."""
    return _figures_version()


@cache
def _figures_version() -> str:
    import hashlib
    import importlib.util
    from pathlib import Path

    from ingest.sentences import SPACY_MODEL

    digest = hashlib.blake2b(digest_size=8)
    digest.update(Path(__file__).read_bytes())
    lexical = importlib.util.find_spec("assistant.lexical")
    if lexical and lexical.origin:
        digest.update(Path(lexical.origin).read_bytes())
    for name in ("measures", "not_counted", "generic_counted"):
        digest.update((resources.files("assistant.verify.lexicons") / f"{name}.txt").read_bytes())
    model = importlib.util.find_spec(SPACY_MODEL)
    digest.update(SPACY_MODEL.encode())
    if model and model.submodule_search_locations:
        meta = Path(next(iter(model.submodule_search_locations))) / "meta.json"
        if meta.exists():
            digest.update(meta.read_bytes())
    return digest.hexdigest()


def _figures_of(doc: Doc | Span) -> list[Figure]:
    """The figures of a parsed text: a Doc, or a sentence of a larger parse (read in place,
    its first and last tokens taken as the text's ends)."""
    from spacy.tokens import Span

    lo, hi = (doc.start, doc.end) if isinstance(doc, Span) else (0, len(doc))
    not_counted = word_list("not_counted")
    out: list[Figure] = []
    for token in doc:
        if not _DIGITS.fullmatch(token.text):
            continue
        before = token.nbor(-1) if token.i > lo else token
        near = {t.lower_.strip(".") for t in (before, _next(token, hi))}
        if near & not_counted:
            continue  # '11 March', 'Tuesday 4'
        value = normalise(token.text)
        if value.isdigit() and int(value) in _YEARS and token.dep_ != "nummod":
            continue  # 'in 2026'
        if _next(token, hi).lower_ in {"%", "percent", "per"}:
            share_of = _share_of(token)
            noun = f"percent:{share_of}" if share_of else "percent"
            out.append(Figure(value, noun, "percent", None))
            continue
        out.append(_counted(token, value))
    return out


_PERCENT_WORDS = frozenset(["%", "percent", "per", "cent"])


def _share_of(token: Token) -> str | None:
    """What a percentage is a share of: 'of ballots' after it, else the noun it hangs on
    ('a tally of 51.8%'), else its verb's object or subject ('revised turnout to 54.6%',
    'rents rose by 11%'). None when the parse names nothing."""
    for t in (token, *token.head.subtree):
        if t.lower_ in _PERCENT_WORDS:
            for child in t.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for obj in child.children:
                        if obj.dep_ == "pobj" and obj.pos_ in ("NOUN", "PROPN"):
                            return _stem(obj)
        if t.i > token.i + 2:
            break
    node = token
    for _ in range(6):
        if node.head is node:
            break
        node = node.head
        if node.pos_ in ("NOUN", "PROPN") and node.lower_ not in _PERCENT_WORDS:
            return _stem(node)
        if node.pos_ in ("VERB", "AUX"):
            for dep in ("dobj", "nsubjpass", "nsubj"):
                for child in node.children:
                    if (
                        child.dep_ == dep
                        and child.pos_ in ("NOUN", "PROPN")
                        and child.lower_ not in _PERCENT_WORDS
                    ):
                        return _stem(child)
            return None
    return None


def _stem(token: Token) -> str:
    from assistant.lexical import tokens

    found = tokens(token.lower_)
    return found[0] if found else token.lower_


def _next(token: Token, end: int | None = None) -> Token:
    """The token after `token`, or itself at the end of the text (`end`: where it ends)."""
    return token.nbor(1) if token.i + 1 < (len(token.doc) if end is None else end) else token


def _counted(token: Token, value: str) -> Figure:
    outcome = measures()
    number = token
    while number.dep_ in ("quantmod", "compound") and number.head is not number:
        number = number.head  # 'at least 25': 'least' hangs on the number, not the reverse
    noun: Token | None = None
    if number.dep_ == "nummod" and number.head.pos_ in ("NOUN", "PROPN", "PRON"):
        noun = number.head
    elif number.dep_ in ("nsubj", "nsubjpass", "dobj") and number.head.pos_ in ("VERB", "AUX"):
        pass  # '11 were injured': the number is the counted thing; the verb says what happened
    else:
        # 'raised the toll to seven', 'put the number of heaters at 29,000', 'the number of
        # units it says are covered from 18,000 to 29,000': up the tree to the first noun,
        # or to a verb whose subject or object is a noun.
        step = number
        for _ in range(6):
            if step.head is step or noun is not None or step.dep_ == "conj":
                break
            step = step.head
            if step.pos_ == "NOUN":
                noun = step
            elif step.pos_ in ("VERB", "AUX"):
                noun = next(
                    (
                        c
                        for c in step.children
                        if c.dep_ in ("dobj", "nsubj", "nsubjpass", "attr")
                        and c.pos_ == "NOUN"
                        and number not in c.subtree
                    ),
                    None,
                )
    if noun is not None and noun.lower_ in {"number", "total", "tally", "count", "figure"}:
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        inner = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        noun = inner or noun
    measure = None
    for word in _around(number, noun):
        if word.lower_ in outcome:
            measure = outcome[word.lower_]
            break
    if noun is None:
        return Figure(value, None, None, measure)
    if noun.lower_ in outcome or noun.lower_ in {"number", "total", "tally", "count", "figure"}:
        return Figure(value, None, None, measure)
    return Figure(value, stem(noun.lower_), noun.text, measure)


def _around(number: Token, noun: Token | None) -> list[Token]:
    """Words that may name the outcome a number counts, nearest first: the noun and its
    modifiers, then the words up the tree from the number (three steps) and their arguments."""
    seen: list[Token] = []
    if noun is not None:
        seen.append(noun)
        seen += [c for c in noun.children if c.dep_ in ("compound", "amod", "acl", "relcl")]
        seen += [g for c in noun.children if c.dep_ in ("acl", "relcl") for g in c.children]
    step = noun if noun is not None else number
    for _ in range(3):  # up to the first verb, never across a conjunction into another clause
        if step.head is step or step.dep_ == "conj":
            break
        step = step.head
        seen.append(step)
        arguments = [c for c in step.children if c.dep_ in _ARGUMENTS]
        seen += arguments
        seen += [g for c in arguments for g in c.children if g.dep_ in ("compound", "amod")]
        if step.pos_ in ("VERB", "AUX"):
            break
    return seen
