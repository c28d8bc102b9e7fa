"""Our hybrid retrieval as a LangChain retriever, to plug into users' own chains."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.search.retrieval import Filters, Retriever
from assistant.serialise import iso


class BriefingRetriever(BaseRetriever):
    """Hybrid (dense + BM25, RRF) passages with their article metadata and speaking parties.

    Example:
        >>> from assistant.api import Assistant
        >>> retriever = BriefingRetriever(retriever=Assistant().retriever, k=4)
        >>> docs = retriever.invoke("How many workers joined the strike?")
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any  # assistant.search.retrieval.Retriever (Any: pydantic cannot validate it)
    k: int = 6
    filters: Filters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        engine: Retriever = self.retriever
        hits = engine.retrieve(query, self.k, self.filters)
        parties = engine.db.passage_labels([h.passage.id for h in hits])
        return [
            Document(
                page_content=h.passage.text,
                id=h.passage.id,
                metadata={
                    "doc_id": h.passage.doc_id,
                    "title": h.title,
                    "outlet": h.outlet,
                    "published": iso(h.published),
                    "url": h.url,
                    "start": h.passage.start,
                    "end": h.passage.end,
                    "parties": parties.get(h.passage.id, []),
                    "score": h.score,
                    "also_in": list(h.also_in),
                },
            )
            for h in hits
        ]
