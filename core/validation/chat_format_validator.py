"""OpenAI chat fine-tuning format checks, extended to understand tool calling.

Starts from the cookbook's counters (data_type, missing_messages_list,
message_missing_key, message_unrecognized_key, unrecognized_role,
missing_content, example_missing_assistant_message), which predate tools and
would flag valid `tool` messages, `tool_calls` and `content: null`; adds the
rules a tool conversation needs: unique call ids, known function names,
arguments as JSON *strings*, every call answered exactly once before the
conversation moves on, and a sensible turn order.

Parsing the argument strings is left to the schema check, which reports
malformed JSON with the offending text.
"""
from __future__ import annotations

from itertools import islice

from core.validation.findings import Finding, failure

_ALLOWED_KEYS: dict[str, frozenset[str]] = {
    "system": frozenset({"role", "content", "name"}),
    "user": frozenset({"role", "content", "name"}),
    "assistant": frozenset({"role", "content", "name", "tool_calls", "weight"}),
    "tool": frozenset({"role", "content", "tool_call_id"}),
}


def _fail(rule: str, reason: str, message_index: int | None = None,
          tool_call_id: str | None = None) -> Finding:
    return failure("format", rule, reason, message_index, tool_call_id)


def record_tool_names(record: dict) -> frozenset[str]:
    """Function names the record declares in `tools` (malformed entries are skipped)."""
    tools = record.get("tools")
    if not isinstance(tools, list):
        return frozenset()
    return frozenset(
        tool["function"]["name"] for tool in tools
        if isinstance(tool, dict) and isinstance(tool.get("function"), dict)
        and isinstance(tool["function"].get("name"), str))


def check_format(record: object) -> list[Finding]:
    """Every format rule the record breaks (empty when it is well-formed)."""
    if not isinstance(record, dict):
        return [_fail("data_type", f"record must be a JSON object, got {type(record).__name__}")]
    messages = record.get("messages")
    if not isinstance(messages, list) or not messages:
        return [_fail("missing_messages_list", "record needs a non-empty 'messages' list")]
    return [] if _plainly_well_formed(record, messages) else _diagnose(record, messages)


def _diagnose(record: dict, messages: list) -> list[Finding]:
    """Every rule, one at a time, each broken one worded."""
    findings = _check_tools_declaration(record)
    tool_names = record_tool_names(record)
    serial = record.get("parallel_tool_calls") is False
    call_owner: dict[str, int] = {}
    for index, message in enumerate(messages):
        if isinstance(message, dict) and message.get("role") == "assistant":
            findings += _check_tool_calls(message, index, tool_names, serial, call_owner)
    for index, message in enumerate(messages):
        findings += _check_message_shape(message, index)
    findings += _check_order(messages, call_owner)
    return findings


def _plainly_well_formed(record: dict, messages: list) -> bool:
    """True for a record that clearly breaks no rule (the usual one), in one cheap walk, so the
    per-rule diagnostics run only on the others; False whenever in doubt, never for a broken one."""
    tools = record.get("tools")
    names = set()
    if tools is not None:
        if type(tools) is not list:
            return False
        for tool in tools:
            function = tool.get("function") if type(tool) is dict and tool.get("type") == "function" else None
            if type(function) is not dict or type(function.get("name")) is not str:
                return False
            names.add(function["name"])
    if "parallel_tool_calls" in record and type(record["parallel_tool_calls"]) is not bool:
        return False
    serial = record.get("parallel_tool_calls") is False
    first = messages[0]
    if type(first) is not dict or first.get("role") != "system" or not first.keys() <= _ALLOWED_KEYS["system"] \
            or type(first.get("content")) is not str or not first["content"].strip():
        return False
    call_ids: set[str] = set()
    pending: set[str] = set()
    previous = "system"
    for message in islice(messages, 1, None):
        if type(message) is not dict:
            return False
        role = message.get("role")
        content = message.get("content")
        if role == "tool":
            call_id = message.get("tool_call_id")
            if type(call_id) is not str or call_id not in pending or type(content) is not str \
                    or len(message) != 3:  # its three keys are there, so no other is
                return False
            pending.remove(call_id)
        elif pending:
            return False
        elif role == "user":
            if previous != "system" and previous != "text" or not message.keys() <= _ALLOWED_KEYS["user"] \
                    or type(content) is not str or not content.strip():
                return False
        elif role == "assistant":
            if previous != "user" and previous != "tool" or not message.keys() <= _ALLOWED_KEYS["assistant"] \
                    or "weight" in message and (type(message["weight"]) is not int or message["weight"] not in (0, 1)):
                return False
            if "tool_calls" in message:
                calls = message["tool_calls"]
                if type(calls) is not list or not calls or serial and len(calls) > 1 \
                        or content is not None and type(content) is not str:
                    return False
                for call in calls:
                    function = call.get("function") if type(call) is dict else None
                    call_id = call.get("id") if type(function) is dict and call.get("type") == "function" else None
                    if type(call_id) is not str or not call_id or call_id in call_ids \
                            or type(function.get("name")) is not str or function["name"] not in names \
                            or type(function.get("arguments")) is not str:
                        return False
                    call_ids.add(call_id)
                pending = {call.get("id") for call in calls}
                role = "calls"
            elif type(content) is not str or not content.strip():
                return False
            else:
                role = "text"
        else:
            return False
        previous = role
    return previous == "text"


def _check_tools_declaration(record: dict) -> list[Finding]:
    tools = record.get("tools")
    if tools is None:
        return []
    if not isinstance(tools, list) or not all(
            isinstance(tool, dict) and tool.get("type") == "function"
            and isinstance(tool.get("function"), dict) and isinstance(tool["function"].get("name"), str)
            for tool in tools):
        return [_fail("invalid_tools", "'tools' must be a list of "
                      '{"type": "function", "function": {"name": ..., "parameters": ...}} entries')]
    findings = []
    if "parallel_tool_calls" in record and not isinstance(record["parallel_tool_calls"], bool):
        findings.append(_fail("invalid_parallel_tool_calls", "'parallel_tool_calls' must be true or false"))
    return findings


def _check_message_shape(message: object, index: int) -> list[Finding]:
    if not isinstance(message, dict):
        return [_fail("data_type", f"message {index} must be a JSON object", index)]
    if "role" not in message:
        return [_fail("message_missing_key", f"message {index} has no 'role'", index)]
    role = message["role"]
    if not isinstance(role, str) or role not in _ALLOWED_KEYS:
        return [_fail("unrecognized_role", f"message {index} has role {role!r}; use system, user, assistant or tool",
                      index)]
    findings = []
    extra = sorted(set(message) - _ALLOWED_KEYS[role])
    if extra:
        findings.append(_fail("message_unrecognized_key",
                              f"{role} message {index} has unrecognised key(s) {', '.join(extra)}", index))
    content = message.get("content")
    if role == "assistant":
        if content is None and not message.get("tool_calls"):
            findings.append(_fail("missing_content",
                                  f"assistant message {index} has no content; null content needs tool_calls", index))
        elif content is not None and not isinstance(content, str):
            findings.append(_fail("missing_content", f"assistant message {index} content must be a string or null",
                                  index))
        elif isinstance(content, str) and not content.strip() and not message.get("tool_calls"):
            findings.append(_fail("missing_content", f"assistant message {index} has empty content", index))
        if "weight" in message and (message["weight"] not in (0, 1) or isinstance(message["weight"], bool)):
            findings.append(_fail("invalid_weight", f"assistant message {index} weight must be 0 or 1, "
                                  f"got {message['weight']!r}", index))
    elif not isinstance(content, str) or (role != "tool" and not content.strip()):
        findings.append(_fail("missing_content", f"{role} message {index} needs string content", index))
    if role == "tool" and not isinstance(message.get("tool_call_id"), str):
        findings.append(_fail("message_missing_key", f"tool message {index} needs a string 'tool_call_id'", index))
    return findings


def _check_tool_calls(message: dict, index: int, tool_names: frozenset[str], serial: bool,
                      call_owner: dict[str, int]) -> list[Finding]:
    """Per-call rules; records each call id's owning message in `call_owner`."""
    if "tool_calls" not in message:
        return []
    calls = message["tool_calls"]
    if not isinstance(calls, list) or not calls:
        return [_fail("invalid_tool_calls", f"assistant message {index} tool_calls must be a non-empty list", index)]
    findings = []
    if serial and len(calls) > 1:
        findings.append(_fail("parallel_tool_calls", f"assistant message {index} makes {len(calls)} calls at once "
                              "but the record sets parallel_tool_calls to false", index))
    for call in calls:
        if not isinstance(call, dict):
            findings.append(_fail("invalid_tool_calls", f"assistant message {index} has a tool call that is not "
                                  "an object", index))
            continue
        call_id = call.get("id")
        if not isinstance(call_id, str) or not call_id:
            findings.append(_fail("message_missing_key", f"a tool call in message {index} has no string 'id'", index))
            call_id = None
        elif call_id in call_owner:
            findings.append(_fail("duplicate_tool_call_id", f"tool call id {call_id!r} in message {index} was already "
                                  f"used in message {call_owner[call_id]}; every id must be unique", index, call_id))
        else:
            call_owner[call_id] = index
        if call.get("type") != "function":
            findings.append(_fail("invalid_tool_calls", f"tool call {call_id!r} in message {index} must have "
                                  f'type "function", got {call.get("type")!r}', index, call_id))
        function = call.get("function")
        if not isinstance(function, dict):
            findings.append(_fail("message_missing_key", f"tool call {call_id!r} in message {index} has no "
                                  "'function' object", index, call_id))
            continue
        name = function.get("name")
        if not isinstance(name, str) or name not in tool_names:
            known = ", ".join(sorted(tool_names)) or "none declared"
            findings.append(_fail("unknown_function", f"tool call {call_id!r} in message {index} calls {name!r}, "
                                  f"which is not in the record's tools ({known})", index, call_id))
        arguments = function.get("arguments")
        if not isinstance(arguments, str):
            findings.append(_fail("arguments_not_string", f"tool call {call_id!r} in message {index} has arguments "
                                  f"as a {type(arguments).__name__}; they must be a JSON string (json.dumps them)",
                                  index, call_id))
    return findings


def _check_order(messages: list, call_owner: dict[str, int]) -> list[Finding]:
    """Turn order and call/answer pairing, walked as a small state machine."""
    findings: list[Finding] = []
    pending: dict[str, int] = {}
    answered: set[str] = set()
    previous = None  # "system" | "user" | "calls" | "text" | "tool"
    for index, message in enumerate(messages):
        role = message.get("role") if isinstance(message, dict) else None
        if not isinstance(role, str) or role not in _ALLOWED_KEYS:
            continue
        if index == 0 and role != "system":
            findings.append(_fail("order", f"message 0 is {role}; the conversation must start with a system message",
                                  index))
        if role == "system":
            if index != 0:
                findings.append(_fail("order", f"system message {index} must be the first message only", index))
            previous = "system"
            continue
        if role == "tool":
            findings += _answer(message, index, pending, answered, call_owner)
            previous = "tool"
            continue
        if pending:
            for call_id, owner in pending.items():
                findings.append(_fail("unanswered_tool_call", f"tool call {call_id!r} from message {owner} has no tool "
                                      f"message before the next {role} message ({index})", owner, call_id))
            pending.clear()
        elif role == "user" and previous not in (None, "system", "text"):
            findings.append(_fail("order", f"user message {index} follows a {_describe(previous)}; "
                                  "user turns must follow the assistant's answer", index))
        elif role == "assistant" and previous in (None, "system", "text"):
            findings.append(_fail("order", f"assistant message {index} follows a {_describe(previous)}; "
                                  "the assistant speaks after a user or tool message", index))
        if role == "user":
            previous = "user"
        else:
            calls = message.get("tool_calls")
            call_ids = [call.get("id") for call in calls if isinstance(call, dict)] if isinstance(calls, list) else []
            pending.update({call_id: index for call_id in call_ids if isinstance(call_id, str) and call_id})
            previous = "calls" if calls else "text"
    for call_id, owner in pending.items():
        findings.append(_fail("unanswered_tool_call", f"tool call {call_id!r} from message {owner} is never answered "
                              "by a tool message", owner, call_id))
    findings += _check_ending(messages)
    return findings


def _answer(message: dict, index: int, pending: dict[str, int], answered: set[str],
            call_owner: dict[str, int]) -> list[Finding]:
    call_id = message.get("tool_call_id")
    if not isinstance(call_id, str):
        return []  # reported as message_missing_key
    if call_id in pending:
        del pending[call_id]
        answered.add(call_id)
        return []
    if call_id in answered:
        return [_fail("duplicate_tool_answer", f"tool message {index} answers {call_id!r} again; each call gets "
                      "exactly one tool message", index, call_id)]
    if call_id in call_owner:
        waiting = ", ".join(repr(pending_id) for pending_id in pending) or "none"
        return [_fail("tool_call_id_mismatch", f"tool message {index} answers {call_id!r}, a call made by message "
                      f"{call_owner[call_id]}, not one pending here (pending: {waiting}); are the ids swapped?",
                      index, call_id)]
    return [_fail("orphan_tool_message", f"tool message {index} answers {call_id!r}, which no assistant tool call "
                  "made", index, call_id)]


def _check_ending(messages: list) -> list[Finding]:
    roles = [message.get("role") for message in messages if isinstance(message, dict)]
    if "assistant" not in roles:
        return [_fail("example_missing_assistant_message", "the conversation has no assistant message")]
    last = messages[-1]
    index = len(messages) - 1
    if not (isinstance(last, dict) and last.get("role") == "assistant" and not last.get("tool_calls")
            and isinstance(last.get("content"), str) and last["content"].strip()):
        return [_fail("ends_without_answer", f"the conversation must end with an assistant text message "
                      f"(message {index} is not one)", index)]
    return []


def _describe(previous: str | None) -> str:
    return {None: "nothing", "system": "system message", "user": "user message", "calls": "tool call",
            "text": "assistant answer", "tool": "tool message"}[previous]
