"""The continuation model: a logistic regression that re-decides the ledger's cue-less sentences.

The rules decide explicit cues well; what they do worst is a sentence with no cue of its own: does
it go on with the previous party's account, or is it the reporter's? For each such sentence the
model weighs parse and discourse features (`features.py`) and gives the probability that it
continues the candidate party. That probability (or its complement, for the narrator) becomes the
record's confidence. The model is a JSON file of coefficients (no pickle), trained by
`benchmarks/train_claims_model.py` on the project's own labelled articles.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.claims.model.features import CONTINUATION, FEATURE_NAMES, Candidate, candidates
from assistant.types import NARRATOR
from ingest.errors import ModelError

if TYPE_CHECKING:
    from assistant.claims.records import SentenceAttribution
    from ingest.sentences import ParsedArticle

MODEL_FILE = "continuation.json"
MODEL_KIND = "logistic-regression/continuation-vs-narrator"
NO_CUE = "none"
# Whether `attribute_article` runs the layer by default (see benchmarks/results/claims_model.md).
ENABLED_BY_DEFAULT = False
# The ledger's rules never give an uncued sentence more than 0.85; neither does the model, whose
# probabilities come from a few hundred sentences of the project's own house styles.
CONFIDENCE_CAP = 0.85


@dataclass(frozen=True, slots=True)
class ContinuationModel:
    """Standardised logistic regression: p = sigmoid(intercept + sum(coef * (x - mean) / scale))."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.5

    def probability(self, values: Sequence[float]) -> float:
        z = self.intercept
        for x, m, s, w in zip(values, self.mean, self.scale, self.coef, strict=True):
            z += w * (x - m) / s
        if z < -35:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict[str, object]:
        return {
            "kind": MODEL_KIND,
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }


def model_path() -> Path:
    return Path(str(files("assistant.claims.model").joinpath(MODEL_FILE)))


def parse_model(raw: str, source: str) -> ContinuationModel:
    """A ContinuationModel from JSON text; anything malformed is a ModelError naming `source`."""

    def bad(reason: str) -> ModelError:
        return ModelError(
            f"continuation model {source} is unusable: {reason}; "
            "rebuild it with `python benchmarks/train_claims_model.py`"
        )

    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise bad(f"not JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict) or data.get("kind") != MODEL_KIND:
        raise bad(f"'kind' is not {MODEL_KIND!r}")
    names = data.get("features")
    if not isinstance(names, list) or tuple(names) != FEATURE_NAMES:
        raise bad("its feature list differs from the code's FEATURE_NAMES")
    vectors: dict[str, tuple[float, ...]] = {}
    for key in ("mean", "scale", "coef"):
        values = data.get(key)
        if not isinstance(values, list) or len(values) != len(FEATURE_NAMES):
            raise bad(f"'{key}' must be a list of {len(FEATURE_NAMES)} numbers")
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
            raise bad(f"'{key}' holds a value that is not a finite number")
        vectors[key] = tuple(float(v) for v in values)
    if any(s <= 0 for s in vectors["scale"]):
        raise bad("'scale' must be positive")
    intercept, threshold = data.get("intercept"), data.get("threshold", 0.5)
    if not isinstance(intercept, int | float) or not math.isfinite(intercept):
        raise bad("'intercept' must be a finite number")
    if not isinstance(threshold, int | float) or not 0 < threshold < 1:
        raise bad("'threshold' must be a number between 0 and 1")
    return ContinuationModel(
        FEATURE_NAMES,
        vectors["mean"],
        vectors["scale"],
        vectors["coef"],
        float(intercept),
        float(threshold),
    )


def load_continuation_model(path: Path | None = None) -> ContinuationModel:
    """The shipped model (or the one at `path`), checked field by field."""
    if path is None:
        return _shipped_model()
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(
            f"cannot read the continuation model {path}: {exc.strerror}; "
            "rebuild it with `python benchmarks/train_claims_model.py`"
        ) from exc
    return parse_model(raw, str(path))


@lru_cache(maxsize=1)
def _shipped_model() -> ContinuationModel:
    path = model_path()
    return load_continuation_model(path)


def decide(
    model: ContinuationModel, options: Sequence[Candidate]
) -> tuple[Candidate | None, float]:
    """The candidate the sentence continues (None: the narrator) and the decision's confidence,
    capped at CONFIDENCE_CAP: a sentence without a cue of its own is never certain."""
    best, best_p = None, 0.0
    for option in options:
        p = model.probability(option.values)
        if p > best_p:
            best, best_p = option, p
    if best is not None and best_p >= model.threshold:
        return best, min(CONFIDENCE_CAP, best_p)
    return None, min(CONFIDENCE_CAP, 1 - best_p)


def refine_records(
    parsed: ParsedArticle,
    records: list[SentenceAttribution],
    model: ContinuationModel | None = None,
) -> list[SentenceAttribution]:
    """The records with every cue-less sentence that has a candidate re-decided: continuation
    of the candidate the model rates highest when it reaches the threshold, else the narrator."""
    model = model or load_continuation_model()
    by_position: dict[int, list[Candidate]] = {}
    for candidate in candidates(parsed, records):
        by_position.setdefault(candidate.position, []).append(candidate)
    refined = list(records)
    for position, options in by_position.items():
        record = records[position]
        chosen, confidence = decide(model, options)
        confidence = round(confidence, 3)
        if chosen is None:
            refined[position] = replace(
                record,
                party=NARRATOR,
                cue=NO_CUE,
                cue_text=None,
                speaker=None,
                speaker_start=None,
                speaker_end=None,
                confidence=confidence,
            )
        elif record.cue == CONTINUATION and record.party == chosen.party:
            refined[position] = replace(record, confidence=confidence)
        else:
            source = records[chosen.source] if chosen.source is not None else None
            refined[position] = replace(
                record,
                party=chosen.party,
                cue=CONTINUATION,
                cue_text=None,
                speaker=source.speaker if source else None,
                speaker_start=source.speaker_start if source else None,
                speaker_end=source.speaker_end if source else None,
                confidence=confidence,
            )
    return refined
