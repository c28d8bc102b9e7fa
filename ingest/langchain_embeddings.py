"""Our embedder as a LangChain `Embeddings` (its own module: langchain_core is slow to import)."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from ingest.embedding import Embedder


class LangChainEmbeddings(Embeddings):
    """Our embedder as a LangChain `Embeddings`, to plug into users' own chains."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0]
