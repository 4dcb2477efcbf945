"""Adapt the embedder to council papers and say whether it helps: ``python -m evaluation.adapt``.

A developer tool. ``pairs PATH...`` counts and shows the (heading, text) pairs the papers give;
``train PATH... --out DIR`` fine-tunes the bundled embedder on them (``models.adaptation``). To
measure a trained model, build an index with it (``QA_EMBEDDING_MODEL=DIR``) and score the gold set
through the API (``python -m evaluation.subsets --index-dir ...``). Train on one council's papers
and score the other council's queries to see whether it holds on papers it never saw.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from evaluation.gold import load_gold, normalise
from indexer.loaders import load_paths
from indexer.pairs import TrainingPair, sentence_pairs, training_pairs
from indexer.structure import parse_document
from models.adaptation import AdaptationSettings, adapt
from models.tokens import create_token_counter

app = typer.Typer(add_completion=False, help=__doc__)
console = Console()


def mine(paths: list[Path], sentences: bool = False) -> list[TrainingPair]:
    """The distinctive heading pairs of every paper under ``paths``, and with ``sentences`` the inverse
    cloze pairs too."""
    sources, failures = load_paths(paths)
    for failure in failures:
        console.print(f"[yellow]skipped {failure.source_file}: {failure.reason}")
    count = create_token_counter().count
    docs = [parse_document(source, count) for source in sources]
    return training_pairs(docs) + ([p for doc in docs for p in sentence_pairs(doc)] if sentences else [])


def gold_pairs(index_dir: Path, split: str, council: str) -> list[tuple[str, str]]:
    """(query, passage) for each answerable gold query of ``split`` and ``council`` ("norfolk", "kent", "all"):
    every passage of its paper in the index that holds one of its evidence strings."""
    from indexer.store.reader import IndexReader
    from indexer.structure.text import plain_text

    queries = [q for q in load_gold() if q.answerable and q.split == split
               and (council == "all" or q.id.startswith("k-") == (council == "kent"))]
    found = []
    with IndexReader(index_dir) as reader:
        rows = reader.connection().execute("SELECT p.id, d.source_file FROM passages p JOIN documents d "
                                           "ON d.id = p.document_id").fetchall()
        by_file: dict[str, list[int]] = {}
        for passage_id, source_file in rows:
            by_file.setdefault(source_file, []).append(passage_id)
        for query in queries:
            passages = reader.passages(by_file.get(query.source_file or "", []))
            for passage in passages.values():
                if any(normalise(e) in normalise(passage.text) for e in query.evidence):
                    found.append((query.query, plain_text(f"{passage.header}\n{passage.text}".strip())))
    return found


@app.command()
def pairs(paths: list[Path] = typer.Argument(..., exists=True), show: int = typer.Option(10),
          sentences: bool = typer.Option(False, help="also the inverse cloze pairs")) -> None:
    """Count the pairs and print a sample."""
    found = mine(paths, sentences)
    by_paper: dict[str, int] = {}
    for pair in found:
        by_paper[pair.source_file] = by_paper.get(pair.source_file, 0) + 1
    console.print(f"{len(found)} pairs from {len(by_paper)} papers")
    for pair in random.Random(0).sample(found, min(show, len(found))):
        console.print(f"[bold]{pair.query}[/] -> {pair.passage[:160]!r}")


@app.command()
def train(paths: list[Path] = typer.Argument(..., exists=True), out: Path = typer.Option(...),
          epochs: int = typer.Option(1), batch_size: int = typer.Option(32),
          learning_rate: float = typer.Option(2e-5),
          gold_index: Path | None = typer.Option(None, help="also train on gold queries, their passages from this index"),
          gold_council: str = typer.Option("norfolk", help="whose dev queries to train on"),
          sentences: bool = typer.Option(False, help="also the inverse cloze pairs")) -> None:
    """Fine-tune the bundled embedder on the papers' pairs (and dev gold queries) and save it to OUT."""
    found = mine(paths, sentences)
    supervised = gold_pairs(gold_index, "dev", gold_council) if gold_index else []
    settings = AdaptationSettings(epochs=epochs, batch_size=batch_size, learning_rate=learning_rate)
    console.print(f"{len(found)} pairs from headings, {len(supervised)} from {gold_council} dev queries; {settings}")
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TextColumn("loss {task.fields[loss]:.3f}"), TimeRemainingColumn(), console=console) as bar:
        task = bar.add_task("adapting", total=None, loss=float("nan"))

        def report(step: int, total: int, loss: float) -> None:
            bar.update(task, completed=step, total=total, loss=loss)

        adapt("default", [(p.query, p.passage) for p in found] + supervised, out, settings, report)
    (out / "adaptation.json").write_text(json.dumps({
        "base": "sentence-transformers/all-MiniLM-L6-v2", "pairs": len(found), "gold_pairs": len(supervised),
        "papers": sorted({p.source_file for p in found}), "settings": settings.__dict__}, indent=2) + "\n",
        encoding="utf-8")
    console.print(f"saved {out}")


@app.command()
def ship(adapted: Path = typer.Argument(..., exists=True, file_okay=False), name: str = typer.Option("council-minilm"),
         check: list[Path] = typer.Option([Path("corpus")], help="papers whose passages the check encodes")) -> None:
    """Store a trained model as its int8 difference from the bundled one (models/data/NAME) and check
    that the rebuilt model encodes the papers' passages as the trained one does."""
    import tempfile

    import numpy as np

    from models.adapted import ADAPTED_MODELS, materialise, shipped_dir, write_delta
    from models.catalog import DEFAULT_MODEL, resolve_model_path
    from models.embedder import create_embedder

    if name not in ADAPTED_MODELS:
        raise typer.BadParameter(f"add {name!r} to models.adapted.ADAPTED_MODELS first")
    record = json.loads((adapted / "adaptation.json").read_text(encoding="utf-8"))
    base = Path(resolve_model_path(DEFAULT_MODEL))
    out = write_delta(base, adapted, shipped_dir(name), record)
    console.print(f"wrote {out} ({sum(f.stat().st_size for f in out.iterdir()) / 1e6:.1f} MB)")
    texts = [p.passage for p in mine(check, sentences=True)][:300]
    with tempfile.TemporaryDirectory() as root:
        rebuilt = materialise(name, base, Path(root))
        trained = create_embedder("sentence-transformers", model=str(adapted), precision="fp32")
        again = create_embedder("sentence-transformers", model=str(rebuilt), precision="fp32")
        cosines = np.sum(trained.encode_passages(texts) * again.encode_passages(texts), axis=1)
    console.print(f"{len(texts)} passages: cosine of rebuilt to trained vectors min {cosines.min():.6f}, "
                  f"mean {cosines.mean():.6f}")


@app.command()
def background(index_dir: Path = typer.Option(..., exists=True, file_okay=False)) -> None:
    """Measure the cosine background of an index's passages and ship it as its model's
    (``models.calibration``: what the relevance floor of a small index is measured against)."""
    from indexer.store.reader import IndexReader
    from models.calibration import measure_background, save_model_background

    with IndexReader(index_dir) as reader:
        model, found = reader.manifest.model, measure_background(reader.all_vectors())
    if found is None:
        raise typer.Exit(f"{index_dir} has too few passages to measure")
    console.print(f"{model}: {found} -> {save_model_background(model, found)}")


if __name__ == "__main__":
    app()
