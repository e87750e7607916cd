"""Speaking OpenAI chat completions on the loopback server: replies to script and request checks."""
from __future__ import annotations

from tests.support.loopback_http import Scripted

PATH = "/v1/chat/completions"


def tool_call(call_id: str, name: str, arguments: str) -> dict:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def completion(
    content: str | None = None,
    *calls: dict,
    finish_reason: str | None = None,
    usage: dict | None = None,
    headers: dict[str, str] | None = None,
) -> Scripted:
    message: dict = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = list(calls)
    return Scripted(
        200,
        {
            "id": "chatcmpl-loopback",
            "object": "chat.completion",
            "created": 1_770_000_000,
            "model": "local-model",
            "choices": [
                {"index": 0, "message": message, "finish_reason": finish_reason or ("tool_calls" if calls else "stop")}
            ],
            "usage": usage or {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        },
        headers or {},
    )


def error(status: int, words: str, *, code: str | None = None, headers: dict[str, str] | None = None) -> Scripted:
    return Scripted(status, {"error": {"message": words, "type": "error", "param": None, "code": code}}, headers or {})


def validate_request(body: dict) -> list[str]:
    problems = [f"{key}: missing" for key in ("model", "messages") if key not in body]
    pending: list[str] = []
    for i, entry in enumerate(body.get("messages", [])):
        role = entry.get("role")
        if role == "tool":
            if entry.get("tool_call_id") not in pending:
                problems.append(f"messages[{i}]: tool message answers no pending tool call")
            else:
                pending.remove(entry["tool_call_id"])
            continue
        if pending:
            problems.append(f"messages[{i}]: tool calls {pending} were not answered before this message")
        if role not in ("system", "user", "assistant"):
            problems.append(f"messages[{i}]: unknown role {role!r}")
        pending = [call["id"] for call in entry.get("tool_calls") or []]
    return problems
