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
    COMMENTATORS,
    EVIDENCE_NOUNS,
    EVIDENCE_VERBS,
    EVIDENTIAL_PASSIVES,
    GENERIC_MILITARY,
    GENERIC_SOURCES,
    PETITION_VERBS,
    POSSESSIVE_PRONOUNS,
    QUOTED_AS_VERBS,
    ROLE_WORDS,
    STATEMENT_NOUNS,
    UNNAMED_SOURCES,
    WH_WORDS,
    load_generic_kinds,
    word_set,
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
def load_stance_nouns() -> frozenset[str]:
    """Nouns of a position held by their possessor (lexicons/stance_nouns.txt)."""
    return frozenset(word for row in _read_list("stance_nouns.txt") for word in row)


@lru_cache(maxsize=1)
def load_stance_prepositions() -> dict[str, frozenset[str]]:
    """Verb form -> the prepositions that make it a cue (lexicons/stance_prepositions.txt)."""
    text = files("assistant.claims.lexicons").joinpath("stance_prepositions.txt").read_text("utf-8")
    found: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        if ":" not in line:
            continue
        left, right = line.split(":", 1)
        words, preps = left.lower().split(), frozenset(right.lower().split())
        for form in words if len(words) > 1 else _inflect(words[0]):
            found[form] = found.get(form, frozenset()) | preps
    return found


@lru_cache(maxsize=1)
def load_quote_frame_verbs() -> frozenset[str]:
    """Forms that report speech only when framing a direct quotation (quote_frame_verbs.txt)."""
    return frozenset(_forms(_read_list("quote_frame_verbs.txt")))


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
    object_verbs = _forms(_read_list("object_reporting_verbs.txt")) | _forms(
        _read_list("stance_object_verbs.txt")
    )
    verbs |= object_verbs
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
    extent: list[Token] | None = None  # the speaker span when wider than `tokens`
    verb: Token | None = None  # the cue's verb, when it is a verb


def find_cue(
    sent: Span,
    tokens: Sequence[Token],
    paragraph: ParsedParagraph,
    in_quote: list[bool],
    lexicon: ReportingLexicon,
    labels: frozenset[str] = frozenset(),
) -> tuple[Cue | None, bool]:
    """The sentence's best cue, and whether it is a reporter's note of an absence ("X did not
    say how many ...", "The statement made no mention ...")."""
    best: Cue | None = None
    found: list[Cue] = []
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
        elif (held := _possessed_position(token, in_quote, paragraph)) is not None:
            cue = held
        elif (evidence := _evidence_cue(token, sent, in_quote, paragraph)) is not None:
            cue = evidence
        elif (stance := _stance_adjective_cue(token, sent, in_quote, paragraph)) is not None:
            cue = stance
        elif (origin := _from_source(token, in_quote, paragraph, lexicon)) is not None:
            cue = origin
        elif token.pos_ in ("VERB", "AUX") and (
            lowered in lexicon.verbs
            or lowered in load_figure_cues().verbs
            or _introduces_with_colon(token, sent)
            or _frames_quotation(token, sent, in_quote)
            or _prepositional_cue(token)
            or _delivers_position(token, in_quote)
        ):
            main_level = _clause_level(token)
            embedded = main_level is None
            if main_level is None:
                if token.dep_ not in _EMBEDDING_DEPS or _noun_complement(token):
                    continue
                level = EMBEDDED_LEVEL
            else:
                level = main_level
            if not (
                _has_complement(token, lexicon, sent, in_quote)
                or _introduces_with_colon(token, sent)
            ):
                continue
            if not embedded and _notes_absence(token):
                absence = True
                continue
            subject = _embedded_subject(token) if embedded else _subject(token)
            if subject is not None and in_quote[subject.i] and not embedded:
                # "'Agreed,' posted a reader": a quoted word read as a second subject
                subject = next(
                    (c for c in token.children if c.dep_ == "nsubj" and not in_quote[c.i]), None
                )
            if (
                subject is None
                or in_quote[subject.i]
                or _reduced_relative(token, subject)
                or _names_nobody(subject)
            ):
                continue
            figure = (
                lowered in load_figure_cues().verbs
                and lowered not in lexicon.verbs
                and not _reports_as(token)
            )
            if figure and any(c.dep_ == "auxpass" for c in token.children) and not _agent(token):
                continue  # "staff were handed no figures": who received the figure, not a source
            kind = "figure" if figure else ("advcl" if level >= 2 else "verb")
            subject = _survey_behind(subject, token) or subject
            cue = Cue(kind, level, token.text, subject, speaker_tokens(subject), paragraph)
            cue.clausal = _governs_clause(token, sent, in_quote)
            cue.verb = token
            found.append(cue)
            if embedded:
                cue.extent = _through_relative_pronoun(token, cue.tokens)
        if cue is not None and cue.kind == "figure" and cue.verb is not None:
            found.append(cue)
        if cue is not None and (best is None or _rank(cue) < _rank(best)):
            best = cue
    if best is not None:
        best = _inserted_report(best, found, lexicon) or best
    if best is None or best.level >= EMBEDDED_LEVEL:
        best = _postposed_cue(sent, paragraph, in_quote, lexicon) or best
    if best is None or best.level > 0:
        labelled = _speaker_label(sent, tokens, paragraph, in_quote, labels)
        if labelled is not None:
            return labelled, absence
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


_NP_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "PART"})
_CLOSING_MARKS = frozenset({'"', "”", "''", "»", "’"})


def _postposed_cue(
    sent: Span, paragraph: ParsedParagraph, in_quote: list[bool], lexicon: ReportingLexicon
) -> Cue | None:
    """A reporting verb next to its speaker when the parse lost the link: right after a
    quotation with the speaker after it ("'...,' said former pilot Jan Ferren, speaking by phone"),
    or after a clause with the speaker between a comma or a quotation and the verb ("..., a
    press officer, Jan Ferren, said, and ...", "..., Minister Jan Ferren told reporters")."""
    doc = sent.doc
    for verb in sent:
        if (
            in_quote[verb.i]
            or verb.lower_ not in lexicon.verbs
            or verb.tag_ not in ("VBD", "VBZ", "VBP", "VBN")
            or verb.i - sent.start < 3
        ):
            continue
        previous = doc[verb.i - 1]
        if in_quote[previous.i] and previous.text in _CLOSING_MARKS:
            run: list[Token] = []
            for token in doc[verb.i + 1 : sent.end]:
                if (token.pos_ not in _NP_POS and token.dep_ != "amod") or in_quote[token.i]:
                    break
                run.append(token)
            if run and any(t.pos_ in ("NOUN", "PROPN") for t in run) and run[-1].pos_ != "DET":
                return _tail_cue(verb, run, paragraph)
            continue
        if verb.tag_ == "VBN":
            continue  # a participle is a finite report only right after a quotation
        chunks = _speaker_before(verb, sent, in_quote)
        if chunks and verb.dep_ == "ROOT" and any(t.head.i == verb.i for t in chunks[0]):
            continue  # the parse links them: the verb is no cue for a reason of its own
        if chunks and _short_tail(verb, sent):
            named = next((c for c in chunks if any(t.pos_ == "PROPN" for t in c)), chunks[0])
            return _tail_cue(verb, named, paragraph)
    return None


def _speaker_before(verb: Token, sent: Span, in_quote: list[bool]) -> list[list[Token]]:
    """The noun phrases (a name and its descriptions, comma-separated) between the comma or
    quotation that ends a clause and the verb; empty when the walk reaches the sentence start
    (then the parser's subject stands) or no phrase opens with a determiner or a name."""
    doc = sent.doc
    i = verb.i - 1
    boundary: int | None = None
    while i >= sent.start:
        token = doc[i]
        if in_quote[i]:
            boundary = i if token.text in _CLOSING_MARKS or token.text == "," else None
            break
        if token.text == ",":
            following = doc[i + 1]
            if following.pos_ in ("DET", "PROPN") or following.lower_ in ROLE_WORDS:
                boundary = i
        elif token.pos_ not in _NP_POS and token.pos_ != "ADP" and token.dep_ != "amod":
            break
        i -= 1
    else:
        return []
    if boundary is None or boundary - sent.start < 3:
        return []
    chunks: list[list[Token]] = [[]]
    for token in doc[boundary + 1 : verb.i]:
        if token.text == ",":
            if chunks[-1]:
                chunks.append([])
        elif not token.is_punct:
            chunks[-1].append(token)
    chunks = [c for c in chunks if c]
    if not chunks or not any(t.pos_ in ("NOUN", "PROPN") for t in chunks[0]):
        return []
    if any(t.pos_ == "ADP" for t in chunks[0]):
        return []
    return chunks


def _short_tail(verb: Token, sent: Span) -> bool:
    """After the verb only a listener, a time or a place, up to the sentence end or a comma."""
    for token in sent.doc[verb.i + 1 : sent.end]:
        if token.text in (",", ";", ".", "—", "–", ":") or token.is_punct:
            return True
        if token.pos_ in ("VERB", "AUX") or token.lower_ in ("that", "whether", "if"):
            return False
        if token.dep_ == "dobj" and token.head.i == verb.i and not _can_listen(token):
            return False  # "kept its grip": an object of its own, not a listener
    return True


def _tail_cue(verb: Token, speaker: list[Token], paragraph: ParsedParagraph) -> Cue:
    head = next((t for t in reversed(speaker) if t.pos_ in ("PROPN", "NOUN", "PRON")), speaker[-1])
    cue = Cue("verb", 1, verb.text, head, speaker, paragraph)
    cue.verb = verb
    return cue


def _inserted_report(best: Cue, found: Sequence[Cue], lexicon: ReportingLexicon) -> Cue | None:
    """ "Above all, the senator wrote, the port must stay open", "Y rejected the plan, the
    minister said": a bare reporting verb set off by a comma from the main clause reports that
    clause, so its subject is the source, not the subject of a cue inside what it reports."""
    inner = best.verb
    if inner is None or best.level > 1:
        return None
    for cue in found:
        verb = cue.verb
        if verb is None or not (
            (cue.kind == "verb" and verb.lower_ in lexicon.verbs)
            or (cue.kind == "figure" and verb.lower_ in EVIDENCE_VERBS)
        ):
            continue
        if best.level == 0 and inner.dep_ == "ROOT":
            # the inserted verb hangs from the main clause's verb; "As X reported, ..." too
            inserted = cue.level == 1 and verb.head.i == inner.i
            inserted = inserted and (
                (verb.dep_ in ("parataxis", "ccomp") and _bare(verb, None))
                or (_reports_as(verb) and verb.i < inner.i)
            )
        else:
            # the main clause's verb is the trailing "..., the spokesman said"
            inserted = (
                best.level == 1
                and cue.level == 0
                and verb.dep_ == "ROOT"
                and inner.head.i == verb.i
                and inner.i < verb.i
                and _bare(verb, inner)
            )
        if inserted:
            return cue
    return None


def _bare(verb: Token, content: Token | None) -> bool:
    """A reporting verb with no clause, complement, "as" phrase or object of its own (`content`
    aside); an object that is the listener ("told reporters", "told a panel") is allowed."""
    return not any(
        c.i != (content.i if content is not None else -1)
        and (
            c.dep_ in ("ccomp", "xcomp", "oprd", "acomp", "attr")
            or (c.dep_ == "prep" and c.lower_ == "as")
            or (c.dep_ == "dobj" and not _can_listen(c))
        )
        for c in verb.children
    )


def _can_listen(token: Token) -> bool:
    """An object that can be told something: a person, a group, a body."""
    return (
        token.pos_ in ("PRON", "PROPN")
        or token.ent_type_ in _NAMED_KINDS
        or token.lower_ in GENERIC_SOURCES | ROLE_WORDS
        or token.lower_ in load_generic_kinds()
        or token.lower_ in _LISTENER_WORDS
    )


_LISTENER_WORDS = word_set("listener_nouns")


_NOBODY = word_set("negative_subjects")
_DEMONSTRATIVES = word_set("demonstratives")


def _names_nobody(subject: Token) -> bool:
    """ "Nobody replied ...", "No one has said ...", "None of them claimed ...": a subject that
    names no one is no source; nor is a bare demonstrative ("That said, she noted ...")."""
    if subject.lower_ in _DEMONSTRATIVES and not any(subject.children):
        return True
    return subject.lower_ in _NOBODY or (
        subject.lower_ == "one" and any(c.lower_ == "no" for c in subject.children)
    )


def _rank(cue: Cue) -> tuple[int, int, int]:
    """Main-clause cues first; between a main clause and a comma-separated one, the cue whose
    speaker is specific (a name, a pronoun, "the group") beats "officials"; between two of the
    same level, a verb that governs a clause or a quotation beats one that only takes a noun
    ("X filed objections ..., and Y has said that ...": Y's is the claim)."""
    weak = 0 if cue.clausal else 1
    if cue.level >= 2:
        return (2, cue.level, weak)
    return (0 if _is_specific(cue.tokens, cue.head) else 1, cue.level, weak)


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
    if (
        verb.dep_ in ("ccomp", "parataxis")
        and head.dep_ == "ROOT"
        # "X reported that, on the trip, Y repeated ...": a complement with its
        # complementiser is the content, however the comma falls
        and not (verb.dep_ == "ccomp" and verb.i > head.i and _has_complementiser(verb))
    ):
        doc = verb.doc
        low, high = sorted((verb.i, head.i))
        if any(doc[i].text in (",", ";", "—", "–", ":") for i in range(low, high)):
            return 1  # "..., the XLF reported" or "X said ..., a move Y described as ..."
    if verb.dep_ == "advcl" and head.dep_ == "ROOT":
        return 1 if _reports_as(verb) else 2
    return None


def _has_complementiser(verb: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in ("that", "whether", "if") for c in verb.children)


_PROPOSITION_OBJECTS = frozenset({"that", "this", "so"})


def _judges_as_or_holds(token: Token, children: Sequence[Token]) -> bool:
    """A reporting or stance verb whose clause is carried by its object: "X sees the plan as
    doomed" (an "as" clause after the object), "X has no doubt that ..." (the object's own
    "that" clause), "only half believe that", "X said so" (a word standing for a proposition)."""
    objects = [c for c in children if c.dep_ == "dobj"]
    for obj in objects:
        if obj.lower_ in _PROPOSITION_OBJECTS and obj.i > token.i:
            return True
        if (
            obj.pos_ == "NOUN"
            # "has seen evidence that ...": a thing perceived or received is not a position
            and (token.lower_ not in _RECEPTION_VERBS or obj.lower_ in load_stance_nouns())
            and any(_noun_complement(c) for c in obj.children)
        ):
            return True
    for obj in objects:
        # "X says its drug Velmin cut admissions by 40%": the parser read the reported clause
        # as one noun phrase ("cut" a modifier of the noun), but the subject of that verb
        # inside the object gives the clause away (not one of a relative clause)
        if obj.i > token.i and any(
            t.dep_ == "nsubj"
            and t.head.pos_ == "VERB"
            and t.head.dep_ in ("compound", "amod", "nmod")
            and t.head.head.i == obj.i
            for t in obj.subtree
        ):
            return True
    doc = token.doc
    if any(
        c.dep_ == "advmod"
        and c.lower_ == "so"
        and c.i == token.i + 1
        and (c.i + 1 >= len(doc) or doc[c.i + 1].is_punct)
        for c in children
    ):
        return True
    return bool(objects) and any(
        c.dep_ == "advcl"
        and c.i > objects[0].i
        and any(m.dep_ == "mark" and m.lower_ == "as" and m.i == c.left_edge.i for m in c.children)
        for c in children
    )


def _has_complement(
    token: Token, lexicon: ReportingLexicon, sent: Span, in_quote: list[bool]
) -> bool:
    lowered = token.lower_
    children = list(token.children)
    figures = load_figure_cues()
    if _reports_as(token) and "nsubj" in {c.dep_ for c in children}:
        return True  # "as X put it, ...", "as X told it": the clause it hangs from is the report
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
            # "X offered her opinion", "X gave his backing": a light figure verb delivers a
            # position only when it is the subject's own ("gave conflicting accounts" is the
            # reporter's summary)
            return _delivers_position(token, in_quote) and any(
                c.dep_ == "dobj" and any(p.dep_ == "poss" and p.pos_ == "PRON" for p in c.children)
                for c in children
            )
    deps = {c.dep_ for c in children}
    if deps & {"ccomp", "xcomp", "parataxis", "oprd"}:
        return True
    if token.i + 1 < sent.end and token.nbor(1).lower_ == "that" and token.nbor(1).dep_ == "mark":
        return True  # "agreed that the fee is ...": the clause misparsed as an object
    if _prepositional_cue(token) or _delivers_position(token, in_quote):
        return True
    if any(
        c.dep_ == "advcl"
        and c.i > token.i
        and "that" in (marks := {m.lower_ for m in c.children if m.dep_ == "mark"})
        and "so" not in marks
        for c in children
    ):
        return True  # "complained soon after that the queues hurt ...": a "that" clause misparsed
    if any(
        c.dep_ == "advcl"
        and c.i > token.i
        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        for c in children
    ):
        # "promised Sunday at a rally to end ...": the infinitive misread as a purpose clause
        return True
    if _after_split_quotation(token, sent, in_quote):
        return True  # '"... ?" he said, ...': the quotation ended the sentence before
    if _agent(token) is not None:
        return True  # "The move was first reported by X": the subject is what was reported
    if any(c.dep_ == "prep" and c.lower_ == "as" for c in children):
        return True
    if lowered in lexicon.verbs and _judges_as_or_holds(token, children):
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


_LABEL_MAX_TOKENS = 12
_LABEL_ENTITIES = frozenset({"PERSON", "ORG", "NORP"})


def _speaker_label(
    sent: Span,
    tokens: Sequence[Token],
    paragraph: ParsedParagraph,
    in_quote: list[bool],
    labels: frozenset[str] = frozenset(),
) -> Cue | None:
    """ "NAME: text" (a transcript line, a headline "X: ..."): a name phrase with no verb before
    a colon near the start of the sentence is the speaker of what follows. A turn label of the
    article (`labels`, see `analysis.named_labels`) needs no entity, and speaks for the rest of
    its paragraph when the splitter cut it off ("REYES:" | "Will you ...")."""
    colon = next((t for t in tokens[:_LABEL_MAX_TOKENS] if t.text == ":"), None)
    if colon is None or colon.i == sent.start or in_quote[colon.i]:
        return None
    label = [t for t in tokens if t.i < colon.i]
    while label and label[0].is_punct:
        label.pop(0)
    if not label or any(t.like_num or in_quote[t.i] for t in label):
        return None
    turn = label[0].i == 0 and paragraph.text[label[0].idx : colon.idx].strip().lower() in labels
    if colon.i + 1 >= sent.end and not (turn and sent.end < len(sent.doc)):
        return None
    if turn:
        return Cue("verb", 0, ":", label[-1], label, paragraph)
    if any(t.pos_ in ("VERB", "AUX") for t in label) or not any(
        t.ent_type_ in _LABEL_ENTITIES for t in label
    ):
        return None
    names = [t for t in label if t.pos_ == "PROPN"]
    if not names:
        return None
    head = (
        names[-1]
        if label[-1].text != ")"
        else next((t for t in reversed(names) if t.ent_type_ in _LABEL_ENTITIES), names[-1])
    )
    return Cue("verb", 0, ":", head, label, paragraph)


def _possessed_position(
    token: Token, in_quote: list[bool], paragraph: ParsedParagraph
) -> Cue | None:
    """ "X's claim that ...", "his plan to ...": a position noun speaks for its possessor (a
    name or a pronoun), more weakly than any verb cue."""
    if token.pos_ != "NOUN" or in_quote[token.i]:
        return None
    if token.lower_ in load_stance_nouns():
        owner = next((c for c in token.children if c.dep_ == "poss"), None) or _by_owner(token)
    elif token.lower_ in STATEMENT_NOUNS:
        owner = _by_owner(token)
    else:
        return None
    if owner is None or in_quote[owner.i]:
        return None
    holder = _same_person_subject(token, owner)
    if holder is not None and not in_quote[holder.i]:
        # "She has been sharpening her criticism": the subject is the holder, and the source
        owner = holder
    elif not _can_hold_position(owner) or _taken_up_by_another(token, owner):
        return None
    return Cue("advcl", POSSESSOR_LEVEL, token.text, owner, speaker_tokens(owner), paragraph)


def _by_owner(position: Token) -> Token | None:
    """ "a report by X that ...", "claims by X that ...": the "by" phrase of a position noun
    that governs a clause names its holder as a possessive would."""
    by = next((c for c in position.children if c.dep_ == "prep" and c.lower_ == "by"), None)
    owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by else None
    if owner is None or not _can_hold_position(owner):
        return None
    clause = any(
        c.dep_ in ("acl", "relcl", "ccomp") and c.left_edge.lower_ == "that" and c.i > owner.i
        for c in position.children
    )
    return owner if clause else None


def _same_person_subject(position: Token, owner: Token) -> Token | None:
    """The subject of the verb that governs the position noun, when it is the pronoun the
    possessive stands for ("he ... his", "they ... their"; also a subject misread as passive)."""
    pronoun = POSSESSIVE_PRONOUNS.get(owner.lower_)
    head = position.head
    if position.dep_ == "pobj" and head.dep_ in ("prep", "agent"):
        head = head.head
    elif position.dep_ != "dobj":
        return None
    if pronoun is None or head.pos_ not in ("VERB", "AUX"):
        return None
    return next(
        (c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ == pronoun),
        None,
    )


def _taken_up_by_another(position: Token, owner: Token) -> bool:
    """ "X stood by the group's account", "X rejected Y's claim": the position noun is the
    object of a verb whose own subject is someone else, so the sentence is about what that subject
    does with the position, not the possessor speaking."""
    head = position.head
    if position.dep_ == "pobj" and head.dep_ in ("prep", "agent"):
        head = head.head
    elif position.dep_ != "dobj":
        return False
    if head.pos_ not in ("VERB", "AUX"):
        return False
    return any(
        c.dep_ == "nsubj" and c.i != owner.i and _can_hold_position(c) for c in head.children
    )


def _can_hold_position(token: Token) -> bool:
    """A pronoun, a name or a generic source can hold a position; "the vote" cannot."""
    return (
        token.pos_ == "PRON"
        or any(t.pos_ == "PROPN" for t in token.subtree)
        or token.ent_type_ in _NAMED_KINDS
        or token.lower_ in GENERIC_SOURCES
    )


_RECEPTION_VERBS = word_set("reception_verbs")
_HAVING_VERBS = word_set("having_verbs")


def _survey_behind(subject: Token, verb: Token) -> Token | None:
    """ "In a new poll, 60 percent of voters said ...": a share of respondents speaks through
    the survey that counted them; the survey is the source."""
    if subject.ent_type_ != "PERCENT":
        return None
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "by") and prep.i < verb.i:
            survey = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if survey is not None and survey.lower_ in EVIDENCE_NOUNS:
                return survey
    return None


def _delivers_position(token: Token, in_quote: list[bool]) -> bool:
    """ "X issued a statement", "X gave his endorsement", "X launched an attack on Y": a verb whose
    direct object names a position or a statement delivers it."""
    if token.pos_ != "VERB" or token.lower_ in _RECEPTION_VERBS:
        return False
    return any(
        c.dep_ == "dobj"
        and c.lower_ in load_stance_nouns()
        and not in_quote[c.i]
        # "blunt X's demands": a position someone else holds is not delivered by the subject
        and not any(p.dep_ == "poss" and p.pos_ != "PRON" for p in c.children)
        # "has support from 41 per cent of members": the position is the "from" phrase's
        and not (
            token.lower_ in _HAVING_VERBS
            and any(p.dep_ == "prep" and p.lower_ == "from" for p in c.children)
        )
        for c in token.children
    )


def _prepositional_cue(token: Token) -> bool:
    """ "X talked about ...", "X pointed to ...": a verb whose preposition carries the position."""
    preps = load_stance_prepositions().get(token.lower_)
    return preps is not None and any(
        c.dep_ in ("prep", "prt") and c.lower_ in preps and c.i > token.i for c in token.children
    )


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
        or not (
            any(c.dep_ in ("ccomp", "dobj") for c in token.children)
            # "..., the survey finds": the clause it trails is what the survey found
            or (level == 1 and token.dep_ in ("ccomp", "parataxis") and token.i > token.head.i)
        )
    ):
        return None
    cue = Cue("figure", level, token.text, subject, speaker_tokens(subject), paragraph)
    cue.clausal = _governs_clause(token, sent, in_quote)
    cue.verb = token
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
    doc = token.doc
    colon = next(
        (i for i in range(token.i + 1, min(sent.end, token.i + 6)) if doc[i].text == ":"), None
    )
    if colon is None:
        return False
    # "X put it more bluntly:", "X spelled it out:": only the verb's own short object,
    # particle or adverbs between the verb and the colon
    for between in doc[token.i + 1 : colon]:
        if between.pos_ in ("VERB", "AUX") or token not in between.ancestors:
            return False
    after = colon + 1
    return after >= sent.end or doc[after].text in ('"', "“", "'", "‘", "«")


_OPENING_MARKS = frozenset({'"', "“", "''", "``", "«", "‘"})


def _frames_quotation(token: Token, sent: Span, in_quote: list[bool]) -> bool:
    """ "'...,' she continued", "He continued, '...'": a verb that is speech only around a
    quotation (quote_frame_verbs.txt), as the main verb right after the quotation it closes or
    right before the one it opens, with no object or infinitive of its own ("continued to")."""
    if token.lower_ not in load_quote_frame_verbs() or token.dep_ != "ROOT":
        return False
    if any(
        c.dep_ in ("dobj", "xcomp", "advcl", "attr", "acomp") and not in_quote[c.i]
        for c in token.children
    ):
        return False
    doc = token.doc
    if (
        token.i + 2 < sent.end
        and doc[token.i + 1].text in (",", ":")
        and doc[token.i + 2].text in _OPENING_MARKS
    ):
        return True
    if not _closes_opening_quote(token, sent, in_quote):
        return False
    close = next((i for i in range(token.i - 1, sent.start, -1) if in_quote[i]), None)
    return close is not None and token.i - close <= 4


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


def _after_split_quotation(token: Token, sent: Span, in_quote: list[bool]) -> bool:
    """'"Is that fair?" he asked on the radio.': a sentence split after a quotation's "?" or
    "!" opens with the speaker and the verb, right after the closing mark."""
    if token.dep_ != "ROOT" or sent.start == 0 or token.i - sent.start > 6:
        return False
    closing = sent.doc[sent.start - 1]
    if not (in_quote[closing.i] and closing.text in _CLOSING_MARKS):
        return False
    prefix = sent.doc[sent.start : token.i]
    return all(t.pos_ in _NP_POS or t.pos_ == "PRON" or t.dep_ == "amod" for t in prefix)


def _closes_opening_quote(token: Token, sent: Span, in_quote: list[bool]) -> bool:
    """ "'...,' X, who ..., said at the time": the sentence opens with the quotation its main
    verb attributes, however long the speaker phrase between them."""
    return token.dep_ == "ROOT" and in_quote[sent.start] and not in_quote[token.i]


def _reduced_relative(verb: Token, subject: Token) -> bool:
    """ "X, hailed as a leader, had ...": a participle set off by a comma right after its
    "subject" describes it (a reduced relative clause the parser took for the main verb)."""
    between = verb.doc[subject.i + 1 : verb.i]
    return (
        verb.tag_ in ("VBN", "VBD")
        and len(between) > 0
        and between[-1].text == ","
        and all(t.is_punct for t in between)
    )


def _notes_absence(token: Token) -> bool:
    """ "did not say how many ..." : a reporter's remark on what a source left out."""
    if not _is_negated(token):
        return False
    clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
    if clause is None:
        # "did not say", "could not confirm X" note an absence; "did not blame X", "does not
        # want to" are positions
        unable = any(c.dep_ == "aux" and c.lower_ in ("could", "can") for c in token.children)
        return unable or not any(c.dep_ in ("dobj", "xcomp") for c in token.children)
    return clause.left_edge.lower_ in WH_WORDS


def _is_negated(token: Token) -> bool:
    """The verb's own negation; a "not" across a quotation mark is the quotation's ('"Certainly
    not," she said')."""
    doc = token.doc
    return any(
        c.dep_ == "neg" and not any(t.is_quote for t in doc[min(c.i, token.i) : max(c.i, token.i)])
        for c in token.children
    )


def _unclitic(subject: Token) -> Token | None:
    """A contraction's clitic parsed as the subject ("He's said", the "'s" as subject and "He"
    as its own): the word it hangs on is the subject."""
    if subject.text[:1] in ("'", "\u2019") and subject.text[1:].isalpha():
        return next((c for c in subject.children if c.dep_ == "nsubj"), None)
    return subject


def _subject(token: Token) -> Token | None:
    """The verb's subject (the one nearest the verb: a dateline can parse as a second subject),
    else the subject of the clause it hangs from ("..., condemning", "and said")."""
    verb = token
    carried = _quoted_as(token)
    if carried is not None:
        return carried  # "X was quoted by Y as saying ...": X's words, Y carried them
    agent = _agent(token)
    if agent is not None:
        return agent  # "It was reported by X that ...", "... was first reported by X"
    for _ in range(4):
        subjects = [
            s for c in verb.children if c.dep_ == "nsubj" and (s := _unclitic(c)) is not None
        ]
        if (
            not subjects
            and verb is not token
            and token.dep_ == "xcomp"
            and verb.lower_ not in EVIDENTIAL_PASSIVES | _HEDGE_PASSIVES
        ):
            # "X is required to state:", "X was forced to admit ...": the passive subject
            # of the verb the infinitive completes
            subjects = [c for c in verb.children if c.dep_ == "nsubjpass" and c.pos_ != "PRON"]
        if subjects:
            return _past_dateline(min(subjects, key=lambda c: abs(c.i - verb.i)), verb)
        if verb is token:
            share = next(
                (c for c in verb.children if c.dep_ == "nummod" and c.i < verb.i and c.like_num),
                None,
            )
            if share is not None:
                return share  # "About 4 in 10 say ...", parsed as a number on the verb
        relative = _subject_before_relative(verb)
        if relative is not None:
            return relative
        controller = _object_controller(verb)
        if controller is not None:
            return controller
        if verb is token:
            misread = _subject_read_as_conjunct(verb)
            if misread is not None:
                return misread
        if verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _subject_read_as_conjunct(verb: Token) -> Token | None:
    """ "In a note to reporters, its envoy, X, said ...": the parser joins the
    subject to the opening phrase's noun ("reporters and its envoy") and leaves the verb
    without one. The noun phrase right before the verb, a conjunct inside a phrase that opens
    the sentence, is the subject."""
    if verb.dep_ != "ROOT" or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    before = verb.i - 1
    doc = verb.doc
    while before >= verb.sent.start and doc[before].is_punct:
        before -= 1
    if before < verb.sent.start:
        return None
    head = doc[before]
    while head.dep_ in ("appos", "compound", "flat") and head.head.i < verb.i:
        head = head.head
    if head.dep_ != "conj" or head.pos_ not in ("NOUN", "PROPN"):
        return None
    opener = head.head
    while opener.dep_ == "conj":
        opener = opener.head
    for _ in range(4):  # up the opening phrase: 'to reporters' <- 'a note' <- 'In'
        if opener.dep_ != "pobj" or opener.head.dep_ != "prep":
            return None
        if opener.head.head.i == verb.i:
            return head
        opener = opener.head.head
    return None


# A cue inside a relative, participle or prepositional clause ("commuters, who want to ...",
# "groups supporting X", "by proposing ..."): weaker than any cue of the main clause.
EMBEDDED_LEVEL = 3
# A position noun's possessor ("X's plan"): weaker still, and it takes no running account over.
POSSESSOR_LEVEL = 4
_RELATIVE_PERSONS = frozenset({"who", "whom"})
# Clauses that describe a participant; a complement clause ("evidence that ... what she
# promises") is content, and its verbs are not the sentence's cue.
_EMBEDDING_DEPS = frozenset({"relcl", "acl", "pcomp", "advcl", "conj"})
_NAMED_KINDS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def _noun_complement(verb: Token) -> bool:
    """ "a report that the quay had cost ...": a "that" clause after a noun, read as an adjectival
    clause, is the noun's content, not a description of a participant."""
    return verb.dep_ == "acl" and any(
        c.dep_ == "mark" and c.lower_ == "that" for c in verb.children
    )


def _embedded_subject(verb: Token) -> Token | None:
    """Who holds the position of an embedded cue: the relative clause's antecedent ("X, who
    believes ..."), the noun an active participle modifies ("groups backing X"), the agent of a
    passive participle ("a plan criticised by X"), the subject of the clause a gerund hangs from
    ("X ... by proposing"); None for a thing ("a deal that ...") or no subject."""
    if _is_negated(verb) or any(c.dep_ == "auxpass" for c in verb.children) and not _agent(verb):
        return None
    agent = _agent(verb) or _participle_agent(verb)
    if agent is not None:
        return agent
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    subject = subjects[0] if subjects else None
    if subject is not None and subject.tag_ in ("WP", "WDT"):
        inserted = next((c for c in subjects if c.tag_ not in ("WP", "WDT")), None)
        if inserted is not None:
            return inserted  # "a rule which they say hurts ...", "what he called ..."
    if verb.dep_ == "relcl":
        antecedent = verb.head
        if subject is None or subject.tag_ not in ("WP", "WDT"):
            return subject
        if antecedent.pos_ not in ("NOUN", "PROPN"):
            return None
        if subject.lower_ in _RELATIVE_PERSONS or antecedent.ent_type_ in _NAMED_KINDS:
            return antecedent
        return None
    if subject is not None:
        return subject if subject.tag_ not in ("WP", "WDT") else None
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
        author = _author_of(verb.head)
        return author if author is not None else verb.head
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.dep_ == "prep":
        governor = verb.head.head
        if governor.pos_ in ("VERB", "AUX"):
            return _subject(governor)
    return None


def _author_of(document: Token) -> Token | None:
    """ "X issued a statement denying ...", "X ran an ad attacking ...": a statement that
    the verb's subject put out speaks for that subject."""
    head = document.head
    if document.dep_ != "dobj" or document.lower_ not in STATEMENT_NOUNS or head.pos_ != "VERB":
        return None
    if head.lower_ in _RECEPTION_VERBS:
        return None  # "X received a letter saying ...": the letter is someone else's
    subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lower_ in STATEMENT_NOUNS | EVIDENCE_NOUNS | _THING_PRONOUNS:
        return None
    return subject if subject.pos_ in ("NOUN", "PROPN", "PRON") else None


def _through_relative_pronoun(verb: Token, tokens: list[Token]) -> list[Token] | None:
    """ "commuters, who want ...": the speaker span runs from the antecedent to the relative
    pronoun, so it holds both the name and the word that is the clause's subject."""
    pronoun = next(
        (c for c in verb.children if c.dep_ == "nsubj" and c.tag_ in ("WP", "WDT")), None
    )
    if verb.dep_ != "relcl" or pronoun is None or not tokens or pronoun.i <= tokens[-1].i:
        return None
    return list(verb.doc[tokens[0].i : pronoun.i + 1])


def _participle_agent(verb: Token) -> Token | None:
    """ "a practice criticised by X": the "by" phrase of a passive participle."""
    if verb.dep_ != "acl" or verb.tag_ != "VBN":
        return None
    by = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None


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


def _object_controller(verb: Token) -> Token | None:
    """ "The late vote led councillors to say ...", "The flood forced the candidates to explain
    ...": the infinitive of a verb that is not itself a cue ("led", "forced", "pushing") has its
    object as its subject; an object that cannot speak ("used the rally to say") is left alone."""
    if verb.dep_ != "xcomp" or verb.head.i == verb.i or verb.head.pos_ not in ("VERB", "AUX"):
        return None
    head = verb.head
    if head.lower_ in load_reporting_lexicon().verbs:
        return None  # "urged the union to ...", "asked X to ...": the head is a cue of its own
    obj = next((c for c in head.children if c.dep_ == "dobj" and c.i < verb.i), None)
    if obj is None or obj.lower_ in _THING_PRONOUNS:
        return None
    if (
        obj.pos_ == "PRON"
        or obj.ent_type_ in _NAMED_KINDS
        or obj.tag_ in ("NNS", "NNPS")
        or obj.lower_ in GENERIC_SOURCES | ROLE_WORDS
        or obj.lower_ in load_generic_kinds()
    ):
        return obj
    return None


# "X is expected to say", "X is likely to tell": a forecast about X, not X speaking.
_HEDGE_PASSIVES = frozenset({"expected", "likely", "set", "due", "poised", "tipped", "slated"})
_THING_PRONOUNS = frozenset({"it", "this", "that", "these", "those", "itself", "something"})


def _quoted_as(token: Token) -> Token | None:
    """The passive subject of "X was quoted (by Y) (in Z) as saying ...", from the
    reporting verb or from "saying": X is the speaker, Y and Z only carried the words."""
    verb = token.head.head if token.dep_ == "pcomp" and token.head.lower_ == "as" else token
    if verb.lower_ not in QUOTED_AS_VERBS or not any(c.dep_ == "auxpass" for c in verb.children):
        return None
    if not any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children):
        return None
    return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)


def _agent(verb: Token) -> Token | None:
    """The "by" phrase of a passive reporting verb: who reported it; also a "by" phrase the
    parser hung from the verb's complement ("has been called 'a sham' by X")."""
    if not any(c.dep_ == "auxpass" for c in verb.children):
        return None
    by = next((c for c in verb.children if c.dep_ == "agent"), None)
    if by is not None:
        return next((c for c in by.children if c.dep_ == "pobj"), None)
    for complement in verb.children:
        if complement.dep_ not in ("oprd", "attr", "xcomp") or complement.i < verb.i:
            continue
        by = next((c for c in complement.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        target = next((c for c in by.children if c.dep_ == "pobj"), None) if by else None
        if target is not None and _can_hold_position(target):
            return target
    return None


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


_COMING_VERBS = word_set("coming_verbs")


def _from_source(
    token: Token, in_quote: list[bool], paragraph: ParsedParagraph, lexicon: ReportingLexicon
) -> Cue | None:
    """The "from" phrase that a position or a figure is credited to: "The plan has drawn sharp
    criticism from traders" (a subject receiving a position: the position is the "from" phrase's),
    "The estimate came from the harbour board", "A second estimate, from the port's own
    engineers, is far lower" (a figure is its producer's)."""
    if token.pos_ == "VERB" and token.lower_ in _RECEPTION_VERBS and not _is_negated(token):
        verb = token
        positions = [
            c
            for c in token.children
            if c.dep_ == "dobj" and c.lower_ in load_stance_nouns() and not in_quote[c.i]
        ]
        holders = [h for c in positions for h in _from_phrase(c)] or (
            _from_phrase(token) if positions else []
        )
    elif (
        token.pos_ == "NOUN"
        and token.dep_ == "nsubj"
        and token.lower_ in _figure_nouns()
        and token.head.lower_ not in lexicon.verbs
        and not in_quote[token.i]
    ):
        verb = token.head
        holders = _from_phrase(token)
        if not holders and verb.lower_ in _COMING_VERBS:
            holders = _from_phrase(verb)
    else:
        return None
    holder = next((h for h in holders if not in_quote[h.i] and _can_speak(h)), None)
    level = _clause_level(verb) if verb.pos_ in ("VERB", "AUX") else None
    if holder is None or level is None:
        return None
    kind = "advcl" if level >= 2 else "verb"
    # the holder's position itself, not people an account describes
    return Cue(kind, level, token.text, holder, speaker_tokens(holder), paragraph)


def _from_phrase(head: Token) -> list[Token]:
    return [
        pobj
        for prep in head.children
        if prep.dep_ == "prep" and prep.lower_ == "from"
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    ]


def _can_speak(token: Token) -> bool:
    """A holder of a position: a name, a pronoun, a body, a role, or people ("traders")."""
    lowered = token.lower_
    return (
        _can_hold_position(token)
        or token.tag_ in ("NNS", "NNPS")
        or lowered in ROLE_WORDS | COMMENTATORS | UNNAMED_SOURCES
        or lowered in load_generic_kinds()
    ) and lowered not in _THING_PRONOUNS


@lru_cache(maxsize=1)
def _figure_nouns() -> frozenset[str]:
    """Figures, evidence and statements: the nouns a "from" phrase credits to their producer."""
    return load_figure_cues().nouns | EVIDENCE_NOUNS | STATEMENT_NOUNS
