"""No rule, word list or pattern may name a word of a particular article.

The distinctive words of every article the project can see (fixtures under `tests/data`, the
demo corpus, `../shared/data`) are collected: capitalised words whose lower-case form is not an
ordinary English word (names of people, places, organisations, acronyms such as a group's
initials). The code and data files of `assistant/` and `ingest/` must not contain any of them,
comments and docstrings included: an example in a docstring teaches the next reader to fit a rule
to that article. Month and day names are ordinary vocabulary in dates and are not counted.
"""

from __future__ import annotations

import calendar
import re
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SHARED_DATA = REPO.parent / "shared" / "data"
ARTICLE_ROOTS = (
    REPO / "tests" / "data",
    REPO / "assistant" / "demo_corpus",
    SHARED_DATA,
    REPO / "benchmarks" / "data",  # the project's own question sets and unseen-article sets
)
ARTICLE_SUFFIXES = {
    ".md",
    ".txt",
    ".jsonl",
    ".json",
    ".yaml",
    ".yml",
    ".html",
    ".xml",
    ".rss",
    ".atom",
}
SCANNED_ROOTS = (REPO / "assistant", REPO / "ingest")
SCANNED_SUFFIXES = {".py", ".txt", ".json", ".yaml", ".yml", ".md", ".jinja", ".html", ".j2"}
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][A-Za-z]*(?:[-’'][A-Za-z]+)*(?![\w-])")
# A word of code or data; a dotted name ("llama.cpp", "x.json") is a file or module, not a word.
_WORD = re.compile(r"(?<![\w.])[A-Za-z][A-Za-z]*(?:[-’'][A-Za-z]+)*")


@cache
def ordinary_words() -> frozenset[str]:
    """Lower-case entries of two large English dictionaries (proper names are capitalised in
    them, so they do not count as ordinary)."""
    english_words = pytest.importorskip("english_words")
    words = english_words.get_english_words_set(["web2", "gcide"], lower=False)
    ordinary = {w for w in words if w.islower()}
    ordinary |= {
        w.lower()
        for w in (
            *calendar.month_name,
            *calendar.day_name,
            *calendar.month_abbr,
            *calendar.day_abbr,
        )
        if w
    }
    # abbreviations in company names are vocabulary of every company, not of one article
    ordinary |= {"inc", "ltd", "plc", "corp", "llc", "co", "pharma"}
    return frozenset(ordinary)


def _is_ordinary(word: str) -> bool:
    lowered = word.lower().replace("’", "'")
    ordinary = ordinary_words()
    if lowered in ordinary:
        return True
    stem = re.sub(r"'s?$", "", lowered)
    if stem in ordinary:
        return True
    if "-" in stem and all(part in ordinary for part in stem.split("-")):
        return False  # "Inter-Services": ordinary parts, a name as a whole
    for suffix, replacement in _ENDINGS:
        if stem.endswith(suffix) and stem[: -len(suffix)] + replacement in ordinary:
            return True
    return False


_ENDINGS = (
    ("s", ""),
    ("es", ""),
    ("ies", "y"),
    ("ed", ""),
    ("d", ""),
    ("ing", ""),
    ("ing", "e"),
    ("er", ""),
    ("ers", ""),
    ("ly", ""),
    ("n", ""),
    ("an", ""),
    ("ian", ""),
    ("i", ""),
    ("ese", ""),
    ("ish", ""),
)
_TAG = re.compile(r"<[^>]*>")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]*(?:[-’'][a-z]+)*")


def distinctive_words(text: str, lower_case: frozenset[str] = frozenset()) -> set[str]:
    """Capitalised words of a text that are not ordinary English words, lower-cased; a word the
    articles also write in lower case ("spokesperson") is ordinary too."""
    found = set()
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        key = word.lower().replace("’", "'")
        if len(word) >= 3 and key not in lower_case and not _is_ordinary(word):
            found.add(key)
    return found


def _article_text(path: Path) -> str:
    return _TAG.sub(" ", path.read_text(encoding="utf-8", errors="replace"))


def article_files() -> list[Path]:
    paths = []
    for root in ARTICLE_ROOTS:
        if root.is_dir():
            paths += [
                p
                for p in root.rglob("*")
                if p.is_file()
                and p.suffix in ARTICLE_SUFFIXES
                and not p.name.upper().startswith(("README", "LICENSE"))
            ]
    return sorted(paths)


def scanned_files() -> list[Path]:
    corpus = REPO / "assistant" / "demo_corpus"
    paths = []
    for root in SCANNED_ROOTS:
        for path in root.rglob("*"):
            if (
                path.is_file()
                and path.suffix in SCANNED_SUFFIXES
                and corpus not in path.parents
                and not path.name.startswith("LICENSE")  # credits the borrowed word lists
            ):
                paths.append(path)
    return sorted(paths)


@cache
def fixture_words() -> dict[str, str]:
    """Distinctive word -> the first article file it comes from."""
    texts = {path: _article_text(path) for path in article_files()}
    lower_case = frozenset(
        m.group().replace("’", "'") for text in texts.values() for m in _LOWER_WORD.finditer(text)
    )
    words: dict[str, str] = {}
    for path, text in texts.items():
        for word in distinctive_words(text, lower_case):
            words.setdefault(word, str(path.relative_to(path.parents[1])))
    return words


def test_the_scan_sees_the_articles_and_their_names() -> None:
    words = fixture_words()
    assert len(article_files()) >= 10
    assert len(words) >= 100
    # the scan itself: a made-up name is caught, ordinary words and dates are not
    assert distinctive_words("Mr. Zorvath of Quillonia-Brent said on Monday") == {
        "zorvath",
        "quillonia-brent",
    }
    assert distinctive_words("The Army and the Ministry said in March") == set()


def test_no_code_or_lexicon_file_names_an_article_word() -> None:
    words = fixture_words()
    hits = []
    for path in scanned_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _WORD.finditer(text):
            word = match.group().lower().replace("’", "'")
            if word in words:
                line = text.count("\n", 0, match.start()) + 1
                hits.append(f"{path.relative_to(REPO)}:{line}: {match.group()!r} ({words[word]})")
    assert not hits, "article words in code or lexicons:\n" + "\n".join(hits)
