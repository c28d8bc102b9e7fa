"""Retrieved passages expanded to ledger-labelled sentences: the evidence answers are built from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import date

from assistant.claims.store import LedgerRow, ledger_rows
from assistant.search.retrieval import RetrievedPassage
from assistant.types import NARRATOR, Citation, Cue
from assistant.verify.figure_store import load_figures
from ingest.database import ArticleDB
from ingest.types import Passage


@dataclass(frozen=True, slots=True)
class EvidenceSentence:
    """One article sentence inside a retrieved passage, with who says it."""

    doc_id: str
    sentence_index: int
    start: int
    end: int
    text: str
    party: str
    speaker: str | None
    cue: Cue
    confidence: float
    rank: int  # rank of the passage it came from (0 = best)
    passage_id: str
    title: str
    outlet: str | None
    published: date | None
    url: str | None
    also_in: tuple[str, ...] = ()

    @property
    def is_claim(self) -> bool:
        return self.party != NARRATOR


class CitationBook:
    """Numbers cited sentences in order of first use; one book per answer or briefing."""

    def __init__(self) -> None:
        self.items: list[Citation] = []
        self._index: dict[tuple[str, int], int] = {}

    def cite(self, s: EvidenceSentence) -> int:
        key = (s.doc_id, s.sentence_index)
        if key not in self._index:
            self._index[key] = len(self.items) + 1
            self.items.append(
                Citation(
                    self._index[key],
                    s.doc_id,
                    s.title,
                    s.outlet,
                    s.published,
                    s.url,
                    s.text,
                    s.start,
                    s.end,
                    s.speaker,
                    None if s.party == NARRATOR else s.party,
                    s.cue,
                    s.also_in,
                )
            )
        return self._index[key]


def expand_to_sentences(
    db: ArticleDB, hits: list[RetrievedPassage], leads: bool = False
) -> list[EvidenceSentence]:
    """Every sentence of the hits, once, labelled from the ledger (narrator if none stored).

    With `leads`, each hit article's first sentence joins too (at that hit's rank): a news
    lead states the story's main fact, often in other words than the question ('raised the
    death toll to seven' for 'how many died'), and a revised figure is usually there.
    """
    seen: set[tuple[str, int]] = set()
    out: list[EvidenceSentence] = []
    texts: dict[str, str] = {}
    spans: list[tuple[int, RetrievedPassage, str, int, int]] = []
    for rank, hit in enumerate(hits):
        p = hit.passage
        spans.append((rank, hit, p.id, p.first_sentence, p.last_sentence))
    if leads:
        first_rank: dict[str, tuple[int, RetrievedPassage]] = {}
        for rank, hit in enumerate(hits):
            first_rank.setdefault(hit.passage.doc_id, (rank, hit))
        for doc_id, (rank, hit) in first_rank.items():
            lead = db.first_passage_id(doc_id)
            if lead:
                spans.append((rank, hit, lead, 0, 0))
    for rank, hit, passage_id, first, last in spans:
        doc_id = hit.passage.doc_id
        if doc_id not in texts:
            article = db.article(doc_id)
            texts[doc_id] = article.text if article else ""
        text = texts[doc_id]
        rows = ledger_rows(db, doc_id, first, last)
        if not rows:
            if passage_id != hit.passage.id:
                continue  # a lead without ledger rows: nothing to label it with
            # Ledger off: nobody knows who speaks, so the passage is given to its outlet and is
            # never stated as bare fact.
            p = hit.passage
            who = hit.outlet or "the source"
            rows = [LedgerRow(p.first_sentence, p.start, p.end, who, None, "none", 0.0)]
        for index, start, end, party, speaker, cue, confidence in (astuple(r) for r in rows):
            if (doc_id, index) in seen:
                continue
            seen.add((doc_id, index))
            out.append(
                EvidenceSentence(
                    doc_id,
                    index,
                    start,
                    end,
                    text[start:end],
                    party,
                    speaker,
                    cue,
                    float(confidence),
                    rank,
                    passage_id,
                    hit.title,
                    hit.outlet,
                    hit.published,
                    hit.url,
                    hit.also_in,
                )
            )
    load_figures(db, (s.text for s in out))  # read at ingest: no parse for these
    return out


def article_sentences(db: ArticleDB, doc_id: str) -> list[EvidenceSentence]:
    """Every sentence of one stored article with its ledger label (for briefings)."""
    article = db.article(doc_id)
    if article is None:
        return []
    rows = ledger_rows(db, doc_id)
    if not rows:  # ledger off: passages stand in, given to the outlet
        who = article.outlet or "the source"
        rows = [
            LedgerRow(p.first_sentence, p.start, p.end, who, None, "none", 0.0)
            for p in db.passages_of(doc_id)
        ]
    out = [
        EvidenceSentence(
            doc_id,
            index,
            start,
            end,
            article.text[start:end],
            party,
            speaker,
            cue,
            float(confidence),
            0,
            "",
            article.title,
            article.outlet,
            article.published,
            article.url,
        )
        for index, start, end, party, speaker, cue, confidence in (astuple(r) for r in rows)
    ]
    load_figures(db, (s.text for s in out))
    return out


def evidence_texts(
    text: str, ledger: Sequence[tuple[int, int]], passages: Sequence[Passage]
) -> list[str]:
    """The texts an article's evidence sentences will hold (as `expand_to_sentences` and
    `article_sentences` cut them): its ledger sentences, or with the ledger off its passages."""
    spans = ledger or [(p.start, p.end) for p in passages]
    return [text[start:end] for start, end in spans]
