"""The chat model service: a small protocol and the OpenAI-compatible implementation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from ingest.errors import ModelError


class ChatError(ModelError):
    """The chat model could not be reached or failed to answer."""


Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True, slots=True)
class Message:
    role: Role
    content: str


@runtime_checkable
class ChatModel(Protocol):
    """Anything that completes a conversation, whole or streamed."""

    name: str

    def complete(self, messages: Sequence[Message]) -> str: ...

    def stream(self, messages: Sequence[Message]) -> Iterator[str]: ...


class OpenAIChatModel:
    """Any OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp) via langchain-openai."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None,
        timeout_s: float = 60.0,
        max_tokens: int = 400,
    ) -> None:
        from langchain_openai import ChatOpenAI

        self.name = model
        self.base_url = base_url
        self.shown_url = redact_url(base_url)  # for messages and logs: no credentials
        # langchain-openai sends the limit as `max_completion_tokens`, which llama.cpp's server
        # (and other OpenAI-compatible servers) ignore: they then generate to the end of the
        # context. Servers other than OpenAI's also get the classic `max_tokens`.
        extra = None if "api.openai.com" in base_url else {"max_tokens": max_tokens}
        self._llm = ChatOpenAI(
            base_url=base_url,
            model=model,
            api_key=api_key or "not-needed",
            timeout=timeout_s,
            max_retries=0,
            temperature=0,
            max_tokens=max_tokens,
            extra_body=extra,
        )

    def _error(self, exc: Exception) -> ChatError:
        detail = str(exc).replace(self.base_url, self.shown_url)
        return ChatError(f"chat model {self.name!r} at {self.shown_url} failed: {detail}")

    def _convert(self, messages: Sequence[Message]) -> list[tuple[str, str]]:
        return [(m.role, m.content) for m in messages]

    def complete(self, messages: Sequence[Message]) -> str:
        try:
            return str(self._llm.invoke(self._convert(messages)).content)
        except Exception as exc:
            raise self._error(exc) from exc

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        try:
            for chunk in self._llm.stream(self._convert(messages)):
                if chunk.content:
                    yield str(chunk.content)
        except Exception as exc:
            raise self._error(exc) from exc


class ScriptedChatModel:
    """Replies from a queue; for unit tests of control flow only."""

    def __init__(self, replies: Sequence[str | Exception]) -> None:
        self.name = "scripted"
        self.replies = list(replies)
        self.seen: list[list[Message]] = []

    def complete(self, messages: Sequence[Message]) -> str:
        self.seen.append(list(messages))
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        text = self.complete(messages)
        for i in range(0, len(text), 8):
            yield text[i : i + 8]


def redact_url(url: str) -> str:
    """`url` fit to show: user and password, query and fragment (where keys hide) dropped."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return "(unparseable URL)"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
