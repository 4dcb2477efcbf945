"""Learn the second stage and the relevance floor with proper validation: ``python -m evaluation.learn``.

1. Records each gold query's top 50 candidates with their second-stage signals (no floor) over an
   index of both councils' papers, and labels each candidate relevant or not from the evidence.
2. Compares the hand-weighted score with a LightGBM lambdarank model over the same signals by
   5-fold cross-validation over dev queries, and leave-one-council-out (train on one council's dev
   queries, test on the other's). Means come with bootstrap 95% intervals.
3. Learns the relevance floor: a logistic model over the best candidate's signals that says whether
   the query is answerable at all, with its threshold chosen by cross-validation on dev.
4. With ``--test``, trains the ranker on all dev queries and scores the test split, once.

Neither learned stage is shipped: neither beats the hand-weighted second stage on held-out queries.
"""

from __future__ import annotations

import json
import random
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import typer

from evaluation.gold import GoldQuery, load_gold
from evaluation.metrics import judge
from evaluation.subsets import interval
from evaluation.tune import record

FEATURES = ("dense", "coverage", "coverage_expanded", "heading", "date", "idf", "proximity", "fused",
            "dense_gap", "idf_gap", "position")
CACHE = Path(__file__).resolve().parent / ".cache" / "candidates.json"
app = typer.Typer(add_completion=False, help=__doc__)


@dataclass
class Candidates:
    """One query's recorded candidates: features and 0/1 relevance, in first-stage order."""

    query: GoldQuery
    features: np.ndarray
    relevant: np.ndarray

    @property
    def council(self) -> str:
        return "kent" if self.query.id.startswith("k-") else "norfolk"


def featurise(hits: list[dict]) -> np.ndarray:
    """Signals plus where each candidate stands against the query's best (the same query-relative view
    the engine can compute at search time)."""
    if not hits:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    top_dense = max(h["signals"]["dense"] for h in hits)
    top_idf = max(h["signals"]["idf"] for h in hits)
    rows = [[*(h["signals"][name] for name in FEATURES[:8]), h["signals"]["dense"] - top_dense,
             h["signals"]["idf"] - top_idf, position] for position, h in enumerate(hits)]
    return np.asarray(rows, dtype=np.float32)


def load_candidates(index_dir: Path, refresh: bool) -> list[Candidates]:
    gold = {q.id: q for q in load_gold()}
    if refresh or not CACHE.is_file():
        recorded = record(index_dir, list(gold.values()))
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_text(json.dumps([[q.id, hits] for q, hits in recorded]), encoding="utf-8")
    out = []
    for query_id, hits in json.loads(CACHE.read_text(encoding="utf-8")):
        query = gold[query_id]
        credited = judge(query, {"results": hits}).credited if hits else []
        out.append(Candidates(query, featurise(hits), np.asarray([c is not None for c in credited], dtype=np.int32)))
    return out


def baseline_scores(c: Candidates) -> np.ndarray:
    """The recorded order (the hand-weighted second stage) as scores."""
    return -np.arange(len(c.relevant), dtype=np.float32)


def ranks(scores: np.ndarray, relevant: np.ndarray) -> int | None:
    order = np.argsort(-scores, kind="stable")
    hits = np.nonzero(relevant[order])[0]
    return int(hits[0]) + 1 if len(hits) else None


def metrics(ranked: list[int | None]) -> dict[str, tuple[float, float, float]]:
    return {"hit@1": interval([float(r == 1) for r in ranked]),
            "hit@5": interval([float(r is not None and r <= 5) for r in ranked]),
            "MRR@10": interval([1 / r if r and r <= 10 else 0.0 for r in ranked])}


def train_ranker(train: list[Candidates]):
    import lightgbm

    usable = [c for c in train if len(c.relevant) and c.relevant.any()]
    model = lightgbm.LGBMRanker(objective="lambdarank", n_estimators=150, learning_rate=0.05, num_leaves=7,
                                min_child_samples=20, subsample=0.8, subsample_freq=1, colsample_bytree=0.8,
                                random_state=7, verbose=-1)
    model.fit(np.vstack([c.features for c in usable]), np.concatenate([c.relevant for c in usable]),
              group=[len(c.relevant) for c in usable])
    return model


def evaluate(train: list[Candidates], test: list[Candidates]) -> tuple[list[int | None], list[int | None]]:
    """First relevant rank of each answerable test query: hand-weighted, then learned."""
    model = train_ranker(train)
    answerable = [c for c in test if c.query.answerable]
    base = [ranks(baseline_scores(c), c.relevant) if len(c.relevant) else None for c in answerable]
    learned = [ranks(model.predict(c.features), c.relevant) if len(c.relevant) else None for c in answerable]
    return base, learned


def folds(items: list[Candidates], k: int = 5, seed: int = 7) -> list[list[Candidates]]:
    shuffled = items[:]
    random.Random(seed).shuffle(shuffled)
    return [shuffled[i::k] for i in range(k)]


def report(title: str, base: list[int | None], learned: list[int | None]) -> None:
    print(f"\n{title} (n={len(base)})")
    for name, ranked in (("hand-weighted", base), ("lambdarank", learned)):
        cells = "  ".join(f"{m} {v[0]:.3f} [{v[1]:.2f}, {v[2]:.2f}]" for m, v in metrics(ranked).items())
        print(f"  {name:14} {cells}")


@app.command()
def main(index_dir: Path = typer.Option(Path("evaluation/.indexes/structure")),
         refresh: bool = typer.Option(False, help="record the candidates again"),
         test: bool = typer.Option(False, help="train on all dev queries and score the test split once")) -> None:
    warnings.filterwarnings("ignore")
    everything = load_candidates(index_dir, refresh)
    dev = [c for c in everything if c.query.split == "dev"]
    base, learned = [], []
    for held_out in folds(dev):
        train = [c for c in dev if c not in held_out]
        b, l = evaluate(train, held_out)
        base += b
        learned += l
    report("dev, 5-fold cross-validation by query", base, learned)
    for council in ("norfolk", "kent"):
        b, l = evaluate([c for c in dev if c.council != council], [c for c in dev if c.council == council])
        report(f"dev, leave one council out: trained without {council}, tested on {council}", b, l)
    if test:
        b, l = evaluate(dev, [c for c in everything if c.query.split == "test"])
        report("test (trained on all dev), once", b, l)



GATE_FEATURES = ("dense", "idf", "coverage", "coverage_expanded", "proximity", "heading")


def gate_features(c: Candidates) -> np.ndarray:
    """The best candidate's signals: what the query-level floor sees."""
    if not len(c.features):
        return np.zeros(len(GATE_FEATURES), dtype=np.float32)
    return np.asarray([c.features[0][FEATURES.index(name)] for name in GATE_FEATURES], dtype=np.float32)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Standardised logistic regression by gradient descent: (mean, scale, weights, bias)."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    weights, bias = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ weights + bias)))
        weights -= 0.1 * (z.T @ (p - y) / len(y) + l2 * weights / len(y))
        bias -= 0.1 * float(np.mean(p - y))
    return mean, scale, weights, bias


def gate_probability(model: tuple, x: np.ndarray) -> np.ndarray:
    mean, scale, weights, bias = model
    return 1 / (1 + np.exp(-(((x - mean) / scale) @ weights + bias)))


def gate_outcomes(probabilities: np.ndarray, items: list[Candidates], threshold: float) -> tuple[float, float]:
    """(share of unanswerable queries left empty, share of answerable queries with a relevant hit kept)."""
    refused = [p < threshold for p in probabilities]
    none = [r for r, c in zip(refused, items) if not c.query.answerable]
    kept = [not r for r, c in zip(refused, items) if c.query.answerable and c.relevant.any()]
    return (sum(none) / len(none) if none else 1.0), (sum(kept) / len(kept) if kept else 1.0)


@app.command()
def floor(index_dir: Path = typer.Option(Path("evaluation/.indexes/structure"))) -> None:
    """Cross-validate a query-level relevance floor on dev: refuse when the best candidate looks off-topic."""
    warnings.filterwarnings("ignore")
    dev = [c for c in load_candidates(index_dir, False) if c.query.split == "dev"]
    label = np.asarray([float(c.query.answerable) for c in dev])
    x = np.vstack([gate_features(c) for c in dev])
    probabilities = np.zeros(len(dev))
    for held_out in folds(dev):
        train = [i for i, c in enumerate(dev) if c not in held_out]
        test = [i for i, c in enumerate(dev) if c in held_out]
        probabilities[test] = gate_probability(fit_logistic(x[train], label[train]), x[test])
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        refused, kept = gate_outcomes(probabilities, dev, threshold)
        print(f"threshold {threshold:.1f}: no-answer accuracy {refused:.3f}, answerable-with-evidence kept {kept:.3f}")


if __name__ == "__main__":
    app()
