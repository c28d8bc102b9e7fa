"""A faster spaCy attribute ruler that gives exactly the original component's results.

spaCy's `attribute_ruler` runs a `Matcher` over all its patterns (179 in the English pipeline),
at ~20 us a token: nearly as much as the tagger and parser together. Its patterns are short
and fixed ({"TAG": ...}, {"LOWER": ..., "TAG": ...}, a few two-token ones), so
`FastAttributeRuler` finds their matches from an index instead: which patterns can start at a
token depends only on the few attributes the patterns read, so it is worked out once per
distinct combination of those values (looking up the patterns indexed under one of their
equality tests, then checking their other tests the way the Matcher does) and remembered; the
later tokens of a longer pattern are checked in place. Any pattern using a feature the index
does not reproduce exactly (operators, extensions, comparisons, fuzzy or morph sets, sentence
starts) stays in a small `Matcher` of its own. Matches are deduplicated and sorted by pattern
index as the original does, so later patterns still win; patterns, serialization and the
attributes set are the original class's. Import only after `import_spacy()`.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, Optional

from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    IDS,
    LEMMA,
    LOWER,
    NORM,
    ORTH,
    POS,
    PREFIX,
    SHAPE,
    SUFFIX,
    TAG,
)
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from spacy.vocab import Vocab

FACTORY = "fast_attribute_ruler"
# Attributes whose value `Doc.to_array` reads exactly as the Matcher does (SENT_START, IDX and
# HEAD differ or are positional, ENT_IOB has its own string coding, MORPH sets are special).
_STRING_ATTRS = frozenset(
    {ORTH, LOWER, NORM, SHAPE, PREFIX, SUFFIX, TAG, POS, DEP, LEMMA, ENT_TYPE}
)
_FLAG_LIMIT = 64  # attribute ids below this are lexeme flags (IS_SPACE, LIKE_NUM, ...): 0 or 1
_MEMO_LIMIT = 100_000  # distinct attribute combinations remembered before the memo restarts

Check = Callable[[int], bool]
Tests = list[tuple[int, Check, set[int]]]  # (attribute, test, accepted values if finite)


class _Unsupported(Exception):
    """A token pattern the index cannot reproduce exactly; it stays in the Matcher."""


def _attr_id(key: Any) -> int:
    if isinstance(key, int) and not isinstance(key, bool):
        attr = key
    elif isinstance(key, str):
        name = key.upper()
        if name in ("_", "OP"):
            raise _Unsupported(name)
        attr = IDS.get({"TEXT": "ORTH"}.get(name, name), -1)
    else:
        raise _Unsupported(key)
    if attr in _STRING_ATTRS or 0 < attr < _FLAG_LIMIT:
        return attr
    raise _Unsupported(key)


def _value_check(attr: int, predicate: str, value: Any, vocab: Vocab) -> tuple[Check, set[int]]:
    """One Matcher predicate as a test on the token's attribute value; also the values it
    accepts when it is a finite set (for indexing), else an empty set."""
    if attr < _FLAG_LIMIT:
        raise _Unsupported(predicate)  # set/regex tests on flags: leave to the Matcher
    strings = vocab.strings
    if predicate == "REGEX" and isinstance(value, str):
        pattern = re.compile(value)
        return (lambda v: bool(pattern.search(strings[v]))), set()
    if predicate in ("IN", "NOT_IN") and isinstance(value, list | tuple):
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in value):
            raise _Unsupported(predicate)
        accepted = {get_string_id(v) for v in value}
        if predicate == "IN":
            return accepted.__contains__, accepted
        return (lambda v: v not in accepted), set()
    raise _Unsupported(predicate)


def _compile_token(spec: Any, vocab: Vocab) -> Tests:
    """A single-token spec as (attribute, test, accepted values) triples, as the Matcher reads
    it: strings compare by their id, booleans as 0/1, dicts are predicates."""
    if not isinstance(spec, dict):
        raise _Unsupported(spec)
    tests: Tests = []
    for key, value in spec.items():
        attr = _attr_id(key)
        if isinstance(value, dict):
            for predicate, argument in value.items():
                if not isinstance(predicate, str):
                    raise _Unsupported(predicate)
                tests.append((attr, *_value_check(attr, predicate.upper(), argument, vocab)))
            continue
        if isinstance(value, bool):
            wanted = int(value)
        elif isinstance(value, str):
            if attr == ENT_IOB:
                raise _Unsupported(value)
            wanted = vocab.strings.add(value)
        elif isinstance(value, int):
            wanted = value
        else:
            raise _Unsupported(value)
        tests.append((attr, partial(operator.eq, wanted), {wanted}))
    return tests


class _PatternIndex:
    """Fixed-length patterns, found by their first token: the first token's tests are looked up
    by one of their equality tests, with a memo from a token's attribute values to the entries
    whose first token it matches; the other tokens of an entry are then checked in place."""

    def __init__(self, compiled: list[tuple[int, list[Tests]]]) -> None:
        self.attrs = sorted({a for _, specs in compiled for tests in specs for a, _, _ in tests})
        column = {attr: n for n, attr in enumerate(self.attrs)}
        # entry -> (pattern id, length, the later tokens' tests as [(column, check)])
        self.entries: list[tuple[int, int, list[list[tuple[int, Check]]]]] = []
        # column -> value -> [(entry, the first token's other tests)]
        self.by_value: dict[int, dict[int, list[tuple[int, list[tuple[int, Check]]]]]] = {}
        self.scan: list[tuple[int, list[tuple[int, Check]]]] = []  # no finite test to index by
        for pattern_id, specs in compiled:
            entry = len(self.entries)
            later = [[(column[a], check) for a, check, _ in tests] for tests in specs[1:]]
            self.entries.append((pattern_id, len(specs), later))
            first = specs[0]
            keyed = [n for n, (_, _, values) in enumerate(first) if values]
            if keyed:
                key = min(keyed, key=lambda n: len(first[n][2]))  # the most selective test
                rest = [(column[a], check) for n, (a, check, _) in enumerate(first) if n != key]
                table = self.by_value.setdefault(column[first[key][0]], {})
                for value in first[key][2]:
                    table.setdefault(value, []).append((entry, rest))
            else:
                self.scan.append((entry, [(column[a], check) for a, check, _ in first]))
        self.memo: dict[tuple[int, ...], tuple[int, ...]] = {}

    def starting(self, row: tuple[int, ...]) -> tuple[int, ...]:
        """The entries whose first token matches a token with these attribute values."""
        found = self.memo.get(row)
        if found is None:
            hits: set[int] = set()
            for col, table in self.by_value.items():
                for entry, rest in table.get(row[col], ()):
                    if all(check(row[c]) for c, check in rest):
                        hits.add(entry)
            for entry, tests in self.scan:
                if all(check(row[c]) for c, check in tests):
                    hits.add(entry)
            found = tuple(sorted(hits))
            if len(self.memo) >= _MEMO_LIMIT:
                self.memo.clear()
            self.memo[row] = found
        return found

    def matches(self, doc: Doc) -> set[tuple[int, int, int]]:
        """(pattern id, start, end) of every match in the doc, once each, as the Matcher."""
        found: set[tuple[int, int, int]] = set()
        if not self.attrs or not len(doc):
            return found
        columns: list[int | str] = list(self.attrs)
        values: list[list[int]] = doc.to_array(columns).reshape(len(doc), -1).tolist()  # type: ignore[assignment]
        rows = [tuple(r) for r in values]
        entries, starting = self.entries, self.starting
        for i, row in enumerate(rows):
            for entry in starting(row):
                pattern_id, length, later = entries[entry]
                if length == 1:
                    found.add((pattern_id, i, i + 1))
                elif i + length <= len(rows) and all(
                    all(check(rows[i + k][c]) for c, check in tests)
                    for k, tests in enumerate(later, 1)
                ):
                    found.add((pattern_id, i, i + length))
        return found


class FastAttributeRuler(AttributeRuler):
    """`AttributeRuler` with the same patterns and results, and a faster `match`."""

    def __init__(self, vocab: Vocab, name: str = "attribute_ruler", **kwargs: Any) -> None:
        super().__init__(vocab, name, **kwargs)
        self._compiled: tuple[_PatternIndex, Matcher | None, list[int]] | None = None

    def clear(self) -> None:
        super().clear()
        self._compiled = None

    def add(self, patterns: Iterable[Any], attrs: dict[Any, Any], index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._compiled = None

    def _compile(self) -> tuple[_PatternIndex, Matcher | None, list[int]]:
        indexed: list[tuple[int, list[Tests]]] = []
        rest = Matcher(self.vocab, validate=self.validate)
        keys: list[int] = []
        for pattern_id in range(len(self.attrs)):
            key = self.vocab.strings.add(str(pattern_id))
            keys.append(key)
            left = []
            for pattern in self.matcher.get(key)[1]:
                try:
                    if not pattern:
                        raise _Unsupported(pattern)
                    indexed.append((pattern_id, [_compile_token(t, self.vocab) for t in pattern]))
                except _Unsupported:
                    left.append(pattern)
            if left:
                rest.add(key, left)
        return _PatternIndex(indexed), (rest if len(rest) else None), keys

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if self._compiled is None:
            self._compiled = self._compile()
        index, rest, keys = self._compiled
        matches = [(p, keys[p], start, end) for p, start, end in index.matches(doc)]
        if rest is not None:
            for m_id, start, end in rest(doc, allow_missing=True, as_spans=False):
                matches.append((int(self.vocab.strings[m_id]), m_id, start, end))
        matches.sort()
        return matches

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int, int]]) -> None:
        """As AttributeRuler.set_annotations, without building a Span per match."""
        for match in matches:
            attr_id, _, start, end = match
            index = self.indices[attr_id]
            target = start + index if index >= 0 else end + index
            if start <= target < end:
                set_token_attrs(doc[target], self.attrs[attr_id])
            else:  # the original raises its error for an index outside the match
                super().set_annotations(doc, [match])  # type: ignore[no-untyped-call]


def make_fast_attribute_ruler(
    nlp: Language, name: str, validate: bool, scorer: Callable[..., Any] | None
) -> FastAttributeRuler:
    return FastAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


# The factory's arguments are validated from its annotations, which this module's postponed
# annotations leave as strings that confection 0.1 (pinned spaCy 3.8's) cannot resolve: give it the
# types themselves, as spaCy's own factories have them.
make_fast_attribute_ruler.__annotations__ = {
    "nlp": Language,
    "name": str,
    "validate": bool,
    "scorer": Optional[Callable],  # noqa: UP045  (a runtime type for pydantic v1)
    "return": FastAttributeRuler,
}
Language.factory(
    FACTORY,
    default_config={"validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}},
)(make_fast_attribute_ruler)


def use_fast_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> FastAttributeRuler:
    """Replace the pipeline's attribute ruler, in place and under the same name, by a
    FastAttributeRuler holding the same patterns."""
    original = nlp.get_pipe(name)
    if isinstance(original, FastAttributeRuler):
        return original
    if not isinstance(original, AttributeRuler):
        raise TypeError(f"{name!r} is not an AttributeRuler")
    patterns = original.patterns
    fast = nlp.replace_pipe(name, FACTORY, config={"validate": original.validate})
    assert isinstance(fast, FastAttributeRuler)
    fast.add_patterns(patterns)
    return fast
