"""A parsed view of one record: each tool call with its arguments and answer decoded once.

The schema, semantic and groundedness checks all walk calls and answers; parsing
the JSON strings here, once per record, keeps them fast and consistent. The view
is built defensively: a malformed record yields a partial view, never an
exception (the format check reports what is wrong).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from core.tool_errors import is_error


@dataclass(frozen=True, slots=True)
class ToolExchange:
    """One tool call and the tool message that answered it (if any)."""

    call_id: str | None
    name: str | None
    call_index: int
    raw_arguments: object
    arguments: dict | None
    argument_error: str | None
    weight_zero: bool
    response_index: int | None
    response: object

    @property
    def errored(self) -> bool:
        return is_error(self.response)

    @property
    def succeeded(self) -> bool:
        return isinstance(self.response, dict) and not is_error(self.response)


@dataclass(frozen=True, slots=True)
class Conversation:
    messages: tuple[object, ...]
    exchanges: tuple[ToolExchange, ...]
    user_texts: tuple[tuple[int, str], ...]
    assistant_texts: tuple[tuple[int, str], ...]
    metadata: dict
    today: date | None


def parse_arguments(raw: object) -> tuple[dict | None, str | None]:
    """Decode an arguments string: (object, None) or (None, what is wrong with it)."""
    if isinstance(raw, dict):
        return raw, None
    if not isinstance(raw, str):
        return None, f"arguments are a {type(raw).__name__}, not a JSON string"
    try:
        value = json.loads(raw)
    except ValueError as error:
        return None, f"not valid JSON ({error})"
    if not isinstance(value, dict):
        return None, f"JSON {type(value).__name__}, not an object"
    return value, None


def _parse_json(text: object) -> object:
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _simulated_date(metadata: dict) -> date | None:
    value = metadata.get("simulated_date")
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def parse_conversation(record: dict) -> Conversation:
    messages = record.get("messages")
    messages = tuple(messages) if isinstance(messages, list) else ()
    metadata = record.get("metadata") if isinstance(record.get("metadata"), dict) else {}
    answers: dict[str, tuple[int, object]] = {}
    user_texts, assistant_texts = [], []
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        role, content = message.get("role"), message.get("content")
        if role == "tool":
            call_id = message.get("tool_call_id")
            if isinstance(call_id, str) and call_id not in answers:
                answers[call_id] = (index, _parse_json(content))
        elif isinstance(content, str) and content:
            if role == "user":
                user_texts.append((index, content))
            elif role == "assistant":
                assistant_texts.append((index, content))
    exchanges = []
    for index, message in enumerate(messages):
        calls = message.get("tool_calls") if isinstance(message, dict) and message.get("role") == "assistant" else None
        if not isinstance(calls, list):
            continue
        for call in calls:
            if not isinstance(call, dict):
                continue
            function = call.get("function") if isinstance(call.get("function"), dict) else {}
            call_id = call.get("id") if isinstance(call.get("id"), str) else None
            raw = function.get("arguments")
            arguments, argument_error = parse_arguments(raw)
            response_index, response = answers.get(call_id, (None, None)) if call_id else (None, None)
            exchanges.append(ToolExchange(
                call_id, function.get("name") if isinstance(function.get("name"), str) else None, index, raw,
                arguments, argument_error, message.get("weight") == 0, response_index, response))
    return Conversation(messages, tuple(exchanges), tuple(user_texts), tuple(assistant_texts), metadata,
                        _simulated_date(metadata))
