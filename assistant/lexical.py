"""Tokens, numbers and overlap for BM25, sentence scoring and the verifier (pure)."""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "also",
        "said",
        "says",
        "say",
        "according",
        "many",
        "much",
    ]
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d[\d,.]*\d|\d")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}


def stem(word: str) -> str:
    """A tiny suffix stripper: enough to match 'killed'/'kills'/'killing', 'soldiers'/'soldier'."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word


def tokens(text: str) -> list[str]:
    """Lower-cased content tokens, stemmed; numbers lose their thousands commas."""
    out = []
    for raw in _TOKEN.findall(text.replace("’", "'")):
        word = raw.lower().strip("'-.,")
        if word.endswith("'s"):
            word = word[:-2]
        if not word or word in STOPWORDS:
            continue
        if word[0].isdigit():
            out.append(word.replace(",", ""))
        else:
            out.append(stem(word))
    return out


def numbers(text: str) -> set[str]:
    """Numbers written in digits, normalised ('4,200' -> '4200')."""
    found = set()
    for match in _NUMBER.finditer(text):
        value = match.group().replace(",", "").rstrip(".")
        if value.endswith(".0"):
            value = value[:-2]
        found.add(value)
    return found


def numbers_with_words(text: str) -> set[str]:
    """Numbers in digits and small numbers spelled out ('seven' -> '7')."""
    found = numbers(text)
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in NUMBER_WORDS:
            found.add(str(NUMBER_WORDS[word]))
    return found


def overlap(claim: str, source: str) -> float:
    """Share of the claim's content tokens that the source contains (0..1)."""
    wanted = set(tokens(claim))
    if not wanted:
        return 1.0
    have = set(tokens(source))
    return len(wanted & have) / len(wanted)


def shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    words = [w.lower() for w in re.findall(r"\w+", text)]
    return {tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


_NOT_NAMES = frozenset(
    [
        "I",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
    ]
)


def names_in(question: str) -> list[str]:
    """Capitalised words after the first word (names, places, acronyms), minus dates."""
    text = question.strip()
    first = re.match(r"\W*\w+", text)
    rest = text[first.end() :] if first else text
    names = []
    for word in re.findall(r"\b[A-Z][\w'\-]*", rest):
        word = word.removesuffix("'s").removesuffix("’s")
        if word not in _NOT_NAMES and word.lower() not in STOPWORDS:
            names.append(word)
    return names
