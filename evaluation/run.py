"""Ablations over the gold set through the public search API: ``python -m evaluation.run``.

Builds (or refreshes) three indexes of ``corpus/`` (Norfolk) and the Kent papers the tests
carry (``tests/data/realworld/kent``) under ``evaluation/.indexes``:
the product index, the same without context headers, and the naive baseline
(blank-line paragraphs merged to 150-200 words). Then runs every configuration
over every gold query and writes ``evaluation/results/``: latest.json,
latest.md (the tables), ablation.png (the chart) and failures.md.
"""

from __future__ import annotations

import json
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress

from evaluation.client import local_client
from evaluation.gold import GOLD_DIR, SOURCE_ROOTS, load_gold
from evaluation.metrics import judge, summarise
from evaluation.report import write_chart, write_failures, write_markdown

RESULTS = Path(__file__).resolve().parent / "results"
INDEXES = Path(__file__).resolve().parent / ".indexes"
INDEX_SETTINGS = {
    "structure": {},
    "no-headers": {"context_headers": False},
    "naive": {"context_headers": False, "chunking": "naive"},
}


@dataclass(frozen=True)
class Config:
    """One ablation: which index, which retrievers, and which extras."""

    name: str
    index: str
    mode: str
    expand: bool
    rerank: bool
    note: str


CONFIGS = (
    Config("bm25", "structure", "bm25", False, False, "FTS5 BM25 only"),
    Config("dense", "structure", "dense", False, False, "FAISS cosine only"),
    Config("hybrid", "structure", "hybrid", False, False, "BM25 + dense, reciprocal rank fusion"),
    Config("hybrid+glossary", "structure", "hybrid", True, False, "plus acronym / long-form expansion"),
    Config("hybrid+rerank", "structure", "hybrid", False, True, "plus the second stage"),
    Config("full", "structure", "hybrid", True, True, "hybrid + glossary + second stage (the product)"),
    Config("hybrid, no headers", "no-headers", "hybrid", False, False, "hybrid, passages embedded without context headers"),
    Config("full, no headers", "no-headers", "hybrid", True, True, "the product, embedded without context headers"),
    Config("naive baseline", "naive", "hybrid", False, True,
           "blank-line chunks of 150-200 words, no structure/headers/glossary; same hybrid + second stage"),
    Config("naive, hybrid only", "naive", "hybrid", False, False, "the naive chunks with plain hybrid retrieval"),
)

app = typer.Typer(add_completion=False, help=__doc__)


def build_indexes(names: set[str], console: Console) -> dict[str, Path]:
    """Build or refresh each named index of corpus/ (unchanged files cost only a hash)."""
    from indexer.factory import build_index
    from indexer.settings import IndexSettings

    paths = {}
    for name in sorted(names):
        directory = INDEXES / name
        started = time.perf_counter()
        report = build_index(list(SOURCE_ROOTS), IndexSettings(index_dir=directory, **INDEX_SETTINGS[name]))
        if report.failures:
            raise typer.Exit(f"could not index {report.failures}")
        console.print(f"index [bold]{name}[/]: {report.passages} passages "
                      f"({len(report.added) + len(report.changed)} files (re)built) in {time.perf_counter() - started:.0f} s")
        paths[name] = directory
    return paths


@app.command()
def main(split: str = typer.Option("all", help="dev, test or all"),
         only: list[str] = typer.Option([], help="run only these configurations (repeatable)"),
         k: int = typer.Option(10, help="results per query"),
         out: Path = typer.Option(RESULTS, help="where to write the results")) -> None:
    """Run the ablations and write the tables, the chart and the failure list."""
    warnings.filterwarnings("ignore", module="ranx")
    warnings.filterwarnings("ignore", message=".*unsafe cast.*")
    console = Console()
    gold = [q for q in load_gold(GOLD_DIR) if split == "all" or q.split == split]
    configs = [c for c in CONFIGS if not only or c.name in only]
    indexes = build_indexes({c.index for c in configs}, console)
    results: dict = {"gold": {"queries": len(gold), "split": split}, "k": k, "configs": {}}
    judged_by_config = {}
    with Progress(console=console, transient=True) as progress:
        for index_name in dict.fromkeys(c.index for c in configs):
            with local_client(indexes[index_name]) as client:
                for config in (c for c in configs if c.index == index_name):
                    task = progress.add_task(config.name, total=len(gold))
                    judged = []
                    for query in gold:
                        judged.append(judge(query, client.search(query.query, k, config.mode, config.expand, config.rerank)))
                        progress.advance(task)
                    judged_by_config[config.name] = judged
                    results["configs"][config.name] = {
                        "index": config.index, "mode": config.mode, "expand": config.expand, "rerank": config.rerank,
                        "note": config.note,
                        **{s: summarise([j for j in judged if j.query.split == s]) for s in ("dev", "test")
                           if any(j.query.split == s for j in judged)},
                        "all": summarise(judged)}
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    table = write_markdown(results, out / "latest.md")
    write_chart(results, out / "ablation.png")
    product = "full" if "full" in judged_by_config else next(iter(judged_by_config))
    write_failures(judged_by_config[product], out / "failures.md", product)
    print(table)
    console.print(f"wrote {out / 'latest.json'}, latest.md, ablation.png, failures.md")


if __name__ == "__main__":
    app()
