"""Speaking the Anthropic Messages API on the loopback server: replies to script, and
the request checks the real API makes (so a malformed conversion fails the way it would)."""
from __future__ import annotations

import re
from datetime import datetime

from tests.support.loopback_http import Scripted

PATH = "/v1/messages"
_TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def text(words: str) -> dict:
    return {"type": "text", "text": words}


def tool_use(call_id: str, name: str, arguments: object) -> dict:
    return {"type": "tool_use", "id": call_id, "name": name, "input": arguments}


def message(
    *blocks: dict,
    stop_reason: str | None = None,
    usage: dict | None = None,
    headers: dict[str, str] | None = None,
) -> Scripted:
    """A 200 reply; `stop_reason` defaults to what the blocks imply."""
    if stop_reason is None:
        stop_reason = "tool_use" if any(b["type"] == "tool_use" for b in blocks) else "end_turn"
    return Scripted(
        200,
        {
            "id": "msg_loopback",
            "type": "message",
            "role": "assistant",
            "model": "claude-haiku-4-5",
            "content": list(blocks),
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": usage or {"input_tokens": 100, "output_tokens": 20},
        },
        headers or {},
    )


def error(
    status: int, error_type: str, words: str, *, headers: dict[str, str] | None = None, error_code: str | None = None
) -> Scripted:
    error = {"type": error_type, "message": words}
    if error_code:
        error["details"] = {"error_code": error_code}
    return Scripted(status, {"type": "error", "error": error}, headers or {})


def ratelimit_headers(
    *, requests: tuple[int, int] = (50, 49), input_tokens: tuple[int, int] = (50_000, 49_000), reset: datetime
) -> dict[str, str]:
    """`anthropic-ratelimit-*` headers from (limit, remaining) pairs and one reset time."""
    headers = {}
    for kind, (limit, remaining) in (("requests", requests), ("input-tokens", input_tokens)):
        headers[f"anthropic-ratelimit-{kind}-limit"] = str(limit)
        headers[f"anthropic-ratelimit-{kind}-remaining"] = str(remaining)
        headers[f"anthropic-ratelimit-{kind}-reset"] = reset.isoformat().replace("+00:00", "Z")
    return headers


def validate_request(body: dict) -> list[str]:
    """What the real API would refuse with a 400 (the subset our backend could get wrong)."""
    problems = [f"{key}: missing" for key in ("model", "max_tokens", "messages") if key not in body]
    if "temperature" in body and "top_p" in body:
        problems.append("temperature and top_p cannot both be specified")
    for i, tool in enumerate(body.get("tools", [])):
        if not _TOOL_NAME.match(tool.get("name", "")) or "input_schema" not in tool:
            problems.append(f"tools.{i}: needs a valid name and an input_schema")
    messages = body.get("messages", [])
    if messages and messages[0]["role"] != "user":
        problems.append("messages.0: the first message must use the user role")
    for i, entry in enumerate(messages):
        problems += [f"messages.{i}.{key}: Extra inputs are not permitted" for key in entry if key not in ("role", "content")]
        problems += _content_problems(i, entry["content"])
        asked = [b["id"] for b in _blocks(entry) if b["type"] == "tool_use"] if entry["role"] == "assistant" else []
        following = messages[i + 1] if i + 1 < len(messages) else None
        answered = [b["tool_use_id"] for b in _blocks(following) if b["type"] == "tool_result"] if following else []
        if asked and answered != asked and following is not None:
            problems.append(
                f"messages.{i + 1}: tool_use ids {asked} must each have a tool_result block, in the next user message"
            )
    breakpoints = str(body).count("'cache_control'")
    if breakpoints > 4:
        problems.append(f"at most 4 cache_control blocks, found {breakpoints}")
    return problems


def _blocks(entry: dict) -> list[dict]:
    return entry["content"] if isinstance(entry["content"], list) else []


def _content_problems(i: int, content: object) -> list[str]:
    if isinstance(content, str):
        return [] if content else [f"messages.{i}: content must be non-empty"]
    problems = []
    for j, block in enumerate(content):
        if block["type"] == "text" and not block["text"]:
            problems.append(f"messages.{i}.content.{j}: text content blocks must be non-empty")
        if block["type"] == "tool_use" and not isinstance(block["input"], dict):
            problems.append(f"messages.{i}.content.{j}.input: Input should be a valid dictionary")
    return problems
