"""Running statistics of a run, updated one committed example at a time.

Everything here is counted from the records themselves (via `record_row`), in
plan order, so a resumed run restored from `to_dict` ends with the same numbers
as an unbroken one. Token usage counted here is what the kept records cost;
what the API billed (retries, lost work) lives in the backend metrics.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from core.data_loader import CHECKS, record_row

DIMENSIONS = ("scenario", "persona", "intent", "error_kind", "cities", "climate_groups")


def is_api_failure(record: dict[str, Any]) -> bool:
    """A record with no conversation: every attempt failed at the API, not in validation."""
    return not record.get("messages")


@dataclass
class RunStats:
    done: int = 0
    accepted: int = 0
    rejected: int = 0
    api_failures: int = 0
    attempts: int = 0
    coverage: dict[str, Counter] = field(default_factory=lambda: {name: Counter() for name in DIMENSIONS})
    check_passes: Counter = field(default_factory=Counter)
    check_runs: Counter = field(default_factory=Counter)
    rejections_by_check: Counter = field(default_factory=Counter)
    groundedness_sum: float = 0.0
    groundedness_count: int = 0
    answer_length_sum: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def add(self, record: dict[str, Any], accepted: bool) -> None:
        self.add_row(record_row(record), accepted, is_api_failure(record))

    def add_row(self, row: dict[str, Any], accepted: bool, api_failure: bool) -> None:
        """`add` from the record's `record_row` (and whether it is an API failure)."""
        self.done += 1
        self.attempts += row["attempts"] or 0
        self.input_tokens += row["input_tokens"] or 0
        self.output_tokens += row["output_tokens"] or 0
        if isinstance(row["groundedness"], (int, float)):
            self.groundedness_sum += row["groundedness"]
            self.groundedness_count += 1
        for check in CHECKS:
            verdict = row[f"check_{check}"]
            if verdict is not None:
                self.check_runs[check] += 1
                self.check_passes[check] += verdict == "pass"
        if not accepted:
            self.rejected += 1
            if api_failure:
                self.api_failures += 1
                self.rejections_by_check["api"] += 1
            for check in CHECKS:
                self.rejections_by_check[check] += row[f"check_{check}"] == "fail"
            return
        self.accepted += 1
        self.answer_length_sum += row["final_answer_length"]
        for name in DIMENSIONS:
            value = row[name]
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    self.coverage[name][item] += 1

    @property
    def pass_rate(self) -> float | None:
        return self.accepted / self.done if self.done else None

    @property
    def mean_groundedness(self) -> float | None:
        return self.groundedness_sum / self.groundedness_count if self.groundedness_count else None

    @property
    def mean_answer_length(self) -> float | None:
        return self.answer_length_sum / self.accepted if self.accepted else None

    @property
    def mean_attempts(self) -> float | None:
        return self.attempts / self.done if self.done else None

    def summary(self) -> dict[str, Any]:
        """The headline numbers, rounded for display and status files."""
        def rounded(value: float | None, digits: int) -> float | None:
            return None if value is None else round(value, digits)

        return {
            "done": self.done, "accepted": self.accepted, "rejected": self.rejected,
            "api_failures": self.api_failures,
            "pass_rate": rounded(self.pass_rate, 4),
            "mean_groundedness": rounded(self.mean_groundedness, 4),
            "mean_answer_length": rounded(self.mean_answer_length, 1),
            "mean_attempts": rounded(self.mean_attempts, 3),
            "check_pass_rates": {check: round(self.check_passes[check] / runs, 4)
                                 for check, runs in self.check_runs.items() if runs},
            "rejections_by_check": {check: n for check, n in self.rejections_by_check.items() if n},
            "input_tokens": self.input_tokens, "output_tokens": self.output_tokens,
        }

    def to_dict(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["coverage"] = {name: dict(counter) for name, counter in self.coverage.items()}
        for name in ("check_passes", "check_runs", "rejections_by_check"):
            data[name] = dict(data[name])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RunStats":
        values = dict(data)
        values["coverage"] = {name: Counter(values["coverage"].get(name, {})) for name in DIMENSIONS}
        for name in ("check_passes", "check_runs", "rejections_by_check"):
            values[name] = Counter(values[name])
        return cls(**values)
