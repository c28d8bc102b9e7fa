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
