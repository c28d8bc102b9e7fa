"""The question path on small invented stories: asked speaker, focus, answerability, wording."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from assistant.answers.extractive import strip_dateline
from assistant.answers.focus import DocScore, choose_story
from assistant.answers.question import parse_question, resolve_speaker
from assistant.answers.routing import answer_from_story, route_question
from assistant.verify.evidence import EvidenceSentence

ARMY = "Orlan Army"
FRONT = "Tessel Liberation Front"
HOSPITAL = "Brask General Hospital"
ALIASES = {
    ARMY: [ARMY, "the army", "Orlan Army"],
    FRONT: [FRONT, "TLF", "the front"],
    HOSPITAL: [HOSPITAL, "the hospital"],
}


def aliases_of(party: str) -> Sequence[str]:
    return ALIASES.get(party, [])


def resolve(text: str) -> str | None:
    low = text.lower().removeprefix("the ").strip()
    for party, names in ALIASES.items():
        if any(low == n.lower().removeprefix("the ") for n in names):
            return party
    return None


def _story(rows: list[tuple[str, str | None, str]], doc: str = "d1", day: str = "2031-02-03"):
    """Sentences of one invented article: (party, speaker, text); offsets are text offsets."""
    out, pos = [], 0
    for i, (party, speaker, text) in enumerate(rows):
        out.append(
            EvidenceSentence(
                doc,
                i,
                pos,
                pos + len(text),
                text,
                party,
                speaker,
                "explicit" if speaker else "continuation",
                0.9,
                0,
                "",
                "Raid on Brask",
                "Wire",
                date.fromisoformat(day),
                None,
            )
        )
        pos += len(text) + 1
    return out


RAID = _story(
    [
        (
            "narrator",
            None,
            "BRASK, Orlania, Feb 3 (Wire) – Fighting broke out overnight near the grain silos.",
        ),
        (
            FRONT,
            "the front",
            "The TLF said its fighters killed 31 soldiers in the attack on the silos.",
        ),
        (FRONT, None, "It added that two of its own fighters were wounded during the withdrawal."),
        (
            ARMY,
            "the army",
            "The army said 9 soldiers and 14 attackers were killed in the fighting at Brask.",
        ),
        (
            HOSPITAL,
            "the hospital",
            "Brask General Hospital said it had treated 22 wounded people, 4 of them civilians.",
        ),
        ("narrator", None, "The silos store most of the province's winter wheat."),
    ]
)


def test_the_asked_speaker_and_counted_thing_are_read() -> None:
    q = parse_question("How many civilians did the Orlan army say were killed at Brask?")
    assert q.speakers == ("the Orlan army",)
    assert q.counted == "civilian" and q.wants_number
    q = parse_question("How many soldiers were killed, and what does the TLF say?")
    assert q.multi_part and q.speakers == ("the TLF",)
    q = parse_question("Where did the shells land, according to each side?")
    assert q.speakers == ()


def test_a_speaker_phrase_needs_its_names_to_match() -> None:
    parties = {"Veska Ministry of Foreign Affairs": {"Veska's foreign ministry", "ministry"}}
    assert resolve_speaker("Veska's foreign ministry", parties) == (
        "Veska Ministry of Foreign Affairs"
    )
    # another country's ministry is not this one, whatever words they share
    assert resolve_speaker("Dorrin's foreign ministry", parties) is None


def test_what_did_x_say_answers_with_x_sentences_only() -> None:
    answer = answer_from_story(
        parse_question("What did the Tessel Liberation Front say about the Brask attack?"),
        RAID,
        aliases_of,
        resolve,
    )
    assert not answer.refused
    assert answer.statements and all(s.party == FRONT for s in answer.statements)
    assert any("31 soldiers" in s.text for s in answer.statements)
    # the cue-less continuation gets its party, named once
    [cont] = [s for s in answer.statements if "two of its own" in s.text]
    assert cont.text.startswith("According to the Tessel Liberation Front, ")
    assert answer.answer.count("According to") == 1


def test_competing_figures_stand_side_by_side_each_with_its_party() -> None:
    answer = answer_from_story(
        parse_question("How many soldiers were killed at the Brask silos?"),
        RAID,
        aliases_of,
        resolve,
    )
    assert not answer.refused
    by_number = {n: s for s in answer.statements for n in ("31", "9") if n in s.text}
    assert by_number["31"].party == FRONT and by_number["9"].party == ARMY
    for line in answer.answer.splitlines():
        assert not re.match(r"^[\w ]+: According to", line)  # never 'Party: According to Party'


def test_a_figure_the_party_never_gave_is_refused_with_what_it_did_give() -> None:
    answer = answer_from_story(
        parse_question("How many civilians did the Orlan army say were killed at Brask?"),
        RAID,
        aliases_of,
        resolve,
    )
    assert answer.refused
    first = answer.answer.splitlines()[0]
    assert "no figure from the Orlan Army for civilians" in first
    assert all(s.party == ARMY for s in answer.statements)  # what the army does give


def test_a_party_absent_from_the_story_is_refused() -> None:
    answer = answer_from_story(
        parse_question("What did the Halver Red Cross say about the Brask attack?"),
        RAID,
        aliases_of,
        resolve,
    )
    assert answer.refused
    assert answer.answer.startswith(
        "The stored sources carry no statement from the Halver Red Cross"
    )


def test_an_asked_point_the_story_never_names_is_refused() -> None:
    answer = answer_from_story(
        parse_question("What type of rifles did the TLF fighters carry at Brask?"),
        RAID,
        aliases_of,
        resolve,
    )
    assert answer.refused


def test_datelines_are_stripped_and_quotes_stay_exact() -> None:
    assert strip_dateline("BRASK, Orlania, Feb 3 (Wire) – Fighting broke out.") == (
        "Fighting broke out."
    )
    assert strip_dateline("CASTREL, 5 May (QPA) - The board said so.") == "The board said so."
    assert strip_dateline("19:41 — Yes campaign says it leads.") == "Yes campaign says it leads."
    assert strip_dateline("Nothing to strip here.") == "Nothing to strip here."
    quoted = _story(
        [(ARMY, "the army", "“We lost nine men at Brask,” the army said in a statement on Monday.")]
    )
    answer = answer_from_story(
        parse_question("What did the army say about its losses at Brask?"),
        quoted,
        aliases_of,
        resolve,
    )
    cited = {c.n: c.passage for c in answer.citations}
    for statement in answer.statements:
        for quote in re.findall(r"[“\"]([^”\"]+)[”\"]", statement.text):
            assert any(quote in cited[n] for n in statement.citations)


def test_a_sentence_that_names_its_own_source_keeps_it() -> None:
    """The ledger carried the front over to a sentence that names the army as its source."""
    rows = [
        (
            FRONT,
            "the front",
            "The TLF said its fighters killed 31 soldiers in the attack on Brask.",
        ),
        (FRONT, None, "The Orlan Army put the number of soldiers killed at Brask at 9."),
    ]
    answer = answer_from_story(
        parse_question("How many soldiers were killed at Brask?"), _story(rows), aliases_of, resolve
    )
    [nine] = [s for s in answer.statements if "9" in s.text]
    assert nine.party == ARMY and not nine.text.startswith("According to the Tessel")


def test_one_story_per_question_with_its_later_reports() -> None:
    q = parse_question("How many soldiers were killed in the Brask raid?")
    candidates = [
        DocScore("a", 1.0, 1.0, "", "Rebels say 31 soldiers killed in Brask raid"),
        DocScore("b", 0.6, 1.0, "", "Army raises Brask toll as soldiers' funerals begin"),
        DocScore("c", 0.9, 1.0, "", "Brask council votes on a new bus depot"),
        DocScore("d", 2.0, 0.0, "", "Soldiers killed in a raid elsewhere"),
    ]
    assert choose_story(q, candidates, {"a": ["a-copy"]}) == ["a", "b", "a-copy"]


def test_a_day_news_request_routes_to_the_briefing() -> None:
    from datetime import date

    today = date(2031, 2, 5)
    route = route_question("What happened on 3 February?", today)
    assert route.kind == "briefing" and route.since == date(2031, 2, 3) == route.until
    assert route_question("How many soldiers were killed on 3 February?", today).kind == "answer"
    # what an outlet ran or published that day is a request for that day's stories
    for asked in (
        "Which stories did the Orlan Courier run on 3 February?",
        "What did the Orlan Courier publish on 3 February?",
        "List the articles published on 3 February.",
        "Anything happening in Orlan on 3 February?",
        "What's going on in Orlan on 3 February?",
    ):
        assert route_question(asked, today).kind == "briefing", asked
    assert route_question("Which stories mention the silos?", today).kind == "answer"
    # what a body published about a topic is a question about it, on that day
    about = route_question(
        "What did the Orlan Water Board publish about the leak on 3 February?", today
    )
    assert about.kind == "answer" and about.since == date(2031, 2, 3)


def test_a_rival_figure_in_other_words_stands_beside_the_answer() -> None:
    from assistant.answers.focus import rank_sentences, rival_figures

    story = _story(
        [
            (FRONT, "the front", "The TLF said its fighters killed 31 soldiers at the silos."),
            (ARMY, "the army", "The army put its own losses at 9 troops."),
            ("narrator", None, "The silos hold 40 tonnes of wheat."),
        ]
    )
    question = parse_question("How many soldiers were killed at the silos?")
    ranked = rank_sentences(question, story)
    rivals = rival_figures(question, ranked, [story[0]])
    assert [s.party for s in rivals] == [ARMY]  # never the narrator's unrelated figure
    assert rival_figures(parse_question("Why did the front attack the silos?"), ranked, []) == []


def test_which_actors_and_what_each_did_spans_stories() -> None:
    assert parse_question(
        "Which Quellish firms clashed with the regulator, and over what?"
    ).spans_stories
    assert parse_question("Which stories involve Zorvik?").spans_stories
    assert not parse_question("Which supplement brand does the sprinter blame?").spans_stories
    assert not parse_question("Which villages were shelled near Brask?").spans_stories


def test_an_interview_answer_loses_its_mark_and_keeps_its_words() -> None:
    from assistant.answers.extractive import phrase_drafts

    story = _story([(FRONT, None, "A: We lost two fighters at the silos.")])
    [draft] = phrase_drafts(story)
    assert draft.text == "We lost two fighters at the silos."
    answer = answer_from_story(
        parse_question("What did the Tessel Liberation Front say about its fighters at the silos?"),
        story,
        aliases_of,
        resolve,
    )
    [line] = [s.text for s in answer.statements]
    assert line == "According to the Tessel Liberation Front: “We lost two fighters at the silos.”"
    cited = {c.n: c.passage for c in answer.citations}
    assert "We lost two fighters at the silos." in cited[1]


def test_an_asked_speaker_is_a_short_phrase_not_the_question_up_to_a_verb() -> None:
    question = parse_question("What has Corlan Mutual done in response to the hackers' demand?")
    assert not any("response" in s for s in question.speakers)
    named = parse_question("What did Tessel's foreign minister, Lia Amaro, say about the raid?")
    assert any("Lia Amaro" in s for s in named.speakers)


def test_other_ways_of_asking_for_a_day_news_route_to_that_day() -> None:
    from datetime import date

    today = date(2031, 2, 6)  # a Thursday
    for asked, day in (
        ("Give me Tuesday's headlines.", date(2031, 2, 4)),
        ("Catch me up on Wednesday's news.", date(2031, 2, 5)),
        ("Recap of Thursday", today),
        ("Round-up for 3 February, please", date(2031, 2, 3)),
        ("Anything new on the 4th?", date(2031, 2, 4)),
        ("What were the big stories on the 5th of February?", date(2031, 2, 5)),
        ("Brief me on today.", today),
    ):
        route = route_question(asked, today)
        assert route.kind == "briefing" and route.since == day == route.until, asked
    two_days = route_question("What happened over the last two days?", today)
    assert (two_days.since, two_days.until) == (date(2031, 2, 5), today)
    # a weekday without 'on' does not date a question that asks no period's news
    assert route_question("Who spoke at the Tuesday rally?", today).since is None
