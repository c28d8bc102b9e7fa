"""Sentence pieces the splitter cut apart ('With 88 per cent counted, No has 51.3 per cent and' /
'Yes 48.7 per cent' / ', the office says.') joined back into one sentence, which then belongs to
the party its closing cue names (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.types import NARRATOR
from assistant.verify.evidence import EvidenceSentence
from assistant.verify.verifier import reporting_pattern

# A sentence ends with terminal punctuation, perhaps followed by closing quotes or brackets.
_ENDED = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$")
# A closing cue: ', the office says.' / ', according to the office.'
_CLOSING_CUE = re.compile(
    r",\s+(?:according to\s+(?P<to>[^,]{2,60}?)|(?P<who>[^,]{2,60}?)\s+(?P<verb>[\w'’-]+))"
    r"\s*[.!]?[\"'”’]?\s*$",
    re.I,
)


def join_fragments(
    sentences: Sequence[EvidenceSentence], party_of: Callable[[str], str | None]
) -> list[EvidenceSentence]:
    """Consecutive sentences of one article where the first does not end a sentence and the
    next follows at once become one; a joined sentence the ledger left to the narrator goes to
    the party its closing cue names (`party_of` maps a name to a party of the story, or None)."""
    out: list[EvidenceSentence] = []
    joined: set[int] = set()
    for s in sentences:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.doc_id == s.doc_id
            and not _ENDED.search(prev.text)
            and 0 <= s.start - prev.end <= 1
        ):
            text = prev.text + " " * (s.start - prev.end) + s.text
            party = prev.party if prev.is_claim else s.party
            speaker = prev.speaker if prev.is_claim else s.speaker
            cue = prev.cue if prev.is_claim else s.cue
            out[-1] = replace(prev, end=s.end, text=text, party=party, speaker=speaker, cue=cue)
            joined.add(len(out) - 1)
        else:
            out.append(s)
    for i in joined:
        s = out[i]
        if s.party == NARRATOR and (named := _closing_party(s.text, party_of)):
            out[i] = replace(s, party=named[0], speaker=named[1], cue="explicit")
    return out


def _closing_party(text: str, party_of: Callable[[str], str | None]) -> tuple[str, str] | None:
    match = _CLOSING_CUE.search(text)
    if match is None:
        return None
    if match.group("to"):
        who = match.group("to")
    elif reporting_pattern().fullmatch(match.group("verb")):
        who = match.group("who")
    else:
        return None
    party = party_of(who.strip())
    return (party, who.strip()) if party else None


def alias_lookup(
    parties: Sequence[str], aliases_of: Callable[[str], Sequence[str]]
) -> Callable[[str], str | None]:
    """Name -> the one party among `parties` that goes by it ('the PEB' -> its party)."""
    names: dict[str, set[str]] = {}
    for p in parties:
        for alias in [p, *aliases_of(p)]:
            names.setdefault(_bare(alias), set()).add(p)

    def party_of(name: str) -> str | None:
        found = names.get(_bare(name), set())
        return next(iter(found)) if len(found) == 1 else None

    return party_of


def _bare(name: str) -> str:
    return re.sub(r"^the\s+", "", name.strip().lower().replace("’", "'"))
