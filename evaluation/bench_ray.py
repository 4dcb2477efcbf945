"""Benchmark the in-process build against the local Ray build of the same files, in the same run.

Both build a fresh index of the same paths with the same models; the Ray build starts a local Ray on this
machine's cores first (timed apart: `qa index --ray` pays it on every run). Reports each build's wall time,
passages, passages per second and model time (in process: the embedder's wall time on all cores; on Ray: the
embedding actors' time summed, one torch thread each), Ray's overhead ratio, and what the built index costs
per paper and per passage (the inputs of docs/scaling.md).

Run: .venv/bin/python -m evaluation.bench_ray [PATH ...] [--out evaluation/results/bench_ray.json]
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from pathlib import Path

import typer

from evaluation.bench_query import write_report
from indexer.distributed import connect, import_ray
from indexer.factory import build_index
from indexer.pipeline import BuildReport
from indexer.settings import REPO_ROOT, IndexSettings
from indexer.store.layout import current_generation

app = typer.Typer(add_completion=False, help=__doc__)


def timed(paths: list[Path], index_dir: Path, ray: bool) -> tuple[BuildReport, float]:
    started = time.perf_counter()
    report = build_index(paths, IndexSettings(index_dir=index_dir), rebuild=True, ray=ray)
    return report, time.perf_counter() - started


def build_numbers(report: BuildReport, seconds: float) -> dict[str, float]:
    return {"wall_seconds": round(seconds, 2), "passages": report.passages,
            "passages_per_second": round(report.passages / seconds, 1),
            "model_seconds": round(report.encode_seconds, 2)}


def index_costs(index_dir: Path) -> dict[str, float]:
    """What the built index holds per paper and per passage, counted from its files."""
    generation = current_generation(index_dir)
    conn = sqlite3.connect(generation / "index.sqlite")
    documents, characters = conn.execute("SELECT COUNT(*), SUM(LENGTH(text)) FROM documents").fetchone()
    passages = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    # Pages, at least: the highest page a paper's agenda cites or a passage carries (the text packs lost
    # their page breaks; the last item starts on that page, so the pack is at least that long).
    pages = conn.execute("SELECT SUM(MAX(COALESCE((SELECT MAX(page) FROM agenda WHERE document_id = d.id), 0),"
                         " COALESCE((SELECT MAX(page) FROM passages WHERE document_id = d.id), 0))) FROM documents d"
                         ).fetchone()[0]
    conn.close()
    sqlite_bytes = (generation / "index.sqlite").stat().st_size
    faiss_bytes = (generation / "vectors.faiss").stat().st_size
    return {"documents": documents, "passages_per_document": round(passages / documents, 1),
            "characters_per_document": round(characters / documents), "pages_per_document_at_least": round(pages / documents, 1),
            "sqlite_bytes": sqlite_bytes, "faiss_bytes": faiss_bytes,
            "bytes_per_passage": round((sqlite_bytes + faiss_bytes) / passages)}


@app.command()
def main(paths: list[Path] = typer.Argument(None, help="Files or folders to build (default: corpus/)."),
         out: Path = typer.Option(REPO_ROOT / "evaluation" / "results" / "bench_ray.json", help="Where to write JSON.")
         ) -> None:
    """Build the same files in process and on a local Ray, and report both."""
    paths = paths or [REPO_ROOT / "corpus"]
    ray = import_ray()
    load_before = os.getloadavg()[0]  # other work on the machine slows both builds; reported, not hidden
    with tempfile.TemporaryDirectory() as scratch:
        in_process, in_process_seconds = timed(paths, Path(scratch) / "in-process", ray=False)
        started = time.perf_counter()
        connect("local")
        startup = time.perf_counter() - started
        try:
            on_ray, ray_seconds = timed(paths, Path(scratch) / "ray", ray=True)  # joins the Ray started above
        finally:
            ray.shutdown()
        costs = index_costs(Path(scratch) / "in-process")
    slots = os.cpu_count() or 1
    ray_wall = startup + ray_seconds
    result = {
        "paths": [str(path) for path in paths], "cpu_cores": slots, "documents": in_process.documents,
        "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "in_process": build_numbers(in_process, in_process_seconds),
        "ray": {**build_numbers(on_ray, ray_wall), "startup_seconds": round(startup, 2),
                "build_seconds_after_startup": round(ray_seconds, 2), "embedding_actors_at_most": slots},
        "ray_overhead_ratio": round(ray_wall / in_process_seconds, 3),
        "ray_overhead_ratio_after_startup": round(ray_seconds / in_process_seconds, 3),
        # One actor runs one torch thread, so this is what one core embeds.
        "passages_per_second_per_core": round(on_ray.passages / on_ray.encode_seconds, 1),
        "same_passages": in_process.passages == on_ray.passages,
        "index": costs,
    }
    write_report(result, out)


if __name__ == "__main__":
    app()
