"""Cues: the reporting lexicon and the predicate in a sentence that names its source.

A reporting or stance verb with a clause, a quote or (for verbs such as "denied", "accused") an
object; "according to X"; a statement as subject; a source stating a figure. The verb lists are
data (`lexicons/*.txt`, `figure_cues.yaml`); this module reads them and finds the best cue of a
parsed sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from assistant.claims.parties import is_acronym, party_key
from assistant.claims.speakers import speaker_tokens
from assistant.claims.words import (
    EVIDENCE_NOUNS,
    EVIDENCE_VERBS,
    GENERIC_MILITARY,
    GENERIC_SOURCES,
    PETITION_VERBS,
    ROLE_WORDS,
    STATEMENT_NOUNS,
    WH_WORDS,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ingest.sentences import ParsedParagraph


@dataclass(frozen=True, slots=True)
class ReportingLexicon:
    """Lower-cased word forms of reporting verbs, from the lexicons shipped in the package."""

    verbs: frozenset[str]  # forms that report speech given a clause, quote or "as" complement
    object_verbs: frozenset[str]  # forms that report a position even with a noun object


def _read_list(name: str) -> list[list[str]]:
    text = files("assistant.claims.lexicons").joinpath(name).read_text(encoding="utf-8")
    rows = (line.split("#", 1)[0].split() for line in text.splitlines())
    return [[word.lower() for word in row] for row in rows if row]


def _inflect(lemma: str) -> set[str]:
    if lemma.endswith("e"):
        return {lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        return {lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return {lemma, lemma + "es", lemma + "ed", lemma + "ing"}
    return {lemma, lemma + "s", lemma + "ed", lemma + "ing"}


def _forms(rows: list[list[str]]) -> set[str]:
    forms: set[str] = set()
    for row in rows:
        forms.update(row if len(row) > 1 else _inflect(row[0]))
    return forms


@dataclass(frozen=True, slots=True)
class FigureCues:
    verbs: frozenset[str]
    nouns: frozenset[str]
    needs_at: tuple[str, ...]


@lru_cache(maxsize=1)
def load_stance_adjectives() -> frozenset[str]:
    """Adjectives of belief and intention after a copula (lexicons/stance_adjectives.txt)."""
    return frozenset(row[0] for row in _read_list("stance_adjectives.txt"))


@lru_cache(maxsize=1)
def load_figure_cues() -> FigureCues:
    """Figure and account cues (lexicons/figure_cues.yaml)."""
    import yaml

    text = files("assistant.claims.lexicons").joinpath("figure_cues.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    return FigureCues(frozenset(data["verbs"]), frozenset(data["nouns"]), tuple(data["needs_at"]))


@lru_cache(maxsize=1)
def load_reporting_lexicon() -> ReportingLexicon:
    """The reporting verbs: GenderGapTracker forms + textacy lemmas + the project's lists."""
    excluded = _forms(_read_list("not_reporting_forms.txt")) | {"according"}
    verbs = (
        {row[0] for row in _read_list("ggt_quote_verb_list.txt")}
        | _forms(_read_list("textacy_reporting_verbs_en.txt"))
        | _forms(_read_list("project_reporting_verbs.txt"))
        | _forms(_read_list("stance_verbs.txt"))
    )
    object_verbs = _forms(_read_list("object_reporting_verbs.txt"))
    return ReportingLexicon(frozenset(verbs - excluded), frozenset(object_verbs - excluded))


@dataclass(slots=True)
class Cue:
    """A cue found in one sentence; `level` 0 is strongest."""

    kind: str  # "verb" | "according" | "statement" | "figure" | "advcl"
    level: int
    cue_text: str
    head: Token  # head of the speaker phrase
    tokens: list[Token]  # the speaker phrase, contiguous
    paragraph: ParsedParagraph
    clausal: bool = True  # the verb governs a clause or a quotation, not only a noun or "to"


def find_cue(
    sent: Span,
    tokens: Sequence[Token],
    paragraph: ParsedParagraph,
    in_quote: list[bool],
    lexicon: ReportingLexicon,
) -> tuple[Cue | None, bool]:
    """The sentence's best cue, and whether it is a reporter's note of an absence ("X did not
    say how many ...", "The statement made no mention ...")."""
    best: Cue | None = None
    absence = False
    root = sent.root
    for token in tokens:
        if in_quote[token.i]:
            continue
        cue: Cue | None = None
        lowered = token.lower_
        if lowered == "according":
            to = next((c for c in token.children if c.lower_ == "to"), None)
            if to is None and token.i + 1 < sent.end and token.nbor(1).lower_ == "to":
                to = token.nbor(1)
            target = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            if target is not None and not in_quote[target.i]:
                cue = Cue("according", 0, "according to", target, speaker_tokens(target), paragraph)
        elif (evidence := _evidence_cue(token, sent, in_quote, paragraph)) is not None:
            cue = evidence
        elif (stance := _stance_adjective_cue(token, sent, in_quote, paragraph)) is not None:
            cue = stance
        elif token.pos_ in ("VERB", "AUX") and (
            lowered in lexicon.verbs
            or lowered in load_figure_cues().verbs
            or _introduces_with_colon(token, sent)
        ):
            level = _clause_level(token)
            if level is None or not (
                _has_complement(token, lexicon, sent, in_quote)
                or _introduces_with_colon(token, sent)
            ):
                continue
            if _notes_absence(token):
                absence = True
                continue
            subject = _subject(token)
            if subject is None or in_quote[subject.i]:
                continue
            figure = lowered in load_figure_cues().verbs and lowered not in lexicon.verbs
            kind = "figure" if figure else ("advcl" if level >= 2 else "verb")
            cue = Cue(kind, level, token.text, subject, speaker_tokens(subject), paragraph)
            cue.clausal = _governs_clause(token, sent, in_quote)
        if cue is not None and (best is None or _rank(cue) < _rank(best)):
            best = cue
    if best is not None and best.level == 0:
        return best, absence
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subject is not None and not in_quote[subject.i]:
        if subject.lower_ in STATEMENT_NOUNS:
            if _is_negated(root) or any(
                c.dep_ == "dobj" and any(d.lower_ == "no" for d in c.children)
                for c in root.children
            ):
                return None, True
            return Cue(
                "statement", 1, subject.text, subject, speaker_tokens(subject), paragraph
            ), absence
        in_statement = next(
            (
                pobj
                for prep in root.children
                if prep.dep_ == "prep" and prep.lower_ == "in"
                for pobj in prep.children
                if pobj.dep_ == "pobj" and pobj.lower_ in STATEMENT_NOUNS
            ),
            None,
        )
        if in_statement is not None and (best is None or best.level > 1):
            return Cue(
                "statement", 1, in_statement.text, subject, speaker_tokens(subject), paragraph
            ), absence
    return best, absence


def _rank(cue: Cue) -> tuple[int, int]:
    """Main-clause cues first; between a main clause and a comma-separated one, the cue whose
    speaker is specific (a name, a pronoun, "the group") beats "officials"."""
    if cue.level >= 2:
        return (2, cue.level)
    return (0 if _is_specific(cue.tokens, cue.head) else 1, cue.level)


def _is_specific(tokens: Sequence[Token], head: Token) -> bool:
    lowered = head.lower_
    return (
        head.pos_ == "PRON"
        or any(t.pos_ == "PROPN" or is_acronym(t.text) for t in tokens)
        or lowered in GENERIC_SOURCES | STATEMENT_NOUNS | ROLE_WORDS
        or party_key(" ".join(t.text for t in tokens)) in GENERIC_MILITARY
    )


def _clause_level(token: Token) -> int | None:
    """0: main clause (or its conjunct); 1: a trailing "..., X said"; 2: a participle clause of
    the main clause ("..., condemning ..."); None: a relative or embedded clause."""
    verb = token
    while verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ == "ROOT":
        return 0
    head = verb.head
    if verb.dep_ in ("ccomp", "parataxis") and head.dep_ == "ROOT":
        doc = verb.doc
        low, high = sorted((verb.i, head.i))
        if any(doc[i].text in (",", ";", "—", "–") for i in range(low, high)):
            return 1  # "..., the XLF reported" or "X said ..., a move Y described as ..."
    if verb.dep_ == "advcl" and head.dep_ == "ROOT":
        return 1 if _reports_as(verb) else 2
    return None


def _has_complement(
    token: Token, lexicon: ReportingLexicon, sent: Span, in_quote: list[bool]
) -> bool:
    lowered = token.lower_
    children = list(token.children)
    figures = load_figure_cues()
    if lowered in figures.verbs:
        needs_at = lowered.startswith(figures.needs_at)
        if any(c.dep_ == "dobj" and c.lower_ in figures.nouns for c in children) and (
            not needs_at
            or any(
                (c.dep_ == "prep" and c.lower_ == "at") or c.tag_ in ("JJR", "RBR")
                for c in token.subtree
            )
        ):
            return True
        if lowered not in lexicon.verbs:
            return False
    deps = {c.dep_ for c in children}
    if deps & {"ccomp", "xcomp", "parataxis", "oprd"}:
        return True
    if any(
        c.dep_ == "advcl"
        and c.i > token.i
        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        for c in children
    ):
        # "promised Sunday at a rally to end ...": the infinitive misread as a purpose clause
        return True
    if _agent(token) is not None:
        return True  # "The move was first reported by X": the subject is what was reported
    if any(c.dep_ == "prep" and c.lower_ == "as" for c in children):
        return True
    if any(c.dep_ == "prep" and c.lower_ == "at" for c in children) and any(
        r.dep_ == "relcl" and r.left_edge.lower_ == "that" and r.left_edge.i > token.i
        for c in children
        if c.dep_ == "prep"
        for p in c.children
        for r in p.children
    ):
        return True  # "said at the time that ...", the "that" clause misread as a relative
    if (
        lowered in PETITION_VERBS
        and "dobj" not in {c.dep_ for c in children}
        and any(c.dep_ == "prep" and c.lower_ in ("for", "on") for c in children)
    ):
        return True  # "called for calm", "called on all parties to ..."
    if token.dep_ in ("ccomp", "parataxis") and token.i > token.head.i:
        return True  # "..., the XLF reported": the reported clause is the head
    if _reports_as(token) and token.i < token.head.i and "nsubj" in deps:
        return True  # "As the XLF reported, ...": the clause after it is the report
    if token.dep_ == "parataxis" and token.head.dep_ == "ROOT":
        return True  # "Six months ago, the senator said, the media ...": inserted mid-clause
    if lowered in lexicon.object_verbs and deps & {"dobj", "prep", "attr", "dative"}:
        return True
    window = range(max(sent.start, token.i - 6), min(sent.end, token.i + 7))
    return any(in_quote[i] for i in window) or _closes_opening_quote(token, sent, in_quote)


def _evidence_cue(
    token: Token, sent: Span, in_quote: list[bool], paragraph: ParsedParagraph
) -> Cue | None:
    """ "A poll by X puts Y on 52 per cent", "recent polls show that ...": evidence speaks for
    whoever produced it."""
    if token.pos_ != "VERB" or token.lower_ not in EVIDENCE_VERBS:
        return None
    subject = _subject(token)
    level = _clause_level(token)
    if (
        level is None
        or subject is None
        or in_quote[subject.i]
        or subject.lower_ not in EVIDENCE_NOUNS
        or not any(c.dep_ in ("ccomp", "dobj") for c in token.children)
    ):
        return None
    cue = Cue("figure", level, token.text, subject, speaker_tokens(subject), paragraph)
    cue.clausal = _governs_clause(token, sent, in_quote)
    return cue


def _stance_adjective_cue(
    token: Token, sent: Span, in_quote: list[bool], paragraph: ParsedParagraph
) -> Cue | None:
    """ "X is confident that ...", "X remains worried that ...": a belief of the copula's
    subject governing a clause attributes the clause to that subject."""
    if (
        token.pos_ != "ADJ"
        or token.dep_ != "acomp"
        or token.lower_ not in load_stance_adjectives()
        or not any(c.dep_ == "ccomp" and not in_quote[c.i] for c in token.children)
    ):
        return None
    copula = token.head
    level = _clause_level(copula)
    subject = _subject(copula)
    if level is None or subject is None or in_quote[subject.i] or _is_negated(copula):
        return None
    kind = "advcl" if level >= 2 else "verb"
    return Cue(kind, level, token.text, subject, speaker_tokens(subject), paragraph)


def _reports_as(token: Token) -> bool:
    """ "As X reported, ...": the main clause is what X reported."""
    return token.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ == "as" for c in token.children
    )


def _introduces_with_colon(token: Token, sent: Span) -> bool:
    """ "X continued:", "X wrote:" closing the sentence or opening a quotation: the verb
    introduces what follows, whatever the verb."""
    if token.i + 1 >= sent.end or token.nbor(1).text != ":":
        return False
    after = token.i + 2
    return after >= sent.end or token.doc[after].text in ('"', "“", "'", "‘", "«")


def _governs_clause(token: Token, sent: Span, in_quote: list[bool]) -> bool:
    """A reported clause or quotation: "said that ...", "..., X said", "X said: '...'"."""
    if _introduces_with_colon(token, sent):
        return True
    if token.dep_ in ("ccomp", "parataxis") or any(
        c.dep_ in ("ccomp", "parataxis") for c in token.children
    ):
        return True
    if _reports_as(token):
        return True
    window = range(max(sent.start, token.i - 6), min(sent.end, token.i + 7))
    return any(in_quote[i] for i in window) or _closes_opening_quote(token, sent, in_quote)


def _closes_opening_quote(token: Token, sent: Span, in_quote: list[bool]) -> bool:
    """ "'...,' X, who ..., said at the time": the sentence opens with the quotation its main
    verb attributes, however long the speaker phrase between them."""
    return token.dep_ == "ROOT" and in_quote[sent.start] and not in_quote[token.i]


def _notes_absence(token: Token) -> bool:
    """ "did not say how many ..." : a reporter's remark on what a source left out."""
    if not _is_negated(token):
        return False
    clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
    return clause is None or clause.left_edge.lower_ in WH_WORDS


def _is_negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def _subject(token: Token) -> Token | None:
    """The verb's subject (the one nearest the verb: a dateline can parse as a second subject),
    else the subject of the clause it hangs from ("..., condemning", "and said")."""
    verb = token
    agent = _agent(token)
    if agent is not None:
        return agent  # "It was reported by X that ...", "... was first reported by X"
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if subjects:
            return _past_dateline(min(subjects, key=lambda c: abs(c.i - verb.i)), verb)
        relative = _subject_before_relative(verb)
        if relative is not None:
            return relative
        if verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _subject_before_relative(verb: Token) -> Token | None:
    """ "X, who sits ..., said": the parser may hang X and the relative clause off a clause
    left of the verb; X is the subject that comes before the relative pronoun."""
    for clause in verb.lefts:
        if clause.dep_ not in ("ccomp", "advcl", "parataxis"):
            continue
        subjects = [c for c in clause.children if c.dep_ == "nsubj"]
        relative = next((s for s in subjects if s.tag_ in ("WP", "WDT")), None)
        if relative is None:
            continue
        earlier = [s for s in subjects if s.i < relative.i and s.tag_ not in ("WP", "WDT")]
        if earlier:
            return earlier[0]
    return None


def _agent(verb: Token) -> Token | None:
    """The "by" phrase of a passive reporting verb: who reported it."""
    if not any(c.dep_ == "auxpass" for c in verb.children):
        return None
    by = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None


_DATELINE_DASHES = frozenset({"—", "–", "--", "-"})


def _past_dateline(subject: Token, verb: Token) -> Token:
    """A dateline parsed as the subject ("CITY, May 4 (Outlet) – The group said"): the real
    subject is the phrase between the dateline's dash and the verb."""
    doc = subject.doc
    if subject.i > verb.i:
        return subject
    sent_start = verb.sent.start
    dash = next(
        (
            t
            for t in doc[subject.i + 1 : verb.i]
            if t.text in _DATELINE_DASHES
            and (t.text != "-" or (bool(t.whitespace_) and bool(doc[t.i - 1].whitespace_)))
            and t.i - sent_start <= 14
        ),
        None,
    )
    if dash is None:
        return subject
    region = range(dash.i + 1, verb.i)
    for i in region:
        token = doc[i]
        if token.head.i not in region and token.pos_ in ("NOUN", "PROPN", "PRON"):
            return token
    return subject
