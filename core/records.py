"""The dataset record (DESIGN.md §2): ids, tags and metadata around a conversation."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from core.locations import BY_ID
from core.personas import PERSONAS
from core.tools import TOOL_SCHEMAS

if TYPE_CHECKING:
    from core.backends.base import Backend, Usage
    from core.plan import ExamplePlan


def record_id(run_seed: int, index: int) -> str:
    """A UUID4-shaped id fixed by seed and index, so reruns and resumes agree.

    What `str(uuid.UUID(bytes=digest[:16], version=4))` writes: the version nibble and the
    variant bits set, in 8-4-4-4-12 hex groups, without the UUID object's cost.
    """
    head = bytearray(hashlib.sha256(f"record:{run_seed}:{index}".encode()).digest()[:16])
    head[6] = head[6] & 0x0F | 0x40  # version 4
    head[8] = head[8] & 0x3F | 0x80  # RFC 4122 variant
    h = head.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def call_id(seed: int, step: int, position: int) -> str:
    """A deterministic OpenAI-style tool call id."""
    return "call_" + hashlib.sha256(f"call:{seed}:{step}:{position}".encode()).hexdigest()[:24]


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def location_labels(plan: "ExamplePlan") -> list[str]:
    return [BY_ID[location_id].label for location_id in plan.location_ids]


def build_record(*, plan: "ExamplePlan", run_seed: int, messages: list[dict[str, Any]],
                 backend: "Backend", attempts: int, usage: "Usage", generated_at: str) -> dict[str, Any]:
    """Wrap a finished conversation in the record format; validation is added later."""
    persona = PERSONAS[plan.persona]
    parallel = any(len(message.get("tool_calls") or ()) > 1 for message in messages)
    return {
        "id": record_id(run_seed, plan.index),
        "messages": messages,
        "tools": TOOL_SCHEMAS,
        "parallel_tool_calls": parallel,
        "tags": {"persona": persona.name, "tone": persona.tone,
                 "domain": ["weather", "tool_use"], "source": "synthetic"},
        "metadata": {
            "scenario": plan.scenario,
            "intent": plan.intent,
            "error_kind": plan.error_kind,
            "follow_ups": list(plan.follow_ups),
            "locations": location_labels(plan),
            "simulated_date": plan.simulated_date.isoformat(),
            "seed": run_seed,
            "index": plan.index,
            "attempts": attempts,
            "generator": {"backend": backend.name, "model": backend.model,
                          "sdk_version": backend.sdk_version},
            "usage": {"input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens,
                      "cache_creation_input_tokens": usage.cache_creation_input_tokens,
                      "cache_read_input_tokens": usage.cache_read_input_tokens},
            "generated_at": generated_at,
        },
    }
