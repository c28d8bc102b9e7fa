"""ONNX vs torch on the retrieval eval's texts: cosine per text, and raw encode speed.

Embeds every question of `benchmarks/data/retrieval_questions.jsonl` and every paragraph of the
demo corpus (the texts the retrieval eval ranks, at paragraph rather than passage grain, so no
spaCy parse is needed) with sentence-transformers on torch and with `OnnxMiniLMEmbedder`, in one
process, and prints the lowest and mean cosine between the two vectors of each text, for each ONNX
quantization (fp32 and the int8 default).

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
    """One row per ONNX quantization; fails when the default one's lowest cosine is < 0.99."""
    import numpy as np

    from assistant.settings import Settings
    from ingest.embedding import MiniLMEmbedder, OnnxMiniLMEmbedder

    items = texts()
    default = Settings().embedding_quantization
    load = os.getloadavg()
    torch_model = MiniLMEmbedder()
    torch_model.embed(items[:8])  # warm-up, as for each ONNX session below
    t0 = time.perf_counter()
    a = np.asarray(torch_model.embed(items))
    t_torch = time.perf_counter() - t0
    print(
        f"{len(items)} texts (questions + demo paragraphs); torch {len(items) / t_torch:.1f}/s\n\n"
        "| ONNX | lowest cosine to torch | mean cosine | texts/s | x torch |\n"
        "|---|---:|---:|---:|---:|"
    )
    lowest: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cache:
        for quantization in ("fp32", "int8"):
            onnx_model = OnnxMiniLMEmbedder(Path(cache), quantization=quantization)
            onnx_model.embed_array(items[:8])
            t0 = time.perf_counter()
            b = onnx_model.embed_array(items)
            t_onnx = time.perf_counter() - t0
            cos = (a * b).sum(axis=1)
            lowest[quantization] = float(cos.min())
            mark = " (default)" if quantization == default else ""
            print(
                f"| {onnx_model.identity}{mark} | {cos.min():.6f} | {cos.mean():.6f} | "
                f"{len(items) / t_onnx:.1f} | {t_torch / t_onnx:.2f} |"
            )
    print(f"\nLoad average {load[0]:.1f}/{os.getloadavg()[0]:.1f} (start/end).")
    return 0 if lowest[default] >= 0.99 else 1


if __name__ == "__main__":
    sys.exit(main())
