"""A statistical layer over the rule-based claims ledger (continuation vs narrator)."""

from assistant.claims.model.continuation import (
    ENABLED_BY_DEFAULT,
    ContinuationModel,
    load_continuation_model,
    refine_records,
)

__all__ = ["ENABLED_BY_DEFAULT", "ContinuationModel", "load_continuation_model", "refine_records"]
