"""Whether a story states the asked point: a measured quantity, the asked thing in its own
frame, a result still to come (invented stories)."""

from __future__ import annotations

from assistant.answers.focus import pending
from assistant.answers.question import parse_question
from assistant.answers.routing import answer_from_story
from tests.assistant.answers.test_question_path import _story, aliases_of, resolve

PLANT = "Orvane Dyes"
TRUST = "Selk Water Trust"
SPILL = _story(
    [
        ("narrator", None, "Dead fish were found along the River Selk below the Orvane dye works."),
        (PLANT, "Orvane Dyes", "Orvane Dyes says 2,800 litres of rinse water escaped from a tank."),
        (TRUST, "the trust", "The trust says at least 40,000 litres were released."),
        ("narrator", None, "The works employs about 300 people and lies 12 km above the intake."),
        ("narrator", None, "A hearing on the spill is expected on Friday."),
    ]
)


def test_how_much_names_the_measured_noun() -> None:
    q = parse_question("How much rinse water leaked from the Orvane works?")
    assert q.counted == "water" and q.measured and q.wants_number
    assert parse_question("How much money did the works lose?").counted is None
    assert parse_question("How much does a day ticket cost?").counted is None


def test_a_measured_quantity_is_answered_by_a_figure_of_it() -> None:
    answer = answer_from_story(
        parse_question("How much rinse water leaked from the Orvane works?"),
        SPILL,
        aliases_of,
        resolve,
    )
    assert not answer.refused
    assert any("2,800 litres" in s.text for s in answer.statements)


def test_figures_of_other_things_do_not_measure_the_asked_one() -> None:
    story = _story(
        [
            ("narrator", None, "The Orvane dye works lies on the River Selk, 12 km above Selkby."),
            (PLANT, "Orvane Dyes", "Orvane Dyes says its dye store supplies 40 mills."),
            (PLANT, None, "About 300 people work at the site, which was closed for a day."),
        ]
    )
    answer = answer_from_story(
        parse_question("How much dye was lost at the Orvane works?"), story, aliases_of, resolve
    )
    assert answer.refused


def test_a_result_still_to_come_is_refused() -> None:
    assert pending("Final results are expected on Friday.")
    assert not pending("The final result was announced on Friday.")
    answer = answer_from_story(
        parse_question("What was the outcome of the hearing on the Selk spill?"),
        [
            *SPILL[:4],
            *_story(
                [("narrator", None, "The outcome of the hearing is expected on Friday.")], doc="d1"
            ),
        ],
        aliases_of,
        resolve,
    )
    assert answer.refused


def test_the_asked_noun_in_another_frame_does_not_answer() -> None:
    story = _story(
        [
            ("narrator", None, "The trial of the former Orvane director opened at Selkby court."),
            (PLANT, "he", "He said he had served a short sentence for fraud in a separate case."),
        ]
    )
    answer = answer_from_story(
        parse_question("What sentence did the court hand down to the Orvane director?"),
        story,
        aliases_of,
        resolve,
    )
    assert answer.refused


def test_a_measured_quantity_has_no_rival_in_other_words() -> None:
    story = _story(
        [
            ("narrator", None, "Floods cut the road to Selkby on Monday after days of rain."),
            (TRUST, "the trust", "The trust says 180 millimetres of rain fell on Selkby."),
            (PLANT, "Orvane Dyes", "Orvane Dyes says 40 workers were sent home."),
        ]
    )
    answer = answer_from_story(
        parse_question("How much rain fell on Selkby?"), story, aliases_of, resolve
    )
    assert not answer.refused
    assert [s.party for s in answer.statements if s.party] == [TRUST]
    assert not any("40 workers" in s.text for s in answer.statements)


def test_past_the_best_a_counted_thing_is_answered_by_its_figures() -> None:
    """Another report's figure of another thing never joins, whatever words it shares."""
    story = _story(
        [
            (TRUST, "the trust", "The trust says 900 fish died below the Orvane works."),
            (PLANT, "Orvane Dyes", "Orvane Dyes says 120 fish died and the river is recovering."),
            (PLANT, None, "It says it has spent 2 million on the cleanup of the river."),
        ]
    ) + _story(
        [("Selk council", "the council", "The council says 3 schools near the river closed.")],
        doc="d2",
    )
    answer = answer_from_story(
        parse_question("How many fish died in the river below the Orvane works?"),
        story,
        aliases_of,
        resolve,
    )
    texts = " ".join(s.text for s in answer.statements)
    assert "900 fish" in texts and "120 fish" in texts
    assert "3 schools" not in texts


def test_a_count_of_reports_of_the_asked_thing_counts_it() -> None:
    story = _story(
        [
            (
                TRUST,
                "the trust",
                "The trust says it has had 14 reports of sick swans linked to the spill.",
            ),
            (PLANT, "Orvane Dyes", "Orvane Dyes says the river is safe."),
        ]
    )
    answer = answer_from_story(
        parse_question("How many sick swans have been linked to the Selk spill?"),
        story,
        aliases_of,
        resolve,
    )
    assert not answer.refused and any("14 reports" in s.text for s in answer.statements)


def test_a_number_opening_a_sentence_names_no_source() -> None:
    from assistant.answers.routing import named_source

    def registry(text: str) -> str | None:
        return "residents" if "residents" in text.lower() else None

    text = "Three residents have reported a smell near the works."
    assert named_source(text, registry, present={PLANT}) is None
    assert named_source(text, registry, present={"residents"}) == "residents"


def test_the_asked_verb_finds_the_sentence_that_does_it() -> None:
    union = "Selk Dockers' Union"
    story = _story(
        [
            ("narrator", None, "Dockers at Selkby port walked out on Monday over pay and shifts."),
            (
                union,
                "the union",
                "According to the union, 900 of Selkby's 1,000 dockers walked out.",
            ),
            (union, None, "It is demanding 10 hours' rest between shifts and a 5% raise."),
        ]
    )
    question = parse_question("What are Selkby's dockers demanding?")
    assert question.verb == "demand"
    from assistant.answers.focus import rank_sentences

    assert rank_sentences(question, story)[0].sentence is story[2]
    answer = answer_from_story(question, story, aliases_of, resolve)
    assert any("10 hours' rest" in s.text for s in answer.statements)
    # an opening 'According to the union' names the party once, in its place
    assert not any(s.text.lower().count("according to") > 1 for s in answer.statements)
    assert parse_question("What did the union say?").verb is None


def test_each_part_of_a_two_part_question_gets_its_sentence() -> None:
    from assistant.answers.focus import duration
    from assistant.answers.question import question_parts

    assert question_parts(
        "What warning is in force in Selkby, and how long will the flood last?"
    ) == [
        "What warning is in force in Selkby",
        "how long will the flood last?",
    ]
    assert duration("The river will stay high until Sunday, the service said.")
    assert not duration("Until this year, the river had never flooded in May.")
    service = "Selk Weather Service"
    story = _story(
        [
            (service, "the service", "The service has issued a red flood warning for Selkby."),
            (service, None, "Until this year, the flood defences had never been breached."),
            (service, None, "It says the flood water will stay high until Sunday."),
            ("narrator", None, "Selkby's flood defences were built in 1988."),
        ]
    )
    answer = answer_from_story(
        parse_question("What warning is in force in Selkby, and how long will the flood last?"),
        story,
        aliases_of,
        resolve,
    )
    texts = " ".join(s.text for s in answer.statements)
    assert "red flood warning" in texts and "until Sunday" in texts


def test_a_count_on_the_other_side_of_the_asked_place_does_not_answer() -> None:
    from assistant.answers.focus import opposed

    assert opposed("How many bars were sold outside Selk?", "About 900 bars were sold in Selk.")
    assert not opposed("How many bars were sold in Selk?", "About 900 bars were sold in Selk.")
    story = _story(
        [
            (PLANT, "Orvane Dyes", "Orvane Dyes says 900 drums were sold in Selk last year."),
            (PLANT, None, "It says the dye is made at its works near Selkby."),
        ]
    )
    answer = answer_from_story(
        parse_question("How many drums were sold outside Selk?"), story, aliases_of, resolve
    )
    assert answer.refused
