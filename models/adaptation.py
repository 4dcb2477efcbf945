"""Adapt a sentence-transformers embedder to council language with pairs the papers give for free.

The loss is the in-batch softmax of sentence-transformers' MultipleNegativesRankingLoss: each
heading should be closer to its own text than to every other text in the batch. It is written
out here as a few lines of torch because sentence-transformers' trainer needs the `datasets` and
`accelerate` packages this project does not otherwise use. Training is seeded, so one set of pairs
gives one model.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from models.catalog import resolve_model_path
from models.errors import ModelUnavailable

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AdaptationSettings:
    """How to train.

    Attributes:
        epochs: Passes over the pairs.
        batch_size: Pairs per step; the other texts of a batch are each pair's negatives.
        learning_rate: AdamW's rate, warmed up linearly over the first tenth of the steps.
        scale: Cosines are multiplied by this before the softmax (sentence-transformers' default).
        max_tokens: Longest text in word pieces.
        seed: Seeds the shuffle and torch.
        freeze_embeddings: Leave the word, position and type embeddings as they are, so only the
            encoder layers change (and the shipped difference stays small, ``models.adapted``).
    """

    epochs: int = 1
    batch_size: int = 32
    learning_rate: float = 2e-5
    scale: float = 20.0
    max_tokens: int = 256
    seed: int = 13
    freeze_embeddings: bool = True


def adapt(base: str, pairs: Sequence[tuple[str, str]], out_dir: Path, settings: AdaptationSettings | None = None,
          progress: Callable[[int, int, float], None] | None = None) -> Path:
    """Fine-tune ``base`` (a model name or path) on (query, passage) pairs and save it to ``out_dir``.

    Returns:
        ``out_dir``, a sentence-transformers directory the embedder loads like any other.
    """
    settings = settings or AdaptationSettings()
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ModelUnavailable("Adapting the embedder needs torch and sentence-transformers") from error
    if len(pairs) < settings.batch_size:
        raise ValueError(f"{len(pairs)} pairs are fewer than one batch of {settings.batch_size}")
    torch.manual_seed(settings.seed)
    model = SentenceTransformer(resolve_model_path(base), device="cpu", local_files_only=True)
    model.max_seq_length = settings.max_tokens
    if settings.freeze_embeddings:
        for name, parameter in model.named_parameters():
            if ".embeddings." in f".{name}":
                parameter.requires_grad_(False)
    order = list(range(len(pairs)))
    batches_per_epoch = len(order) // settings.batch_size
    total = batches_per_epoch * settings.epochs
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=settings.learning_rate, weight_decay=0.01)
    warmup = max(1, total // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup))))
    model.train()
    rng = random.Random(settings.seed)
    step, started = 0, time.perf_counter()
    for _ in range(settings.epochs):
        rng.shuffle(order)
        for b in range(batches_per_epoch):
            chosen = [pairs[i] for i in order[b * settings.batch_size:(b + 1) * settings.batch_size]]
            queries = _embed(model, [q for q, _ in chosen])
            passages = _embed(model, [p for _, p in chosen])
            scores = settings.scale * queries @ passages.T
            loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(chosen)))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            if progress:
                progress(step, total, float(loss.detach()))
    logger.info("adapted %s on %d pairs in %.0f s", base, len(pairs), time.perf_counter() - started)
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(str(out_dir))
    return out_dir


def _embed(model: object, texts: list[str]) -> "object":
    """Normalised sentence embeddings with gradients (the model's own modules: transformer, pooling)."""
    import torch

    features = model.preprocess(texts)  # type: ignore[attr-defined]
    output = model(features)  # type: ignore[operator]
    return torch.nn.functional.normalize(output["sentence_embedding"], dim=-1)
