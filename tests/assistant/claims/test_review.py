from __future__ import annotations

from assistant.claims.attribution import SentenceAttribution
from assistant.claims.review import review_ledger
from assistant.llm.chat import ChatError, ScriptedChatModel


def _rec(i: int, text: str, party: str, cue: str, confidence: float) -> SentenceAttribution:
    return SentenceAttribution(
        sentence_index=i,
        start=i * 10,
        end=i * 10 + 9,
        text=text,
        paragraph=0,
        speaker="the group" if party != "narrator" else None,
        speaker_start=None,
        speaker_end=None,
        party=party,
        cue=cue,
        cue_text=None,
        confidence=confidence,
        quotes=(),
    )


RECORDS = [
    _rec(0, "The Front said it killed 31 soldiers.", "Free Front", "explicit", 0.95),
    _rec(1, "Its fighters then withdrew to the hills.", "Free Front", "continuation", 0.4),
    _rec(2, "The region has seen fighting for a decade.", "Free Front", "continuation", 0.35),
    _rec(3, "The army said it killed 19 fighters.", "Army", "explicit", 0.95),
]


def test_low_confidence_sentences_are_re_decided_never_explicit_ones() -> None:
    chat = ScriptedChatModel(
        [
            '{"party": "Free Front", "cue": "continuation", "reason": "goes on"}',
            'Sure! {"party": "narrator", "cue": "none", "reason": "background"}',
        ]
    )
    out, changed = review_ledger(RECORDS, chat)
    assert changed == 1
    assert [r.party for r in out] == ["Free Front", "Free Front", "narrator", "Army"]
    assert out[2].cue == "none" and out[2].cue_text == "llm review" and out[2].speaker is None
    assert len(chat.seen) == 2  # the two explicit sentences were never sent
    prompt = chat.seen[0][0].content
    assert "Free Front\nArmy" in prompt or "Army\nFree Front" in prompt
    assert "<<<SENTENCE\nIts fighters then withdrew" in prompt


def test_unknown_party_bad_json_and_errors_keep_the_rules_answer() -> None:
    chat = ScriptedChatModel(['{"party": "Martians"}', "no json here"])
    out, changed = review_ledger(RECORDS, chat)
    assert changed == 0 and out == RECORDS
    failing = ScriptedChatModel([ChatError("down")])
    out, changed = review_ledger(RECORDS, failing)
    assert changed == 0 and out == RECORDS
