"""Each party's position on the asked point, side by side, each with its party named
(invented stories)."""

from __future__ import annotations

from dataclasses import replace

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


def test_the_other_side_answers_a_figure_in_its_own_words_on_the_same_names() -> None:
    """'took 2.1 million from Halvik Works' is answered by the defence's 'repayments to Halvik's
    owner', which has no figure and few of the question's words; a party on other names is not."""
    trial = _story(
        [
            (
                "Prosecutors",
                "Prosecutors",
                "Prosecutors said Dara Venn took 2.1 million krons in"
                " bribes from the builder Halvik Works for a bridge contract.",
            ),
            (
                "Ona Pell",
                "prosecutor Ona Pell",
                "Ona Pell said the money was paid in 12"
                " instalments through a firm run by Venn's cousin.",
            ),
            (
                "Tomas Reu",
                "Venn's lawyer, Tomas Reu",
                "The payments were repayments of an old debt"
                " that Halvik's owner had owed to Venn's cousin.",
            ),
            (
                "Selk Chamber",
                "Selk Chamber",
                "The Selk Chamber said bribes and contracts hurt trade across the Brask region.",
            ),
            ("narrator", None, "If convicted, Venn faces up to ten years in prison."),
            ("narrator", None, "The bridge over the Selk opened to traffic in 2029."),
            (
                "Judge Ama Lind",
                "Judge Ama Lind",
                "Judge Ama Lind said the trial would last a month.",
            ),
            ("Halvik Works", "Halvik Works", "Halvik Works said it had helped the investigators."),
        ]
    )
    answer = answer_from_story(
        parse_question("How much money is Dara Venn accused of taking in bribes?"),
        trial,
        aliases_of,
        resolve,
    )
    assert not answer.refused
    parties = [s.party for s in answer.statements]
    assert "Prosecutors" in parties
    [defence] = [s for s in answer.statements if "repayments" in s.text]
    assert defence.party == "Tomas Reu"
    assert "Selk Chamber" not in parties  # shares the question's words, none of the names


JARS = _story(
    [
        ("narrator", None, "Brannock Foods has recalled jars of its plum jam."),
        (MAKER, "Brannock", "Brannock said a faulty seal let moisture into 4,000 jars in May."),
        (MAKER, None, "Jars filled on the new line were not affected by the faulty seal."),
        (AGENCY, "the agency", "The agency said Brannock hid the faulty seal from shoppers."),
        (MAKER, None, "Shoppers can return affected jars to any store."),
    ]
)


def test_a_continued_sentence_comes_with_the_paragraph_opening_that_names_its_speaker() -> None:
    from assistant.answers.focus import with_openings

    opening, continued = JARS[1], JARS[2]
    assert continued.cue == "continuation"
    assert with_openings([continued], JARS) == [opening, continued]
    assert with_openings([opening, continued], JARS) == [opening, continued]  # not twice
    # another speaker between them: the opening is not this sentence's
    assert with_openings([JARS[4]], JARS) == [JARS[4]]
    # a blank line (a paragraph break) between them: neither
    broken = [*JARS[:2], replace(continued, start=continued.start + 1, end=continued.end + 1)]
    assert with_openings([broken[2]], broken) == [broken[2]]


def test_the_answer_gives_the_opening_of_a_chosen_continued_sentence() -> None:
    answer = answer_from_story(
        parse_question("Were jars from the new line affected?"), JARS, aliases_of, resolve
    )
    texts = [s.text for s in answer.statements]
    assert any("new line" in t for t in texts)
    [opening] = [s for s in answer.statements if "4,000 jars" in s.text]
    assert opening.party == MAKER
    assert texts.index(opening.text) < next(i for i, t in enumerate(texts) if "new line" in t)


def test_a_party_s_account_comes_from_its_latest_report() -> None:
    """The army first blamed a fault, two days later said the truck was hit by a mine: the
    later account answers 'what happened to the truck' first."""
    army = "Selk Army"
    first = _story(
        [
            ("Rebels", "The rebels", "The rebels said they destroyed an army truck near Ostby."),
            (army, "The army", "The army said the army truck near Ostby broke down with a fault."),
        ],
        doc="d1",
        day="2031-02-03",
    )
    later = _story(
        [
            ("narrator", None, "Fighting went on near Ostby on Wednesday."),
            (army, "The army", "The army said the truck near Ostby had been hit by a mine."),
        ],
        doc="d2",
        day="2031-02-05",
    )
    answer = answer_from_story(
        parse_question("What happened to the army truck near Ostby?"),
        [*first, *[replace(s, rank=1) for s in later]],
        aliases_of,
        resolve,
    )
    own = [s for s in answer.statements if s.party == army]
    assert "mine" in own[0].text  # the later account first, the earlier one only after it
    assert any(s.party == "Rebels" for s in answer.statements)


def test_a_lone_headline_sentence_comes_with_its_party_s_findings() -> None:
    """'What did the inspection show?': the agency's headline sentence alone does not say what
    was found; its own later sentences that share an asked word do."""
    story = _story(
        [
            (
                AGENCY,
                "The agency",
                "The agency said it closed the Brannock plant after an"
                " inspection found mould in the mixing room.",
            ),
            (AGENCY, "the agency", "The inspection took place on 3 May, the agency said."),
            (
                AGENCY,
                None,
                "Spore counts in the inspection samples were nine times the safe level.",
            ),
            (AGENCY, None, "The agency has 40 staff."),
        ]
    )
    answer = answer_from_story(
        parse_question("What did the inspection of the Brannock plant show?"),
        story,
        aliases_of,
        resolve,
    )
    texts = [s.text for s in answer.statements]
    assert any("nine times" in t for t in texts)
    assert not any("40 staff" in t for t in texts)  # no asked word: not a finding of it
