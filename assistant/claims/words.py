"""The ledger's word classes and sentence patterns, loaded once from `lexicons/` data files.

Every list is defined in `lexicons/word_classes.yaml` (patterns in `sentence_patterns.yaml`);
the names below are the Python handles of those lists, nothing more.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml


@lru_cache(maxsize=8)
def _lexicon_yaml(name: str) -> Any:
    """One YAML file of lexicons/, parsed once; with libyaml's C parser when PyYAML has it
    (the same safe loading, several times faster: every question loads these lists)."""
    text = files("assistant.claims.lexicons").joinpath(name).read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


@lru_cache(maxsize=1)
def _word_classes() -> dict[str, list[str]]:
    data = _lexicon_yaml("word_classes.yaml") or {}
    return {str(k): [str(w) for w in v] for k, v in data.items()}


def word_list(name: str) -> list[str]:
    """One list of `word_classes.yaml`, in file order, with its "+other" includes expanded."""
    classes = _word_classes()
    if name not in classes:
        raise KeyError(f"no list {name!r} in assistant/claims/lexicons/word_classes.yaml")
    words: list[str] = []
    for entry in classes[name]:
        words.extend(word_list(entry[1:]) if entry.startswith("+") else [entry])
    return words


def word_set(name: str) -> frozenset[str]:
    return frozenset(word_list(name))


def word_map(name: str) -> dict[str, str]:
    """A list of "key:value" entries as a mapping."""
    pairs = (entry.partition(":") for entry in word_list(name))
    return {key: value for key, _, value in pairs}


@lru_cache(maxsize=8)
def sentence_pattern(name: str) -> re.Pattern[str]:
    """One pattern of `sentence_patterns.yaml` (a list is joined with "|")."""
    data = _lexicon_yaml("sentence_patterns.yaml") or {}
    value = data[name]
    return re.compile("|".join(value) if isinstance(value, list) else str(value))


@lru_cache(maxsize=1)
def load_generic_kinds() -> dict[str, tuple[str, ...]]:
    """Generic source words and the name words of bodies of that kind (lexicons/generic_kinds)."""
    import yaml

    text = files("assistant.claims.lexicons").joinpath("generic_kinds.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    return {str(k): tuple(str(w) for w in v) for k, v in data.items()}


PERSON_PRONOUNS = word_set("person_pronouns")
THING_PRONOUNS = word_set("thing_pronouns")
GROUP_PRONOUNS = word_set("group_pronouns")
FIRST_PERSON_PRONOUNS = word_set("first_person_pronouns")
SINGULAR_FIRST_PERSON = word_set("singular_first_person")
POSSESSIVE_PRONOUNS = word_map("possessive_pronouns")
STATEMENT_NOUNS = word_set("statement_nouns")
QUOTED_AS_VERBS = word_set("quoted_as_verbs")
OUTLET_NOUNS = word_set("outlet_nouns")
PERSONAL_TITLES = word_map("personal_titles")  # title -> "m" / "f" / "" (untold)
PRONOUN_GENDERS = word_map("pronoun_genders")
GENERIC_BODIES = word_set("generic_bodies")
GENERIC_SOURCES = word_set("generic_sources")
ANAPHORIC_BODIES = word_set("anaphoric_bodies")
STATE_BODIES = word_set("state_bodies")
GENERIC_MILITARY = word_set("generic_military")
GOVERNMENT_TITLES = word_set("government_titles")
SPOKES_ROLES = word_set("spokes_roles")
ORGANISATION_ROLES = word_set("organisation_roles")
STAFF_TITLES = word_set("staff_titles")
COMMS_WORDS = word_set("comms_words")
COMMS_ROLE_HEADS = word_set("comms_role_heads")
ROLE_WORDS = word_set("role_words")
LEADERSHIP_VERBS = word_set("leadership_verbs")
EMPLOYER_PREPOSITIONS = word_set("employer_prepositions")
FORMER_MARKERS = word_set("former_markers")
ANSWER_WORDS = word_set("answer_words")
RANK_WORDS = word_set("rank_words")
NAMING_PARTICIPLES = word_set("naming_participles")
WING_NOUNS = word_set("wing_nouns")
EVIDENTIALS = word_set("evidentials")
PETITION_VERBS = word_set("petition_verbs")
EVIDENCE_NOUNS = word_set("evidence_nouns")
EVIDENCE_VERBS = word_set("evidence_verbs")
EVIDENTIAL_PASSIVES = word_set("evidential_passives")
UNNAMED_SOURCES = word_set("unnamed_sources")
COMMENTATORS = word_set("commentators")
DESCRIPTION_DROP = word_set("description_drop")
PROPORTION_WORDS = word_set("proportion_words")
PROPORTION_LABEL = word_list("proportion_label")[0]
WH_WORDS = word_set("wh_words")
FOREIGN_FUNCTION_WORDS = word_set("foreign_function_words")
