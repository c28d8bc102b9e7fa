"""briefing-assistant's library API: the only names the shells (and other programs) import.

    from assistant import Assistant, Settings
    bot = Assistant(Settings(data_dir="./.briefing"))
    answer = bot.ask("How many soldiers were killed?")

Names load on first use, so `import assistant` costs nothing until a model or store is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "Assistant": "assistant.api",
    "ArticleLedger": "assistant.api",
    "ReembedReport": "assistant.api",
    "IngestReport": "assistant.ingestion",
    "Feed": "assistant.feeds",
    "FeedResult": "assistant.feeds",
    "FetchReport": "assistant.feeds",
    "Settings": "assistant.settings",
    "NARRATOR": "assistant.types",
    "Answer": "assistant.types",
    "Citation": "assistant.types",
    "Statement": "assistant.types",
    "Repair": "assistant.types",
    "Source": "assistant.types",
    "Briefing": "assistant.briefings.stories",
    "Story": "assistant.briefings.stories",
    "to_html": "assistant.briefings.stories",
    "to_json": "assistant.briefings.stories",
    "to_markdown": "assistant.briefings.stories",
    "Conversation": "assistant.answers.conversation",
    "SentenceAttribution": "assistant.claims.attribution",
    "PartySummary": "assistant.claims.store",
    "demo_corpus_path": "assistant.api",
    "iso": "assistant.serialise",
    "json_ready": "assistant.serialise",
    "clean_text": "ingest.loaders",
    "load_settings": "assistant.settings",
    "BadInput": "assistant.errors",
    "BriefingError": "assistant.errors",
    "ConfigError": "assistant.errors",
    "IngestError": "assistant.errors",
    "ModelError": "assistant.errors",
    "NotFound": "assistant.errors",
    "StoreError": "assistant.errors",
    "StoreUnavailable": "assistant.errors",
}

__all__ = [
    "Answer",
    "ArticleLedger",
    "Assistant",
    "BadInput",
    "Briefing",
    "BriefingError",
    "Citation",
    "ConfigError",
    "Conversation",
    "Feed",
    "FeedResult",
    "FetchReport",
    "IngestError",
    "IngestReport",
    "ModelError",
    "NARRATOR",
    "NotFound",
    "PartySummary",
    "ReembedReport",
    "Repair",
    "SentenceAttribution",
    "Settings",
    "Source",
    "Statement",
    "StoreError",
    "StoreUnavailable",
    "Story",
    "clean_text",
    "demo_corpus_path",
    "iso",
    "json_ready",
    "load_settings",
    "to_html",
    "to_json",
    "to_markdown",
]

if TYPE_CHECKING:
    from assistant.answers.conversation import Conversation
    from assistant.api import ArticleLedger, Assistant, ReembedReport, demo_corpus_path
    from assistant.briefings.stories import Briefing, Story, to_html, to_json, to_markdown
    from assistant.claims.attribution import SentenceAttribution
    from assistant.claims.store import PartySummary
    from assistant.errors import (
        BadInput,
        BriefingError,
        ConfigError,
        IngestError,
        ModelError,
        NotFound,
        StoreError,
        StoreUnavailable,
    )
    from assistant.feeds import Feed, FeedResult, FetchReport
    from assistant.ingestion import IngestReport
    from assistant.serialise import iso, json_ready
    from assistant.settings import Settings, load_settings
    from assistant.types import NARRATOR, Answer, Citation, Repair, Source, Statement
    from ingest.loaders import clean_text


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
