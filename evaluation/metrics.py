"""Judging returned passages against the gold evidence, and IR metrics with ranx.

The relevant units are a query's evidence strings. A returned passage is
relevant when it comes from the query's file and contains an evidence string
not already credited higher up, so recall@k is the share of the evidence found
in the top k (several places for answers repeated in an appendix), and a
second passage repeating the same evidence earns nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ranx import Qrels, Run, evaluate

from evaluation.gold import GoldQuery, matched_evidence

METRICS = ("hit_rate@1", "hit_rate@5", "hit_rate@10", "mrr@10", "ndcg@10", "recall@10")
SHORT = {"hit_rate@1": "hit@1", "hit_rate@5": "hit@5", "hit_rate@10": "hit@10", "mrr@10": "MRR@10",
         "ndcg@10": "nDCG@10", "recall@10": "recall@10"}


@dataclass
class Judged:
    """One query's results as judged: per rank, the evidence index credited there (or None)."""

    query: GoldQuery
    credited: list[int | None]
    hits: list[dict] = field(default_factory=list)
    took_ms: float = 0.0

    @property
    def first_hit(self) -> int | None:
        """1-based rank of the first relevant passage."""
        return next((rank for rank, e in enumerate(self.credited, 1) if e is not None), None)


def judge(query: GoldQuery, response: dict) -> Judged:
    """Credit each returned passage with the first evidence string it holds that no higher passage took."""
    taken: set[int] = set()
    credited: list[int | None] = []
    for hit in response["results"]:
        fresh = [i for i in matched_evidence(query, hit["document"]["source_file"], hit["text"]) if i not in taken]
        credited.append(fresh[0] if fresh else None)
        taken.update(fresh[:1])
    return Judged(query=query, credited=credited, hits=response["results"], took_ms=response.get("took_ms", 0.0))


def ir_metrics(judged: list[Judged]) -> dict[str, float]:
    """ranx metrics over the answerable queries."""
    answerable = [j for j in judged if j.query.answerable]
    if not answerable:
        return {SHORT[m]: 0.0 for m in METRICS}
    qrels = Qrels({j.query.id: {f"e{i}": 1 for i in range(len(j.query.evidence))} for j in answerable})
    run_dict: dict[str, dict[str, float]] = {}
    for j in answerable:
        scores = {}
        for rank, evidence in enumerate(j.credited):
            scores[f"e{evidence}" if evidence is not None else f"miss{rank}"] = float(len(j.credited) - rank)
        run_dict[j.query.id] = scores
    scores = evaluate(qrels, Run(run_dict), list(METRICS), make_comparable=True)
    return {SHORT[m]: float(scores[m]) for m in METRICS}


def summarise(judged: list[Judged]) -> dict:
    """Every number for one configuration: IR metrics, size, no-answer accuracy, breakdowns."""
    answerable = [j for j in judged if j.query.answerable]
    unanswerable = [j for j in judged if not j.query.answerable]
    returned = [len(h["text"]) for j in judged for h in j.hits]
    summary = {
        **ir_metrics(judged),
        "queries": len(answerable),
        "no_answer_queries": len(unanswerable),
        "no_answer_accuracy": sum(1 for j in unanswerable if not j.hits) / len(unanswerable) if unanswerable else None,
        "answerable_empty": sum(1 for j in answerable if not j.hits),
        "mean_chars": sum(returned) / len(returned) if returned else 0.0,
        "mean_results": sum(len(j.hits) for j in judged) / len(judged) if judged else 0.0,
        "mean_ms": sum(j.took_ms for j in judged) / len(judged) if judged else 0.0,
    }
    for facet in ("kind", "style"):
        groups: dict[str, list[Judged]] = defaultdict(list)
        for j in answerable:
            groups[getattr(j.query, facet)].append(j)
        summary[f"by_{facet}"] = {name: {"n": len(group), **{k: v for k, v in ir_metrics(group).items()
                                                             if k in ("hit@1", "hit@5", "MRR@10")}}
                                  for name, group in sorted(groups.items())}
    return summary
