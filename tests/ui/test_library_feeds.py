"""The Library page's feed section through Streamlit's AppTest, polling a loopback server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.api import Assistant
from assistant.settings import Settings
from tests.assistant.test_feeds import item
from tests.feed_server import FeedServer, Route, rss
from tests.ui.conftest import WEB


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


def test_add_fetch_now_status_and_remove(
    data_dir: Path, server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_FETCH_HOST_DELAY_S", "0")
    monkeypatch.setenv("BRIEFING_FETCH_ALLOW_PRIVATE", "true")  # the test server is on loopback
    base = server.url("")
    server.route("/f.xml", Route(rss("Wire", [item(1, base), item(2, base)])))
    server.route("/down.xml", Route("", status=500))
    at = AppTest.from_file(str(WEB), default_timeout=120).run()
    at.switch_page("views/library.py").run()
    assert not at.exception
    for url in (server.url("/f.xml"), server.url("/down.xml")):
        at.text_input[0].set_value(url)
        next(b for b in at.button if b.label == "Add feed").click().run()
        assert not at.exception
    assert [f.url for f in Assistant(Settings()).feeds()] == [
        server.url("/f.xml"),
        server.url("/down.xml"),
    ]
    next(b for b in at.button if b.label == "Fetch now").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("2 added")
    assert any("HTTP 500" in e.value for e in at.error)
    table = next(d.value for d in at.dataframe if "last poll" in d.value.columns)
    assert list(table["last poll"]) == ["ok", "failed"] and list(table["new"]) == [2, 0]
    at.selectbox(key="remove_feed").set_value(server.url("/down.xml")).run()
    next(b for b in at.button if b.label == "Remove feed").click().run()
    assert not at.exception
    assert [f.url for f in Assistant(Settings()).feeds()] == [server.url("/f.xml")]
