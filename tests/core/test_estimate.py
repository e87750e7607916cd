"""Run estimates: calls counted from the plans, tokens priced from the price table, time from concurrency."""
from dataclasses import replace

import pytest

from core.backends.base import Usage
from core.backends.pricing import cost_usd, price_for
from core.config import RunConfig
from core.estimate import EXACT_PLAN_LIMIT, SAMPLE_PLANS, estimate_run, expected_counts, tool_steps_per_turn
from core.plan import build_plans, plan_summary


def make_plan(**changes):
    plan = build_plans(RunConfig(count=1, seed=3, scenario_weights={"success": 1}))[0]
    return replace(plan, **{"use_geocode": False, "error_kind": None, "follow_ups": (), **changes})


def test_a_plain_question_needs_one_tool_step():
    assert tool_steps_per_turn(make_plan()) == [1]


def test_geocoding_and_errors_add_steps_and_follow_ups_that_need_data_add_their_own():
    plan = make_plan(use_geocode=True, error_kind="timeout", follow_ups=("tomorrow", "umbrella"))
    assert tool_steps_per_turn(plan) == [3, 1, 0]


def test_offline_runs_cost_nothing_and_make_no_model_calls():
    estimate = estimate_run(RunConfig(count=500))
    assert (estimate.calls, estimate.input_tokens, estimate.cost_usd) == (0, 0, 0.0)
    assert estimate.seconds > 0


def test_an_anthropic_estimate_prices_its_tokens_at_the_default_models_price():
    estimate = estimate_run(RunConfig(count=200, backend="anthropic"))
    expected = cost_usd(price_for("claude-haiku-4-5"),
                        Usage(input_tokens=estimate.input_tokens, output_tokens=estimate.output_tokens))
    assert estimate.cost_usd == pytest.approx(expected, abs=1e-4)
    assert 3 * 200 <= estimate.calls <= 8 * 200
    assert estimate.input_tokens > 10 * estimate.output_tokens > 0


def test_multi_turn_runs_cost_more_than_single_turn_runs():
    single = estimate_run(RunConfig(count=300, backend="anthropic", scenario_weights={"success": 1}))
    multi = estimate_run(RunConfig(count=300, backend="anthropic", scenario_weights={"multi_turn": 1}))
    assert multi.calls > single.calls and multi.cost_usd > single.cost_usd


def test_a_model_without_a_price_gets_no_dollar_figure_and_says_so():
    estimate = estimate_run(RunConfig(count=50, backend="openai", model="llama3.1", base_url="http://localhost:1/v1"))
    assert estimate.cost_usd is None and "no price known for model 'llama3.1'" in estimate.note


def test_more_requests_in_flight_take_less_time():
    slow = estimate_run(RunConfig(count=100, backend="anthropic", concurrency=2))
    fast = estimate_run(RunConfig(count=100, backend="anthropic", concurrency=20))
    assert slow.seconds == pytest.approx(10 * fast.seconds)


def test_runs_larger_than_the_sample_scale_linearly():
    sample = estimate_run(RunConfig(count=SAMPLE_PLANS, backend="anthropic"))
    double = estimate_run(RunConfig(count=2 * SAMPLE_PLANS, backend="anthropic"))
    assert double.calls == 2 * sample.calls and double.input_tokens == 2 * sample.input_tokens


def test_expected_counts_are_the_plans_own_counts():
    config = RunConfig(count=333, seed=5, intent_weights={"compare": 1, "trip": 2})
    assert expected_counts(config) == plan_summary(build_plans(config))


def test_expected_counts_above_the_exact_limit_are_apportioned_exactly():
    counts = expected_counts(RunConfig(count=EXACT_PLAN_LIMIT * 5))
    assert counts["scenario"] == {"success": 65_000, "error": 17_500, "multi_turn": 17_500}
    assert counts["persona"] == {"neutral": 60_000, "twain": 25_000, "franklin": 15_000}
    assert sum(counts["error_kind"].values()) == 17_500
