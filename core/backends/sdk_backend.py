"""What the Anthropic and OpenAI-compatible backends share around one API call.

Each call waits for the throttle, runs inside the SDK's own retry loop (with
`retry_policy.PolicyRetries`), feeds rate-limit headers back to the throttle,
lands in the metrics, and leaves as either a checked turn or a `BackendError`
whose message says what to do and never contains the key. Subclasses only
build the request and read the reply.
"""
from __future__ import annotations

import asyncio
import json
import random
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar

from core.backends.api_key import redact
from core.backends.base import (
    AssistantTurn,
    BackendError,
    MalformedOutput,
    ToolCall,
    TurnRequest,
    Usage,
    UserTurnRequest,
)
from core.backends.metrics import BackendMetrics
from core.backends.rate_limit import RateLimitHeaders, Throttle
from core.backends.retry_policy import RetryEvent, RetryPolicy, classify_status, error_fields

T = TypeVar("T")

SIMULATED_USER_SYSTEM = """\
{brief}

In this conversation the weather assistant's replies appear as the other \
speaker's messages. Answer with only your own next message, as plain text.
"""

OPENING_CUE = "(You open the conversation with the weather assistant.)"


@dataclass(frozen=True)
class Reply:
    """One parsed model answer: an OpenAI-format assistant message plus its bookkeeping."""

    message: dict
    usage: Usage
    truncated: bool
    headers: Mapping[str, str]


def estimate_tokens(*parts: object) -> int:
    """A rough input-token count (4 characters a token) for the throttle to reserve."""
    return len(json.dumps(parts, default=str)) // 4 + 1


def simulated_user_dialogue(request: UserTurnRequest) -> tuple[str, list[dict]]:
    """The simulated-user prompt: the brief as system, the visible history with roles swapped.

    Tool traffic is dropped (a user never sees it). A cue opens the swapped
    history, because the model's side must begin with a `user` message.
    """
    swapped: list[dict] = [{"role": "user", "content": OPENING_CUE}]
    for message in request.messages:
        if message["role"] == "user":
            swapped.append({"role": "assistant", "content": message["content"]})
        elif message["role"] == "assistant" and message.get("content"):
            swapped.append({"role": "user", "content": message["content"]})
    return SIMULATED_USER_SYSTEM.format(brief=request.brief), swapped


def checked_turn(reply: Reply, tool_names: set[str]) -> AssistantTurn:
    """The reply as an `AssistantTurn`, or `MalformedOutput` when the pipeline should regenerate."""
    _refuse_truncated(reply)
    calls = [
        ToolCall(call["id"], call["function"]["name"], call["function"]["arguments"])
        for call in reply.message.get("tool_calls") or []
    ]
    for call in calls:
        if call.name not in tool_names:
            raise MalformedOutput(f"tool call {call.id} names unknown tool {call.name!r}; known: {sorted(tool_names)}")
        if not isinstance(_json_or_none(call.arguments), dict):
            raise MalformedOutput(f"tool call {call.id} to {call.name}: arguments {call.arguments[:120]!r} are not a JSON object")
    text = reply.message.get("content") or None
    if not calls and not (text and text.strip()):
        raise MalformedOutput("the model answered with neither text nor a tool call")
    return AssistantTurn(text=text, tool_calls=calls, usage=reply.usage)


def checked_user_text(reply: Reply) -> str:
    _refuse_truncated(reply)
    text = (reply.message.get("content") or "").strip()
    if not text or reply.message.get("tool_calls"):
        raise MalformedOutput("the simulated user must answer with plain text only")
    return text


def _refuse_truncated(reply: Reply) -> None:
    if reply.truncated:
        raise MalformedOutput("the reply stopped at max_tokens, so its text or tool input may be cut off; raise max_tokens")


def _json_or_none(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None


_HINTS = {
    "quota": "The account's spend limit or credit is exhausted; waiting will not help.",
    "permission": "The key is not allowed to use this model or feature.",
    "rate_limit": "Still rate limited after the retries; lower the request or token rate.",
    "overloaded": "The API is overloaded; try again later.",
}


@dataclass(frozen=True)
class CallSettings:
    """Per-backend knobs a run config may set; the defaults suit a low Anthropic tier."""

    timeout_s: float = 60.0
    max_tokens: int = 1024
    temperature: float | None = None
    requests_per_minute: float = 50
    tokens_per_minute: float = 50_000
    max_concurrency: int = 4
    retry_policy: RetryPolicy = RetryPolicy()


class SdkBackend(ABC):
    """Base for backends over a Stainless-built SDK (`anthropic`, `openai`).

    `clock`, `sleep` and `rng` (retry jitter) are injected so tests never wait.
    """

    name: str
    sdk: ModuleType
    client_class: type
    key_hint: str

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        base_url: str,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        **settings: Any,
    ) -> None:
        try:
            self.settings = CallSettings(**settings)
        except TypeError as err:
            raise TypeError(f"{self.name} backend: {err}; known options: {sorted(CallSettings.__dataclass_fields__)}") from None
        self.model = model
        self.sdk_version = self.sdk.__version__
        self.metrics = BackendMetrics(model)
        self.throttle = Throttle(
            requests_per_minute=self.settings.requests_per_minute,
            tokens_per_minute=self.settings.tokens_per_minute,
            max_concurrency=self.settings.max_concurrency,
            clock=clock,
            sleep=sleep,
        )
        self._api_key = api_key
        self._base_url = base_url
        self._clock = clock
        self._client = self.client_class(
            api_key=api_key,
            base_url=base_url,
            timeout=self.settings.timeout_s,
            retry_policy=self.settings.retry_policy,
            retry_sleep=sleep,
            retry_rng=rng or random.Random(),
            on_retry=self._on_retry,
        )

    async def aclose(self) -> None:
        await self._client.close()

    async def assistant_turn(self, request: TurnRequest) -> AssistantTurn:
        tool_names = {tool["function"]["name"] for tool in request.tools}
        return await self._call(
            lambda: self._send_assistant(request),
            estimate_tokens(request.system, request.messages, request.tools),
            lambda reply: checked_turn(reply, tool_names),
        )

    async def user_turn(self, request: UserTurnRequest) -> str:
        system, messages = simulated_user_dialogue(request)
        return await self._call(
            lambda: self._send_dialogue(system, messages),
            estimate_tokens(system, messages),
            checked_user_text,
        )

    @abstractmethod
    async def _send_assistant(self, request: TurnRequest) -> Reply:
        """One assistant call with the request's tools."""

    @abstractmethod
    async def _send_dialogue(self, system: str, messages: list[dict]) -> Reply:
        """One plain-text call without tools (the simulated user)."""

    @abstractmethod
    def _rate_limit_headers(self, headers: Mapping[str, str]) -> RateLimitHeaders:
        """This provider's rate-limit headers, normalised."""

    def _on_retry(self, event: RetryEvent) -> None:
        """Called by the SDK's retry loop before each retry sleep."""
        self.metrics.record_retry()
        if event.headers is not None:
            self.throttle.observe(self._rate_limit_headers(event.headers))
        if event.status == 429:
            self.throttle.on_rate_limited()

    async def _call(self, send: Callable[[], Awaitable[Reply]], estimate: int, check: Callable[[Reply], T]) -> T:
        async with self.throttle.slot(estimate):
            started = self._clock()
            try:
                reply = await send()
            except self.sdk.APIError as err:
                failure = self._failure(err)
                self.metrics.record_failure(failure.kind, self._clock() - started)
                if isinstance(err, self.sdk.APIStatusError):
                    self.throttle.observe(self._rate_limit_headers(err.response.headers))
                if failure.kind == "rate_limit":
                    self.throttle.on_rate_limited()
                raise failure from None
            latency = self._clock() - started
        usage = reply.usage
        self.throttle.settle_tokens(estimate, usage.input_tokens + usage.cache_creation_input_tokens)
        self.throttle.observe(self._rate_limit_headers(reply.headers))
        self.throttle.on_success()
        try:
            result = check(reply)
        except MalformedOutput:
            self.metrics.record_failure("malformed", latency, usage)
            raise
        self.metrics.record_success(usage, latency)
        return result

    def _failure(self, err: Exception) -> BackendError:
        """The SDK's exception as a `BackendError` with an actionable message and no key."""
        if isinstance(err, self.sdk.APITimeoutError):
            kind, retryable, detail = "timeout", True, f"no answer from {self._base_url} within {self.settings.timeout_s} s"
        elif isinstance(err, self.sdk.APIConnectionError):
            kind, retryable, detail = "connection", True, f"could not reach {self._base_url}"
        elif isinstance(err, self.sdk.APIStatusError):
            kind, retryable = classify_status(err.status_code, err.body)
            server_says = str(error_fields(err.body).get("message") or err.response.reason_phrase).rstrip(".")
            hint = self.key_hint if kind == "auth" else _HINTS.get(kind, "")
            detail = f"HTTP {err.status_code}: {server_says}. {hint}".strip()
        else:
            kind, retryable, detail = "server", True, f"unreadable reply: {err}"
        return BackendError(kind, redact(f"{self.name} backend ({self.model}) {kind}: {detail}", self._api_key), retryable=retryable)
