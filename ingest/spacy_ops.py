"""thinc's numpy backend with its matrix products on ONNX Runtime's MLAS kernels.

Most of the claims ledger's parse is float32 matrix products in spaCy's CNN encoders (the
shared tok2vec and the NER's own): a few thousand tokens x 288 by 288 x 288 per batch. numpy's
OpenBLAS runs them with the kernels its build or the environment chooses (`OPENBLAS_CORETYPE`
may pin older ones on purpose); ONNX Runtime, already loaded for the sentence encoder, picks
its own from the CPU at run time. On the 2-core AMD EPYC measured: 3.1 ms against OpenBLAS's
6.2 ms for one such product; the pipeline's CPU over 2,067 paragraphs 7.6 -> 6.6 s, with
every tag, head, label, entity and sentence start the same.

Only the forward products of large float32 matrices go to ONNX Runtime (one single-threaded
session per transpose pattern, run with the GIL released); anything else is numpy's, as before.
Each maxout + layer-norm block of the encoders predicts as one ONNX Runtime graph as well.

The graphs hold no weights (they are inputs) and ship as files in `onnx_graphs/`, written by
`python -m ingest.spacy_ops` with the `onnx` package; at run time they are only read, since
importing `onnx` alone costs ~0.8 s. A test checks that the files are what the builders make.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thinc.api import NumpyOps

if TYPE_CHECKING:
    import numpy as np

# Below this many elements in the left operand numpy's own call is as fast (ONNX Runtime's
# per-call overhead is a few microseconds).
MIN_ELEMENTS = 4096


GRAPHS = "onnx_graphs"  # weight-free graphs shipped in this package (see `write_graphs`)
OPSET = 17


def _gemm_graph(trans1: bool, trans2: bool) -> Any:
    """Y = op(A) @ op(B): the ONNX graph of one transpose pattern (built with `onnx`)."""
    from onnx import TensorProto, helper

    node = helper.make_node("Gemm", ["A", "B"], ["Y"], transA=int(trans1), transB=int(trans2))
    graph = helper.make_graph(
        [node],
        "gemm",
        [
            helper.make_tensor_value_info("A", TensorProto.FLOAT, ["a0", "a1"]),
            helper.make_tensor_value_info("B", TensorProto.FLOAT, ["b0", "b1"]),
        ],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["y0", "y1"])],
    )
    return _model(graph)


def _maxout_layernorm_graph() -> Any:
    """thinc's Maxout then its LayerNorm, the weights as inputs: (X @ W.T + b) reshaped to
    (N, nO, nP), the max over the pieces, then (x - mean) / sqrt(var + 1e-8) * G + B."""
    from onnx import TensorProto, helper

    nodes = [
        helper.make_node("Gemm", ["X", "W", "b"], ["Y"], transB=1),
        helper.make_node("Reshape", ["Y", "shape"], ["Z"]),
        helper.make_node("ReduceMax", ["Z"], ["M"], axes=[2], keepdims=0),
        helper.make_node("LayerNormalization", ["M", "G", "B"], ["out"], axis=-1, epsilon=1e-8),
    ]
    floats = {"X": ["n", "i"], "W": ["op", "i"], "b": ["op"], "G": ["o"], "B": ["o"]}
    inputs = [helper.make_tensor_value_info(k, TensorProto.FLOAT, v) for k, v in floats.items()]
    inputs.append(helper.make_tensor_value_info("shape", TensorProto.INT64, [3]))
    graph = helper.make_graph(
        nodes,
        "maxout_layernorm",
        inputs,
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["n", "o"])],
    )
    return _model(graph)


def _model(graph: Any) -> Any:
    from onnx import helper

    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8  # readable by every ONNX Runtime release the lock allows
    model.producer_name = "briefing-assistant"
    model.producer_version = ""
    return model


def graph_builders() -> dict[str, Any]:
    """File name -> builder of every graph shipped in `onnx_graphs/`."""
    builders: dict[str, Any] = {
        f"gemm_{int(t1)}{int(t2)}.onnx": (lambda a=t1, b=t2: _gemm_graph(a, b))
        for t1 in (False, True)
        for t2 in (False, True)
    }
    builders["maxout_layernorm.onnx"] = _maxout_layernorm_graph
    return builders


def write_graphs(folder: Path | None = None) -> list[Path]:
    """Write the shipped graphs (needs the `onnx` package; run `python -m ingest.spacy_ops`).
    At run time they are only read: importing `onnx` costs ~0.8 s, mostly ml_dtypes."""
    folder = folder or Path(__file__).resolve().parent / GRAPHS
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in graph_builders().items():
        path = folder / name
        path.write_bytes(build().SerializeToString())
        written.append(path)
    return written


@lru_cache(maxsize=8)
def _graph_bytes(name: str) -> bytes:
    return (resources.files("ingest") / GRAPHS / name).read_bytes()


def _session(name: str) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # the parse has one core; the encode the other
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(_graph_bytes(name), options, providers=["CPUExecutionProvider"])


class MlasOps(NumpyOps):  # type: ignore[misc]
    """NumpyOps (no blis) whose `gemm` runs large float32 products on ONNX Runtime (thinc
    ships no type stubs for its Cython ops, hence the ignore above)."""

    name = "numpy"  # thinc looks ops up by name when it copies a model: it is numpy's kind

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("use_blis", False)
        super().__init__(**kwargs)
        self._sessions: dict[tuple[bool, bool], Any] = {}
        self._lock = threading.Lock()

    def _session(self, trans1: bool, trans2: bool) -> Any:
        key = (trans1, trans2)
        session = self._sessions.get(key)
        if session is None:
            with self._lock:
                session = self._sessions.get(key)
                if session is None:
                    session = _session(f"gemm_{int(trans1)}{int(trans2)}.onnx")
                    self._sessions[key] = session
        return session

    def gemm(
        self,
        x: np.ndarray,
        y: np.ndarray,
        *,
        out: np.ndarray | None = None,
        trans1: bool = False,
        trans2: bool = False,
    ) -> np.ndarray:
        import numpy as np

        if (
            x.dtype != np.float32
            or y.dtype != np.float32
            or x.ndim != 2
            or y.ndim != 2
            or x.size < MIN_ELEMENTS
        ):
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)  # type: ignore[no-any-return]
        inputs = {"A": np.ascontiguousarray(x), "B": np.ascontiguousarray(y)}
        result: np.ndarray = self._session(trans1, trans2).run(None, inputs)[0]
        if out is None:
            return result
        out[...] = result
        return out


def fuse_maxout_layernorm(model: Any) -> int:
    """Give every "maxout>>layernorm" block of a thinc model a prediction forward that runs
    the whole block as one ONNX Runtime graph (thinc's maxout and its layer norm are separate
    numpy passes over the activations, a fifth of the parse's CPU). Training, and any block
    whose parameters are not set, keep thinc's own forward. Returns the blocks fused."""
    import numpy as np

    fused = 0
    session = None
    for node in model.walk():
        if node.name != "maxout>>layernorm" or len(node.layers) != 2:
            continue
        maxout, norm = node.layers
        if not all(
            layer.has_param(name) and layer.get_param(name) is not None
            for layer, names in ((maxout, ("W", "b")), (norm, ("G", "b")))
            for name in names
        ):
            continue
        W, b = maxout.get_param("W"), maxout.get_param("b")
        G, B = norm.get_param("G"), norm.get_param("b")
        if W.dtype != np.float32 or W.ndim != 3:
            continue
        n_out, pieces, n_in = W.shape
        weights = {
            "W": np.ascontiguousarray(W.reshape(n_out * pieces, n_in)),
            "b": np.ascontiguousarray(b.reshape(n_out * pieces)),
            "G": np.ascontiguousarray(G),
            "B": np.ascontiguousarray(B),
            "shape": np.array([-1, n_out, pieces], dtype=np.int64),
        }
        session = session or _session("maxout_layernorm.onnx")
        node._func = _fused_forward(node._func, session, weights)
        fused += 1
    return fused


def _fused_forward(original: Any, session: Any, weights: dict[str, np.ndarray]) -> Any:
    def forward(model: Any, X: np.ndarray, is_train: bool) -> tuple[np.ndarray, Any]:
        import numpy as np

        if is_train or X.dtype != np.float32 or X.ndim != 2 or len(X) == 0:
            return original(model, X, is_train)  # type: ignore[no-any-return]
        (Y,) = session.run(None, {"X": np.ascontiguousarray(X), **weights})

        def backprop(dY: np.ndarray) -> np.ndarray:
            raise NotImplementedError("the fused maxout>>layernorm block only predicts")

        return Y, backprop

    return forward


if __name__ == "__main__":
    import sys

    sys.stdout.write("".join(f"{path}\n" for path in write_graphs()))
