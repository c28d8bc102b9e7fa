"""The verifier against hand-written hostile statements, one kind of lie per test."""

from __future__ import annotations

from datetime import date

from assistant.verify.evidence import EvidenceSentence
from assistant.verify.verifier import (
    Draft,
    attribute,
    named_as_source,
    names_party,
    strip_dateline,
    verify,
)

ALIASES = {
    "Free Front": ["Free Front", "FF", "the group"],
    "Army": ["Army", "the military"],
    "Ministry of Roads": ["Ministry of Roads", "the ministry"],
}
PARTIES = list(ALIASES)


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
        date(2026, 3, 10),
        None,
    )


CLAIM = _ev("The FF said its fighters killed 31 soldiers at the ridge.", "Free Front")
FACT = _ev("The bridge opened to traffic on Tuesday with 4 lanes.", index=1)
ARMY = _ev(
    "The military said troops killed 12 Free Front fighters and lost two soldiers.", "Army", 2
)
NO_HARM = _ev("The military said no civilians were harmed in the operation.", "Army", 3)
ROAD = _ev(
    "The ministry said the road to Oster would not reopen before Friday.", "Ministry of Roads", 4
)
RAID = _ev("Army troops attacked the Free Front camp near Oster at dawn.", index=5)
QUOTE = _ev(
    "Residents described the night as “the loudest we have ever heard” on Tuesday.", index=6
)


def _aliases(party: str) -> list[str]:
    return ALIASES.get(party, [])


def _one(text: str, *sources: EvidenceSentence):  # type: ignore[no-untyped-def]
    return verify([Draft(text, list(sources))], _aliases, PARTIES)


def test_bare_party_claim_gets_its_party() -> None:
    [kept], [repair] = _one("Its fighters killed 31 soldiers at the ridge.", CLAIM)
    assert kept.text == "According to the Free Front, its fighters killed 31 soldiers at the ridge."
    assert kept.party == "Free Front"
    assert (repair.action, repair.after, repair.check) == ("party_added", kept.text, "unattributed")


def test_attributed_claim_passes_untouched() -> None:
    kept, repairs = _one("The FF says it killed 31 soldiers at the ridge.", CLAIM)
    assert [k.text for k in kept] == ["The FF says it killed 31 soldiers at the ridge."]
    assert repairs == []


def test_uncited_sentence_is_dropped() -> None:
    kept, [repair] = _one("The bridge opened on Tuesday.")
    assert kept == [] and repair.action == "dropped" and repair.check == "uncited"


def test_a_number_the_source_lacks_is_replaced_by_the_source_words() -> None:
    [kept], [repair] = _one("The bridge opened to traffic on Tuesday with 6 lanes.", FACT)
    assert kept.text == FACT.text
    assert (repair.action, repair.check) == ("replaced", "number")
    assert "6" in repair.reason and repair.after == FACT.text


def test_a_number_written_as_a_word_is_checked_like_digits() -> None:
    [kept], [repair] = _one(
        "The FF said its fighters killed thirty-three soldiers at the ridge.", CLAIM
    )
    assert repair.check == "number" and "33" in repair.reason
    assert "thirty-three" not in kept.text and "31" in kept.text
    # the same number in words and in digits agrees
    kept, repairs = _one("The military said it lost 2 soldiers and killed twelve fighters.", ARMY)
    assert [k.text for k in kept] == [
        "The military said it lost 2 soldiers and killed twelve fighters."
    ]
    assert repairs == []


def test_a_number_bound_to_the_wrong_thing_is_caught() -> None:
    [kept], [repair] = _one(
        "The military said troops killed 2 Free Front fighters and lost 12 soldiers.", ARMY
    )
    assert repair.check == "number_binding" and repair.action == "replaced"
    assert kept.text == ARMY.text


def test_a_flipped_negation_is_caught() -> None:
    [kept], [repair] = _one("The military said civilians were harmed in the operation.", NO_HARM)
    assert repair.check == "negation" and kept.text == NO_HARM.text
    [kept], [repair] = _one("The ministry said the road to Oster would reopen before Friday.", ROAD)
    assert repair.check == "negation" and "not reopen" in kept.text
    kept, repairs = _one(
        "The ministry said the road to Oster would not reopen before Friday.", ROAD
    )
    assert repairs == [] and len(kept) == 1


def test_swapped_roles_are_caught() -> None:
    [kept], [repair] = _one("Free Front fighters attacked the Army camp near Oster at dawn.", RAID)
    assert repair.check == "roles" and kept.text == RAID.text
    kept, repairs = _one("Army troops attacked the camp near Oster at dawn.", RAID)
    assert repairs == [] and len(kept) == 1


def test_another_party_named_as_the_source_is_corrected() -> None:
    [kept], [repair] = _one(
        "The military said its fighters killed 31 soldiers at the ridge.", CLAIM
    )
    assert repair.check == "wrong_party" and "Army" in repair.reason
    assert kept.text == CLAIM.text and kept.party == "Free Front"
    [kept], repairs = _one(
        "According to the military, its fighters killed 31 soldiers at the ridge.", CLAIM
    )
    assert repairs[0].check == "wrong_party"
    assert kept.party == "Free Front" and "military" not in kept.text
    # a reporter's fact given to a party is corrected too
    [kept], [repair] = _one(
        "The ministry said the bridge opened to traffic on Tuesday with 4 lanes.", FACT
    )
    assert repair.check == "wrong_party" and kept.text == FACT.text and kept.party is None


def test_a_quotation_must_be_in_the_source_word_for_word() -> None:
    [kept], [repair] = _one(
        "Residents described the night as “the loudest night of our lives”.", QUOTE
    )
    assert repair.check == "quote" and kept.text == QUOTE.text
    kept, repairs = _one(
        'Residents described the night as "the loudest we have ever heard".', QUOTE
    )
    assert repairs == [] and len(kept) == 1


def test_citation_to_unrelated_passage_is_removed_or_dropped() -> None:
    kept, [repair] = _one("The bridge opened to traffic on Tuesday.", CLAIM)
    assert kept == [] and repair.reason == "no cited source supports it"
    kept, [repair] = _one("The bridge opened to traffic on Tuesday.", CLAIM, FACT)
    assert [k.sources for k in kept] == [[FACT]]
    assert repair.action == "citation_removed"


def test_names_party_needs_a_name_and_a_reporting_word() -> None:
    assert names_party("According to the military, 19 died.", ["the military"])
    assert not names_party("The military base was hit.", ["the military"])
    assert not names_party("Officials said 19 died.", ["the military"])
    assert attribute("The camp fell.", "Army") == "According to the Army, the camp fell."
    assert named_as_source("The FF's spokesman said 31 died.", ["FF"])
    assert not named_as_source("Troops fought the FF near the ridge, officials said.", ["FF"])


def test_attribution_lowercases_only_common_first_words() -> None:
    assert attribute("Each ship costs more.", "Olav Jessen") == (
        "According to Olav Jessen, each ship costs more."
    )
    assert attribute("Twelve were hurt.", "Army").endswith(", twelve were hurt.")
    assert attribute("One soldier died.", "Army").endswith(", one soldier died.")
    assert attribute("Brennic said no.", "UMF").endswith(", Brennic said no.")
    assert attribute("IT systems failed.", "UMF").endswith(", IT systems failed.")


def test_datelines_are_stripped() -> None:
    assert strip_dateline("OSTER, Valdia, March 3 (Wire): The FF said 31 died.") == (
        "The FF said 31 died."
    )
    assert strip_dateline("The FF said 31 died.") == "The FF said 31 died."


def test_an_opening_according_to_gets_the_party_in_its_place() -> None:
    from assistant.verify.verifier import attribute

    assert attribute("According to the union, 900 walked out.", "Selk Union") == (
        "According to the Selk Union, 900 walked out."
    )
    assert attribute("According to Ana Ruiz, 900 walked out.", "Selk Union") == (
        "According to Ana Ruiz of the Selk Union, 900 walked out."
    )
    assert attribute("Some 900 walked out.", "Selk Union") == (
        "According to the Selk Union, some 900 walked out."
    )


def test_a_first_person_claim_is_quoted_whole() -> None:
    from assistant.verify.verifier import attribute

    assert attribute("I would vote against the bill.", "Ana Ruiz") == (
        "According to Ana Ruiz: “I would vote against the bill.”"
    )


def test_a_generic_trailing_speaker_gets_the_party_name_not_a_second_attribution() -> None:
    from assistant.verify.verifier import name_generic_speaker

    text = "Thursday's gauge stood 3 metres above normal, the agency said."
    fixed = name_generic_speaker(text, "the agency", "Brindle Water Agency")
    assert fixed == "Thursday's gauge stood 3 metres above normal, the Brindle Water Agency said."
    # a speaker that is not a head word of the party, or not the source, is left alone
    assert name_generic_speaker(text, "the council", "Brindle Water Agency") is None
    assert (
        name_generic_speaker("The agency's gauge was broken.", "the agency", "Brindle Water Agency")
        is None
    )
    assert name_generic_speaker(text, "Ana Ruiz", "Brindle Water Agency") is None


def test_a_pronoun_speaker_is_named_in_place_but_never_inside_a_quotation() -> None:
    from assistant.verify.verifier import name_generic_speaker

    assert (
        name_generic_speaker("She accused the board of delays.", "She", "Ana Ruiz")
        == "Ana Ruiz accused the board of delays."
    )
    assert (
        name_generic_speaker('"Nothing is settled," he told reporters.', "he", "Ana Ruiz")
        == '"Nothing is settled," Ana Ruiz told reporters.'
    )
    assert name_generic_speaker('Ruiz wrote: "she said nothing".', "she", "Ana Ruiz") is None


def test_a_participle_reports_for_the_named_subject() -> None:
    from assistant.verify.verifier import names_party

    said = "The Velm Port Authority kept fees unchanged on Monday, saying traffic had fallen."
    assert names_party(said, ["Velm Port Authority"])
    assert not names_party("The Velm Port Authority kept fees unchanged.", ["Velm Port Authority"])
    # the participle is another subject's: the party's claim must still be attributed
    raided = "Soldiers raided the Velm Front's offices on Monday, claiming they held weapons."
    assert not names_party(raided, ["Velm Front"])


def test_an_added_source_drops_an_interview_label_and_lowers_a_common_opener() -> None:
    from assistant.verify.verifier import attribute

    assert attribute("A: Our divers found 12 hulls.", "Velm Rescue") == (
        "According to Velm Rescue: “Our divers found 12 hulls.”"
    )
    assert attribute("Fishing and swimming are banned on the bay.", "Velm Port Authority") == (
        "According to the Velm Port Authority, fishing and swimming are banned on the bay."
    )
    assert attribute("Several piers were closed.", "Velm Port Authority").startswith(
        "According to the Velm Port Authority, several"
    )
    # a capitalised name that ends in -ing before another name stays as written
    assert attribute("Kesting Harbour reopened.", "Velm Port Authority").endswith(
        ", Kesting Harbour reopened."
    )


def test_a_possessive_party_name_takes_no_article() -> None:
    from assistant.verify.verifier import display_party

    assert display_party("Velor’s Foreign Ministry") == "Velor’s Foreign Ministry"
    assert display_party("Velor's Energy Authority") == "Velor's Energy Authority"
    assert display_party("Velor Army") == "the Velor Army"


def test_a_claim_naming_its_party_by_a_short_form_of_its_name_gets_no_prefix() -> None:
    from dataclasses import replace

    short = replace(
        _ev("Oster says about 3,500 litres of water escaped.", "Oster Chemicals", 7),
        speaker="Oster",
    )
    kept, repairs = _one("Oster says about 3,500 litres of water escaped.", short)
    assert [k.text for k in kept] == ["Oster says about 3,500 litres of water escaped."]
    assert repairs == []
    # a speaker that is no part of the party's name still gets the party beside it
    other = replace(short, speaker="Ana Ruiz", text="Ana Ruiz says 3,500 litres escaped.")
    [kept], _ = _one("Ana Ruiz says 3,500 litres escaped.", other)
    assert "Oster Chemicals" in kept.text


def test_a_short_form_only_mentioned_beside_another_speaker_still_gets_the_party() -> None:
    from dataclasses import replace

    mention = replace(
        _ev("Oster's rival Vell Corp said 3,500 litres escaped.", "Oster Chemicals", 8),
        speaker="Oster",
    )
    [kept], _ = _one("Oster's rival Vell Corp said 3,500 litres escaped.", mention)
    assert kept.text.startswith("According to Oster Chemicals")
