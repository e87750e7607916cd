"""Exact conversion between our OpenAI-format messages and the Messages API.

OpenAI form: an assistant message carries `tool_calls` whose `arguments` is a
JSON string; each result is its own `tool` message. Messages API form: the
assistant's `content` is a list of `text` and `tool_use` blocks (`input` an
object), and every result of one assistant turn goes back in the next single
`user` message as `tool_result` blocks, in call order, `is_error` set when the
tool answered with our error shape. Ids are kept both ways. Fields that only
mean something for training (`weight`) are not sent.
"""
from __future__ import annotations

import json

CACHE_POINT = {"type": "ephemeral"}


class ConversionError(ValueError):
    """A conversation that cannot be expressed in the other format."""


def tools_to_anthropic(tools: list[dict]) -> list[dict]:
    """OpenAI function tools as Messages API tools, the last one a cache breakpoint."""
    converted = [
        {
            "name": tool["function"]["name"],
            "description": tool["function"].get("description", ""),
            "input_schema": tool["function"]["parameters"],
        }
        for tool in tools
    ]
    if converted:
        converted[-1]["cache_control"] = CACHE_POINT
    return converted


def system_blocks(system: str) -> list[dict]:
    """The system prompt as one cacheable block (cached together with the tools before it)."""
    return [{"type": "text", "text": system, "cache_control": CACHE_POINT}]


def to_anthropic(messages: list[dict]) -> list[dict]:
    """OpenAI-format user/assistant/tool messages (no system message) as Messages API messages."""
    converted: list[dict] = []
    for position, message in enumerate(messages):
        role = message.get("role")
        if role == "user":
            converted.append({"role": "user", "content": message["content"]})
        elif role == "assistant":
            converted.append({"role": "assistant", "content": _assistant_blocks(message)})
        elif role == "tool":
            _append_tool_result(converted, message, position)
        else:
            raise ConversionError(
                f"message {position} has role {role!r}; only user, assistant and tool messages convert "
                "(pass the system prompt separately)"
            )
    return converted


def from_anthropic(messages: list[dict]) -> list[dict]:
    """Messages API messages back to OpenAI format: the inverse of `to_anthropic`."""
    converted: list[dict] = []
    for message in messages:
        if message["role"] == "assistant":
            converted.append(assistant_from_blocks(message["content"]))
        elif isinstance(message["content"], str):
            converted.append({"role": "user", "content": message["content"]})
        else:
            converted.extend(_user_from_blocks(message["content"]))
    return converted


def assistant_from_blocks(blocks: list[dict]) -> dict:
    """One assistant message from `text` and `tool_use` blocks (other block kinds are not ours)."""
    text = "".join(block["text"] for block in blocks if block["type"] == "text")
    calls = [
        {
            "id": block["id"],
            "type": "function",
            "function": {"name": block["name"], "arguments": json.dumps(block["input"])},
        }
        for block in blocks
        if block["type"] == "tool_use"
    ]
    message: dict = {"role": "assistant", "content": text or None}
    if calls:
        message["tool_calls"] = calls
    return message


def _assistant_blocks(message: dict) -> list[dict]:
    blocks: list[dict] = [{"type": "text", "text": message["content"]}] if message.get("content") else []
    for call in message.get("tool_calls") or []:
        blocks.append(
            {
                "type": "tool_use",
                "id": call["id"],
                "name": call["function"]["name"],
                "input": _arguments_object(call),
            }
        )
    return blocks


def _arguments_object(call: dict) -> dict:
    try:
        arguments = json.loads(call["function"]["arguments"])
    except json.JSONDecodeError as err:
        arguments = err
    if not isinstance(arguments, dict):
        raise ConversionError(
            f"tool call {call['id']} has arguments {call['function']['arguments']!r}; "
            "a Messages API tool_use input must be a JSON object"
        )
    return arguments


def _append_tool_result(converted: list[dict], message: dict, position: int) -> None:
    result = {
        "type": "tool_result",
        "tool_use_id": message["tool_call_id"],
        "content": message["content"],
        "is_error": _is_tool_error(message["content"]),
    }
    previous = converted[-1] if converted else None
    if previous and previous["role"] == "user" and isinstance(previous["content"], list):
        previous["content"].append(result)
    elif previous and previous["role"] == "assistant":
        converted.append({"role": "user", "content": [result]})
    else:
        raise ConversionError(
            f"tool message {position} ({message['tool_call_id']}) does not follow an assistant message "
            "with tool calls; each tool result must answer a call of the turn before it"
        )


def _is_tool_error(content: str) -> bool:
    try:
        parsed = json.loads(content)
    except (json.JSONDecodeError, TypeError):
        return False
    return isinstance(parsed, dict) and "error" in parsed


def _user_from_blocks(blocks: list[dict]) -> list[dict]:
    messages = [
        {"role": "tool", "tool_call_id": block["tool_use_id"], "content": _result_text(block["content"])}
        for block in blocks
        if block["type"] == "tool_result"
    ]
    text = "".join(block["text"] for block in blocks if block["type"] == "text")
    if text:
        messages.append({"role": "user", "content": text})
    return messages


def _result_text(content: str | list[dict]) -> str:
    if isinstance(content, str):
        return content
    return "".join(block["text"] for block in content if block["type"] == "text")
