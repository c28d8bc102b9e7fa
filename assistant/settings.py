"""Every knob of the assistant, typed and validated in one place (env prefix BRIEFING_)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from ingest.errors import ConfigError

DEFAULT_DATA_DIR = Path(".briefing")


class Settings(BaseSettings):
    """Read from arguments, then `BRIEFING_*` environment variables, then an env file.

    The env file is `BRIEFING_CONFIG` when set, else `.env` in the data dir: never the current
    folder, where an untrusted checkout could redirect the LLM URL.
    """

    model_config = SettingsConfigDict(
        env_prefix="BRIEFING_", env_file=None, env_file_encoding="utf-8", extra="ignore"
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        kwargs = getattr(init_settings, "init_kwargs", {})
        env_file = env_file_path(kwargs.get("data_dir"))
        dotenv = DotEnvSettingsSource(settings_cls, env_file=env_file, env_file_encoding="utf-8")
        return init_settings, env_settings, dotenv, file_secret_settings

    data_dir: Path = Field(DEFAULT_DATA_DIR, description="Where SQLite, Chroma and BM25 live.")

    chroma_mode: Literal["embedded", "http"] = "embedded"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8000
    chroma_token: SecretStr | None = Field(
        None, description="Token for a Chroma server with token auth (Authorization: Bearer)."
    )
    chroma_ssl: bool = Field(False, description="Reach the Chroma server over https.")
    collection: str = "passages"

    embedding_model: str = Field(
        "minilm", description="'minilm' (bundled all-MiniLM-L6-v2), 'hash' (tests), or a path."
    )
    embedding_runtime: Literal["onnx", "torch"] = Field(
        "onnx", description="ONNX Runtime (fast, no torch in the process) or torch."
    )
    embedding_quantization: Literal["fp32", "int8"] = Field(
        "int8",
        description="ONNX weights: int8 (per channel, feed-forward outputs in float) holds "
        "cosine >= 0.99 to torch on every text measured at about 1.4 x fp32's speed "
        "(benchmarks/results/embedding_agreement.md); fp32 matches torch exactly.",
    )
    model_cache_dir: Path | None = Field(
        None, description="Where the ONNX export is kept (default ~/.cache/briefing-assistant)."
    )
    embedding_batch_size: int | None = Field(
        None, description="Texts per model call; default 16 on ONNX, 64 on torch (measured)."
    )
    chunk_sentences: int = Field(4, ge=1, le=50, description="Sentences per passage.")
    chunk_overlap: int = Field(1, ge=0, le=49, description="Sentences shared by neighbours.")
    max_file_mb: float = Field(20.0, gt=0)
    lock_timeout_s: float = Field(
        120.0, ge=0, description="How long ingest or remove waits for another writer to finish."
    )

    ledger: bool = Field(True, description="Record who says each sentence at ingest.")
    figures_at_ingest: bool | None = Field(
        None,
        description="Read the figures of every evidence text at ingest, so that no question "
        "loads the parser. Default: with the ledger, whose parse makes it nearly free; with "
        "the ledger off they are not read, and a number question parses its evidence.",
    )
    ledger_llm_review: bool = Field(
        False, description="Let the configured LLM re-decide low-confidence ledger sentences."
    )
    parties_file: Path | None = None

    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 60.0
    llm_max_tokens: int = Field(default=400, ge=16, description="longest LLM answer, in tokens")

    fetch_timeout_s: float = Field(
        20.0, gt=0, description="Per-request timeout for feeds and pages."
    )
    fetch_host_delay_s: float = Field(
        1.0, ge=0, description="Pause between two requests to the same host (politeness)."
    )
    fetch_allow_private: bool = Field(
        False,
        description="Let `feeds add` subscribe to loopback, private, link-local and internal "
        "hosts (off: only public hosts, so a shared app cannot be pointed at the local network).",
    )

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


def env_file_path(data_dir: object = None) -> Path:
    """The env file settings read: BRIEFING_CONFIG, else `<data dir>/.env`."""
    explicit = os.environ.get("BRIEFING_CONFIG")
    if explicit:
        return Path(explicit)
    folder = data_dir or os.environ.get("BRIEFING_DATA_DIR") or DEFAULT_DATA_DIR
    return Path(str(folder)) / ".env"


class SettingsError(ConfigError):
    """A setting's value cannot be used; the message is one line per problem."""


def load_settings(**overrides: object) -> Settings:
    """Settings from arguments, environment and `.env`, or a SettingsError whose message
    names each bad variable, its value and what is expected (no pydantic traceback)."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise SettingsError(describe_errors(exc)) from exc


def describe_errors(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors(include_url=False):
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        if not error.get("loc"):
            problems.append(message)  # a check across settings names its variables itself
            continue
        name = str(error["loc"][0])
        variable = f"BRIEFING_{name.upper()}"
        secret = isinstance(Settings.model_fields.get(name), SecretStr) or "key" in name
        value = "(hidden)" if secret else repr(error.get("input"))
        problems.append(f"{variable}={value}: {message[0].lower()}{message[1:]}")
    return "; ".join(problems)
