"""PartyRegistry: names, aliases, acronyms, militaries, merging, storage and the user file."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.claims.parties import (
    PartyRegistry,
    acronym_pairs,
    alias_key,
    clean_name,
    initials,
    is_acronym,
    party_key,
    same_country,
)
from ingest.errors import ConfigError

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
SEED = SHARED / "data" / "seed" / "kalat-ani.txt"


def parse(nlp: object, text: str) -> object:
    from ingest.sentences import parse_articles

    return next(parse_articles([text], nlp))  # type: ignore[arg-type]


# --- names ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("the Pakistan military’s", "pakistan military"),
        ("The BLA", "bla"),
        ("BLA's", "bla"),
        ("Inter-Services Public Relations", "inter services public relations"),
        ("  the  U.S.  Army ", "us army"),
        ("Iran's foreign ministry", "iran foreign ministry"),
        ("“Hamas,”", "hamas"),
    ],
)
def test_party_key_ignores_case_articles_possessives_and_punctuation(text: str, key: str) -> None:
    assert party_key(text) == key


def test_initials_and_acronyms() -> None:
    assert initials("Inter-Services Public Relations") == "ISPR"
    assert initials("Directorate of Military Public Relations") == "DMPR"
    assert initials("Islamic State of Iraq and the Levant") == "ISIL"
    assert is_acronym("ISPR") and is_acronym("PoK") and is_acronym("BLA")
    assert not is_acronym("Army") and not is_acronym("A")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Pakistan", "Pakistani", True),
        ("Ukraine", "Ukrainian", True),
        ("Arvandia", "Arvandian", True),
        ("Germany", "German", True),
        ("Afghanistan", "Afghan", True),
        ("Pak", "Pakistan", False),  # a short form is not taken for a country
        ("Iran", "Iraq", False),
        ("India", "Indonesia", False),
        ("Israel", "Pakistan", False),
    ],
)
def test_same_country_knows_demonyms_and_short_forms(a: str, b: str, same: bool) -> None:
    assert same_country(a, b) is same


def test_acronym_pairs_find_the_long_form_before_the_parenthesis() -> None:
    text = (
        "BLA spokesperson said Pakistan’s Inter-Services Public Relations (ISPR) lied. "
        "A van carrying 18 Frontier Corps (FC) personnel was hit. The Korran National Front "
        "(KNF) said so. Feed of (ANI) and (Coastline Wire)."
    )
    assert acronym_pairs(text) == [
        ("Inter-Services Public Relations", "ISPR"),
        ("Frontier Corps", "FC"),
        ("Korran National Front", "KNF"),
    ]


# --- the registry ---------------------------------------------------------------------------
def test_resolve_is_case_article_possessive_parenthesis_and_acronym_aware() -> None:
    registry = PartyRegistry()
    registry.learn_alias("Baloch Liberation Army", "BLA")
    assert registry.resolve("the BLA") == "Baloch Liberation Army"
    assert registry.resolve("BLA’s") == "Baloch Liberation Army"
    assert registry.resolve("THE BALOCH LIBERATION ARMY") == "Baloch Liberation Army"
    assert registry.resolve("The Baloch Liberation Army (BLA)") == "Baloch Liberation Army"
    assert registry.resolve("Pakistan's BLA") == "Baloch Liberation Army"
    assert registry.resolve("Frontier Corps") is None
    registry.add_party("Frontier Corps Balochistan")
    assert registry.resolve("FCB") == "Frontier Corps Balochistan"  # initials of a long name


def test_a_countrys_army_military_forces_and_press_wing_are_one_party() -> None:
    registry = PartyRegistry()
    assert registry.learn_military("Pakistan", "Pakistan Army") == "Pakistan military"
    assert registry.learn_military("Pakistani", "Pakistani forces") == "Pakistan military"
    registry.learn_alias("Pakistan military", "ISPR")
    for name in (
        "the Pakistan Army",
        "Pakistani military",
        "Pakistan’s armed forces",
        "Pakistani troops",
        "Pakistan's air force",
        "ISPR",
    ):
        assert registry.resolve(name) == "Pakistan military", name
    assert registry.resolve("Indian Army") is None
    assert registry.military_country("Pakistan military") == "Pakistan"


def test_learning_never_moves_an_alias_but_add_alias_does() -> None:
    registry = PartyRegistry()
    registry.learn_alias("Alpha Group", "AG")
    assert registry.learn_alias("Another Group", "AG") == "Alpha Group"
    assert registry.resolve("AG") == "Alpha Group"
    registry.add_alias("Another Group", "AG")
    assert registry.resolve("AG") == "Another Group"
    assert registry.aliases_of("Alpha Group") == ["Alpha Group"]


def test_add_alias_with_another_partys_name_merges_that_party() -> None:
    registry = PartyRegistry()
    registry.learn_alias("Inter-Services Public Relations", "ISPR")
    registry.learn_military("Pakistan", "Pakistan Army")
    registry.add_alias("Pakistan military", "Inter-Services Public Relations")
    assert registry.resolve("ISPR") == "Pakistan military"
    assert "Inter-Services Public Relations" not in registry
    assert registry.canonical_names() == ["Pakistan military"]


def test_merge_keeps_one_canonical_name_corpus_wide() -> None:
    corpus = PartyRegistry()
    corpus.learn_alias("Baloch Liberation Army", "BLA")
    article = PartyRegistry()
    article.learn_alias("BLA", "Azad Baloch")
    article.learn_military("Pakistani", "Pakistani forces")
    corpus.learn_military("Pakistan", "Pakistan Army")
    corpus.merge(article)
    assert corpus.canonical_names() == ["Baloch Liberation Army", "Pakistan military"]
    assert corpus.resolve("Azad Baloch") == "Baloch Liberation Army"
    assert corpus.resolve("Pakistani forces") == "Pakistan military"


def test_records_round_trip_in_any_order() -> None:
    registry = PartyRegistry()
    registry.learn_alias("Baloch Liberation Army", "BLA")
    registry.learn_military("Pakistan", "ISPR")
    records = registry.to_records()
    assert records == [
        ("Baloch Liberation Army", "Baloch Liberation Army"),
        ("Baloch Liberation Army", "BLA"),
        ("Pakistan military", "Pakistan military"),
        ("Pakistan military", "ISPR"),
    ]
    restored = PartyRegistry.from_records(sorted(records, key=lambda r: (r[0], r[1]))[::-1])
    assert sorted(restored.to_records()) == sorted(records)
    assert restored.resolve("Pakistani army") == "Pakistan military"  # still a military


# --- the user file ----------------------------------------------------------------------------
def test_user_file_adds_authoritative_aliases(tmp_path: Path) -> None:
    path = tmp_path / "parties.yaml"
    path.write_text(
        "Pakistan military:\n  - security forces\n  - ISPR\nMinistry of Labour: []\n",
        encoding="utf-8",
    )
    registry = PartyRegistry()
    registry.learn_alias("Inter-Services Public Relations", "ISPR")
    registry.load_user_file(path)
    assert registry.resolve("the security forces") == "Pakistan military"
    assert registry.resolve("ISPR") == "Pakistan military"
    assert registry.resolve("Ministry of Labour") == "Ministry of Labour"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("Pakistan military: [ISPR\n", "not valid YAML at line"),
        ("- ISPR\n- BLA\n", "expected a mapping"),
        ("BLA: Baloch Liberation Army\n", "must be a list of strings"),
        ("BLA: [1, 2]\n", "must be a list of strings"),
        ("12: [c]\n", "is not a non-empty string"),
    ],
)
def test_user_file_errors_name_the_file_and_the_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "parties.yaml"
    path.write_text(content, encoding="utf-8")
    registry = PartyRegistry()
    with pytest.raises(ConfigError) as caught:
        registry.load_user_file(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)
    assert len(registry) == 0  # nothing half-applied


def test_missing_user_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the party aliases file"):
        PartyRegistry().load_user_file(tmp_path / "absent.yaml")


def test_empty_user_file_adds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "parties.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    registry = PartyRegistry()
    registry.load_user_file(path)
    assert registry.to_records() == []


# --- learning from articles -------------------------------------------------------------------
def test_learn_article_on_the_seed_article(nlp: object) -> None:
    title, _, text = SEED.read_text(encoding="utf-8").partition("\n")
    registry = PartyRegistry()
    parties = registry.learn_article(parse(nlp, text), title)  # type: ignore[arg-type]
    assert parties.military == "Pakistan military"
    assert registry.resolve("BLA") == "Baloch Liberation Army"
    for alias in (
        "Pakistan Army",
        "Pakistan military",
        "Pakistani military",
        "Pakistani forces",
    ):
        assert registry.resolve(alias) == "Pakistan military", alias
    assert registry.resolve("security forces") is None  # only in an article's own context
    assert "Baloch Liberation Army" in parties.parties
    before = registry.to_records()
    registry.learn_article(parse(nlp, text), title)  # type: ignore[arg-type]
    assert registry.to_records() == before  # learning twice adds nothing


def test_learn_article_press_wing_and_people_with_roles(nlp: object) -> None:
    text = (
        "The Velorian Army's press wing, the Office of Military Information (OMI), said troops "
        "held the bridge.\nThe Free Dune Movement (FDM) said it had taken the bridge. FDM "
        "candidate Ilka Varo told a rally that the vote was rigged.\nVelorian forces shelled "
        "the town."
    )
    registry = PartyRegistry()
    parties = registry.learn_article(parse(nlp, text))  # type: ignore[arg-type]
    assert parties.military == "Velorian military"
    for alias in ("OMI", "Office of Military Information", "Velorian Army", "Velorian forces"):
        assert registry.resolve(alias) == "Velorian military", alias
    assert registry.resolve("FDM") == "Free Dune Movement"
    assert registry.resolve("Ilka Varo") == "Free Dune Movement"
    assert parties.persons == ("Ilka Varo",)


# --- one party per actor within an article (issue 12, entities) --------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ministry of Defence", "Defense Ministry"),
        ("the Ministry of Foreign Affairs", "Foreign Ministry"),
        ("Velor's Ministry of Health", "Velor Health Ministry"),
        ("Department of Labour", "labor department"),
    ],
)
def test_alias_key_reads_one_body_in_both_word_orders_and_spellings(a: str, b: str) -> None:
    assert alias_key(a) == alias_key(b)
    registry = PartyRegistry()
    registry.add_party(a)
    assert registry.resolve(b) == clean_name(a)


def test_alias_key_keeps_different_portfolios_apart() -> None:
    assert alias_key("Ministry of Health") != alias_key("Ministry of Defence")


@pytest.mark.parametrize(
    "dateline",
    [
        "TESSIN, 5 May (Wirenews) - ",
        "TESSIN, Velor, May 7 (Wirenews) – ",
        "TESSIN, March 10 (Wirenews) — ",
        "TESSIN — ",
    ],
)
def test_a_dateline_word_is_no_party(nlp: object, dateline: str) -> None:
    text = f"{dateline}The Harbour Pilots Guild said on Monday that ships were delayed."
    registry = PartyRegistry()
    parties = registry.learn_article(parse(nlp, text))  # type: ignore[arg-type]
    assert registry.resolve("TESSIN") is None
    assert all(party_key(p) != "tessin" for p in parties.parties)


def test_a_surname_and_title_with_surname_are_the_person_named_in_full(nlp: object) -> None:
    text = (
        "Orsolya Brandt, who leads the Tessin dockers, said the strike would go on.\n"
        "Brandt said talks had failed. Ms. Brandt added that pay was the issue."
    )
    registry = PartyRegistry()
    registry.learn_article(parse(nlp, text))  # type: ignore[arg-type]
    assert registry.resolve("Brandt") is None  # reading a name never makes a party
    assert registry.add_party("Brandt") == "Orsolya Brandt"
    assert registry.resolve("Brandt") == "Orsolya Brandt"
    assert registry.resolve("Ms. Brandt") == "Orsolya Brandt"
    assert registry.is_person("Orsolya Brandt")
    assert len(registry) == 1
    registry.end_article()  # another article's "Brandt" may be someone else
    assert registry.resolve("Brandt") is None


def test_two_people_with_one_surname_leave_the_surname_alone(nlp: object) -> None:
    text = "Maria Brandt said the strike would go on. Peter Brandt said it would not."
    registry = PartyRegistry()
    registry.learn_article(parse(nlp, text))  # type: ignore[arg-type]
    assert registry.resolve("Brandt") is None


def test_a_country_speaks_through_its_one_state_body(nlp: object) -> None:
    text = (
        "Norway's Foreign Ministry said on Monday that the border would reopen. "
        "The Foreign Ministry said talks would follow.\nNorway has denied the charge."
    )
    registry = PartyRegistry()
    registry.learn_article(parse(nlp, text))  # type: ignore[arg-type]
    ministry = registry.add_party("Norway's Foreign Ministry")
    assert registry.resolve("Norway") == ministry
    assert registry.resolve("the Foreign Ministry") == ministry
    assert registry.add_party("Foreign Ministry") == ministry


def test_a_country_with_two_named_bodies_is_not_guessed(nlp: object) -> None:
    text = (
        "Norway's Foreign Ministry said the border would reopen. Norway's Defence Ministry said "
        "troops would stay. Norway has denied the charge."
    )
    registry = PartyRegistry()
    registry.learn_article(parse(nlp, text))  # type: ignore[arg-type]
    registry.add_party("Norway's Foreign Ministry")
    registry.add_party("Norway's Defence Ministry")
    assert registry.resolve("Norway") is None


def test_an_organisations_first_word_is_the_organisation(nlp: object) -> None:
    text = (
        "Brantis Airways said 40 flights were cancelled on Monday.\n"
        "Brantis said it had rebooked most passengers."
    )
    registry = PartyRegistry()
    registry.learn_article(parse(nlp, text))  # type: ignore[arg-type]
    assert registry.add_party("Brantis") == registry.resolve("Brantis Airways")
    assert len(registry) == 1


@pytest.mark.parametrize(
    ("text", "person", "body"),
    [
        (
            "The Harbour Pilots Guild said ships were delayed. The guild's chair, Maria Keller, "
            "said talks had failed.",
            "Maria Keller",
            "Harbour Pilots Guild",
        ),
        (
            "The Harbour Pilots Guild said ships were delayed. Its finance director, Maria "
            "Keller, said costs had doubled.",
            "Maria Keller",
            "Harbour Pilots Guild",
        ),
        (
            "Maria Keller, director of Tessin General Hospital, said 12 people were treated.",
            "Maria Keller",
            "Tessin General Hospital",
        ),
    ],
)
def test_a_person_tied_to_a_body_by_a_role_speaks_for_it(
    nlp: object, text: str, person: str, body: str
) -> None:
    registry = PartyRegistry()
    registry.learn_article(parse(nlp, text))  # type: ignore[arg-type]
    assert registry.resolve(person) == body


def test_a_lawyer_speaks_for_the_client_not_for_a_body(nlp: object) -> None:
    text = (
        "The Harbour Pilots Guild said the race was fair. Lena Ostrow said she was innocent. "
        "Her lawyer, Peter Grant, said the test was flawed."
    )
    registry = PartyRegistry()
    registry.learn_article(parse(nlp, text))  # type: ignore[arg-type]
    assert registry.resolve("Peter Grant") == "Lena Ostrow"


def test_resolve_reads_a_name_behind_an_honorific() -> None:
    registry = PartyRegistry()
    person = registry.add_party("Ana Brisk")
    assert registry.resolve("Dr. Ana Brisk") == person
    assert registry.resolve("Ms Ana Brisk") == person
    assert registry.resolve("Dr. Ana Brask") is None  # another name stays unknown
    assert registry.resolve("Dr.") is None
