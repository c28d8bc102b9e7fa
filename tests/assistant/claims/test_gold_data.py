"""The shipped claims gold set is well formed, and its validator catches broken labels."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest

GOLD = Path(__file__).resolve().parents[2] / "data" / "claims_gold"


def _load_validator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("claims_gold_validate", GOLD / "validate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


validator = _load_validator()


def test_shipped_gold_set_validates() -> None:
    assert validator.validate(GOLD) == []


def test_gold_set_covers_every_cue_type_in_many_articles() -> None:
    counts = validator.counts(GOLD)
    assert counts["articles"] >= 12
    assert counts["articles"] == len(list((GOLD / "articles").glob("*.md")))
    for cue in validator.CUES:
        assert counts.get(cue, 0) >= 0.1 * counts["sentences"], cue
    assert counts["explicit"] + counts["continuation"] + counts["none"] == counts["sentences"]


def test_readme_counts_match_the_data() -> None:
    counts = validator.counts(GOLD)
    readme = (GOLD / "README.md").read_text(encoding="utf-8")
    assert f"{counts['sentences']} sentences" in readme
    for cue in validator.CUES:
        assert f"{counts[cue]} {cue}" in readme, cue


@pytest.fixture
def gold_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    shutil.copytree(GOLD, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _rewrite(folder: Path, line_no: int, **changes: object) -> None:
    path = folder / "attribution.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[line_no])
    record.update(changes)
    lines[line_no] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _first(folder: Path, cue: str) -> int:
    lines = (folder / "attribution.jsonl").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines) if json.loads(line)["cue"] == cue)


def test_validator_catches_text_that_is_not_in_the_article(gold_copy: Path) -> None:
    _rewrite(gold_copy, 0, text="A sentence that no article contains.")
    errors = validator.validate(gold_copy)
    assert any("not found in the body" in e for e in errors)
    assert any("does not rebuild" in e for e in errors)


def test_validator_catches_an_unknown_party(gold_copy: Path) -> None:
    _rewrite(gold_copy, _first(gold_copy, "explicit"), party="Nobody In Particular")
    assert any("not a key of parties.json" in e for e in validator.validate(gold_copy))


def test_validator_catches_a_speaker_missing_from_its_sentence(gold_copy: Path) -> None:
    _rewrite(gold_copy, _first(gold_copy, "explicit"), speaker="zzq (Someone Else)")
    assert any("does not occur in its sentence" in e for e in validator.validate(gold_copy))


def test_validator_accepts_a_resolved_pronoun_speaker(gold_copy: Path) -> None:
    lines = (gold_copy / "attribution.jsonl").read_text(encoding="utf-8").splitlines()
    i = next(
        n
        for n, line in enumerate(lines)
        if (rec := json.loads(line))["speaker"] and rec["speaker"] not in rec["text"]
    )
    assert validator.RESOLVED_SPEAKER.match(json.loads(lines[i])["speaker"])
    assert validator.validate(gold_copy) == []


@pytest.mark.parametrize(
    ("cue_of_line", "changes", "message"),
    [
        ("explicit", {"cue": "implicit"}, "is not one of"),
        ("continuation", {"cue": "none"}, "cue 'none' must go with party 'narrator'"),
        ("continuation", {"speaker": "the group"}, "speaker must be set for explicit cues"),
        ("none", {"ambiguous": "no"}, "ambiguous must be true or false"),
    ],
)
def test_validator_catches_malformed_labels(
    gold_copy: Path, cue_of_line: str, changes: dict[str, object], message: str
) -> None:
    _rewrite(gold_copy, _first(gold_copy, cue_of_line), **changes)
    assert any(message in e for e in validator.validate(gold_copy))


def test_validator_catches_shuffled_sentences(gold_copy: Path) -> None:
    path = gold_copy / "attribution.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    first, second = json.loads(lines[0]), json.loads(lines[1])
    assert first["article"] == second["article"]
    first["text"], second["text"] = second["text"], first["text"]
    lines[0] = json.dumps(first, ensure_ascii=False)
    lines[1] = json.dumps(second, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert validator.validate(gold_copy) != []
