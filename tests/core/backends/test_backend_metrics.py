"""Per-run backend metrics: counts, tokens, latency percentiles and cost, readable mid-run."""
import threading

import pytest

from core.backends.base import Usage
from core.backends.metrics import BackendMetrics
from core.backends.pricing import FREE


def usage(input_tokens=0, output_tokens=0, cache_write=0, cache_read=0) -> Usage:
    return Usage(input_tokens, output_tokens, cache_write, cache_read)


def test_a_new_run_has_zero_counts_and_no_latency_yet():
    snapshot = BackendMetrics("claude-haiku-4-5").snapshot()

    assert snapshot["calls"] == snapshot["retries"] == snapshot["failures"] == 0
    assert snapshot["failures_by_kind"] == {}
    assert snapshot["latency_p50_ms"] is None
    assert snapshot["cost_usd"] == 0.0


def test_successes_failures_and_retries_are_counted_with_their_tokens():
    metrics = BackendMetrics("claude-haiku-4-5")

    metrics.record_success(usage(1000, 200, cache_write=50, cache_read=400), 0.5)
    metrics.record_retry()
    metrics.record_failure("rate_limit", 2.0)
    metrics.record_failure("malformed", 0.4, usage(300, 40))
    snapshot = metrics.snapshot()

    assert snapshot["calls"] == 3
    assert snapshot["retries"] == 1
    assert snapshot["failures"] == 2
    assert snapshot["failures_by_kind"] == {"rate_limit": 1, "malformed": 1}
    assert (snapshot["input_tokens"], snapshot["output_tokens"]) == (1300, 240)
    assert (snapshot["cache_creation_input_tokens"], snapshot["cache_read_input_tokens"]) == (50, 400)


def test_latency_percentiles_use_the_nearest_rank_in_milliseconds():
    metrics = BackendMetrics("claude-haiku-4-5")
    for seconds in range(1, 101):
        metrics.record_success(usage(), seconds / 100)

    snapshot = metrics.snapshot()

    assert (snapshot["latency_p50_ms"], snapshot["latency_p90_ms"], snapshot["latency_p99_ms"]) == (500.0, 900.0, 990.0)


def test_haiku_costs_one_dollar_in_five_out_per_million_with_cache_multipliers():
    metrics = BackendMetrics("claude-haiku-4-5")

    metrics.record_success(usage(1_000_000, 1_000_000, cache_write=1_000_000, cache_read=1_000_000), 1.0)

    assert metrics.snapshot()["cost_usd"] == pytest.approx(1 + 5 + 1.25 + 0.1)


def test_batch_pricing_is_half_and_dated_snapshots_share_the_alias_price():
    metrics = BackendMetrics("claude-haiku-4-5-20251001", batch=True)

    metrics.record_success(usage(2_000_000, 200_000), 1.0)

    assert metrics.snapshot()["cost_usd"] == pytest.approx((2 + 1) / 2)


def test_an_unknown_model_has_no_cost_and_says_where_to_add_a_price():
    metrics = BackendMetrics("llama3.1:8b")
    metrics.record_success(usage(1000, 1000), 1.0)

    snapshot = metrics.snapshot()

    assert snapshot["cost_usd"] is None
    assert "llama3.1:8b" in snapshot["cost_note"] and "pricing.py" in snapshot["cost_note"]


def test_a_free_backend_costs_nothing_whatever_its_model_name():
    metrics = BackendMetrics("offline-templates", price=FREE)
    metrics.record_success(usage(5000, 5000), 0.01)

    assert metrics.snapshot()["cost_usd"] == 0.0


def test_counts_stay_exact_when_many_threads_record_while_another_reads():
    metrics = BackendMetrics("claude-haiku-4-5")
    snapshots = []

    def worker() -> None:
        for _ in range(500):
            metrics.record_success(usage(1, 1), 0.001)
            metrics.record_retry()

    def reader() -> None:
        for _ in range(50):
            snapshots.append(metrics.snapshot())

    threads = [threading.Thread(target=worker) for _ in range(4)] + [threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    final = metrics.snapshot()
    assert (final["calls"], final["retries"], final["input_tokens"]) == (2000, 2000, 2000)
    assert all(s["calls"] == s["input_tokens"] for s in snapshots), "a snapshot is never torn"
