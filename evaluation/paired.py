"""Two saved runs of the gold set compared query by query: ``python -m evaluation.paired BEFORE AFTER``.

Each run is the JSON ``python -m evaluation.subsets --save FILE`` writes. Small gold sets give wide
intervals on each run's own score; the paired view (the same queries, before and after) is tighter.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from evaluation.gold import load_gold
from evaluation.subsets import SUBSETS, interval

app = typer.Typer(add_completion=False, help=__doc__)


@app.command()
def main(before: Path, after: Path, split: str = typer.Option("dev")) -> None:
    """Per subset, how many answerable queries each saved run ranks better (reciprocal rank), and the
    paired bootstrap 95% interval of the change in MRR@10."""
    first, second = (json.loads(p.read_text(encoding="utf-8")) for p in (before, after))
    gold = [q for q in load_gold() if q.answerable and q.split == split and q.id in first and q.id in second]

    def rr(found: dict) -> float:
        rank = found["first_hit"]
        return 1 / rank if rank and rank <= 10 else 0.0

    for name, pick in SUBSETS.items():
        deltas = [rr(second[q.id]) - rr(first[q.id]) for q in gold if pick(q)]
        mean, low, high = interval(deltas)
        print(f"{name} ({split}, {len(deltas)}): better {sum(d > 0 for d in deltas)}, "
              f"worse {sum(d < 0 for d in deltas)}, MRR@10 change {mean:+.3f} [{low:+.3f}, {high:+.3f}]")


if __name__ == "__main__":
    app()
