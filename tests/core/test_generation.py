"""The tool-use loop: records in the design's format, scripted mistakes, faults, regeneration."""
import asyncio
import json
import random
import uuid

import pytest

from core.backends.anthropic_backend import AnthropicBackend
from core.backends.base import AssistantTurn, BackendError, MalformedOutput
from core.backends.offline import OfflineBackend
from core.config import RunConfig
from core.generation import generate_example, simulated_moment
from core.plan import build_plans
from core.tools import ToolContext, execute
from tests.support import loopback_messages_api as api
from tests.support.fake_time import FakeTime

FIXED_CLOCK = lambda: "2026-11-25T12:00:00Z"  # noqa: E731


def config_for(count=120, seed=21, **overrides):
    return RunConfig(count=count, seed=seed, **overrides)


def generate(plan, backend=None, config=None):
    return asyncio.run(generate_example(plan, backend or OfflineBackend(), config=config or config_for(),
                                        clock=FIXED_CLOCK))


def first_plan(config, **wanted):
    return next(p for p in build_plans(config)
                if all(getattr(p, key) == value for key, value in wanted.items()))


def tool_payloads(record):
    return [json.loads(m["content"]) for m in record["messages"] if m["role"] == "tool"]


def test_every_offline_record_has_the_design_shape_and_passes():
    config = config_for(120)
    outcomes = [generate(plan, config=config) for plan in build_plans(config)]
    assert sum(o.accepted for o in outcomes) == len(outcomes)
    assert sum(o.attempts == 1 for o in outcomes) >= 0.95 * len(outcomes)
    for outcome in outcomes:
        record = outcome.record
        assert uuid.UUID(record["id"]).version == 4
        assert set(record) == {"id", "messages", "tools", "parallel_tool_calls", "tags", "metadata"}
        assert record["messages"][0]["role"] == "system" and record["messages"][1]["role"] == "user"
        assert record["messages"][-1]["role"] == "assistant" and record["messages"][-1]["content"]
        assert record["tags"]["domain"] == ["weather", "tool_use"]
        assert record["metadata"]["generator"]["backend"] == "offline"
        assert record["metadata"]["validation"]["passed"] is True
        for message in record["messages"]:
            for call in message.get("tool_calls", []):
                assert isinstance(call["function"]["arguments"], str)


def test_tool_messages_come_from_the_mock_service_not_the_backend():
    config = config_for()
    plan = first_plan(config, scenario="success", intent="current")
    record = generate(plan, config=config).record
    calls = [c for m in record["messages"] for c in m.get("tool_calls", [])]
    context = ToolContext(when=simulated_moment(plan), seed=plan.seed)
    for call, payload in zip(calls, tool_payloads(record)):
        assert payload == execute(call["function"]["name"], call["function"]["arguments"], context=context)


def test_same_seed_gives_the_same_record_ids_included():
    config = config_for(40)
    for plan in build_plans(config)[:15]:
        assert generate(plan, config=config).record == generate(plan, config=config).record


@pytest.mark.parametrize("error_kind, code", [("too_many_days", "out_of_range"),
                                              ("invalid_coordinates", "out_of_range")])
def test_scripted_mistakes_are_weighted_zero_and_answered_by_a_tool_error(error_kind, code):
    config = config_for(400, error_kind_weights={error_kind: 1})
    plan = first_plan(config, error_kind=error_kind)
    outcome = generate(plan, config=config)
    messages = outcome.record["messages"]
    assert outcome.accepted
    assert messages[2]["role"] == "assistant" and messages[2]["weight"] == 0
    assert json.loads(messages[3]["content"])["error"]["code"] == code
    assert all("weight" not in m for m in messages[4:])


@pytest.mark.parametrize("fault", ["rate_limited", "service_unavailable", "timeout"])
def test_injected_service_faults_hit_the_first_call_only(fault):
    config = config_for(400, error_kind_weights={fault: 1})
    plan = first_plan(config, error_kind=fault)
    outcome = generate(plan, config=config)
    payloads = tool_payloads(outcome.record)
    assert outcome.accepted
    assert payloads[0]["error"]["code"] == fault
    assert all("error" not in p for p in payloads[1:])


def test_multi_turn_plans_have_one_user_turn_per_follow_up_plus_one():
    config = config_for(200)
    for plan in [p for p in build_plans(config) if p.scenario == "multi_turn"][:10]:
        record = generate(plan, config=config).record
        users = [m for m in record["messages"] if m["role"] == "user"]
        assert len(users) == 1 + len(plan.follow_ups)


class SpoilFirstAttempt:
    """Offline backend that writes an ungrounded final answer on the plan's first attempt."""

    def __init__(self, first_seed):
        self.inner = OfflineBackend()
        self.first_seed = first_seed
        for name in ("name", "model", "sdk_version", "metrics"):
            setattr(self, name, getattr(self.inner, name))

    async def assistant_turn(self, request):
        turn = await self.inner.assistant_turn(request)
        if request.plan.seed == self.first_seed and not turn.tool_calls:
            return AssistantTurn(text="It is sunny and 45 °C with 5% humidity everywhere.")
        return turn

    async def user_turn(self, request):
        return await self.inner.user_turn(request)

    async def aclose(self):
        return None


def test_a_failed_validation_is_regenerated_with_a_fresh_attempt():
    config = config_for()
    plan = first_plan(config, scenario="success", intent="current")
    outcome = generate(plan, SpoilFirstAttempt(plan.seed), config)
    assert outcome.accepted and outcome.attempts == 2
    assert outcome.record["metadata"]["attempts"] == 2
    assert any("groundedness" in reason for reason in outcome.reasons)


def test_after_the_last_attempt_the_record_is_kept_as_rejected_with_reasons():
    config = config_for(max_attempts=2)
    plan = first_plan(config, scenario="success", intent="current")

    class AlwaysSpoil(SpoilFirstAttempt):
        async def assistant_turn(self, request):
            self.first_seed = request.plan.seed
            return await super().assistant_turn(request)

    outcome = generate(plan, AlwaysSpoil(plan.seed), config)
    assert not outcome.accepted and outcome.attempts == 2
    assert outcome.record["metadata"]["validation"]["passed"] is False
    assert outcome.record["metadata"]["validation"]["reasons"] == outcome.reasons


class Failing(SpoilFirstAttempt):
    def __init__(self, error):
        super().__init__(0)
        self.error = error

    async def assistant_turn(self, request):
        raise self.error


def test_malformed_output_costs_an_attempt_and_ends_rejected_not_crashed():
    config = config_for(max_attempts=3)
    outcome = generate(build_plans(config)[0], Failing(MalformedOutput("no tool call")), config)
    assert not outcome.accepted and len(outcome.reasons) == 3
    assert outcome.record["messages"] == [] and outcome.record["metadata"]["validation"]["passed"] is False


def test_a_failure_no_retry_can_fix_stops_the_example():
    with pytest.raises(BackendError, match="key"):
        generate(build_plans(config_for())[0], Failing(BackendError("auth", "the API key was refused")))


# --- the Anthropic backend through the same loop, against the loopback Messages API --------------

KEY = "sk-ant-api03-LOOPBACK-generation-test"


def anthropic(base_url):
    time = FakeTime()
    return AnthropicBackend(api_key=KEY, base_url=base_url, clock=time.clock, sleep=time.sleep, rng=random.Random(0))


def grounded_answer(plan, latitude, longitude):
    payload = execute("get_current_weather", {"latitude": latitude, "longitude": longitude},
                      context=ToolContext(when=simulated_moment(plan), seed=plan.seed))
    now = payload["current"]
    return f"Right now it is {round(now['temperature_2m'])} °C there, {now['condition']}."


def current_plan(config, scenario="success", **wanted):
    return first_plan(config, scenario=scenario, intent="current", use_geocode=False, **wanted)


def test_anthropic_backend_runs_the_full_loop_and_the_record_says_so(loopback):
    from core.locations import BY_ID

    config = config_for(backend="anthropic")
    plan = current_plan(config)
    place = BY_ID[plan.location_ids[0]]
    lat, lon = round(place.latitude, 2), round(place.longitude, 2)
    loopback.script(
        api.message(api.text(f"What's the weather like in {place.name} right now?")),
        api.message(api.tool_use("toolu_01", "get_current_weather", {"latitude": lat, "longitude": lon})),
        api.message(api.text(grounded_answer(plan, lat, lon))),
    )
    outcome = generate(plan, anthropic(loopback.base_url), config)
    record = outcome.record
    assert outcome.accepted, outcome.reasons
    assert record["metadata"]["generator"]["backend"] == "anthropic"
    assert record["metadata"]["generator"]["model"] == "claude-haiku-4-5"
    assert record["messages"][2]["tool_calls"][0]["id"] == "toolu_01"
    assert record["metadata"]["usage"]["input_tokens"] == 200
    assert KEY not in json.dumps(record)


def test_anthropic_backend_survives_an_injected_429_and_a_multi_turn_plan(loopback):
    from core.locations import BY_ID

    config = config_for(200, backend="anthropic")
    plan = next(p for p in build_plans(config) if p.scenario == "multi_turn" and p.intent == "current"
                and p.follow_ups == ("umbrella",))
    place = BY_ID[plan.location_ids[0]]
    lat, lon = round(place.latitude, 2), round(place.longitude, 2)
    answer = grounded_answer(plan, lat, lon)
    loopback.script(
        api.message(api.text(f"How is the weather in {place.name} at the moment?")),
        api.error(429, "rate_limit_error", "Rate limited", headers={"retry-after": "1"}),
        api.message(api.tool_use("toolu_01", "get_current_weather", {"latitude": lat, "longitude": lon})),
        api.message(api.text(answer)),
        api.message(api.text("Should I bring an umbrella?")),
        api.message(api.text(answer + " Going by that reading, decide on the umbrella yourself.")),
    )
    backend = anthropic(loopback.base_url)
    outcome = generate(plan, backend, config)
    assert [m["role"] for m in outcome.record["messages"]].count("user") == 2
    assert backend.metrics.snapshot()["retries"] == 1
    assert outcome.record["messages"][-1]["content"].endswith("yourself.")
