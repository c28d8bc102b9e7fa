"""Each party's position on the asked point, side by side, each with its party named
(invented stories)."""

from __future__ import annotations

from assistant.answers.focus import introduced_party, speaker_names
from assistant.answers.question import parse_question
from assistant.answers.routing import answer_from_story
from tests.assistant.answers.test_question_path import _story

AGENCY = "Selk Safety Agency"
MAKER = "Brannock Foods"
ALIASES = {AGENCY: [AGENCY, "the agency"], MAKER: [MAKER, "Brannock", "the company"]}


def aliases_of(party: str) -> list[str]:
    return ALIASES.get(party, [])


def resolve(text: str) -> str | None:
    low = text.lower().removeprefix("the ").strip()
    for party, names in ALIASES.items():
        if any(low == n.lower().removeprefix("the ") for n in names):
            return party
    return None


RECALL = _story(
    [
        ("narrator", None, "Brannock Foods has recalled its nut bars across Selk."),
        (AGENCY, "the agency", "The agency says it warned Brannock on 14 March about the label."),
        (MAKER, "Brannock Foods", "Brannock Foods says the recall is a precaution."),
        (MAKER, "The company", "The company says the 14 March warning was about another bar."),
        (AGENCY, "A spokeswoman", "A spokeswoman said the bars should never have been sold."),
    ]
)


def test_another_party_on_the_same_date_stands_beside_the_answer() -> None:
    answer = answer_from_story(
        parse_question("When was Brannock first warned about the nut bar label?"),
        RECALL,
        aliases_of,
        resolve,
    )
    assert not answer.refused
    texts = [s.text for s in answer.statements]
    assert any("warned Brannock on 14 March" in t for t in texts)
    # the company's answer on that date, though it shares few of the question's words
    [other] = [s for s in answer.statements if "another bar" in s.text]
    assert other.party == MAKER


def test_a_generic_speaker_gets_its_party_named() -> None:
    answer = answer_from_story(
        parse_question("What did the Selk Safety Agency say about the nut bars?"),
        RECALL,
        aliases_of,
        resolve,
    )
    [line] = [s.text for s in answer.statements if "never have been sold" in s.text]
    assert line.startswith("According to the Selk Safety Agency, a spokeswoman said")


def test_how_do_x_and_y_explain_asks_both() -> None:
    q = parse_question("How do Brannock Foods and the agency explain the recall?")
    assert q.speakers == ("Brannock Foods", "the agency")
    why = parse_question("Why do Brannock and the agency disagree about how many bars were sold?")
    assert why.speakers == ("Brannock", "the agency") and not why.wants_number


def test_an_unresolved_asked_speaker_leaves_room_for_every_party() -> None:
    """'the defence' names nobody in the ledger: the answer is not the agency's alone."""
    answer = answer_from_story(
        parse_question("What was the 14 March warning, according to the agency and the defence?"),
        RECALL,
        aliases_of,
        resolve,
    )
    assert {s.party for s in answer.statements} >= {AGENCY, MAKER}


def test_a_name_after_the_reporting_verb_introduces_nobody() -> None:
    story = _story(
        [
            ("Ivo Tamm", "Ivo Tamm", "Ivo Tamm said the prosecution had no case against him."),
            ("Ivo Tamm", None, "He said the payments were loans."),
        ]
    )
    names = speaker_names(story, aliases_of)
    assert introduced_party("the prosecution", story, names) is None


def test_the_key_facts_are_the_lead_and_each_party_s_main_claim() -> None:
    question = parse_question("Give me the key facts of the Brannock nut bar recall.")
    assert question.overview
    answer = answer_from_story(question, RECALL, aliases_of, resolve)
    assert not answer.refused
    assert answer.statements[0].text.startswith("Brannock Foods has recalled")
    assert {s.party for s in answer.statements} == {None, AGENCY, MAKER}


def test_an_indefinite_ledger_party_reads_as_the_group() -> None:
    from assistant.verify.verifier import display_party

    assert display_party("A group") == "the group"
    assert display_party("Ana Ruiz") == "Ana Ruiz"


def test_a_revision_question_keeps_every_report_with_its_names() -> None:
    from assistant.answers.focus import DocScore, choose_story

    question = parse_question("How did Brannock's recall count change between 3 and 4 May?")
    assert question.revision
    candidates = [
        DocScore("first", 1.0, 1.0, "", "Brannock recalls nut bars"),
        DocScore("later", 0.5, 1.0, "", "'We got it wrong': Brannock chief speaks"),
        DocScore("other", 0.9, 0.0, "", "Selk council votes on a budget"),
    ]
    assert choose_story(question, candidates) == ["first", "later"]


def test_between_two_days_of_a_month_is_both_days() -> None:
    from datetime import date

    from assistant.answers.dates import find_period

    period = find_period("How did the toll change between 5 and 6 May?", date(2031, 5, 9))
    assert period is not None
    assert (period.since, period.until) == (date(2031, 5, 5), date(2031, 5, 6))


def test_a_day_of_the_month_is_not_a_figure() -> None:
    from dataclasses import replace

    from assistant.answers.focus import _has_figure

    assert not _has_figure(replace(RECALL[1], text="The board meets on 19 May to decide."))
    assert not _has_figure(replace(RECALL[1], text="The board met on May 19 in Selkby."))
    assert _has_figure(replace(RECALL[1], text="The board says 19 bars were sold in May."))


def test_a_column_on_the_topic_is_not_another_report_of_the_event() -> None:
    from assistant.answers.focus import DocScore, choose_story

    march = DocScore("march", 0.8, 1.0, "", "Selkby rent march: organisers say 9,000 took part")
    column = DocScore("column", 1.0, 1.0, "", "Opinion: The Selkby rent bill builds no homes")
    news = parse_question("How many people joined the rent march in Selkby?")
    assert choose_story(news, [march, column]) == ["march"]
    argued = parse_question("What does the columnist argue about the Selkby rent bill?")
    assert choose_story(argued, [march, column])[0] == "column"
