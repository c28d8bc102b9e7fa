"""The asked speaker when the ledger files it under a person or a generic noun, the story a
named outlet carried, and the reports a named date admits (invented stories)."""

from __future__ import annotations

from datetime import date

from assistant.answers.focus import asked_parties, generic_party, introduced_party
from assistant.answers.question import parse_question
from assistant.answers.routing import answer_from_story, report_filters, story_of
from assistant.search.retrieval import Filters, RetrievedPassage
from ingest.types import Passage
from tests.assistant.answers.test_question_path import _story

DIRECTOR = "Ana Diaz"
GROUP = "A group"
GOVERNMENT = "government"
STORY = _story(
    [
        ("narrator", None, "KEST, Velor, Feb 3 (Wire) – Shelling hit the market overnight."),
        (
            DIRECTOR,
            "director Ana Diaz",
            "At Kest General Hospital, director Ana Diaz said 17 wounded people were treated.",
        ),
        (DIRECTOR, None, "Four of the wounded were children, she said."),
        (
            GROUP,
            "A group",
            "A group calling itself the Blue Hand claimed on Monday that it fired the shells.",
        ),
        (GROUP, None, "The group said the market hid an arms store."),
        (
            GOVERNMENT,
            "Government spokesman Ivo Marr",
            "Government spokesman Ivo Marr said there was no arms store at the market.",
        ),
    ]
)


def no_aliases(party: str) -> list[str]:
    return []


def no_registry(text: str) -> str | None:
    return None


def _names() -> dict[str, set[str]]:
    from assistant.answers.focus import speaker_names

    return speaker_names(STORY, no_aliases)


def test_a_speaker_introduced_with_the_asked_name_stands_for_it() -> None:
    assert introduced_party("Kest General Hospital", STORY, _names()) == DIRECTOR
    assert introduced_party("the Blue Hand", STORY, _names()) == GROUP
    # a name that introduces nobody stands for nobody
    assert introduced_party("Kest City Council", STORY, _names()) is None


def test_a_country_qualified_generic_party_is_the_story_s_one_such_party() -> None:
    assert generic_party("the Velorian government", STORY, _names()) == GOVERNMENT
    # the story never mentions the country: not this government
    assert generic_party("the Dorrish government", STORY, _names()) is None
    two = [*STORY, *_story([("government of Dorr", "x", "Dorr's government said so too.")])]
    from assistant.answers.focus import speaker_names

    assert generic_party("the Velorian government", two, speaker_names(two, no_aliases)) is None


def test_a_generic_party_written_with_a_capital_is_still_generic() -> None:
    """'Government spokesman Ivo Marr said ...' may be filed as 'Government'."""
    from dataclasses import replace

    from assistant.answers.focus import speaker_names

    capital = [replace(s, party="Government") if s.party == GOVERNMENT else s for s in STORY]
    names = speaker_names(capital, no_aliases)
    assert generic_party("the Velorian government", capital, names) == "Government"
    # a named body is not generic, whatever its government word
    named = [
        replace(s, party="Velor Government Office") if s.party == GOVERNMENT else s for s in STORY
    ]
    names = speaker_names(named, no_aliases)
    assert generic_party("the Velorian government", named, names) is None


def test_what_did_the_hospital_say_answers_from_its_director() -> None:
    question = parse_question("What did Kest General Hospital say about the wounded?")
    asked = asked_parties(question, STORY, no_aliases, no_registry)
    assert list(asked.parties) == [DIRECTOR] and not asked.missing
    answer = answer_from_story(question, STORY, no_aliases, no_registry)
    assert not answer.refused
    assert {s.party for s in answer.statements} == {DIRECTOR}
    assert any("17 wounded" in s.text for s in answer.statements)


def test_a_named_date_admits_later_reports_but_caller_dates_stay() -> None:
    day = date(2031, 2, 3)
    unfiltered = Filters(outlet="Wire")
    named = Filters(outlet="Wire", since=day, until=day)
    assert report_filters(named, unfiltered, period_named=True) == Filters(outlet="Wire", since=day)
    assert report_filters(named, unfiltered, period_named=False) == named


class _Article:
    def __init__(self, title: str, outlet: str, text: str) -> None:
        self.title, self.outlet, self.text = title, outlet, text


class _DB:
    def __init__(self, articles: dict[str, _Article]) -> None:
        self.articles = articles

    def article(self, doc_id: str) -> _Article | None:
        return self.articles.get(doc_id)


def _hit(doc_id: str, score: float) -> RetrievedPassage:
    passage = Passage(f"p-{doc_id}", doc_id, 0, 0, 10, "text", 0, 0)
    return RetrievedPassage(passage, score, 0.5, 0.0, "", None, None, None)


def test_the_outlet_a_question_names_chooses_its_story() -> None:
    db = _DB(
        {
            "interview": _Article("Rescue chief on the Kest floods", "Kest Courier", "Kest ..."),
            "live": _Article("Live: Kest counts its referendum votes", "Velor Herald", "Kest ..."),
        }
    )
    question = parse_question("What were the latest results in Kest when the Velor Herald closed?")
    hits = [_hit("interview", 1.0), _hit("live", 0.8)]
    assert story_of(question, hits, db)[0] == "live"  # type: ignore[arg-type]


def test_a_role_in_apposition_is_the_named_speaker() -> None:
    question = parse_question("What did Velor's health minister, Ana Diaz, say about the wounded?")
    asked = asked_parties(question, STORY, no_aliases, no_registry)
    assert list(asked.parties) == [DIRECTOR] and not asked.unresolved and not asked.missing


def test_another_named_party_s_generic_speaker_is_not_the_asked_party() -> None:
    from assistant.answers.focus import Asked

    dorr = "Dorr Foreign Ministry"
    velor = "Velor Foreign Ministry"
    story = _story(
        [
            (
                velor,
                "Velor's Foreign Ministry",
                "Velor's Foreign Ministry said the talks went well.",
            ),
            (dorr, "A ministry official", "The talks were held at a lodge outside Kest."),
            ("Prosecutors", "Prosecutors", "Prosecutors told the court the talks were bugged."),
        ]
    )
    asked = Asked({velor: {velor, "Velor's Foreign Ministry"}}, ())
    assert asked.owner(story[0]) == velor
    assert asked.owner(story[1]) is None  # Dorr's official, whatever words the roles share
    prosecutor = Asked({"Ivo Marr": {"Ivo Marr", "prosecutor Ivo Marr"}}, ())
    assert prosecutor.owner(story[2]) == "Ivo Marr"  # a generic ledger party under another name


def test_a_country_word_does_not_make_a_party_of_that_country_the_government() -> None:
    """'the Velorian government' is the story's government, not the Velor Unity Party."""
    story = [
        *STORY,
        *_story([("Velor Unity Party", "Velor Unity Party", "The Velor Unity Party said so.")]),
    ]
    question = parse_question("What did the Velorian government say about the market?")
    asked = asked_parties(question, story, no_aliases, no_registry)
    assert list(asked.parties) == [GOVERNMENT]


def test_a_name_with_a_noun_none_of_its_speakers_carries_asks_about_someone_else() -> None:
    story = _story(
        [
            ("Velm Orr", "Velm Orr", "Velm Orr said the sample had been tampered with."),
            ("Velm Orr", "Her lawyer, Ivo Marr", "Her lawyer, Ivo Marr, said the test was flawed."),
            (
                "Orvik League Monitoring Mission",
                "The Orvik League Monitoring Mission",
                "The Orvik League Monitoring Mission said it heard seven blasts.",
            ),
            ("Kest Party", "opposition leader Ana Diaz", "Opposition leader Ana Diaz said so."),
        ]
    )

    def asked(text: str) -> tuple[list[str], tuple[str, ...]]:
        found = asked_parties(parse_question(text), story, no_aliases, no_registry)
        return list(found.parties), found.missing

    # nobody in the story is her coach, nor the league's council
    assert asked("What did Velm Orr's coach say about the test?") == (
        [],
        ("Velm Orr's coach",),
    )
    assert asked("What did the Orvik League council say about the blasts?") == (
        [],
        ("the Orvik League council",),
    )
    # her lawyer speaks; a spokesman speaks for the body; a title in the story is its speaker's
    assert asked("What did Velm Orr's lawyer say about the test?")[0] == ["Velm Orr"]
    assert asked("What did Velm Orr's spokesman say about the test?")[0] == ["Velm Orr"]
    assert asked("What did the Kest opposition leader say?")[0] == ["Kest Party"]


def test_a_short_form_the_ledger_kept_apart_speaks_for_its_full_name() -> None:
    full, short = "Velm's Defense Ministry", "Defense Ministry"
    story = _story(
        [
            (full, full, "Velm's Defense Ministry said it shot down 11 drones."),
            (short, "It", "It said its shells struck an empty field."),
            ("Orvik government", "Orvik's government", "Orvik's government denied it."),
        ]
    )
    found = asked_parties(parse_question("How did Velm respond?"), story, no_aliases, no_registry)
    assert set(found.parties) == {full, short}
    # a short form two full names could hold stands for neither
    both = [*story, *_story([("Orvik's Defense Ministry", "x", "Orvik's Defense Ministry spoke.")])]
    found = asked_parties(parse_question("How did Velm respond?"), both, no_aliases, no_registry)
    assert set(found.parties) == {full}


def test_an_account_asked_for_in_other_words_names_its_party() -> None:
    """'the front's version of', 'what's X saying', 'what does X make of', 'how is X
    defending himself', 'where does X stand' each ask for X's own words."""
    asked = {
        "Give me the Orvik Front's version of what happened at Kest.": "the Orvik Front",
        "What's the Velm army's account of the raid?": "the Velm army",
        "what's the hospital in Kest saying about casualties?": "the hospital in Kest",
        "What does the opposition make of the budget?": "the opposition",
        "How is Ivo Marr defending himself against the charges?": "Ivo Marr",
        "Where does the Velm electoral board stand on the result?": "the Velm electoral board",
    }
    for question, speaker in asked.items():
        assert parse_question(question).speakers == (speaker,), question
    # an account word after a possessive names no speaker when nothing owns it
    assert parse_question("What's the story with the bridge?").speakers == ()


def test_a_full_name_finds_the_party_the_story_calls_by_honorific_and_surname() -> None:
    story = _story(
        [
            ("Mr Marr", "Mr Marr", "Mr Marr, 44, denies fraud."),
            ("Prosecutors", "Prosecutors", "Prosecutors said the firm never made the loans."),
            ("Velm Electoral Board", "the board", "The Velm Electoral Board said turnout rose."),
        ]
    )
    asked = asked_parties(
        parse_question("How is Ivo Marr defending himself?"), story, lambda p: [p], lambda t: None
    )
    assert list(asked.parties) == ["Mr Marr"] and not asked.missing
    board = asked_parties(
        parse_question("Where does Orvik's electoral board stand on the count?"),
        story,
        lambda p: [p],
        lambda t: None,
    )
    assert list(board.parties) == ["Velm Electoral Board"], board
