"""The one verdict shape every validator returns, so reports and the studio read them alike."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from core.validation.frozen import slotted

CHECKS: tuple[str, ...] = ("format", "schema", "semantic", "groundedness")


@dataclass(frozen=True, slots=True)
class Finding:
    """One verdict: which check, whether it passed, why, and where in the conversation.

    `rule` is a stable short name (e.g. ``"orphan_tool_message"``) so a report can
    count failures of the same kind whose `reason` texts differ in detail.
    """

    check: str
    passed: bool
    reason: str
    message_index: int | None = None
    tool_call_id: str | None = None
    rule: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


_FIELDS = tuple(field.name for field in fields(Finding))


def finding(check: str, passed: bool, reason: str, message_index: int | None = None,
            tool_call_id: str | None = None, rule: str = "") -> Finding:
    """`Finding(...)`, built as `frozen.slotted` builds it: every record makes at least one."""
    return slotted(Finding, _FIELDS, (check, passed, reason, message_index, tool_call_id, rule))


def failure(check: str, rule: str, reason: str, message_index: int | None = None,
            tool_call_id: str | None = None) -> Finding:
    return finding(check, False, reason, message_index, tool_call_id, rule)
