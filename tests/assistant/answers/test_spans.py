"""Which questions span stories, and which stories are about their point."""

from __future__ import annotations

from assistant.answers.question import parse_question
from assistant.answers.spans import key_terms, spans_stories, stories_about, story_limit
from assistant.answers.stories import _with_party, story_picks
from assistant.verify.evidence import EvidenceSentence


def _s(doc: str, i: int, text: str, party: str = "narrator", speaker: str | None = None):
    return EvidenceSentence(
        doc, i, i * 100, i * 100 + len(text), text, party, speaker,
        "none" if party == "narrator" else "explicit", 1.0, 0,
        f"{doc}-p{i}", f"Title of {doc}", "Quillpost", "2031-02-01", None,
    )  # fmt: skip


def test_questions_that_span_stories_without_saying_which_stories() -> None:
    assert spans_stories(parse_question("What do the news reports say about Zorvik's ports?"))
    assert spans_stories(parse_question("Which two stories involve a forged permit?"))
    assert spans_stories(parse_question("How did the toll change across outlets?"))
    assert not spans_stories(parse_question("What did the Zorvik coast guard say?"))


def test_story_limit_reads_the_number_of_stories_asked_for() -> None:
    assert story_limit("Which two stories involve a forged permit?") == 2
    assert story_limit("Which 3 reports mention the dam?") == 3
    assert story_limit("Which stories mention the dam?") is None


def test_key_terms_come_from_the_first_clause_without_frame_words() -> None:
    question = parse_question(
        "Which stories include figures from a clinic, and how do they compare with others?"
    )
    assert key_terms(question) == ("clinic",)
    named = parse_question("Which stories involve Zorvik, and what happened in each?")
    assert key_terms(named) == ()


def test_a_story_sharing_one_common_word_stays_out() -> None:
    question = parse_question("Which stories include claims made on pirate radio?")
    stories = [
        [_s("d1", 0, "The rebels said on pirate radio that they held the pass.", "Rebels")],
        [_s("d2", 0, "A fan said the radio show will move to Sundays.", "Fan")],
        [_s("d3", 0, "The mayor spoke on pirate radio late on Friday.", "Mayor")],
        [_s("d4", 0, "The harbour board approved a budget.")],
    ]
    assert sorted(stories_about(question, stories)) == [0, 2]


def test_a_question_name_must_be_in_the_story() -> None:
    question = parse_question("Which stories involve Zorvik, and what happened in each?")
    stories = [
        [_s("d1", 0, "Floods hit Zorvik on Monday.")],
        [_s("d2", 0, "Floods hit Kelmora on Monday.")],
        [_s("d3", 0, "Zorvik's council met.")],
    ]
    assert stories_about(question, stories) == [0, 2]


def test_a_role_word_counts_where_such_a_party_speaks_not_where_it_is_mentioned() -> None:
    question = parse_question("Which stories include figures from a clinic?")
    stories = [
        [_s("d1", 0, "It had treated 40 people.", "Harbour Street Clinic", "the clinic")],
        [_s("d2", 0, "A nurse at a clinic in Tarn says 12 people were hurt.", "Tarn Police")],
    ]
    assert stories_about(question, stories) == [0]


def test_a_role_word_matches_a_party_named_by_another_noun_of_its_role() -> None:
    question = parse_question("Which stories pit a company against a regulator?")
    stories = [
        [
            _s("d1", 0, "It says 300 homes were overbilled.", "Zorvik Energy Authority"),
            _s("d1", 1, "The company says 40 homes were.", "Pellam Power", "The company"),
        ],
        [_s("d2", 0, "The company says sales rose.", "Pellam Foods", "The company")],
    ]
    assert stories_about(question, stories) == [0]


def test_either_alternative_of_x_or_y_fits_and_which_two_keeps_two() -> None:
    question = parse_question("Which two stories involve a disputed permit or a forged seal?")
    stories = [
        [_s("d1", 0, "The defence says the permit was disputed from the start.", "Defence")],
        [_s("d2", 0, "Her lawyer says the seal was forged and disputed.", "Lawyer")],
        [_s("d3", 0, "The seal pups were counted on the beach.")],
    ]
    kept = stories_about(question, stories)
    assert len(kept) == 2 and sorted(kept) == [0, 1]


def test_story_picks_give_each_partys_figure() -> None:
    question = parse_question("Which stories pit a company against a regulator, and what figures?")
    evidence = [
        _s("d1", 0, "The regulator fined the company over billing errors.", "Energy Authority"),
        _s("d1", 1, "The authority says 300 homes were overbilled.", "Energy Authority"),
        _s("d1", 2, "The company says only 40 homes were overbilled.", "Pellam Power"),
        _s("d1", 3, "Shares closed lower on Friday."),
    ]  # fmt: skip
    picks = story_picks(question, evidence)
    texts = [p.text for p in picks]
    assert evidence[1].text in texts and evidence[2].text in texts
    assert evidence[3].text not in texts


def test_a_claim_naming_its_party_only_generically_gets_the_party() -> None:
    assert _with_party("Its count was wrong, the group said.", "Harl Front") == (
        "Harl Front: Its count was wrong, the group said."
    )
    assert _with_party("The Harl Front said its count was wrong.", "Harl Front") == (
        "The Harl Front said its count was wrong."
    )
    assert _with_party("Floods hit the town.", "narrator") == "Floods hit the town."
