"""Cues beyond "said": stance, judgement and knowledge predicates, and where they may sit.

Small invented sentences; each asserts who the ledger names as the source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.claims.attribution import (
    EXPLICIT,
    NARRATOR,
    load_reporting_lexicon,
)
from tests.assistant.claims.ledger import attribute

if TYPE_CHECKING:
    from spacy.language import Language


def test_stance_object_verbs_are_in_the_lexicon() -> None:
    lexicon = load_reporting_lexicon()
    for form in ("proposed", "supports", "mocked", "praising"):
        assert form in lexicon.verbs
        assert form in lexicon.object_verbs
    for form in ("sees", "knew", "understood", "decided", "found", "shows"):
        assert form in lexicon.verbs
        assert form not in lexicon.object_verbs  # these need a clause or an "as" complement


def test_a_position_on_a_noun_object_names_its_holder(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday. "
        "Governor Ilse Varkonen has proposed a toll on every ferry. "
        "Senator Piet Ormandy mocked the plan."
    )
    records = attribute(nlp, text)
    assert records[0].party == NARRATOR
    assert [(r.cue, r.speaker) for r in records[1:]] == [
        (EXPLICIT, "Governor Ilse Varkonen"),
        (EXPLICIT, "Senator Piet Ormandy"),
    ]
    assert all(r.text[: len(r.speaker or "")] == r.speaker for r in records[1:])


def test_a_judgement_with_an_as_complement_or_a_decision(nlp: Language) -> None:
    text = (
        "Senator Piet Ormandy sees the toll as a tax on the poor. "
        "Governor Ilse Varkonen decided to delay the vote."
    )
    records = attribute(nlp, text)
    assert [(r.cue, r.speaker) for r in records] == [
        (EXPLICIT, "Senator Piet Ormandy"),
        (EXPLICIT, "Governor Ilse Varkonen"),
    ]


def test_a_cue_in_a_relative_participle_or_gerund_clause(nlp: Language) -> None:
    text = (
        "The toll would mostly hurt commuters, who want to keep the old ferry. "
        "Groups supporting the governor spent heavily on radio. "
        "The senator ended the debate by saying that the toll was dead. "
        "The quay, which cost 40 million, opened on Monday."
    )
    records = attribute(nlp, text)
    assert [(r.cue, r.speaker) for r in records[:3]] == [
        (EXPLICIT, "commuters, who"),
        (EXPLICIT, "Groups"),
        (EXPLICIT, "The senator"),
    ]
    assert records[3].party == NARRATOR  # a thing's relative clause with no cue


def test_a_complement_clause_holds_no_cue_of_its_own(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday. "
        "The plan needs evidence that the toll will do what the governor promises."
    )
    records = attribute(nlp, text)
    assert records[1].party == NARRATOR


def test_a_relative_clause_speaker_span_reaches_the_relative_pronoun(nlp: Language) -> None:
    text = "The toll would mostly hurt commuters, who want to keep the old ferry."
    record = attribute(nlp, text)[0]
    assert record.speaker == "commuters, who"
    assert record.speaker_start is not None
    assert text[record.speaker_start : record.speaker_end] == record.speaker


def test_a_position_carried_by_a_preposition(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday. "
        "Senator Piet Ormandy pointed to the cost of the old ferry. "
        "The two ports have quarrelled for years over the channel."
    )
    records = attribute(nlp, text)
    assert (records[1].cue, records[1].speaker) == (EXPLICIT, "Senator Piet Ormandy")
    assert records[2].cue != EXPLICIT  # "for years" is no position


def test_the_outlets_own_verification_is_the_narrators(nlp: Language) -> None:
    text = (
        "The Ormandy Group posted what it said was a list of 300 names. "
        "The Courier was able to confirm that two of the names were real."
    )
    records = attribute(nlp, text)
    assert records[0].cue == EXPLICIT
    assert records[1].party == NARRATOR


def test_a_position_noun_speaks_for_its_possessor_without_taking_the_account(
    nlp: Language,
) -> None:
    text = (
        "Governor Ilse Varkonen said the toll would pay for the quay. "
        "The vote could blunt Senator Piet Ormandy's demands for a cheaper ferry. "
        "The quay will open in May."
    )
    records = attribute(nlp, text)
    assert records[1].cue == EXPLICIT
    assert records[1].speaker is not None and "Ormandy" in records[1].speaker
    assert records[1].party != records[0].party
    # the running account stays the governor's
    assert records[2].party in (records[0].party, NARRATOR)


def test_a_transcript_label_names_the_speaker(nlp: Language) -> None:
    text = "Senator Piet Ormandy: We will never accept a toll on the ferry."
    record = attribute(nlp, text)[0]
    assert (record.cue, record.speaker) == (EXPLICIT, "Senator Piet Ormandy")


def test_a_negated_position_is_a_position_but_a_negated_saying_is_an_absence(
    nlp: Language,
) -> None:
    text = (
        "Senator Piet Ormandy did not blame the governor for the delay. "
        "The governor did not say how many ferries would run."
    )
    records = attribute(nlp, text)
    assert (records[0].cue, records[0].speaker) == (EXPLICIT, "Senator Piet Ormandy")
    assert records[1].cue != EXPLICIT


def test_a_verb_delivering_a_statement_noun_is_a_cue(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday. "
        "Senator Piet Ormandy took a swipe at the governor over the toll."
    )
    records = attribute(nlp, text)
    assert (records[1].cue, records[1].speaker) == (EXPLICIT, "Senator Piet Ormandy")


def test_a_statement_noun_received_or_provoked_is_not_delivered(nlp: Language) -> None:
    text = (
        "The harbour board opened the new quay on Monday. "
        "The toll plan drew criticism from ferry users. "
        "Commuters have heard such promises before."
    )
    records = attribute(nlp, text)
    # the plan that drew criticism is no source; the "from" phrase holds the criticism
    assert (records[1].cue, records[1].speaker) == (EXPLICIT, "ferry users")
    assert records[2].cue != EXPLICIT


def test_a_share_of_respondents_speaks_through_the_survey(nlp: Language) -> None:
    text = "In a new Courier poll, 60 percent of commuters said the toll was too high."
    record = attribute(nlp, text)[0]
    assert record.cue == EXPLICIT
    assert record.speaker is not None and record.speaker.endswith("poll")
    assert "percent" not in record.speaker


def test_the_object_of_a_causing_verb_speaks_its_infinitive(nlp: Language) -> None:
    text = (
        "The late timing of the vote led councillors to say that the mayor was hiding the plan. "
        "The flood at Tarvel has forced the candidates to admit that the levees were too low. "
        "Governor Ilse Varkonen asked the council to reject the toll."
    )
    records = attribute(nlp, text)
    assert [(r.cue, r.speaker) for r in records] == [
        (EXPLICIT, "councillors"),
        (EXPLICIT, "the candidates"),
        (EXPLICIT, "Governor Ilse Varkonen"),  # a cue of its own: the asker holds the position
    ]


def test_a_light_verb_delivers_the_subjects_own_position(nlp: Language) -> None:
    text = (
        "Mayor Ilse Varkonen spoke in Tarvel on Monday. "
        "The mayor did offer her opinion on the ferry toll. "
        "The two port boards gave conflicting accounts of the talks."
    )
    records = attribute(nlp, text)
    assert (records[1].cue, records[1].speaker) == (EXPLICIT, "The mayor")
    assert records[2].cue != EXPLICIT  # a summary of accounts not given: no cue of its own


def test_a_subject_holding_its_own_position_noun_is_the_source(nlp: Language) -> None:
    text = (
        "Mayor Ilse Varkonen spoke in Tarvel on Monday. "
        "She has been sharpening her criticism of the port board, most recently on Monday."
    )
    record = attribute(nlp, text)[1]
    assert (record.cue, record.speaker) == (EXPLICIT, "She")


def test_support_received_is_not_delivered_so_the_survey_speaks(nlp: Language) -> None:
    text = (
        "Mayor Ilse Varkonen has support from 41 percent of Tarvel voters, while Piet Ormandy "
        "has backing from 33 percent, according to a Courier survey released on Thursday. "
        "At the race's start, Varkonen garnered just 3% support, according to polls at the time. "
        "The union issued a statement from Tarvel on Monday."
    )
    records = attribute(nlp, text)
    assert [r.speaker for r in records[:2]] == ["a Courier survey", "polls"]
    assert (records[2].cue, records[2].speaker) == (EXPLICIT, "The union")  # delivered


def test_a_that_clause_after_a_comma_is_still_the_reports_content(nlp: Language) -> None:
    text = (
        "Local media reported that during the minister's visit to Eastholm this week, "
        "Governor Ilse Varkonen repeated her demand for a new ferry."
    )
    record = attribute(nlp, text)[0]
    assert (record.cue, record.speaker) == (EXPLICIT, "Local media")


def test_a_clause_carried_by_the_object_of_a_stance_verb(nlp: Language) -> None:
    text = (
        "The ferry board met on Monday. "
        "Councillor Ada Brenmoor sees the toll as doomed by the courts. "
        "Among older commuters, only a third believe that. "
        "Dock workers have no doubt that the quay will close. "
        "The ferry board has seen evidence that the hull is sound."
    )
    records = attribute(nlp, text)
    assert records[0].party == NARRATOR
    assert [(r.cue, r.speaker) for r in records[1:4]] == [
        (EXPLICIT, "Councillor Ada Brenmoor"),
        (EXPLICIT, "only a third"),
        (EXPLICIT, "Dock workers"),
    ]
    # evidence seen is not a position of the one who saw it
    assert records[4].cue != EXPLICIT


def test_a_position_or_a_figure_credited_by_a_from_phrase(nlp: Language) -> None:
    text = (
        "The ferry board raised the toll on Monday. "
        "The new toll has drawn sharp criticism from dock workers. "
        "The estimate of the cost came from the port engineers. "
        "The ferry has drawn crowds from across the valley."
    )
    records = attribute(nlp, text)
    assert records[0].speaker == "The ferry board"
    assert [(r.cue, r.speaker) for r in records[1:3]] == [
        (EXPLICIT, "dock workers"),
        (EXPLICIT, "the port engineers"),
    ]
    # crowds are no position: the "from" phrase is only a place
    assert records[3].cue != EXPLICIT or records[3].speaker != "across the valley"


def test_verbs_of_censure_and_praise_take_a_noun_object() -> None:
    lexicon = load_reporting_lexicon()
    for form in ("castigated", "lauds", "rebuked", "bashing"):
        assert form in lexicon.object_verbs
    for form in ("views", "regarded"):
        assert form in lexicon.verbs
        assert form not in lexicon.object_verbs


def test_an_update_note_is_page_furniture(nlp: Language) -> None:
    text = (
        "The ferry board raised the toll on Monday, its chair said.\n\n"
        "This story has been updated to include comments from the ferry board."
    )
    records = attribute(nlp, text)
    assert records[0].cue == EXPLICIT
    assert (records[1].party, records[1].speaker) == (NARRATOR, None)


def test_of_two_main_clause_cues_the_one_governing_a_clause_names_the_source(
    nlp: Language,
) -> None:
    # Both conjuncts are main clauses with a specific subject; only the second reports a claim.
    text = (
        "The Marlow Grand Hotel filed objections to a vote by its staff to unionise, and the "
        "labour relations board has said that the hotel violated the workers' rights."
    )
    (record,) = attribute(nlp, text)
    assert record.cue == EXPLICIT
    assert record.speaker == "the labour relations board"
    assert record.cue_text == "said"
    # With the order reversed the clause-governing cue still wins.
    text = (
        "The labour relations board has said that the hotel violated the workers' rights, and "
        "the Marlow Grand Hotel filed objections to the vote."
    )
    (record,) = attribute(nlp, text)
    assert record.speaker == "The labour relations board"


def test_a_share_of_a_group_speaks_for_the_group(nlp: Language) -> None:
    cases = {
        "Nine in 10 registered voters say they think the levy will pass.": "registered voters",
        "A third of independents, 33%, say they feel that way.": "independents",
        "Large majorities of rural voters in six provinces said they support the plan.": (
            "rural voters"
        ),
        "Most said they were very worried about the harvest.": "respondents",
        "About 4 in 10 say they want the next council to spend more.": "respondents",
    }
    for text, party in cases.items():
        (record,) = attribute(nlp, text)
        assert (record.cue, record.party) == (EXPLICIT, party), text
        assert record.speaker and text[record.speaker_start : record.speaker_end] == record.speaker
    # A count of people is not a share: with nobody to hand it to, the claim stays unowned.
    (record,) = attribute(nlp, "Two said they saw the blast.")
    assert record.party == NARRATOR


def test_a_negation_inside_the_quotation_does_not_negate_the_saying(nlp: Language) -> None:
    text = (
        "Harbourmaster Elsa Brandt was asked whether the quay would close. "
        '"Certainly not," she said.'
    )
    records = attribute(nlp, text)
    assert (records[1].cue, records[1].speaker) == (EXPLICIT, "she")
    assert records[1].party == "Harbourmaster Elsa Brandt"


def test_a_that_clause_misparsed_as_an_adverbial_is_still_the_complement(nlp: Language) -> None:
    text = "Many Tollen Party supporters complained soon after that the long queues hurt turnout."
    (record,) = attribute(nlp, text)
    assert record.cue == EXPLICIT and record.cue_text == "complained"
    assert record.speaker is not None and "supporters" in record.speaker


def test_a_contraction_is_not_the_subject(nlp: Language) -> None:
    text = "Mayor Tom Adeyemi opened the bridge on Monday. He\u2019s said that the plan would fail."
    records = attribute(nlp, text)
    assert (records[1].cue, records[1].speaker) == (EXPLICIT, "He")
    assert records[1].party == "Tom Adeyemi"


def test_transcript_turn_labels_name_the_people_the_article_introduces(nlp: Language) -> None:
    text = (
        "Host Dana Reyes spoke with Senator Alan Pruitt on Sunday.\n\n"
        "REYES: Will you back the levy?\n\n"
        "PRUITT: I will not. The levy hurts farmers.\n\n"
        "Reyes: And the port?\n\n"
        "PRUITT: We need the port open.\n\n"
        "UPDATE: The ferry timetable was published on Monday."
    )
    records = attribute(nlp, text)
    by_text = {r.text: r for r in records}
    for sentence in ("PRUITT: I will not.", "PRUITT: We need the port open."):
        record = by_text[sentence]
        assert (record.cue, record.speaker, record.party) == (EXPLICIT, "PRUITT", "Alan Pruitt")
        assert text[record.speaker_start : record.speaker_end] == "PRUITT"
    assert by_text["The levy hurts farmers."].party == "Alan Pruitt"
    reyes = [r for r in records if r.speaker in ("REYES", "Reyes")]
    assert reyes and all(r.party == "Dana Reyes" for r in reyes)
    # A label naming nobody the article introduces is page furniture, not a speaker.
    update = [r for r in records if r.text.startswith("UPDATE")]
    assert update and all(r.party == NARRATOR for r in update)


def test_a_bare_demonstrative_is_no_speaker(nlp: Language) -> None:
    text = (
        "Mayor Ilse Varn defended the budget on Monday. "
        "That said, she also noted that the plan was costly."
    )
    records = attribute(nlp, text)
    assert (records[1].cue, records[1].speaker, records[1].cue_text) == (EXPLICIT, "she", "noted")


def test_general_reporting_verbs_and_their_prepositions_are_cues(nlp: Language) -> None:
    cases = {
        "Economist Rhea Tull posited that the tariff would raise prices.": "posited",
        "Governor Abe Lint pleaded for patience from commuters.": "pleaded",
        "Coach Mara Venn gushed about the new stadium.": "gushed",
        "Chief Ovo Bansi spoke highly of the rescue teams.": "spoke",
        "The central bank has signaled that rates will stay high.": "signaled",
    }
    for text, verb in cases.items():
        (record,) = attribute(nlp, text)
        assert (record.cue, record.cue_text) == (EXPLICIT, verb), text
    # the same verb with a plain object reports nothing
    (record,) = attribute(nlp, "The ship signaled a turn to port.")
    assert record.cue != EXPLICIT
