"""Every knob of the assistant, typed and validated in one place (env prefix BRIEFING_)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Read from arguments, then `BRIEFING_*` environment variables, then `.env`."""

    model_config = SettingsConfigDict(
        env_prefix="BRIEFING_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(Path(".briefing"), description="Where SQLite, Chroma and BM25 live.")

    chroma_mode: Literal["embedded", "http"] = "embedded"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8000
    collection: str = "passages"

    embedding_model: str = Field(
        "minilm", description="'minilm' (bundled all-MiniLM-L6-v2), 'hash' (tests), or a path."
    )
    embedding_runtime: Literal["onnx", "torch"] = Field(
        "onnx", description="ONNX Runtime (fast, no torch in the process) or torch."
    )
    embedding_quantization: Literal["fp32", "int8"] = Field(
        "fp32", description="ONNX weights; int8 misses the quality floor (benchmarks/results)."
    )
    model_cache_dir: Path | None = Field(
        None, description="Where the ONNX export is kept (default ~/.cache/briefing-assistant)."
    )
    embedding_batch_size: int = 64
    chunk_sentences: int = Field(4, ge=1, le=50, description="Sentences per passage.")
    chunk_overlap: int = Field(1, ge=0, le=49, description="Sentences shared by neighbours.")
    max_file_mb: float = Field(20.0, gt=0)

    ledger: bool = Field(True, description="Record who says each sentence at ingest.")
    ledger_llm_review: bool = Field(
        False, description="Let the configured LLM re-decide low-confidence ledger sentences."
    )
    parties_file: Path | None = None

    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 60.0
    llm_max_tokens: int = Field(default=400, ge=16, description="longest LLM answer, in tokens")

    serve_host: str = "127.0.0.1"
    serve_port: int = 8501

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.chunk_overlap >= self.chunk_sentences:
            raise ValueError(
                f"BRIEFING_CHUNK_OVERLAP ({self.chunk_overlap}) must be smaller than "
                f"BRIEFING_CHUNK_SENTENCES ({self.chunk_sentences})"
            )
        return self

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "briefing.sqlite3"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def bm25_path(self) -> Path:
        return self.data_dir / "bm25"
