"""Parties: one canonical name per organisation or person that makes claims, and its aliases.

A `PartyRegistry` is shared by every article of a corpus, so one organisation keeps one name
corpus-wide. Articles teach it aliases (`learn_article`): organisation names and their acronyms
("Joint Forces Public Relations (JFPR)"), a country's army, military, armed forces and their
press wing collapsed into one "<country> military" party, and press wings named as such ("the
army's press wing, the Directorate of ..."). A user file adds more (`load_user_file`). Every rule
is about how news text names parties; no real organisation is named here.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from assistant.claims.words import (
    FORMER_MARKERS,
    GENERIC_BODIES,
    GENERIC_MILITARY,
    PERSONAL_TITLES,
    word_list,
    word_map,
    word_set,
)
from ingest.errors import ConfigError
from ingest.sentences import doc_ents, doc_value

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ingest.sentences import ParsedArticle

logger = logging.getLogger(__name__)

# Word classes are data (lexicons/word_classes.yaml); see each list's comment there.
MILITARY_HEADS = word_set("military_heads")
_MILITARY_QUALIFIERS = word_set("military_qualifiers")
_BRANCH_QUALIFIER = word_map("military_branch_qualifiers")
_NATIONAL_HEADS = word_set("national_military_heads")
_MILITARY_MARKERS = tuple(word_list("military_markers"))
_PRESS_MARKERS = tuple(word_list("press_markers"))
_WING_NOUNS = word_set("wing_nouns")
_PRESS_WORDS = word_set("press_words")
_DEMONYM_ENDINGS = word_set("demonym_endings")
_MINOR_WORDS = word_set("minor_name_words")
_AGENT_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "appos"})  # dependency labels
PORTFOLIO_WORDS = word_set("portfolio_words")
_BODY_OR_PORTFOLIO = GENERIC_BODIES | PORTFOLIO_WORDS
_BODY_OR_WING = GENERIC_BODIES | _WING_NOUNS
_ROLE_WORDS = word_set("title_words") | word_set("staff_titles")

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_EDGE_CHARS = " \t\r\n\"'“”«»,.;:!?-–—"
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_POSSESSIVE_END = re.compile(r"'s?$")
_SEPARATORS = re.compile(r"[\s\-–/]+")
_PARENTHESISED = re.compile(r"^(.*?)\s*\(([^()]+)\)\s*$")
_POSSESSIVE_SPLIT = re.compile(r"['’]s\s+")
_ACRONYM = re.compile(r"[A-Z][A-Za-z]{0,2}[A-Z][A-Za-z]{0,6}")
_ACRONYM_IN_PARENS = re.compile(r"\(([A-Z][A-Za-z]{0,2}[A-Z][A-Za-z]{0,6})\)")
_NAME_WORD = re.compile(r"[A-Za-z0-9][\w’'&.\-]*")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w’'\-]*(?:\s+(?:(?:of|and|for|the)\s+)*[A-Z][\w’'\-]*)+")
_TRAILING_NAME = re.compile(
    r"\b[A-Z][\w’'\-]*(?:\s+(?:(?:of|and|for|the|de|al)\s+)*[A-Z][\w’'\-]*)+$"
)
_TITLE_MILITARY = re.compile(r"\b([A-Z][a-z]{2,})\s+(military|army|armed forces|forces)\b", re.I)
_NAMES = yaml.safe_load(
    files("assistant.claims.lexicons").joinpath("party_names.yaml").read_text("utf-8")
)
_DATELINE = re.compile(str(_NAMES["dateline"]))
_HONORIFICS = frozenset(str(w) for w in _NAMES["honorifics"])


def _titled_people(doc: Doc) -> list[tuple[int, str]]:
    """(token index, "Mr Orvik") of every personal title before a capitalised name."""
    out = []
    for token in doc[:-1]:
        after = doc[token.i + 1]
        if token.text.rstrip(".").lower() in PERSONAL_TITLES and after.text[:1].isupper():
            out.append((token.i, clean_name(f"{token.text} {after.text}")))
    return out


_SPELLING = dict(str(pair).split(":", 1) for pair in _NAMES["spelling_variants"])
_PORTFOLIO_BODY = re.compile(
    r"^(.*?)\b(" + "|".join(re.escape(str(w)) for w in _NAMES["portfolio_bodies"]) + r") of (.+)$"
)
_PORTFOLIO_FILLERS = frozenset(str(w) for w in _NAMES["portfolio_fillers"])
_NATIONAL_BODY_WORDS = frozenset(str(w) for w in _NAMES["national_body_words"])
_NAME_PREFIXES = _HONORIFICS | _ROLE_WORDS | PORTFOLIO_WORDS
_LEADING_VERBS = frozenset(str(w) for w in _NAMES["leading_verbs"])
CLIENT_ROLES = frozenset(str(w) for w in _NAMES["client_roles"])
_CLIENT_ROLES = CLIENT_ROLES
_KIND_WORDS = frozenset(str(w) for w in _NAMES["body_kind_words"])
_BODY_STEMS = frozenset(w.rstrip("s") for w in GENERIC_BODIES | _KIND_WORDS)
_OWNER_PRONOUNS = {"its": "org", "their": "org", "his": "person", "her": "person"}


@lru_cache(maxsize=65536)
def party_key(text: str) -> str:
    """The lookup key of a name: case, a leading "the", a trailing possessive, dots, hyphens and
    spacing are ignored ("the Velor military’s" -> "velor military")."""
    key = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).strip(_EDGE_CHARS).lower()
    key = _LEADING_ARTICLE.sub("", key).replace("'s ", " ")
    key = _POSSESSIVE_END.sub("", key).strip(_EDGE_CHARS).replace(".", "")
    return _SEPARATORS.sub(" ", key).strip()


@lru_cache(maxsize=65536)
def alias_key(text: str) -> str:
    """The registry's lookup key: `party_key` with British spellings read as American and a
    portfolio body in one word order ("Ministry of Defence" and "Defense Ministry" ->
    "defense ministry"; "Ministry of Foreign Affairs" -> "foreign ministry")."""
    words = [_SPELLING.get(w, w) for w in party_key(text).split()]
    key = " ".join(words)
    match = _PORTFOLIO_BODY.match(key)
    if match:
        owner, body, portfolio = match.groups()
        kept = [w for w in portfolio.split() if w not in _PORTFOLIO_FILLERS]
        if kept and len(kept) <= 3:
            key = " ".join([*owner.split(), *kept, body])
    return key


@lru_cache(maxsize=65536)
def clean_name(text: str) -> str:
    """A name as a party carries it: no leading "the", trailing possessive or stray bracket.
    (Memoised: the ledger asks for the same few hundred names tens of thousands of times.)"""
    name = unicodedata.normalize("NFKC", text).strip(_EDGE_CHARS + "[]")
    name = re.sub(r"^(?:the|The|THE)\s+", "", name)
    name = re.sub(r"['’]s?$", "", name).strip(_EDGE_CHARS)
    if name.count("(") > name.count(")"):
        name = name[: name.rfind("(")].strip(_EDGE_CHARS)
    return re.sub(r"\s+", " ", name)


@lru_cache(maxsize=65536)
def initials(name: str) -> str:
    """Initials of a name's significant words ("Joint Forces Public Relations" -> "JFPR")."""
    words = [w for w in _SEPARATORS.split(name.translate(_APOSTROPHES)) if w]
    return "".join(w[0] for w in words if w.lower() not in _MINOR_WORDS and w[0].isalpha()).upper()


def is_acronym(text: str) -> bool:
    """True for "XLF", "JFPR", "PoK": 2-9 letters, starting and ending in a capital."""
    return bool(_ACRONYM.fullmatch(text.strip()))


@lru_cache(maxsize=65536)
def same_country(a: str, b: str) -> bool:
    """True when two words name one country: equal, or a demonym of the other (Ukraine/Ukrainian,
    Germany/German)."""
    a, b = party_key(a), party_key(b)
    if not a or not b:
        return False
    return a == b or bool(_country_stems(a) & _country_stems(b))


@lru_cache(maxsize=65536)
def _country_stems(word: str) -> frozenset[str]:
    stems = {word}
    for ending in _DEMONYM_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            stems.add(word[: -len(ending)])
    return frozenset(stems)


@lru_cache(maxsize=65536)
def _stems_of(name: str) -> frozenset[str]:
    """A name's alias-key words, a plural -s dropped ("Ministry of Health" -> health ministry)."""
    return frozenset(w.rstrip("s") for w in alias_key(name).split())


def acronym_pairs(text: str) -> list[tuple[str, str]]:
    """(long form, acronym) for every "Long Form Name (LFN)" in a text."""
    pairs: list[tuple[str, str]] = []
    for match in _ACRONYM_IN_PARENS.finditer(text):
        acronym = match.group(1)
        wanted = "".join(c for c in acronym if c.isupper())
        before = text[max(0, match.start() - 200) : match.start()]
        words = list(_NAME_WORD.finditer(before))
        if not words or before[words[-1].end() :].strip():
            continue  # the parenthesis does not follow a name directly
        for count in range(1, min(len(words), 3 * len(wanted)) + 1):
            first = words[-count]
            if not first.group()[0].isupper():
                continue
            long_form = before[first.start() : words[-1].end()]
            if "," in long_form or ";" in long_form:
                break
            if initials(long_form) == wanted:
                pairs.append((clean_name(long_form), acronym))
                break
        else:
            # An acronym of another language ("... Islam and Muslims (JNIM)"): the text still
            # equates it with the capitalised name right before it.
            run = _TRAILING_NAME.search(before.rstrip())
            if acronym.isupper() and len(acronym) >= 3 and run is not None:
                pairs.append((clean_name(run.group()), acronym))
    return pairs


@dataclass(slots=True)
class _ArticleContext:
    """The names of the article being attributed, for reading its short forms."""

    surnames: dict[str, str]  # surname key -> the one full person name ending in it
    persons: dict[str, str]  # full-name key -> full person name
    first_words: dict[str, str]  # first word key -> the one multiword organisation name
    countries: frozenset[str]  # keys of its place and nationality names
    organisations: tuple[str, ...] = ()  # every organisation name it gives, in text order
    parties: list[str] = field(default_factory=list)  # parties met in it, in order


@dataclass(frozen=True, slots=True)
class ArticleParties:
    """What one article names: for resolving its generic mentions ("the military", "Marrik")."""

    parties: tuple[str, ...]  # canonical names of the parties the article names, each once
    military: str | None  # the one national military the article names, if exactly one
    persons: tuple[str, ...]  # PERSON names the article mentions, each once
    countries: frozenset[str]  # keys of the article's place and nationality names


class PartyRegistry:
    """Canonical party names and their aliases, for a whole corpus.

    Resolution (`resolve`) ignores case, "the" and possessives, and knows acronyms, their long
    forms and "<country> army/military/forces". Learning (`learn_article`, `learn_alias`) never
    moves an alias that already names a party, so a name stays put corpus-wide; `add_alias` and
    the user file are authoritative and may move aliases or merge parties. Not thread-safe.
    """

    def __init__(self) -> None:
        self._canonical_of: dict[str, str] = {}  # alias key -> canonical name
        self._aliases: dict[str, list[str]] = {}  # canonical name -> surface forms, itself first
        self._by_initials: dict[str, str] = {}  # initials of multiword aliases -> canonical
        self._military_country: dict[str, str] = {}  # canonical -> country, for militaries
        self._context: _ArticleContext | None = None  # the article being attributed
        self._place_keys: set[str] = set()  # keys of every place any article named
        self._persons: set[str] = set()  # parties known to be one person named in full

    # -- reading ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._aliases)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._aliases

    def canonical_names(self) -> list[str]:
        """Every party's canonical name, in the order the registry first met them."""
        return list(self._aliases)

    def aliases_of(self, canonical: str) -> list[str]:
        """A party's surface names, its canonical name first; empty for an unknown party."""
        return list(self._aliases.get(canonical, []))

    def military_country(self, canonical: str) -> str | None:
        """The country whose military a party is, or None for any other party."""
        return self._military_country.get(canonical)

    def resolve(self, span_text: str) -> str | None:
        """The canonical party a piece of text names, or None.

        Tries the whole text, then both parts of "Name (ACR)", then the part after a possessive
        ("Velor's JFPR" -> "JFPR"), then acronym <-> long form, then "<country> army". While an
        article is being attributed, its own names come first: a surname or "Mr. X" is the person
        it names in full, a bare country is its one state body.
        """
        found = self._article_first(span_text, create=False)
        if found is None:
            found = self._resolve(span_text, depth=0)
        if found is None:
            found = self._article_fallback(span_text)
        if found is None and self._context is None:
            # outside an article (a question, a filter): the one party whose name it starts
            found = self.first_word_party(clean_name(span_text), self._aliases)
        return found

    # -- agreement of names within the article being attributed ----------------------------
    def _article_first(self, text: str, create: bool = True) -> str | None:
        """A one-word name the article gives a fuller meaning: the surname of the one person it
        names in full ("Brisk", "Ms. Brisk" -> "Ana Brisk"), or a country that speaks through
        the one state body of it the article names ("Velor said" -> its foreign ministry)."""
        context = self._context
        if context is None:
            return None
        words = clean_name(text).split()
        while len(words) > 1 and words[0].lower().rstrip(".") in _HONORIFICS:
            words = words[1:]
        if len(words) != 1:
            return None  # "Dr. Ana Brisk": after the registry's own names (the fallback)
        key = alias_key(words[0])
        full = context.surnames.get(key)
        if full is not None:  # reading names never makes a party: only add_party does
            return self._person(full) if create else self._resolve(full, 0)
        owner = any(
            alias_key(_POSSESSIVE_SPLIT.split(p, maxsplit=1)[0]) == key
            for p in context.parties
            if _POSSESSIVE_SPLIT.search(p)
        )  # "X's Foreign Ministry" speaks: X is a state
        place = key in context.countries or key in self._place_keys or owner
        if place and not is_acronym(words[0]):
            return self._country_body(key)  # a place here or in an earlier article
        return None

    def _article_fallback(self, text: str) -> str | None:
        """A short form the registry does not know, read against the article: the first word of
        the one organisation it names in full ("Brantis" -> "Brantis Airways"), a person behind
        a title ("Deputy Minister Ana Brisk"), a body without its country ("the Defense
        Ministry" -> "Velor's Defense Ministry")."""
        context = self._context
        if context is None:
            return None
        name = clean_name(text)
        words = name.split()
        if not words:
            return None
        body = self._named_body(words)
        if body is not None:
            return body
        if len(words) == 1:
            key = alias_key(name)
            if key in context.countries or key in self._place_keys:
                return None  # a place is not the first word of a body it hosts
            long_form = context.first_words.get(key)
            if long_form is not None and alias_key(long_form) != key:
                return self._resolve(long_form, 0) or self._add_party_plain(long_form)
            return self.first_word_party(name, context.parties) or self._last_word_party(
                name, context.parties
            )
        start = 0
        while start < len(words) - 1 and words[start].lower().rstrip(".") in _NAME_PREFIXES:
            start += 1
        if start:
            rest = alias_key(" ".join(words[start:]))
            full = context.persons.get(rest) or (
                context.surnames.get(rest) if start == len(words) - 1 else None
            )
            found = self._resolve(full, 0) if full is not None else None
            if found is not None:  # known already; a new one is left to the speaker's role
                return found
        key = alias_key(name)
        bodies = {
            party
            for party in context.parties
            if (party_words := alias_key(party).split())
            and alias_key(party).endswith(" " + key)
            and all(
                any(same_country(w, c) for c in context.countries)
                for w in party_words[: len(party_words) - len(key.split())]
            )
        }
        return bodies.pop() if len(bodies) == 1 else None

    def _named_body(self, words: list[str]) -> str | None:
        """A body named by its kind only ("Prosecutors", "the health ministry", "Police") is
        the one organisation of the article whose name has those words ("State Prosecutor's
        Office", "Ministry of Health")."""
        context = self._context
        if context is None or any(w[:1].isupper() for w in words[1:]):
            return None
        wanted = {w.rstrip("s") for w in alias_key(" ".join(words)).split()}
        if not wanted or not wanted & _BODY_STEMS:
            return None
        matches: dict[str, str] = {}
        for name in (*context.parties, *context.organisations):
            name_words = _stems_of(name)
            if wanted <= name_words and len(name_words) > len(wanted):
                found = self._resolve(name, 0)
                matches.setdefault(found or name, name)
        if len(matches) != 1:
            return None
        holder, name = next(iter(matches.items()))
        return holder if holder in self._aliases else self._add_party_plain(name)

    def _person(self, full: str) -> str:
        found = self._resolve(full, 0)
        if found is None:
            found = self._add_party_plain(full)
            self._persons.add(found)
        return found

    def end_article(self) -> None:
        """Forget the article being attributed: its surnames and bodies no longer resolve."""
        self._context = None

    def is_place(self, text: str) -> bool:
        """True for a name the article being attributed uses as a place (its dateline city, a
        name tagged as a place more often than not, a country or nationality)."""
        key = alias_key(clean_name(text))
        context = self._context
        return bool(key) and (
            key in self._place_keys or (context is not None and key in context.countries)
        )

    def is_person(self, canonical: str) -> bool:
        """True for a party the registry made of a person's full name ("Brisk" -> "Ana
        Brisk"), so "she" and "he" may refer to it."""
        return canonical in self._persons

    def _country_body(self, country_key: str) -> str | None:
        context = self._context
        if context is None:
            return None
        bodies = []
        for party in dict.fromkeys(context.parties):
            words = alias_key(party).split()
            if len(words) < 2 or not same_country(words[0], country_key):
                continue
            if set(words[1:]) & _NATIONAL_BODY_WORDS or self._military_country.get(party):
                bodies.append(party)
        return bodies[0] if len(bodies) == 1 else None

    def _note(self, canonical: str) -> str:
        context = self._context
        if context is not None and canonical not in context.parties:
            context.parties.append(canonical)
        return canonical

    def _resolve(self, text: str, depth: int) -> str | None:
        key = alias_key(text)
        if not key:
            return None
        found = self._canonical_of.get(key)
        if found is not None or depth > 2:
            return found
        stripped = text.strip(_EDGE_CHARS)
        words = stripped.split()
        if len(words) >= 2 and words[0].lower().rstrip(".") in _HONORIFICS:
            # "Dr. Ana Brisk", "Ms Brisk": the person the registry holds without the honorific
            found = self._resolve(" ".join(words[1:]), depth + 1)
            if found is not None:
                return found
        parts = _PARENTHESISED.match(stripped)
        if parts:
            for part in (parts.group(2), parts.group(1)):
                found = self._resolve(part, depth + 1)
                if found is not None:
                    return found
        owner_split = _POSSESSIVE_SPLIT.split(stripped, maxsplit=1)
        if len(owner_split) == 2:
            found = self._resolve(owner_split[1], depth + 1)
            if found is not None:
                return found
        name = clean_name(stripped)
        if is_acronym(name) and len(name) >= 3:
            found = self._by_initials.get(name.upper())
            if found is not None:
                return found
        name_initials = initials(name)
        if len(name_initials) >= 3 and len(name.split()) >= 2:
            found = self._canonical_of.get(name_initials.lower())
            if found is not None:
                return found
        return self._military_for_phrase(name)

    def _military_for_phrase(self, name: str) -> str | None:
        words = party_key(name).split()
        if len(words) < 2 or words[-1] not in MILITARY_HEADS:
            return None
        branch = _BRANCH_QUALIFIER.get(words[-1])
        if branch is not None and words[-2] != branch:
            return None
        country_words = words[:-1]
        country_words = [w for w in country_words if w not in _MILITARY_QUALIFIERS]
        if len(country_words) != 1:
            return None
        return self._find_military(country_words[0])

    def _find_military(self, country: str) -> str | None:
        for canonical, known in self._military_country.items():
            if same_country(known, country):
                return canonical
        return None

    # -- writing ---------------------------------------------------------------------------
    def add_party(self, canonical: str) -> str:
        """Make a party of `canonical`; returns the canonical name that now holds that name (an
        existing party when the name is already one of its aliases)."""
        name = clean_name(canonical) or canonical.strip()
        key = alias_key(name)
        if not key:
            raise ValueError(f"not a party name: {canonical!r}")
        found = self._article_first(name) or self._canonical_of.get(key)
        if found is None:
            found = self._article_fallback(name)
        return self._note(found if found is not None else self._add_party_plain(name))

    def _add_party_plain(self, name: str) -> str:
        key = alias_key(name)
        existing = self._canonical_of.get(key)
        if existing is not None:
            return existing
        self._aliases[name] = [name]
        self._canonical_of[key] = name
        self._index_initials(name, name)
        if key.endswith(" military") and key != "military":
            self._military_country.setdefault(name, name[: -len(" military")].strip())
        return name

    def learn_alias(self, canonical: str, alias: str) -> str:
        """Record `alias` for `canonical` unless it already names a party; returns the canonical
        that holds the alias now. Learning never moves an alias."""
        target = self.add_party(canonical)
        name = clean_name(alias) or alias.strip()
        key = alias_key(name)
        if key and key not in self._canonical_of:
            self._canonical_of[key] = target
            self._aliases[target].append(name)
            self._index_initials(name, target)
            words = name.split()
            if len(words) >= 3 and words[0].lower().rstrip(".") in _HONORIFICS:
                self.learn_alias(target, " ".join(words[1:]))  # "Dr. Ana Brisk" -> "Ana Brisk"
        return self._canonical_of.get(key, target)

    def add_alias(self, canonical: str, alias: str) -> None:
        """Make `alias` name `canonical` (created if new). An alias that named another party moves
        here; if `alias` is another party's own name, that party merges in with all its aliases."""
        target = self.add_party(canonical)
        name = clean_name(alias) or alias.strip()
        key = alias_key(name)
        if not key:
            return
        holder = self._canonical_of.get(key)
        if holder == target:
            return
        if holder is not None:
            if alias_key(holder) == key:
                self._absorb(holder, target)
                return
            self._aliases[holder] = [a for a in self._aliases[holder] if alias_key(a) != key]
        self._canonical_of[key] = target
        self._aliases[target].append(name)
        self._index_initials(name, target)

    def merge(self, other: PartyRegistry) -> None:
        """Add another registry's parties and aliases; a party this one already knows by any of
        its names keeps this registry's canonical name."""
        context, self._context = self._context, None
        try:
            self._merge(other)
        finally:
            self._context = context

    def _merge(self, other: PartyRegistry) -> None:
        for canonical in other.canonical_names():
            aliases = other.aliases_of(canonical)
            target = next(
                (
                    found
                    for found in (self._canonical_of.get(alias_key(a)) for a in aliases)
                    if found is not None
                ),
                None,
            )
            country = other.military_country(canonical)
            if target is None and country is not None:
                target = self._find_military(country)
            if target is None:
                target = self.add_party(canonical)
                if country is not None:
                    self._military_country[target] = country
            for alias in aliases:
                self.learn_alias(target, alias)

    def to_records(self) -> list[tuple[str, str]]:
        """(canonical, alias) pairs, each party's own name included, for storage."""
        return [(canonical, alias) for canonical, names in self._aliases.items() for alias in names]

    @classmethod
    def from_records(cls, records: Iterable[tuple[str, str]]) -> PartyRegistry:
        """A registry rebuilt from `to_records` output (in any order)."""
        rows = list(records)
        registry = cls()
        for canonical, _ in rows:
            registry.add_party(canonical)
        for canonical, alias in rows:
            registry.learn_alias(canonical, alias)
        return registry

    def load_user_file(self, path: str | Path) -> None:
        """Add the parties of a YAML file `{canonical: [alias, ...]}`; its aliases are
        authoritative. Raises ConfigError naming the file and the problem."""
        file = Path(path)
        try:
            raw = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"cannot read the party aliases file {file}: {exc}; fix the path or unset it"
            ) from exc
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise ConfigError(f"{file}: not valid YAML{where}: {problem}") from exc
        if data is None:
            return
        if not isinstance(data, dict):
            raise ConfigError(
                f"{file}: expected a mapping `canonical name: [alias, ...]`, "
                f"got a {type(data).__name__}"
            )
        entries: list[tuple[str, list[str]]] = []
        for canonical, aliases in data.items():
            if not isinstance(canonical, str) or not party_key(canonical):
                raise ConfigError(f"{file}: party name {canonical!r} is not a non-empty string")
            if aliases is None:
                aliases = []
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise ConfigError(
                    f"{file}: the aliases of {canonical!r} must be a list of strings, "
                    f"got {aliases!r}"
                )
            entries.append((canonical, aliases))
        context, self._context = self._context, None
        try:
            for canonical, aliases in entries:
                self.add_party(canonical)
                for alias in aliases:
                    self.add_alias(canonical, alias)
        finally:
            self._context = context

    def _absorb(self, source: str, target: str) -> None:
        for alias in self._aliases.pop(source, []):
            self._canonical_of[alias_key(alias)] = target
            if alias not in self._aliases[target]:
                self._aliases[target].append(alias)
        for letters, canonical in list(self._by_initials.items()):
            if canonical == source:
                self._by_initials[letters] = target
        country = self._military_country.pop(source, None)
        if country is not None:
            self._military_country.setdefault(target, country)

    def _index_initials(self, name: str, canonical: str) -> None:
        letters = initials(name)
        if len(letters) >= 3 and len(name.split()) >= 2:
            self._by_initials.setdefault(letters, canonical)

    def learn_military(self, country: str, alias: str) -> str:
        """Record `alias` for the military of `country` (created as "<country> military")."""
        canonical = self._find_military(country)
        if canonical is None:
            canonical = self.add_party(f"{clean_name(country)} military")
            self._military_country.setdefault(canonical, clean_name(country))
        self.learn_alias(canonical, alias)
        return canonical

    # -- learning from an article -----------------------------------------------------------
    def learn_article(self, parsed: ParsedArticle, title: str = "") -> ArticleParties:
        """Learn the parties an article names (its parse and its title) into this registry.

        Deterministic: the same article on the same registry learns the same aliases, and
        learning it twice changes nothing more.
        """
        docs = [paragraph.doc for paragraph in parsed.paragraphs]
        ents_of = [list(doc_ents(doc)) for doc in docs]  # spaCy builds new spans at every access
        gpe_names: list[str] = []
        country_words: set[str] = set()
        persons: list[str] = []
        for ents in ents_of:
            for ent in ents:
                if ent.label_ in ("GPE", "NORP"):
                    country_words.add(party_key(ent.text))
                    if ent.label_ == "GPE":
                        gpe_names.append(clean_name(ent.text))
                elif ent.label_ == "PERSON" and len(ent) >= 2:
                    name = clean_name(ent.text)
                    if name and name not in persons:
                        persons.append(name)

        def country_name(word: str) -> str:
            return next((g for g in gpe_names if same_country(g, word)), clean_name(word))

        places = _place_words(docs, ents_of)
        self._context = _article_context(ents_of, persons, places)
        self._place_keys.update(places)
        mentioned: list[str] = []
        militaries: list[str] = []

        def mention(canonical: str | None) -> None:
            if canonical is not None and canonical not in mentioned:
                mentioned.append(canonical)
                self._note(canonical)

        wings: list[Token] = []
        for doc in docs:
            for token in doc:
                lowered = token.lower_
                if lowered in _WING_NOUNS:
                    wings.append(token)
                if lowered not in MILITARY_HEADS:
                    continue
                found = military_phrase(token, country_words)
                if found is not None:
                    alias, country = found
                    canonical = self.learn_military(country_name(country), alias)
                    mention(canonical)
                    if canonical not in militaries:
                        militaries.append(canonical)
        only_military = militaries[0] if len(militaries) == 1 else None

        for token in wings:
            mention(self._learn_press_wing(token, country_words, country_name, only_military))
        for ents in ents_of:
            for ent in ents:
                if ent.label_ in ("ORG", "NORP", "GPE", "FAC"):
                    mention(self._learn_press_name(ent, country_words, country_name, only_military))

        for long_form, acronym in acronym_pairs(title) + acronym_pairs(parsed.text):
            canonical = (
                self.resolve(long_form) or self.resolve(acronym) or self.add_party(long_form)
            )
            self.learn_alias(canonical, long_form)
            mention(self.learn_alias(canonical, acronym))

        for organisation in self._learn_organisations(docs, ents_of, title, parsed.text):
            mention(organisation)

        for match in _TITLE_MILITARY.finditer(title):
            for military in militaries:
                military_country = self._military_country.get(military)
                if military_country is not None and same_country(military_country, match.group(1)):
                    self.learn_alias(military, match.group(0))
        return ArticleParties(
            tuple(mentioned), only_military, tuple(persons), frozenset(country_words)
        )

    def _learn_press_wing(
        self,
        token: Token,
        country_words: set[str],
        country_name: Callable[[str], str],
        only_military: str | None,
    ) -> str | None:
        """ "X's press wing, the Directorate of ..." -> the directorate is an alias of X."""
        if token.lower_ not in _WING_NOUNS or not any(
            child.lower_ in _PRESS_WORDS for child in token.lefts
        ):
            return None
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if owner is None:
            of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if owner is None:
            return None
        found = military_phrase(owner, country_words, allow_modifier=True)
        owner_canonical: str | None
        if found is not None:
            owner_canonical = self.learn_military(country_name(found[1]), found[0])
        else:
            owner_text = _phrase_text(owner)
            owner_canonical = self.resolve(owner_text)
            if owner_canonical is None and owner.lower_ in MILITARY_HEADS:
                owner_canonical = only_military
            if owner_canonical is None and any(t.pos_ == "PROPN" for t in owner.subtree):
                owner_canonical = self.add_party(owner_text)
        if owner_canonical is None:
            return None
        named = [c for c in token.children if c.dep_ == "appos"]
        if token.dep_ == "appos":
            named.append(token.head)
        for name_token in named:
            text = _phrase_text(name_token)
            if any(t.pos_ == "PROPN" for t in name_token.subtree):
                self.learn_alias(owner_canonical, text)
                parts = _PARENTHESISED.match(text)
                if parts:
                    self.learn_alias(owner_canonical, parts.group(1))
                    self.learn_alias(owner_canonical, parts.group(2))
        return owner_canonical

    def _learn_press_name(
        self,
        ent: Span,
        country_words: set[str],
        country_name: Callable[[str], str],
        only_military: str | None,
    ) -> str | None:
        """ "Joint Forces Public Relations" of a country: a military's press office by name."""
        lowered = ent.text.lower()
        if not any(m in lowered for m in _PRESS_MARKERS) or not any(
            m in lowered for m in _MILITARY_MARKERS
        ):
            return None
        name = clean_name(ent.text)
        if self.resolve(name) is not None:
            return self.resolve(name)
        country: str | None = None
        owner = next((c for c in ent.root.children if c.dep_ == "poss"), None)
        if owner is not None and party_key(_phrase_text(owner)) in country_words:
            country = _phrase_text(owner)
        for token in ent:
            if country is None and party_key(token.text) in country_words:
                country = token.text
        if country is not None:
            return self.learn_military(country_name(country), name)
        if only_military is not None:
            return self.learn_alias(only_military, name)
        return None

    def _learn_organisations(
        self, docs: list[Doc], ents_of: list[list[Span]], title: str, text: str
    ) -> list[str]:
        """Acting organisations (subjects, possessors, appositions) and their acronyms."""
        long_forms: dict[str, str] = {}

        def long_form_of(acronym: str) -> str | None:
            """A capitalised run of the title or text whose initials spell `acronym` (built on
            first use: most articles never need it)."""
            if not long_forms:
                long_forms[""] = ""
                for source in (title, text):
                    for match in _CAPITALISED_RUN.finditer(source):
                        words = match.group().split()
                        for start in range(len(words) - 1):
                            if words[start].lower() in _MINOR_WORDS:
                                continue
                            candidate = " ".join(words[start:])
                            letters = initials(candidate)
                            if len(letters) >= 3:
                                long_forms.setdefault(letters, clean_name(candidate))
            return long_forms.get(acronym.upper())

        surnames = {
            ent.text.split()[-1]
            for ents in ents_of
            for ent in ents
            if ent.label_ == "PERSON" and len(ent) >= 2
        }
        found: list[str] = []
        single: list[tuple[Span, str]] = []
        places = {
            party_key(ent.text)
            for ents in ents_of
            for ent in ents
            if ent.label_ in ("GPE", "LOC", "FAC")
        }
        country_words = {
            party_key(ent.text) for ents in ents_of for ent in ents if ent.label_ in ("GPE", "NORP")
        }
        for doc, ents in zip(docs, ents_of, strict=True):
            dateline_stop = dateline_end(doc)
            for ent in ents:
                if ent.label_ != "ORG" or ent.end_char <= dateline_stop:
                    continue
                name = organisation_name(ent, country_words)
                if not name or not any(ch.isalpha() for ch in name):
                    continue
                words = party_key(name).split()
                if name.islower() or all(w in _BODY_OR_PORTFOLIO for w in words):
                    continue  # "Party", "Defense" (Secretary), "Health ministry": not names
                before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
                if any(w.lower() in _ROLE_WORDS for w in name.split()) or before in _ROLE_WORDS:
                    continue  # "Spokesperson Lina Fosk", "spokesperson Ilka Varo": people
                if len(name.split()) == 1 and name in surnames:
                    continue  # "Marrik said": a person named earlier in full
                if party_key(name) in places and not is_acronym(name):
                    continue  # a place the tagger also read as an organisation
                canonical = self.resolve(name)
                if canonical is None and is_acronym(name) and len(name) >= 3:
                    long_form = long_form_of(name)
                    if long_form is not None and party_key(long_form) != party_key(name):
                        canonical = self.resolve(long_form) or self.add_party(long_form)
                        self.learn_alias(canonical, name)
                if canonical is None and not _is_agent(ent):
                    continue
                if canonical is None and len(name.split()) == 1 and not is_acronym(name):
                    single.append((ent, name))
                    continue
                if canonical is None:
                    canonical = self.add_party(name)
                    short = clean_name(ent.text)
                    if name != short:
                        self.learn_alias(canonical, f"{name[: -len(short)].strip()}'s {short}")
                if canonical not in found:
                    found.append(canonical)
        multiword = [
            clean_name(ent.text)
            for ents in ents_of
            for ent in ents
            if ent.label_ == "ORG" and len(clean_name(ent.text).split()) >= 2
        ]
        for _, name in single:
            canonical = self.resolve(name) or self.first_word_party(name, found)
            if canonical is None and party_key(name) not in self._place_keys:
                # "Quorra said" where the article also names "the Quorra Steel Group plant".
                longer = {m for m in multiword if party_key(m).split()[0] == party_key(name)}
                if len(longer) == 1:
                    long_form = longer.pop()
                    canonical = self.resolve(long_form) or self.add_party(long_form)
            if canonical is None:
                canonical = self.first_word_party(name, self.canonical_names())
            if canonical is None:
                canonical = self.add_party(name)
            else:
                self.learn_alias(canonical, name)
            if canonical not in found:
                found.append(canonical)
        self._learn_people(ents_of)
        self._learn_roles(ents_of)
        return found

    def _learn_roles(self, ents_of: list[list[Span]]) -> None:
        """A person the text ties to a body speaks for it: "the commission's chair, X", "Its
        finance director, X", "X, a spokesman for the General Staff", "X, who heads the office",
        "Her lawyer, X" (the client). The body is named, or a generic noun or possessive pronoun
        for the body (or person) named last before."""
        organisations: list[str] = []  # parties named so far, in text order
        people: list[str] = []
        for ents in ents_of:
            titled = _titled_people(ents[0].doc) if ents else []
            for ent in ents:
                while titled and titled[0][0] < ent.start:
                    # "Mr Orvik", which the tagger may miss: a person "his lawyer" may serve
                    name = titled.pop(0)[1]
                    people.append(self.resolve(name) or name)
                known = self.resolve(ent.text)
                if ent.label_ == "PERSON" and len(ent) >= 2:
                    if known is not None and party_key(known) != party_key(ent.text):
                        continue  # already speaks for a body
                    owner = self._role_owner(ent, organisations, people)
                    if owner is not None and party_key(owner) != party_key(ent.text):
                        if known is not None and known != owner:
                            self.add_alias(owner, known)  # the person's own party merges in
                        else:
                            self.learn_alias(owner, clean_name(ent.text))
                        continue
                    people.append(known or clean_name(ent.text))
                elif ent.label_ == "ORG" and known is not None:
                    organisations.append(known)
            people += [self.resolve(name) or name for _, name in titled]

    def _role_owner(self, ent: Span, organisations: list[str], people: list[str]) -> str | None:
        root = ent.root
        roles = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            roles.append(root.head)
        for role in roles:
            if any(c.i < role.i and c.lower_ in FORMER_MARKERS for c in role.children):
                continue  # "X, a former director of Y": a role no longer held speaks for nobody
            for child in role.children:
                if child.dep_ == "poss":
                    found = self._owner_of(child, organisations, people, role)
                    if found is not None:
                        return found
                if child.dep_ == "prep" and child.lower_ in ("for", "of", "at"):
                    target = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if target is not None and role.lower_ in _ROLE_WORDS | _CLIENT_ROLES:
                        found = self._owner_of(target, organisations, people, role)
                        if found is not None:
                            return found
        for clause in root.children:
            if clause.dep_ == "relcl" and clause.lemma_ in _LEADING_VERBS:
                target = next((c for c in clause.children if c.dep_ == "dobj"), None)
                if target is not None:
                    found = self._owner_of(target, organisations, people, None)
                    if found is not None:
                        return found
        return None

    def _owner_of(
        self, token: Token, organisations: list[str], people: list[str], role: Token | None
    ) -> str | None:
        """The party a role's owner phrase names: a name, "its" / "her", or "the <body>"."""
        lowered = token.lower_
        kind = _OWNER_PRONOUNS.get(lowered)
        client = role is not None and role.lower_ in _CLIENT_ROLES
        if kind == "org" and not client:  # "their lawyer" speaks for people, not a body
            return organisations[-1] if organisations else None
        if kind == "person" and client:
            return people[-1] if people else None
        if kind is not None:
            return None
        text = _phrase_text(token)
        if any(t.pos_ == "PROPN" for t in token.subtree):
            found = self.resolve(text)
            if found is not None:
                return found
            if token.ent_type_ == "ORG" and role is not None:  # "X, director of Y Hospital"
                ent = next((e for e in doc_ents(token.doc) if e.start <= token.i < e.end), None)
                name = clean_name(ent.text) if ent is not None else ""
                return (self.resolve(name) or self.add_party(name)) if party_key(name) else None
        key = party_key(text)
        if key in GENERIC_MILITARY:
            named = organisations + (self._context.parties if self._context else [])
            militaries = list(dict.fromkeys(o for o in named if self._military_country.get(o)))
            return militaries[0] if len(militaries) == 1 else None
        if lowered in MILITARY_HEADS:
            # "a spokesman for the Velorian navy": the military of that country, not the
            # navy named last
            for modifier in token.lefts:
                if (
                    modifier.dep_ not in ("amod", "compound", "poss")
                    or not modifier.text[:1].isupper()
                ):
                    continue
                for military, country in self._military_country.items():
                    if country and same_country(country, modifier.text):
                        return military
        if token.pos_ == "NOUN" and lowered in _BODY_OR_WING:
            for party in reversed(organisations):
                if any(lowered in party_key(alias).split() for alias in self.aliases_of(party)):
                    return party
        return None

    def _learn_people(self, ents_of: list[list[Span]]) -> None:
        """ "XDP candidate Piet Vorn", "XNF spokesperson Ida Raun": a person named with a
        role of a known party becomes an alias of that party."""
        for ents in ents_of:
            for ent in ents:
                if ent.label_ != "PERSON" or len(ent) < 2 or self.resolve(ent.text):
                    continue
                role_tokens = [t for t in ent.root.lefts if t.i < ent.start] + [
                    c for c in ent.root.children if c.dep_ == "appos" and c.i > ent.end
                ]
                for role in role_tokens:
                    if role.lower_ not in _ROLE_WORDS:
                        continue
                    for modifier in role.lefts:
                        text = _phrase_text(modifier)
                        party = (
                            self.resolve(text)
                            if any(
                                t.pos_ == "PROPN" or is_acronym(t.text) for t in modifier.subtree
                            )
                            else None
                        )
                        if party is not None:
                            self.learn_alias(party, clean_name(ent.text))
                            break

    def _last_word_party(self, word: str, among: Iterable[str]) -> str | None:
        """ "the Brigades", "Police": the one party of `among` whose multiword name ends with
        this capitalised word (the article's short form of it), or None when none or several."""
        key = party_key(word)
        if not key or " " in key or not word[:1].isupper() or key in self._place_keys:
            return None
        matches = [
            canonical
            for canonical in among
            if len(party_key(canonical).split()) >= 2 and party_key(canonical).split()[-1] == key
        ]
        return matches[0] if len(matches) == 1 else None

    def first_word_party(self, word: str, among: Iterable[str]) -> str | None:
        """The one party of `among` whose multiword name starts with `word` ("Zentrix" ->
        "Zentrix Home Appliances"), or None when none or several do."""
        key = party_key(word)
        if not key or " " in key or key in self._place_keys:
            return None  # a place's name starts the names of bodies it hosts: no short form
        matches = [
            canonical
            for canonical in among
            if any(
                len(party_key(alias).split()) >= 2 and party_key(alias).split()[0] == key
                for alias in self._aliases.get(canonical, [])
            )
        ]
        return matches[0] if len(matches) == 1 else None


def _place_words(docs: list[Doc], ents_of: list[list[Span]]) -> set[str]:
    """Keys of the names an article uses as places more often than as anything else (the tagger
    reads one name differently from one sentence to the next), and its dateline's city."""
    votes: dict[str, int] = {}
    for ents in ents_of:
        for ent in ents:
            key = party_key(ent.text)
            if ent.label_ in ("GPE", "LOC", "FAC", "NORP"):
                votes[key] = votes.get(key, 0) + 1
            elif ent.label_ in ("ORG", "PERSON"):
                votes[key] = votes.get(key, 0) - 1
    places = {key for key, vote in votes.items() if vote > 0}
    for doc in docs:
        if dateline_end(doc):
            places.add(party_key(doc[0].text))  # "CITY, ..." opens the dateline
    return places


def _article_context(
    ents_of: list[list[Span]], persons: list[str], country_words: set[str]
) -> _ArticleContext:
    full_names: dict[str, str] = {}
    for person in persons:
        words = person.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in _HONORIFICS:
            words = words[1:]
        if len(words) >= 2:
            full_names.setdefault(alias_key(" ".join(words)), " ".join(words))
    by_surname: dict[str, set[str]] = {}
    for full in full_names.values():
        by_surname.setdefault(alias_key(full.split()[-1]), set()).add(full)
    by_first: dict[str, set[str]] = {}
    for ents in ents_of:
        for ent in ents:
            if ent.label_ != "ORG":
                continue
            name = clean_name(ent.text)
            words = alias_key(name).split()
            if _POSSESSIVE_SPLIT.search(name):
                continue  # "Velor's Foreign Ministry": its first word is an owner, not a name
            if len(words) >= 2 and words[0] not in _MINOR_WORDS and words[0] not in country_words:
                by_first.setdefault(words[0], set()).add(name)
    return _ArticleContext(
        surnames={k: next(iter(v)) for k, v in by_surname.items() if len(v) == 1},
        persons=full_names,
        first_words={
            k: next(iter(v))
            for k, v in by_first.items()
            if len({alias_key(n) for n in v}) == 1 and k not in by_surname
        },
        countries=frozenset(country_words),
        organisations=tuple(
            dict.fromkeys(
                clean_name(ent.text)
                for ents in ents_of
                for ent in ents
                if ent.label_ == "ORG" and party_key(ent.text) not in country_words
            )
        ),
    )


def _is_agent(ent: Span) -> bool:
    root = ent.root
    if root.dep_ == "appos":
        return root.head.dep_ in ("nsubj", "nsubjpass")
    if root.dep_ in _AGENT_DEPS:
        return True
    if root.dep_ == "compound" and root.head.lower_ in _ROLE_WORDS:
        return True
    return bool(
        root.dep_ == "pobj"
        and root.head.lower_ in ("to", "by")
        and (root.head.head.lower_ == "according" or root.head.dep_ == "agent")
    )


def dateline_end(doc: Doc) -> int:
    """End offset of a dateline ("TESSIN, March 10 (Wire) —") opening a paragraph, else 0."""

    def compute(d: Doc) -> int:
        match = _DATELINE.match(d[: min(len(d), 40)].text)
        return match.end() if match else 0

    end: int = doc_value(doc, "dateline_end", compute)
    return end


def _is_country_token(token: Token, country_words: set[str] | frozenset[str]) -> bool:
    if party_key(token.text) in country_words:
        return True
    if (
        token.dep_ == "poss"
        and token.pos_ == "PROPN"
        and token.head.lower_ in _NATIONAL_HEADS
        and not any(c.dep_ == "compound" for c in token.children)
    ):
        return True  # "Mali's army", even where the tagger took "Mali" for a person
    lowered = token.lower_
    return (
        token.text[:1].isupper()
        and len(lowered) >= 5
        and token.pos_ in ("PROPN", "ADJ")
        and lowered.endswith(("ian", "ean", "ese", "ish", "i"))
    )


def military_phrase(
    token: Token, country_words: set[str] | frozenset[str], allow_modifier: bool = False
) -> tuple[str, str] | None:
    """(alias, country) when a token heads "<country> [armed|security|air] army/military/forces/
    force/staff" ("Velorian forces", "Ukraine's air force", "the Velor Army")."""
    lowered = token.lower_
    if lowered not in MILITARY_HEADS or token.pos_ not in ("NOUN", "PROPN"):
        return None
    modifier_of_role = token.dep_ == "compound" and token.head.lower_ in _ROLE_WORDS
    if not (allow_modifier or modifier_of_role) and token.dep_ in ("compound", "amod", "nmod"):
        return None
    modifiers = [c for c in token.lefts if c.dep_ not in ("det", "punct", "case", "predet")]
    branch = _BRANCH_QUALIFIER.get(lowered)
    if branch is not None and not any(c.lower_ == branch for c in modifiers):
        return None
    countries = [c for c in modifiers if _is_country_token(c, country_words)]
    if len(countries) != 1:
        return None
    if any(c.lower_ not in _MILITARY_QUALIFIERS for c in modifiers if c.i != countries[0].i):
        return None
    country_token = countries[0]
    doc = token.doc
    start = country_token.i
    while (
        start > 0
        and doc[start - 1].dep_ == "compound"
        and doc[start - 1].head.i == (country_token.i)
        and doc[start - 1].pos_ == "PROPN"
    ):
        start -= 1
    country = doc[start : country_token.i + 1].text
    first = min(start, *(c.i for c in modifiers))
    return doc[first : token.i + 1].text, country


def organisation_name(ent: Span, country_words: set[str] | frozenset[str]) -> str:
    """An organisation's name with its country when the text gives one as a possessor
    ("Gaza's Health Ministry" -> "Gaza Health Ministry"): "Health Ministry" alone is no one."""
    name = clean_name(ent.text)
    owner = next((c for c in ent.root.children if c.dep_ == "poss" and c.i < ent.start), None)
    if owner is not None and party_key(owner.text) in country_words and len(name.split()) <= 4:
        return f"{clean_name(owner.text)} {name}"
    return name


def _phrase_text(token: Token) -> str:
    """A noun phrase's text: its subtree without relative clauses and trailing punctuation."""
    excluded: set[int] = set()
    for child in token.children:
        if child.dep_ in ("relcl", "acl"):
            excluded.update(t.i for t in child.subtree)
    indices = [t.i for t in token.subtree if t.i not in excluded]
    start, end = min(indices), max(indices)
    doc = token.doc
    while end > start and doc[end].is_punct and doc[end].text not in ")]":
        end -= 1
    return clean_name(doc[start : end + 1].text)
