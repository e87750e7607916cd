"""Assistant text with each groundedness claim highlighted, built only from escaped text.

The spans come from `core.validation`; this module only paints them: the text
between and inside spans is escaped, and the colour directive around a span is
the only markdown the studio adds.
"""
from __future__ import annotations

from typing import Any, Iterable

import pandas as pd
import streamlit as st

from studio.components.conversation import ASSISTANT_AVATAR
from studio.components.safe_text import escape_markdown

SUPPORTED_COLOUR = "green"
UNSUPPORTED_COLOUR = "red"


def highlight_markdown(text: str, spans: Iterable[tuple[int, int, bool]]) -> str:
    """`text` as safe markdown with each (start, end, supported) span on a coloured background.

    Overlapping spans keep the first; spans outside the text are ignored.
    """
    pieces: list[str] = []
    position = 0
    for start, end, supported in sorted(spans):
        if start < position or end > len(text) or start >= end:
            continue
        colour = SUPPORTED_COLOUR if supported else UNSUPPORTED_COLOUR
        pieces.append(escape_markdown(text[position:start]))
        pieces.append(f":{colour}-background[{escape_markdown(text[start:end])}]")
        position = end
    pieces.append(escape_markdown(text[position:]))
    return "".join(pieces)


def _claims_table(claims: Iterable[Any]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"message": claim.message_index, "kind": claim.kind, "claim": claim.text, "supported": claim.supported,
          "nearest tool value": claim.nearest} for claim in claims],
        columns=["message", "kind", "claim", "supported", "nearest tool value"])


def render_claims(record: dict[str, Any], groundedness: Any) -> None:
    """Score, each assistant answer with its claims painted, and the claims as a table."""
    if groundedness is None:
        st.info("Groundedness was not measured: the record failed a check that comes before it.")
        return
    supported = len(groundedness.claims) - len(groundedness.unsupported)
    cells = st.columns(3)
    cells[0].metric("Groundedness", f"{groundedness.score:.0%}")
    cells[1].metric("Claims supported", f"{supported} / {len(groundedness.claims)}")
    cells[2].metric("Coverage", "–" if groundedness.coverage is None else f"{groundedness.coverage:.0%}",
                    help="how much of the key tool data the answers used")
    st.caption(f":{SUPPORTED_COLOUR}-background[supported by a tool output] · "
               f":{UNSUPPORTED_COLOUR}-background[not supported]")
    for index, message in enumerate(record.get("messages") or []):
        if message.get("role") == "assistant" and isinstance(message.get("content"), str):
            spans = [(claim.start, claim.end, claim.supported) for claim in groundedness.claims
                     if claim.message_index == index]
            with st.chat_message("assistant", avatar=ASSISTANT_AVATAR):
                st.markdown(highlight_markdown(message["content"], spans))
    if groundedness.claims:
        st.dataframe(_claims_table(groundedness.claims), hide_index=True)
