"""Benchmark index builds on corpus/: full build, raw encode, overhead, no-op re-index, peak RSS.

Run: .venv/bin/python -m evaluation.bench_index [--corpus corpus] [--out evaluation/results/bench_index.json]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from indexer.context import embedding_input
from evaluation.bench_query import write_report
from indexer.factory import build_index, create_components
from indexer.loaders import load_paths
from indexer.structure.passages import PassageBudget
from indexer.settings import REPO_ROOT, IndexSettings
from indexer.store.writer import passage_contexts
from indexer.structure import parse_document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=REPO_ROOT / "corpus")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "evaluation" / "results" / "bench_index.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        settings = IndexSettings(index_dir=Path(scratch) / "index")
        started = time.perf_counter()
        report = build_index([args.corpus], settings)
        full = time.perf_counter() - started
        started = time.perf_counter()
        noop = build_index([args.corpus], settings)
        noop_seconds = time.perf_counter() - started
        started = time.perf_counter()
        cli = subprocess.run([sys.executable, "-m", "qa.cli", "index", str(args.corpus), "--index-dir",
                              str(settings.index_dir)], capture_output=True, text=True)
        noop_cli = time.perf_counter() - started
        # The same passages, the same inputs, the model alone.
        components = create_components(settings)
        sources, _ = load_paths([args.corpus], root=args.corpus)
        budget = PassageBudget(settings.passage_max_tokens, settings.passage_max_chars)
        inputs = []
        for source in sources:
            doc = parse_document(source, components.count_tokens, budget)
            inputs += [embedding_input(c, p) for c, p in zip(passage_contexts(doc), doc.passages)]
        embedder = components.embedder()
        embedder.encode_passages(inputs[:32])  # warm-up
        started = time.perf_counter()
        embedder.encode_passages(inputs)
        raw = time.perf_counter() - started
    result = {
        "documents": report.documents, "passages": report.passages,
        "full_build_seconds": round(full, 2), "passages_per_second": round(report.passages / full, 1),
        "encode_inside_build_seconds": round(report.encode_seconds, 2),
        "raw_encode_seconds": round(raw, 2), "overhead_ratio": round(full / raw, 3),
        "noop_reindex_seconds_in_process": round(noop_seconds, 3), "noop_reindex_seconds_cli": round(noop_cli, 2),
        "noop_cli_exit_code": cli.returncode, "noop_embedded": noop.embedded,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "precision": getattr(embedder, "precision", "n/a"),
    }
    write_report(result, args.out)


if __name__ == "__main__":
    main()
