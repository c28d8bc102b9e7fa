"""The claims ledger: who says each sentence of an article.

`attribute_article` gives every sentence the party whose account it reports, or `NARRATOR` for the
reporter's own voice, with the cue that shows it:

- explicit: the sentence names its source. A reporting verb with a clause, a quote or (for verbs
  such as "denied", "termed", "accused") an object, whose subject is the source ("X said ...",
  "..., X reported", "X claimed to have ...", "X described how ..."); "according to X"; a statement
  as subject ("The statement also honoured ..."); "In a statement, X ...". Pronouns and generic
  phrases ("it", "the group", "the spokesperson", "the military") resolve to the last compatible
  source; "spokesperson Y" with no organisation named speaks for the organisation last heard.
- continuation: no cue, but the sentence goes on with the running account: later sentences of the
  source's paragraph, and following paragraphs while no new source or reporter framing intervenes.
  A floating quote continues the last quoted speaker.
- none: the reporter's voice: framing ("against a backdrop of", "could not be independently
  verified", "did not say how many"), background in the present tense after the account's
  paragraph, wire credits and page furniture, and uncued sentences next to another source's cue.

A source the text leaves unnamed ("officials said") keeps its speaker span and cue but gets
`NARRATOR` as party, with low confidence: there is no party to hand the claim to. Cue words inside
quotation marks are not cues. Rules are about how news is written; nothing here names an
article's parties. Runs in one pass over the parse (no re-parsing, no article-wide rescans).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from assistant.claims.parties import (
    GENERIC_BODIES,
    ArticleParties,
    PartyRegistry,
    clean_name,
    is_acronym,
    military_phrase,
    organisation_name,
    party_key,
)
from assistant.types import NARRATOR

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from ingest.sentences import ParsedArticle, ParsedParagraph
    from ingest.types import Sentence

EXPLICIT = "explicit"
CONTINUATION = "continuation"
NO_CUE = "none"


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation; offsets into the article text, marks included."""

    start: int
    end: int
    text: str
    speaker: str | None
    party: str | None


@dataclass(frozen=True, slots=True)
class SentenceAttribution:
    """Who says one sentence: `text == article[start:end]`; speaker offsets into the article."""

    sentence_index: int
    start: int
    end: int
    text: str
    paragraph: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    party: str  # canonical party name, or NARRATOR
    cue: str  # "explicit" | "continuation" | "none"
    cue_text: str | None
    confidence: float
    quotes: tuple[Quote, ...]


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


@lru_cache(maxsize=1)
def load_discourse_patterns() -> dict[str, re.Pattern[str]]:
    """Paragraph-role patterns (lexicons/discourse_patterns.yaml)."""
    import yaml

    text = files("assistant.claims.lexicons").joinpath("discourse_patterns.yaml").read_text("utf-8")
    return {str(k): re.compile(str(v)) for k, v in (yaml.safe_load(text) or {}).items()}


def _interview_turn(paragraph: str) -> str | None:
    patterns = load_discourse_patterns()
    if patterns["interview_question"].match(paragraph):
        return "question"
    if patterns["interview_answer"].match(paragraph):
        return "answer"
    return None


@dataclass(frozen=True, slots=True)
class FigureCues:
    verbs: frozenset[str]
    nouns: frozenset[str]
    needs_at: tuple[str, ...]


@lru_cache(maxsize=1)
def load_figure_cues() -> FigureCues:
    """Figure and account cues (lexicons/figure_cues.yaml)."""
    import yaml

    text = files("assistant.claims.lexicons").joinpath("figure_cues.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    return FigureCues(frozenset(data["verbs"]), frozenset(data["nouns"]), tuple(data["needs_at"]))


@lru_cache(maxsize=1)
def load_generic_kinds() -> dict[str, tuple[str, ...]]:
    """Generic source words and the name words of bodies of that kind (lexicons/generic_kinds)."""
    import yaml

    text = files("assistant.claims.lexicons").joinpath("generic_kinds.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    return {str(k): tuple(str(w) for w in v) for k, v in data.items()}


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


# --- word classes of news attribution (general English, no names) ---------------------------
# fmt: off
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_THING_PRONOUNS = frozenset({"it"})
_GROUP_PRONOUNS = frozenset({"they", "them"})
_STATEMENT_NOUNS = frozenset(
    {"statement", "statements", "communique", "communiqué", "release", "message", "letter",
     "announcement", "reply", "response", "notice", "bulletin", "report", "video", "post"}
)
# Definite generic phrases that point back to a source ("the group said", "the carmaker said");
# any "-maker" noun counts too (`_generic_word`).
_GENERIC_SOURCES = GENERIC_BODIES | {"spokesperson", "spokesman", "spokeswoman", "statement"}
# Of those, the ones that may name whatever organisation spoke last even when its name does not
# contain the word ("the company" for "Zentrix Home Appliances"); the others ("the ministry",
# "police") must match a name.
_ANAPHORIC_BODIES = frozenset(
    {"group", "organisation", "organization", "outfit", "movement", "company", "firm", "union",
     "party", "alliance", "coalition", "front", "militia", "network", "statement", "spokesperson",
     "spokesman", "spokeswoman", "insurer", "lender", "retailer", "airline", "carrier", "miner",
     "manufacturer", "producer",
     "operator", "broadcaster", "supplier", "developer", "exporter", "conglomerate", "utility",
     "refiner", "publisher", "maker"}
)
_GOVERNMENT_TITLES = frozenset({"minister", "secretary", "governor", "mayor", "president"})
# Bodies a report often introduces by kind alone ("Police said", "the ministry said"): never
# taken for whichever organisation spoke last.
_STATE_BODIES = frozenset(
    {"police", "court", "ministry", "government", "parliament", "army", "military", "cabinet",
     "senate", "assembly", "congress", "embassy", "regime", "junta", "administration", "navy",
     "forces", "troops", "tribunal"}
)
_GENERIC_MILITARY = frozenset(
    {"military", "army", "armed forces", "security forces", "troops", "forces", "defence forces",
     "defense forces", "air force", "navy", "general staff"}
)
_SPOKES_ROLES = frozenset(
    {"spokesperson", "spokesman", "spokeswoman", "spokespeople", "spokesmen", "spokespersons"}
)
# Roles that speak for the organisation they lead or serve, so "chief executive Jane Doe" with
# no organisation named speaks for the organisation last heard; a minister or a commander may not.
_ORGANISATION_ROLES = _SPOKES_ROLES | frozenset(
    {"executive", "ceo", "chairman", "chairwoman", "chairperson", "chair"}
)
_EVIDENTIALS = frozenset({"reportedly", "allegedly", "purportedly"})
# Sources the text leaves unnamed: "officials said", "a senior U.S. official said".
_UNNAMED_SOURCES = frozenset(
    {"official", "officials", "source", "sources", "diplomat", "diplomats", "people", "person",
     "resident", "residents", "witness", "witnesses", "someone", "aide", "aides", "insider",
     "insiders", "observer", "observers", "analyst", "analysts", "expert", "experts"}
)
_COMMENTATORS = frozenset(
    {"analyst", "analysts", "expert", "experts", "economist", "economists", "observer",
     "observers", "critic", "critics", "commentator", "commentators", "researcher", "researchers"}
)
_POSSESSIVE_PRONOUNS = {"its": "it", "their": "they", "his": "he", "her": "she"}
_COMMS_WORDS = frozenset(
    {"communications", "communication", "media", "press", "public", "information", "relations"}
)
_COMMS_ROLE_HEADS = frozenset(
    {"head", "director", "chief", "officer", "secretary", "adviser", "advisor", "manager", "aide"}
)
_ROLE_WORDS = _ORGANISATION_ROLES | _COMMS_ROLE_HEADS | _GOVERNMENT_TITLES | frozenset(
    {"general", "commander", "leader", "official", "representative", "candidate", "director",
     "coordinator", "organiser", "organizer"}
)
_WH_WORDS = frozenset({"how", "whether", "what", "when", "why", "who", "which", "if", "where"})
# Double quotation marks; two apostrophes or backticks stand for one in converted text.
_QUOTE_CHARS = re.compile(r"''|``|[\"“”«»„]")
_FRAMING = re.compile(
    r"\bcom(?:e|es|ing) (?:at a time|amid|as|after|against|just|days|weeks|months|hours|"
    r"a day|a week|in the wake|on the heels)\b"
    r"|\bcame (?:at a time|amid|as|after|against|just|days|weeks|months|hours|a day|a week|"
    r"in the wake|on the heels)\b"
    r"|\bagainst the backdrop\b|\bamid (?:escalating|rising|growing|heightened) tensions\b"
    r"|\bindependently (?:verif|confirm)"
    r"|\bcould not (?:be )?(?:immediately )?(?:verif|confirm|reach)"
    r"|\bcannot be (?:independently )?(?:verif|confirm)|\b(?:no|any) (?:independent )?evidence\b"
    r"|\bwithout (?:providing |offering |giving )?(?:any )?evidence\b"
    r"|\bdid not (?:immediately )?respond\b|\bnot immediately (?:available|clear)\b"
    r"|\bdeclined to comment\b|\bmade no mention\b|\bno mention of\b"
    r"|\bthis (?:article|story|report) (?:was|is|has)\b|\bat the time of (?:publication|writing)\b"
    r"|\bby the time this\b|\bpress time\b|\bauto-generated\b|\bsyndicated feed\b"
    r"|\ball rights reserved\b|\b(?:neither|both) sides?\b"
    r"|\bshares (?:in|of) .{0,60}\b(?:fell|rose|jumped|slumped|dropped|climbed|gained|lost|tumbled"
    r"|surged|plunged|slid)\b|\bshares (?:fell|rose|jumped|slumped|dropped|climbed|gained|lost"
    r"|tumbled|surged|plunged|slid)\b"
)
_BOILERPLATE = re.compile(
    r"^\W*(?:disclaimer|editor'?s note|also read|read more|read also|related:|copyright|share this"
    r"|leave a comment|subscribe|click here|follow us|advertisement|\(?with inputs from"
    r"|\(?reporting by|\(?editing by|\(?writing by)\b"
)
_WIRE_CREDIT = re.compile(r"^\W*\(?[A-Z][A-Za-z&./ -]{0,30}\)?\W*$")
# fmt: on


@dataclass(slots=True)
class _Cue:
    """A cue found in one sentence; `level` 0 is strongest."""

    kind: str  # "verb" | "according" | "statement" | "figure" | "advcl"
    level: int
    cue_text: str
    head: Token  # head of the speaker phrase
    tokens: list[Token]  # the speaker phrase, contiguous
    paragraph: ParsedParagraph


@dataclass(slots=True)
class _Info:
    """What one sentence shows on its own, before the running account is applied."""

    sentence: Sentence
    span: Span | None
    paragraph: ParsedParagraph | None
    cue: _Cue | None = None
    borrowed: bool = False  # cue taken from the sentence that closes the same quotation
    framing: bool = False
    boilerplate: bool = False
    fragment: bool = False
    foreign: bool = False
    quote_only: bool = False
    present: bool = False
    place_subject: bool = False
    evidential: bool = False
    ents: list[Span] = field(default_factory=list)  # the sentence's named entities
    topic: frozenset[str] = frozenset()  # content words, to tell whether it continues an account
    quote_ids: list[int] = field(default_factory=list)
    turn: str | None = None  # "question" | "answer": a paragraph of an interview


@dataclass(slots=True)
class _Source:
    party: str
    person: bool  # a person spoke (for "he"/"she")
    sentence_index: int
    paragraph: int
    commentator: bool = False  # "analysts at X": X's people, not X's voice
    individual: bool = False  # the party is a person, not an organisation (for "it", "the group")
    span: _Resolved | None = None  # where the text names the source (continuations cite it)


@dataclass(slots=True)
class _Resolved:
    party: str | None
    speaker: str
    start: int
    end: int
    person: bool
    factor: float


def attribute_article(
    parsed: ParsedArticle,
    registry: PartyRegistry,
    title: str = "",
    lexicon: ReportingLexicon | None = None,
    continuation_model: bool | None = None,
) -> list[SentenceAttribution]:
    """One `SentenceAttribution` per sentence of `parsed.sentences`, same order and offsets.

    Pure apart from `registry`, which learns the parties and aliases the article teaches (its
    organisations, acronyms, military and press-wing names, and new speakers): deterministic for
    a given registry state, and attributing an article twice gives the same records.
    `continuation_model` re-decides the cue-less sentences with the statistical layer (default:
    `assistant.claims.model.continuation.ENABLED_BY_DEFAULT`).
    """
    if not parsed.sentences:
        return []
    lexicon = lexicon or load_reporting_lexicon()
    article_parties = registry.learn_article(parsed, title)
    quotes, infos = _analyse(parsed, lexicon)
    records = _Ledger(parsed, registry, article_parties, quotes).attribute(infos)
    from assistant.claims.model import continuation as layer

    if layer.ENABLED_BY_DEFAULT if continuation_model is None else continuation_model:
        records = layer.refine_records(parsed, records)
    return records


# --- per-sentence analysis -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _QuoteRegion:
    start: int  # article offsets, marks included
    end: int
    paragraph: int
    direct: bool


def _quote_regions(text: str) -> list[tuple[int, int]]:
    """Double-quotation regions of one paragraph (marks included); an unclosed opening quote
    runs to the paragraph end, a closing mark with no opening one is ignored."""
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    for match in _QUOTE_CHARS.finditer(text):
        i, mark, j = match.start(), match.group(), match.end()
        mark = {"''": '"', "``": "“"}.get(mark, mark)
        before = text[i - 1] if i else " "
        after = text[j] if j < len(text) else " "
        if mark in "“«„":
            if open_at is None:
                open_at = i
        elif mark in "”»":
            if open_at is not None:
                regions.append((open_at, j))
                open_at = None
        elif open_at is None:
            if (before.isspace() or before in "([{—–-/:") and not after.isspace():
                open_at = i
        elif not before.isspace() or after.isspace():
            regions.append((open_at, j))
            open_at = None
    if open_at is not None and open_at < len(text) - 1:
        regions.append((open_at, len(text)))
    return regions


def _is_direct(span: Span) -> bool:
    """A quotation, not a scare-quoted word or a title: two words or more, not all capitalised."""
    words = [t for t in span if t.is_alpha]
    if len(words) < 2:
        return False
    content = [t for t in words if not t.is_stop]
    return not (content and all(t.text[:1].isupper() for t in content))


def _analyse(
    parsed: ParsedArticle, lexicon: ReportingLexicon
) -> tuple[list[_QuoteRegion], list[_Info]]:
    quotes: list[_QuoteRegion] = []
    by_start: dict[int, tuple[ParsedParagraph, Span, list[bool], list[Span]]] = {}
    for paragraph in parsed.paragraphs:
        doc = paragraph.doc
        ents = list(doc.ents)
        in_quote = [False] * len(doc)
        regions = _quote_regions(doc.text)
        cursor = 0
        for start, end in regions:
            while cursor < len(doc) and doc[cursor].idx < start:
                cursor += 1
            inner = cursor
            while inner < len(doc) and doc[inner].idx < end:
                in_quote[inner] = True
                inner += 1
            span = doc.char_span(start, end, alignment_mode="expand")
            direct = span is not None and _is_direct(span)
            offset = paragraph.start
            quotes.append(_QuoteRegion(offset + start, offset + end, paragraph.index, direct))
        for sent in doc.sents:
            raw = sent.text
            if not raw.strip():
                continue
            start = paragraph.start + sent.start_char + (len(raw) - len(raw.lstrip()))
            by_start[start] = (paragraph, sent, in_quote, ents)

    infos: list[_Info] = []
    direct_quotes = [(i, q) for i, q in enumerate(quotes) if q.direct]
    q_cursor = 0
    for sentence in parsed.sentences:
        found = by_start.get(sentence.start)
        if found is None:
            infos.append(_Info(sentence, None, None, foreign=True))
            continue
        paragraph, sent, in_quote, ents = found
        info = _Info(sentence, sent, paragraph)
        # A turn marker opens a sentence ("Q: ... ? A: ..." may share a paragraph); the
        # sentences after it in its paragraph keep its turn.
        info.turn = _interview_turn(sentence.text)
        previous = infos[-1] if infos else None
        if (
            info.turn is None
            and previous is not None
            and previous.sentence.paragraph == sentence.paragraph
        ):
            info.turn = previous.turn
        info.ents = [e for e in ents if e.start >= sent.start and e.end <= sent.end]
        while q_cursor < len(direct_quotes) and direct_quotes[q_cursor][1].end <= sentence.start:
            q_cursor += 1
        k = q_cursor
        while k < len(direct_quotes) and direct_quotes[k][1].start < sentence.end:
            info.quote_ids.append(direct_quotes[k][0])
            k += 1
        _describe(info, sent, paragraph, in_quote, lexicon)
        infos.append(info)
    _borrow_quote_cues(infos, quotes)
    return quotes, infos


def _describe(
    info: _Info,
    sent: Span,
    paragraph: ParsedParagraph,
    in_quote: list[bool],
    lexicon: ReportingLexicon,
) -> None:
    tokens = list(sent)  # one pass over spaCy's token objects, reused below
    text = sent.text
    if _looks_foreign(tokens, text):
        info.foreign = True
        return
    words = [t for t in tokens if t.is_alpha]
    outside = "".join(
        t.text_with_ws if not in_quote[t.i] else " " * len(t.text_with_ws) for t in tokens
    )
    lowered = outside.lower().replace("’", "'").replace("‘", "'")
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in tokens)
    info.boilerplate = bool(_BOILERPLATE.match(text.lower())) or (
        len(tokens) <= 6 and not has_verb and bool(_WIRE_CREDIT.match(text))
    )
    # Page furniture and datelines: no verb, and short or not ended like a sentence.
    info.fragment = not has_verb and (
        len(words) < 4 or not text.rstrip().endswith((".", "!", "?", '"', "”"))
    )
    info.quote_only = bool(words) and all(in_quote[t.i] for t in words)
    info.framing = bool(_FRAMING.search(lowered))
    root = sent.root
    info.present = root.tag_ in ("VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP", "MD") for c in root.children
    )
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    info.place_subject = subject is not None and subject.ent_type_ in ("GPE", "LOC")
    info.evidential = any(t.lower_ in _EVIDENTIALS for t in words)
    info.topic = _topic_words(words)
    cue, absence = _find_cue(sent, tokens, paragraph, in_quote, lexicon)
    info.cue = cue
    info.framing = info.framing or absence


# Function words of other languages written in Latin letters (German, French, Spanish, Italian,
# Portuguese, Dutch), none of them common English words.
# fmt: off
_FOREIGN_FUNCTION_WORDS = frozenset(
    {"der", "die", "das", "und", "ist", "nicht", "dass", "mit", "sich", "den", "dem", "ein",
     "eine", "les", "des", "est", "une", "et", "pas", "dans", "pour", "qui", "que", "sur", "avec",
     "los", "las", "el", "y", "del", "por", "para", "con", "una", "es", "il", "di", "che", "della",
     "sono", "het", "een", "van", "niet", "zijn", "dat", "não", "com", "uma", "ao", "em", "du"}
)
# fmt: on
_NOT_TOPICAL = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})


def _topic_words(tokens: Sequence[Token]) -> frozenset[str]:
    """Nouns and names of a sentence, lower-cased, a plural -s dropped."""
    words = set()
    for token in tokens:
        if (
            token.pos_ in ("NOUN", "PROPN")
            and token.is_alpha
            and not token.is_stop
            and (len(token.text) >= 3 and token.ent_type_ not in _NOT_TOPICAL)
        ):
            word = token.lower_
            if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
                word = word[:-1]
            words.add(word)
    return frozenset(words)


def _looks_foreign(tokens: Sequence[Token], text: str) -> bool:
    """Not English (or not prose): mostly non-Latin letters, or lower-case words with almost no
    English function words among them. Names are left out: they are not evidence either way."""
    if not text.isascii():
        letters = [ch for ch in text if ch.isalpha()]
        if len(letters) >= 4 and sum(ch.isascii() for ch in letters) < len(letters) / 2:
            return True
    lower = [t for t in tokens if t.is_alpha and t.text[0].islower()]
    if len(lower) < 4:
        return False
    english = sum(t.is_stop for t in lower)
    other = sum(t.text in _FOREIGN_FUNCTION_WORDS for t in lower)
    return (len(lower) >= 6 and english < 0.12 * len(lower)) or (other >= 2 and other > english)


def _find_cue(
    sent: Span,
    tokens: Sequence[Token],
    paragraph: ParsedParagraph,
    in_quote: list[bool],
    lexicon: ReportingLexicon,
) -> tuple[_Cue | None, bool]:
    """The sentence's best cue, and whether it is a reporter's note of an absence ("X did not
    say how many ...", "The statement made no mention ...")."""
    best: _Cue | None = None
    absence = False
    root = sent.root
    for token in tokens:
        if in_quote[token.i]:
            continue
        cue: _Cue | None = None
        lowered = token.lower_
        if lowered == "according":
            to = next((c for c in token.children if c.lower_ == "to"), None)
            if to is None and token.i + 1 < sent.end and token.nbor(1).lower_ == "to":
                to = token.nbor(1)
            target = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            if target is not None and not in_quote[target.i]:
                cue = _Cue(
                    "according", 0, "according to", target, _speaker_tokens(target), paragraph
                )
        elif token.pos_ in ("VERB", "AUX") and (
            lowered in lexicon.verbs or lowered in load_figure_cues().verbs
        ):
            level = _clause_level(token)
            if level is None or not _has_complement(token, lexicon, sent, in_quote):
                continue
            if _notes_absence(token):
                absence = True
                continue
            subject = _subject(token)
            if subject is None or in_quote[subject.i]:
                continue
            figure = lowered in load_figure_cues().verbs and lowered not in lexicon.verbs
            kind = "figure" if figure else ("advcl" if level >= 2 else "verb")
            cue = _Cue(kind, level, token.text, subject, _speaker_tokens(subject), paragraph)
        if cue is not None and (best is None or _rank(cue) < _rank(best)):
            best = cue
    if best is not None and best.level == 0:
        return best, absence
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subject is not None and not in_quote[subject.i]:
        if subject.lower_ in _STATEMENT_NOUNS:
            if _is_negated(root) or any(
                c.dep_ == "dobj" and any(d.lower_ == "no" for d in c.children)
                for c in root.children
            ):
                return None, True
            return _Cue(
                "statement", 1, subject.text, subject, _speaker_tokens(subject), paragraph
            ), absence
        in_statement = next(
            (
                pobj
                for prep in root.children
                if prep.dep_ == "prep" and prep.lower_ == "in"
                for pobj in prep.children
                if pobj.dep_ == "pobj" and pobj.lower_ in _STATEMENT_NOUNS
            ),
            None,
        )
        if in_statement is not None and (best is None or best.level > 1):
            return _Cue(
                "statement", 1, in_statement.text, subject, _speaker_tokens(subject), paragraph
            ), absence
    return best, absence


def _rank(cue: _Cue) -> tuple[int, int]:
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
        or lowered in _GENERIC_SOURCES | _STATEMENT_NOUNS | _ROLE_WORDS
        or party_key(" ".join(t.text for t in tokens)) in _GENERIC_MILITARY
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
        return 2
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
    if any(c.dep_ == "prep" and c.lower_ == "as" for c in children):
        return True
    if lowered.startswith("call") and any(
        c.dep_ == "prep" and c.lower_ in ("for", "on") for c in children
    ):
        return True  # "called for calm", "called on all parties to ..."
    if token.dep_ in ("ccomp", "parataxis") and token.i > token.head.i:
        return True  # "..., the XLF reported": the reported clause is the head
    if lowered in lexicon.object_verbs and deps & {"dobj", "prep", "attr", "dative"}:
        return True
    window = range(max(sent.start, token.i - 6), min(sent.end, token.i + 7))
    return any(in_quote[i] for i in window)


def _notes_absence(token: Token) -> bool:
    """ "did not say how many ..." : a reporter's remark on what a source left out."""
    if not _is_negated(token):
        return False
    clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
    return clause is None or clause.left_edge.lower_ in _WH_WORDS


def _is_negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def _subject(token: Token) -> Token | None:
    """The verb's subject (the one nearest the verb: a dateline can parse as a second subject),
    else the subject of the clause it hangs from ("..., condemning", "and said")."""
    verb = token
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if subjects:
            return _past_dateline(min(subjects, key=lambda c: abs(c.i - verb.i)), verb)
        if verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head.i == verb.i:
            return None
        verb = verb.head
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


def _speaker_tokens(head: Token) -> list[Token]:
    """The speaker phrase: the subject's subtree without relative clauses or a description after
    a comma ("Zeb Quarnow, a detective who ..." -> "Zeb Quarnow"), kept contiguous."""
    if head.pos_ == "PRON":
        return [head]
    doc = head.doc
    excluded: set[int] = set()
    for token in head.subtree:
        if token.i > head.i and token.dep_ in ("relcl", "acl", "advcl"):
            excluded.update(t.i for t in token.subtree)
    for child in head.children:
        drop = child.dep_ in ("cc", "conj") and child.i > head.i
        if child.dep_ in ("appos", "prep") and child.i > head.i:
            drop = _after_comma(child) and (
                head.pos_ == "PROPN" or not any(t.pos_ == "PROPN" for t in child.subtree)
            )
        if drop:
            excluded.update(t.i for t in child.subtree)
    indices = sorted(t.i for t in head.subtree if t.i not in excluded)
    start = indices[0]
    end = start
    for i in indices[1:]:
        if i != end + 1:
            break
        end = i
    end = max(end, head.i)
    while end > start and (doc[end].is_punct and doc[end].text not in ")]"):
        end -= 1
    for j in range(head.i - 1, start - 1, -1):
        spaced = bool(doc[j].whitespace_) and j > 0 and bool(doc[j - 1].whitespace_)
        if doc[j].text in ("—", "–", ":") or (doc[j].text in ("-", "--") and spaced):
            start = j + 1  # a dateline run into the subject: "KYIV, May 3 (Reuters) - Ukraine's"
            break
    while start < end and doc[start].is_punct and doc[start].text not in "([":
        start += 1
    # A role written before a misparsed name: "head of communications Jon Marrik".
    i = start - 1
    if (
        i >= 2
        and doc[i].lower_ in _COMMS_WORDS
        and doc[i - 1].lower_ == "of"
        and (doc[i - 2].lower_ in _ROLE_WORDS)
    ):
        start = i - 2
    elif i >= 0 and doc[i].lower_ in _ROLE_WORDS and doc[i].pos_ in ("NOUN", "PROPN"):
        start = i
    return [doc[j] for j in range(start, end + 1)]


def _after_comma(token: Token) -> bool:
    edge = token.left_edge.i
    return edge > 0 and token.doc[edge - 1].text == ","


def _appositive(head: Token) -> list[Token]:
    """The description after a name ("Jon Marrik, Quorra's head of communications, said"):
    left out of the speaker span, but it says whom the person speaks for."""
    for child in head.children:
        if child.dep_ == "appos" and child.i > head.i and _after_comma(child):
            return [t for t in child.subtree if t.dep_ not in ("relcl", "acl")]
    return []


def _borrow_quote_cues(infos: list[_Info], quotes: list[_QuoteRegion]) -> None:
    """A quotation split over sentences takes the cue of the sentence that attributes it."""
    holders: dict[int, list[_Info]] = {}
    for info in infos:
        for quote_id in info.quote_ids:
            holders.setdefault(quote_id, []).append(info)
    for quote_id, members in holders.items():
        if len(members) < 2 or not quotes[quote_id].direct:
            continue
        cued = next((m for m in members if m.cue is not None and m.cue.kind == "verb"), None)
        if cued is None:
            continue
        for member in members:
            if member.cue is None and member.quote_only:
                member.cue = cued.cue
                member.borrowed = True


# --- the running account -------------------------------------------------------------------
_KIND_CONFIDENCE = {
    "verb": 0.95,
    "according": 0.92,
    "statement": 0.85,
    "figure": 0.85,
    "advcl": 0.65,
}
_PLACE_LABELS = ("NORP", "GPE", "FAC", "LOC")


@dataclass(frozen=True, slots=True)
class _Event:
    """What ends a run of uncued sentences: a source (party None for an unnamed one) or None."""

    party: str | None
    paragraph: int


class _Ledger:
    """Applies the running account to the analysed sentences, in one pass."""

    def __init__(
        self,
        parsed: ParsedArticle,
        registry: PartyRegistry,
        article_parties: ArticleParties,
        quotes: list[_QuoteRegion],
    ) -> None:
        self.text = parsed.text
        self.registry = registry
        self.article = article_parties
        self.quotes = quotes
        self.quote_speakers: dict[int, tuple[str | None, str | None]] = {}
        self.recent: list[_Source] = []  # most recent first
        self.account: _Source | None = None
        self.last_quote: tuple[str | None, str, int] | None = None  # speaker, party, paragraph
        self.last_person: str | None = None
        self.last_named: str | None = None
        self.organisations: list[str] = []  # ORG names in the order the text names them
        self.interviewee: _Source | None = None
        self.pending: list[tuple[int, _Info]] = []
        self.records: list[SentenceAttribution | None] = []
        self.topic: set[str] = set()  # content words of the running account
        self.previous_paragraph = -1

    def attribute(self, infos: list[_Info]) -> list[SentenceAttribution]:
        self.records = [None] * len(infos)
        for position, info in enumerate(infos):
            self._step(position, info)
            self._remember_names(info)
            self.previous_paragraph = info.sentence.paragraph
        self._flush(None)
        results: list[SentenceAttribution] = []
        for position, info in enumerate(infos):
            record = self.records[position]
            if record is None:  # not reachable: every sentence is recorded or flushed
                record = self._record(info, NARRATOR, NO_CUE, 0.1)
            results.append(self._with_quotes(record, info))
        return results

    # -- one sentence ----------------------------------------------------------------------
    def _step(self, position: int, info: _Info) -> None:
        if info.foreign or info.span is None:
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.1)
            return
        if info.boilerplate:
            self._close()
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.9)
            return
        cue = info.cue
        if info.turn is not None and self._interview(position, info):
            return
        if cue is not None and (not info.framing or cue.level == 0 or info.borrowed):
            self._explicit(position, info, cue)
            return
        if info.framing:
            self._close()
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.85)
            return
        if info.fragment:
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.8)
            return
        if info.quote_only and info.quote_ids:
            self._floating_quote(position, info)
            return
        account = self.account
        if account is None:
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.7)
            return
        later_paragraph = info.sentence.paragraph != account.paragraph
        if info.present and (later_paragraph or info.place_subject):
            self._close()
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.6)
            return
        if info.sentence.paragraph != self.previous_paragraph and not self._anchored(info):
            # A new paragraph that neither names the source nor goes on with what it said.
            self._close()
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.55)
            return
        self.topic |= info.topic
        self.pending.append((position, info))

    def _interview(self, position: int, info: _Info) -> bool:
        """Interview turns: a question is the outlet's unless it reports a claim; an answer goes
        on with the interviewee, the source the text named before the first question."""
        if info.turn == "question":
            if self.interviewee is None:
                self.interviewee = self.account or (self.recent[0] if self.recent else None)
            if self.interviewee is None:
                # an introduction that names the interviewee without a cue
                named = self._named_fallback(self.last_named or self.last_person)
                if named is not None:
                    self.interviewee = _Source(named, True, info.sentence.index, 0)
            if info.cue is not None and info.cue.level == 0:
                return False
            self._flush(None)
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.75)
            return True
        interviewee = self.interviewee
        if interviewee is None:
            return False
        cue = info.cue
        if cue is not None and cue.level == 0 and cue.head.lower_ not in ("i", "we"):
            return False
        self._flush(_Event(interviewee.party, info.sentence.paragraph))
        self.records[position] = self._record(
            info, interviewee.party, CONTINUATION, 0.8, interviewee.span
        )
        self.account = interviewee
        return True

    def _anchored(self, info: _Info) -> bool:
        """The sentence goes on with the running account: it shares a noun or a name with what
        the source said, names the source, or hedges ("reportedly")."""
        if info.evidential or info.topic & self.topic:
            return True
        account = self.account
        if account is None:
            return False
        text = f" {party_key(info.sentence.text)} "
        return any(
            f" {party_key(alias)} " in text for alias in self.registry.aliases_of(account.party)
        )

    def _explicit(self, position: int, info: _Info, cue: _Cue) -> None:
        resolved = self._resolve(cue)
        paragraph = info.sentence.paragraph
        described = False
        if resolved.party is None and cue.head.pos_ != "PRON":
            # A source the text describes but does not name ("officials said", "the organisers
            # say"): the description is its party, with low confidence.
            label = _description_party(cue.tokens, cue.head)
            if label is not None:
                resolved = _Resolved(
                    label, resolved.speaker, resolved.start, resolved.end, resolved.person, 0.55
                )
                described = True
        self._flush(_Event(resolved.party, paragraph))
        confidence = _KIND_CONFIDENCE[cue.kind] * resolved.factor
        if cue.level == 1 and cue.kind == "verb":
            confidence *= 0.95
        if info.borrowed:
            confidence *= 0.9
        if resolved.party is None:
            # No source to hand the claim to ("it said" with nothing before it).
            self.records[position] = self._record(
                info, NARRATOR, EXPLICIT, 0.4, resolved, cue.cue_text
            )
            self.account = None
        else:
            self.records[position] = self._record(
                info, resolved.party, EXPLICIT, confidence, resolved, cue.cue_text
            )
            person_name = _entity_name(cue.tokens, "PERSON")
            individual = resolved.party in self.article.persons or (
                person_name is not None and party_key(person_name) == party_key(resolved.party)
            )
            source = _Source(
                resolved.party,
                resolved.person,
                info.sentence.index,
                paragraph,
                # a described source is never what a later "it" or "the group" points to
                described or cue.head.lower_ in _COMMENTATORS,
                individual or described,
                resolved,
            )
            if self.account is None or self.account.party != source.party:
                self.topic = set()
            self.topic |= info.topic
            self.account = source
            self.recent.insert(0, source)
            del self.recent[12:]
            if info.quote_ids:
                self.last_quote = (resolved.speaker, resolved.party, paragraph)
        for quote_id in info.quote_ids:
            self.quote_speakers.setdefault(quote_id, (resolved.speaker, resolved.party))

    def _floating_quote(self, position: int, info: _Info) -> None:
        paragraph = info.sentence.paragraph
        speaker: str | None = None
        party: str | None = None
        if self.last_quote is not None and paragraph - self.last_quote[2] <= 1:
            speaker, party, _ = self.last_quote
        elif self.account is not None:
            party = self.account.party
        if party is None:
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.3)
            return
        self._flush(_Event(party, paragraph))
        span = self.account.span if self.account is not None else None
        self.records[position] = self._record(info, party, CONTINUATION, 0.75, span)
        for quote_id in info.quote_ids:
            self.quote_speakers.setdefault(quote_id, (speaker, party))
        person = self.account.person if self.account is not None else False
        span = self.account.span if self.account is not None else None
        self.topic |= info.topic
        self.account = _Source(party, person, info.sentence.index, paragraph, span=span)
        self.last_quote = (speaker, party, paragraph)

    def _close(self) -> None:
        """Reporter framing ends the running account."""
        self._flush(None)
        self.account = None

    def _flush(self, event: _Event | None) -> None:
        """Decide the uncued sentences since the last source, now that the next event is known."""
        account = self.account
        for position, info in self.pending:
            paragraph = info.sentence.paragraph
            if account is None:
                self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.6)
            else:
                distance = max(1, info.sentence.index - account.sentence_index)
                crossed = max(0, paragraph - account.paragraph)
                confidence = 0.8 * 0.92 ** (distance - 1) * 0.85**crossed
                if event is not None and event.party == account.party:
                    confidence += 0.05
                confidence = min(0.85, max(0.3, confidence))
                self.records[position] = self._record(
                    info, account.party, CONTINUATION, confidence, account.span
                )
        self.pending.clear()

    # -- speakers --------------------------------------------------------------------------
    def _resolve(self, cue: _Cue) -> _Resolved:
        tokens = cue.tokens
        offset = cue.paragraph.start
        start = offset + tokens[0].idx
        end = offset + tokens[-1].idx + len(tokens[-1].text)
        party, person, factor = self._party_of(tokens, cue.head)
        return _Resolved(party, self.text[start:end], start, end, person, factor)

    def _party_of(self, tokens: Sequence[Token], head: Token) -> tuple[str | None, bool, float]:
        """(party, speaker is a person, confidence factor) of a speaker phrase."""
        registry = self.registry
        lowered = head.lower_
        if head.pos_ == "PRON" or lowered in _PERSON_PRONOUNS | _THING_PRONOUNS | _GROUP_PRONOUNS:
            return self._pronoun(lowered)
        doc = head.doc
        text = doc[tokens[0].i : tokens[-1].i + 1].text
        has_person = _names_person(tokens)
        found = registry.resolve(text)
        if found is not None:
            return found, has_person, 1.0
        if lowered in _ROLE_WORDS:
            # "Its coordinator in Tessin, Ana Brisk": the role says whom the person speaks for.
            by_role = self._party_of_role(tokens)
            if by_role is not None:
                self._learn_person(tokens, by_role)
                return by_role, True, 0.9
        described = _appositive(head) if head.pos_ == "PROPN" else []
        for phrase in (tokens, described) if described else (tokens,):
            for part in _named_parts(phrase):
                found = registry.resolve(part)
                if found is not None:
                    self._learn_person(tokens, found)
                    return found, has_person or bool(described), 1.0
            by_role = self._party_of_role(phrase)
            if by_role is not None:
                self._learn_person(tokens, by_role)
                return by_role, True, 0.9
            for part in _named_parts(phrase, places=True):
                found = registry.resolve(part)
                if found is not None:
                    return found, has_person, 0.9
        proper = [t for t in tokens if _is_name(t)]
        if head.pos_ == "PROPN" and all(t.i == head.i or t.dep_ == "det" for t in tokens):
            single = self._single_name(head.text)
            if single is not None:
                return single
        if any(t.lower_ in _ORGANISATION_ROLES for t in tokens) or _is_comms_role(tokens):
            found = self._last_party(prefer_organisation=True)
            if found is not None:
                self._learn_person(tokens, found)
                return found, True, 0.85
        key = party_key(text)
        if key in _GENERIC_MILITARY:
            found = self.article.military or next(
                (s.party for s in self.recent if registry.military_country(s.party)), None
            )
            if found is not None:
                return found, False, 0.9
        if lowered in _STATEMENT_NOUNS:
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None:
                return self._party_of(_speaker_tokens(owner), owner)
            found = self._last_party(prefer_organisation=True)
            return found, False, 0.85
        generic = _generic_word(head)
        if generic is not None and not proper:
            kinds = load_generic_kinds().get(generic, ())
            found = self._word_match([generic]) or next(
                (m for w in kinds if (m := self._word_match([w]))), None
            )
            if found is None:
                found = self._named_organisation((generic, *kinds))
            modified = any(t.i != head.i and t.dep_ not in ("det", "poss") for t in tokens)
            definite = any(t.dep_ in ("det", "poss") for t in tokens)
            if found is None and definite and not modified and generic not in _STATE_BODIES:
                # "the charity said": the organisation last heard, or last named.
                found = self._last_compatible(generic) or self._last_named_party(head)
            if found is not None:
                return found, generic in _SPOKES_ROLES, 0.9
            if generic in GENERIC_BODIES:
                # "Police said", "the health ministry reported": a body named by its kind only.
                return registry.add_party(clean_name(text)), False, 0.6
        if lowered in _UNNAMED_SOURCES:
            named = [
                e
                for e in doc.ents
                if e.label_ in ("ORG", "PERSON") and tokens[0].i <= e.start < tokens[-1].i + 1
            ]
            if not named:
                return None, has_person, 1.0
            source_name = organisation_name(named[0], self.article.countries)
            return registry.add_party(source_name), False, 0.85
        if proper:
            name = _entity_name(tokens, "PERSON") or _entity_name(tokens, "ORG")
            canonical = registry.add_party(name or clean_name(text))
            return canonical, has_person, 0.9
        return None, has_person, 1.0

    def _single_name(self, word: str) -> tuple[str | None, bool, float] | None:
        """A one-word name: the first word of an organisation ("Zentrix"), or the surname of a
        person the article names in full ("Marrik" -> "Jon Marrik")."""
        registry = self.registry
        candidates = list(self.article.parties) + [s.party for s in self.recent]
        found = registry.first_word_party(word, candidates)
        if found is not None:
            registry.learn_alias(found, word)
            return found, False, 0.95
        full = [p for p in self.article.persons if p.split()[-1] == word]
        if len(full) == 1:
            found = registry.resolve(full[0]) or registry.add_party(full[0])
            return found, True, 0.9
        return None

    def _word_match(self, words: Sequence[str]) -> str | None:
        """The most recent source, else a party the article names, whose name has all `words`
        ("the directorate", "Health ministry spokesman" -> "Ministry of Health")."""
        wanted = [w for w in words if w]
        if not wanted:
            return None
        candidates = [s.party for s in self.recent[:8]] + list(self.article.parties)
        for party in candidates:
            for alias in self.registry.aliases_of(party):
                alias_words = set(party_key(alias).split())
                if all(w in alias_words or w.rstrip("s") in alias_words for w in wanted):
                    return party
        return None

    def _party_of_role(self, tokens: Sequence[Token]) -> str | None:
        """The body a role's modifier names: "Ukrainian army spokesman" -> that military,
        "party leader" -> the party last heard, "its chairperson" -> what "it" is, "Health
        ministry spokesman" -> the Ministry of Health. A minister's portfolio ("Fisheries
        Minister") names a ministry only when the article has one."""
        for role in tokens:
            if role.lower_ not in _ROLE_WORDS:
                continue
            modifiers = [
                c
                for c in role.lefts
                if c.dep_ in ("compound", "nmod", "amod", "poss")
                and c.lower_ not in _ROLE_WORDS
                and c.pos_ != "ADJ"
            ]
            owner = next((c for c in role.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            if not modifiers and owner is not None:
                modifiers = [c for c in owner.children if c.dep_ == "pobj"]
            if not modifiers:
                continue
            first = modifiers[0]
            if len(modifiers) == 1 and first.lower_ in _POSSESSIVE_PRONOUNS:
                return self._pronoun(_POSSESSIVE_PRONOUNS[first.lower_])[0]
            doc = role.doc
            low = min(c.left_edge.i for c in modifiers)
            high = max(c.i for c in modifiers) + 1
            phrase = doc[low:high]
            found = self.registry.resolve(phrase.text)
            if found is not None:
                return found
            generic = party_key(phrase.text)
            if generic in _GENERIC_SOURCES:  # "party secretary", "union leader"
                return self._word_match([generic]) or self._last_party(prefer_organisation=True)
            content = [t.lower_ for t in phrase if t.is_alpha and not t.is_stop]
            if role.lower_ in _GOVERNMENT_TITLES:
                return self._word_match(content) if content else None
            for token in phrase:
                military = military_phrase(token, self.article.countries, allow_modifier=True)
                if military is not None:
                    return self.registry.learn_military(military[1], military[0])
            found = self._word_match(content)
            if found is not None:
                return found
            if any(t.pos_ == "PROPN" and t.ent_type_ not in ("GPE", "NORP", "LOC") for t in phrase):
                return self.registry.add_party(clean_name(phrase.text))
        return None

    def _pronoun(self, lowered: str) -> tuple[str | None, bool, float]:
        recent = self.recent
        if lowered in _PERSON_PRONOUNS:
            for source in recent:
                if source.person:
                    return source.party, True, 0.9
            if recent:
                return recent[0].party, True, 0.8
            return self._named_fallback(self.last_person or self.last_named), True, 0.7
        if lowered in _THING_PRONOUNS:
            for source in recent:
                if not source.individual:
                    return source.party, False, 0.9
        if recent:
            return recent[0].party, False, 0.85
        if lowered in _THING_PRONOUNS | _GROUP_PRONOUNS:
            return self._named_fallback(self.last_named), False, 0.7
        return None, False, 1.0

    def _named_fallback(self, name: str | None) -> str | None:
        if name is None:
            return None
        return self.registry.resolve(name) or self.registry.add_party(name)

    def _last_named_party(self, head: Token) -> str | None:
        """The organisation named last before a speaker phrase: earlier in its sentence ("The
        XPSA has opened an investigation ..., the regulator said"), else in an earlier one."""
        sentence = head.sent
        for ent in reversed([e for e in sentence.ents if e.end <= head.i and e.label_ == "ORG"]):
            found = self.registry.resolve(ent.text)
            if found is not None:
                return found
        return self.registry.resolve(self.last_named) if self.last_named else None

    def _named_organisation(self, words: Sequence[str]) -> str | None:
        """The organisation named last (speaking or not) whose name holds one of `words`
        ("Provisional results from the X Electoral Board ... The board said")."""
        wanted = set(words)
        for name in reversed(self.organisations):
            if wanted & set(party_key(name).split()):
                return self.registry.resolve(name) or self.registry.add_party(name)
        return None

    def _last_compatible(self, generic: str) -> str | None:
        """The organisation last heard whose name does not say it is of another kind ("the
        company" is not the union whose name holds "union")."""
        kinds = set(load_generic_kinds().get(generic, ())) | {generic}
        kind_words = GENERIC_BODIES | _ANAPHORIC_BODIES
        for source in self.recent:
            if source.individual or source.commentator:
                continue
            named_kinds = set(party_key(source.party).split()) & kind_words
            if not named_kinds or named_kinds & kinds:
                return source.party
        return self._last_party(prefer_organisation=True)

    def _last_party(self, prefer_organisation: bool) -> str | None:
        """The source last heard; with `prefer_organisation`, the last organisation that spoke
        for itself (not through a named person, not through commentators)."""
        if prefer_organisation:
            for source in self.recent:
                if not source.individual and not source.commentator:
                    return source.party
            for source in self.recent:  # the tagger may have read an organisation as a person
                if not source.commentator:
                    return source.party
        return self.recent[0].party if self.recent else None

    def _learn_person(self, tokens: Sequence[Token], party: str) -> None:
        """A named spokesperson becomes an alias of the party they speak for."""
        name = _entity_name(tokens, "PERSON") or _person_run(tokens)
        if name and party_key(name) != party_key(party):
            self.registry.learn_alias(party, name)

    def _remember_names(self, info: _Info) -> None:
        if info.span is None:
            return
        for ent in info.ents:
            if ent.label_ == "PERSON":
                self.last_person = clean_name(ent.text)
            elif ent.label_ == "ORG":
                name = clean_name(ent.text)
                if name and name not in self.organisations[-3:]:
                    self.organisations.append(name)
                if self.registry.resolve(ent.text):
                    self.last_named = name

    # -- records ---------------------------------------------------------------------------
    def _record(
        self,
        info: _Info,
        party: str,
        cue: str,
        confidence: float,
        resolved: _Resolved | None = None,
        cue_text: str | None = None,
    ) -> SentenceAttribution:
        sentence = info.sentence
        return SentenceAttribution(
            sentence_index=sentence.index,
            start=sentence.start,
            end=sentence.end,
            text=sentence.text,
            paragraph=sentence.paragraph,
            speaker=resolved.speaker if resolved else None,
            speaker_start=resolved.start if resolved else None,
            speaker_end=resolved.end if resolved else None,
            party=party,
            cue=cue,
            cue_text=cue_text,
            confidence=round(min(1.0, max(0.0, confidence)), 3),
            quotes=(),
        )

    def _with_quotes(self, record: SentenceAttribution, info: _Info) -> SentenceAttribution:
        """Direct quotations are listed once, on the sentence where they open."""
        quotes: list[Quote] = []
        for quote_id in info.quote_ids:
            region = self.quotes[quote_id]
            if not region.direct or region.start < record.start:
                continue
            default_party = record.party if record.party != NARRATOR else None
            speaker, party = self.quote_speakers.get(quote_id, (None, default_party))
            quotes.append(
                Quote(
                    region.start, region.end, self.text[region.start : region.end], speaker, party
                )
            )
        if not quotes:
            return record
        return SentenceAttribution(
            record.sentence_index,
            record.start,
            record.end,
            record.text,
            record.paragraph,
            record.speaker,
            record.speaker_start,
            record.speaker_end,
            record.party,
            record.cue,
            record.cue_text,
            record.confidence,
            tuple(quotes),
        )


def _named_parts(tokens: Sequence[Token], places: bool = False) -> list[str]:
    """Names inside a speaker phrase: organisations, acronyms, runs of proper nouns (roles left
    out: "XPSA director general Rona Vell" -> "XPSA", "Rona Vell"), people; with
    `places`, only the place and nationality names ("Eastholm's mayor")."""
    doc = tokens[0].doc
    low, high = tokens[0].i, tokens[-1].i + 1
    ents = [e for e in doc.ents if e.start >= low and e.end <= high]
    if places:
        return [e.text for e in ents if e.label_ in _PLACE_LABELS]
    in_place = {t.i for e in ents if e.label_ in _PLACE_LABELS for t in e}
    parts = [e.text for e in ents if e.label_ in ("ORG", "PERSON")]
    parts += [t.text for t in tokens if is_acronym(t.text)]
    run: list[str] = []
    for token in [*tokens, None]:
        if (
            token is not None
            and token.pos_ == "PROPN"
            and token.lower_ not in _ROLE_WORDS
            and token.i not in in_place
        ):
            run.append(token.text)
            continue
        if run:
            parts.append(" ".join(run))
            run = []
    unique: list[str] = []
    for part in parts:
        if part not in unique:
            unique.append(part)
    return unique


def _names_person(tokens: Sequence[Token]) -> bool:
    """A person speaks: a role ("spokesperson", "director general") or a full personal name. A
    one-word PERSON entity is too often an organisation misread ("Zentrix said")."""
    if any(t.lower_ in _ROLE_WORDS for t in tokens):
        return True
    doc = tokens[0].doc
    low, high = tokens[0].i, tokens[-1].i + 1
    return any(
        e.label_ == "PERSON" and len(e) >= 2 and e.start >= low and e.end <= high for e in doc.ents
    )


def _entity_name(tokens: Sequence[Token], label: str) -> str | None:
    doc = tokens[0].doc
    low, high = tokens[0].i, tokens[-1].i + 1
    for ent in doc.ents:
        if ent.label_ == label and ent.start >= low and ent.end <= high:
            name = clean_name(ent.text)
            words = [w for w in name.split() if w.lower() not in _ROLE_WORDS]
            return " ".join(words) or None
    return None


def _person_run(tokens: Sequence[Token]) -> str | None:
    """The last run of two or more capitalised non-role words ("Spokesperson Lina Fosk")."""
    runs: list[list[str]] = [[]]
    for token in tokens:
        if token.pos_ == "PROPN" and token.lower_ not in _ROLE_WORDS and not is_acronym(token.text):
            runs[-1].append(token.text)
        elif runs[-1]:
            runs.append([])
    named = [r for r in runs if len(r) >= 2]
    return " ".join(named[-1]) if named else None


def _is_name(token: Token) -> bool:
    """A proper noun or acronym, not a common noun capitalised only because it opens the
    sentence or follows a dateline ("BAMAKO (AFP) - Jihadists linked to ... said")."""
    if is_acronym(token.text):
        return True
    if token.pos_ != "PROPN":
        return False
    if token.ent_type_:
        return True
    previous = token.doc[token.i - 1].text if token.i > 0 else ""
    return not (token.is_sent_start or previous in ("-", "—", "–", ":", '"', "“"))


def _generic_word(head: Token) -> str | None:
    """The kind of body a common-noun subject names ("the union", "the carmaker"), if any."""
    lowered = head.lower_
    if head.pos_ == "PROPN" and not head.is_sent_start:
        return None
    if lowered in _GENERIC_SOURCES or lowered in _ANAPHORIC_BODIES:
        return lowered
    if lowered in load_generic_kinds():
        return lowered
    if lowered.endswith("maker") and len(lowered) > 7:
        return lowered
    return None


def _is_comms_role(tokens: Sequence[Token]) -> bool:
    """A communications officer ("head of communications", "press secretary") speaks for an
    organisation, not for self."""
    lowered = [t.lower_ for t in tokens]
    for i, word in enumerate(lowered):
        if word in _COMMS_ROLE_HEADS and (
            (i + 2 < len(lowered) and lowered[i + 1] == "of" and lowered[i + 2] in _COMMS_WORDS)
            or (i > 0 and lowered[i - 1] in _COMMS_WORDS)
        ):
            return True
    return False


_DESCRIPTION_DROP = frozenset({"one", "two", "three", "several", "some", "many", "other", "more"})


def _description_party(tokens: Sequence[Token], head: Token) -> str | None:
    """The party of a source the text only describes: its head noun phrase without
    determiners, numbers, relative clauses ("two officials familiar with ..." -> "officials",
    "The organisers" -> "organisers"); None for a phrase with no noun."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    words = [
        t.text
        for t in tokens
        if t.i <= head.i
        and t.dep_ not in ("det", "nummod", "predet", "poss", "case", "punct")
        and t.lower_ not in _DESCRIPTION_DROP
        and not t.like_num
    ]
    name = clean_name(" ".join(words))
    return name or None
