"""Benchmark index builds on corpus/: full build, raw encode, overhead, no-op re-index, peak RSS, and
the same files built by `qa index` and by txtai in fresh processes, one after the other in this run.

Run: .venv/bin/python -m evaluation.bench_index [--corpus corpus] [--out evaluation/results/bench_index.json]
(the txtai comparison needs `pip install txtai`; without it that part is skipped and says so)
"""

from __future__ import annotations

import argparse
import json
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
        comparison = compare_with_txtai(args.corpus, Path(scratch))
    result = {
        "documents": report.documents, "passages": report.passages,
        "full_build_seconds": round(full, 2), "passages_per_second": round(report.passages / full, 1),
        "encode_inside_build_seconds": round(report.encode_seconds, 2),
        "raw_encode_seconds": round(raw, 2), "overhead_ratio": round(full / raw, 3),
        "noop_reindex_seconds_in_process": round(noop_seconds, 3), "noop_reindex_seconds_cli": round(noop_cli, 2),
        "noop_cli_exit_code": cli.returncode, "noop_embedded": noop.embedded,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "precision": getattr(embedder, "precision", "n/a"), "passage_encoder": type(embedder).__name__,
        **comparison,
    }
    write_report(result, args.out)


def compare_with_txtai(corpus: Path, scratch: Path) -> dict[str, object]:
    """`qa index` of ``corpus`` into a new index, then ``evaluation.bench_txtai`` on the same files, each
    in a fresh process and timed from its start, so both pay for their imports and model loads."""
    started = time.perf_counter()
    ours = subprocess.run([sys.executable, "-m", "qa.cli", "index", str(corpus), "--index-dir", str(scratch / "cli")],
                          capture_output=True, text=True)
    cli_build = time.perf_counter() - started
    result: dict[str, object] = {"cli_build_seconds": round(cli_build, 2), "cli_build_exit_code": ours.returncode}
    try:
        import txtai  # noqa: F401 - only whether it is installed
    except ImportError:
        result["txtai"] = "not installed (pip install txtai)"
        return result
    txtai_run = subprocess.run([sys.executable, "-m", "evaluation.bench_txtai", str(corpus), "--out",
                                str(scratch / "txtai")], capture_output=True, text=True)
    if txtai_run.returncode != 0:
        result["txtai"] = f"failed: {txtai_run.stderr.strip().splitlines()[-1:]}"
        return result
    measured = json.loads(txtai_run.stdout.strip().splitlines()[-1])
    result.update(measured, build_vs_txtai=round(cli_build / measured["txtai_build_seconds"], 3))
    return result


if __name__ == "__main__":
    main()
