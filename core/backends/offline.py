"""The built-in backend: no network, no key, the same conversation for the same seed.

It plays both roles through the `Backend` interface: the simulated user
(`offline_user`) and the assistant, which reads the conversation
(`offline_reading`) and either calls a tool or writes the final answer from the
tool results in the plan's voice (`offline_voices`). Records it writes say
`generator.backend = "offline"`, so nobody mistakes them for model output.
"""
from __future__ import annotations

import json
import random
import time

from core.backends.base import AssistantTurn, MalformedOutput, ToolCall, TurnRequest, Usage, UserTurnRequest
from core.backends.metrics import BackendMetrics
from core.backends.offline_reading import OfflineReadingError, Reader, ToolRequest, derive_seed, user_turn_message
from core.backends.offline_voices import write_answer
from core.backends.pricing import FREE
from core.records import call_id


class OfflineBackend:
    name = "offline"
    model = "weathervane-offline-1"
    sdk_version = None

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.metrics = BackendMetrics(self.model, price=FREE)
        self._reader: Reader | None = None  # the conversation read last, which the next step most likely continues

    async def assistant_turn(self, request: TurnRequest) -> AssistantTurn:
        started = time.perf_counter()
        plan = request.plan
        reader = self._reader
        # The loop passes the same plan at every step: identity answers before the field-by-field ==.
        if reader is None or (reader.plan is not plan and reader.plan != plan) or reader.backend_seed != self.seed:
            reader = self._reader = Reader(plan, self.seed)
        try:
            action = reader.read(request.messages)
        except OfflineReadingError as error:
            self.metrics.record_failure("malformed", time.perf_counter() - started)
            raise MalformedOutput(f"offline assistant cannot continue this conversation: {error}") from None
        if isinstance(action, ToolRequest):
            # The message count keeps ids unique even if the caller restarts `step` per turn.
            conversation_seed = derive_seed("call", self.seed, plan.seed, len(request.messages))
            call = ToolCall(call_id(conversation_seed, request.step, 0), action.name, json.dumps(action.arguments))
            turn = AssistantTurn(text=None, tool_calls=[call])
        else:
            rng = random.Random(derive_seed("answer", self.seed, plan.seed, request.step))
            earlier = " ".join(m["content"] for m in request.messages if m["role"] == "assistant" and m.get("content"))
            turn = AssistantTurn(text=write_answer(action, plan.persona, rng, earlier))
        self.metrics.record_success(Usage(), time.perf_counter() - started)
        return turn

    async def user_turn(self, request: UserTurnRequest) -> str:
        """The plan's message for this turn; `brief` is for model users and is not needed here."""
        return user_turn_message(self.seed, request.plan, request.turn).text

    async def aclose(self) -> None:
        """Nothing to release: no client, no connection."""
