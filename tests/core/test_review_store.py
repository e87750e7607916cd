"""The review store keeps every reviewer's decision and says how reviewers agree."""
import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest

from core.review_store import (Decision, ReviewError, ReviewStore, agreement, cohen_kappa,
                               decision_counts, verdicts)

T0 = datetime(2026, 3, 14, 12, 0, tzinfo=timezone.utc)


def make_store(tmp_path) -> ReviewStore:
    return ReviewStore(tmp_path / "data" / "studio.sqlite")


def make_decision(example_id: str, reviewer: str, decision: str, run_id: str = "run-1") -> Decision:
    return Decision(run_id, example_id, reviewer, decision, "", T0.isoformat())


def test_a_decision_is_stored_and_read_back(tmp_path):
    store = make_store(tmp_path)
    store.record("run-1", "ex-1", "ana", "reject", at=T0, note="wrong city")
    assert store.decisions() == [Decision(
        "run-1", "ex-1", "ana", "reject", "wrong city", "2026-03-14T12:00:00+00:00")]


def test_the_database_uses_write_ahead_logging(tmp_path):
    store = make_store(tmp_path)
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_two_reviewers_deciding_the_same_record_are_both_kept(tmp_path):
    store = make_store(tmp_path)
    store.record("run-1", "ex-1", "ana", "accept", at=T0)
    store.record("run-1", "ex-1", "ben", "reject", at=T0)
    assert [(d.reviewer, d.decision) for d in store.decisions(["run-1"])] == [("ana", "accept"), ("ben", "reject")]


def test_a_reviewer_changing_their_mind_updates_only_their_row(tmp_path):
    store = make_store(tmp_path)
    store.record("run-1", "ex-1", "ana", "accept", at=T0)
    store.record("run-1", "ex-1", "ben", "accept", at=T0)
    store.record("run-1", "ex-1", "ana", "reject", at=T0 + timedelta(minutes=5), note="on reflection")
    ana, ben = store.decisions()
    assert (ana.decision, ana.note, ana.decided_at) == ("reject", "on reflection", "2026-03-14T12:05:00+00:00")
    assert ben.decision == "accept"


def test_decisions_filter_by_run_and_reviewer(tmp_path):
    store = make_store(tmp_path)
    store.record("run-1", "ex-1", "ana", "accept", at=T0)
    store.record("run-2", "ex-9", "ana", "skip", at=T0)
    store.record("run-2", "ex-9", "ben", "accept", at=T0)
    assert [d.run_id for d in store.decisions(["run-2"], reviewer="ana")] == ["run-2"]
    assert store.decisions([]) == []
    assert store.decisions(["run-1"], reviewer="ben") == []


def test_concurrent_writers_from_threads_lose_nothing(tmp_path):
    store = make_store(tmp_path)

    def review(reviewer: str) -> None:
        for i in range(25):
            store.record("run-1", f"ex-{i}", reviewer, "accept", at=T0)

    threads = [threading.Thread(target=review, args=(name,)) for name in ("ana", "ben", "cy", "dee")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.decisions()) == 100


@pytest.mark.parametrize("kwargs, field", [
    ({"reviewer": "  "}, "reviewer"),
    ({"decision": "maybe"}, "decision"),
    ({"example_id": ""}, "example_id"),
    ({"at": datetime(2026, 3, 14)}, "at"),
])
def test_bad_decisions_are_refused_with_the_field_named(tmp_path, kwargs, field):
    args = {"run_id": "run-1", "example_id": "ex-1", "reviewer": "ana", "decision": "accept", "at": T0, **kwargs}
    with pytest.raises(ReviewError, match=field):
        make_store(tmp_path).record(args.pop("run_id"), args.pop("example_id"), args.pop("reviewer"),
                                    args.pop("decision"), **args)


def test_counts_total_each_decision_and_the_distinct_records_and_reviewers():
    decisions = [make_decision("a", "ana", "accept"), make_decision("a", "ben", "reject"),
                 make_decision("b", "ana", "skip")]
    assert decision_counts(decisions) == {"accept": 1, "reject": 1, "skip": 1, "records": 2, "reviewers": 2}


def test_one_rejection_makes_the_verdict_reject_and_skips_give_no_verdict():
    decisions = [make_decision("a", "ana", "accept"), make_decision("a", "ben", "reject"),
                 make_decision("b", "ana", "accept"), make_decision("b", "ben", "skip"),
                 make_decision("c", "ana", "skip")]
    assert verdicts(decisions) == {("run-1", "a"): "reject", ("run-1", "b"): "accept"}


def test_kappa_matches_a_worked_example():
    # 10 items: both accept 4, both reject 3, disagree 3 (a accept/b reject 2, a reject/b accept 1).
    pairs = [("accept", "accept")] * 4 + [("reject", "reject")] * 3 + \
            [("accept", "reject")] * 2 + [("reject", "accept")]
    # observed 0.7; expected 0.6*0.5 + 0.4*0.5 = 0.5; kappa = 0.2 / 0.5
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_kappa_is_undefined_without_items_or_when_both_always_say_the_same():
    assert cohen_kappa([]) is None
    assert cohen_kappa([("accept", "accept")] * 3) is None


def test_agreement_pairs_reviewers_on_records_both_judged_and_ignores_skips():
    decisions = [make_decision("a", "ana", "accept"), make_decision("a", "ben", "accept"),
                 make_decision("b", "ana", "reject"), make_decision("b", "ben", "accept"),
                 make_decision("c", "ana", "accept"), make_decision("c", "ben", "skip"),
                 make_decision("d", "cy", "accept")]
    ana_ben, ana_cy, ben_cy = agreement(decisions)
    assert (ana_ben.reviewer_a, ana_ben.reviewer_b, ana_ben.items, ana_ben.agreed, ana_ben.percent) == \
        ("ana", "ben", 2, 1, 0.5)
    assert ana_ben.kappa == pytest.approx(0.0)
    assert (ana_cy.items, ana_cy.percent, ana_cy.kappa) == (0, None, None)
    assert ben_cy.items == 0
