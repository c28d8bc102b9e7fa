"""Speaker phrases: the tokens that name a source, the names inside them, and what kind of source
a common noun names ("the union", "officials", "a spokeswoman")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.claims.parties import clean_name, is_acronym
from assistant.claims.words import (
    ANAPHORIC_BODIES,
    ANSWER_WORDS,
    COMMS_ROLE_HEADS,
    COMMS_WORDS,
    DESCRIPTION_DROP,
    GENERIC_BODIES,
    GENERIC_SOURCES,
    NAMING_PARTICIPLES,
    PROPORTION_LABEL,
    PROPORTION_WORDS,
    ROLE_WORDS,
    load_generic_kinds,
)
from ingest.sentences import doc_ents

if TYPE_CHECKING:
    from spacy.tokens import Token

PLACE_LABELS = ("NORP", "GPE", "FAC", "LOC")


def one_name(head: Token) -> bool:
    """ "X Fire and Rescue Service": a capitalised conjunction whose last part ends in the kind
    of body and whose first part does not is one organisation's name, not two speakers
    ("X and Y said" stays two)."""
    conj = next((c for c in head.children if c.dep_ == "conj" and c.i > head.i), None)
    cc = next((c for c in head.children if c.dep_ == "cc" and c.i > head.i), None)
    if conj is None or cc is None or cc.lower_ not in ("and", "&") or head.pos_ != "PROPN":
        return False
    if conj.lower_ not in GENERIC_BODIES or head.lower_ in GENERIC_BODIES:
        return False
    span = head.doc[head.left_edge.i : conj.i + 1]
    return cc.i == head.i + 1 and all(
        t.i == cc.i or (t.pos_ == "PROPN" and t.text[:1].isupper()) or t.dep_ == "det" for t in span
    )


def speaker_tokens(head: Token) -> list[Token]:
    """The speaker phrase: the subject's subtree without relative clauses or a description after
    a comma ("Zeb Quarnow, a detective who ..." -> "Zeb Quarnow"), kept contiguous."""
    if head.pos_ == "PRON":
        return [head]
    doc = head.doc
    excluded: set[int] = set()
    for token in head.subtree:
        if token.i > head.i and token.dep_ in ("relcl", "acl", "advcl"):
            if (
                token.dep_ == "acl"
                and token.head.i == head.i
                and token.lower_ in NAMING_PARTICIPLES
            ):
                continue  # "a group calling itself X": the name belongs to the phrase
            excluded.update(t.i for t in token.subtree)
    titles = _two_titles(head)
    for child in head.children:
        drop = (
            child.dep_ in ("cc", "conj") and child.i > head.i and not titles and not one_name(head)
        )
        if child.dep_ in ("appos", "prep") and child.i > head.i:
            drop = after_comma(child) and (
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
    if start > 0 and is_side_word(doc[start - 1]) and doc[start - 1].dep_ == "intj":
        start -= 1  # "Yes campaign says": the parser reads the side's name as an interjection
    # A role written before a misparsed name: "head of communications Jon Marrik".
    i = start - 1
    if (
        i >= 2
        and doc[i].lower_ in COMMS_WORDS
        and doc[i - 1].lower_ == "of"
        and (doc[i - 2].lower_ in ROLE_WORDS)
    ):
        start = i - 2
    elif i >= 0 and doc[i].lower_ in ROLE_WORDS and doc[i].pos_ in ("NOUN", "PROPN"):
        start = i
    return [doc[j] for j in range(start, end + 1)]


def _two_titles(head: Token) -> bool:
    """ "party leader and former mayor Jan Ferren": a bare singular title joined to a
    titled name is one person under two descriptions, not two speakers."""
    if head.tag_ != "NN" or any(c.dep_ in ("det", "poss") for c in head.children):
        return False
    conj = next((c for c in head.children if c.dep_ == "conj" and c.i > head.i), None)
    if conj is None or any(c.dep_ == "conj" for c in conj.children):
        return False
    if conj.pos_ == "PROPN":  # "... and former mayor Jan Ferren" read as one name phrase
        return any(t.pos_ == "NOUN" for t in conj.lefts)
    # "... and former mayor" + the name read as an apposition of the first title
    doc = head.doc
    after = doc[conj.i + 1] if conj.i + 1 < len(doc) else None
    return (
        conj.pos_ == "NOUN"
        and after is not None
        and after.pos_ == "PROPN"
        and after.head.dep_ == "appos"
        and after.head.head.i == head.i
    )


def is_side_word(token: Token) -> bool:
    """A capitalised answer word naming a referendum side ("Yes", "No" in "the No campaign")."""
    return token.lower_ in ANSWER_WORDS and token.text[:1].isupper()


def after_comma(token: Token) -> bool:
    """The token's phrase opens after a comma (a description set off from a name)."""
    edge = token.left_edge.i
    return edge > 0 and token.doc[edge - 1].text == ","


def appositive(head: Token) -> list[Token]:
    """The description after a name ("Jon Marrik, Quorra's head of communications, said"):
    left out of the speaker span, but it says whom the person speaks for."""
    for child in head.children:
        if child.dep_ == "appos" and child.i > head.i and after_comma(child):
            return [t for t in child.subtree if t.dep_ not in ("relcl", "acl")]
    return []


def named_parts(tokens: Sequence[Token], places: bool = False) -> list[str]:
    """Names inside a speaker phrase: organisations, acronyms, runs of proper nouns (roles left
    out: "XPSA director general Rona Vell" -> "XPSA", "Rona Vell"), people; with
    `places`, only the place and nationality names ("Eastholm's mayor")."""
    doc = tokens[0].doc
    low, high = tokens[0].i, tokens[-1].i + 1
    ents = [e for e in doc_ents(doc) if e.start >= low and e.end <= high]
    if places:
        return [e.text for e in ents if e.label_ in PLACE_LABELS]
    in_place = {t.i for e in ents if e.label_ in PLACE_LABELS for t in e}
    parts = [e.text for e in ents if e.label_ in ("ORG", "PERSON")]
    parts += [t.text for t in tokens if is_acronym(t.text)]
    run: list[str] = []
    for token in [*tokens, None]:
        if (
            token is not None
            and token.pos_ == "PROPN"
            and token.lower_ not in ROLE_WORDS
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


def names_person(tokens: Sequence[Token]) -> bool:
    """A person speaks: a role ("spokesperson", "director general") or a full personal name. A
    one-word PERSON entity is too often an organisation misread ("Zentrix said")."""
    if any(t.lower_ in ROLE_WORDS for t in tokens):
        return True
    doc = tokens[0].doc
    low, high = tokens[0].i, tokens[-1].i + 1
    return any(
        e.label_ == "PERSON" and len(e) >= 2 and e.start >= low and e.end <= high
        for e in doc_ents(doc)
    )


def entity_name(tokens: Sequence[Token], label: str) -> str | None:
    doc = tokens[0].doc
    low, high = tokens[0].i, tokens[-1].i + 1
    for ent in doc_ents(doc):
        if ent.label_ == label and ent.start >= low and ent.end <= high:
            name = clean_name(ent.text)
            words = [w for w in name.split() if w.lower() not in ROLE_WORDS]
            return " ".join(words) or None
    return None


def person_run(tokens: Sequence[Token]) -> str | None:
    """The last run of two or more capitalised non-role words ("Spokesperson Lina Fosk")."""
    runs: list[list[str]] = [[]]
    for token in tokens:
        if token.pos_ == "PROPN" and token.lower_ not in ROLE_WORDS and not is_acronym(token.text):
            runs[-1].append(token.text)
        elif runs[-1]:
            runs.append([])
    named = [r for r in runs if len(r) >= 2]
    return " ".join(named[-1]) if named else None


def is_name(token: Token) -> bool:
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


def generic_word(head: Token) -> str | None:
    """The kind of body a common-noun subject names ("the union", "the carmaker"), if any."""
    lowered = head.lower_
    if head.pos_ == "PROPN" and not head.is_sent_start:
        return None
    if lowered in GENERIC_SOURCES or lowered in ANAPHORIC_BODIES:
        return lowered
    if lowered in load_generic_kinds():
        return lowered
    if lowered.endswith("maker") and len(lowered) > 7:
        return lowered
    return None


def is_comms_role(tokens: Sequence[Token]) -> bool:
    """A communications officer ("head of communications", "press secretary") speaks for an
    organisation, not for self."""
    lowered = [t.lower_ for t in tokens]
    for i, word in enumerate(lowered):
        if word in COMMS_ROLE_HEADS and (
            (i + 2 < len(lowered) and lowered[i + 1] == "of" and lowered[i + 2] in COMMS_WORDS)
            or (i > 0 and lowered[i - 1] in COMMS_WORDS)
        ):
            return True
    return False


def description_party(tokens: Sequence[Token], head: Token) -> str | None:
    """The party of a source the text only describes: its head noun phrase without
    determiners, numbers, relative clauses ("two officials familiar with ..." -> "officials",
    "The organisers" -> "organisers"); None for a phrase with no noun."""
    if head.lower_ in DESCRIPTION_DROP:  # "One of the officials" -> "officials"
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        target = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if target is not None:
            return description_party(list(target.subtree), target)
    if _is_proportion(head):
        group = _counted_group(tokens, head)
        if group is None:
            return PROPORTION_LABEL if _names_a_share(tokens, head) else None
        return description_party([t for t in tokens if group.left_edge.i <= t.i <= group.i], group)
    if head.pos_ not in ("NOUN", "PROPN"):
        return None
    words = [
        t.text
        for t in tokens
        if t.i <= head.i
        and t.dep_ not in ("det", "nummod", "predet", "poss", "case", "punct")
        and t.lower_ not in DESCRIPTION_DROP
        and not t.like_num
    ]
    name = clean_name(" ".join(words))
    of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    place = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
    if name and place is not None and place.pos_ == "PROPN":
        # "residents of X": the people of that place, not the place itself
        doc = head.doc
        name = f"{name} of {clean_name(doc[place.left_edge.i : place.i + 1].text)}"
    return name or None


def _is_proportion(head: Token) -> bool:
    return head.lower_ in PROPORTION_WORDS or head.pos_ == "NUM" or head.like_num


def _names_a_share(tokens: Sequence[Token], head: Token) -> bool:
    """ "most", "a third", "49%", "Nine in 10": a share of some group, not a count of people
    ("Two said ...")."""
    if head.lower_ in PROPORTION_WORDS:
        return True
    return any(
        t.lower_ in PROPORTION_WORDS or t.lower_ in ("in", "of") for t in tokens if t != head
    )


def _counted_group(tokens: Sequence[Token], head: Token) -> Token | None:
    """The group a share is of: the first noun after the share that heads its own phrase
    ("Nine in 10 Democratic registered voters" -> "voters", "a third of independents")."""
    inside = {t.i for t in tokens}
    for token in tokens:
        if token.i <= head.i or token.pos_ not in ("NOUN", "PROPN"):
            continue
        if token.like_num or token.lower_ in PROPORTION_WORDS:
            continue
        above = token.head
        if above.i > token.i and above.i in inside and above.pos_ in ("NOUN", "PROPN"):
            continue  # a modifier of a later noun ("Republican" in "Republican voters")
        return token
    return None
