"""Who writes the words: backends selectable by name behind one interface (`base.Backend`).

Backend modules are imported only when chosen, so the offline default needs
neither SDK and a missing optional module fails only for its own name.
"""
from __future__ import annotations

import importlib
from typing import Any

from core.backends.base import (
    AssistantTurn,
    Backend,
    BackendError,
    MalformedOutput,
    ToolCall,
    TurnRequest,
    Usage,
    UserTurnRequest,
)

BACKENDS: dict[str, str] = {
    "offline": "core.backends.offline:OfflineBackend",
    "anthropic": "core.backends.anthropic_backend:AnthropicBackend",
    "openai": "core.backends.openai_backend:OpenAICompatibleBackend",
}
# Here rather than beside the backend class, so naming it does not load the SDK (~3 s).
DEFAULT_ANTHROPIC_MODEL = "claude-haiku-4-5"


class BackendConfigError(ValueError):
    """A backend name or option the registry cannot use."""


def create_backend(
    name: str, *, model: str | None = None, api_key: str | None = None, base_url: str | None = None, **options: Any
) -> Backend:
    """A ready backend. `offline` takes only `seed`; `openai` needs `model` and `base_url`.

    Other options (timeout_s, max_tokens, temperature, requests_per_minute,
    tokens_per_minute, max_concurrency, retry_policy, clock, sleep, rng) go to
    the SDK backends.
    """
    if name not in BACKENDS:
        raise BackendConfigError(f"unknown backend {name!r}: choose one of {', '.join(BACKENDS)}")
    module_name, class_name = BACKENDS[name].split(":")
    backend_class = getattr(importlib.import_module(module_name), class_name)
    if name == "offline":
        return backend_class(**options)
    if name == "openai" and not (model and base_url):
        raise BackendConfigError(
            "the openai backend needs model= and base_url= (e.g. model='llama3.1', base_url='http://localhost:11434/v1')"
        )
    return backend_class(model=model, api_key=api_key, base_url=base_url, **options)


__all__ = [
    "AssistantTurn",
    "Backend",
    "BackendError",
    "MalformedOutput",
    "ToolCall",
    "TurnRequest",
    "Usage",
    "UserTurnRequest",
    "BackendConfigError",
    "create_backend",
    "BACKENDS",
]
