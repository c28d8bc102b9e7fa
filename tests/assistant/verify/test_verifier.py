from __future__ import annotations

from assistant.verify.evidence import EvidenceSentence
from assistant.verify.verifier import Draft, attribute, names_party, verify

ALIASES = {"Free Front": ["Free Front", "FF", "the group"], "Army": ["Army", "the military"]}


def _ev(text: str, party: str = "narrator", index: int = 0) -> EvidenceSentence:
    return EvidenceSentence(
        "doc",
        index,
        0,
        len(text),
        text,
        party,
        None,
        "explicit" if party != "narrator" else "none",
        0.9,
        0,
        "p1",
        "Title",
        "Outlet",
        "2026-03-10",
        None,
    )


CLAIM = _ev("The FF said its fighters killed 31 soldiers at the ridge.", "Free Front")
FACT = _ev("The bridge opened to traffic on Tuesday with 4 lanes.", index=1)


def _aliases(party: str) -> list[str]:
    return ALIASES.get(party, [])


def test_bare_party_claim_gets_its_party() -> None:
    [kept], [repair] = verify(
        [Draft("Its fighters killed 31 soldiers at the ridge.", [CLAIM])], _aliases
    )
    assert kept.text == "According to the Free Front, its fighters killed 31 soldiers at the ridge."
    assert kept.party == "Free Front"
    assert (repair.action, repair.after) == ("party_added", kept.text)


def test_attributed_claim_passes_untouched() -> None:
    kept, repairs = verify(
        [Draft("The FF says it killed 31 soldiers at the ridge.", [CLAIM])], _aliases
    )
    assert [k.text for k in kept] == ["The FF says it killed 31 soldiers at the ridge."]
    assert repairs == []


def test_uncited_sentence_is_dropped() -> None:
    kept, [repair] = verify([Draft("The bridge opened on Tuesday.", [])], _aliases)
    assert kept == [] and repair.action == "dropped" and repair.reason == "no citation"


def test_wrong_number_is_dropped() -> None:
    kept, [repair] = verify(
        [Draft("The bridge opened to traffic on Tuesday with 6 lanes.", [FACT])], _aliases
    )
    assert kept == []
    assert "6" in repair.reason and repair.action == "dropped"


def test_citation_to_unrelated_passage_is_removed_or_dropped() -> None:
    kept, [repair] = verify([Draft("The bridge opened to traffic on Tuesday.", [CLAIM])], _aliases)
    assert kept == [] and repair.reason == "no cited source supports it"
    kept, [repair] = verify(
        [Draft("The bridge opened to traffic on Tuesday.", [CLAIM, FACT])], _aliases
    )
    assert [k.sources for k in kept] == [[FACT]]
    assert repair.action == "citation_removed"


def test_names_party_needs_a_name_and_a_reporting_word() -> None:
    assert names_party("According to the military, 19 died.", ["the military"])
    assert not names_party("The military base was hit.", ["the military"])
    assert not names_party("Officials said 19 died.", ["the military"])
    assert attribute("The camp fell.", "Army") == "According to the Army, the camp fell."


def test_attribution_lowercases_only_common_first_words() -> None:
    assert attribute("Each ship costs more.", "Olav Jessen") == (
        "According to Olav Jessen, each ship costs more."
    )
    assert attribute("Twelve were hurt.", "Army").endswith(", twelve were hurt.")
    assert attribute("Brennic said no.", "UMF").endswith(", Brennic said no.")
    assert attribute("IT systems failed.", "UMF").endswith(", IT systems failed.")
