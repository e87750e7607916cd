"""A run's validation at a glance: pass/fail per check, groundedness spread, what fails most, examples."""
from __future__ import annotations

import math
import os
from collections import Counter

from core.output_writer import write_json
from core.validation.findings import CHECKS
from core.validation.record_validator import ValidationResult

HISTOGRAM_BUCKETS = 10
_SAMPLE_REASONS = 5


def _percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = math.ceil(round(share * len(ordered), 9))  # round first: 0.1 * 30 is 3.0000000000000004
    return ordered[min(max(rank, 1), len(ordered)) - 1]


class ValidationReport:
    """Accumulates results one record at a time, so a run of any size is reported in constant memory
    (apart from one float per record for the groundedness percentiles)."""

    def __init__(self, *, sample_limit: int = 5, top_reasons: int = 10) -> None:
        self.total = 0
        self.passed = 0
        self.check_counts = {check: {"pass": 0, "fail": 0} for check in CHECKS}
        self.scores: list[float] = []
        self._reasons: Counter[tuple[str, str]] = Counter()
        self._example_reason: dict[tuple[str, str], str] = {}
        self.samples: list[dict] = []
        self.sample_limit = sample_limit
        self.top_reasons = top_reasons

    def add(self, result: ValidationResult, record: object) -> None:
        self.total += 1
        self.passed += result.passed
        for check, verdict in result.checks.items():
            self.check_counts[check][verdict] += 1
        if result.groundedness is not None:
            self.scores.append(result.groundedness.score)
        for finding in result.failures:
            key = (finding.check, finding.rule or "unspecified")
            self._reasons[key] += 1
            self._example_reason.setdefault(key, finding.reason)
        if not result.passed and len(self.samples) < self.sample_limit:
            self.samples.append(_sample(result, record))

    @property
    def failed(self) -> int:
        return self.total - self.passed

    def groundedness_distribution(self) -> dict:
        if not self.scores:
            return {"count": 0, "mean": None, "p10": None, "p50": None, "histogram": []}
        ordered = sorted(self.scores)
        counts = [0] * HISTOGRAM_BUCKETS
        for score in ordered:
            counts[min(int(score * HISTOGRAM_BUCKETS), HISTOGRAM_BUCKETS - 1)] += 1
        width = 1 / HISTOGRAM_BUCKETS
        histogram = [{"low": round(i * width, 2), "high": round((i + 1) * width, 2), "count": count}
                     for i, count in enumerate(counts)]
        return {"count": len(ordered), "mean": round(sum(ordered) / len(ordered), 4),
                "p10": round(_percentile(ordered, 0.10), 4), "p50": round(_percentile(ordered, 0.50), 4),
                "histogram": histogram}

    def failure_reasons(self) -> list[dict]:
        return [{"check": check, "rule": rule, "count": count, "example": self._example_reason[(check, rule)]}
                for (check, rule), count in self._reasons.most_common(self.top_reasons)]

    def to_dict(self) -> dict:
        return {"total": self.total, "passed": self.passed, "failed": self.failed,
                "pass_rate": round(self.passed / self.total, 4) if self.total else None,
                "checks": {check: dict(counts) for check, counts in self.check_counts.items()},
                "groundedness": self.groundedness_distribution(),
                "top_failure_reasons": self.failure_reasons(),
                "rejected_samples": list(self.samples)}

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write `validation_report.json` atomically (temp file, fsync, rename)."""
        write_json(path, self.to_dict())

    def summary_text(self) -> str:
        lines = [f"Validated {self.total} record(s): {self.passed} passed, {self.failed} failed"]
        for check, counts in self.check_counts.items():
            lines.append(f"  {check:<13} {counts['pass']:>7} pass {counts['fail']:>7} fail")
        spread = self.groundedness_distribution()
        if spread["count"]:
            lines.append(f"Groundedness: mean {spread['mean']:.0%}, p10 {spread['p10']:.0%}, "
                         f"median {spread['p50']:.0%}")
            peak = max(bucket["count"] for bucket in spread["histogram"])
            for bucket in spread["histogram"]:
                bar = "#" * round(30 * bucket["count"] / peak) if peak else ""
                lines.append(f"  {bucket['low']:.1f}–{bucket['high']:.1f} {bucket['count']:>7} {bar}")
        reasons = self.failure_reasons()
        if reasons:
            lines.append("Most common failures:")
            lines += [f"  {item['count']:>7} × {item['check']}/{item['rule']}: {item['example']}" for item in reasons]
        if self.samples:
            lines.append("Rejected samples:")
            for sample in self.samples:
                lines.append(f"  {sample['id']} ({sample['scenario']}): {sample['reasons'][0]}")
        return "\n".join(lines)


def _sample(result: ValidationResult, record: object) -> dict:
    record = record if isinstance(record, dict) else {}
    metadata = record.get("metadata") if isinstance(record.get("metadata"), dict) else {}
    return {"id": record.get("id"), "index": metadata.get("index"), "scenario": metadata.get("scenario"),
            "checks": dict(result.checks), "reasons": result.reasons[:_SAMPLE_REASONS]}
