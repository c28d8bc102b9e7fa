"""Split sentence pieces joined again; each party's latest figure kept in the briefing (pure)."""

from __future__ import annotations

from datetime import date

from assistant.briefings.fragments import alias_lookup, join_fragments
from assistant.briefings.stories import BriefingArticle, write_briefing
from assistant.verify.evidence import EvidenceSentence

TEXT = (
    "21:00 - With 40 per cent of wards counted, Green leads with 50.2 per cent, the Poll Board "
    "says. 23:50 - With 90 per cent of wards counted, Blue has 52.6 per cent and Green 47.4 per "
    "cent, the board says. Final results are due on Monday."
)


def _piece(doc: str, i: int, text: str, party: str = "narrator", published: str = "2031-06-02"):
    start = TEXT.index(text)
    return EvidenceSentence(
        doc, i, start, start + len(text), text, party,
        None if party == "narrator" else "the Poll Board",
        "none" if party == "narrator" else "explicit", 1.0, 0, f"{doc}-p{i}",
        "Live: Harlow votes", "Quillpost", date.fromisoformat(published), None,
    )  # fmt: skip


def _pieces() -> list[EvidenceSentence]:
    return [
        _piece("live", 0, TEXT.split(" 23:50")[0], "Poll Board"),
        _piece("live", 1, "23:50 - With 90 per cent of wards counted, Blue has 52.6 per cent and"),
        _piece("live", 2, "Green 47.4 per cent"),
        _piece("live", 3, ", the board says."),
        _piece("live", 4, "Final results are due on Monday."),
    ]


def _aliases(party: str) -> list[str]:
    return {"Poll Board": ["Poll Board", "the board"]}.get(party, [party])


def test_pieces_cut_apart_are_joined_and_given_the_party_their_cue_names() -> None:
    party_of = alias_lookup(["Poll Board"], _aliases)
    joined = join_fragments(_pieces(), party_of)
    assert len(joined) == 3
    final = joined[1]
    assert final.text == (
        "23:50 - With 90 per cent of wards counted, Blue has 52.6 per cent and Green 47.4 per "
        "cent, the board says."
    )
    assert TEXT[final.start : final.end] == final.text
    assert final.party == "Poll Board" and final.cue == "explicit"
    assert joined[2].party == "narrator"  # a whole sentence is left as it was


def test_a_joined_piece_with_no_known_cue_stays_with_the_narrator() -> None:
    pieces = _pieces()
    joined = join_fragments(pieces, alias_lookup([], _aliases))
    assert joined[1].party == "narrator" and joined[1].end == pieces[3].end


def test_the_briefing_keeps_a_partys_last_figure_of_a_live_page() -> None:
    other = [
        EvidenceSentence(
            "live",
            i - 10,  # earlier entries of the page
            i * 100 - 1000,
            i * 100 - 1000 + len(t),
            t,
            party,
            "x",
            "explicit",
            1.0,
            0,
            f"live-q{i}",
            "Live: Harlow votes",
            "Quillpost",
            date(2031, 6, 2),
            None,
        )  # fmt: skip
        for i, (t, party) in enumerate(
            [
                ("Turnout reached 41 per cent by noon, the Poll Board said.", "Poll Board"),
                ("The Poll Board put turnout at 55 per cent by 17:00.", "Poll Board"),
                (
                    "With 10 per cent counted, Green has 53.1 per cent, the Poll Board said.",
                    "Poll Board",
                ),
                (
                    "With 20 per cent counted, Green has 51.9 per cent, the Poll Board said.",
                    "Poll Board",
                ),
                ("The Blue campaign said 3 of its observers were turned away.", "Blue campaign"),
                ("The Blue campaign said it had 12,000 volunteers out.", "Blue campaign"),
            ]
        )
    ]
    article = BriefingArticle(
        "live", "Live: Harlow votes", "Quillpost", date(2031, 6, 2), None,
        [*other, *_pieces()], [1.0, 0.0],
    )  # fmt: skip
    briefing = write_briefing([article], date(2031, 6, 2), date(2031, 6, 2), _aliases)
    said = [p for story in briefing.stories for c in story.contested for p in c.positions]
    board = [p.statement for p in said if p.party == "Poll Board"]
    assert any("52.6 per cent" in s for s in board)
