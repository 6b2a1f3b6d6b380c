"""The held-out ranking queries kept with the tests (tools.rank_eval --set heldout): they load, and a hit is
graded by its own section, unjudged hits counted."""

from __future__ import annotations

import pytest

from tools.rank_eval import HeldOutJudge


def test_heldout_queries_are_judged() -> None:
    judge = HeldOutJudge()
    assert len(judge.queries) == 20
    assert set(judge.qrels) == set(judge.queries)
    for qid, grades in judge.qrels.items():
        assert max(grades.values()) >= 1, qid  # every query has a relevant section to find
        assert set(grades.values()) <= {0, 1, 2, 3}


def test_ndcg_grades_hits_by_their_section() -> None:
    judge = HeldOutJudge()
    qid = "n01"
    best = sorted(judge.qrels[qid], key=lambda s: -judge.qrels[qid][s])
    assert judge.ndcg(qid, best[:10]) == pytest.approx(1.0)
    assert not judge.unjudged
    worst = [s for s in best if judge.qrels[qid][s] == 0][:10]
    assert judge.ndcg(qid, worst) == 0.0
    assert judge.ndcg(qid, ["nobody/judged.txt#1", *best[:9]]) < 1.0
    assert judge.unjudged == {(qid, "nobody/judged.txt#1")}
