"""Whether a question spans stories, and which stories are about its point: a story joins when
its own sentences carry the question's names and its rare point words (a party named by a point
word must speak there), not when it shares one common word with the question (pure)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from assistant.answers.question import Question, _similar, family, vague_nouns
from assistant.lexical import tokens
from assistant.verify.evidence import EvidenceSentence

# A story joins when its best sentence carries this share of the best story's point weight.
JOIN_RATIO = 0.6
FAMILY_SHARE = 0.5


def _lines(name: str) -> list[str]:
    text = files("assistant.answers.lexicons").joinpath(name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def _span_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line, re.I) for line in _lines("story_spans.txt"))


@cache
def _frame_words() -> frozenset[str]:
    return frozenset(t for line in _lines("story_frame_words.txt") for t in tokens(line))


@cache
def _outlet_words() -> frozenset[str]:
    return frozenset(t for line in _lines("outlet_words.txt") for t in tokens(line))


def asks_the_outlet(question: Question) -> bool:
    """'Did the reporting outlet say ...': the question's speaker is the outlet itself."""
    return any(set(tokens(who)) & _outlet_words() for who in question.speakers)


def outlet_speaks(s: EvidenceSentence) -> bool:
    """The sentence has the story's own outlet as its subject ('Tidewater could not verify',
    'QPA could not reach'): its name or initials open the sentence, followed by a word (a
    dateline's 'NAME,' is no subject)."""
    if not s.outlet:
        return False
    words = [w for w in re.findall(r"[\w'’-]+", s.outlet) if w.lower() != "the"]
    names = {w.lower() for w in words if len(w) > 2}
    if len(words) > 1:
        names.add("".join(w[0] for w in words).lower())
    match = re.match(r"\W*(?:the\s+)?([\w'’-]+)\s+[a-z]", s.text, re.I)
    return match is not None and match.group(1).lower() in names


@cache
def _count_words() -> dict[str, int]:
    return {w: int(n) for w, n in (line.split() for line in _lines("story_counts.txt"))}


def spans_stories(question: Question) -> bool:
    """The question asks across stories: 'which stories ...', 'which two reports ...', 'what do
    the reports say ...', 'across outlets', or a plural 'Which <actors> ..., and ...?'."""
    return question.spans_stories or any(p.search(question.text) for p in _span_patterns())


_EVENT_DAY = re.compile(r"\b(?:[A-Z][a-z]+day|[Yy]esterday|[Tt]oday)(?:'s|’s)\s+\w", re.U)


def day_names_event(text: str) -> bool:
    """'Tuesday's march': the day dates the event, so reports after it count; 'on Tuesday'
    (no possessive) asks for the stories reported that day."""
    return bool(_EVENT_DAY.search(text))


def story_limit(text: str) -> int | None:
    """'Which two stories ...' -> 2; None when the question gives no number of stories."""
    match = re.search(
        r"\b(?:which|what|the)\s+(\w+)\s+(?:stories|reports|articles|events)\b", text, re.I
    )
    if not match:
        return None
    word = match.group(1).lower()
    return int(word) if word.isdigit() else _count_words().get(word)


_THEN_ASK = re.compile(r",? and (?:how|what|who|when|where|why|whether|which|over)\b", re.I)


def key_terms(question: Question) -> tuple[str, ...]:
    """The point words a story must carry: those of the question's first clause ('which stories
    involve X', not the ', and what does each side say' that asks what to tell of each), without
    its names, the words that frame a many-story question, and vague nouns ('events')."""
    first = set(tokens(_THEN_ASK.split(question.text, maxsplit=1)[0]))
    names = {t for n in question.names for t in tokens(n)}
    frame = _frame_words() | vague_nouns()
    return tuple(w for w in question.point if w in first and w not in names and w not in frame)


@cache
def _roles() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for line in _lines("party_roles.txt"):
        group = set(tokens(line))
        for w in group:
            out.setdefault(w, set()).update(group)
    return {w: frozenset(g) for w, g in out.items()}


def role_family(word: str) -> frozenset[str]:
    """The nouns of the word's role ('regulator' -> 'authority', 'agency', ...; party_roles.txt)."""
    return _roles().get(word, frozenset())


@dataclass(frozen=True, slots=True)
class StoryFit:
    """How well one story speaks to the question: its best sentence's share of the point."""

    index: int
    score: float
    names: bool


def _party_words(sentences: Sequence[EvidenceSentence]) -> set[str]:
    """The words naming who speaks: party, speaker, and the organisation a speaker heads."""
    return {
        t
        for s in sentences
        if s.is_claim
        for t in tokens(f"{s.party} {s.speaker or ''} {' '.join(_represented(s.text))}")
    }


@cache
def _role_pattern() -> tuple[re.Pattern[str], re.Pattern[str]]:
    roles = "|".join(
        sorted({w for line in _lines("representative_roles.txt") for w in line.split()}, key=len)[
            ::-1
        ]
    )
    org = r"((?-i:(?:[A-Z][\w'’-]*\s*){1,6}))"  # capitalised words only
    return (
        re.compile(rf"\b(?:{roles})\s+(?:of|at|for)\s+(?:the\s+)?{org}", re.I),
        re.compile(rf"^\W*At\s+(?:the\s+)?{org},\s+(?:its\s+|the\s+)?(?:{roles})\b", re.I),
    )


def _represented(text: str) -> list[str]:
    """Organisations a sentence's speaker heads: 'director of X Hospital', 'At X, director Y'."""
    found = []
    for pattern in _role_pattern():
        for match in pattern.finditer(text):
            if match.group(1)[:1].isupper():
                found.append(match.group(1).strip())
    return found


def _same(word: str, toks: set[str]) -> bool:
    """The word itself, in any of its forms ('executiv' from 'executives' and 'executive',
    which the stemmer leaves whole), is among the tokens."""
    return word in toks or any(_similar(word, t) for t in toks)


def _in(word: str, toks: set[str]) -> bool:
    """The word or one of its family is among the tokens."""
    return _same(word, toks) or any(w in toks for w in family(word))


def _names_role(word: str, toks: set[str]) -> bool:
    """A party's words carry the role word itself, its family, or another noun of its role."""
    return _in(word, toks) or any(w in toks for w in _roles().get(word, ()))


_OR = re.compile(r"\b([\w'’-]+)\s+or\s+(?:an?\s+|the\s+)?([\w'’-]+)", re.I)


def _alternatives(text: str) -> dict[str, str]:
    """'a ledger or a sample': each alternative -> the first one, which stands for the pair."""
    out: dict[str, str] = {}
    for match in _OR.finditer(text):
        left, right = tokens(match.group(1)), tokens(match.group(2))
        if left and right:
            out[right[0]] = out.get(left[0], left[0])
    return out


def fit_stories(
    question: Question, stories: Sequence[Sequence[EvidenceSentence]]
) -> list[StoryFit]:
    """Each story's fit: the weight of the point words one of its sentences carries together,
    plus the role words its speaking parties carry ('clinic' in 'Tarn Street Clinic',
    'regulator' for '... Authority': such a word counts only where such a party speaks). The
    rarer a point word across the pool's sentences, the more it weighs; of 'X or Y', either."""
    keys = key_terms(question)
    name_groups = [[tokens(n)[:1] for n in group] for group in _name_alternatives(question)]
    pool = [s for story in stories for s in story]
    by_outlet = asks_the_outlet(question)  # only the outlet's own sentences count
    speaking = _party_words(pool)
    party_keys = {k for k in keys if _names_role(k, speaking)}
    sentence_tokens = [set(tokens(s.text)) for s in pool]
    n = len(pool) or 1
    df = {k: sum(1 for t in sentence_tokens if _in(k, t)) for k in keys}
    weight = {k: math.log(1 + n / (1 + df[k])) for k in keys}
    pair = _alternatives(question.text)
    slot = {k: pair.get(k, k) for k in keys}  # alternatives share one slot
    slot_weight: dict[str, float] = {}
    for k in keys:
        slot_weight[slot[k]] = max(slot_weight.get(slot[k], 0.0), weight[k])
    total = sum(slot_weight.values()) or 1.0
    fits = []
    for i, story in enumerate(stories):
        text_tokens = {t for s in story for t in tokens(f"{s.title} {s.outlet or ''} {s.text}")}
        has_names = any(
            all(any(_prefix(w, t) for t in text_tokens) for ws in group for w in ws)
            for group in name_groups
        )
        speakers = _party_words(story)
        roles = {slot[k] for k in party_keys if _names_role(k, speakers)}
        best = 0.0
        own = [s for s in story if outlet_speaks(s)] if by_outlet else list(story)
        for s in [*own, None]:
            toks = set(tokens(s.text)) if s is not None else set()
            got = dict.fromkeys(roles, 1.0)
            for k in keys:
                # a role word counts where such a party speaks, or as the title of the
                # sentence's own speaker ('Chief executive Velm Orr calls it ...')
                if _in(k, toks) and (k not in party_keys or titles_speaker(k, s)):
                    # the word itself counts in full, another word of its family half
                    share = 1.0 if _same(k, toks) else FAMILY_SHARE
                    got[slot[k]] = max(got.get(slot[k], 0.0), share)
            best = max(best, sum(slot_weight[x] * c for x, c in got.items()) / total)
        if by_outlet and not own:
            best = 0.0
        fits.append(StoryFit(i, best if keys else 1.0, has_names))
    return fits


def _name_alternatives(question: Question) -> list[list[str]]:
    """The question's names as alternatives: 'the Orvik River or the Orvik Bridge' -> the names
    before the 'or' and those after it (a story needs the names of one side); a question
    without 'or' between its names gives them all as one group."""
    text = question.text
    spots: list[tuple[int, str]] = []
    at = 0
    for name in question.names:
        found = text.find(name, at)
        if found < 0:
            return [list(question.names)]
        spots.append((found, name))
        at = found + len(name)
    ors = [m.start() for m in re.finditer(r"\bor\b", text)]
    if not spots or not ors or not spots[0][0] < ors[0] < spots[-1][0]:
        return [list(question.names)]
    cut = ors[0]
    groups = [[n for i, n in spots if i < cut], [n for i, n in spots if i > cut]]
    return [g for g in groups if g]


def titles_speaker(word: str, s: EvidenceSentence | None, reach: int = 3) -> bool:
    """The claim's speaker is given that title in the sentence: `word` within `reach` tokens of
    the speaker's name ('chief executive' in 'Chief executive Velm Orr said', 'Orr, the
    chief executive, said'), not merely somewhere in what the speaker says."""
    if s is None or not s.is_claim or not s.speaker:
        return False
    toks = tokens(s.text)
    name = tokens(s.speaker)
    if not name:
        return False
    for i, t in enumerate(toks):
        if t == name[0]:
            near = set(toks[max(0, i - reach) : i] + toks[i + len(name) : i + len(name) + reach])
            if _in(word, near):
                return True
    return False


def _prefix(a: str, b: str) -> bool:
    """Same word, or one a longer form of the other ('velorian' / 'velor')."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 5 and long_.startswith(short) and len(long_) - len(short) <= 3


def stories_about(
    question: Question,
    stories: Sequence[Sequence[EvidenceSentence]],
    ratio: float = JOIN_RATIO,
) -> list[int]:
    """The indices of the stories about the point, best first: each holds the question's names
    and its best sentence carries at least `ratio` of the best story's point weight; 'which two
    stories' keeps two."""
    fits = [f for f in fit_stories(question, stories) if f.names and f.score > 0]
    if not fits:
        return []
    ranked = sorted(fits, key=lambda f: (-f.score, f.index))
    if limit := story_limit(question.text):  # 'which two stories': the two that fit best
        return [f.index for f in ranked[:limit]]
    if asks_the_outlet(question):  # few sentences qualify at all: any of them on the point
        return [f.index for f in ranked]
    return [f.index for f in ranked if f.score >= ratio * ranked[0].score]
