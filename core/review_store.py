"""Review decisions in SQLite, so several reviewers can work at once without losing one.

Each reviewer has their own row per record: two reviewers deciding the same
record are both kept, and a reviewer who changes their mind replaces only their
own row. A connection is opened per call (WAL mode, busy timeout), so the store
is safe to share between Streamlit sessions, threads and processes.
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Iterable, Sequence

DECISIONS = ("accept", "reject", "skip")
# Skipping is "not judged yet": it counts as progress but not towards agreement.
JUDGEMENTS = ("accept", "reject")
BUSY_TIMEOUT_MS = 5000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    run_id     TEXT NOT NULL,
    example_id TEXT NOT NULL,
    reviewer   TEXT NOT NULL,
    decision   TEXT NOT NULL CHECK (decision IN ('accept', 'reject', 'skip')),
    note       TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL,
    PRIMARY KEY (run_id, example_id, reviewer)
)
"""


class ReviewError(ValueError):
    """A decision that cannot be stored; the message says which field and why."""


@dataclass(frozen=True)
class Decision:
    run_id: str
    example_id: str
    reviewer: str
    decision: str
    note: str
    decided_at: str


@dataclass(frozen=True)
class PairAgreement:
    """How two reviewers agree on the records both judged (accept or reject)."""

    reviewer_a: str
    reviewer_b: str
    items: int
    agreed: int
    percent: float | None
    kappa: float | None  # None when undefined: no shared items, or chance agreement is certain


class ReviewStore:
    """The decisions table of `data/studio.sqlite` (or any path)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as connection, connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return connection

    def record(self, run_id: str, example_id: str, reviewer: str, decision: str, *,
               at: datetime, note: str = "") -> Decision:
        """Store (or replace) this reviewer's decision on one record."""
        reviewer = reviewer.strip()
        if not reviewer:
            raise ReviewError("reviewer: a name is required so decisions by different people are kept apart")
        if decision not in DECISIONS:
            raise ReviewError(f"decision: {decision!r} is not one of {', '.join(DECISIONS)}")
        if not run_id or not example_id:
            raise ReviewError("run_id and example_id: both are required to say which record was reviewed")
        if at.tzinfo is None:
            raise ReviewError("at: give a timezone-aware time (e.g. datetime.now(timezone.utc))")
        stored = Decision(run_id, example_id, reviewer, decision, note, at.isoformat(timespec="seconds"))
        with closing(self._connect()) as connection, connection:
            connection.execute(
                "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (run_id, example_id, reviewer) DO UPDATE SET "
                "decision = excluded.decision, note = excluded.note, decided_at = excluded.decided_at",
                (stored.run_id, stored.example_id, stored.reviewer, stored.decision,
                 stored.note, stored.decided_at))
        return stored

    def decisions(self, run_ids: Iterable[str] | None = None, *, reviewer: str | None = None) -> list[Decision]:
        """Every stored decision, optionally for some runs and one reviewer."""
        clauses, params = [], []
        if run_ids is not None:
            run_ids = list(run_ids)
            clauses.append(f"run_id IN ({', '.join('?' * len(run_ids))})")
            params.extend(run_ids)
        if reviewer is not None:
            clauses.append("reviewer = ?")
            params.append(reviewer)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with closing(self._connect()) as connection:
            rows = connection.execute(
                f"SELECT * FROM decisions{where} ORDER BY run_id, example_id, reviewer", params).fetchall()
        return [Decision(*row) for row in rows]


def decision_counts(decisions: Sequence[Decision]) -> dict[str, int]:
    """Totals per decision, plus distinct records and reviewers."""
    counts = Counter(d.decision for d in decisions)
    return {**{name: counts.get(name, 0) for name in DECISIONS},
            "records": len({(d.run_id, d.example_id) for d in decisions}),
            "reviewers": len({d.reviewer for d in decisions})}


def verdicts(decisions: Sequence[Decision]) -> dict[tuple[str, str], str]:
    """One verdict per judged record: "reject" if any reviewer rejected it, else "accept".

    A single rejection wins so that exports never keep a record someone flagged;
    records only skipped have no verdict.
    """
    result: dict[tuple[str, str], str] = {}
    for d in decisions:
        key = (d.run_id, d.example_id)
        if d.decision == "reject" or (d.decision == "accept" and result.get(key) != "reject"):
            result[key] = d.decision
    return result


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters' labels, or None where it is undefined."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in set(first) | set(second)) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def agreement(decisions: Sequence[Decision]) -> list[PairAgreement]:
    """Agreement of every pair of reviewers on the records both accepted or rejected."""
    by_reviewer: dict[str, dict[tuple[str, str], str]] = {}
    for d in decisions:
        if d.decision in JUDGEMENTS:
            by_reviewer.setdefault(d.reviewer, {})[(d.run_id, d.example_id)] = d.decision
    result = []
    for a, b in combinations(sorted(by_reviewer), 2):
        shared = sorted(set(by_reviewer[a]) & set(by_reviewer[b]))
        pairs = [(by_reviewer[a][key], by_reviewer[b][key]) for key in shared]
        agreed = sum(x == y for x, y in pairs)
        result.append(PairAgreement(a, b, len(pairs), agreed,
                                    agreed / len(pairs) if pairs else None, cohen_kappa(pairs)))
    return result
