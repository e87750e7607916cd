"""A parsed view of one record: each tool call with its arguments and answer decoded once.

The schema, semantic and groundedness checks all walk calls and answers; parsing
the JSON strings here, once per record, keeps them fast and consistent. The view
is built defensively: a malformed record yields a partial view, never an
exception (the format check reports what is wrong).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.json_codec import parse_json
from core.tool_errors import is_error


@dataclass
class ToolExchange:
    """One tool call and the tool message that answered it (if any).

    Not frozen (like tool_outputs.WeatherOutput): it holds dicts, so it was never hashable, and a frozen
    dataclass is built several times slower. Treat it as read-only. Not slotted: conversation.pxd makes it
    (and Conversation) a C struct (see core/compiled_modules.py).
    """

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


@dataclass
class Conversation:
    """The record's messages, its calls with their answers, and its texts; read-only, like ToolExchange."""

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
        value = parse_json(raw)
    except ValueError as error:
        return None, f"not valid JSON ({error})"
    if not isinstance(value, dict):
        return None, f"JSON {type(value).__name__}, not an object"
    return value, None


def _parse_json(text: object) -> object:
    if not isinstance(text, str):
        return None
    try:
        return parse_json(text)
    except ValueError:
        return None


def parse_conversation(record: dict) -> Conversation:
    messages = record.get("messages")
    messages = tuple(messages) if isinstance(messages, list) else ()
    metadata = record.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    answers: dict[str, tuple[int, object]] = {}
    user_texts, assistant_texts = [], []
    asked = []  # (message index, tool_calls, weight 0?) in message order
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        role, content = message.get("role"), message.get("content")
        if role == "tool":
            call_id = message.get("tool_call_id")
            if isinstance(call_id, str) and call_id not in answers:
                answers[call_id] = (index, content)
        elif role == "assistant":
            if isinstance(content, str) and content:
                assistant_texts.append((index, content))
            calls = message.get("tool_calls")
            if isinstance(calls, list):
                asked.append((index, calls, message.get("weight") == 0))
        elif role == "user" and isinstance(content, str) and content:
            user_texts.append((index, content))
    parsed: dict[str, object] = {}  # answers are decoded on first use, once even when ids repeat
    exchanges = []
    for index, calls, weight_zero in asked:
        for call in calls:
            if not isinstance(call, dict):
                continue
            function = call.get("function")
            if not isinstance(function, dict):
                function = {}
            call_id = call.get("id")
            if not isinstance(call_id, str):
                call_id = None
            raw = function.get("arguments")
            arguments, argument_error = parse_arguments(raw)
            response_index = response = None
            if call_id and call_id in answers:
                response_index, content = answers[call_id]
                if call_id not in parsed:
                    parsed[call_id] = _parse_json(content)
                response = parsed[call_id]
            name = function.get("name")
            exchanges.append(ToolExchange(call_id, name if isinstance(name, str) else None, index, raw, arguments,
                                          argument_error, weight_zero, response_index, response))
    today = metadata.get("simulated_date")
    if isinstance(today, str):
        try:
            today = date.fromisoformat(today)
        except ValueError:
            today = None
    else:
        today = None
    return Conversation(messages, tuple(exchanges), tuple(user_texts), tuple(assistant_texts), metadata, today)
