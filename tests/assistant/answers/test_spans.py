"""Which questions span stories, and which stories are about their point."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from assistant.answers.question import parse_question
from assistant.answers.spans import key_terms, spans_stories, stories_about, story_limit
from assistant.answers.stories import _with_party, story_picks
from assistant.verify.evidence import EvidenceSentence


def _s(doc: str, i: int, text: str, party: str = "narrator", speaker: str | None = None):
    return EvidenceSentence(
        doc, i, i * 100, i * 100 + len(text), text, party, speaker,
        "none" if party == "narrator" else "explicit", 1.0, 0,
        f"{doc}-p{i}", f"Title of {doc}", "Quillpost", date(2031, 2, 1), None,
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


def test_a_story_asked_for_in_brief_gives_its_lead_and_each_partys_first_claim() -> None:
    question = parse_question("Which stories involve Zorvik, and what happened in each?")
    evidence = [
        _s("d1", 0, "Floods in Zorvik forced 300 families from their homes on Monday."),
        _s("d1", 1, "The coast guard said it had rescued 41 people from rooftops.", "Coast Guard"),
        _s("d1", 2, "The coast guard said the water was still rising overnight.", "Coast Guard"),
        _s("d1", 3, "The mayor said the dykes had held in the old town, for now.", "Mayor"),
    ]
    picks = story_picks(question, evidence)
    assert [p.sentence_index for p in picks] == [0, 1, 3]


def test_coverage_keeps_every_report_whose_sentences_carry_the_topic() -> None:
    from assistant.answers.coverage import _about_topic

    evidence = [
        _s("wire", 0, "A rockfall blocked the Zorvik pass road on Monday."),
        _s("interview", 0, "Two days after the rockfall at Zorvik, the guide says more may fall."),
        _s("other", 0, "Zorvik's council approved a budget for the harbour."),
    ]
    question = "Which outlets covered the Zorvik rockfall, and on which days?"
    assert _about_topic(question, evidence) == {"wire", "interview"}
    assert _about_topic("Which outlets reported it?", evidence) == set()


def test_three_or_more_listed_speakers_span_stories_and_a_possessive_day_dates_the_event() -> None:
    from assistant.answers.spans import day_names_event

    listed = "What do the dockers, the port board and the mayor's adviser say about the strike?"
    assert spans_stories(parse_question(listed))
    assert not spans_stories(parse_question("What do the dockers and the board say?"))
    assert day_names_event("What did they say about Tuesday's march?")
    assert not day_names_event("Which firms clashed with regulators on Tuesday?")


def test_the_outlet_is_part_of_a_story_for_the_questions_names() -> None:
    question = parse_question("Which stories quote the Quillpost's columnist on the rent cap?")
    story = [_s("d1", 0, "The columnist says the rent cap will fail.", "Columnist")]
    assert stories_about(question, [story]) == [0]  # 'Quillpost' is the story's outlet


def test_each_party_gets_its_figure_as_second_pick() -> None:
    question = parse_question("What do the dockers and the board say about the strike?")
    evidence = [
        _s("d1", 0, "The dockers say the strike is about safety on the strike line.", "Dockers"),
        _s("d1", 1, "The board says the strike is unlawful and must end.", "Board"),
        _s("d1", 2, "The dockers say 1,200 members walked out.", "Dockers"),
        _s("d1", 3, "It says 40 ships are waiting.", "Board"),
    ]
    picks = [p.sentence_index for p in story_picks(question, evidence)]
    assert picks[:2] == [0, 1] and set(picks[2:]) == {2, 3}


def test_a_question_about_the_outlet_itself_keeps_the_outlets_own_sentences() -> None:
    from assistant.answers.spans import asks_the_outlet, outlet_speaks

    def by(doc: str, text: str, outlet: str) -> EvidenceSentence:
        return replace(_s(doc, 0, text), outlet=outlet)

    question = parse_question(
        "In which stories did the reporting outlet say it could not reach the valley?"
    )
    assert asks_the_outlet(question)
    own = by("d1", "Harbour Wire could not reach the valley on Monday.", "Harbour Wire")
    initials = by("d2", "HW was unable to reach the valley, where lines were down.", "Harbour Wire")
    dateline = by("d3", "HARBOUR, 4 May - Rescuers could not reach the valley.", "Harbour Times")
    mention = by(
        "d4", "Villagers told the Harbour Times they could not reach the valley.", "Harbour Times"
    )
    assert [outlet_speaks(s) for s in (own, initials, dateline, mention)] == [
        True,
        True,
        False,
        False,
    ]
    assert sorted(stories_about(question, [[own], [initials], [dateline], [mention]])) == [0, 1]
    assert story_picks(question, [mention, own]) == [own]


def test_a_role_word_counts_for_the_organisation_a_speaker_heads_not_one_they_work_at() -> None:
    question = parse_question("Which stories include figures from a clinic?")
    head = [_s("d1", 0, "Ana Ruiz, director of Tarn Street Clinic, said 12 were hurt.", "Ana Ruiz")]
    at = [_s("d2", 0, "At Tarn Street Clinic, director Ana Ruiz said 14 had come in.", "Ana Ruiz")]
    staff = [_s("d3", 0, "Ben Ode, a nurse at Fell Road Clinic, says 9 were hurt.", "Ben Ode")]
    assert sorted(stories_about(question, [head, at, staff])) == [0, 1]


def test_each_side_gives_the_two_parties_sentences_on_the_point_they_contest() -> None:
    from assistant.answers.stories import asks_for_sides, contested_pair

    question = parse_question(
        "Which stories involve a disputed permit, and what does each side say?"
    )
    assert asks_for_sides(question)
    assert not asks_for_sides(parse_question("Which stories involve a permit?"))
    evidence = [
        _s("d1", 0, "The builder says the permit was granted in March.", "Builder"),
        _s("d1", 1, "The builder says work will resume next week.", "Builder"),
        _s("d1", 2, "Residents say the stamp on the permit form was forged.", "Residents"),
        _s("d1", 3, "The council says the stamp on the form is genuine.", "Council"),
        _s("d1", 4, "The council says it will meet on Friday.", "Council"),
    ]
    assert [s.sentence_index for s in contested_pair(evidence)] == [2, 3]
    assert contested_pair(evidence[:2]) == []  # one party: nothing contested


def test_a_plural_kind_asked_of_the_reports_or_of_these_stories_spans_stories() -> None:
    assert spans_stories(parse_question("Which companies' share prices are reported falling?"))
    assert spans_stories(parse_question("Which chief executives are quoted this week?"))
    assert spans_stories(parse_question("What votes are coming up in these stories?"))
    assert spans_stories(parse_question("Who is named in the week's news?"))
    assert not spans_stories(parse_question("Which soldiers were killed in the raid?"))
    assert not spans_stories(parse_question("What did the army say in the statement?"))


def test_a_role_word_counts_as_its_speaker_s_title_not_as_any_mention() -> None:
    question = parse_question("Which stories quote a chief executive, and what did they say?")
    stories = [
        [_s("d1", 0, "Chief executive Velm Orr said sales fell.", "Orr Foods", "Velm Orr")],
        [_s("d2", 0, "Ana Diaz said the chief of staff carried cash.", "Kest", "Ana Diaz")],
        [_s("d3", 0, "The ministry said the executive order stands.", "Ministry", "The ministry")],
    ]
    assert stories_about(question, stories) == [0]
    # the stemmer cuts 'executives' to 'executiv' and leaves 'executive': still one word
    plural = parse_question("Which stories quote chief executives, and what did they say?")
    assert stories_about(plural, stories) == [0]


def test_names_either_side_of_or_are_alternatives() -> None:
    question = parse_question("Which stories mention the Orvik River or the Orvik Bridge?")
    stories = [
        [_s("d1", 0, "Lorries queued at the Orvik Bridge all night.")],
        [_s("d2", 0, "Patrols will watch the Orvik River for smugglers.")],
        [_s("d3", 0, "The Orvik harbour board approved a budget.")],
    ]
    assert sorted(stories_about(question, stories)) == [0, 1]
    both = parse_question("Which stories mention the Orvik River and the Orvik Bridge?")
    assert stories_about(both, stories) == []  # no story names both
