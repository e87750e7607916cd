"""What a reviewer sees next: a stratified random sample, or a queue of likely problems.

The sample is stratified by persona × scenario with largest-remainder quotas, so
a 50-record spot check of a 65/17.5/17.5 run looks at every cell in proportion
instead of whatever a plain random draw happens to favour.
"""
from __future__ import annotations

import hashlib
import random
from typing import Any, Callable, Sequence

from core.data_loader import CHECKS, record_row
from core.plan import apportion

Record = dict[str, Any]


class SamplingError(ValueError):
    """A sample request that cannot be met; the message says what to change."""


def _failed_checks(row: dict[str, Any]) -> int:
    return sum(row[f"check_{check}"] == "fail" for check in CHECKS)


def _sorted_by_row(records: Sequence[Record], key: Callable[[dict[str, Any]], Any]) -> list[Record]:
    """Stable sort of records by a key of their `record_row`."""
    rows = [record_row(record) for record in records]
    return [records[i] for i in sorted(range(len(records)), key=lambda i: key(rows[i]))]


def _record_id(record: Record) -> str:
    return str(record.get("id", ""))


def _stratum_rng(seed: int, stratum: tuple[str, str]) -> random.Random:
    digest = hashlib.sha256(f"review-sample:{seed}:{stratum[0]}:{stratum[1]}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def stratified_sample(records: Sequence[Record], size: int, seed: int) -> list[Record]:
    """`size` records drawn at random within each persona × scenario cell, in proportion.

    The result is shuffled (not grouped by cell) and depends only on the set of
    records (not their order), `size` and `seed`; asking for more than there are returns every record.
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise SamplingError(f"size: expected a whole number of records, 0 or more; got {size!r}")
    strata: dict[tuple[str, str], list[Record]] = {}
    for record in records:
        row = record_row(record)
        strata.setdefault((str(row["persona"]), str(row["scenario"])), []).append(record)
    ordered = dict(sorted(strata.items()))
    quotas = apportion(min(size, len(records)), {key: len(group) for key, group in ordered.items()}) \
        if records else {}
    sample = [record for key, group in ordered.items()
              for record in _stratum_rng(seed, key).sample(sorted(group, key=_record_id), quotas[key])]
    random.Random(seed).shuffle(sample)
    return sample


def lowest_groundedness_queue(records: Sequence[Record]) -> list[Record]:
    """Records by groundedness, lowest first; records without a score come last."""
    return _sorted_by_row(records, lambda row: (row["groundedness"] is None, row["groundedness"] or 0.0))


def failed_checks_queue(records: Sequence[Record]) -> list[Record]:
    """Records that failed validation first (most failed checks first), then the rest."""
    return _sorted_by_row(records, lambda row: (row["passed"] is not False, -_failed_checks(row)))
