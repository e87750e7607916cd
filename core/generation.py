"""One conversation from one plan: the real tool-use loop, validation and regeneration.

The backend writes words and chooses calls; the mock weather service, never the
model, answers every call. Scripted mistakes (an error scenario in which the
assistant itself sends bad arguments) are inserted here, marked `weight: 0`,
so every backend shows the same recoverable mistake and none is trained on it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timezone
from typing import Any, Callable
from zoneinfo import ZoneInfo

from core.backends.base import Backend, BackendError, MalformedOutput, ToolCall, TurnRequest, Usage, UserTurnRequest
from core.config import RunConfig
from core.locations import BY_ID
from core.personas import PERSONAS
from core.plan import ExamplePlan, example_seed
from core.prompts import system_message, user_brief
from core.json_codec import encode_json
from core.records import build_record, call_id, utc_now
from core.tools import TOOL_SCHEMAS, ToolContext, execute
from core.validation import ValidationResult, validate_record

MAX_STEPS_PER_TURN = 6
SERVICE_FAULTS = ("rate_limited", "service_unavailable", "timeout")
SCRIPTED_MISTAKES = ("invalid_coordinates", "too_many_days")


@dataclass
class ExampleOutcome:
    record: dict[str, Any] | None  # None only for an accepted one sent back by a worker: see `line`
    accepted: bool
    attempts: int
    reasons: list[str] = field(default_factory=list)
    validation: ValidationResult | None = None
    # A worker process sends an accepted record as what the run keeps of it: its JSONL line and
    # its `record_row`, far cheaper to send and to commit than the record itself.
    line: bytes | None = None
    row: dict[str, Any] | None = None


def simulated_moment(plan: ExamplePlan) -> datetime:
    """The plan's local date and hour at its first place, as an aware UTC time."""
    local = datetime.combine(plan.simulated_date, time(plan.simulated_hour), tzinfo=ZoneInfo(_timezone_of(plan)))
    return local.astimezone(timezone.utc)


def _mistaken_arguments(plan: ExamplePlan) -> tuple[str, dict[str, Any]]:
    """The bad call a hurried assistant would make for this plan's error kind."""
    place = BY_ID[plan.location_ids[0]]
    lat, lon = round(place.latitude, 2), round(place.longitude, 2)
    if plan.error_kind == "too_many_days":
        return "get_forecast", {"latitude": lat, "longitude": lon, "days": plan.days}
    if abs(lon) > 90:  # latitude and longitude swapped
        return "get_current_weather", {"latitude": lon, "longitude": lat}
    slipped = round(lat * 10, 1) if abs(lat) >= 9.1 else round(lat + (95 if lat >= 0 else -95), 2)
    return "get_current_weather", {"latitude": slipped, "longitude": lon}


def _assistant_message(text: str | None, calls: list[ToolCall]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": text or None}
    if calls:
        message["tool_calls"] = [{"id": call.id, "type": "function",
                                  "function": {"name": call.name, "arguments": call.arguments}} for call in calls]
    elif not text:
        raise MalformedOutput("the assistant turn had neither text nor tool calls")
    return message


class _ToolRunner:
    """Executes calls against the mock service, injecting the plan's service fault once."""

    def __init__(self, plan: ExamplePlan, when: datetime) -> None:
        self._context = ToolContext(when=when, seed=plan.seed)
        self._fault = ToolContext(when=when, seed=plan.seed, fault=plan.error_kind) \
            if plan.error_kind in SERVICE_FAULTS else None

    def answer(self, call: ToolCall) -> dict[str, Any]:
        context, self._fault = self._fault or self._context, None
        response = execute(call.name, call.arguments, context=context)
        return {"role": "tool", "tool_call_id": call.id, "content": encode_json(response)}


async def run_conversation(plan: ExamplePlan, backend: Backend) -> tuple[list[dict[str, Any]], Usage]:
    """Play the whole conversation; returns its messages (system first) and token usage."""
    when = simulated_moment(plan)
    local = when.astimezone(ZoneInfo(_timezone_of(plan)))
    system = system_message(PERSONAS[plan.persona], plan.simulated_date, f"{local.hour:02d}:{local.minute:02d}")
    messages: list[dict[str, Any]] = [{"role": "system", "content": system}]
    tools = _ToolRunner(plan, when)
    usage = Usage()
    step = 0
    for turn in range(1 + len(plan.follow_ups)):
        text = await backend.user_turn(UserTurnRequest(plan=plan, turn=turn, messages=messages[1:],
                                                       brief=user_brief(plan, turn)))
        messages.append({"role": "user", "content": text})
        if turn == 0 and plan.error_kind in SCRIPTED_MISTAKES:
            name, arguments = _mistaken_arguments(plan)
            call = ToolCall(id=call_id(plan.seed, step, 0), name=name, arguments=json.dumps(arguments))
            messages.append({**_assistant_message(None, [call]), "weight": 0})
            messages.append(tools.answer(call))
            step += 1
        for _ in range(MAX_STEPS_PER_TURN):
            reply = await backend.assistant_turn(TurnRequest(system=system, messages=messages[1:],
                                                             tools=TOOL_SCHEMAS, plan=plan, step=step))
            step += 1
            _add_usage(usage, reply.usage)
            messages.append(_assistant_message(reply.text, reply.tool_calls))
            if not reply.tool_calls:
                break
            messages.extend(tools.answer(call) for call in reply.tool_calls)
        else:
            raise MalformedOutput(f"no final answer after {MAX_STEPS_PER_TURN} assistant steps")
    return messages, usage


def _timezone_of(plan: ExamplePlan) -> str:
    return BY_ID[plan.location_ids[0]].timezone if plan.location_ids else "UTC"


def _add_usage(total: Usage, extra: Usage) -> None:
    total.input_tokens += extra.input_tokens
    total.output_tokens += extra.output_tokens
    total.cache_creation_input_tokens += extra.cache_creation_input_tokens
    total.cache_read_input_tokens += extra.cache_read_input_tokens


def failed_record(plan: ExamplePlan, config: RunConfig, backend: Backend, attempts: int,
                  reasons: list[str], generated_at: str) -> dict[str, Any]:
    """A record for an example that never reached a finished conversation, kept with its reasons."""
    record = build_record(plan=plan, run_seed=config.seed, messages=[], backend=backend,
                          attempts=attempts, usage=Usage(), generated_at=generated_at)
    record["metadata"]["validation"] = {"passed": False, "groundedness": None, "checks": {},
                                        "reasons": reasons}
    return record


async def generate_example(plan: ExamplePlan, backend: Backend, *, config: RunConfig,
                           clock: Callable[[], str] = utc_now) -> ExampleOutcome:
    """Generate, validate and, on failure, regenerate with a fresh attempt seed.

    Retryable backend failures (malformed output, exhausted API retries) cost an
    attempt; a failure no retry can fix (bad key, quota) propagates to stop the run.
    """
    reasons: list[str] = []
    record: dict[str, Any] | None = None
    result: ValidationResult | None = None
    for attempt in range(1, config.max_attempts + 1):
        attempt_plan = plan if attempt == 1 else replace(plan, seed=example_seed(plan.seed, attempt))
        try:
            messages, usage = await run_conversation(attempt_plan, backend)
        except BackendError as error:
            if not error.retryable:
                raise
            reasons.append(f"attempt {attempt}: {error.kind}: {error}")
            continue
        record = build_record(plan=plan, run_seed=config.seed, messages=messages, backend=backend,
                              attempts=attempt, usage=usage, generated_at=clock())
        result = validate_record(record, groundedness_threshold=config.groundedness_threshold)
        record["metadata"]["validation"] = result.to_metadata()
        if result.passed:
            return ExampleOutcome(record=record, accepted=True, attempts=attempt, reasons=reasons, validation=result)
        reasons.extend(f"attempt {attempt}: {finding.check}: {finding.reason}"
                       for finding in result.findings if not finding.passed)
    if record is None:
        record = failed_record(plan, config, backend, config.max_attempts, reasons, clock())
    record["metadata"]["validation"]["reasons"] = reasons
    return ExampleOutcome(record=record, accepted=False, attempts=config.max_attempts, reasons=reasons,
                          validation=result)
