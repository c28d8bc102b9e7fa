"""Cues that frame a clause from the side: verbs that are speech only around a quotation, a
reporting verb set off by commas, "as X put it", a passive "by" phrase the parser misplaced, a
statement noun's "by" phrase, one person under two titles, and subjects that name nobody.

Small invented sentences; each asserts who the ledger names as the source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.claims.attribution import (
    EXPLICIT,
    NARRATOR,
)
from assistant.claims.cues import load_quote_frame_verbs, load_reporting_lexicon
from tests.assistant.claims.ledger import attribute

if TYPE_CHECKING:
    from spacy.language import Language


def test_quote_frame_verbs_are_not_reporting_verbs_on_their_own() -> None:
    frames = load_quote_frame_verbs()
    verbs = load_reporting_lexicon().verbs
    for form in ("continued", "laughed", "began"):
        assert form in frames
        assert form not in verbs


def test_a_verb_that_frames_a_quotation_reports_it(nlp: Language) -> None:
    text = (
        "Senator Piet Ormandy spoke for an hour at the quay.\n\n"
        '"The ferry has served us for a century," Ormandy continued.\n\n'
        'Ormandy continued, "Every family here depends on the old crossing."\n\n'
        "Ferry fares continued to rise in May."
    )
    records = attribute(nlp, text)
    assert [(r.cue, r.speaker) for r in records[1:3]] == [
        (EXPLICIT, "Ormandy"),
        (EXPLICIT, "Ormandy"),
    ]
    assert records[3].cue != EXPLICIT  # "continued to rise" frames no quotation


def test_a_reporting_verb_set_off_by_commas_names_the_source(nlp: Language) -> None:
    text = (
        "Above all, Senator Piet Ormandy wrote, the old harbour must stay open to all boats.\n\n"
        "The harbour board rejected the plan, Governor Ilse Varkonen told reporters."
    )
    records = attribute(nlp, text)
    assert [(r.cue, r.speaker) for r in records] == [
        (EXPLICIT, "Senator Piet Ormandy"),
        (EXPLICIT, "Governor Ilse Varkonen"),
    ]


def test_a_trailing_verb_with_an_object_of_its_own_is_content(nlp: Language) -> None:
    text = (
        "Next spring the ferry timetable will favour early crossings and school runs, "
        "the harbour board says."
    )
    record = attribute(nlp, text)[0]
    assert (record.cue, record.speaker) == (EXPLICIT, "the harbour board")


def test_as_someone_put_it(nlp: Language) -> None:
    text = 'Or, as Piet Ormandy, a former senator, put it: "The toll is a tax on the poor."'
    record = attribute(nlp, text)[0]
    assert (record.cue, record.speaker, record.cue_text) == (EXPLICIT, "Piet Ormandy", "put")


def test_a_passive_by_phrase_hung_from_the_complement(nlp: Language) -> None:
    text = 'The toll has been called "a tax on the poor" by Ilse Varkonen, a historian.'
    record = attribute(nlp, text)[0]
    assert (record.cue, record.speaker) == (EXPLICIT, "Ilse Varkonen")


def test_a_statement_nouns_by_phrase_with_a_clause(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday.\n\n"
        "There was also a report by the Harbour Gazette that the quay had cost twice as much.\n\n"
        "There was also a report by the board on the quay."
    )
    records = attribute(nlp, text)
    assert (records[1].cue, records[1].speaker) == (EXPLICIT, "the Harbour Gazette")
    assert records[2].cue != EXPLICIT  # no clause: a document, not a position the board holds


def test_one_person_under_two_titles(nlp: Language) -> None:
    text = (
        "Party leader and former mayor Piet Ormandy said on Friday that he had kept the "
        "harbour accounts open."
    )
    record = attribute(nlp, text)[0]
    assert record.cue == EXPLICIT
    assert record.speaker is not None and record.speaker.endswith("Piet Ormandy")


def test_a_subject_that_names_nobody_is_no_source(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday.\n\n"
        "Nobody replied to the letter from the ferry crews."
    )
    assert attribute(nlp, text)[1].party == NARRATOR


def test_a_founding_is_no_finding(nlp: Language) -> None:
    lexicon = load_reporting_lexicon()
    assert "found" in lexicon.verbs
    assert "founded" not in lexicon.verbs
    assert "predicted" in lexicon.object_verbs
    text = "The ferry company was founded in 1902 by Piet Ormandy."
    assert attribute(nlp, text)[0].party == NARRATOR


def test_a_speaker_after_a_quotation_when_the_parse_loses_it(nlp: Language) -> None:
    text = (
        '"The harbour is safe for every boat tonight," said retired judge Ilse Varkonen, '
        "speaking at the quay about the storm that had closed the port for a week.\n\n"
        '"Ferries run again at dawn," posted harbour spokesman Piet Ormandy.\n\n'
        '"Agreed," posted a ferry captain who sails the night crossing.'
    )
    records = attribute(nlp, text)
    assert [(r.cue, r.speaker) for r in records] == [
        (EXPLICIT, "retired judge Ilse Varkonen"),
        (EXPLICIT, "harbour spokesman Piet Ormandy"),
        (EXPLICIT, "a ferry captain"),
    ]


def test_a_speaker_set_off_by_commas_before_a_trailing_verb(nlp: Language) -> None:
    text = (
        "The board bought two tugs for the winter storms, a press officer, "
        "Ilse Varkonen, said, and more may follow next year.\n\n"
        "The budget keeps the night ferry running until March, Transport Minister "
        "Piet Ormandy told reporters."
    )
    records = attribute(nlp, text)
    assert all(r.cue == EXPLICIT for r in records)
    assert records[0].speaker is not None and "Ilse Varkonen" in records[0].speaker
    assert records[1].speaker is not None and records[1].speaker.endswith("Piet Ormandy")


def test_a_subject_with_a_description_is_not_read_as_a_trailing_speaker(nlp: Language) -> None:
    text = "The mayor, a former ferry captain, said the toll was dead."
    record = attribute(nlp, text)[0]
    assert (record.cue, record.speaker) == (EXPLICIT, "The mayor")


def test_a_that_clause_read_as_an_object_is_still_a_clause(nlp: Language) -> None:
    text = (
        "Ilse Varkonen, a former ferry captain, agreed that the new fee is too high for "
        "island families."
    )
    record = attribute(nlp, text)[0]
    assert (record.cue, record.speaker) == (EXPLICIT, "Ilse Varkonen")


def test_a_speaker_inserted_in_a_relative_clause(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday.\n\n"
        "The crews work under the new rota, which they say hurts the night crossings most."
    )
    record = attribute(nlp, text)[1]
    assert record.cue == EXPLICIT
    assert record.cue_text == "say"


def test_a_trailing_finding_of_a_survey_names_the_survey(nlp: Language) -> None:
    text = "Most islanders would pay more for a night ferry, the harbour survey finds."
    record = attribute(nlp, text)[0]
    assert record.cue == EXPLICIT
    assert record.speaker is not None and record.speaker.endswith("harbour survey")


def test_a_clause_before_a_colon_reports_what_follows(nlp: Language) -> None:
    text = (
        "In its annual report, the Harbour Institute noted that fares have doubled since "
        "2010: 60 percent of islanders believe the ferry is too dear."
    )
    record = attribute(nlp, text)[0]
    assert record.cue == EXPLICIT
    assert record.cue_text == "noted"


def test_a_fronted_as_clause_names_the_source_of_the_main_clause(nlp: Language) -> None:
    text = "As the Courier reported on Monday, the harbour board has rejected the audit."
    record = attribute(nlp, text)[0]
    assert (record.cue, record.speaker) == (EXPLICIT, "the Courier")


def test_a_statement_put_out_by_the_subject_speaks_for_it(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday.\n\n"
        "The ferry union issued a statement denying that its crews had ignored the storm "
        "warning."
    )
    record = attribute(nlp, text)[1]
    assert (record.cue, record.speaker) == (EXPLICIT, "The ferry union")


def test_a_contributor_line_is_no_report(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday.\n\n"
        "Lina Fosk reported from Eastholm.\n\n"
        "Officials reported from the scene that 12 people had died."
    )
    records = attribute(nlp, text)
    assert records[1].party == NARRATOR
    assert (records[2].cue, records[2].speaker) == (EXPLICIT, "Officials")


def test_a_cue_split_off_after_a_quotations_question_mark(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday.\n\n"
        '"Is that fair to the islanders?" former adviser Ilse Varkonen asked on the radio.\n\n'
        '"Will the ferry survive the winter?" Piet Ormandy said, quoting a fisherman.'
    )
    records = attribute(nlp, text)
    by_text = {r.text: r for r in records}
    question = by_text['"Is that fair to the islanders?"']
    assert (question.cue, question.speaker) == (EXPLICIT, "former adviser Ilse Varkonen")
    assert by_text["former adviser Ilse Varkonen asked on the radio."].cue == EXPLICIT
    second = by_text['"Will the ferry survive the winter?"']
    assert (second.cue, second.speaker) == (EXPLICIT, "Piet Ormandy")


def test_a_quotation_not_followed_by_its_cue_borrows_nothing(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday.\n\n"
        '"Is that fair to the islanders?" The board did not say.\n\n'
        '"Is that fair?" Meanwhile the governor spoke at the quay about the toll.'
    )
    records = attribute(nlp, text)
    assert records[1].cue != EXPLICIT
    assert records[3].cue != EXPLICIT


def test_a_colon_after_the_verbs_own_short_object(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday.\n\n"
        'The board put it more bluntly: "The toll stays."\n\n'
        'The annual audit spells it out: "Two ferries lose money every winter."'
    )
    records = attribute(nlp, text)
    assert (records[1].cue, records[1].speaker) == (EXPLICIT, "The board")
    assert (records[2].cue, records[2].speaker) == (EXPLICIT, "The annual audit")


def test_the_passive_subject_of_an_infinitives_head_speaks(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday.\n\n"
        "Mayor Ilse Varkonen was forced to admit that the toll had failed.\n\n"
        "Mayor Ilse Varkonen is said to have told the board that the toll had failed."
    )
    records = attribute(nlp, text)
    assert (records[1].cue, records[1].speaker) == (EXPLICIT, "Mayor Ilse Varkonen")
    assert records[2].cue != EXPLICIT  # "is said to have told": a hedge, the teller is others


def test_more_frames_and_verbs(nlp: Language) -> None:
    text = (
        "Senator Piet Ormandy spoke for an hour at the quay.\n\n"
        '"We will win the vote," Ormandy went on.\n\n'
        "Ormandy shared with the sailors that he expects the fees to fall.\n\n"
        '"I was wrong about the ferry," Ormandy confessed.'
    )
    records = attribute(nlp, text)
    assert [(r.cue, r.speaker) for r in records[1:]] == [(EXPLICIT, "Ormandy")] * 3
