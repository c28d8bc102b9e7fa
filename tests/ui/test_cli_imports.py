"""Commands load only what they use: no model, spaCy or Chroma for help, listing or parties."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "sentence_transformers", "onnxruntime", "spacy", "chromadb", "langchain_core")
PROBE = """
import json, sys
sys.argv = ["briefing", *json.loads(sys.argv[1])]
from ui.cli import app
try:
    app()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = [m for m in {heavy!r} if m in sys.modules]
sys.stderr.write("\\nLOADED " + json.dumps({{"code": code, "heavy": heavy}}) + "\\n")
"""


def _loaded(args: list[str], tmp_path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), json.dumps(args)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=120,
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("LOADED ")][-1]
    return json.loads(line.removeprefix("LOADED "))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "args",
    [["--help"], ["sources", "--json"], ["parties", "--json"], ["ask", "--help"]],
    ids=["help", "sources", "parties", "ask-help"],
)
def test_command_loads_no_model_parser_or_chroma(args: list[str], tmp_path: Path) -> None:
    result = _loaded(
        [*args, *(["--data-dir", str(tmp_path / "d")] if "--help" not in args else [])], tmp_path
    )
    assert result == {"code": 0, "heavy": []}


def test_a_number_question_on_a_stored_corpus_loads_no_parser(tmp_path: Path) -> None:
    """The figures of the evidence were read at ingest: `ask` reads them, it loads no spaCy."""
    from assistant.api import Assistant
    from assistant.settings import Settings

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text(
        '---\ntitle: "Harbour strike enters day two"\noutlet: Test Wire\npublished: 2026-03-11\n'
        "url: https://test.example/a.md\n---\n\n"
        "Dock workers stayed off the job for a second day. The union said 900 members joined."
        "\n\nThe port company said only 300 workers were absent. It called the strike a failure."
        "\n\nTalks are set for Friday. Ships waited outside the harbour."
        " Seven ships were delayed.\n"
    )
    data = tmp_path / "d"
    bot = Assistant(Settings(data_dir=data, embedding_model="hash", chunk_sentences=2))
    assert bot.ingest([src]).chunks > 0
    bot.db.close()
    args = ["ask", "How many ships were delayed?", "--data-dir", str(data), "--json"]
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), json.dumps(args)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "BRIEFING_EMBEDDING_MODEL": "hash",
            "HF_HUB_OFFLINE": "1",
        },
        timeout=120,
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("LOADED ")][-1]
    result = json.loads(line.removeprefix("LOADED "))
    assert result["code"] == 0
    assert "spacy" not in result["heavy"]
    answer = json.loads(done.stdout[: done.stdout.rindex("}") + 1])
    assert "Seven ships were delayed" in answer["answer"]
