"""Middle layer: the library API (ingest, attribution, retrieval, answers, briefings)."""
