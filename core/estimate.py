"""What a run will cost before it starts: model calls, tokens, dollars and time.

A calibrated rule of thumb, not a quote. Calls come from each plan's mix (user
turns, tool steps, final answers); every request is sized from the texts the
run will really send: the plan's own system prompt and user briefs and the
Anthropic form of the tool schemas. Characters become tokens at a measured
ratio: the SDK's `count_tokens` on a sample of real requests when a key is at
hand (`sdk_token_counter`), else Anthropic's documented rule of about 3.5
English characters a token. What the model will write (replies, tool results)
is sized by the constants below. Batch mode halves the price and runs one
round per conversation step. Prices come from `core.backends.pricing`; a model
without a price gets no dollar figure rather than a wrong one.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from core.backends import DEFAULT_ANTHROPIC_MODEL as ANTHROPIC_DEFAULT_MODEL
from core.backends.anthropic_messages import system_blocks, tools_to_anthropic
from core.backends.api_key import redact
from core.backends.base import BackendError, Usage
from core.backends.pricing import cost_usd, price_for
from core.backends.retry_policy import classify_status, error_fields
from core.backends.sdk_backend import SIMULATED_USER_SYSTEM
from core.config import RunConfig
from core.plan import ExamplePlan, apportion, build_plans, plan_summary
from core.prompts import system_message, user_brief
from core.tools import TOOL_SCHEMAS

DOCUMENTED_CHARS_PER_TOKEN = 3.5  # Anthropic's glossary: a Claude token is about 3.5 English characters
CALIBRATION_PLANS = 3  # plans whose two opening requests go to count_tokens (free, but rate limited)
# Tokens a turn adds to the conversation that later requests resend.
USER_MESSAGE_TOKENS = 30
TOOL_CALL_TOKENS = 45
TOOL_RESULT_TOKENS = 260
ANSWER_TOKENS = 140
# Seconds per model call at the providers' usual latency, per batch round, and the offline pace.
MODEL_CALL_SECONDS = 1.6
BATCH_ROUND_SECONDS = 15 * 60  # most batches end well within the API's hour; a round waits for its batch
OFFLINE_EXAMPLES_PER_SECOND = 400.0
SAMPLE_PLANS = 2_000  # plans sized for an estimate; larger runs scale from this sample
EXACT_PLAN_LIMIT = 20_000  # above this, building every plan for a live count is too slow

TokenCounter = Callable[[dict[str, Any]], int]  # Messages API request (system, messages, tools) -> input tokens


@dataclass(frozen=True)
class RunEstimate:
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float | None
    seconds: float
    note: str
    mode: str = "standard"  # or "batch"
    chars_per_token: float | None = None
    token_source: str | None = None  # "count_tokens" or "documented ratio"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sdk_token_counter(api_key: str, *, model: str | None = None, base_url: str | None = None) -> TokenCounter:
    """A counter asking the API itself (`messages.count_tokens`, which costs no tokens);
    a refused or failed count raises BackendError without the key."""
    import anthropic

    client = anthropic.Anthropic(api_key=api_key, base_url=base_url, max_retries=2)

    def count(request: dict[str, Any]) -> int:
        try:
            return client.messages.count_tokens(model=model or ANTHROPIC_DEFAULT_MODEL, **request).input_tokens
        except anthropic.APIStatusError as error:
            kind, _ = classify_status(error.status_code, error.body)
            raise BackendError(kind, redact(f"counting tokens failed: HTTP {error.status_code}: "
                                            f"{error_fields(error.body).get('message', error)}", api_key)) from None
        except anthropic.APIError as error:
            raise BackendError("connection", redact(f"counting tokens failed: {error}", api_key)) from None

    return count


def _tools_text() -> str:
    return json.dumps(tools_to_anthropic(TOOL_SCHEMAS))


def _system_text(plan: ExamplePlan) -> str:
    return system_message(plan.persona, plan.simulated_date, "12:00")


def _brief_text(plan: ExamplePlan, turn: int) -> str:
    return SIMULATED_USER_SYSTEM.format(brief=user_brief(plan, turn))


def calibrated_chars_per_token(plans: Sequence[ExamplePlan], count: TokenCounter) -> float:
    """Characters per token of this run's own requests, measured on a few of them."""
    sample = plans[:: max(1, len(plans) // CALIBRATION_PLANS)][:CALIBRATION_PLANS]
    opening = [{"role": "user", "content": "Hi"}]
    chars = tokens = 0
    for plan in sample:
        system, brief = _system_text(plan), _brief_text(plan, 0)
        tokens += count({"system": system_blocks(system), "messages": opening,
                         "tools": tools_to_anthropic(TOOL_SCHEMAS)})
        tokens += count({"system": brief, "messages": opening})
        chars += len(system) + len(_tools_text()) + len(brief) + 2 * len("Hi")
    return chars / tokens if tokens else DOCUMENTED_CHARS_PER_TOKEN


_FOLLOW_UPS_NEEDING_CALLS = ("other_city", "tomorrow", "weekend")


def tool_steps_per_turn(plan: ExamplePlan) -> list[int]:
    """Assistant requests ending in tool calls, per user turn (the answer is one more)."""
    first = 1 + plan.use_geocode + (plan.error_kind is not None)
    return [first] + [int(follow_up in _FOLLOW_UPS_NEEDING_CALLS) for follow_up in plan.follow_ups]


def _plan_usage(plan: ExamplePlan, tools_tokens: int, chars_per_token: float) -> tuple[int, Usage]:
    """Calls and tokens of one conversation; each request resends the conversation so far."""
    prefix = tools_tokens + math.ceil(len(_system_text(plan)) / chars_per_token)
    calls = 0
    usage = Usage()
    conversation = 0
    for turn, steps in enumerate(tool_steps_per_turn(plan)):
        usage.input_tokens += math.ceil(len(_brief_text(plan, turn)) / chars_per_token) + conversation
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


def expected_counts(config: RunConfig) -> dict[str, dict[str, int]]:
    """Examples per scenario, persona, intent and error kind: counted from the real plans up
    to EXACT_PLAN_LIMIT examples, apportioned from the weights (the plans' own first step) above."""
    if config.count <= EXACT_PLAN_LIMIT:
        return plan_summary(build_plans(config))
    scenarios = apportion(config.count, config.scenario_weights)
    return {"scenario": scenarios, "persona": apportion(config.count, config.persona_weights),
            "intent": apportion(config.count, config.intent_weights),
            "error_kind": apportion(scenarios["error"], config.error_kind_weights) if scenarios["error"] else {}}


def estimate_run(config: RunConfig, *, batch: bool = False, token_counter: TokenCounter | None = None) -> RunEstimate:
    """Calls, tokens, dollars and time for `config` on its backend, from (a sample of) its plans.

    `batch`: the Message Batches API (Anthropic), half price, one round per step.
    `token_counter` (e.g. `sdk_token_counter`) calibrates characters per token on real requests.
    """
    mode = "batch" if batch else "standard"
    if config.backend == "offline":
        return RunEstimate(calls=0, input_tokens=0, output_tokens=0, cost_usd=0.0,
                           seconds=config.count / OFFLINE_EXAMPLES_PER_SECOND,
                           note="offline: no model calls, no cost", mode=mode)
    plans = build_plans(config.with_changes(count=min(config.count, SAMPLE_PLANS)))
    measured = token_counter is not None and config.backend == "anthropic"
    chars_per_token = calibrated_chars_per_token(plans, token_counter) if measured else DOCUMENTED_CHARS_PER_TOKEN
    tools_tokens = math.ceil(len(_tools_text()) / chars_per_token)
    scale = config.count / len(plans)
    calls = rounds = 0
    total = Usage()
    for plan in plans:
        plan_calls, usage = _plan_usage(plan, tools_tokens, chars_per_token)
        calls += plan_calls
        rounds = max(rounds, plan_calls)
        total.input_tokens += usage.input_tokens
        total.output_tokens += usage.output_tokens
    total = Usage(input_tokens=round(total.input_tokens * scale), output_tokens=round(total.output_tokens * scale))
    calls = round(calls * scale)
    model = config.model or (ANTHROPIC_DEFAULT_MODEL if config.backend == "anthropic" else "")
    price = price_for(model)
    if batch:
        seconds = rounds * BATCH_ROUND_SECONDS
        note = (f"about {calls / config.count:.1f} calls per example in {rounds} batch rounds at half price; "
                f"a round waits for its batch (most end within an hour; {BATCH_ROUND_SECONDS // 60} min assumed)")
    else:
        from core.runner import default_concurrency  # here: the runner imports this module for its metadata

        concurrency = config.concurrency or default_concurrency(config.backend)
        seconds = calls * MODEL_CALL_SECONDS / concurrency
        note = (f"about {calls / config.count:.1f} calls per example at {MODEL_CALL_SECONDS} s each, "
                f"{concurrency} in flight")
    source = "count_tokens" if measured else "documented ratio"
    note += f"; {chars_per_token:.2f} characters a token ({source})"
    if price is None:
        note += f"; no price known for model {model or '(none given)'!r}, so no dollar figure"
    return RunEstimate(calls=calls, input_tokens=total.input_tokens, output_tokens=total.output_tokens,
                       cost_usd=None if price is None else round(cost_usd(price, total, batch=batch), 4),
                       seconds=seconds, note=note, mode=mode, chars_per_token=round(chars_per_token, 3),
                       token_source=source)


def estimate_vs_actual(estimate: RunEstimate, metrics: dict[str, Any]) -> dict[str, Any]:
    """The estimate beside what the API reported (backend metrics), and actual / estimated per figure."""
    actual = {"calls": metrics.get("calls", 0),
              "input_tokens": sum(metrics.get(name, 0) for name in (
                  "input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")),
              "output_tokens": metrics.get("output_tokens", 0), "cost_usd": metrics.get("cost_usd")}
    ratios = {}
    for name, value in actual.items():
        planned = getattr(estimate, name)
        if value is not None and planned:
            ratios[name] = round(value / planned, 3)
    return {"estimated": estimate.to_dict(), "actual": actual, "actual_over_estimated": ratios}
