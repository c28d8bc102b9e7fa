"""The running account stops at a sentence whose subject is an actor of its own (made-up text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.claims.records import CONTINUATION, EXPLICIT, NO_CUE
from assistant.types import NARRATOR
from tests.assistant.claims.ledger import attribute as ledger_attribute

if TYPE_CHECKING:
    from spacy.language import Language


def attribute(nlp: Language, text: str, title: str = "") -> list[tuple[str, str]]:
    records = ledger_attribute(nlp, text, title=title, continuation_model=False)
    return [(r.party, r.cue) for r in records]


def test_another_named_subject_ends_the_account(nlp: Language) -> None:
    assert attribute(
        nlp,
        "Mira Holt, the mayor of Tessin, said the bridge would reopen in May. The repairs would "
        "cost two million crowns. Jon Darrel resigned from the council on Friday. The works "
        "would take six weeks.",
    ) == [
        ("Mira Holt", EXPLICIT),
        ("Mira Holt", CONTINUATION),
        (NARRATOR, NO_CUE),
        (NARRATOR, NO_CUE),  # the account is closed, not resumed
    ]


def test_the_source_named_again_goes_on_with_its_account(nlp: Language) -> None:
    assert attribute(
        nlp,
        "Mira Holt said the bridge would reopen in May. The repairs would cost two million "
        "crowns. Holt would oversee the works herself.",
    ) == [("Mira Holt", EXPLICIT), ("Mira Holt", CONTINUATION), ("Mira Holt", CONTINUATION)]


def test_a_person_pronoun_cannot_continue_an_organisation(nlp: Language) -> None:
    parties = attribute(
        nlp,
        "The Velorian Rail Board said fares would rise in June. The rise would be the first in "
        "four years. She has fought the rise since March.",
    )
    assert parties[1] == ("Velorian Rail Board", CONTINUATION)
    assert parties[2] == (NARRATOR, NO_CUE)


def test_first_person_outside_quotation_marks_is_the_writer(nlp: Language) -> None:
    parties = attribute(
        nlp,
        "Ana Brisk said the plant would close in the spring. The closure would cost 300 jobs. "
        "I visited the plant last week.",
    )
    assert parties[1] == ("Ana Brisk", CONTINUATION)
    assert parties[2] == (NARRATOR, NO_CUE)


def test_the_source_s_own_deed_in_the_simple_past_is_the_reporter_s(nlp: Language) -> None:
    parties = attribute(
        nlp,
        "Mira Holt said the bridge would reopen in May. The repairs would cost two million "
        "crowns. She flew to the capital on Friday.",
    )
    assert parties[1] == ("Mira Holt", CONTINUATION)
    assert parties[2] == (NARRATOR, NO_CUE)


def test_a_backshifted_or_modal_verb_stays_reported(nlp: Language) -> None:
    parties = attribute(
        nlp,
        "Mira Holt said the bridge would reopen in May. She had ordered new steel in March. "
        "She would also need more money from the council.",
    )
    assert parties[1:] == [("Mira Holt", CONTINUATION), ("Mira Holt", CONTINUATION)]


def test_a_continued_sentence_naming_the_party_takes_that_mention_as_its_span(
    nlp: Language,
) -> None:
    text = (
        "Councillor Mira Brell said the depot would close in June, citing its costs. "
        "She had fought to keep it open since 2019."
    )
    records = ledger_attribute(nlp, text, continuation_model=False)
    assert records[1].cue == CONTINUATION and records[1].party == records[0].party
    assert records[1].speaker == "She"
    assert records[1].speaker_start == text.index("She")


def test_looking_for_a_continued_sentences_own_mention_learns_no_party(nlp: Language) -> None:
    from assistant.claims.parties import PartyRegistry

    text = (
        "Councillor Mira Brell said the depot would close in June, citing its costs. "
        "The depot had opened in 1990."
    )
    registry = PartyRegistry()
    records = ledger_attribute(nlp, text, registry=registry, continuation_model=False)
    assert records[1].speaker_start == records[0].speaker_start  # the account's mention
    assert registry.resolve("The depot") is None


def test_a_hyphenated_description_of_a_body_is_the_body_last_named(nlp: Language) -> None:
    parties = attribute(
        nlp,
        "Velmora Pharma said its new pill slowed kidney decline. The trial will support "
        "applications to regulators this year, the Tessin-based company says.",
    )
    assert [p for p, _ in parties] == ["Velmora Pharma", "Velmora Pharma"]


def test_a_deed_that_could_not_reach_a_place_is_no_verification_note(nlp: Language) -> None:
    """'could not reach the post' is the group's account going on; only 'could not be reached
    (for comment)' is the reporter's note."""
    records = attribute(
        nlp,
        "In a statement, the Orvik Front said the assault began shortly before midnight. Its "
        "fighters cut the road in two places so that reinforcements could not reach the post. "
        "Only two of the front's fighters were wounded.",
    )
    assert records == [
        ("Orvik Front", EXPLICIT),
        ("Orvik Front", CONTINUATION),
        ("Orvik Front", CONTINUATION),
    ]
    noted = attribute(
        nlp,
        "The Orvik Front said it had taken the post. A spokesman for the army could not be "
        "reached for comment.",
    )
    assert noted[1] == (NARRATOR, NO_CUE)


def test_who_was_quoted_as_saying_is_the_speaker_not_who_carried_it(nlp: Language) -> None:
    records = ledger_attribute(
        nlp,
        "The Velm Army said four soldiers were killed. The spokesman, Major Ansel Dorn, was "
        "quoted by state radio as saying that the figures were a fantasy. Chief executive Ida "
        "Kest of Orvik Mining was quoted in a memo to staff as saying that the firm had waited "
        "too long.",
        continuation_model=False,
    )
    assert "Dorn" in (records[1].speaker or "") and "radio" not in records[1].party
    assert records[2].cue == EXPLICIT and "Ida Kest" in (records[2].speaker or "")


def test_a_datelines_city_is_no_body_a_later_kind_word_points_back_to(nlp: Language) -> None:
    records = attribute(
        nlp,
        "ORVIK, 11 June — Orvik City Council's governing coalition on Thursday unveiled a budget "
        "that it said would close a deficit of 38 million crowns.\n\nTo close the gap, the "
        "coalition plans to merge four libraries.",
    )
    assert records[1][0] == "Orvik City Council", records


def test_common_news_constructions_name_their_source(nlp: Language) -> None:
    """A plural figure noun ('put the numbers far lower'), a plural role of 'its' ('Its
    leaders'), a subject the parser tied to an opening phrase ('In a message to journalists,
    its negotiator, X, said'), and a description by place and product ('the Kest-based maker
    of ferries')."""
    police = attribute(
        nlp,
        "The Orvik Farmers' Union said 9,000 people joined the march. Velm City Police put the "
        "numbers far lower, at about 2,400 people. Its leaders are demanding that the levy go.",
    )
    assert police[1] == ("Velm City Police", EXPLICIT)
    front = attribute(
        nlp,
        "The Orvik Front gave a much broader account. In a message to journalists, its "
        "negotiator, Anselm Dorn, said the two sides had agreed to a 10-day ceasefire. Dorn "
        "denied that the front held any prisoners.",
    )
    assert front == [("Orvik Front", EXPLICIT)] * 3
    maker = attribute(
        nlp,
        "Velm Marine said on Tuesday it would cut 600 jobs. The Kest-based maker of ferries and "
        "tugs blamed weak demand. Revenue fell 9% in the half year.",
    )
    assert maker == [
        ("Velm Marine", EXPLICIT),
        ("Velm Marine", EXPLICIT),
        ("Velm Marine", CONTINUATION),
    ]


def test_who_was_given_a_figure_is_no_source_of_it(nlp: Language) -> None:
    records = attribute(
        nlp,
        "A Velm Marine spokesman denied that staff had been told in advance. Managers had "
        "attended a planning meeting but were given no numbers.",
    )
    assert records[1][0] != "Managers"


def test_his_lawyer_serves_the_man_last_named_not_the_woman_before_him(nlp: Language) -> None:
    """'Mr X' is a person whom 'his lawyer' serves even where the tagger misses the name, and
    'his' passes over a source called 'Ms'."""
    records = attribute(
        nlp,
        "Opening the case, prosecutor Ms Ilsa Brandt said the firm never made the loans. Mr "
        "Orvik, 44, denies fraud. His lawyer, Jonas Velm, insisted that the firm was a genuine "
        'business. "My client lost his own savings too," Mr Velm told the court.',
    )
    assert [party for party, _ in records[1:]] == ["Mr Orvik"] * 3, records


def test_the_interviewee_the_outlet_spoke_to_owns_the_answers(nlp: Language) -> None:
    records = attribute(
        nlp,
        "On Wednesday the Velm Appeals Tribunal halved the ban on the cyclist Nico Orvik. In "
        "its decision, the tribunal said he had been negligent. The Clarion spoke to his "
        "lawyer, Ida Kest, in Brask.\n\nQ: Is a two-year ban a victory?\n\nA: It is half a "
        "victory. The tribunal accepted what Nico has said since the first day.",
    )
    assert records[-2:] == [("Nico Orvik", CONTINUATION)] * 2, records
    # the interviewee as the subject ('X spoke to the Gazette') is found as before
    spoke = attribute(
        nlp,
        "The charity Velm Rescue says the toll is far higher. Its director, Ana Brisk, spoke to "
        "the Gazette by telephone.\n\nQ: How many have died?\n\nA: We have counted 52 bodies.",
    )
    assert spoke[-1] == ("Velm Rescue", CONTINUATION), spoke


def test_a_columns_closing_note_names_the_columnist(nlp: Language) -> None:
    records = attribute(
        nlp,
        "Lake Orvik is not a bottomless reservoir.\n\nKest Data says its plant used 1.4 million "
        "litres a day. The utility's meters say 4.2 million.\n\nI spent eleven years reading "
        "meter data for the board, and I know what such gaps mean. A company that raised its "
        "own estimate has not earned the benefit of the doubt.\n\nAna Velm is a "
        "hydrologist. This is an opinion column; the views expressed are her own.",
        title="Opinion: Lake Orvik cannot keep cooling the cloud",
    )
    assert records[0] == ("Ana Velm", CONTINUATION)
    assert records[3][0] == "Ana Velm" and records[4][0] == "Ana Velm", records
    assert records[-1] == (NARRATOR, NO_CUE)


def test_a_spokesman_for_a_countrys_navy_speaks_for_that_military(nlp: Language) -> None:
    records = attribute(
        nlp,
        "Velm's navy said a Kestian frigate fired shells near its patrol ship. Kest's navy gave "
        "a different account. “A warship does not fire by accident,” Commander Ivo Dorn, a "
        "spokesman for the Velmian navy, told reporters.",
    )
    assert records[1][0] == "Kest military" and records[2][0] == "Velm military", records


def test_a_reported_clause_the_parser_read_as_a_noun_phrase_is_still_a_report(
    nlp: Language,
) -> None:
    records = attribute(
        nlp,
        "Orvik Biologics says its experimental vaccine Velmacin cut hospitalizations from "
        "respiratory syncytial virus by 71% among adults over 60 in a large trial.",
    )
    assert records == [("Orvik Biologics", EXPLICIT)], records
    # a relative clause inside an object is no report: 'the levy would charge farms ... they draw'
    levy = attribute(
        nlp,
        "The levy, which takes effect in January, would charge farms 0.9 crowns for every cubic "
        "metre of water they draw above a free allowance.",
    )
    assert levy == [(NARRATOR, NO_CUE)], levy
