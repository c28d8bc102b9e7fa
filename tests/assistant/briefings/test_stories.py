"""Daily briefings over the demo corpus with the real models and ledger."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.api import Assistant, demo_corpus_path
from assistant.briefings.stories import Briefing, to_html, to_json, to_markdown
from assistant.settings import Settings

FORMATS = Path(__file__).resolve().parents[2] / "data" / "formats"
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    assistant = Assistant(Settings(data_dir=tmp_path_factory.mktemp("briefings")))
    assert assistant.ingest([demo_corpus_path(), FORMATS / "hostile.md"]).failed == []
    return assistant


def _check_citations(bot: Assistant, briefing: Briefing) -> None:
    numbers = {c.n for c in briefing.citations}
    for story in briefing.stories:
        for st in story.summary + story.agreed:
            assert st.citations and set(st.citations) <= numbers
        for contest in story.contested:
            for pos in contest.positions:
                assert pos.citations and set(pos.citations) <= numbers
    for c in briefing.citations:
        assert bot.article(c.doc_id).text[c.start : c.end] == c.passage


def test_syndicated_copy_is_one_story_with_two_outlets(bot: Assistant) -> None:
    briefing = bot.summary(date(2026, 3, 11))
    _check_citations(bot, briefing)
    [bank] = [s for s in briefing.stories if "rate" in s.title.lower()]
    assert bank.outlets == ["Coastline Wire", "Northgate Daily"]
    assert len(bank.doc_ids) == 2
    titles = [s.title for s in briefing.stories]
    assert len(titles) == len(set(titles))


def test_a_named_outlet_gets_its_own_articles_and_its_copy_cited_to_itself(bot: Assistant) -> None:
    briefing = bot.summary(date(2026, 3, 11), outlets=["Northgate Daily"])
    _check_citations(bot, briefing)
    assert briefing.stories and all(s.outlets == ["Northgate Daily"] for s in briefing.stories)
    cited = {bot.article(c.doc_id).outlet for c in briefing.citations}
    assert cited == {"Northgate Daily"}
    answer = bot.ask("Summarise what the Northgate Daily published on 11 March 2026.")
    assert {bot.article(c.doc_id).outlet for c in answer.citations} == {"Northgate Daily"}


def test_asked_what_a_copy_changed_the_answer_compares_it_with_its_original(bot: Assistant) -> None:
    answer = bot.ask("What is different in the Northgate Daily's copy of the central bank story?")
    assert not answer.refused
    assert "republishes" in answer.statements[0].text
    outlets = {bot.article(c.doc_id).outlet for c in answer.citations}
    assert outlets == {"Coastline Wire", "Northgate Daily"}
    for st in answer.statements[1:]:
        assert st.text.startswith(("Only in", "Reworded in the copy")), st.text
    assert "Accounts differ" not in answer.answer  # a comparison of versions, not of parties
    assert answer.answer.splitlines()[0].startswith(answer.statements[0].text)


def test_contested_block_holds_both_parties_figures(bot: Assistant) -> None:
    briefing = bot.summary(date(2026, 3, 11))
    [strike] = [s for s in briefing.stories if "strike" in s.title.lower()]
    union = bot.registry.resolve("UMF")
    company = bot.registry.resolve("Brennic Steel Group")
    [contest] = strike.contested
    by_party: dict[str, str] = {}
    for p in contest.positions:
        by_party[p.party] = by_party.get(p.party, "") + " " + p.statement
    assert "4,200" in by_party[union]
    assert "1,100" in by_party[company]
    for pos in contest.positions:  # each position names its party
        assert any(
            a.lower().removeprefix("the ") in pos.statement.lower()
            for a in bot.registry.aliases_of(pos.party) + [pos.party]
        )


def test_revised_figure_shows_both_figures_with_dates(bot: Assistant) -> None:
    briefing = bot.summary(date(2026, 3, 10), date(2026, 3, 12))
    _check_citations(bot, briefing)
    lumora = bot.registry.resolve("Lumora")
    revisions = [r for s in briefing.stories for r in s.revisions if r.party == lumora]
    assert revisions, "Lumora's 18,000 -> 29,000 revision was not found"
    [rev] = revisions
    assert "18,000" in rev.statement and "29,000" in rev.statement
    assert "11 March 2026" in rev.statement and "12 March 2026" in rev.statement
    cited = {c.n: c for c in briefing.citations}
    assert (
        "18,000" in cited[rev.citations[0]].passage and "29,000" in cited[rev.citations[1]].passage
    )


def test_html_escapes_article_text_and_output_is_deterministic(bot: Assistant) -> None:
    briefing = bot.summary(date(2026, 3, 11))
    page = to_html(briefing)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    again = bot.summary(date(2026, 3, 11))
    assert to_html(again) == page
    assert to_json(again) == to_json(briefing)
    assert to_markdown(again) == to_markdown(briefing)


def test_a_day_without_articles_has_no_stories(bot: Assistant) -> None:
    briefing = bot.summary(date(2026, 1, 1))
    assert briefing.stories == [] and briefing.citations == []
    assert "No articles were published" in to_markdown(briefing)


def test_ask_for_a_day_returns_the_briefing(bot: Assistant) -> None:
    answer = bot.ask("What happened on 11 March?", today=date(2026, 3, 12))
    assert answer.engine == "briefing" and not answer.refused
    assert answer.statements and answer.citations
    assert "Briefing for 2026-03-11" in answer.answer
    yesterday = bot.ask("yesterday's briefing", today=date(2026, 3, 12))
    assert yesterday.answer == answer.answer.replace("11 March", "11 March")


def test_a_copy_s_sentence_is_kept_once_whatever_its_quotes() -> None:
    from assistant.briefings.stories import _one_per_text
    from tests.assistant.answers.test_spans import _s

    original = _s("d1", 3, "Velm's agency said 14 people had died.", "Velm Agency")
    copy = _s("d2", 5, "Velm’s agency said 14 people had died.", "Velm Agency")
    other = _s("d2", 6, "Velm’s agency said 19 people had died.", "Velm Agency")
    assert _one_per_text([original, copy, other]) == [original, other]
