"""Syndicated copies: which stored article an article copies (MinHash signatures, LSH banding).

Wire copy reappears at other outlets, lightly edited. Each article gets a MinHash signature of its
word 3-shingles; LSH banding finds stored articles of nearby days whose estimated Jaccard
similarity reaches COPY_JACCARD; the earliest of such a group is the original and the others link
to it. Briefings and "independent sources" counts call `copies_of` / `independent_of`.

The signatures are datasketch's `MinHash(num_perm=128, scheme="affine32", seed=1)` over crc32
shingle hashes, and the bands are `MinHashLSH(threshold=0.5, num_perm=128)`'s, bit for bit (the
tests check both against datasketch). They are computed here with numpy because importing
datasketch imports scipy.integrate (for its LSH parameter search): ~0.45 s of every ingest
command, ~5 % of a 150-article ingest with the ledger off, for two array expressions.
"""

from __future__ import annotations

import functools
import logging
import re
import zlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from importlib import resources
from typing import TYPE_CHECKING

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
    import numpy as np

log = logging.getLogger(__name__)

NUM_PERM = 128
SEED = 1  # datasketch's default: the permutations of signatures stored by earlier releases
COPY_JACCARD = 0.5  # estimated word 3-shingle Jaccard at which an article is a copy
# LSH bands x rows for COPY_JACCARD and NUM_PERM: what datasketch's MinHashLSH picks (the fewest
# weighted false positives and negatives); a test recomputes them with datasketch.
BANDS, ROWS = 25, 5
WINDOW_DAYS = 7  # copies are looked for among articles published this close
_EMPTY = 0xFFFFFFFF  # the signature value of a text with no shingle


def _shingle_hash(value: bytes) -> int:
    return zlib.crc32(value)  # stable across processes, and ~10x faster than sha1


@functools.cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations h -> a * h + b (mod 2**32), a odd: datasketch's "affine32"."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (a bijection), mixing each input hash once."""
    import numpy as np

    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))  # type: ignore[no-any-return]


def signature(text: str) -> np.ndarray:
    """MinHash (NUM_PERM uint32 values) of the text's lower-cased word 3-shingles."""
    import numpy as np

    hashes = np.fromiter(map(_shingle_hash, _shingle_bytes(text)), dtype=np.uint32)
    if not len(hashes):
        return np.full(NUM_PERM, _EMPTY, dtype=np.uint32)
    a, b = _permutations()
    mixed = _fmix32(hashes)[:, None]
    return (mixed * a + b).min(axis=0)  # type: ignore[no-any-return]


def _shingle_bytes(text: str) -> Iterable[bytes]:
    """The encoded 3-shingles of `assistant.lexical.shingles(text)`, each once (a MinHash is
    a minimum, so repeats change nothing), made without a tuple per shingle: ~2x less CPU."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 3:
        return [" ".join(words).encode("utf-8")]
    return {f"{a} {b} {c}".encode() for a, b, c in zip(words, words[1:], words[2:], strict=False)}


_WORD = re.compile(r"\w+")


def signature_bytes(title: str, text: str) -> bytes:
    """The stored form of an article's signature (what `link_copies` reads back), computed at
    ingest beside the parse, so that linking after the ingest only compares."""
    return signature(f"{title}\n{text}").tobytes()


def _load(blob: bytes) -> np.ndarray | None:
    import numpy as np

    values = np.frombuffer(blob, dtype=np.uint32)
    if len(values) != NUM_PERM:
        return None  # written with other parameters: recompute
    return values


def jaccard(one: np.ndarray, other: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two signatures' shingle sets."""
    return float((one == other).mean())


def _band_keys(values: np.ndarray) -> list[tuple[int, bytes]]:
    """The LSH bucket of each band: two signatures sharing a bucket are candidate copies."""
    return [(band, values[band * ROWS : (band + 1) * ROWS].tobytes()) for band in range(BANDS)]


def link_copies(db: ArticleDB, doc_ids: Iterable[str]) -> dict[str, str]:
    """Sign the given stored articles and link each near-copy group to its earliest member.

    Returns the links written (copy doc_id -> original doc_id).
    """
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
    minhashes: dict[str, np.ndarray] = {}
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
    buckets: dict[tuple[int, bytes], list[str]] = {}
    for doc_id, minhash in minhashes.items():
        for key in _band_keys(minhash):
            buckets.setdefault(key, []).append(doc_id)
    by_id = {c.doc_id: c for c in candidates}
    known = _copies_of(db, minhashes)
    links: dict[str, tuple[str, float]] = {}
    for target in targets:
        own = minhashes.get(target.doc_id)
        if own is None:
            continue
        matches = {
            d
            for key in _band_keys(own)
            for d in buckets[key]
            if d != target.doc_id and jaccard(own, minhashes[d]) >= COPY_JACCARD
        }
        if not matches:
            continue
        group = {target.doc_id} | matches | {known[d] for d in matches if d in known}
        group = {d for d in group if d in by_id}
        credits = _credits(db, group)
        original = min(group, key=lambda d: _age(by_id[d], credits.get(d, 0)))
        for member in group - {original}:
            links[member] = (original, jaccard(minhashes[member], minhashes[original]))
    changed = {c: o for c, (o, _) in links.items() if known.get(c) != o}
    if changed:
        save_copies(db, [(c, o, round(s, 3)) for c, (o, s) in links.items() if c in changed])
        log.info("linked %d syndicated cop(ies) to their originals", len(changed))
    return changed


def _age(article: SignedArticle, credits: int = 0) -> tuple[date, int, datetime, int]:
    """Oldest first; of the same day, the most credited by the others ('This report first
    appeared in X'), then the first stored."""
    return (article.published or date.max, -credits, article.ingested_at, article.written)


@functools.cache
def _credit_patterns() -> tuple[str, ...]:
    text = resources.files("assistant").joinpath("syndication_credits.txt").read_text("utf-8")
    return tuple(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


def _outlet_forms(outlet: str) -> list[str]:
    bare = re.sub(r"^the\s+", "", outlet.strip(), flags=re.I)
    first = bare.split()[0] if bare.split() else ""
    return [f for f in dict.fromkeys([bare, first]) if len(f) >= 3]


def credits_outlet(text: str, outlet: str) -> bool:
    """The text credits `outlet` as the source it copies (see syndication_credits.txt)."""
    forms = _outlet_forms(outlet)
    if not forms:
        return False
    name = "(?:" + "|".join(re.escape(f) for f in forms) + ")"
    return any(re.search(p.replace("{outlet}", name), text, re.I) for p in _credit_patterns())


def _credits(db: ArticleDB, group: Iterable[str]) -> dict[str, int]:
    """doc_id -> how many other members of its copy group credit its outlet."""
    stored = {d: a for d in group if (a := db.article(d)) is not None}
    out: dict[str, int] = {}
    for d, article in stored.items():
        if not article.outlet:
            continue
        out[d] = sum(
            1
            for other, a in stored.items()
            if other != d
            and (a.outlet or "").lower() != article.outlet.lower()
            and credits_outlet(a.text, article.outlet)
        )
    return out


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
