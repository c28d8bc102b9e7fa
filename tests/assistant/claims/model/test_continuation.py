"""The continuation model: features on invented texts, the loader's checks, the layer's decisions,
and the training script reproducing the shipped model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from assistant.claims.attribution import SentenceAttribution, attribute_article
from assistant.claims.model import ContinuationModel, load_continuation_model, refine_records
from assistant.claims.model.continuation import CONFIDENCE_CAP, decide, model_path, parse_model
from assistant.claims.model.features import FEATURE_NAMES, Candidate, candidates
from assistant.claims.parties import PartyRegistry
from assistant.types import NARRATOR
from ingest.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

    from ingest.sentences import ParsedArticle

# Invented: no such board, reservoir or person exists.
RESERVOIR = (
    "The Velmora Water Board said on Monday that the Tarnish reservoir was 40 per cent full. "
    '"We will have to ration water from May," said Ilse Varrow, its director. '
    '"There is no other way. Farmers must cut their use by a third."\n\n'
    "The reservoir was built in 1962 and holds 80 million cubic metres.\n\n"
    "Will the rains come in time? Nobody can say.\n"
)
BOARD = "Velmora Water Board"


@pytest.fixture(scope="module")
def nlp() -> Iterator[Language]:
    from ingest.sentences import load_nlp

    yield load_nlp()


@pytest.fixture(scope="module")
def reservoir(nlp: Language) -> tuple[ParsedArticle, list[SentenceAttribution]]:
    from ingest.sentences import parse_articles

    parsed = next(parse_articles([RESERVOIR], nlp))
    records = attribute_article(parsed, PartyRegistry(), continuation_model=False)
    return parsed, records


def features_of(candidate: Candidate) -> dict[str, float]:
    return dict(zip(FEATURE_NAMES, candidate.values, strict=True))


def constant_model(intercept: float) -> ContinuationModel:
    n = len(FEATURE_NAMES)
    return ContinuationModel(FEATURE_NAMES, (0.0,) * n, (1.0,) * n, (0.0,) * n, intercept)


# --- features ------------------------------------------------------------------------------
def test_every_cue_less_sentence_after_a_source_is_a_candidate_of_that_source(
    reservoir: tuple[ParsedArticle, list[SentenceAttribution]],
) -> None:
    parsed, records = reservoir
    assert [r.cue for r in records[:2]] == ["explicit", "explicit"]
    found = candidates(parsed, records)
    assert [c.position for c in found] == [2, 3, 4, 5, 6]
    assert {c.party for c in found} == {BOARD}
    assert all(c.source == 1 for c in found)  # the board's last explicit record
    assert all(len(c.values) == len(FEATURE_NAMES) for c in found)


def test_features_describe_quotation_person_tense_and_place(
    reservoir: tuple[ParsedArticle, list[SentenceAttribution]],
) -> None:
    parsed, records = reservoir
    by_position = {c.position: features_of(c) for c in candidates(parsed, records)}
    opening, inside = by_position[2], by_position[3]  # '"There is no other way.' / 'Farmers must'
    assert opening["starts_with_quote"] == 1.0 and opening["inside_open_quote"] == 0.0
    assert inside["inside_open_quote"] == 1.0 and inside["starts_with_quote"] == 0.0
    assert inside["modal"] == 1.0 and opening["modal"] == 0.0
    assert opening["root_present"] == 1.0 and opening["same_paragraph_as_cue"] == 1.0
    background = by_position[4]  # "The reservoir was built in 1962 ..."
    assert background["root_past"] == 1.0
    assert background["has_number"] == 1.0 and background["has_date"] == 1.0
    assert background["paragraph_first"] == 1.0 and background["paragraph_last"] == 1.0
    assert background["paragraphs_since_cue"] == 1.0 and background["same_paragraph_as_cue"] == 0.0
    assert by_position[5]["question"] == 1.0 and by_position[4]["question"] == 0.0
    assert by_position[6]["previous_narrator"] == 1.0  # the rules gave the question to the reporter


def test_first_person_and_discourse_markers_come_from_the_closed_class_lists(nlp: Language) -> None:
    from ingest.sentences import parse_articles

    text = (
        "Dara Quell, a spokeswoman for the Ostrin Ferry Company, said sailings would resume.\n\n"
        "However, our crews are still waiting for the new timetable.\n"
    )
    parsed = next(parse_articles([text], nlp))
    records = attribute_article(parsed, PartyRegistry(), continuation_model=False)
    (candidate,) = candidates(parsed, records)
    values = features_of(candidate)
    assert values["first_person"] == 1.0
    assert values["starts_with_marker"] == 1.0
    assert values["second_person"] == 0.0


# --- the model file ------------------------------------------------------------------------
def test_the_shipped_model_loads_and_matches_the_code_s_features() -> None:
    model = load_continuation_model()
    assert model.features == FEATURE_NAMES
    assert 0 < model.threshold < 1
    assert any(w != 0 for w in model.coef)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "not JSON"),
        ('{"kind": "something else"}', "'kind'"),
        ("features-changed", "feature list"),
        ("short-coef", "'coef' must be a list"),
        ("nan-intercept", "'intercept'"),
    ],
)
def test_the_loader_rejects_a_corrupt_model_file_naming_it(
    tmp_path: Path, content: str, reason: str
) -> None:
    good = json.loads(model_path().read_text(encoding="utf-8"))
    if content == "features-changed":
        content = json.dumps(good | {"features": list(FEATURE_NAMES[:-1]) + ["renamed"]})
    elif content == "short-coef":
        content = json.dumps(good | {"coef": good["coef"][:-1]})
    elif content == "nan-intercept":
        content = json.dumps(good).replace(f'"intercept": {good["intercept"]}', '"intercept": NaN')
    path = tmp_path / "continuation.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_continuation_model(path)
    message = str(caught.value)
    assert str(path) in message and reason in message
    assert "train_claims_model.py" in message  # the next step


def test_a_missing_model_file_is_a_model_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.json"
    with pytest.raises(ModelError, match="absent.json"):
        load_continuation_model(path)


def test_a_model_round_trips_through_its_json() -> None:
    model = constant_model(0.25)
    again = parse_model(json.dumps(model.to_json()), "memory")
    assert again == model
    assert again.probability([1.0] * len(FEATURE_NAMES)) == pytest.approx(0.5621765)


# --- the layer -----------------------------------------------------------------------------
def test_a_decision_s_confidence_is_its_probability_below_the_cap(
    reservoir: tuple[ParsedArticle, list[SentenceAttribution]],
) -> None:
    parsed, records = reservoir
    options = [c for c in candidates(parsed, records) if c.position == 4]
    chosen, confidence = decide(constant_model(0.4), options)  # sigmoid(0.4) = 0.599
    assert chosen is not None and chosen.party == BOARD
    assert confidence == pytest.approx(0.5987, abs=1e-4)
    chosen, confidence = decide(constant_model(-0.4), options)
    assert chosen is None and confidence == pytest.approx(0.5987, abs=1e-4)


def test_a_confident_model_turns_narrator_sentences_into_the_candidate_s_continuation(
    reservoir: tuple[ParsedArticle, list[SentenceAttribution]],
) -> None:
    parsed, records = reservoir
    assert records[5].party == NARRATOR  # the question, by the rules
    refined = refine_records(parsed, records, constant_model(3.0))
    question = refined[5]
    assert (question.party, question.cue, question.cue_text) == (BOARD, "continuation", None)
    source = records[1]
    assert (question.speaker, question.speaker_start, question.speaker_end) == (
        source.speaker,
        source.speaker_start,
        source.speaker_end,
    )
    assert question.confidence == CONFIDENCE_CAP  # sigmoid(3) = 0.95, capped
    assert refined[:2] == records[:2]  # explicit cues are never touched


def test_a_doubtful_model_gives_continuations_to_the_narrator(
    reservoir: tuple[ParsedArticle, list[SentenceAttribution]],
) -> None:
    parsed, records = reservoir
    assert records[2].cue == "continuation"
    refined = refine_records(parsed, records, constant_model(-2.0))
    for record in refined[2:]:
        assert (record.party, record.cue, record.speaker) == (NARRATOR, "none", None)
        assert record.confidence == CONFIDENCE_CAP  # 1 - sigmoid(-2) = 0.88, capped
    assert [r.text for r in refined] == [r.text for r in records]


def test_the_shipped_model_gives_company_background_to_the_narrator(nlp: Language) -> None:
    from ingest.sentences import parse_articles

    text = (  # invented
        "The Ostrin Ferry Company said on Tuesday that sailings would resume next week. "
        "It blamed a shortage of engineers for the cancellations.\n\n"
        "The company was founded in 1921. It operates nine vessels on three routes.\n"
    )
    parsed = next(parse_articles([text], nlp))
    records = attribute_article(parsed, PartyRegistry(), continuation_model=False)
    background = records[2]
    assert background.text == "The company was founded in 1921."
    assert (background.party, background.cue) == ("Ostrin Ferry Company", "continuation")  # rules
    refined = refine_records(parsed, records)
    assert (refined[2].party, refined[2].cue, refined[2].speaker) == (NARRATOR, "none", None)
    assert 0.5 < refined[2].confidence <= CONFIDENCE_CAP
    assert refined[:2] == records[:2]


def test_attribute_article_runs_the_layer_only_when_asked(
    nlp: Language, reservoir: tuple[ParsedArticle, list[SentenceAttribution]]
) -> None:
    parsed, without = reservoir
    with_layer = attribute_article(parsed, PartyRegistry(), continuation_model=True)
    assert with_layer == refine_records(parsed, without)
    assert with_layer != without


# --- training ------------------------------------------------------------------------------
def test_training_reproduces_the_shipped_model_from_the_shipped_rows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from benchmarks import train_claims_model

    assert train_claims_model.main(["--check"]) == 0
    out = capsys.readouterr().out
    assert "shipped model reproduced" in out
    assert "grouped 6-fold CV" in out


def test_fitting_is_deterministic_on_a_small_run() -> None:
    from benchmarks import train_claims_model

    stored = json.loads(train_claims_model.ROWS_FILE.read_text(encoding="utf-8"))
    rows = [r for r in stored["rows"] if r["group"] < 12]
    assert {r["label"] for r in rows} == {0, 1}
    first = train_claims_model.fit(rows, 0.3)
    second = train_claims_model.fit(list(reversed(rows)), 0.3)
    assert first.coef == pytest.approx(second.coef, abs=1e-4)
    assert first.intercept == pytest.approx(second.intercept, abs=1e-4)
    assert train_claims_model.folds(rows) == train_claims_model.folds(rows)
    held = {r["group"] for i in train_claims_model.folds(rows)[0] for r in [rows[i]]}
    others = {r["group"] for f in train_claims_model.folds(rows)[1:] for r in (rows[i] for i in f)}
    assert held and not held & others  # an article never sits in two folds
