"""Chat model wiring: settings reach the OpenAI-compatible client."""

from __future__ import annotations

from pathlib import Path

from assistant.llm.chat import OpenAIChatModel
from assistant.settings import Settings
from assistant.wiring import make_chat_model


def test_settings_build_an_openai_compatible_model(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        llm_base_url="http://127.0.0.1:9/v1",
        llm_model="local",
        llm_max_tokens=123,
        llm_timeout_s=7,
    )
    model = make_chat_model(settings)
    assert isinstance(model, OpenAIChatModel)
    assert model.name == "local"
    assert model._llm.max_tokens == 123
    # llama.cpp and friends read `max_tokens`, not langchain's `max_completion_tokens`
    assert model._llm.extra_body == {"max_tokens": 123}
    assert make_chat_model(Settings(data_dir=tmp_path)) is None


def test_openai_itself_gets_only_the_current_parameter() -> None:
    model = OpenAIChatModel("https://api.openai.com/v1", "gpt-4o-mini", "sk-test", max_tokens=50)
    assert model._llm.max_tokens == 50
    assert model._llm.extra_body is None
