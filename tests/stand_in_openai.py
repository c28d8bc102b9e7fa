"""A stand-in OpenAI-compatible server for tests: real HTTP on loopback, in a thread, serving
`/v1/chat/completions` with server-sent events, scripted to say whatever a test needs."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.feed_server import QuietHTTPServer

Reply = Callable[[dict[str, Any]], str]


def _chunk(model: str, delta: dict[str, str], finish: str | None = None) -> bytes:
    body = {
        "id": "stand-in",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


class StandInServer:
    """`with StandInServer(reply) as url:` -> 'http://127.0.0.1:PORT/v1'.

    `reply(request_json)` gives the text; it streams word by word, pausing `pause_s` after
    each line (so a test can see the first sentence arrive long before the last).
    """

    def __init__(self, reply: Reply, pause_s: float = 0.0) -> None:
        self.reply, self.pause_s = reply, pause_s
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(body)
                if self.path != "/v1/chat/completions" or not body.get("stream"):
                    self.send_error(400, "this stand-in only streams chat completions")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for word in re.findall(r"\S+\s*", outer.reply(body)):
                    self.wfile.write(_chunk(body["model"], {"content": word}))
                    self.wfile.flush()
                    if "\n" in word and outer.pause_s:
                        time.sleep(outer.pause_s)
                self.wfile.write(_chunk(body["model"], {}, "stop") + b"data: [DONE]\n\n")
                self.wfile.flush()

            def log_message(self, *args: object) -> None:
                pass

        self.server = QuietHTTPServer(("127.0.0.1", 0), Handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def first_source_sentence(request: dict[str, Any]) -> str:
    """The first sentence of source [1] in the prompt the assistant sent."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    return re.search(r"says: <<<(.*?)>>>", user).group(1)  # type: ignore[union-attr]
