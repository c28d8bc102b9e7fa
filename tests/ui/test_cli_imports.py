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
