"""A Messages API server on loopback whose replies are the offline backend's.

The real Anthropic backend (SDK, retries, throttle) talks to it as it would to
Claude and gets conversations the validators accept, so end-to-end runs and the
concurrency benchmark cover the whole API path without the network. Replies
can be delayed (`latency_s`, like a model thinking) and a share of requests
answered with a transient 429/529/500 instead (`fault_rate`); the same request
is faulted at most `RetryPolicy.max_retries` times in a row, so injected faults
test retrying without a run's outcome depending on how requests interleave.

The server recognises each conversation by its plan: a first user turn by its
brief (which names the plan's date and request), later requests by the user's
opening words and the date in the system prompt.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import random
import re
import threading
import time
from collections import Counter

from core.backends.anthropic_messages import from_anthropic
from core.backends.base import MalformedOutput, TurnRequest, UserTurnRequest
from core.backends.offline import OfflineBackend
from core.backends.retry_policy import RetryPolicy
from core.backends.sdk_backend import SIMULATED_USER_SYSTEM
from core.config import RunConfig
from core.generation import SCRIPTED_MISTAKES
from core.plan import ExamplePlan, build_plans
from core.prompts import user_brief
from core.tools import TOOL_SCHEMAS
from tests.support import loopback_messages_api as api
from tests.support.loopback_http import LoopbackServer, Received, Scripted

_BRIEF_PREFIX, _BRIEF_SUFFIX = SIMULATED_USER_SYSTEM.split("{brief}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_QUICK_RETRY = {"retry-after-ms": "1"}
FAULTS = (
    api.error(429, "rate_limit_error", "Number of requests has exceeded your rate limit", headers=_QUICK_RETRY),
    api.error(529, "overloaded_error", "Overloaded", headers=_QUICK_RETRY),
    api.error(500, "api_error", "Internal server error", headers=_QUICK_RETRY),
)


def _system_text(body: dict) -> str:
    system = body.get("system", "")
    return system if isinstance(system, str) else "".join(block.get("text", "") for block in system)


class WeatherAgentServer(LoopbackServer):
    def __init__(self, config: RunConfig, *, latency_s: float = 0.0, fault_rate: float = 0.0, seed: int = 0) -> None:
        super().__init__({api.PATH: api.validate_request})
        self.latency_s = latency_s
        self.fault_rate = fault_rate
        self.faults: Counter[int] = Counter()
        self._faulted: Counter[str] = Counter()  # request body digest -> faults answered to it so far
        self._offline = OfflineBackend(seed=config.seed)
        self._first_turns: dict[str, ExamplePlan] = {}
        for plan in build_plans(config):
            self._first_turns.setdefault(user_brief(plan, 0), plan)
        self._conversations: dict[tuple[str, str], ExamplePlan] = {}
        self._rng = random.Random(seed)
        self._agent_lock = threading.Lock()

    def _next(self, received: Received) -> Scripted:
        time.sleep(self.latency_s)
        with self._agent_lock:
            if not api.validate_request(received.body):  # an invalid request gets the base server's 400
                self.script(self._reply(received.body))
            return super()._next(received)

    def _reply(self, body: dict) -> Scripted:
        if self._rng.random() < self.fault_rate:
            digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
            if self._faulted[digest] < RetryPolicy().max_retries:
                fault = self._rng.choice(FAULTS)
                self._faulted[digest] += 1
                self.faults[fault.status] += 1
                return fault
        try:
            return self._assistant(body) if "tools" in body else self._user(body)
        except MalformedOutput:  # the offline assistant lost the thread: answer as a model might, unusably
            return api.message(api.text(""))
        except KeyError as error:  # a conversation this agent never started
            return api.error(400, "invalid_request_error", f"loopback agent: unknown conversation {error!r}",
                             headers={"x-should-retry": "false"})

    def _assistant(self, body: dict) -> Scripted:
        system = _system_text(body)
        messages = from_anthropic(body["messages"])
        today = _ISO_DATE.search(system).group(0)
        plan = self._conversations[(messages[0]["content"], today)]
        if plan.error_kind in SCRIPTED_MISTAKES:  # `weight` is not sent to the API; the offline reader needs it
            messages[1]["weight"] = 0
        step = sum(message["role"] == "assistant" for message in messages)
        turn = asyncio.run(self._offline.assistant_turn(TurnRequest(system, messages, TOOL_SCHEMAS, plan, step)))
        blocks = [api.text(turn.text)] if turn.text else []
        blocks += [api.tool_use(call.id, call.name, json.loads(call.arguments)) for call in turn.tool_calls]
        return api.message(*blocks)

    def _user(self, body: dict) -> Scripted:
        system = _system_text(body)
        brief = system[len(_BRIEF_PREFIX):len(system) - len(_BRIEF_SUFFIX)]
        # The simulated user's dialogue is role-swapped: its own earlier words are `assistant`.
        own_words = [message["content"] for message in body["messages"] if message["role"] == "assistant"]
        if own_words:
            plan = self._conversations[(own_words[0], _ISO_DATE.search(brief).group(0))]
        else:
            plan = self._first_turns[brief]
        words = asyncio.run(self._offline.user_turn(UserTurnRequest(plan, len(own_words), [], brief)))
        if not own_words:
            self._conversations[(words, plan.simulated_date.isoformat())] = plan
        return api.message(api.text(words))
