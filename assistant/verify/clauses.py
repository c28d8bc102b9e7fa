"""Who does what to whom, and whether it is denied: clause frames for the verifier.

A frame is a verb with its polarity and the nouns on either side of it (the doer, the one done
to), read from spaCy's dependency parse. Two sentences contradict each other when the same verb
is negated in one and not the other, or when the doer in one is the one done to in the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.lexical import stem
from assistant.verify.figures import parse, spell_digits, word_list

if TYPE_CHECKING:
    from spacy.tokens import Token

_DOER = frozenset({"nsubj", "csubj"})
_DONE_TO = frozenset({"dobj", "nsubjpass", "iobj"})


@dataclass(frozen=True, slots=True)
class Frame:
    verb: str  # stemmed, lower case
    negated: bool
    doer: frozenset[str]  # stemmed nouns
    done_to: frozenset[str]


def _nouns(token: Token) -> frozenset[str]:
    return frozenset(
        stem(t.lower_) for t in token.subtree if t.pos_ in ("NOUN", "PROPN") and t.is_alpha
    )


def _negated(verb: Token) -> bool:
    cues = word_list("negation_cues")
    own = any(
        c.dep_ == "neg" or (c.dep_ in ("advmod", "det") and c.lower_ in cues) for c in verb.children
    ) or any(
        d.dep_ == "det" and d.lower_ in cues
        for c in verb.children
        if c.dep_ in _DOER | _DONE_TO
        for d in c.children
    )
    # 'X denied killing civilians': the verb under a denial is negated too.
    head = verb.head
    denied = head is not verb and head.lower_ in cues and verb.dep_ in ("xcomp", "ccomp", "pcomp")
    return own != denied


def frames(text: str) -> list[Frame]:
    """One frame per verb of the sentence."""
    out = []
    for token in parse(spell_digits(text)):
        if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("aux", "auxpass"):
            continue
        doer: set[str] = set()
        done_to: set[str] = set()
        for child in token.children:
            if child.dep_ in _DOER:
                doer |= _nouns(child)
            elif child.dep_ in _DONE_TO:
                done_to |= _nouns(child)
            elif child.dep_ == "agent":  # '... were killed by the army'
                for pobj in child.children:
                    doer |= _nouns(pobj)
        out.append(Frame(stem(token.lower_), _negated(token), frozenset(doer), frozenset(done_to)))
    return out


def has_negation(text: str) -> bool:
    cues = word_list("negation_cues")
    return any(t.lower_ in cues for t in parse(spell_digits(text)))


def negation_flipped(claim: str, source: str) -> bool:
    """The claim negates what the source affirms, or affirms what it negates.

    Compared verb by verb where both use the same verb; when they share none, by whether
    either sentence holds a negation at all.
    """
    mine, theirs = frames(claim), frames(source)
    shared = False
    for frame in mine:
        same = [f for f in theirs if f.verb == frame.verb]
        if not same:
            continue
        shared = True
        if all(f.negated != frame.negated for f in same):
            return True
    if shared:
        return False
    return has_negation(claim) != has_negation(source)


def roles_swapped(claim: str, source: str) -> bool:
    """The claim's doer is one the source says was done to (or the reverse), with the same
    verb, and no frame of the source with that verb has the claim's doer as its doer."""
    theirs = frames(source)
    for frame in frames(claim):
        same = [f for f in theirs if f.verb == frame.verb]
        if not same or not (frame.doer or frame.done_to):
            continue
        agrees = any(frame.doer & f.doer for f in same)
        swapped = any(
            (frame.doer & (f.done_to - f.doer)) or (frame.done_to & (f.doer - f.done_to))
            for f in same
        )
        if swapped and not agrees:
            return True
    return False
