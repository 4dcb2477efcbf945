"""The hand-labelled figures (``gold/figures/``): reading them, their splits, and Wilson intervals."""

from __future__ import annotations

import json
import math
from pathlib import Path

from indexer.settings import REPO_ROOT

GOLD = Path(__file__).resolve().parent / "gold" / "figures"
ROOTS = {"norfolk": REPO_ROOT / "corpus", "kent": REPO_ROOT / "tests" / "data" / "realworld" / "kent"}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion."""
    if total == 0:
        return 0.0, 0.0
    p = successes / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def span_of(text: str, needle: str, within: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """Where ``needle`` is printed in ``text``, inside ``within`` when it is printed there."""
    start = text.find(needle, within[0] if within else 0)
    if start < 0 or (within and start + len(needle) > within[1]):
        start = text.find(needle)
    return (start, start + len(needle)) if start >= 0 else None


def split_of(region: str) -> str:
    """Odd regions are dev (tune on them), even ones test (report only)."""
    return "dev" if int("".join(ch for ch in region if ch.isdigit())) % 2 else "test"


def regions(council: str, split: str) -> dict[str, dict]:
    return {r["region"]: r for r in read_jsonl(GOLD / f"figure_regions_{council}.jsonl")
            if split == "all" or split_of(r["region"]) == split}


def labels(council: str, split: str) -> list[dict]:
    chosen = regions(council, split)
    return [label for label in read_jsonl(GOLD / f"figures_{council}.jsonl") if label["region"] in chosen]
