"""Quotations across sentences and paragraphs: whose each quoted sentence is (made-up text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.claims.attribution import SentenceAttribution
from tests.assistant.claims.ledger import attribute as ledger_attribute

if TYPE_CHECKING:
    from spacy.language import Language


def attribute(nlp: Language, text: str) -> list[SentenceAttribution]:
    return ledger_attribute(nlp, text, continuation_model=False)


def speaker_at(text: str, record: SentenceAttribution) -> str | None:
    if record.speaker_start is None or record.speaker_end is None:
        return None
    return text[record.speaker_start : record.speaker_end]


def record_of(records: list[SentenceAttribution], start: str) -> SentenceAttribution:
    return next(r for r in records if r.text.startswith(start))


def test_a_floating_quote_after_a_newly_named_source_is_that_source_s(nlp: Language) -> None:
    text = (
        '"We will build the bridge by May," said Orla Menth, the transport minister.\n\n'
        "Last week, Dario Pelk told a crowd in the square that the plan was far too costly. "
        '"Nobody here asked for a bridge at all."'
    )
    records = attribute(nlp, text)
    floating = record_of(records, '"Nobody')
    assert "Pelk" in floating.party
    assert speaker_at(text, floating) == "Dario Pelk"


def test_a_cue_split_off_its_quotation_attributes_it(nlp: Language) -> None:
    text = (
        "The tram line was meant to open in the spring.\n\n"
        '"Where are the buses? Nobody has seen one since noon!" Dario Pelk said. "The depot '
        'owes us an answer."'
    )
    records = attribute(nlp, text)
    quoted = [record_of(records, start) for start in ('"Where', "Nobody", '"The depot')]
    assert all("Pelk" in r.party for r in quoted)
    assert [speaker_at(text, r) for r in quoted] == ["Dario Pelk"] * 3


def test_a_split_cue_that_found_itself_through_the_quotation_still_lends_its_speaker(
    nlp: Language,
) -> None:
    # Typewriter quotes: the splitter leaves the next quotation's opening marks on the cue
    # sentence, which then finds "said" as its own cue (after a split quotation); the quotation
    # before it is still that speaker's, with the span on this mention.
    text = (
        "Jana Arden spoke on Friday.\n\n"
        "''Wasn't that the ultimate sacrifice?'' Mrs. Arden said. ''And what did he get?''"
    )
    records = attribute(nlp, text)
    quoted = record_of(records, "''Wasn't")
    assert quoted.party == "Jana Arden"
    assert speaker_at(text, quoted) == "Mrs. Arden"
    assert quoted.speaker_start == text.index("Mrs. Arden")


def test_a_sentence_with_content_after_a_quotation_is_not_a_split_cue(nlp: Language) -> None:
    text = (
        "The tram line was meant to open in the spring.\n\n"
        '"Where are the buses?" The council said the depot was ready.'
    )
    records = attribute(nlp, text)
    council = record_of(records, "The council")
    assert "council" in council.party.lower() and council.cue == "explicit"
    # the question is not the council's: the council's sentence has content of its own
    assert "council" not in record_of(records, '"Where').party.lower()


def test_a_quotation_over_paragraphs_takes_the_cue_of_its_last_paragraph(nlp: Language) -> None:
    text = (
        "The line opened in 2019 and has been closed twice since.\n\n"
        '"The depot will not be ready until the spring, and the trains are still being tested.'
        '\n\n"We cannot open a line that is not safe," Orla Menth said.'
    )
    records = attribute(nlp, text)
    first = record_of(records, '"The depot')
    assert "Menth" in first.party
    assert speaker_at(text, first) == "Orla Menth"


def test_a_closed_quotation_does_not_run_into_the_next_paragraph(nlp: Language) -> None:
    text = (
        "The line opened in 2019 and has been closed twice since.\n\n"
        '"The depot will not be ready until the spring, and the trains are still being tested."'
        '\n\n"We cannot open a line that is not safe," Orla Menth said.'
    )
    records = attribute(nlp, text)
    assert "Menth" not in record_of(records, '"The depot').party


def test_a_quotation_framed_by_a_comma_or_colon_is_its_clause_subject_s(nlp: Language) -> None:
    text = (
        "The minister spoke at the depot on Monday.\n\n"
        'Dario Pelk went on, "We will not wait for the council. It has had ten years."\n\n'
        'Orla Menth summed up the mood: "The trains are old. They break every week."\n\n'
        '"Nobody asked us about the route at all," Ivo Darr went on, shaking his head.'
    )
    records = attribute(nlp, text)
    expected = {
        "Dario Pelk went": "Dario Pelk",
        "It has had": "Dario Pelk",
        "Orla Menth summed": "Orla Menth",
        "They break": "Orla Menth",
        '"Nobody asked': "Ivo Darr",
    }
    for start, speaker in expected.items():
        record = record_of(records, start)
        assert speaker_at(text, record) == speaker, start
        assert speaker.split()[-1] in record.party


def test_a_reporter_s_phrase_after_a_comma_is_not_a_framed_quotation(nlp: Language) -> None:
    text = (
        "The minister spoke at the depot on Monday.\n\n"
        'The old plant closed in May, "a dark day for the whole town."'
    )
    records = attribute(nlp, text)
    assert record_of(records, "The old plant").cue != "explicit"


def test_a_short_verbless_sentence_inside_a_quotation_is_speech(nlp: Language) -> None:
    text = (
        "The mayor spoke on Monday.\n\n"
        '"Honestly? A fine mess. The council knew it all along," Ada Lusk said.'
    )
    records = attribute(nlp, text)
    for start in ('"Honestly?', "A fine mess"):
        record = record_of(records, start)
        assert "Lusk" in record.party, start
        assert speaker_at(text, record) == "Ada Lusk"


def test_a_short_credit_line_outside_quotations_is_still_furniture(nlp: Language) -> None:
    records = attribute(nlp, "The mayor said the plan was ready.\n\n(Reporting Desk)")
    credit = record_of(records, "(Reporting")
    assert credit.party == "narrator" and credit.cue == "none"


def test_a_frame_cut_off_after_a_quoted_exclamation_attributes_it(nlp: Language) -> None:
    text = (
        "The mayor spoke on Monday.\n\n"
        '"No more tolls! No more queues!" some drivers shouted, two days after the new toll '
        "began, as they walked down the main avenue in the rain."
    )
    records = attribute(nlp, text)
    for start in ('"No more tolls', "No more queues"):
        record = record_of(records, start)
        assert "driver" in record.party, start
        assert speaker_at(text, record) == "some drivers"


def test_an_opening_mark_left_on_the_sentence_before_is_not_its_quotation(nlp: Language) -> None:
    text = (
        "The board split on the plan. Two members voted no. ''I would have waited a year,'' "
        "said Ann Vole, the treasurer. ''The money is not there yet.''"
    )
    records = attribute(nlp, text)
    assert record_of(records, "Two members").quotes == ()
    waited = record_of(records, "I would have")
    assert [q.speaker for q in waited.quotes] == ["Ann Vole"]
    assert "Vole" in record_of(records, "The money").party


def test_british_single_quotation_marks_are_quotations(nlp: Language) -> None:
    from assistant.claims.quotes import quote_regions

    paragraph = "‘We will not go back,’ she said. ‘The drivers’ union agrees, and we don’t.’"
    assert [paragraph[a:b] for a, b in quote_regions(paragraph)] == [
        "‘We will not go back,’",
        "‘The drivers’ union agrees, and we don’t.’",
    ]
    # with double marks in the paragraph, single marks are quotations inside quotations
    nested = '"She told us, ‘Not now,’ and left," he said.'
    regions = quote_regions(nested)
    assert [nested[a:b] for a, b in regions] == ['"She told us, ‘Not now,’ and left,"']
    text = (
        "The depot closed on Monday.\n\n"
        "‘We will not go back to work until the council listens,’ said Ada Lusk. ‘Nobody here "
        "wants a strike.’"
    )
    records = attribute(nlp, text)
    later = record_of(records, "‘Nobody")
    assert "Lusk" in later.party and speaker_at(text, later) == "Ada Lusk"
