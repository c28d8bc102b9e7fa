"""The LLM engine: the model writes, each sentence is verified the moment it is complete, and
only verified sentences reach `on_text` (the CLI and the web chat show them as they come).

Every piece of article-derived text in the prompt (outlet, date, title, speaker labels and the
sentences) is fenced as quoted data; the verifier then checks what the model wrote against the
cited sentences and repairs or drops what they do not say.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from assistant.answers.extractive import REFUSAL
from assistant.llm.chat import ChatError, ChatModel, Message
from assistant.llm.prompts import render
from assistant.serialise import iso
from assistant.types import Answer, Repair, Statement
from assistant.verify.evidence import CitationBook, EvidenceSentence
from assistant.verify.figures import word_list
from assistant.verify.verifier import Draft, Verified, verify

log = logging.getLogger(__name__)

MAX_SOURCES = 8
_MARKS = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# A sentence end: the stop, closing quotes or brackets, then any citation marks; it is an end
# only once the next word has begun (so marks that follow the stop still belong to it).
_END = re.compile(r"[.!?][\"\u201d\u2019')]*(?:\s*\[\d+(?:\s*,\s*\d+)*\])*(?=\s+[^\s\[])")


@cache
def _abbreviations() -> frozenset[str]:
    return word_list("abbreviations")


class Sentence(NamedTuple):
    text: str
    ends_line: bool


@dataclass
class SentenceSplitter:
    """Cuts streamed text into complete sentences ('Mr. Vint' and '3.9' are not ends)."""

    buffer: str = ""

    def feed(self, piece: str) -> list[Sentence]:
        self.buffer += piece
        out: list[Sentence] = []
        while True:
            cut = self._boundary()
            if cut is None:
                return out
            raw, self.buffer = self.buffer[:cut], self.buffer[cut:]
            gap = self.buffer[: len(self.buffer) - len(self.buffer.lstrip())]
            ends_line = raw.endswith("\n") or "\n" in gap
            self.buffer = self.buffer.lstrip()
            if raw.strip():
                out.append(Sentence(raw.strip(), ends_line))

    def flush(self) -> list[Sentence]:
        rest, self.buffer = self.buffer.strip(), ""
        return [Sentence(rest, True)] if rest else []

    def _boundary(self) -> int | None:
        newline = self.buffer.find("\n")
        for match in _END.finditer(self.buffer):
            if newline != -1 and newline < match.start():
                break
            words = self.buffer[: match.start()].split()
            last = words[-1].lower().strip("(\"'") if words else ""
            initials = "." in last or (len(last) == 1 and last.isalpha())  # 'U.S.', 'J. Vint'
            if last in _abbreviations() or initials:
                continue
            return match.end()
        return newline + 1 if newline != -1 else None


def number_evidence(
    evidence: Sequence[EvidenceSentence], limit: int = MAX_SOURCES
) -> list[list[EvidenceSentence]]:
    """Evidence grouped by passage, best passages first: the numbered sources the model sees."""
    groups: dict[str, list[EvidenceSentence]] = {}
    for s in evidence:
        groups.setdefault(s.passage_id or s.doc_id, []).append(s)
    return list(groups.values())[:limit]


def fence(value: str | None) -> str:
    """Article text as one quoted line: '<<<...>>>', with any fence marks inside defused."""
    clean = " ".join((value or "").split()).replace("<<<", "\u2039\u2039\u2039")
    return "<<<" + clean.replace(">>>", "\u203a\u203a\u203a") + ">>>"


def fence_sources(numbered: Sequence[Sequence[EvidenceSentence]]) -> str:
    """Number the passages; every field that comes from an article is fenced, labels too."""
    blocks = []
    for n, sentences in enumerate(numbered, start=1):
        first = sentences[0]
        lines = [
            f"[{n}]",
            f"  outlet: {fence(first.outlet or 'unknown outlet')}",
            f"  published: {fence(iso(first.published) or 'undated')}",
            f"  title: {fence(first.title)}",
        ]
        for s in sentences:
            lines.append(f"  - speaker {fence(s.party)} says: {fence(s.text)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def llm_messages(question: str, numbered: Sequence[Sequence[EvidenceSentence]]) -> list[Message]:
    return [
        Message("system", render("answer_system")),
        Message(
            "user",
            render("answer_user", question=fence(question), passages=fence_sources(numbered)),
        ),
    ]


def draft_of(sentence: str, numbered: Sequence[Sequence[EvidenceSentence]]) -> Draft | None:
    """One model sentence -> its text and the cited passages' sentences that say the most of it."""
    from assistant.lexical import overlap

    cited = [int(n) for group in _MARKS.findall(sentence) for n in re.split(r"\s*,\s*", group)]
    body = re.sub(r"\s+([.,;:!?])", r"\1", _MARKS.sub("", sentence)).strip()
    if not body or not re.search(r"\w", body):
        return None
    sources = [s for n in dict.fromkeys(cited) if 1 <= n <= len(numbered) for s in numbered[n - 1]]
    if not sources:
        return Draft(body, [])
    ranked = sorted(sources, key=lambda s: -overlap(body, s.text))
    best = overlap(body, ranked[0].text)
    return Draft(body, [s for s in ranked[:2] if overlap(body, s.text) >= max(0.01, best * 0.8)])


@dataclass
class _Writer:
    """Verified statements in the order they stream, numbered as they are first cited."""

    on_text: Callable[[str], None] | None
    book: CitationBook = field(default_factory=CitationBook)
    statements: list[Statement] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    shown: list[set[tuple[str, int]]] = field(default_factory=list)

    def show(self, verified: Iterable[Verified]) -> None:
        for v in verified:
            keys = {(s.doc_id, s.sentence_index) for s in v.sources}
            if keys in self.shown:
                continue  # a repair that brought back a sentence already shown
            self.shown.append(keys)
            numbers = [self.book.cite(s) for s in v.sources]
            self.statements.append(Statement(v.text, numbers, v.party, v.speaker))
            line = f"{v.text} {''.join(f'[{n}]' for n in numbers)}"
            if self.on_text:
                self.on_text(("\n" if self.lines else "") + line)
            self.lines.append(line)


def answer_llm(
    question: str,
    evidence: Sequence[EvidenceSentence],
    chat_model: ChatModel,
    aliases_of: Callable[[str], Sequence[str]],
    on_text: Callable[[str], None] | None = None,
    timings: dict[str, float] | None = None,
) -> Answer:
    """Stream the model's answer, verify each sentence as it completes, pass on only what holds.

    `on_text` gets each verified sentence (with its [n] marks) as soon as it is checked; the
    pieces joined give `Answer.answer`. Raises ChatError when the model fails before any
    sentence was shown (the caller falls back to the extractive engine); a failure later
    keeps what was shown and says so in `notice`.
    """
    timings = timings if timings is not None else {}
    t0 = time.perf_counter()
    numbered = number_evidence(evidence)
    parties = list(dict.fromkeys(s.party for s in evidence if s.is_claim))
    splitter = SentenceSplitter()
    writer = _Writer(on_text)
    repairs: list[Repair] = []

    pending: list[str] = []  # sentences of a line still waiting for the line's marks

    def check(sentences: list[Sentence]) -> None:
        for sentence in sentences:
            marks = "".join(f"[{m}]" for m in _MARKS.findall(sentence.text))
            if not marks and not sentence.ends_line:
                pending.append(sentence.text)  # 'S1. S2 [1].': S2's marks cover S1 too
                continue
            group = [f"{p} {marks}" for p in pending] + [sentence.text]
            pending.clear()
            drafts = [d for d in (draft_of(s, numbered) for s in group) if d is not None]
            verified, fixed = verify(drafts, aliases_of, parties)
            repairs.extend(fixed)
            writer.show(verified)

    notice = None
    try:
        for piece in chat_model.stream(llm_messages(question, numbered)):
            timings.setdefault("first_token", _ms(t0))
            check(splitter.feed(piece))
        check(splitter.flush())
        leftover = pending[:]
        pending.clear()
        check([Sentence(p, True) for p in leftover])
    except ChatError as exc:
        if not writer.statements:
            raise
        notice = f"The LLM stopped early ({exc}); the answer may be incomplete."
        log.warning("%s", notice)
    timings["llm"] = _ms(t0)
    if not writer.statements:
        if on_text:
            on_text(REFUSAL)
        return Answer(question, REFUSAL, "llm", True, repairs=repairs, timings_ms=timings)
    return Answer(
        question,
        "\n".join(writer.lines),
        "llm",
        False,
        writer.statements,
        writer.book.items,
        repairs,
        timings,
        notice,
    )


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)
