"""Times passage encoding in fp32 and bf16 (and entity extraction) over the corpus; reports numbers, asserts nothing."""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from models.embedder import SentenceTransformerEmbedder, cpu_supports_bf16

logger = logging.getLogger(__name__)

MIN_WORDS = 150
MAX_WORDS = 200


def split_passages(text: str, min_words: int = MIN_WORDS, max_words: int = MAX_WORDS) -> Iterator[str]:
    """Splits on blank lines and merges paragraphs into chunks of about min..max words.

    A stand-in for the indexer's chunker, so this benchmark depends on no parser.
    """
    buffer: list[str] = []
    for paragraph in text.split("\n\n"):
        words = paragraph.split()
        while len(words) > max_words:  # a paragraph longer than a chunk is cut on words
            yield " ".join(buffer + words[: max_words - len(buffer)])
            words, buffer = words[max_words - len(buffer) :], []
        buffer.extend(words)
        if len(buffer) >= min_words:
            yield " ".join(buffer)
            buffer = []
    if buffer:
        yield " ".join(buffer)


def load_passages(corpus: Path) -> list[str]:
    """All chunks of every corpus/*.txt file, in file order."""
    passages: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        passages.extend(split_passages(path.read_text(encoding="utf-8")))
    return passages


def time_encode(embedder: SentenceTransformerEmbedder, passages: list[str]) -> tuple[np.ndarray, float]:
    """Encodes once to warm up, then times one full pass."""
    embedder.encode_passages(passages[:8])
    start = time.perf_counter()
    vectors = embedder.encode_passages(passages)
    return vectors, time.perf_counter() - start


def time_entities(passages: list[str], batch_size: int) -> None:
    """Times the full entity pipeline over the same passages and prints its throughput."""
    from models.entities import create_entity_pipeline, extract_entities

    nlp = create_entity_pipeline()
    extract_entities(nlp, passages[:8])
    start = time.perf_counter()
    found = extract_entities(nlp, passages, batch_size=batch_size)
    seconds = time.perf_counter() - start
    count = sum(len(entities) for entities in found)
    rate = f"{count / seconds:.0f} entities/s, {len(passages) / seconds:.0f} passages/s"
    print(f"entities: {count} in {seconds:.1f} s = {rate}")


def main() -> None:
    """Parses arguments, runs both precisions and prints the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1] / "corpus")
    parser.add_argument("--limit", type=int, default=None, help="only the first N passages")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's choice)")
    parser.add_argument("--entities", action="store_true", help="also time the entity pipeline")
    parser.add_argument("--entity-batch-size", type=int, default=64)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    passages = load_passages(args.corpus)[: args.limit]
    chars = sum(len(passage) for passage in passages)
    print(f"{len(passages)} passages, mean {chars / len(passages):.0f} chars")
    native = cpu_supports_bf16()
    print(f"native bf16 on this CPU: {native}" + ("" if native else " (bf16 below is emulated)"))

    fp32 = SentenceTransformerEmbedder(precision="fp32", batch_size=args.batch_size, num_threads=args.threads)
    fp32_vectors, fp32_seconds = time_encode(fp32, passages)
    bf16 = SentenceTransformerEmbedder(
        precision="bf16", batch_size=args.batch_size, num_threads=args.threads, allow_emulated_bf16=True
    )
    bf16_vectors, bf16_seconds = time_encode(bf16, passages)

    cosines = np.sum(fp32_vectors * bf16_vectors, axis=1)
    print(f"fp32: {fp32_seconds:.1f} s ({len(passages) / fp32_seconds:.1f} passages/s)")
    print(f"bf16: {bf16_seconds:.1f} s ({len(passages) / bf16_seconds:.1f} passages/s)")
    print(f"speedup bf16/fp32: {fp32_seconds / bf16_seconds:.2f}x")
    print(f"cosine fp32 vs bf16: min {cosines.min():.5f}, mean {cosines.mean():.5f}")
    if args.entities:
        time_entities(passages, args.entity_batch_size)


if __name__ == "__main__":
    main()
