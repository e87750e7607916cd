"""Run estimates: calls counted from the plans, tokens priced from the price table, time from concurrency."""
import json
from contextlib import contextmanager
from dataclasses import replace

import pytest

from core.backends.base import BackendError, Usage
from core.backends.pricing import cost_usd, price_for
from core.config import RunConfig
from core.estimate import (
    BATCH_ROUND_SECONDS,
    DOCUMENTED_CHARS_PER_TOKEN,
    EXACT_PLAN_LIMIT,
    SAMPLE_PLANS,
    estimate_run,
    estimate_vs_actual,
    expected_counts,
    sdk_token_counter,
    tool_steps_per_turn,
)
from core.plan import build_plans, plan_summary
from tests.support.loopback_http import LoopbackServer, Scripted


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


# --- token counts, batch mode, estimate vs actual -------------------------------------------------


def counting(chars_per_token):
    """A token counter at a fixed density, recording what it was asked to count."""
    asked = []

    def count(request):
        asked.append(request)
        return round(len(json.dumps(request)) / chars_per_token)

    count.asked = asked
    return count


def test_without_a_counter_characters_become_tokens_at_the_documented_ratio():
    estimate = estimate_run(RunConfig(count=50, backend="anthropic"))
    assert estimate.chars_per_token == DOCUMENTED_CHARS_PER_TOKEN and estimate.token_source == "documented ratio"


def test_a_counter_calibrates_the_ratio_on_the_runs_own_system_prompts_briefs_and_tools():
    count = counting(3.0)
    estimate = estimate_run(RunConfig(count=50, backend="anthropic"), token_counter=count)
    assert estimate.token_source == "count_tokens" and "count_tokens" in estimate.note
    assistant_requests = [request for request in count.asked if "tools" in request]
    assert {tool["name"] for tool in assistant_requests[0]["tools"]} == {
        "get_current_weather", "get_forecast", "geocode_location"}
    assert all("Today is" in request["system"][0]["text"] for request in assistant_requests)
    assert len(count.asked) == 6


def test_a_denser_tokenizer_means_more_input_tokens_and_fewer_characters_a_token():
    config = RunConfig(count=80, backend="anthropic")
    sparse = estimate_run(config, token_counter=counting(4.0))
    dense = estimate_run(config, token_counter=counting(2.0))
    assert dense.chars_per_token == pytest.approx(sparse.chars_per_token / 2, rel=0.01)
    assert dense.input_tokens > 1.5 * sparse.input_tokens
    assert dense.output_tokens == sparse.output_tokens and dense.calls == sparse.calls


def test_only_an_anthropic_run_is_calibrated_with_anthropics_counter():
    estimate = estimate_run(RunConfig(count=20, backend="openai", model="llama3.1", base_url="http://localhost:1/v1"),
                            token_counter=counting(2.0))
    assert estimate.token_source == "documented ratio"


def test_batch_mode_halves_the_price_of_the_same_calls_and_takes_one_round_per_step():
    config = RunConfig(count=300, backend="anthropic")
    standard, batch = estimate_run(config), estimate_run(config, batch=True)
    assert (batch.calls, batch.input_tokens, batch.output_tokens) == (
        standard.calls, standard.input_tokens, standard.output_tokens)
    assert batch.cost_usd == pytest.approx(standard.cost_usd / 2, abs=1e-4)
    longest = max(sum(steps) + 2 * len(steps) for steps in map(tool_steps_per_turn, build_plans(config)))
    assert batch.mode == "batch" and batch.seconds == longest * BATCH_ROUND_SECONDS


@contextmanager
def count_tokens_api(reply):
    """A loopback `/v1/messages/count_tokens` answering once with `reply`."""
    server = LoopbackServer({"/v1/messages/count_tokens": lambda body: []})
    server.script(reply)
    try:
        yield server
    finally:
        server.close()


SHORT_REQUEST = {"system": "Be brief.", "messages": [{"role": "user", "content": "Hi"}]}


def test_the_sdk_counter_asks_the_count_tokens_endpoint():
    with count_tokens_api(Scripted(200, {"input_tokens": 1234})) as server:
        assert sdk_token_counter("sk-ant-test", base_url=server.base_url)(SHORT_REQUEST) == 1234
        assert server.received[0].body["model"] == "claude-haiku-4-5"


def test_a_refused_count_is_a_backend_error_without_the_key():
    refusal = Scripted(401, {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}})
    with count_tokens_api(refusal) as server, pytest.raises(BackendError, match="invalid x-api-key") as failure:
        sdk_token_counter("sk-ant-secret-key", base_url=server.base_url)(SHORT_REQUEST)
    assert failure.value.kind == "auth" and "sk-ant-secret-key" not in str(failure.value)


def test_estimate_vs_actual_sets_each_figure_beside_its_estimate():
    estimate = estimate_run(RunConfig(count=100, backend="anthropic"), batch=True)
    metrics = {"calls": estimate.calls // 2, "input_tokens": estimate.input_tokens, "cache_read_input_tokens": 0,
               "output_tokens": 2 * estimate.output_tokens, "cost_usd": None}
    report = estimate_vs_actual(estimate, metrics)
    assert report["estimated"]["mode"] == "batch" and report["actual"]["cost_usd"] is None
    assert report["actual_over_estimated"] == {"calls": pytest.approx(0.5, abs=0.01), "input_tokens": 1.0,
                                               "output_tokens": 2.0}
