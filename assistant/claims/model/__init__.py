"""A statistical layer over the rule-based claims ledger (continuation vs narrator)."""

from assistant.claims.model.continuation import (
    ContinuationModel,
    load_continuation_model,
    refine_records,
)

__all__ = ["ContinuationModel", "load_continuation_model", "refine_records"]
