"""Chroma server mode with token auth (issue 13, item 15), against a real `chroma run`.

`chroma run` (Chroma 1.x) has no auth of its own; a team puts it behind a proxy that checks
Chroma's token header, as the README shows. This proxy does exactly that on loopback.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingest.errors import StoreUnavailable
from ingest.store import ChromaStore
from tests.conftest import free_port

TOKEN = "s3cret-team-token"
pytestmark = pytest.mark.integration


def _handler(upstream: tuple[str, int]) -> type[BaseHTTPRequestHandler]:
    class TokenProxy(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            return

        def _forward(self) -> None:
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                body = json.dumps({"error": "AuthorizationError", "message": "Forbidden"})
                self.send_response(403)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body.encode())
                return
            length = int(self.headers.get("Content-Length") or 0)
            payload = self.rfile.read(length) if length else None
            conn = http.client.HTTPConnection(*upstream, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            conn.request(self.command, self.path, body=payload, headers=headers)
            reply = conn.getresponse()
            data = reply.read()
            self.send_response(reply.status)
            for key, value in reply.getheaders():
                if key.lower() not in ("transfer-encoding", "content-length", "connection"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            conn.close()

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

    return TokenProxy


@pytest.fixture(scope="module")
def guarded(chroma_server: tuple[str, int]) -> Iterator[int]:
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(chroma_server))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield port
    server.shutdown()
    server.server_close()


def test_the_right_token_reaches_the_store(guarded: int) -> None:
    store = ChromaStore.server("127.0.0.1", guarded, "auth-ok", token=TOKEN)
    store.add(["p1"], [[1.0, 0.0]], [{"doc_id": "A"}])
    assert store.count() == 1
    assert [hit.passage_id for hit in store.search([1.0, 0.0], 1)] == ["p1"]


def test_a_wrong_or_missing_token_is_a_clear_error(guarded: int) -> None:
    with pytest.raises(StoreUnavailable, match="refused the token in BRIEFING_CHROMA_TOKEN"):
        ChromaStore.server("127.0.0.1", guarded, "auth-bad", token="not-the-token")
    with pytest.raises(StoreUnavailable, match="asks for a token: set BRIEFING_CHROMA_TOKEN"):
        ChromaStore.server("127.0.0.1", guarded, "auth-none")


def test_https_is_asked_for_when_set(chroma_server: tuple[str, int]) -> None:
    host, port = chroma_server  # plain http: an https client cannot talk to it
    with pytest.raises(StoreUnavailable, match=r"\(https\) is unreachable"):
        ChromaStore.server(host, port, "tls", ssl=True)
