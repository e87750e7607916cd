"""One record opened: its conversation, groundedness highlights, findings and raw JSON."""
from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.validation import validate_record
from studio.components.claims import render_claims
from studio.components.conversation import render_conversation
from studio.components.safe_text import escape_markdown


def _findings_table(result: Any) -> pd.DataFrame:
    return pd.DataFrame(
        [{"check": f.check, "passed": f.passed, "rule": f.rule, "reason": f.reason,
          "message": f.message_index, "tool call": f.tool_call_id} for f in result.findings],
        columns=["check", "passed", "rule", "reason", "message", "tool call"])


def render_findings(result: Any) -> None:
    """Each check's verdict, then the failed findings first."""
    st.dataframe(pd.DataFrame([result.checks]), hide_index=True)
    findings = _findings_table(result).sort_values("passed", kind="stable")
    if findings.empty:
        st.success("No findings: every check passed.")
    else:
        st.dataframe(findings, hide_index=True)


def render_record(record: dict[str, Any]) -> None:
    metadata = record.get("metadata") or {}
    result = validate_record(record)
    st.subheader(f"Record {metadata.get('index', '?')}")
    st.caption(escape_markdown(" · ".join(str(part) for part in (
        (record.get("tags") or {}).get("persona"), metadata.get("scenario"), metadata.get("intent"),
        metadata.get("error_kind"), metadata.get("simulated_date"), record.get("id")) if part)))
    conversation, grounded, findings, raw = st.tabs(["Conversation", "Groundedness", "Validation", "JSON"])
    with conversation:
        render_conversation(record)
    with grounded:
        render_claims(record, result.groundedness)
    with findings:
        render_findings(result)
    with raw:
        st.json(record, expanded=1)
