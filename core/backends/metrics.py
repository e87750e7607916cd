"""Live per-run counters for a backend, readable from another thread while calls run."""
from __future__ import annotations

import math
import threading
from collections import Counter

from core.backends.base import Usage
from core.backends.pricing import ModelPrice, cost_usd, price_for

_PERCENTILES = (50, 90, 99)


class BackendMetrics:
    """Counts calls, retries, failures by kind, tokens and latency; prices them.

    `price=None` looks the model up in `core.backends.pricing`; pass
    `pricing.FREE` for a backend that costs nothing.
    """

    def __init__(self, model: str, *, price: ModelPrice | None = None, batch: bool = False) -> None:
        self.model = model
        self._price = price if price is not None else price_for(model)
        self._batch = batch
        self._lock = threading.Lock()
        self._calls = 0
        self._retries = 0
        self._failures: Counter[str] = Counter()
        self._usage = Usage()
        self._latencies_ms: list[float] = []

    def record_success(self, usage: Usage, latency_s: float) -> None:
        with self._lock:
            self._finish_call(usage, latency_s)

    def record_failure(self, kind: str, latency_s: float, usage: Usage | None = None) -> None:
        """A failed call; `usage` when the model answered but the answer was unusable."""
        with self._lock:
            self._finish_call(usage or Usage(), latency_s)
            self._failures[kind] += 1

    def record_retry(self) -> None:
        with self._lock:
            self._retries += 1

    def take(self) -> BackendMetrics:
        """The counts so far, handed over (from a worker process); this instance starts again from zero."""
        with self._lock:
            taken = BackendMetrics(self.model, price=self._price, batch=self._batch)
            taken._calls, taken._retries, taken._failures = self._calls, self._retries, self._failures
            taken._usage, taken._latencies_ms = self._usage, self._latencies_ms
            self._calls, self._retries, self._failures = 0, 0, Counter()
            self._usage, self._latencies_ms = Usage(), []
        return taken

    def add(self, other: BackendMetrics) -> None:
        """Count `other`'s calls as this backend's too: a worker process's share of the run."""
        with self._lock:
            self._calls += other._calls
            self._retries += other._retries
            self._failures.update(other._failures)
            self._latencies_ms += other._latencies_ms
            self._add_usage(other._usage)

    def __getstate__(self) -> dict:
        return {name: value for name, value in vars(self).items() if name != "_lock"}

    def __setstate__(self, state: dict) -> None:
        vars(self).update(state)
        self._lock = threading.Lock()

    def snapshot(self) -> dict:
        """A plain, JSON-ready copy of every counter at this moment."""
        with self._lock:
            usage = Usage(**vars(self._usage))
            latencies = sorted(self._latencies_ms)
            snapshot = {
                "model": self.model,
                "calls": self._calls,
                "retries": self._retries,
                "failures": sum(self._failures.values()),
                "failures_by_kind": dict(self._failures),
                **vars(usage),
            }
        for p in _PERCENTILES:
            snapshot[f"latency_p{p}_ms"] = _nearest_rank(latencies, p)
        if self._price is None:
            snapshot["cost_usd"] = None
            snapshot["cost_note"] = f"no price for model {self.model!r}; add it to core/backends/pricing.py"
        else:
            snapshot["cost_usd"] = round(cost_usd(self._price, usage, batch=self._batch), 6)
        return snapshot

    def _finish_call(self, usage: Usage, latency_s: float) -> None:
        self._calls += 1
        self._latencies_ms.append(latency_s * 1000)
        self._add_usage(usage)

    def _add_usage(self, usage: Usage) -> None:
        for name, value in vars(usage).items():
            setattr(self._usage, name, getattr(self._usage, name) + value)


def _nearest_rank(ordered: list[float], percentile: int) -> float | None:
    if not ordered:
        return None
    rank = math.ceil(percentile / 100 * len(ordered))
    return round(ordered[max(rank, 1) - 1], 3)
