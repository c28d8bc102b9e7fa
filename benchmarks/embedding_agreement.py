"""ONNX vs torch on the retrieval eval's texts: cosine per text, and raw encode speed.

Embeds every question of `benchmarks/data/retrieval_questions.jsonl` and every paragraph of the
demo corpus (the texts the retrieval eval ranks, at paragraph rather than passage grain, so no
spaCy parse is needed) with sentence-transformers on torch and with `OnnxMiniLMEmbedder`, in one
process, and prints the lowest and mean cosine between the two vectors of each text.

    .venv/bin/python -m benchmarks.embedding_agreement
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def texts() -> list[str]:
    questions = [
        json.loads(line)["question"]
        for line in (ROOT / "benchmarks/data/retrieval_questions.jsonl").read_text().splitlines()
        if line.strip()
    ]
    paragraphs: list[str] = []
    for path in sorted((ROOT / "assistant/demo_corpus").iterdir()):
        body = path.read_text("utf-8")
        body = re.sub(r"\A---\n.*?\n---\n", "", body, flags=re.S)
        paragraphs += [p.strip() for p in re.split(r"\n\s*\n", body) if len(p.strip()) > 20]
    return questions + paragraphs


def main() -> int:
    import numpy as np

    from ingest.embedding import MiniLMEmbedder, OnnxMiniLMEmbedder

    items = texts()
    load = os.getloadavg()
    torch_model = MiniLMEmbedder()
    with tempfile.TemporaryDirectory() as cache:
        onnx_model = OnnxMiniLMEmbedder(Path(cache))
        t0 = time.perf_counter()
        a = np.asarray(torch_model.embed(items))
        t_torch = time.perf_counter() - t0
        t0 = time.perf_counter()
        b = onnx_model.embed_array(items)
        t_onnx = time.perf_counter() - t0
    cos = (a * b).sum(axis=1)
    print(
        f"{len(items)} texts (questions + demo paragraphs): cosine torch vs ONNX min "
        f"{cos.min():.6f}, mean {cos.mean():.6f}; torch {len(items) / t_torch:.1f}/s, ONNX "
        f"{len(items) / t_onnx:.1f}/s ({t_torch / t_onnx:.2f} x); load average "
        f"{load[0]:.1f}/{os.getloadavg()[0]:.1f} (start/end)"
    )
    return 0 if cos.min() >= 0.99 else 1


if __name__ == "__main__":
    sys.exit(main())
