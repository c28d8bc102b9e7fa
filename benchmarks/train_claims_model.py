"""Train the claims ledger's continuation model; print grouped cross-validated metrics.

    python benchmarks/train_claims_model.py            # extract features, fit, write the model
    python benchmarks/train_claims_model.py --fit-only # refit from the shipped training rows
    python benchmarks/train_claims_model.py --check    # refit and compare with the shipped model

Data: the project's own labelled articles only (`tests/data/claims_gold/`, and the demo gold in
`tests/data/demo_attribution_gold/` over `assistant/demo_corpus/`); never PolNeAR, never the public
eval set. The rules run without the layer; each cue-less record gets a row per candidate party,
labelled 1 when the gold party is that candidate, else 0 (a sentence whose gold is a party that no
candidate names is dropped: no answer of the layer is right). Rows go to
`assistant/claims/model/training_rows.json` (numbers and article numbers only), the model to
`assistant/claims/model/continuation.json`. Deterministic: same data, same coefficients.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path.insert(0, str(REPO))

from assistant.claims.model.continuation import ContinuationModel, model_path  # noqa: E402
from assistant.claims.model.features import FEATURE_NAMES  # noqa: E402

MODEL_DIR = REPO / "assistant" / "claims" / "model"
ROWS_FILE = MODEL_DIR / "training_rows.json"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
RULE_WEIGHTS = (1.0, 3.0, 10.0)
# claims_gold's README suggests these articles as its test split.
HELD_OUT_DATE = "-2026-06-12-"
FOLDS = 6


# --- extraction (spaCy) ----------------------------------------------------------------------
def training_fixtures() -> list[Any]:
    from assistant.claims.evaluation import load_demo, load_gold_folder

    return [
        *load_gold_folder(REPO / "tests" / "data" / "claims_gold", "claims_gold"),
        *load_demo(
            REPO / "tests" / "data" / "demo_attribution_gold", REPO / "assistant" / "demo_corpus"
        ),
    ]


def extract_rows(fixtures: Sequence[Any]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Feature rows of every fixture's cue-less records, and counts of what was kept."""
    from assistant.claims.attribution import attribute_article
    from assistant.claims.evaluation import align, party_matches
    from assistant.claims.model.features import candidates
    from assistant.claims.parties import PartyRegistry
    from ingest.sentences import load_nlp, parse_articles

    nlp = load_nlp()
    rows: list[dict[str, Any]] = []
    counts = {"candidates": 0, "third_party": 0, "unaligned": 0}  # counted per sentence
    for group, fixture in enumerate(fixtures):
        registry = PartyRegistry()
        parsed = next(parse_articles([fixture.text], nlp))
        records = attribute_article(parsed, registry, fixture.title, continuation_model=False)
        aligned = align(fixture.gold, records, fixture.text)
        gold_at: dict[int, Any] = {}
        for gold, record in zip(fixture.gold, aligned, strict=True):
            if record is not None:
                gold_at.setdefault(record.sentence_index, gold)
        by_position: dict[int, list[Any]] = {}
        for candidate in candidates(parsed, records):
            by_position.setdefault(candidate.position, []).append(candidate)
        for position, options in by_position.items():
            counts["candidates"] += 1
            record = records[position]
            gold = gold_at.get(record.sentence_index)
            if gold is None:
                counts["unaligned"] += 1
                continue
            labels = [
                int(
                    gold.party is not None
                    and party_matches(gold.party, o.party, registry, fixture.aliases)
                )
                for o in options
            ]
            if gold.party is not None and not any(labels):
                counts["third_party"] += 1
                continue
            for option, label in zip(options, labels, strict=True):
                rows.append(
                    {
                        "group": group,
                        "held_out": HELD_OUT_DATE in fixture.name,
                        "sentence": position,
                        "label": label,
                        "rule": int(record.cue == "continuation" and record.party == option.party),
                        "gold_cue": gold.cue,
                        "ambiguous": gold.ambiguous,
                        "values": [round(v, 6) for v in option.values],
                    }
                )
    counts["rows"] = len(rows)
    return rows, counts


# --- fitting (scikit-learn) ------------------------------------------------------------------
def fit(rows: Sequence[dict[str, Any]], c: float, rule_weight: float = 1.0) -> ContinuationModel:
    """Standardise, then an L2 logistic regression (lbfgs): deterministic for given rows. The
    rules' choice is stretched by `rule_weight` after standardising, so the penalty shrinks its
    coefficient less: the model starts from the rules and moves off them only on evidence."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.array([r["values"] for r in rows], dtype=float)
    y = np.array([r["label"] for r in rows], dtype=int)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    scale[FEATURE_NAMES.index("rule_choice")] /= rule_weight
    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, tol=1e-10)
    clf.fit((x - mean) / scale, y)
    return ContinuationModel(
        FEATURE_NAMES,
        tuple(round(float(v), 8) for v in mean),
        tuple(round(float(v), 8) for v in scale),
        tuple(round(float(v), 8) for v in clf.coef_[0]),
        round(float(clf.intercept_[0]), 8),
    )


def folds(rows: Sequence[dict[str, Any]], k: int = FOLDS) -> list[list[int]]:
    """Article groups dealt round-robin into k folds (deterministic, no shuffling)."""
    groups = sorted({r["group"] for r in rows})
    fold_of = {g: i % k for i, g in enumerate(groups)}
    return [[i for i, r in enumerate(rows) if fold_of[r["group"]] == f] for f in range(k)]


def cross_validate(
    rows: Sequence[dict[str, Any]], c: float, rule_weight: float = 1.0
) -> dict[str, Any]:
    """Held-out predictions for every row, folds by article; metrics against the rules'."""
    import math

    predicted: list[float] = [0.0] * len(rows)
    for held in folds(rows):
        held_set = set(held)
        train = [r for i, r in enumerate(rows) if i not in held_set]
        model = fit(train, c, rule_weight)
        for i in held:
            predicted[i] = model.probability(rows[i]["values"])
    return metrics(rows, predicted) | {
        "log_loss": round(
            -sum(
                math.log(max(1e-9, p if r["label"] else 1 - p))
                for r, p in zip(rows, predicted, strict=True)
            )
            / len(rows),
            4,
        )
    }


def sentences(
    rows: Sequence[dict[str, Any]], predicted: Sequence[float]
) -> list[tuple[dict[str, Any], bool, bool, float]]:
    """Per sentence: (a row of it, model right, rules right, model confidence); the model
    takes its best candidate if it reaches 0.5, else the narrator, as the layer does."""
    grouped: dict[tuple[int, int], list[tuple[dict[str, Any], float]]] = {}
    for row, p in zip(rows, predicted, strict=True):
        grouped.setdefault((row["group"], row["sentence"]), []).append((row, p))
    out = []
    for options in grouped.values():
        best_row, best_p = max(options, key=lambda o: o[1])
        gold_narrator = not any(r["label"] for r, _ in options)
        model_right = bool(best_row["label"]) if best_p >= 0.5 else gold_narrator
        rule_rows = [r for r, _ in options if r["rule"]]
        rules_right = bool(rule_rows[0]["label"]) if rule_rows else gold_narrator
        out.append((best_row, model_right, rules_right, max(best_p, 1 - best_p)))
    return out


def metrics(rows: Sequence[dict[str, Any]], predicted: Sequence[float]) -> dict[str, Any]:
    decided = sentences(rows, predicted)
    out: dict[str, Any] = {"rows": len(rows), "sentences": len(decided)}
    for name, keep in (
        ("all", lambda r: True),
        ("gold continuation", lambda r: r["gold_cue"] == "continuation"),
        ("gold none", lambda r: r["gold_cue"] == "none"),
        ("gold explicit (cue missed)", lambda r: r["gold_cue"] == "explicit"),
    ):
        chosen = [d for d in decided if keep(d[0])]
        if not chosen:
            continue
        out[name] = {
            "n": len(chosen),
            "model": round(sum(d[1] for d in chosen) / len(chosen), 3),
            "rules": round(sum(d[2] for d in chosen) / len(chosen), 3),
        }
    buckets: dict[str, list[int]] = {}
    for _, right, _, confidence in decided:
        key = f"{min(9, int(confidence * 10)) / 10:.1f}"
        cell = buckets.setdefault(key, [0, 0])
        cell[0] += right
        cell[1] += 1
    out["calibration"] = {k: buckets[k] for k in sorted(buckets)}
    return out


def choose_c(rows: Sequence[dict[str, Any]]) -> tuple[tuple[float, float], dict[str, Any]]:
    """(C, rule weight) with the lowest cross-validated log loss (training data only)."""
    grid = [(c, w) for w in RULE_WEIGHTS for c in C_GRID]
    results = {setting: cross_validate(rows, *setting) for setting in grid}
    best = min(grid, key=lambda setting: (results[setting]["log_loss"], setting))
    return best, {
        f"C={c},w={w:g}": {"log_loss": r["log_loss"], "accuracy": r["all"]["model"]}
        for (c, w), r in results.items()
    }


def model_json(
    model: ContinuationModel, setting: tuple[float, float], counts: dict[str, Any]
) -> dict[str, Any]:
    return model.to_json() | {"C": setting[0], "rule_weight": setting[1], "training": counts}


def print_report(
    rows: Sequence[dict[str, Any]],
    setting: tuple[float, float],
    grid: dict[str, Any],
    cv: dict[str, Any],
) -> None:
    print(
        f"rows {len(rows)} (candidate parties) for {len(sentences(rows, [0.0] * len(rows)))}"
        f" sentences from {len({r['group'] for r in rows})} articles;"
        f" positives {sum(r['label'] for r in rows)}"
    )
    print(f"grid (grouped {FOLDS}-fold CV): {json.dumps(grid)}")
    print(
        f"chosen C = {setting[0]}, rule weight {setting[1]:g};"
        f" grouped {FOLDS}-fold CV log loss {cv['log_loss']}"
    )
    print("| sentences | n | model accuracy | rules accuracy |")
    print("|---|---|---|---|")
    for key in ("all", "gold continuation", "gold none", "gold explicit (cue missed)"):
        if key in cv:
            cell = cv[key]
            print(f"| {key} | {cell['n']} | {cell['model']:.3f} | {cell['rules']:.3f} |")
    print(
        "CV accuracy per confidence bucket: "
        + ", ".join(f"{k}: {a}/{n} = {a / n:.2f}" for k, (a, n) in cv["calibration"].items())
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--fit-only", action="store_true", help="refit from the shipped rows")
    parser.add_argument("--check", action="store_true", help="refit; exit 1 if it differs")
    parser.add_argument("--rows", type=Path, default=ROWS_FILE)
    parser.add_argument("--out", type=Path, default=model_path())
    args = parser.parse_args(argv)

    if args.fit_only or args.check:
        stored = json.loads(args.rows.read_text(encoding="utf-8"))
        rows, counts = stored["rows"], stored["counts"]
    else:
        rows, counts = extract_rows(training_fixtures())
        args.rows.write_text(
            json.dumps({"features": list(FEATURE_NAMES), "counts": counts, "rows": rows}) + "\n",
            encoding="utf-8",
        )
    setting, grid = choose_c(rows)
    cv = cross_validate(rows, *setting)
    print_report(rows, setting, grid, cv)
    train = [r for r in rows if not r.get("held_out")]
    test = [r for r in rows if r.get("held_out")]
    if train and test:
        split_model = fit(train, *setting)
        split = metrics(test, [split_model.probability(r["values"]) for r in test])
        cell = split["all"]
        print(
            f"suggested split (train: other dates, test: {HELD_OUT_DATE.strip('-')},"
            f" {cell['n']} sentences): model {cell['model']:.3f}, rules {cell['rules']:.3f}"
        )
    model = fit(rows, *setting)
    document = model_json(
        model, setting, counts | {"cv": {k: cv[k] for k in cv if k != "calibration"}}
    )
    text = json.dumps(document, indent=1) + "\n"
    if args.check:
        shipped = json.loads(args.out.read_text(encoding="utf-8"))
        same = all(shipped.get(k) == document[k] for k in ("coef", "intercept", "mean", "scale"))
        print("shipped model reproduced" if same else f"shipped model {args.out} differs")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
