"""The product's scores per council and per gold file, with 95% intervals: ``python -m evaluation.subsets``.

Runs every gold query through the public search API over an index of both councils' papers
(``python -m evaluation.run --only full`` builds it) and prints, per subset and split, hit@1,
hit@5 and MRR@10 with bootstrap 95% confidence intervals, and no-answer accuracy.
"""

from __future__ import annotations

import json
import random
import warnings
from pathlib import Path

import typer

from evaluation.client import local_client
from evaluation.gold import GoldQuery, load_gold
from evaluation.metrics import Judged, judge

SUBSETS = {
    "Norfolk, first 126 (a-, b-)": lambda q: q.id[:2] in ("a-", "b-"),
    "Norfolk paraphrases (c-)": lambda q: q.id.startswith("c-"),
    "Kent (k-)": lambda q: q.id.startswith("k-"),
}
app = typer.Typer(add_completion=False, help=__doc__)


def reciprocal_rank(judged: Judged) -> float:
    return 1 / judged.first_hit if judged.first_hit and judged.first_hit <= 10 else 0.0


def interval(values: list[float], draws: int = 2000, seed: int = 7) -> tuple[float, float, float]:
    """Mean and the bootstrap 95% interval of the mean."""
    if not values:
        return float("nan"), float("nan"), float("nan")
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(values, k=len(values))) / len(values) for _ in range(draws))
    return sum(values) / len(values), means[int(0.025 * draws)], means[int(0.975 * draws) - 1]


def row(name: str, split: str, judged: list[Judged]) -> str:
    answerable = [j for j in judged if j.query.answerable]
    unanswerable = [j for j in judged if not j.query.answerable]
    cells = []
    for metric in (lambda j: float(j.first_hit == 1), lambda j: float(bool(j.first_hit) and j.first_hit <= 5),
                   reciprocal_rank):
        mean, low, high = interval([metric(j) for j in answerable])
        cells.append(f"{mean:.3f} [{low:.2f}, {high:.2f}]")
    empty = sum(1 for j in unanswerable if not j.hits)
    return f"| {name} | {split} | {len(answerable)} | {' | '.join(cells)} | {empty}/{len(unanswerable)} |"


@app.command()
def main(index_dir: Path = typer.Option(Path("evaluation/.indexes/structure")),
         split: str = typer.Option("all", help="dev, test or all: print only this split's rows"),
         save: Path | None = typer.Option(None, help="write each query's first relevant rank here (JSON)")) -> None:
    warnings.filterwarnings("ignore")
    gold: list[GoldQuery] = [q for q in load_gold() if split == "all" or q.split == split]
    with local_client(index_dir) as client:
        judged = {q.id: judge(q, client.search(q.query, 10, "hybrid", True, True)) for q in gold}
    if save:
        save.write_text(json.dumps({i: {"first_hit": j.first_hit, "hits": len(j.hits)} for i, j in judged.items()},
                                   indent=1) + "\n", encoding="utf-8")
    print("| subset | split | answerable | hit@1 [95% CI] | hit@5 [95% CI] | MRR@10 [95% CI] | no-answer empty |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, pick in SUBSETS.items():
        for part in ("dev", "test"):
            chosen = [judged[q.id] for q in gold if pick(q) and q.split == part]
            if chosen:
                print(row(name, part, chosen))


if __name__ == "__main__":
    app()
