"""Optional second pass over the claims ledger: an LLM re-decides low-confidence sentences,
choosing only among the article's known parties or the narrator. Never touches explicit cues."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from pydantic import BaseModel, ValidationError

from assistant.claims.attribution import CONTINUATION, NO_CUE, SentenceAttribution
from assistant.llm.chat import ChatError, ChatModel, Message
from assistant.llm.prompts import render
from assistant.types import NARRATOR

log = logging.getLogger(__name__)
REVIEW_BELOW = 0.5
MAX_REVIEWS = 25  # per article: the pass must not make ingest unbounded
_JSON = re.compile(r"\{.*?\}", re.S)


class _Verdict(BaseModel):
    """The model's reply; untrusted until validated."""

    party: str
    cue: Literal["explicit", "continuation", "none"] = "none"
    reason: str = ""


def review_ledger(
    records: Sequence[SentenceAttribution], chat: ChatModel, below: float = REVIEW_BELOW
) -> tuple[list[SentenceAttribution], int]:
    """Records with low-confidence non-explicit sentences re-decided; returns (records, changed)."""
    out = list(records)
    parties = sorted({r.party for r in records if r.party != NARRATOR})
    if not parties:
        return out, 0
    changed = reviewed = 0
    for i, record in enumerate(records):
        if record.cue == "explicit" or record.confidence >= below or reviewed >= MAX_REVIEWS:
            continue
        reviewed += 1
        context = " ".join(r.text for r in records[max(0, i - 3) : i])
        prompt = render(
            "attribution_choose_party",
            candidates=_fence("\n".join(parties)),
            context=_fence(context),
            sentence=_fence(record.text),
        )
        try:
            reply = chat.complete([Message("user", prompt)])
        except ChatError as exc:
            log.warning("ledger review stopped: %s", exc)
            break
        verdict = _parse(reply)
        if verdict is None or (verdict.party not in parties and verdict.party != NARRATOR):
            continue
        if verdict.party == record.party:
            continue
        cue = NO_CUE if verdict.party == NARRATOR else CONTINUATION
        out[i] = replace(
            record,
            party=verdict.party,
            cue=cue,
            cue_text="llm review",
            confidence=0.55,
            speaker=None if verdict.party == NARRATOR else record.speaker,
        )
        changed += 1
    return out, changed


def _fence(text: str) -> str:
    return text.replace("<<<", "< < <").replace(">>>", "> > >")


def _parse(reply: str) -> _Verdict | None:
    match = _JSON.search(reply)
    if not match:
        return None
    try:
        return _Verdict.model_validate(json.loads(match.group()))
    except (json.JSONDecodeError, ValidationError):
        return None
