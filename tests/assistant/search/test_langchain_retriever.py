from __future__ import annotations

from pathlib import Path

from langchain_core.documents import Document

from assistant.api import Assistant
from assistant.search.langchain_retriever import BriefingRetriever
from assistant.settings import Settings
from ingest.embedding import LangChainEmbeddings
from ingest.store import MemoryStore
from tests.conftest import CountingEmbedder

FORMATS = Path(__file__).resolve().parents[2] / "data" / "formats"


def test_langchain_retriever_returns_documents_with_offsets(tmp_path: Path) -> None:
    bot = Assistant(
        Settings(data_dir=tmp_path / "d", embedding_model="hash", ledger=False),
        embedder=CountingEmbedder(),
        store=MemoryStore(),
    )
    bot.ingest([FORMATS / "articles.jsonl", FORMATS / "feed.rss"])
    docs = BriefingRetriever(retriever=bot.retriever, k=3).invoke(bot.sources()[0].title)
    assert 1 <= len(docs) <= 3
    assert all(isinstance(d, Document) for d in docs)
    for d in docs:
        text = bot.article(d.metadata["doc_id"]).text
        assert text[d.metadata["start"] : d.metadata["end"]] == d.page_content
    assert docs[0].metadata["title"] == bot.sources()[0].title


def test_langchain_embeddings_adapter() -> None:
    adapter = LangChainEmbeddings(CountingEmbedder())
    [a, b] = adapter.embed_documents(["strike at the plant", "strike at the plant"])
    assert a == b == adapter.embed_query("strike at the plant")
    assert abs(sum(x * x for x in a) - 1.0) < 1e-9
