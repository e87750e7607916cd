"""Every call's arguments against its tool's JSON Schema (from core.tools, the one source).

A deliberate mistake is allowed only when it is marked and answered: the
assistant message carries `"weight": 0` (shown, not trained on) and the tool
replied with an error. Anything else invalid fails, with the offending text.
"""
from __future__ import annotations

from core.tools import TOOL_SCHEMAS, validate_arguments
from core.validation.conversation import Conversation, ToolExchange
from core.validation.findings import Finding, failure

_PARAMETERS = {tool["function"]["name"]: tool["function"]["parameters"] for tool in TOOL_SCHEMAS}
_SNIPPET = 120


def _snippet(text: object) -> str:
    text = str(text)
    return text if len(text) <= _SNIPPET else text[:_SNIPPET] + "…"


def check_schema(record: dict, conversation: Conversation) -> list[Finding]:
    findings = _check_declared_tools(record)
    for exchange in conversation.exchanges:
        if exchange.name not in _PARAMETERS or not isinstance(exchange.raw_arguments, str):
            continue  # unknown names and non-string arguments are format findings
        if exchange.weight_zero and exchange.errored:
            continue  # a deliberate mistake, marked and answered: allowed whatever it is
        problems = _problems(exchange)
        if not problems:
            continue
        where = f"{exchange.name} call {exchange.call_id!r} in message {exchange.call_index}"
        if exchange.weight_zero:
            hint = "it is marked weight 0, but a deliberate mistake must be answered by a tool error"
        else:
            hint = "mark the message \"weight\": 0 if the mistake is deliberate and answered by a tool error"
        rule = "malformed_arguments" if exchange.arguments is None else "invalid_arguments"
        findings.append(failure("schema", rule, f"{where}: {'; '.join(problems)} ({hint})",
                                exchange.call_index, exchange.call_id))
    return findings


def _problems(exchange: ToolExchange) -> list[str]:
    """Violations of one call's arguments, read from the text the conversation has already decoded."""
    if exchange.arguments is None:
        return [f"arguments are {exchange.argument_error}: {_snippet(exchange.raw_arguments)!r}"]
    return validate_arguments(exchange.name, exchange.arguments)


def _check_declared_tools(record: dict) -> list[Finding]:
    """The record's tool definitions must be the product's, or training teaches the wrong schema."""
    tools = record.get("tools")
    if not isinstance(tools, list) or tools == TOOL_SCHEMAS:
        return []
    findings = []
    for tool in tools:
        function = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(function, dict):
            continue
        name = function.get("name")
        if not isinstance(name, str) or name not in _PARAMETERS:
            findings.append(failure("schema", "unknown_tool_definition", f"tools declares {name!r}, which is not one "
                                    f"of the product's tools ({', '.join(sorted(_PARAMETERS))})"))
        elif function.get("parameters") != _PARAMETERS[name]:
            findings.append(failure("schema", "tool_definition_differs", f"tools declares {name!r} with parameters "
                                    "that differ from core.tools.TOOL_SCHEMAS; regenerate them from the one source"))
    return findings
