from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.integration
def test_spacy_loads_without_torch_and_torch_still_imports_after() -> None:
    pytest.importorskip("torch")
    script = (
        "import sys\n"
        "from ingest.sentences import load_nlp\n"
        "nlp = load_nlp(full=True, with_ner=False)\n"
        "doc = nlp('The minister said 40 jobs were lost.')\n"
        "print('torch' in sys.modules, [t.dep_ for t in doc if t.text == '40'])\n"
        "import torch\n"
        "print(torch.tensor([2.0]).sum().item())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.split("\n")[:2] == ["False ['nummod']", "2.0"]


def test_spacy_loads_without_its_commands_and_they_still_import_after() -> None:
    script = (
        "import sys\n"
        "from ingest.sentences import load_nlp\n"
        "nlp = load_nlp(full=True, with_ner=False)\n"
        "doc = nlp('The minister said 40 jobs were lost.')\n"
        "print('spacy.cli' in sys.modules, 'requests' in sys.modules,"
        " [t.dep_ for t in doc if t.text == '40'])\n"
        "import spacy.cli\n"
        "from spacy.cli.info import info\n"
        "print(callable(spacy.cli.download), info.__module__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.split("\n")[:2] == ["False False ['nummod']", "True spacy.cli.info"]
