"""What a run will cost before it starts: model calls, tokens, dollars and time.

A local, calibrated rule of thumb, not a quote: it counts the calls each plan
needs (user turns, tool steps, final answers) and sizes every request from the
real system prompts and tool schemas, so the Generate page can warn before a
user spends money. Prices come from `core.backends.pricing`; a model without a
price gets no dollar figure rather than a wrong one.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from core.backends.base import Usage
from core.backends.pricing import cost_usd, price_for
from core.config import RunConfig
from core.personas import PERSONAS
from core.plan import ExamplePlan, apportion, build_plans, plan_summary
from core.runner import default_concurrency

CHARS_PER_TOKEN = 4
# Tokens a turn adds to the conversation that later requests resend.
USER_MESSAGE_TOKENS = 30
TOOL_CALL_TOKENS = 45
TOOL_RESULT_TOKENS = 260
ANSWER_TOKENS = 140
USER_BRIEF_TOKENS = 160
# Seconds per model call at the providers' usual latency, and the offline pace.
MODEL_CALL_SECONDS = 1.6
OFFLINE_EXAMPLES_PER_SECOND = 400.0
SAMPLE_PLANS = 2_000  # plans sized for an estimate; larger runs scale from this sample
EXACT_PLAN_LIMIT = 20_000  # above this, building every plan for a live count is too slow


@dataclass(frozen=True)
class RunEstimate:
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float | None
    seconds: float
    note: str


def _fixed_prompt_tokens() -> int:
    """System prompt plus tool schemas: the prefix every assistant request carries."""
    from core.tools import TOOL_SCHEMAS

    longest_persona = max(len(persona.system_prompt) for persona in PERSONAS.values())
    return (longest_persona + 250 + len(json.dumps(TOOL_SCHEMAS))) // CHARS_PER_TOKEN


_FOLLOW_UPS_NEEDING_CALLS = ("other_city", "tomorrow", "weekend")


def tool_steps_per_turn(plan: ExamplePlan) -> list[int]:
    """Assistant requests ending in tool calls, per user turn (the answer is one more)."""
    first = 1 + plan.use_geocode + (plan.error_kind is not None)
    return [first] + [int(follow_up in _FOLLOW_UPS_NEEDING_CALLS) for follow_up in plan.follow_ups]


def _plan_usage(plan: ExamplePlan, prefix: int) -> tuple[int, Usage]:
    """Calls and tokens of one conversation; each request resends the conversation so far."""
    calls = 0
    usage = Usage()
    conversation = 0
    for steps in tool_steps_per_turn(plan):
        usage.input_tokens += USER_BRIEF_TOKENS + conversation
        usage.output_tokens += USER_MESSAGE_TOKENS
        conversation += USER_MESSAGE_TOKENS
        for _ in range(steps):
            usage.input_tokens += prefix + conversation
            usage.output_tokens += TOOL_CALL_TOKENS
            conversation += TOOL_CALL_TOKENS + TOOL_RESULT_TOKENS
        usage.input_tokens += prefix + conversation
        usage.output_tokens += ANSWER_TOKENS
        conversation += ANSWER_TOKENS
        calls += steps + 2
    return calls, usage


def _default_model(backend: str) -> str:
    if backend != "anthropic":
        return ""
    from core.backends.anthropic_backend import DEFAULT_MODEL  # the SDK import is slow: only when needed

    return DEFAULT_MODEL


def expected_counts(config: RunConfig) -> dict[str, dict[str, int]]:
    """Examples per scenario, persona, intent and error kind: counted from the real plans up
    to EXACT_PLAN_LIMIT examples, apportioned from the weights (the plans' own first step) above."""
    if config.count <= EXACT_PLAN_LIMIT:
        return plan_summary(build_plans(config))
    scenarios = apportion(config.count, config.scenario_weights)
    return {"scenario": scenarios, "persona": apportion(config.count, config.persona_weights),
            "intent": apportion(config.count, config.intent_weights),
            "error_kind": apportion(scenarios["error"], config.error_kind_weights) if scenarios["error"] else {}}


def estimate_run(config: RunConfig) -> RunEstimate:
    """Calls, tokens, dollars and time for `config` on its backend, from (a sample of) its plans."""
    if config.backend == "offline":
        return RunEstimate(calls=0, input_tokens=0, output_tokens=0, cost_usd=0.0,
                           seconds=config.count / OFFLINE_EXAMPLES_PER_SECOND,
                           note="offline: no model calls, no cost")
    plans = build_plans(config.with_changes(count=min(config.count, SAMPLE_PLANS)))
    scale = config.count / len(plans)
    prefix = _fixed_prompt_tokens()
    calls = 0
    total = Usage()
    for plan in plans:
        plan_calls, usage = _plan_usage(plan, prefix)
        calls += plan_calls
        total.input_tokens += usage.input_tokens
        total.output_tokens += usage.output_tokens
    total = Usage(input_tokens=round(total.input_tokens * scale), output_tokens=round(total.output_tokens * scale))
    calls = round(calls * scale)
    model = config.model or _default_model(config.backend)
    price = price_for(model)
    concurrency = config.concurrency or default_concurrency(config.backend)
    seconds = calls * MODEL_CALL_SECONDS / concurrency
    note = (f"about {calls / config.count:.1f} calls per example at {MODEL_CALL_SECONDS} s each, "
            f"{concurrency} in flight")
    if price is None:
        note += f"; no price known for model {model or '(none given)'!r}, so no dollar figure"
    return RunEstimate(calls=calls, input_tokens=total.input_tokens, output_tokens=total.output_tokens,
                       cost_usd=None if price is None else round(cost_usd(price, total), 4),
                       seconds=seconds, note=note)
