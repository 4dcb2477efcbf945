"""Learn which sentence answers a question: ``python -m evaluation.train_answers``.

For every answerable gold query, asks the service for its top 5 passages, takes their statements
as candidates (``qa.answer.answer_candidates``) and labels a candidate right when it holds one of
the query's evidence strings (or lies inside one) in the query's own paper. Then:

1. 5-fold cross-validation over dev queries (grouped by query): answer@1 (the first sentence is
   right) and answer@3 of the hand formula (cosine + 0.3 coverage) against a logistic model over
   ``qa.answerhood.FEATURES``, over the queries whose top 5 passages hold a right sentence, with
   bootstrap 95% intervals; also leave-one-council-out.
2. Fits on all dev queries and, with ``--save``, stores the weights for the embedder in
   ``models/data/calibration.json``.
3. With ``--test``, scores the test split once.
"""

from __future__ import annotations

import json
import random
import warnings
from pathlib import Path

import numpy as np
import typer
from sklearn.linear_model import LogisticRegression

from evaluation.gold import GoldQuery, load_gold, normalise
from evaluation.learn import Candidates
from evaluation.subsets import interval

CACHE = Path(__file__).resolve().parent / ".cache" / "answer_candidates.json"
app = typer.Typer(add_completion=False, help=__doc__)


def is_right(query: GoldQuery, source_file: str, sentence: str) -> bool:
    """The sentence holds an evidence string of the query's paper, or is wholly inside one."""
    if source_file != query.source_file:
        return False
    text = normalise(sentence)
    return any(e in text or (len(text) >= 25 and text in e) for e in map(normalise, query.evidence))


def record(index_dir: Path, refresh: bool) -> tuple[str, list[Candidates]]:
    """Each answerable query's candidates and labels (cached in evaluation/.cache)."""
    gold = {q.id: q for q in load_gold() if q.answerable}
    if CACHE.is_file() and not refresh:
        raw = json.loads(CACHE.read_text())
        return raw["model"], [Candidates(gold[r["id"]], np.asarray(r["matrix"]).reshape(-1, len(r["features"])),
                                         np.asarray(r["right"])) for r in raw["queries"] if r["id"] in gold]
    from models.embedder import create_embedder
    from qa.answer import answer_candidates
    from qa.answerhood import FEATURES
    from qa.service import QAService
    from qa.settings import ServiceSettings

    settings = ServiceSettings(index_dir=index_dir)
    embedder = create_embedder(settings.embedding_backend, model=settings.embedding_model, precision=settings.precision)
    service = QAService(settings, embedder)
    out, rows = [], []
    for query in gold.values():
        hits = list(service.search(query.query, k=5).hits)
        candidates, matrix = answer_candidates(service.question(query.query), hits, embedder)
        right = np.array([is_right(query, hits[c.rank - 1].location.source_file, c.text) for c in candidates], dtype=bool)
        out.append(Candidates(query, matrix, right))
        rows.append({"id": query.id, "features": list(FEATURES), "matrix": matrix.ravel().tolist(),
                     "right": right.tolist()})
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(json.dumps({"model": embedder.name, "queries": rows}))
    return embedder.name, out


def hand_scores(matrix: np.ndarray) -> np.ndarray:
    from qa.answerhood import answer_scores

    return answer_scores(matrix, None)


def fit(recorded: list[Candidates], c: float = 1.0) -> tuple[LogisticRegression, np.ndarray, np.ndarray]:
    x = np.vstack([r.features for r in recorded])
    y = np.concatenate([r.relevant for r in recorded])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit((x - mean) / scale, y)
    return model, mean, scale


def first_right(scores: np.ndarray, right: np.ndarray) -> int | None:
    """1-based rank of the first right sentence under ``scores`` (stable order)."""
    order = np.argsort(-scores, kind="stable")
    return next((i for i, j in enumerate(order, 1) if right[j]), None)


def judged(recorded: list[Candidates], scorer) -> tuple[list[float], list[float]]:
    at1, at3 = [], []
    for r in recorded:
        rank = first_right(scorer(r.features), r.relevant)
        at1.append(float(rank == 1))
        at3.append(float(rank is not None and rank <= 3))
    return at1, at3


def learned(model: LogisticRegression, mean: np.ndarray, scale: np.ndarray):
    return lambda m: model.decision_function((m - mean) / scale)


def show(name: str, at1: list[float], at3: list[float]) -> None:
    m1, l1, h1 = interval(at1)
    m3, l3, h3 = interval(at3)
    print(f"{name:<34} n={len(at1):>3}  answer@1 {m1:.3f} [{l1:.2f}, {h1:.2f}]  answer@3 {m3:.3f} [{l3:.2f}, {h3:.2f}]")


@app.command()
def main(index_dir: Path = typer.Option(Path("evaluation/.indexes/structure")), refresh: bool = False,
         save: bool = False, test: bool = False, folds: int = 5, c: float = 0.03) -> None:
    warnings.filterwarnings("ignore")
    model_name, recorded = record(index_dir, refresh)
    reachable = [r for r in recorded if r.relevant.any()]
    dev = [r for r in reachable if r.query.split == "dev"]
    print(f"{len(recorded)} answerable queries; {len(reachable)} have a right sentence in their top 5 passages "
          f"({len(dev)} dev)")
    shuffled = dev[:]
    random.Random(13).shuffle(shuffled)
    hand1, hand3, cv1, cv3 = [], [], [], []
    for fold in range(folds):
        held = shuffled[fold::folds]
        train = [r for r in shuffled if r not in held]
        a1, a3 = judged(held, hand_scores)
        hand1 += a1
        hand3 += a3
        b1, b3 = judged(held, learned(*fit(train, c)))
        cv1 += b1
        cv3 += b3
    show("dev, hand formula", hand1, hand3)
    show(f"dev, learned ({folds}-fold CV)", cv1, cv3)
    for council in ("norfolk", "kent"):
        train = [r for r in dev if r.council != council]
        held = [r for r in dev if r.council == council]
        show(f"leave {council} out, hand", *judged(held, hand_scores))
        show(f"leave {council} out, learned", *judged(held, learned(*fit(train, c))))
    model, mean, scale = fit(dev, c)
    from qa.answerhood import FEATURES

    for name, weight in sorted(zip(FEATURES, model.coef_[0]), key=lambda p: -abs(p[1])):
        print(f"  {name:<22} {weight:+.3f}")
    if test:
        held = [r for r in reachable if r.query.split == "test"]
        show("TEST, hand formula", *judged(held, hand_scores))
        show("TEST, learned on all dev", *judged(held, learned(model, mean, scale)))
    if save:
        from models.calibration import AnswerWeights, save_answer_weights

        weights = AnswerWeights(FEATURES, tuple(mean.tolist()), tuple(scale.tolist()), tuple(model.coef_[0].tolist()),
                                float(model.intercept_[0]), f"{len(dev)} dev gold queries, C={c}")
        print(f"saved to {save_answer_weights(model_name, weights)}")


if __name__ == "__main__":
    app()
