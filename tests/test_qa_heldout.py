"""The held-out question sets (benchmarks/data/qa_heldout, 2 and 3) are valid against the
development set's own scorer: every check of its selftest that applies to their size passes."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import qa_heldout_check
from benchmarks.qa_eval import HELD_OUT


def test_the_held_out_sets_pass_the_scorers_checks(capsys: object) -> None:
    assert qa_heldout_check.main([]) == 0
    assert qa_heldout_check.main(["--questions", str(HELD_OUT.parent / "qa_heldout2")]) == 0
    assert qa_heldout_check.main(["--questions", str(HELD_OUT.parent / "qa_heldout3")]) == 0


def test_held_out_questions_are_new_ids_of_every_type() -> None:
    questions = [json.loads(line) for line in (HELD_OUT / "questions.jsonl").open()]
    development = Path(qa_heldout_check.DEFAULT_EVAL) / "questions.jsonl"
    dev = [json.loads(line) for line in development.open()]
    assert len(questions) == 60 and all(q["id"].startswith("h") for q in questions)
    assert {q["type"] for q in questions} == {q["type"] for q in dev}
    assert not {q["question"] for q in questions} & {q["question"] for q in dev}
    second = [
        json.loads(line) for line in (HELD_OUT.parent / "qa_heldout2" / "questions.jsonl").open()
    ]
    assert len(second) >= 40 and all(q["id"].startswith("k") for q in second)
    assert not {q["question"] for q in second} & {q["question"] for q in questions + dev}
    third = [
        json.loads(line) for line in (HELD_OUT.parent / "qa_heldout3" / "questions.jsonl").open()
    ]
    assert len(third) == 40 and all(q["id"].startswith("m") for q in third)
    assert {q["type"] for q in third} == {q["type"] for q in dev}
    assert not {q["question"] for q in third} & {q["question"] for q in questions + second + dev}


def test_the_fresh_set_passes_every_scorer_check_but_the_dev_sets_question_count() -> None:
    """benchmarks/data/eval_fresh1-4 (new articles, gold and questions) are laid out as the
    development set: its scorer validates them, save its hard-coded count of 120."""
    for name, articles, sentences, questions in (
        ("eval_fresh1", 12, 234, 60),
        ("eval_fresh2", 12, 240, 60),
        ("eval_fresh3", 12, 230, 60),
        ("eval_fresh4", 10, 172, 50),
    ):
        _check_fresh(HELD_OUT.parent / name, articles, sentences, questions)


def _check_fresh(fresh: Path, articles: int, sentences: int, questions: int) -> None:
    import os
    import subprocess
    import sys

    scorer = Path(qa_heldout_check.DEFAULT_EVAL) / "score.py"
    proc = subprocess.run(
        [sys.executable, str(scorer), "validate"],
        capture_output=True,
        text=True,
        env={**os.environ, "EVAL_SET": str(fresh)},
    )
    problems = proc.stdout.split("INVALID:", 1)[1].split("\n") if "INVALID:" in proc.stdout else []
    assert [p.strip() for p in problems if p.strip()] == [
        f"want 120 unique question ids, got {questions} / {questions}"
    ], proc.stdout
    assert f"questions: {questions}" in proc.stdout
    assert f"attribution rows: {sentences} in {articles}" in proc.stdout
    assert len(sorted((fresh / "articles").glob("*.md"))) == articles
