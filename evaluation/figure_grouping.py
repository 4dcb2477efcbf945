"""Series grouping against the labels: ``python -m evaluation.figures grouping``.

Each labelled figure names its ``series``: labels of one measure share it, across papers. For every series
labelled in more than one paper, each labelled member is looked up among the indexed figures (the same paper,
the number printed inside the label's evidence, the same value) through ``GET /metrics`` and
``GET /figures?metric=``, the way a client reads the series. A series' score is the share of its labelled
members that sit in the one index series holding most of them; a member the extractor did not find counts
against it. The share among the members that were found is reported beside it, to tell grouping from
extraction, and so is purity, the other side: of the labelled members an index series holds, the share that
belong to its main labelled series (a series that lumps breakdowns together scores well on the first and
badly on this).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from evaluation.client import local_client
from evaluation.figure_gold import ROOTS, labels, regions, span_of
from indexer.loaders import load_file


@dataclass(frozen=True)
class SeriesScore:
    """One labelled series: its members, how many the extractor found, and how many share one index series."""

    series: str
    papers: int
    members: int
    found: int
    together: int
    groups: tuple[str, ...]  # the index series its found members sit in, most members first


def indexed_figures(index_dir: Path) -> dict[str, list[tuple[int, float, str]]]:
    """Every indexed figure as (char_start, value, series name), by paper."""
    by_file: dict[str, list[tuple[int, float, str]]] = {}
    with local_client(index_dir) as client:
        for metric in client.http.get("/metrics").raise_for_status().json():
            figures = client.http.get("/figures", params={"metric": metric["id"]}).raise_for_status().json()["figures"]
            for figure in figures:
                by_file.setdefault(figure["document"]["source_file"], []).append(
                    (figure["char_start"], figure["value"], f"{metric['id']}: {metric['name']} ({metric['unit']})"))
    return by_file


def score_grouping(index_dir: Path, split: str) -> tuple[list[SeriesScore], tuple[int, int]]:
    """The series labelled in more than one paper of ``split``, scored, and the purity of the index series
    that hold labelled members: (members of their main labelled series, members)."""
    indexed = indexed_figures(index_dir)
    members: dict[str, list[str | None]] = {}
    papers: dict[str, set[str]] = {}
    for council, root in ROOTS.items():
        spans = {name: region for name, region in regions(council, split).items()}
        texts: dict[str, str] = {}
        for label in labels(council, split):
            name = label["source_file"]
            if name not in texts:
                texts[name] = load_file(root / name, root=root).text
            region = span_of(texts[name], spans[label["region"]]["region_text"])
            evidence = span_of(texts[name], label["evidence"], region)
            found = [group for start, value, group in indexed.get(name, [])
                     if evidence and evidence[0] <= start < evidence[1]
                     and math.isclose(value, float(label["value"]), abs_tol=1e-9)]
            members.setdefault(label["series"], []).append(found[0] if found else None)
            papers.setdefault(label["series"], set()).add(name)
    held: dict[str, Counter] = {}
    for series, groups in members.items():
        for group in groups:
            if group is not None:
                held.setdefault(group, Counter())[series] += 1
    purity = (sum(c.most_common(1)[0][1] for c in held.values()), sum(sum(c.values()) for c in held.values()))
    scores = []
    for series, groups in sorted(members.items()):
        if len(papers[series]) < 2:
            continue
        counts = Counter(g for g in groups if g is not None)
        scores.append(SeriesScore(series, len(papers[series]), len(groups), sum(counts.values()),
                                  counts.most_common(1)[0][1] if counts else 0,
                                  tuple(g for g, _ in counts.most_common())))
    return scores, purity
