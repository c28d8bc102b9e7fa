"""A party heard through two named voices (the accused and his lawyer) keeps both in an answer."""

from __future__ import annotations

from datetime import date

from assistant.answers.focus import Ranked, shared_name_rivals
from assistant.answers.question import parse_question
from assistant.verify.evidence import EvidenceSentence


def _sentence(i: int, text: str, party: str, speaker: str | None) -> EvidenceSentence:
    return EvidenceSentence(
        "d1", i, i * 100, i * 100 + len(text), text, party, speaker, "explicit", 1.0, 0,
        f"d1-p{i}", "Title", "Quillpost", date(2031, 2, 1), None,
    )  # fmt: skip


QUESTION = parse_question("How much is Ana Brisk accused of taking?")
CHARGE = _sentence(
    0, "Prosecutors said Ana Brisk took 3 million from Orvel Works.", "Prosecutors", "Prosecutors"
)
DENIAL = _sentence(1, "Brisk denied the charge, she told the court.", "Ana Brisk", "she")
LAWYER = _sentence(
    2, "Her lawyer, Tom Reyes, said the money from Orvel Works repaid a loan.", "Ana Brisk",
    "Her lawyer, Tom Reyes",
)  # fmt: skip
AGAIN = _sentence(3, "The money from Orvel Works was a loan, she said.", "Ana Brisk", "she")


def test_a_partys_second_named_voice_answers_beside_its_first() -> None:
    ranked = [Ranked(CHARGE, 1.0, 1.0), Ranked(DENIAL, 0.8, 0.8), Ranked(LAWYER, 0.5, 0.5)]
    assert shared_name_rivals(QUESTION, [CHARGE, DENIAL], ranked, 1.0) == [LAWYER]


def test_a_pronoun_is_no_second_voice() -> None:
    ranked = [Ranked(CHARGE, 1.0, 1.0), Ranked(DENIAL, 0.8, 0.8), Ranked(AGAIN, 0.5, 0.5)]
    assert shared_name_rivals(QUESTION, [CHARGE, DENIAL], ranked, 1.0) == []


def test_a_speaker_the_ledger_gave_to_a_body_keeps_the_body() -> None:
    from assistant.answers.routing import relabel_self_sourced

    text = "The health minister, Ana Brisk, says the plan works."
    spoken = _sentence(4, text, "Velor Health Ministry", "The health minister, Ana Brisk")
    carried = _sentence(5, text, "Velor Health Ministry", None)  # the ledger guessed from before

    def resolve(name: str) -> str | None:
        return "Ana Brisk" if "Ana Brisk" in name else None

    out = relabel_self_sourced([spoken, carried], lambda party: [], resolve)
    assert [s.party for s in out] == ["Velor Health Ministry", "Ana Brisk"]
