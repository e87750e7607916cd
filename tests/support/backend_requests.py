"""Small factories for backend requests, shared by the backend test files."""
from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TypeVar

from core.backends.base import Backend, TurnRequest, UserTurnRequest
from core.config import RunConfig
from core.plan import ExamplePlan, build_plans
from core.tools import TOOL_SCHEMAS

T = TypeVar("T")

SYSTEM = "You are a concise weather assistant. Today is Monday, 2026-04-20."


def sample_plan(scenario: str = "success") -> ExamplePlan:
    return next(plan for plan in build_plans(RunConfig(count=20, seed=7)) if plan.scenario == scenario)


def user(words: str) -> dict:
    return {"role": "user", "content": words}


def assistant(content: str | None, *calls: tuple[str, str, dict]) -> dict:
    message: dict = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = [
            {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}
            for call_id, name, arguments in calls
        ]
    return message


def tool_result(call_id: str, payload: dict) -> dict:
    return {"role": "tool", "tool_call_id": call_id, "content": json.dumps(payload)}


def turn_request(*messages: dict, plan: ExamplePlan | None = None, step: int = 0) -> TurnRequest:
    return TurnRequest(
        system=SYSTEM,
        messages=list(messages) or [user("What's the forecast for Oslo for the next 3 days?")],
        tools=TOOL_SCHEMAS,
        plan=plan or sample_plan(),
        step=step,
    )


def user_turn_request(*messages: dict, turn: int = 0, brief: str = "Ask about the weather in Oslo tomorrow.") -> UserTurnRequest:
    return UserTurnRequest(plan=sample_plan(), turn=turn, messages=list(messages), brief=brief)


def drive(backend: Backend, scenario: Callable[[], Awaitable[T]]) -> T:
    """Run `scenario()` on one event loop (the SDK client is bound to it), then close the backend."""

    async def main() -> T:
        try:
            return await scenario()
        finally:
            await backend.aclose()

    return asyncio.run(main())
