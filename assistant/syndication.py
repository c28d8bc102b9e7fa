"""Syndicated copies: which stored article an article copies (MinHash / LSH, `datasketch`).

Wire copy reappears at other outlets, lightly edited. Each article gets a MinHash signature of its
word 3-shingles; LSH finds stored articles of nearby days whose estimated Jaccard similarity
reaches COPY_JACCARD; the earliest of such a group is the original and the others link to it.
Briefings and "independent sources" counts call `copies_of` / `independent_of`.
"""

from __future__ import annotations

import functools
import logging
import zlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from assistant.lexical import shingles
from ingest.database import ArticleDB
from ingest.feeds_db import (
    SignedArticle,
    articles_for_syndication,
    ensure_feed_tables,
    save_copies,
    save_signatures,
)
from ingest.feeds_db import (
    copies_of as _copies_of,
)

if TYPE_CHECKING:
    from datasketch import MinHash

log = logging.getLogger(__name__)

NUM_PERM = 128
SCHEME = "affine32"
COPY_JACCARD = 0.5  # estimated word 3-shingle Jaccard at which an article is a copy
WINDOW_DAYS = 7  # copies are looked for among articles published this close


def _shingle_hash(value: bytes) -> int:
    return zlib.crc32(value)  # stable across processes, and ~10x faster than datasketch's sha1


@functools.cache
def _template() -> tuple[object, tuple[int, int]]:
    """The permutations and LSH band parameters, computed once (each costs milliseconds)."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=COPY_JACCARD, num_perm=NUM_PERM)
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations, (lsh.b, lsh.r)


def signature(text: str) -> MinHash:
    """MinHash of the text's lower-cased word 3-shingles."""
    from datasketch import MinHash

    minhash = MinHash(
        num_perm=NUM_PERM, scheme=SCHEME, hashfunc=_shingle_hash, permutations=_template()[0]
    )
    minhash.update_batch([" ".join(s).encode("utf-8") for s in shingles(text)])
    return minhash


def signature_bytes(title: str, text: str) -> bytes:
    """The stored form of an article's signature (what `link_copies` reads back), computed at
    ingest beside the parse, so that linking after the ingest only compares."""
    import numpy as np

    return signature(f"{title}\n{text}").hashvalues.astype(np.uint32).tobytes()  # type: ignore[no-any-return]


def _load(blob: bytes) -> MinHash | None:
    import numpy as np
    from datasketch import MinHash

    values = np.frombuffer(blob, dtype=np.uint32)
    if len(values) != NUM_PERM:
        return None  # written with other parameters: recompute
    return MinHash(
        num_perm=NUM_PERM,
        hashvalues=values.copy(),
        scheme=SCHEME,
        hashfunc=_shingle_hash,
        permutations=_template()[0],
    )


def link_copies(db: ArticleDB, doc_ids: Iterable[str]) -> dict[str, str]:
    """Sign the given stored articles and link each near-copy group to its earliest member.

    Returns the links written (copy doc_id -> original doc_id).
    """
    from datasketch import MinHashLSH

    ensure_feed_tables(db)
    targets = [a for d in dict.fromkeys(doc_ids) if (a := db.article(d)) and a.status == "complete"]
    if not targets:
        return {}
    days = [a.published for a in targets if a.published]
    since = until = None
    if len(days) == len(targets):
        since = min(days) - timedelta(days=WINDOW_DAYS)
        until = max(days) + timedelta(days=WINDOW_DAYS)
    candidates = articles_for_syndication(db, since, until)
    minhashes: dict[str, MinHash] = {}
    fresh: list[tuple[str, bytes]] = []
    for cand in candidates:
        loaded = _load(cand.signature) if cand.signature else None
        if loaded is None:
            stored = db.article(cand.doc_id)
            if stored is None:
                continue
            blob = signature_bytes(stored.title, stored.text)
            fresh.append((cand.doc_id, blob))
            loaded = _load(blob)
        if loaded is not None:
            minhashes[cand.doc_id] = loaded
    if fresh:
        save_signatures(db, fresh)
    lsh = MinHashLSH(threshold=COPY_JACCARD, num_perm=NUM_PERM, params=_template()[1])
    for doc_id, minhash in minhashes.items():
        lsh.insert(doc_id, minhash)
    by_id = {c.doc_id: c for c in candidates}
    known = _copies_of(db, minhashes)
    links: dict[str, tuple[str, float]] = {}
    for target in targets:
        own = minhashes.get(target.doc_id)
        if own is None:
            continue
        matches = {
            d
            for d in lsh.query(own)
            if d != target.doc_id and own.jaccard(minhashes[d]) >= COPY_JACCARD
        }
        if not matches:
            continue
        group = {target.doc_id} | matches | {known[d] for d in matches if d in known}
        group = {d for d in group if d in by_id}
        original = min(group, key=lambda d: _age(by_id[d]))
        for member in group - {original}:
            links[member] = (original, minhashes[member].jaccard(minhashes[original]))
    changed = {c: o for c, (o, _) in links.items() if known.get(c) != o}
    if changed:
        save_copies(db, [(c, o, round(s, 3)) for c, (o, s) in links.items() if c in changed])
        log.info("linked %d syndicated cop(ies) to their originals", len(changed))
    return changed


def _age(article: SignedArticle) -> tuple[date, datetime, int]:
    return (article.published or date.max, article.ingested_at, article.written)


def copies_of(db: ArticleDB, doc_ids: Iterable[str]) -> dict[str, str]:
    """copy doc_id -> the stored original it copies, for those of `doc_ids` that are copies."""
    ensure_feed_tables(db)
    return _copies_of(db, doc_ids)


def independent_of(db: ArticleDB, doc_ids: Iterable[str]) -> dict[str, str]:
    """doc_id -> its syndication group (the original's doc_id, itself when it copies none).

    The number of independent sources among `doc_ids` is `len(set(result.values()))`.
    """
    ids = list(dict.fromkeys(doc_ids))
    copies = copies_of(db, ids)
    return {d: copies.get(d, d) for d in ids}
