"""The one small interface every backend implements, and the values it trades.

Backends speak OpenAI-format messages in and out so the generation loop never
knows which model wrote a turn; each backend converts at its own edge.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from core.backends.metrics import BackendMetrics
    from core.plan import ExamplePlan


@dataclass(frozen=True)
class ToolCall:
    """One call as the assistant sent it; `arguments` stays the raw JSON text."""

    id: str
    name: str
    arguments: str


@dataclass
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0


@dataclass
class AssistantTurn:
    text: str | None
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)


@dataclass
class TurnRequest:
    """What the assistant sees; `plan` and `step` only steer offline choices."""

    system: str
    messages: list[dict]
    tools: list[dict]
    plan: "ExamplePlan"
    step: int = 0


@dataclass
class UserTurnRequest:
    """What the simulated user is asked to write; models read `brief`, offline reads `plan`."""

    plan: "ExamplePlan"
    turn: int
    messages: list[dict]
    brief: str


class BackendError(Exception):
    """A failed backend call. `kind` groups failures for metrics and stop rules."""

    def __init__(self, kind: str, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.kind = kind
        self.retryable = retryable


class MalformedOutput(BackendError):
    """The model answered, but not in a shape the pipeline can use: regenerate."""

    def __init__(self, message: str) -> None:
        super().__init__("malformed", message, retryable=True)


class Backend(Protocol):
    name: str
    model: str
    sdk_version: str | None
    metrics: "BackendMetrics"

    async def assistant_turn(self, request: TurnRequest) -> AssistantTurn: ...

    async def user_turn(self, request: UserTurnRequest) -> str: ...

    async def aclose(self) -> None: ...
