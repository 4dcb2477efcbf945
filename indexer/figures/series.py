"""Figures of one measure across papers, grouped into series.

Figures are first grouped by their metric key (``models.metrics.metric_key``: the curated
abbreviations and 'same' lists in ``models/data/metric_synonyms.json``) and unit. Keys of one unit
whose names the embedder places close together (cosine >= ``SAME_MEASURE``) then join one series,
unless the curated 'different' list keeps them apart or they are breakdowns of one measure printed as
"<measure> - <breakdown>" ("... out of education - all", "... - looked after children"). A series is named by
its most printed name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from models.metrics import kept_apart

# Measured with MiniLM on the dev regions' labels (evaluation/gold/figures/figures_*.jsonl): of the pairs of
# distinct metric keys in one unit, 98 belong to one labelled series and 891 to different ones. At 0.9 the
# embedder merges 25.5% of the same-series pairs and 0.34% of the others (0.8: 36.7% and 1.2%). Same-series
# names are often far apart in wording (median cosine 0.66), so the embedder only merges near-identical
# names; a wrong merge costs a reader more than a missed one.
SAME_MEASURE = 0.9


@dataclass(frozen=True)
class KeyStats:
    """One metric key in one unit: how often it is printed and its most printed name."""

    key: str
    unit: str
    name: str
    figures: int


@dataclass(frozen=True)
class Series:
    name: str
    unit: str
    keys: tuple[str, ...]
    vector: np.ndarray


_BREAKDOWN = re.compile(r"\s+[-–]\s+|\s*\(")


def breakdowns(a: str, b: str) -> bool:
    """Whether two names are different breakdowns of one measure, which the embedder reads as close:
    "number of children out of education - all" and "... - looked after children", "school numbers -
    percentage ehcp" and "school numbers - stat school age - percentage ehcp"."""
    first, second = _BREAKDOWN.split(a, maxsplit=1), _BREAKDOWN.split(b, maxsplit=1)
    return len(first) == len(second) == 2 and first[0] == second[0] and first[1] != second[1]


def group_series(stats: list[KeyStats], vectors: dict[str, np.ndarray], threshold: float = SAME_MEASURE) -> list[Series]:
    """Union keys of one unit whose name vectors are close; each group is a series."""
    parent = list(range(len(stats)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_unit: dict[str, list[int]] = {}
    for i, stat in enumerate(stats):
        by_unit.setdefault(stat.unit, []).append(i)
    for members in by_unit.values():
        if len(members) < 2:
            continue
        matrix = np.stack([vectors[stats[i].key] for i in members])
        similar = matrix @ matrix.T
        for a, b in zip(*np.nonzero(np.triu(similar >= threshold, k=1))):
            i, j = members[a], members[b]
            if not kept_apart(stats[i].key, stats[j].key) and not breakdowns(stats[i].name, stats[j].name):
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(stats)):
        groups.setdefault(root(i), []).append(i)
    series = []
    for members in groups.values():
        names = Counter()
        for i in members:
            names[stats[i].name] += stats[i].figures
        weights = np.array([stats[i].figures for i in members], dtype=np.float32)
        vector = (np.stack([vectors[stats[i].key] for i in members]) * weights[:, None]).sum(axis=0)
        vector /= max(float(np.linalg.norm(vector)), 1e-9)
        series.append(Series(names.most_common(1)[0][0], stats[members[0]].unit,
                             tuple(sorted(stats[i].key for i in members)), vector.astype(np.float32)))
    return series
