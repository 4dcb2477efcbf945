"""The encoder on onnxruntime: the same sentence-transformers model, exported here, without torch.

One short query encodes in a few milliseconds instead of about 14 in torch, and a process that only
answers queries (the server, ``qa search``) never imports torch. The model is exported locally the
first time (``python -m models.onnx_embedder`` does it at install) into a cache directory keyed by
the model's files, so a changed model is exported afresh; nothing is downloaded. A build on a CPU
encodes its passages with it too (``passage_embedder``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from models.catalog import DEFAULT_MODEL, DEFAULT_MODEL_NAME, PRODUCT_MODEL, resolve_model_path
from models.embedder import LoadedModel, create_embedder, l2_normalise, length_order
from models.errors import ModelUnavailable

logger = logging.getLogger(__name__)
ONNX_FILE, META_FILE = "model.onnx", "meta.json"


def cache_root() -> Path:
    """Where exports live: $QA_ONNX_CACHE, else $XDG_CACHE_HOME/council-qa/onnx (~/.cache by default)."""
    if os.environ.get("QA_ONNX_CACHE"):
        return Path(os.environ["QA_ONNX_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "council-qa" / "onnx"


def model_fingerprint(path: Path) -> str:
    """Identifies a model directory's contents cheaply: every file's name, size and modification time."""
    digest = hashlib.sha256(str(path.resolve()).encode())
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        stat = file.stat()
        digest.update(f"{file.relative_to(path)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def export_dir(model: str = DEFAULT_MODEL, root: Path | None = None) -> Path:
    path = Path(resolve_model_path(model))
    return (root or cache_root()) / f"{path.name}-{model_fingerprint(path)}"


def export(model: str = DEFAULT_MODEL, root: Path | None = None) -> Path:
    """Export the model (transformer, pooling and normalisation in one graph) unless already done."""
    target = export_dir(model, root)
    if (target / ONNX_FILE).is_file() and (target / META_FILE).is_file():
        return target
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ModelUnavailable("exporting the query encoder needs torch and sentence-transformers") from error
    source = Path(resolve_model_path(model))
    st = SentenceTransformer(str(source), device="cpu", local_files_only=True)
    pooling = _pooling_mode(source)
    transformer = st[0].auto_model.eval()
    inputs = ["input_ids", "attention_mask"] + (["token_type_ids"] if "token_type_ids" in st.tokenizer.model_input_names else [])

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, *tensors):  # noqa: ANN002 - the model's own inputs, in ``inputs`` order
            hidden = self.transformer(**dict(zip(inputs, tensors))).last_hidden_state
            if pooling == "cls":
                pooled = hidden[:, 0]
            else:
                mask = tensors[1].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    sample = st.tokenizer(["an example query"], return_tensors="pt")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".export-"))
    try:
        with torch.inference_mode():
            torch.onnx.export(Pooled(), tuple(sample[name] for name in inputs), str(work / ONNX_FILE),
                              input_names=inputs, output_names=["embedding"], opset_version=17, dynamo=False,
                              dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in inputs}, "embedding": {0: "batch"}})
        shutil.copy(source / "tokenizer.json", work / "tokenizer.json")
        meta = {"name": DEFAULT_MODEL_NAME if model == DEFAULT_MODEL else model, "dim": st.get_embedding_dimension(),
                "max_tokens": st.max_seq_length, "inputs": inputs, "source": str(source)}
        (work / META_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        try:
            work.rename(target)
        except OSError:  # another process exported it first
            shutil.rmtree(work, ignore_errors=True)
    except Exception:
        shutil.rmtree(work, ignore_errors=True)
        raise
    logger.info("Exported %s to %s", model, target)
    return target


def _pooling_mode(source: Path) -> str:
    config = next(iter(sorted(source.glob("*Pooling/config.json"))), None)
    if config is None:
        return "mean"
    raw = json.loads(config.read_text(encoding="utf-8"))
    if raw.get("pooling_mode_mean_tokens"):
        return "mean"
    if raw.get("pooling_mode_cls_token"):
        return "cls"
    raise ModelUnavailable(f"the model at {source} pools in a way the ONNX export does not copy: {raw}")


class OnnxEmbedder(LoadedModel):
    """Encodes with onnxruntime from an export of the model (made on first use if missing).

    Args:
        batch_size: Queries (and passages, unless ``passage_batch_size`` says otherwise) per run.
        spin: Let idle intra-op threads spin (lowest latency for a server) or sleep (a build, where spaCy
            works beside the encoder).
        passage_batch_size: Passages per run; 1 encodes each at its own length, no padding.

    Raises:
        ModelUnavailable: onnxruntime or tokenizers is missing, or the model cannot be exported.
    """

    def __init__(self, model: str = DEFAULT_MODEL, threads: int | None = None, root: Path | None = None,
                 batch_size: int = 32, spin: bool = True, passage_batch_size: int | None = None) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ModelUnavailable("the ONNX query encoder needs onnxruntime and tokenizers") from error
        directory = export(model, root)
        meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        self._name, self._dim, self._max_tokens = meta["name"], int(meta["dim"]), int(meta["max_tokens"])
        self._inputs = list(meta["inputs"])
        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=self._max_tokens)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        if not spin:  # idle threads sleep, leaving the cores to work beside the encoder (a build's spaCy)
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(str(directory / ONNX_FILE), options,
                                                     providers=["CPUExecutionProvider"])
        self._batch_size = batch_size
        self._passage_batch_size = passage_batch_size or batch_size
        self.precision = "fp32"

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._batch_size)

    def encode_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(texts, self._passage_batch_size)

    def _encode(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        vectors = np.zeros((len(texts), self._dim), dtype=np.float32)
        order = length_order(texts)  # similar lengths together: less padding per batch
        for start in range(0, len(order), batch_size):
            chosen = order[start:start + batch_size]
            encodings = self._tokenizer.encode_batch([texts[i] for i in chosen])
            feed = {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                    "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64)}
            vectors[chosen] = self._session.run(None, {name: feed[name] for name in self._inputs})[0]
        return l2_normalise(vectors)


def query_embedder(backend: str, model: str = DEFAULT_MODEL, **torch_options: object) -> object:
    """The embedder a query-answering process should use: ONNX when asked and possible, else torch
    (``torch_options`` go to the sentence-transformers embedder)."""
    if backend == "onnx":
        try:
            return OnnxEmbedder(model)
        except (ModelUnavailable, OSError, RuntimeError) as error:
            logger.warning("ONNX query encoder unavailable (%s); encoding queries with torch", error)
    return create_embedder("sentence-transformers", model=model, **torch_options)


def native_bf16_cpu() -> bool:
    """Whether this CPU says it has bfloat16 arithmetic (AMX or AVX512-BF16), read from /proc/cpuinfo
    without importing torch; False where there is no such file."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r"\b(?:amx_bf16|avx512_bf16)\b", text) is not None


def passage_embedder(backend: str, model: str = DEFAULT_MODEL, precision: str = "bf16", device: str = "cpu") -> object:
    """The embedder a build encodes passages with.

    On a CPU without native bfloat16, onnxruntime one passage at a time (short texts such as metric names
    still go in batches): on this project's 2-core AVX2 machine 2,183 passages took 65 s against 91-101 s
    for torch in length-sorted batches of 64 (no padding, smaller working sets), with the same vectors
    (cosine >= 0.9999999). A GPU, or a CPU with AMX or
    AVX512-BF16 asked for bf16, keeps sentence-transformers in torch, as does ``backend="torch"`` and a
    model the export cannot take.
    """
    if backend == "onnx" and device == "cpu" and not (precision == "bf16" and native_bf16_cpu()):
        try:
            return OnnxEmbedder(model, spin=False, passage_batch_size=1)
        except (ModelUnavailable, OSError, RuntimeError) as error:
            logger.warning("ONNX passage encoder unavailable (%s); encoding passages with torch", error)
    placement = {} if device == "cpu" else {"device": device}
    return create_embedder("sentence-transformers", model=model, precision=precision, **placement)


if __name__ == "__main__":  # python -m models.onnx_embedder [model]: export ahead of first use
    import sys

    logging.basicConfig(level=logging.INFO)
    print(export(sys.argv[1] if len(sys.argv) > 1 else PRODUCT_MODEL))
