"""Revisions and contested figures in briefings, on hand-written reports of one made-up event."""

from __future__ import annotations

from datetime import date

from assistant.briefings.stories import BriefingArticle, write_briefing
from assistant.verify.evidence import EvidenceSentence
from assistant.verify.revisions import find_revisions

MINISTRY = "Ministry of Emergencies"
TRUST = "Harbour Relief Trust"
COMMITTEE = "Valley Residents Committee"
ALIASES = {MINISTRY: [MINISTRY, "the ministry"], TRUST: [TRUST, "the trust"]}


def _aliases(party: str) -> list[str]:
    return ALIASES.get(party, [party])


def _article(doc_id: str, day: str, lines: list[tuple[str, str]]) -> BriefingArticle:
    text = " ".join(t for t, _ in lines)
    sentences, at = [], 0
    for i, (t, party) in enumerate(lines):
        start = text.index(t, at)
        at = start + len(t)
        sentences.append(
            EvidenceSentence(
                doc_id,
                i,
                start,
                at,
                t,
                party,
                None,
                "none" if party == "narrator" else "explicit",
                0.9,
                0,
                "",
                f"Dam wall gives way ({doc_id})",
                f"Outlet {doc_id}",
                date.fromisoformat(day),
                None,
            )
        )
    return BriefingArticle(
        doc_id,
        f"Dam wall gives way ({doc_id})",
        f"Outlet {doc_id}",
        date.fromisoformat(day),
        None,
        sentences,
        [1.0, 0.0, 0.2],
    )


DAY1 = _article(
    "d1",
    "2026-05-04",
    [
        (
            "A dam wall gave way above the town of Orsk on Monday night, flooding two districts.",
            "narrator",
        ),
        ("The Ministry of Emergencies said three people died and 11 were injured.", MINISTRY),
        ("The Harbour Relief Trust said it had opened 4 field clinics in the valley.", TRUST),
        ("The Valley Residents Committee said at least 9 people had died.", COMMITTEE),
    ],
)
DAY2 = _article(
    "d2",
    "2026-05-05",
    [
        ("Rescue teams worked through the night in the flooded districts of Orsk.", "narrator"),
        ("The Ministry of Emergencies on Tuesday raised the death toll to eight.", MINISTRY),
        ("The ministry said 15 people were being treated in hospital.", MINISTRY),
        ("The Harbour Relief Trust said it had raised 250,000 dollars for the families.", TRUST),
        ("The trust said 30 volunteers were working at the site.", TRUST),
    ],
)


def test_an_agency_raising_its_own_toll_is_a_revision_with_both_figures_and_citations() -> None:
    briefing = write_briefing([DAY1, DAY2], date(2026, 5, 4), date(2026, 5, 5), _aliases)
    [story] = briefing.stories
    tolls = [r for r in story.revisions if r.party == MINISTRY and r.after == "8"]
    assert len(tolls) == 1, story.revisions
    [toll] = tolls
    assert toll.before == "3"
    assert "4 May 2026" in toll.statement and "5 May 2026" in toll.statement
    cited = {c.n: c for c in briefing.citations}
    first, second = (cited[n] for n in toll.citations)
    assert "three people died" in first.passage and first.published == date(2026, 5, 4)
    assert "death toll to eight" in second.passage and second.published == date(2026, 5, 5)
    assert f"[{first.n}]" in toll.statement and f"[{second.n}]" in toll.statement


def test_a_count_of_injured_is_compared_with_the_injured_never_with_the_dead() -> None:
    changes = find_revisions(DAY1.sentences + DAY2.sentences)
    pairs = {(c.party, c.before, c.after) for c in changes}
    assert (MINISTRY, "11", "15") in pairs
    assert (MINISTRY, "3", "15") not in pairs and (MINISTRY, "11", "8") not in pairs


def test_unrelated_numbers_of_one_party_are_not_a_revision() -> None:
    changes = find_revisions(DAY1.sentences + DAY2.sentences)
    assert [c for c in changes if c.party == TRUST] == []
    briefing = write_briefing([DAY1, DAY2], date(2026, 5, 4), date(2026, 5, 5), _aliases)
    assert all(r.party != TRUST for s in briefing.stories for r in s.revisions)


def test_contested_figures_are_grouped_by_what_they_count() -> None:
    briefing = write_briefing([DAY1, DAY2], date(2026, 5, 4), date(2026, 5, 5), _aliases)
    [story] = briefing.stories
    dead = [c for c in story.contested if "dead" in c.topic]
    assert dead, [c.topic for c in story.contested]
    parties = {p.party for p in dead[0].positions}
    assert parties == {MINISTRY, COMMITTEE}
    assert all(
        "clinics" not in p.statement and "dollars" not in p.statement for p in dead[0].positions
    )


def test_a_spokesman_and_his_agency_are_one_actor_in_revisions() -> None:
    spokesman = "Ilse Marr"
    aliases = {**ALIASES, MINISTRY: [MINISTRY, "the ministry", spokesman]}
    day2 = _article(
        "d3",
        "2026-05-05",
        [("Ilse Marr on Tuesday raised the death toll to eight.", spokesman)],
    )
    briefing = write_briefing(
        [DAY1, day2], date(2026, 5, 4), date(2026, 5, 5), lambda p: aliases.get(p, [p])
    )
    [story] = briefing.stories
    assert [(r.party, r.before, r.after) for r in story.revisions] == [(MINISTRY, "3", "8")]


def test_an_increment_is_not_a_revised_total() -> None:
    """'three more bodies' adds to the toll; the revision is the ministry's 4 -> 7."""
    from assistant.verify.revisions import _is_increment

    assert _is_increment("Three more bodies were brought ashore overnight.", "3")
    assert _is_increment("Officials reported another 12 cases.", "12")
    assert not _is_increment("The ministry raised the toll to seven, up from four.", "7")
    assert not _is_increment("Some 4,200 workers joined.", "4200")
