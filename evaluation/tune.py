"""Tune the second stage and the relevance floor on the dev split: ``python -m evaluation.tune``.

A developer tool, not a measurement: it opens the engine directly, records each
dev query's top candidates with their signals once (no floor), then replays any
weights and floor offline in microseconds and reports the best settings. Check
the winner with ``python -m evaluation.run``, which goes through the API.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import replace
from pathlib import Path

import typer

from evaluation.gold import GOLD_DIR, GoldQuery, load_gold
from evaluation.metrics import Judged, ir_metrics, judge

app = typer.Typer(add_completion=False, help=__doc__)
GRID = {
    "w_dense": (0.5, 1.0, 1.5),
    "w_coverage": (0.0, 0.35, 1.0, 1.5),
    "w_idf": (0.0, 0.5, 1.0, 2.0),
    "w_proximity": (0.0, 0.2, 0.5),
    "w_heading": (0.0, 0.1, 0.3),
    "w_date": (0.0, 0.1, 0.3),
    "w_fused": (0.0, 10.0, 20.0),
}
# Closeness bars in standard deviations over the index's cosine background (MiniLM: 0.383 +- 0.136,
# so -0.6 ~ cosine 0.30, 0.13 ~ 0.40, 1.23 ~ 0.55).
FLOORS = {
    "floor_dense": (-0.6, -0.25, 0.0, 0.13, 0.27, 0.57),
    "floor_coverage": (0.4, 0.5, 0.6, 0.75),
    "floor_dense_low": (-2.1, -1.35, -0.98, -0.6),
    "floor_idf": (0.0, 0.4, 0.5, 0.6),
    "floor_dense_sure": (0.5, 0.86, 1.23, 1.6),
    "floor_idf_dense": (0.2, 0.3, 0.4),
}


def record(index_dir: Path, queries: list[GoldQuery]) -> list[tuple[GoldQuery, list[dict]]]:
    """Each query's top 50 candidates (after near-duplicate collapse) with their signals, no floor applied."""
    from models.embedder import create_embedder
    from qa.service import QAService
    from qa.settings import ServiceSettings

    settings = ServiceSettings(index_dir=index_dir)
    service = QAService(settings, create_embedder(settings.embedding_backend, model=settings.embedding_model,
                                                  precision=settings.precision))
    engine = service.current.engine
    engine.tuning = replace(engine.tuning, floor_dense=-9.0, floor_coverage=9.0, floor_dense_low=-9.0)
    recorded = []
    for query in queries:
        hits = engine.search(query.query, k=50, rerank=True).hits
        recorded.append((query, [{"signals": h.signals, "text": h.text,
                                  "document": {"source_file": h.location.source_file}} for h in hits]))
    return recorded


def replay(recorded: list[tuple[GoldQuery, list[dict]]], t: dict[str, float], k: int = 10) -> list[Judged]:
    """Judge every query under weights and floors t, with the engine's own floor and score."""
    from qa.retrieval.rerank import Tuning, passes_floor, rerank_score

    tuning = replace(Tuning(), **t)
    judged = []
    for query, hits in recorded:
        kept = [(rerank_score(h["signals"], tuning), h) for h in hits if passes_floor(h["signals"], tuning, "hybrid")]
        kept.sort(key=lambda x: x[0], reverse=True)
        judged.append(judge(query, {"results": [h for _, h in kept[:k]]}))
    return judged


def objective(judged: list[Judged]) -> tuple[float, dict]:
    m = ir_metrics(judged)
    none = [j for j in judged if not j.query.answerable]
    m["no_answer"] = sum(1 for j in none if not j.hits) / len(none) if none else 1.0
    return m["hit@5"] + m["MRR@10"] + 0.25 * m["no_answer"], m


@app.command()
def main(index_dir: Path = typer.Option(Path("evaluation/.indexes/structure")),
         split: str = typer.Option("dev"),
         grid: bool = typer.Option(True, help="search the weights too, not only the floor")) -> None:
    warnings.filterwarnings("ignore")
    from qa.retrieval.rerank import Tuning

    recorded = record(index_dir, [q for q in load_gold(GOLD_DIR) if q.split == split])
    reachable = sum(1 for q, hits in recorded if q.answerable and judge(q, {"results": hits}).first_hit)
    print(f"{reachable}/{sum(q.answerable for q, _ in recorded)} answerable queries have evidence in the top 50")
    base = {name: getattr(Tuning(), name) for name in (*GRID, *FLOORS)}
    print("current", objective(replay(recorded, base)))
    best = (objective(replay(recorded, base))[0], base)
    for values in itertools.product(*GRID.values()) if grid else ():
        t = {**base, **dict(zip(GRID, values))}
        score = objective(replay(recorded, t))[0]
        if score > best[0] + 1e-9:
            best = (score, t)
    weights = best[1]
    for values in itertools.product(*FLOORS.values()):
        t = {**weights, **dict(zip(FLOORS, values))}
        score = objective(replay(recorded, t))[0]
        if score > best[0] + 1e-9:
            best = (score, t)
    print("best", best[1])
    print("best metrics", objective(replay(recorded, best[1]))[1])


if __name__ == "__main__":
    app()
