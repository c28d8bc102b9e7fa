"""The answer contract shared by `briefing ask`, the chat and the briefings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

NARRATOR = "narrator"  # the party of a sentence in the reporter's own voice

Engine = Literal["extractive", "llm"]
AnswerEngine = Literal["extractive", "llm", "briefing"]  # which path wrote an Answer
Cue = Literal["explicit", "continuation", "none"]  # how the ledger knows who speaks
RepairAction = Literal["dropped", "party_added", "replaced", "citation_removed", "number_removed"]
# What the verifier found wrong: no citation, no support, a number the sources lack, a number
# counting another thing, a flipped negation, swapped roles, a quotation not in the source, the
# wrong party named as the source, a party's claim stated as fact.
VerifierCheck = Literal[
    "uncited",
    "unsupported",
    "number",
    "number_binding",
    "negation",
    "roles",
    "quote",
    "wrong_party",
    "unattributed",
    "",
]


@dataclass(frozen=True, slots=True)
class Source:
    """A stored article as the library API shows it (no bookkeeping of the store)."""

    doc_id: str
    title: str
    outlet: str | None
    published: date | None
    url: str | None
    author: str | None
    source_path: str | None
    chunks: int
    status: Literal["pending", "complete", "deleting"]
    text: str = ""


@dataclass(frozen=True, slots=True)
class Citation:
    """A numbered source: `passage == article.text[start:end]` of the stored article."""

    n: int
    doc_id: str
    title: str
    outlet: str | None
    published: date | None
    url: str | None
    passage: str
    start: int
    end: int
    speaker: str | None
    party: str | None
    cue: Cue | None
    also_in: tuple[str, ...] = ()  # other outlets that carried the same passage


@dataclass(frozen=True, slots=True)
class Statement:
    """One answer sentence with its citation numbers and, for a claim, who makes it."""

    text: str
    citations: list[int]
    party: str | None = None
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class Repair:
    """What the verifier changed or dropped, and why."""

    action: RepairAction
    reason: str
    before: str
    after: str | None = None
    check: VerifierCheck = ""


@dataclass(slots=True)
class Answer:
    """What every question path returns; `answer` is the text with [n] markers."""

    question: str
    answer: str
    engine: AnswerEngine
    refused: bool
    statements: list[Statement] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    notice: str | None = None
    standalone_question: str | None = None
