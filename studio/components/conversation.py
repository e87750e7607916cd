"""A record's conversation as chat bubbles, each tool call an expandable block.

Every string from the record goes through `escape_markdown` or `st.code`, so a
record can show `<script>` or a markdown image but never run or load one.
"""
from __future__ import annotations

import json
from typing import Any

import streamlit as st

from core.tool_errors import is_error
from studio.components.safe_text import escape_markdown

TOOL_JSON_HEIGHT = 260  # pixels; longer tool responses scroll inside their block
ASSISTANT_AVATAR = ":material/partly_cloudy_day:"
_AVATARS = {"user": ":material/person:", "assistant": ASSISTANT_AVATAR}


def _parsed(text: Any) -> Any:
    """Tool JSON as data; text that is not JSON stays text."""
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _pretty_json(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)


def _tool_call_block(call: dict[str, Any], answer: dict[str, Any] | None) -> None:
    function = call.get("function") or {}
    name = escape_markdown(str(function.get("name", "?")))
    response = _parsed(answer.get("content")) if answer else None
    icon = ":material/warning:" if answer is None or is_error(response) else ":material/build:"
    with st.expander(name, expanded=False, icon=icon):
        st.caption("arguments")
        st.code(_pretty_json(_parsed(function.get("arguments", ""))), language="json")
        st.caption("tool response" if answer else "no tool message answers this call")
        if answer:
            st.code(_pretty_json(response), language="json", height=TOOL_JSON_HEIGHT)


def render_conversation(record: dict[str, Any]) -> None:
    """System prompt collapsed, then user and assistant turns with their tool calls inline."""
    messages = record.get("messages") or []
    answers = {message.get("tool_call_id"): message for message in messages if message.get("role") == "tool"}
    for message in messages:
        role = message.get("role")
        content = message.get("content")
        if role == "system":
            with st.expander("System prompt", expanded=False):
                st.text(str(content))
        elif role in _AVATARS:
            with st.chat_message(role, avatar=_AVATARS[role]):
                if message.get("weight") == 0:
                    st.caption("weight 0: a deliberate mistake, shown but not trained on")
                if content:
                    st.markdown(escape_markdown(str(content)))
                for call in message.get("tool_calls") or []:
                    _tool_call_block(call, answers.get(call.get("id")))
