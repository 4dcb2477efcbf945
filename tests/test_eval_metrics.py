"""Evaluation maths on cases small enough to work out by hand."""

from __future__ import annotations

import pytest

from evaluation.gold import GoldQuery
from evaluation.metrics import ir_metrics, judge, summarise

FILE = "pack.txt"


def query(qid: str, evidence: tuple[str, ...], kind: str = "topic") -> GoldQuery:
    return GoldQuery(id=qid, query=qid, kind=kind, style="keyword", split="dev",
                     source_file=FILE if evidence else None, evidence=evidence)


def response(*texts: str, source_file: str = FILE) -> dict:
    return {"results": [{"text": t, "document": {"source_file": source_file}} for t in texts], "took_ms": 5.0}


def test_judge_credits_each_evidence_once_and_only_from_the_right_file():
    q = query("q1", ("alpha beta gamma", "delta epsilon"))
    judged = judge(q, response("noise", "x Alpha  **beta** gamma y", "again alpha beta gamma", "delta epsilon"))
    assert judged.credited == [None, 0, None, 1]
    assert judged.first_hit == 2
    assert judge(q, response("alpha beta gamma", source_file="other.txt")).credited == [None]


def test_metrics_by_hand():
    # q1: first relevant at rank 2, finds 2 of 2 evidence strings by rank 4.
    # q2: relevant at rank 1, 1 of 1.  q3: nothing relevant.
    judged = [
        judge(query("q1", ("alpha beta gamma", "delta epsilon")), response("noise", "alpha beta gamma", "x", "delta epsilon")),
        judge(query("q2", ("zeta eta theta",)), response("zeta eta theta")),
        judge(query("q3", ("iota kappa",)), response("nothing", "here")),
    ]
    m = ir_metrics(judged)
    assert m["hit@1"] == pytest.approx(1 / 3)
    assert m["hit@5"] == pytest.approx(2 / 3)
    assert m["MRR@10"] == pytest.approx((1 / 2 + 1 + 0) / 3)
    assert m["recall@10"] == pytest.approx((1 + 1 + 0) / 3)


def test_summary_counts_no_answer_queries_and_passage_size():
    judged = [judge(query("a", ("alpha beta gamma",)), response("alpha beta gamma!")),
              judge(query("n1", (), "none"), response()),
              judge(query("n2", (), "none"), response("abc"))]
    s = summarise(judged)
    assert s["queries"] == 1 and s["no_answer_queries"] == 2
    assert s["no_answer_accuracy"] == pytest.approx(0.5)
    assert s["mean_chars"] == pytest.approx((17 + 3) / 2)
    assert s["by_kind"] == {"topic": {"n": 1, "hit@1": 1.0, "hit@5": 1.0, "MRR@10": 1.0}}
