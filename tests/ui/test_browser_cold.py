"""The first answer after a fresh `briefing serve`, timed in a real browser (issue 14).

A cold server: a new `briefing serve` process on a store built beforehand (the demo corpus,
default settings: ONNX MiniLM, ledger on). The page is opened as soon as the server accepts
connections, the first question (a number question: it needs the parser too) typed as soon as
the chat box shows; the goal is on the time from Enter to the answer's first words on screen.
Also printed: the time from the open port, and the server's CPU seconds for each span.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api import Assistant, demo_corpus_path
from assistant.settings import Settings
from tests.conftest import free_port, stop, wait_for_port
from tests.ui.test_browser import CHROMIUM, CHROMIUM_ARGS, IDLE, TIMEOUT_MS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GOAL_S = 5.0  # issue 14: first answer on screen after a fresh `briefing serve`
# The `briefing` console script of this environment (ui.cli has no `python -m` entry).
BRIEFING = [sys.executable, str(Path(sys.executable).with_name("briefing"))]
QUESTION = "How many soldiers has the army admitted losing in the Vesh Valley fighting?"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install -y chromium)")
    data_dir = tmp_path_factory.mktemp("cold") / "data"
    report = Assistant(Settings(data_dir=data_dir)).ingest([demo_corpus_path()])
    assert report.failed == [] and report.added == 20
    return data_dir


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def cold_server(store: Path, tmp_path: Path) -> Iterator[tuple[str, float, int]]:
    """A fresh `briefing serve`: its URL, the seconds it took to accept connections, its pid."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    log = (tmp_path / "serve.log").open("wb")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*BRIEFING, "serve", "--port", str(port), "--data-dir", str(store)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, 60, proc)
        yield f"http://127.0.0.1:{port}", time.perf_counter() - started, proc.pid
    finally:
        stop(proc)
        log.close()


def test_first_answer_after_a_fresh_serve_is_on_screen_within_goal(browser, cold_server) -> None:  # type: ignore[no-untyped-def]
    import psutil

    url, to_port_s, pid = cold_server

    def server_cpu_s() -> float:
        """CPU seconds (user + sys) of `briefing serve` and the Streamlit process it runs."""
        root = psutil.Process(pid)
        total = 0.0
        for proc in [root, *root.children(recursive=True)]:
            times = proc.cpu_times()
            total += times.user + times.system
        return total

    cpu_at_port = server_cpu_s()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        started = time.perf_counter()
        page.goto(url)
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for()
        box_s = time.perf_counter() - started
        box.fill(QUESTION)
        box.press("Enter")
        pressed_s = time.perf_counter() - started
        cpu_at_press = server_cpu_s()
        page.wait_for_function(
            """() => {
                const m = document.querySelectorAll('[data-testid=stChatMessage]');
                if (m.length < 2) return false;
                const md = m[1].querySelector('[data-testid=stMarkdown], [data-testid=stAlert]');
                return md !== null && md.innerText.trim().length > 0;
            }""",
            polling="raf",
        )
        answer_s = time.perf_counter() - started
        cpu_s = server_cpu_s() - cpu_at_port
        cpu_question_s = server_cpu_s() - cpu_at_press
        page.locator(IDLE).wait_for()
        text = page.get_by_test_id("stChatMessage").nth(1).inner_text()
    finally:
        context.close()
    load = os.getloadavg()
    first_answer_s = answer_s - pressed_s
    print(
        f"\ncold serve: port open {to_port_s:.1f} s after launch ({cpu_at_port:.1f} CPU s); "
        f"page opened at once: chat box {box_s:.1f} s later, question sent at {pressed_s:.1f} s, "
        f"first answer text {first_answer_s:.1f} s after Enter (goal <= {GOAL_S:.0f} s; server "
        f"{cpu_question_s:.1f} CPU s), {answer_s:.1f} s after the port opened (server "
        f"{cpu_s:.1f} CPU s, the rest the browser and other load); load average "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} on {os.cpu_count()} cores"
    )
    assert "[1]" in text  # a cited answer, not a refusal
    # The goal holds on a machine that is not oversubscribed; a busy one stretches it by its
    # load per core (the measured numbers are printed above either way).
    stretch = max(1.0, load[0] / (os.cpu_count() or 1))
    assert first_answer_s <= GOAL_S * stretch, (first_answer_s, load)
