"""The running account: continuation, narrator and interview turns over the analysed sentences.

One pass in text order. An explicit cue opens (or switches) the account; uncued sentences wait
until the next event shows whether they went on with it; reporter framing, background and a new
paragraph that does not go on with the source close it. Speaker phrases resolve to parties here
(pronouns and generic phrases to the last compatible source).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.claims.analysis import SentenceInfo, load_discourse_patterns
from assistant.claims.cues import POSSESSOR_LEVEL, Cue
from assistant.claims.parties import (
    CLIENT_ROLES,
    ArticleParties,
    PartyRegistry,
    clean_name,
    dateline_end,
    military_phrase,
    organisation_name,
    party_key,
)
from assistant.claims.quotes import QuoteRegion
from assistant.claims.records import (
    CONTINUATION,
    EXPLICIT,
    NO_CUE,
    Quote,
    SentenceAttribution,
)
from assistant.claims.speakers import (
    after_comma,
    appositive,
    description_party,
    entity_name,
    generic_word,
    is_comms_role,
    is_name,
    is_side_word,
    named_parts,
    names_person,
    one_name,
    person_run,
    speaker_tokens,
)
from assistant.claims.words import (
    ANAPHORIC_BODIES,
    COMMENTATORS,
    DESCRIPTION_DROP,
    EMPLOYER_PREPOSITIONS,
    EVIDENCE_NOUNS,
    FIRST_PERSON_PRONOUNS,
    FORMER_MARKERS,
    GENERIC_BODIES,
    GENERIC_MILITARY,
    GENERIC_SOURCES,
    GOVERNMENT_TITLES,
    GROUP_PRONOUNS,
    LEADERSHIP_VERBS,
    NAMING_PARTICIPLES,
    ORGANISATION_ROLES,
    OUTLET_NOUNS,
    PERSON_PRONOUNS,
    PERSONAL_TITLES,
    POSSESSIVE_PRONOUNS,
    PRONOUN_GENDERS,
    RANK_WORDS,
    ROLE_WORDS,
    SINGULAR_FIRST_PERSON,
    SPOKES_ROLES,
    STAFF_TITLES,
    STATE_BODIES,
    STATEMENT_NOUNS,
    THING_PRONOUNS,
    UNNAMED_SOURCES,
    WING_NOUNS,
    load_generic_kinds,
)
from assistant.types import NARRATOR
from ingest.sentences import doc_ents

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ingest.sentences import ParsedArticle, ParsedParagraph


@dataclass(slots=True)
class Source:
    party: str
    person: bool  # a person spoke (for "he"/"she")
    sentence_index: int
    paragraph: int
    commentator: bool = False  # "analysts at X": X's people, not X's voice
    individual: bool = False  # the party is a person, not an organisation (for "it", "the group")
    span: Resolved | None = None  # where the text names the source (continuations cite it)


@dataclass(slots=True)
class Resolved:
    party: str | None
    speaker: str
    start: int
    end: int
    person: bool
    factor: float


# --- the running account -------------------------------------------------------------------
_KIND_CONFIDENCE = {
    "verb": 0.95,
    "according": 0.92,
    "statement": 0.85,
    "figure": 0.85,
    "advcl": 0.65,
}
PLACE_LABELS = ("NORP", "GPE", "FAC", "LOC")


# an auxiliary or a negation keeps the verb reported ("would", "had", "did not"); an object or a
# clause makes the deed a position ("cut its rating", "backed the plan", "refused to")
_NOT_A_DEED = ("aux", "auxpass", "neg", "dobj", "ccomp", "xcomp", "dative")


def _may_name_person(source: Source) -> bool:
    """A source the tagger did not call a person whose name could still be one: two or three
    capitalised words, none of them a word for a body ("Ana Brisk", not "Tessin City Council")."""
    if source.span is None:
        return False
    words = source.span.speaker.split()
    body_words = GENERIC_BODIES | ANAPHORIC_BODIES | STATE_BODIES | GENERIC_SOURCES
    return 2 <= len(words) <= 3 and all(
        w[:1].isupper() and w.isalpha() and w.lower() not in body_words for w in words
    )


@dataclass(frozen=True, slots=True)
class _Event:
    """What ends a run of uncued sentences: a source (party None for an unnamed one) or None."""

    party: str | None
    paragraph: int


class Ledger:
    """Applies the running account to the analysed sentences, in one pass."""

    def __init__(
        self,
        parsed: ParsedArticle,
        registry: PartyRegistry,
        article_parties: ArticleParties,
        quotes: list[QuoteRegion],
        title: str = "",
    ) -> None:
        self.text = parsed.text
        self.title = title
        self.registry = registry
        self.article = article_parties
        self.quotes = quotes
        self.quote_speakers: dict[int, tuple[str | None, str | None]] = {}
        self.listed_quotes: set[int] = set()
        self.recent: list[Source] = []  # most recent first
        self.now = 0  # index of the sentence being attributed
        self.now_paragraph = 0
        self.account: Source | None = None
        # the last quoted source: its speaker span, party, paragraph and cue sentence
        self.last_quote: tuple[Resolved | None, str, int, int] | None = None
        self.last_person: str | None = None
        self.last_named: str | None = None
        self.organisations: list[str] = []  # ORG names in the order the text names them
        self.described_kinds: dict[str, str] = {}  # "retailer" -> the name it described last
        self.genders: dict[str, str] = {}  # party -> 'm' / 'f', from the pronouns taken for it
        self.introduced_interviewee: Source | None = None  # 'The Clarion spoke to X'
        self.interviewee: Source | None = None
        self.pending: list[tuple[int, SentenceInfo]] = []
        self.records: list[SentenceAttribution | None] = []
        self.infos: list[SentenceInfo] = []
        self.current = -1  # the index of the sentence being attributed
        # a person the previous sentence is about without quoting ("X stood by the account."):
        # what a "she said" right after it points to
        self.subject_person: tuple[int, Token] | None = None
        self.topic: set[str] = set()  # content words of the running account
        self.previous_paragraph = -1
        self.introduced_paragraph = -1  # the paragraph a cue ending in a colon introduces
        # An opinion column: the columnist owns the uncued sentences; the editor's note is not.
        self.columnist: Source | None = None
        self.note_paragraph = -1
        self.closing_note = -1  # a columnist note that ends the column
        self._find_columnist(parsed, title)

    def _find_columnist(self, parsed: ParsedArticle, title: str) -> None:
        """An opinion column names its writer in an editor's note near the top ("This is an
        opinion column. X is ...; the views expressed are her own"); a title label alone is not
        enough without a note that names a person."""
        patterns = load_discourse_patterns()
        labelled = bool(patterns["opinion_title"].match(title))
        paragraphs = list(parsed.paragraphs)
        # the note opens the column, or closes it ("X is an economist ... the views expressed
        # are her own" as its last paragraph)
        candidates = [*paragraphs[:3], *paragraphs[3:][-2:]]
        noted = [p for p in candidates if patterns["opinion_note"].search(p.doc.text)]
        # a paragraph with the note first; a labelled title alone looks in the opening ones
        for paragraph in noted + [p for p in paragraphs[:3] if labelled and p not in noted]:
            doc = paragraph.doc
            closing = paragraph.index > 1 and paragraph.index >= len(paragraphs) - 2
            if closing and paragraph not in noted:
                continue
            person: Span | None = next(
                (e for e in doc.ents if e.label_ == "PERSON" and len(e) >= 2), None
            )
            if person is None and paragraph in noted:
                # the tagger may read the name as an organisation, or miss it: "X is a ..."
                person = next(
                    (
                        e
                        for e in doc.ents
                        if e.label_ in ("PERSON", "ORG")
                        and len(e) >= 2
                        and e.root.dep_ == "nsubj"
                        and e.root.head.lower_ in ("is", "was")
                    ),
                    None,
                ) or _described_writer(doc)
            if person is None:
                continue
            name = clean_name(person.text)
            party = self.registry.resolve(name) or self.registry.add_party(name)
            start = paragraph.start + person.start_char
            end = paragraph.start + person.end_char
            span = Resolved(party, self.text[start:end], start, end, True, 1.0)
            self.columnist = Source(party, True, -1, paragraph.index, individual=True, span=span)
            if closing:
                self.closing_note = paragraph.index
            else:
                self.note_paragraph = paragraph.index
            return

    def _own_voice(self, info: SentenceInfo, confidence: float) -> SentenceAttribution:
        """An uncued sentence no source's account reaches: the reporter's, or in an opinion
        column the columnist's (outside the editor's note)."""
        columnist = self.columnist
        paragraph = info.sentence.paragraph
        if columnist is None or paragraph <= self.note_paragraph or paragraph == self.closing_note:
            return self._record(info, NARRATOR, NO_CUE, confidence)
        return self._record(info, columnist.party, CONTINUATION, confidence, columnist.span)

    def attribute(self, infos: list[SentenceInfo]) -> list[SentenceAttribution]:
        self.records = [None] * len(infos)
        self.infos = infos
        self._mark_unmarked_turns(infos)
        for position, info in enumerate(infos):
            self.current = info.sentence.index
            self._step(position, info)
            self._remember_names(info)
            self._remember_subject(info)
            self.previous_paragraph = info.sentence.paragraph
        self._flush(None)
        results: list[SentenceAttribution] = []
        for position, info in enumerate(infos):
            record = self.records[position]
            if record is None:  # not reachable: every sentence is recorded or flushed
                record = self._record(info, NARRATOR, NO_CUE, 0.1)
            results.append(self._with_quotes(record, info))
        return results

    def _mark_unmarked_turns(self, infos: list[SentenceInfo]) -> None:
        """An interview without "Q:"/"A:" markers: when the title or the introduction says it
        is an interview and at least two paragraphs are a question of their own (short, ending
        in "?"), each such paragraph is a question and the paragraphs after it its answer."""
        if any(info.turn is not None for info in infos):
            return
        paragraphs: dict[int, list[SentenceInfo]] = {}
        for info in infos:
            paragraphs.setdefault(info.sentence.paragraph, []).append(info)
        ordered = sorted(paragraphs)
        label = load_discourse_patterns()["interview_label"]
        intro = " ".join(i.sentence.text for p in ordered[:2] for i in paragraphs[p])
        if not (label.search(self.title) or label.search(intro)):
            return
        questions = {
            p
            for p in ordered
            if len(paragraphs[p]) <= 2
            and paragraphs[p][-1].sentence.text.rstrip().rstrip("\"”'’").endswith("?")
            and not paragraphs[p][0].quote_ids
        }
        if len(questions) < 2:
            return
        turn: str | None = None
        for p in ordered:
            if p in questions:
                turn = "question"
            elif turn is not None:
                turn = "answer"
            for info in paragraphs[p]:
                info.turn = turn

    # -- one sentence ----------------------------------------------------------------------
    def _step(self, position: int, info: SentenceInfo) -> None:
        self.now = info.sentence.index
        self.now_paragraph = info.sentence.paragraph
        if info.foreign or info.span is None:
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.1)
            return
        if info.boilerplate:
            self._close()
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.9)
            return
        cue = info.cue
        if self.interviewee is None and info.turn is None:
            self._note_interviewee(info)
        if info.turn is not None and self._interview(position, info):
            return
        if cue is None and not info.quote_ids:
            backward = self._backward_cue(info)
            if backward is not None:
                self._explicit(position, info, backward)
                self._claim_preceding(position, info)
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
        if info.introduces and not info.quote_ids and self.columnist is None:
            # An actor described in passing: background.
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.65)
            return
        if info.quote_only and info.quote_ids:
            self._floating_quote(position, info)
            return
        account = self.account
        if account is None:
            self.records[position] = self._own_voice(info, 0.7)
            return
        later_paragraph = info.sentence.paragraph != account.paragraph
        if info.sentence.paragraph == self.introduced_paragraph:
            # "X wrote:" and then the paragraph it introduces: X's, present tense or not.
            self.topic |= info.topic
            self.pending.append((position, info))
            return
        if info.present and not info.evidential and (later_paragraph or info.place_subject):
            self._close()
            self.records[position] = self._own_voice(info, 0.6)
            return
        if info.sentence.paragraph != self.previous_paragraph and not self._anchored(info):
            # A new paragraph that neither names the source nor goes on with what it said.
            self._close()
            self.records[position] = self._own_voice(info, 0.55)
            return
        if (
            self.columnist is not None
            and account.party != self.columnist.party
            and info.sentence.index - account.sentence_index > 1
        ):
            # A column quotes a source for a sentence or two, then argues again.
            self._close()
            self.records[position] = self._own_voice(info, 0.6)
            return
        if self._own_deed(info, account):
            # "X said ... . X flew home on Friday.": what the source did, told by the reporter
            self._close()
            self.records[position] = self._own_voice(info, 0.6)
            return
        if self._other_actor(info, account):
            # "X said ... . Y refused to ...": the sentence is about an actor of its own.
            self._close()
            self.records[position] = self._own_voice(info, 0.6)
            return
        self.topic |= info.topic
        self.pending.append((position, info))

    def _other_actor(self, info: SentenceInfo, account: Source) -> bool:
        """The sentence's subject, outside quotation marks, is an actor other than the running
        source: another named person or organisation, or a pronoun that cannot stand for the
        source ("he" for an organisation, "it" for a person, "I" outside quotation marks)."""
        if info.span is None or info.paragraph is None or info.evidential:
            return False  # "X is understood to ...": a hedge goes on with the report
        subject = next(
            (c for c in info.span.root.children if c.dep_ in ("nsubj", "nsubjpass")), None
        )
        if subject is None or self._quoted(info, subject):
            return False
        lowered = subject.lower_
        if subject.pos_ == "PRON":
            if lowered in PERSON_PRONOUNS:
                return not account.person and not _may_name_person(account)
            if lowered in FIRST_PERSON_PRONOUNS:
                return self.columnist is None
            return False
        if subject.pos_ != "PROPN" or subject.ent_type_ not in ("PERSON", "ORG", "NORP"):
            return False
        ent = next((e for e in info.ents if e.start <= subject.i < e.end), None)
        name = clean_name(ent.text if ent is not None else subject.text)
        if not name:
            return False
        found = self.registry.resolve(name)
        if found is not None:
            return found != account.party
        words = set(party_key(name).split())
        aliases = self.registry.aliases_of(account.party)
        return not any(words & set(party_key(alias).split()) for alias in aliases)

    def _own_deed(self, info: SentenceInfo, account: Source) -> bool:
        """The source itself, outside quotation marks, did something in the simple past ("She
        flew home on Friday."): a deed the reporter narrates, not more of what it said. A verb
        with an auxiliary, a negation or an object, and "was"/"had", stay reported."""
        if info.span is None or info.quote_ids or info.evidential:
            return False
        root = info.span.root
        if root.tag_ != "VBD" or root.pos_ != "VERB" or root.lemma_ in ("be", "have"):
            return False
        if any(c.dep_ in _NOT_A_DEED for c in root.children):
            return False
        subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subject is None:
            return False
        if subject.pos_ == "PRON":
            person = account.person or _may_name_person(account)
            return subject.lower_ in PERSON_PRONOUNS and person
        if subject.pos_ != "PROPN":
            return False
        ent = next((e for e in info.ents if e.start <= subject.i < e.end), None)
        name = clean_name(ent.text if ent is not None else subject.text)
        return bool(name) and self.registry.resolve(name) == account.party

    def _quoted(self, info: SentenceInfo, token: Token) -> bool:
        if not info.quote_ids or info.paragraph is None:
            return False
        at = info.paragraph.start + token.idx
        return any(self.quotes[q].start <= at < self.quotes[q].end for q in info.quote_ids)

    def _backward_cue(self, info: SentenceInfo) -> Cue | None:
        """ "So say people living nearby.", "That is how residents describe it.": a cue whose
        content is what the paragraph said before it."""
        if info.span is None or info.paragraph is None:
            return None
        if not load_discourse_patterns()["backward_attribution"].match(info.sentence.text):
            return None
        for verb in info.span:
            if verb.pos_ != "VERB":
                continue
            subject = next(
                (c for c in verb.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")),
                None,
            )
            if subject is not None:
                return Cue("verb", 0, verb.text, subject, speaker_tokens(subject), info.paragraph)
        return None

    def _claim_preceding(self, position: int, info: SentenceInfo) -> None:
        """The uncued sentences before a backward cue in its paragraph are its speaker's."""
        record = self.records[position]
        if record is None or record.party == NARRATOR or self.account is None:
            return
        paragraph = info.sentence.paragraph
        for earlier in range(position - 1, -1, -1):
            previous = self.records[earlier]
            if previous is None or previous.paragraph != paragraph or previous.cue == EXPLICIT:
                break
            self.records[earlier] = self._record(
                self.infos[earlier], record.party, CONTINUATION, 0.7, self.account.span
            )

    def _note_interviewee(self, info: SentenceInfo) -> None:
        """'The Clarion spoke to his lawyer, X, in Y', 'We interviewed X': the person an
        interview's answers come from, named before its first question."""
        sent = info.span
        if sent is None:
            return
        for token in sent:
            target = None
            if token.lower_ in ("spoke", "talked", "speaks", "talks") and token.pos_ == "VERB":
                prep = next(
                    (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("to", "with")),
                    None,
                )
                target = (
                    next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
                )
            elif token.lower_ in ("interviewed", "interviews") and token.pos_ == "VERB":
                target = next((c for c in token.children if c.dep_ == "dobj"), None)
            if target is None or target.pos_ not in ("NOUN", "PROPN"):
                continue
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            if subject is None or not _speaks_for_outlet(subject):
                continue  # "Its director, X, spoke to the Herald": X, found as the subject
            party, person, _ = self._party_of(speaker_tokens(target), target)
            if party is not None:
                self.introduced_interviewee = Source(party, person, info.sentence.index, 0)
                return

    def _interview(self, position: int, info: SentenceInfo) -> bool:
        """Interview turns: a question is the outlet's unless it reports a claim; an answer goes
        on with the interviewee, the source the text named before the first question."""
        if info.turn == "question":
            if self.interviewee is None:
                self.interviewee = (
                    self.introduced_interviewee
                    or self.account
                    or (self.recent[0] if self.recent else None)
                )
            if self.interviewee is None and self.subject_person is not None:
                # "X, the chief engineer of Y, spoke to the paper": X speaks for Y
                subject = self.subject_person[1]
                party, person, _ = self._party_of(speaker_tokens(subject), subject)
                if party is not None:
                    self.interviewee = Source(party, person, info.sentence.index, 0)
            if self.interviewee is None:
                # an introduction that names the interviewee without a cue
                named = self._named_fallback(self.last_named or self.last_person)
                if named is not None:
                    self.interviewee = Source(named, True, info.sentence.index, 0)
            if info.cue is not None and info.cue.level == 0:
                return False
            self._flush(None)
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.75)
            return True
        interviewee = self.interviewee
        if interviewee is None:
            return False
        # An answer is the interviewee's even when it reports what others say ("A: Residents
        # reported cracks"): they tell it to the interviewer.
        self._flush(_Event(interviewee.party, info.sentence.paragraph))
        self.records[position] = self._record(
            info, interviewee.party, CONTINUATION, 0.8, interviewee.span
        )
        self.account = interviewee
        return True

    def _anchored(self, info: SentenceInfo) -> bool:
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

    def _explicit(self, position: int, info: SentenceInfo, cue: Cue) -> None:
        resolved = self._resolve(cue)
        paragraph = info.sentence.paragraph
        described = False
        if (
            resolved.party is None
            and not cue.clausal
            and cue.head.pos_ == "NOUN"
            and cue.head.text.islower()
            and not any(t.pos_ == "PROPN" for t in cue.tokens)
            and cue.head.lower_ not in UNNAMED_SOURCES
            and self.account is not None
            and paragraph == self.previous_paragraph
        ):
            # "Three customers have reported reactions" inside a source's account: people the
            # account describes, with no clause of their own, are part of what the source says.
            self.topic |= info.topic
            self.pending.append((position, info))
            return
        if resolved.party is None and (
            cue.head.pos_ != "PRON" or cue.head.lower_ in DESCRIPTION_DROP
        ):
            # A source the text describes but does not name ("officials said", "the organisers
            # say"): the description is its party, with low confidence.
            label = description_party(cue.tokens, cue.head)
            if label is not None:
                # "a man who works nearby": a person, for a later "he"
                person = resolved.person or any(t.lower_ == "who" for t in cue.head.subtree)
                resolved = Resolved(
                    label, resolved.speaker, resolved.start, resolved.end, person, 0.55
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
            if cue.level < POSSESSOR_LEVEL:
                self.account = None
        else:
            self.records[position] = self._record(
                info, resolved.party, EXPLICIT, confidence, resolved, cue.cue_text
            )
            person_name = entity_name(cue.tokens, "PERSON")
            individual = resolved.party in self.article.persons or (
                person_name is not None and party_key(person_name) == party_key(resolved.party)
            )
            source = Source(
                resolved.party,
                resolved.person,
                info.sentence.index,
                paragraph,
                # a described source is never what a later "it" or "the group" points to
                described or cue.head.lower_ in COMMENTATORS,
                individual or described,
                resolved,
            )
            self.introduced_paragraph = (
                paragraph + 1 if info.sentence.text.rstrip().endswith(":") else -1
            )
            if cue.level < POSSESSOR_LEVEL:  # a possessor named in passing takes no account over
                if self.account is None or self.account.party != source.party:
                    self.topic = set()
                self.topic |= info.topic
                self.account = source
            self.recent.insert(0, source)
            del self.recent[12:]
            if info.quote_ids:
                self.last_quote = (resolved, resolved.party, paragraph, info.sentence.index)
        for quote_id in info.quote_ids:
            self.quote_speakers.setdefault(quote_id, (resolved.speaker, resolved.party))

    def _floating_quote(self, position: int, info: SentenceInfo) -> None:
        """A quotation with no cue of its own goes on with the last quoted source (within a
        paragraph), unless a source the text named after that quote is speaking now."""
        paragraph = info.sentence.paragraph
        span: Resolved | None = None
        party: str | None = None
        account = self.account
        last = self.last_quote
        if last is not None and paragraph - last[2] <= 1:
            span, party = last[0], last[1]
            if account is not None and account.sentence_index > last[3]:
                span, party = account.span, account.party
        elif account is not None:
            span, party = account.span, account.party
        if party is None:
            self.records[position] = self._record(info, NARRATOR, NO_CUE, 0.3)
            return
        self._flush(_Event(party, paragraph))
        self.records[position] = self._record(info, party, CONTINUATION, 0.75, span)
        speaker = span.speaker if span is not None else None
        for quote_id in info.quote_ids:
            self.quote_speakers.setdefault(quote_id, (speaker, party))
        person = account.person if account is not None and account.party == party else False
        if span is not None:
            person = person or span.person
        self.topic |= info.topic
        index = info.sentence.index
        self.account = Source(party, person, index, paragraph, span=span)
        self.last_quote = (span, party, paragraph, index)

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
                self.records[position] = self._own_voice(info, 0.6)
            else:
                distance = max(1, info.sentence.index - account.sentence_index)
                crossed = max(0, paragraph - account.paragraph)
                confidence = 0.8 * 0.92 ** (distance - 1) * 0.85**crossed
                if event is not None and event.party == account.party:
                    confidence += 0.05
                confidence = min(0.85, max(0.3, confidence))
                span = self._own_mention(info, account.party) or account.span
                self.records[position] = self._record(
                    info, account.party, CONTINUATION, confidence, span
                )
        self.pending.clear()

    def _own_mention(self, info: SentenceInfo, party: str) -> Resolved | None:
        """A continued sentence whose own subject names the account's party ("She had met him
        in 1999", "Vell has long backed the plan"): that mention is its speaker span, not the
        earlier one. Unquoted sentences only; the party is never changed here."""
        sent = info.span
        if sent is None or info.paragraph is None or info.quote_ids:
            return None
        root = sent.root
        subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ not in ("PRON", "PROPN", "NOUN"):
            return None
        start, end = _article_span(info.paragraph, speaker_tokens(subject))
        # looked up, never learned: a subject that names no known party adds none
        if subject.pos_ == "PRON":
            found, person, factor = self._pronoun(subject.lower_)
        else:
            found = self.registry.resolve(self.text[start:end])
            person, factor = found is not None and self.registry.is_person(found), 1.0
        if found != party:
            return None
        return Resolved(party, self.text[start:end], start, end, person, factor)

    # -- speakers --------------------------------------------------------------------------
    def _resolve(self, cue: Cue) -> Resolved:
        tokens = cue.tokens
        start, end = _article_span(cue.paragraph, cue.extent or tokens)
        party, person, factor = self._party_of(tokens, cue.head)
        return Resolved(party, self.text[start:end], start, end, person, factor)

    def _party_of(self, tokens: Sequence[Token], head: Token) -> tuple[str | None, bool, float]:
        """(party, speaker is a person, confidence factor) of a speaker phrase."""
        registry = self.registry
        lowered = head.lower_
        if head.pos_ == "PRON" or lowered in PERSON_PRONOUNS | THING_PRONOUNS | GROUP_PRONOUNS:
            return self._pronoun(lowered)
        doc = head.doc
        text = doc[tokens[0].i : tokens[-1].i + 1].text
        has_person = names_person(tokens)
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if (
            head.text.islower()
            and lowered in STATE_BODIES
            and owner is not None
            and (owner.pos_ == "PROPN" or owner.ent_type_ in ("GPE", "NORP"))
        ):
            # "X's health ministry": the country's body, not a party sharing its first word
            body = " ".join(t.text for t in doc[owner.i + 1 : head.i + 1] if t.dep_ != "case")
            country_body = f"{clean_name(owner.text)} {body}"
            found_body = registry.resolve(country_body) or registry.add_party(country_body)
            return found_body, False, 0.9
        found = registry.resolve(text)
        if found is not None:
            return found, has_person or registry.is_person(found), 1.0
        if one_name(head):  # "X Fire and Rescue Service": one body, whatever the tagger read
            return registry.add_party(clean_name(text)), False, 0.9
        sides = [t for t in tokens if t.i < head.i and is_side_word(t)]
        if sides and head.pos_ == "NOUN" and len(tokens) <= 4:
            # "Yes campaign says", "the No side said": a side named by its answer
            side = clean_name(doc[sides[0].i : head.i + 1].text)
            return registry.resolve(side) or registry.add_party(side), False, 0.9
        self_named = self._self_named(head)
        if self_named is not None:
            return self_named, False, 0.9
        employer = self._employer(head, tokens)
        if employer is not None:
            self._learn_person(tokens, employer)
            return employer, True, 0.9
        if lowered in ROLE_WORDS:
            # "Its coordinator in Tessin, Ana Brisk": the role says whom the person speaks for.
            by_role = self._party_of_role(tokens)
            if by_role is not None:
                self._learn_person(tokens, by_role)
                return by_role, True, 0.9
        described = appositive(head) if head.pos_ == "PROPN" else []
        # "residents of X", "people in X": a place that describes unnamed sources is not them
        phrases = () if lowered in UNNAMED_SOURCES and head.pos_ == "NOUN" else (tokens,)
        for phrase in (*phrases, described) if described else phrases:
            for part in named_parts(phrase):
                found = registry.resolve(part)
                if found is not None:
                    self._learn_person(tokens, found)
                    return found, has_person or bool(described), 1.0
            by_role = self._party_of_role(phrase)
            if by_role is not None:
                self._learn_person(tokens, by_role)
                return by_role, True, 0.9
            for part in named_parts(phrase, places=True):
                found = registry.resolve(part)
                if found is not None:
                    return found, has_person, 0.9
        # "the Tessin-based company": a hyphenated participle describes the body, names none
        descriptive = {
            t.i
            for c in head.children
            if c.dep_ == "amod" and any(g.text == "-" for g in c.children)
            for t in c.subtree
        }
        if descriptive:
            # "the Tessin-based maker of ferries": what it makes describes it too
            descriptive |= {
                t.i
                for c in head.children
                if c.dep_ == "prep"
                and c.lower_ == "of"
                and all(g.pos_ != "PROPN" for g in c.subtree)
                for t in c.subtree
            }
        proper = [t for t in tokens if is_name(t) and t.i not in descriptive]
        if head.pos_ == "PROPN" and all(t.i == head.i or t.dep_ == "det" for t in tokens):
            single = self._single_name(head.text)
            if single is not None:
                return single
        titles = [t.lower_ for t in tokens if t.lower_ in ROLE_WORDS]
        staff = bool(titles) and titles[-1] in STAFF_TITLES
        if any(t.lower_ in ORGANISATION_ROLES for t in tokens) or is_comms_role(tokens) or staff:
            # "Y stopped ..., says managing director X": the organisation the sentence names; a
            # staff title ("finance chief X") with none named keeps the person: the body last
            # heard is too often another one
            found = self._named_before(tokens[0])
            if found is None and not staff:
                found = self._last_party(prefer_organisation=True)
            if found is None and staff:
                found = self._organisation_just_heard()
            if found is not None:
                self._learn_person(tokens, found)
                return found, True, 0.85
        key = party_key(text)
        if key in GENERIC_MILITARY:
            found = self.article.military or next(
                (s.party for s in self.recent if registry.military_country(s.party)), None
            )
            if found is not None:
                return found, False, 0.9
        if lowered in EVIDENCE_NOUNS:
            # "X's own count shows ...": the evidence speaks for its owner
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None and owner.lower_ not in POSSESSIVE_PRONOUNS:
                return self._party_of(speaker_tokens(owner), owner)
        if lowered in STATEMENT_NOUNS:
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None:
                return self._party_of(speaker_tokens(owner), owner)
            if any(t.lower_ in SINGULAR_FIRST_PERSON for t in head.sent if t.i != head.i):
                # '"I have ...," the statement read': one person wrote it, the one last heard.
                person = next((s.party for s in self.recent if s.individual), None)
                if person is not None:
                    return person, True, 0.85
            found = self._last_party(prefer_organisation=True)
            return found, False, 0.85
        generic = generic_word(head)
        if generic is not None and not proper:
            kinds = load_generic_kinds().get(generic, ())
            found = self._word_match([generic]) or next(
                (m for w in kinds if (m := self._word_match([w])) and self._of_kind(m, generic)),
                None,
            )
            if found is None and generic in self.described_kinds:
                # "X, the country's largest retailer, ... The retailer said"
                kind_name = self.described_kinds[generic]
                found = registry.resolve(kind_name) or registry.add_party(kind_name)
            if found is None:
                found = self._named_organisation((generic, *kinds))
            modified = any(
                t.i != head.i and t.dep_ not in ("det", "poss") and t.i not in descriptive
                for t in tokens
            )
            definite = any(t.dep_ in ("det", "poss") for t in tokens)
            if found is None and definite and not modified and generic not in STATE_BODIES:
                # "the charity said": the organisation last heard, or last named.
                found = self._last_compatible(generic) or self._last_named_party(head)
            if found is not None:
                return found, generic in SPOKES_ROLES, 0.9
            if generic in GENERIC_BODIES:
                # "Police said", "the health ministry reported": a body named by its kind only.
                return registry.add_party(clean_name(text)), False, 0.6
        if lowered in UNNAMED_SOURCES:
            named = [
                e
                for e in doc_ents(doc)
                if e.label_ in ("ORG", "PERSON") and tokens[0].i <= e.start < tokens[-1].i + 1
            ]
            if not named:
                return None, has_person, 1.0
            source_name = organisation_name(named[0], self.article.countries)
            return registry.add_party(source_name), False, 0.85
        if proper:
            name = entity_name(tokens, "PERSON") or entity_name(tokens, "ORG")
            if name is None and has_person:  # untagged "Superintendent X Y": the name, no title
                name = person_run(tokens)
            canonical = registry.add_party(name or clean_name(text))
            return canonical, has_person, 0.9
        return None, has_person, 1.0

    def _self_named(self, head: Token) -> str | None:
        """ "A hacking group calling itself X", "a group known as X": the name it goes by."""
        if head.pos_ != "NOUN":
            return None
        for child in head.children:
            if child.dep_ != "acl" or child.lower_ not in NAMING_PARTICIPLES:
                continue
            for token in child.subtree:
                if token.pos_ == "PROPN" and token.dep_ in ("oprd", "pobj", "attr", "dobj"):
                    name = clean_name(token.doc[token.left_edge.i : token.i + 1].text)
                    if name:
                        self.described_kinds[head.lower_] = name  # "the group" later
                        return self.registry.resolve(name) or self.registry.add_party(name)
        return None

    def _employer(self, head: Token, tokens: Sequence[Token]) -> str | None:
        """The body a person is described as serving speaks through them: "X, the authority's
        operations director", "X, a surgeon at Y Hospital", "X, of the Y Institute", "X, who
        chairs the committee", "The commission's chair, X". A former role, or a description
        that sets the person apart ("who was not involved in the study"), speaks for nobody."""
        if head.pos_ == "NOUN" and head.lower_ in ROLE_WORDS:
            name = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
            if name is None:
                return None
            found = self._body_of_role(head, owner_only=True)
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if (
                found is None
                and owner is not None
                and owner.pos_ == "NOUN"
                and generic_word(owner) is None
                and owner.lower_ not in WING_NOUNS
            ):
                # "The valley's governor, X": the office of a place is the person's own
                person = clean_name(owner.doc[name.left_edge.i : name.i + 1].text)
                return self.registry.resolve(person) or self.registry.add_party(person)
            return found
        if head.pos_ != "PROPN" or not names_person(tokens):
            return None
        for child in head.children:
            if child.i < head.i or not after_comma(child):
                continue
            if any(t.dep_ == "neg" for t in child.subtree) or (
                child.dep_ == "appos"
                and any(c.i < child.i and c.lower_ in FORMER_MARKERS for c in child.children)
            ):
                # "..., who was not involved in ...", "..., a former director of ...": the
                # person's own voice
                own = entity_name(tokens, "PERSON") or person_run(tokens)
                if own is None:
                    return None
                return self.registry.resolve(own) or self.registry.add_party(own)
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                found = self._body_of_role(child)
            elif child.dep_ == "prep" and child.lower_ in EMPLOYER_PREPOSITIONS:
                found = self._body_of_prep(child)
            elif child.dep_ == "relcl" and child.lower_ in LEADERSHIP_VERBS:
                found = self._body_led(child)
            else:
                continue
            if found is not None:
                return found
        return None

    def _body_of_role(self, role: Token, owner_only: bool = False) -> str | None:
        """The body of a role noun: its possessive owner ("the ministry's chief epidemiologist"),
        else the object of "at"/"of"/"for" in its phrase ("head of research at X")."""
        if any(c.i < role.i and c.lower_ in FORMER_MARKERS for c in role.children):
            return None
        owner = next((c for c in role.children if c.dep_ == "poss"), None)
        if owner is not None:
            return self._body_named(owner)
        if owner_only:
            return None
        for token in role.subtree:
            if token.dep_ in ("conj", "relcl", "acl", "appos") and token.i != role.i:
                break  # the first description only: "the trial's lead ... and a nephrologist at"
            if token.dep_ == "prep" and token.i > role.i and token.lower_ in EMPLOYER_PREPOSITIONS:
                found = self._body_of_prep(token)
                if found is not None:
                    return found
        return None

    def _body_of_prep(self, prep: Token) -> str | None:
        target = next((c for c in prep.children if c.dep_ == "pobj"), None)
        return self._body_named(target) if target is not None else None

    def _body_led(self, verb: Token) -> str | None:
        """ "who leads the unit", "who speaks for the group", "who runs the party's campaign"."""
        for child in verb.children:
            if child.dep_ == "dobj":
                return self._body_named(child)
            if child.dep_ == "prep" and child.lower_ in ("for", "of"):
                return self._body_of_prep(child)
        return None

    def _body_named(self, token: Token) -> str | None:
        """The organisation a noun phrase names: a possessive owner first ("the agency's outbreak
        team" -> the agency), a pronoun ("its"), a name, or a generic word pointing back ("the
        union", "the unit"); never a person."""
        doc = token.doc
        owner = next(
            (
                c
                for c in token.children
                if c.i < token.i
                and (c.dep_ == "poss" or (c.pos_ == "NOUN" and doc[c.i + 1].lower_ in ("'s", "’s")))
            ),
            None,
        )
        if owner is not None:
            return self._body_named(owner)
        lowered = token.lower_
        if lowered in POSSESSIVE_PRONOUNS:
            if POSSESSIVE_PRONOUNS[lowered] not in THING_PRONOUNS | GROUP_PRONOUNS:
                return None
            found = self._pronoun(POSSESSIVE_PRONOUNS[lowered])[0]
            return found if found is not None and not self._is_person(found) else None
        low, high = token.left_edge.i, token.i + 1
        for ent in doc_ents(doc):
            if ent.label_ == "ORG" and low <= ent.start and ent.end <= token.right_edge.i + 1:
                name = organisation_name(ent, self.article.countries)
                found = self.registry.resolve(name) or self.registry.add_party(name)
                return None if self._is_person(found) else found
        names = [
            c
            for c in token.lefts
            if c.dep_ == "compound" and c.pos_ == "PROPN" and c.ent_type_ not in PLACE_LABELS
        ]
        if token.pos_ == "NOUN" and names:  # "the Our Water coalition"
            phrase = clean_name(doc[names[0].i : high].text)
            found = self.registry.resolve(phrase) or self.registry.add_party(phrase)
            return None if self._is_person(found) else found
        if token.pos_ == "PROPN":
            phrase = clean_name(doc[low:high].text)
            place = token.ent_type_ in PLACE_LABELS or self.registry.is_place(phrase)
            found = self.registry.resolve(phrase)
            if found is None and not place:
                # a place's name is no word of a body it hosts ("X's mayor" is not the "X
                # Citizens' List")
                found = self._word_match(party_key(phrase).split())
            if found is None and not place and token.ent_type_ != "PERSON":
                found = self.registry.add_party(phrase)
            return None if found is None or self._is_person(found) else found
        if token.pos_ != "NOUN" or not any(c.dep_ in ("det", "poss") for c in token.children):
            return None
        generic = generic_word(token)
        if generic is None and lowered not in WING_NOUNS:
            return None  # "the valley's governor": a place, not a body
        found = self._word_match([lowered])
        if found is None and generic is not None and generic in ANAPHORIC_BODIES:
            found = self._last_compatible(generic)
        return None if found is None or self._is_person(found) else found

    def _named_before(self, first: Token) -> str | None:
        """An organisation the speaker's sentence names before the speaker, as the subject of
        what is reported ("Y stopped ..., says its director X") or as the place of the role ("At
        Y Hospital, director X said"); not one that is only mentioned ("questions from Y")."""
        for ent in reversed([e for e in first.sent.ents if e.end < first.i]):
            root = ent.root
            placed = root.dep_ == "pobj" and root.head.lower_ in ("at", "in")
            if ent.label_ == "ORG" and (root.dep_ in ("nsubj", "nsubjpass") or placed):
                name = organisation_name(ent, self.article.countries)
                found = self.registry.resolve(name) or self.registry.add_party(name)
                if not self._is_person(found):
                    return found
        return None

    def _organisation_just_heard(self) -> str | None:
        """The organisation that spoke for itself in this sentence's paragraph, a sentence or two
        before: a staff title with no body named ("Its statement said ... Finance chief X said")
        is that organisation's officer; one heard earlier is too often another body."""
        if not self.recent:
            return None
        last = self.recent[0]
        if last.individual or last.commentator or self._is_person(last.party):
            return None
        if self.now - last.sentence_index > 2 or last.paragraph != self.now_paragraph:
            return None
        return last.party

    def _is_person(self, party: str) -> bool:
        return party in self.article.persons or any(
            s.individual and s.party == party for s in self.recent
        )

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
            if role.lower_ not in ROLE_WORDS:
                continue
            modifiers = [
                c
                for c in role.lefts
                if c.dep_ in ("compound", "nmod", "amod", "poss")
                and c.lower_ not in ROLE_WORDS
                and c.lower_ not in RANK_WORDS
                and c.pos_ != "ADJ"
            ]
            owner = next((c for c in role.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            if not modifiers and owner is not None:
                modifiers = [c for c in owner.children if c.dep_ == "pobj"]
            if not modifiers:
                continue
            first = modifiers[0]
            if len(modifiers) == 1 and first.lower_ in POSSESSIVE_PRONOUNS:
                pronoun = POSSESSIVE_PRONOUNS[first.lower_]
                client = role.lower_ in CLIENT_ROLES and pronoun in PERSON_PRONOUNS
                if client and self.last_person and not self._spoke_person():
                    # 'his lawyer' before any person has spoken: the person named last
                    return self._named_fallback(self.last_person)
                return self._pronoun(pronoun)[0]
            doc = role.doc
            low = min(c.left_edge.i for c in modifiers)
            high = max(c.i for c in modifiers) + 1
            phrase = doc[low:high]
            found = self.registry.resolve(phrase.text)
            if found is not None:
                return found
            named = self._organisation_in(role)
            if named is not None:  # "leader of the opposition X Party" -> X Party
                return named
            generic = party_key(phrase.text)
            if generic in GENERIC_SOURCES:  # "party secretary", "union leader"
                found = self._word_match([generic]) or self._named_organisation((generic,))
                if found is None and generic in STATE_BODIES:
                    # "Government spokeswoman X": the body itself, never the last speaker
                    return self.registry.add_party(clean_name(phrase.text))
                return found or self._last_party(prefer_organisation=True)
            content = [t.lower_ for t in phrase if t.is_alpha and not t.is_stop]
            if role.lower_ in GOVERNMENT_TITLES:
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

    def _organisation_in(self, role: Token) -> str | None:
        """An organisation named in a role's own phrase ("leader of the X Party")."""
        low, high = role.left_edge.i, role.right_edge.i + 1
        named = {t.i for c in role.children if c.dep_ == "appos" for t in c.subtree}
        for ent in doc_ents(role.doc):
            if ent.start in named:  # "The board's chair, X": X is the person, whatever its tag
                continue
            if ent.label_ == "ORG" and low <= ent.start and ent.end <= high:
                name = organisation_name(ent, self.article.countries)
                return self.registry.resolve(name) or self.registry.add_party(name)
        return None

    def _remember_subject(self, info: SentenceInfo) -> None:
        self.subject_person = None
        if info.cue is not None or info.span is None:
            return
        subject = next(
            (c for c in info.span.root.children if c.dep_ in ("nsubj", "nsubjpass")), None
        )
        if subject is None:
            return
        if subject.pos_ == "NOUN" and subject.lower_ in ROLE_WORDS:
            name = next((c for c in subject.children if c.dep_ == "appos"), None)
            if name is None or name.ent_type_ != "PERSON":
                return
        elif subject.pos_ != "PROPN" or subject.ent_type_ != "PERSON":
            return
        self.subject_person = (info.sentence.index, subject)

    def _pronoun(self, lowered: str) -> tuple[str | None, bool, float]:
        recent = self.recent
        mentioned = self.subject_person
        if (
            lowered in PERSON_PRONOUNS
            and mentioned is not None
            and mentioned[0] == self.current - 1
        ):
            subject = mentioned[1]
            party = self._party_of(speaker_tokens(subject), subject)[0]
            if party is not None:
                return party, True, 0.85
        if lowered in FIRST_PERSON_PRONOUNS and self.columnist is not None:
            return self.columnist.party, True, 0.9  # outside quotation marks: the columnist
        if lowered in PERSON_PRONOUNS:
            wanted = PRONOUN_GENDERS.get(lowered)
            for source in recent:
                if not (source.person or _TITLED.match(source.party)):
                    continue
                known = self._gender_of(source)
                if wanted and known and known != wanted:
                    continue  # 'his lawyer' after prosecutor Ms X and Mr Y: Mr Y's
                if wanted and not known:
                    self.genders[source.party] = wanted
                return source.party, True, 0.9
            if recent:
                return recent[0].party, True, 0.8
            return self._named_fallback(self.last_person or self.last_named), True, 0.7
        if lowered in THING_PRONOUNS:
            for source in recent:
                if not source.individual:
                    return source.party, False, 0.9
        if recent:
            return recent[0].party, False, 0.85
        if lowered in THING_PRONOUNS | GROUP_PRONOUNS:
            return self._named_fallback(self.last_named), False, 0.7
        return None, False, 1.0

    def _spoke_person(self) -> bool:
        """A person is among the sources heard so far."""
        return any(s.person or _TITLED.match(s.party) for s in self.recent)

    def _gender_of(self, source: Source) -> str | None:
        """'m' or 'f' from an honorific of the source's name ('Mr', 'Ms'), else from the
        pronoun it was last taken for ('she said' of it); None when the text never tells."""
        for name in (source.party, source.span.speaker if source.span else ""):
            match = _TITLED.match(name or "")
            if match and PERSONAL_TITLES[match.group(1).lower()]:
                return PERSONAL_TITLES[match.group(1).lower()]
        return self.genders.get(source.party)

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

    def _of_kind(self, party: str, generic: str) -> bool:
        """The party's name does not say it is a body of another kind ("the company" is not
        "X Energy Market Authority", whose name says "authority")."""
        kinds = set(load_generic_kinds().get(generic, ())) | {generic}
        named_kinds = set(party_key(party).split()) & (GENERIC_BODIES | ANAPHORIC_BODIES)
        return not named_kinds or bool(named_kinds & kinds)

    def _last_compatible(self, generic: str) -> str | None:
        """The organisation last heard whose name does not say it is of another kind ("the
        company" is not the union whose name holds "union")."""
        kinds = set(load_generic_kinds().get(generic, ())) | {generic}
        kind_words = GENERIC_BODIES | ANAPHORIC_BODIES
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
            return None  # a described source ("officials") is nobody's organisation
        return self.recent[0].party if self.recent else None

    def _learn_person(self, tokens: Sequence[Token], party: str) -> None:
        """A named spokesperson becomes an alias of the party they speak for."""
        name = entity_name(tokens, "PERSON") or person_run(tokens)
        if name and party_key(name) != party_key(party):
            self.registry.learn_alias(party, name)

    def _remember_names(self, info: SentenceInfo) -> None:
        if info.span is None:
            return
        for ent in info.ents:
            if ent.label_ == "ORG" and ent.end_char > dateline_end(ent.doc):
                # "X, a discount retailer", "the cybersecurity firm X": what "the retailer" and
                # "the firm" will point back to (a dateline's city is no body: "CITY, 4 May -
                # X's governing coalition")
                root = ent.root
                kinds = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
                if root.dep_ == "appos" and root.head.pos_ == "NOUN":
                    kinds.append(root.head)
                for kind in kinds:
                    self.described_kinds[kind.lower_] = clean_name(ent.text)
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
        info: SentenceInfo,
        party: str,
        cue: str,
        confidence: float,
        resolved: Resolved | None = None,
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

    def _with_quotes(self, record: SentenceAttribution, info: SentenceInfo) -> SentenceAttribution:
        """Direct quotations are listed once, on the first sentence that holds them (where
        they open, or after an opening mark the splitter left on the sentence before)."""
        quotes: list[Quote] = []
        for quote_id in info.quote_ids:
            region = self.quotes[quote_id]
            if not region.direct or quote_id in self.listed_quotes:
                continue
            self.listed_quotes.add(quote_id)
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


def _described_writer(doc: Doc) -> Span | None:
    """'Ana Velm is an economist ...' in a column's note: the capitalised name (two or three
    words) that is the subject of 'is' or 'was', though the tagger named no one."""
    for sent in doc.sents:
        words = [t for t in sent if not t.is_punct]
        run = 0
        while (
            run < min(3, len(words))
            and words[run].text[:1].isupper()
            and words[run].pos_ == "PROPN"
        ):
            run += 1
        if 2 <= run < len(words) and words[run].lower_ in ("is", "was"):
            return doc[words[0].i : words[run - 1].i + 1]
    return None


def _speaks_for_outlet(subject: Token) -> bool:
    """The subject of 'spoke to X' is the outlet or its people: 'we', 'The Clarion' (a name no
    person bears), 'this paper', 'our reporter'; not the person interviewed ('X spoke to us')."""
    if subject.lower_ == "we":
        return True
    if subject.pos_ == "PROPN" and any(
        c.dep_ == "det" and c.lower_ == "the" for c in subject.children
    ):
        return True  # "The Clarion spoke to ...": a title, which no person's name takes
    if subject.ent_type_ == "PERSON" or subject.lower_ in ("he", "she", "they", "i"):
        return False
    if subject.pos_ == "PROPN":
        return not any(t.ent_type_ == "PERSON" for t in subject.subtree)
    return subject.lower_ in OUTLET_NOUNS


# Honorifics that tell a person's gender, and the pronouns that ask for one
_TITLED = re.compile(
    r"^\s*("
    + "|".join(sorted(map(re.escape, PERSONAL_TITLES), key=len, reverse=True))
    + r")\.?\s+[A-Z]",
    re.I,
)


def _article_span(paragraph: ParsedParagraph, tokens: Sequence[Token]) -> tuple[int, int]:
    """Article offsets of a contiguous run of a paragraph's tokens."""
    return paragraph.start + tokens[0].idx, paragraph.start + tokens[-1].idx + len(tokens[-1].text)
