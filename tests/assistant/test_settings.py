"""Settings (issue 13, items 13 and 17): where the env file comes from, one-line errors,
and no credentials of a base URL in messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import SettingsError, load_settings
from tests.conftest import free_port


def test_a_dotenv_in_the_current_folder_is_ignored_the_data_dirs_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("BRIEFING_LLM_BASE_URL=http://evil.example/v1\n")
    data = tmp_path / "data"
    data.mkdir()
    (data / ".env").write_text("BRIEFING_LLM_MODEL=from-the-data-dir\n")
    monkeypatch.chdir(tmp_path)
    settings = load_settings(data_dir=data)
    assert settings.llm_base_url is None
    assert settings.llm_model == "from-the-data-dir"
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(data))
    assert load_settings().llm_model == "from-the-data-dir"
    config = tmp_path / "team.env"
    config.write_text("BRIEFING_LLM_MODEL=from-the-config\n")
    monkeypatch.setenv("BRIEFING_CONFIG", str(config))
    assert load_settings().llm_model == "from-the-config"


def test_bad_values_are_one_line_naming_variable_value_and_expectation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BRIEFING_CHUNK_SENTENCES", "abc")
    monkeypatch.setenv("BRIEFING_CHROMA_MODE", "cloud")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert "\n" not in message
    assert "BRIEFING_CHUNK_SENTENCES='abc': input should be a valid integer" in message
    assert "BRIEFING_CHROMA_MODE='cloud': input should be 'embedded' or 'http'" in message
    monkeypatch.delenv("BRIEFING_CHROMA_MODE")
    monkeypatch.setenv("BRIEFING_CHUNK_SENTENCES", "2")
    monkeypatch.setenv("BRIEFING_CHUNK_OVERLAP", "3")
    with pytest.raises(SettingsError, match="BRIEFING_CHUNK_OVERLAP \\(3\\) must be smaller"):
        load_settings()


def test_a_base_urls_credentials_never_reach_a_message() -> None:
    from assistant.llm.chat import ChatError, Message, OpenAIChatModel, redact_url

    assert redact_url("https://bob:s3cret@llm.example:8443/v1?key=abc#f") == (
        "https://llm.example:8443/v1"
    )
    url = f"http://bob:s3cret@127.0.0.1:{free_port()}/v1?key=abc"  # nothing listens there
    chat = OpenAIChatModel(url, "m", None, timeout_s=5)
    with pytest.raises(ChatError) as caught:
        chat.complete([Message("user", "hi")])
    assert "s3cret" not in str(caught.value) and "key=abc" not in str(caught.value)
    assert "127.0.0.1" in str(caught.value)
