"""Loads a period's stored articles for a briefing: ledger sentences and a vector each (I/O)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from assistant.briefings.stories import Briefing, BriefingArticle, write_briefing
from assistant.verify.evidence import article_sentences
from ingest.database import ArticleDB
from ingest.embedding import Embedder
from ingest.errors import BadInput
from ingest.store import VectorStore


def briefing_articles(
    db: ArticleDB, store: VectorStore, embed: Callable[[], Embedder], since: date, until: date
) -> list[BriefingArticle]:
    """The period's articles; each vector is the mean of its first two stored passage vectors
    (no re-embedding), or, when the store has none, an embedding of its title and lead; each
    syndicated copy with the original its recorded link names."""
    from assistant.syndication import independent_of

    doc_ids = db.published_between(since, until)
    group = independent_of(db, doc_ids)
    stored_articles = [a for doc_id in doc_ids if (a := db.article(doc_id)) is not None]
    firsts = {a.doc_id: [p.id for p in db.passages_of(a.doc_id)[:2]] for a in stored_articles}
    stored = store.vectors([pid for ids in firsts.values() for pid in ids])
    articles = []
    for a in stored_articles:
        sentences = article_sentences(db, a.doc_id)
        found = [stored[pid] for pid in firsts[a.doc_id] if pid in stored]
        if found:
            vector = [sum(col) / len(found) for col in zip(*found, strict=True)]
        else:
            lead = f"{a.title}. " + " ".join(s.text for s in sentences[:3])
            vector = embed().embed([lead])[0]
        original = group.get(a.doc_id, a.doc_id)
        articles.append(
            BriefingArticle(
                a.doc_id,
                a.title,
                a.outlet,
                a.published,
                a.url,
                sentences,
                vector,
                None if original == a.doc_id else original,
            )
        )
    return articles


def build_briefing(
    db: ArticleDB,
    store: VectorStore,
    embed: Callable[[], Embedder],
    aliases_of: Callable[[str], Sequence[str]],
    since: date,
    until: date | None = None,
    outlets: Sequence[str] = (),
) -> Briefing:
    """The briefing for a day (`until` None) or a period; with `outlets`, of their articles
    only (a copy one of them ran is then its own story, cited to it)."""
    until = until or since
    if until < since:
        raise BadInput(f"--until {until} is before --since {since}")
    articles = briefing_articles(db, store, embed, since, until)
    if outlets:
        wanted = {o.lower() for o in outlets}
        articles = [
            replace(a, copy_of=None) for a in articles if (a.outlet or "").lower() in wanted
        ]
    return write_briefing(articles, since, until, aliases_of)
