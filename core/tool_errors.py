"""The one error shape every tool returns, so a failure is a value a model can read.

A tool never raises at its boundary: bad arguments, unknown places and injected
service faults all come back as `{"error": {"code", "message", ...}}`.
"""
from __future__ import annotations

from typing import Any

ERROR_CODES: frozenset[str] = frozenset({
    "invalid_parameter",
    "missing_parameter",
    "out_of_range",
    "location_not_found",
    "rate_limited",
    "service_unavailable",
    "timeout",
    "unknown_tool",
})

SERVICE_FAULTS: frozenset[str] = frozenset({"rate_limited", "service_unavailable", "timeout"})


def tool_error(code: str, message: str, **extra: Any) -> dict:
    """Build the error response; `extra` carries code-specific fields (e.g. `retry_after_seconds`)."""
    if code not in ERROR_CODES:
        raise ValueError(f"unknown tool error code {code!r}; use one of {sorted(ERROR_CODES)}")
    return {"error": {"code": code, "message": message, **extra}}


def is_error(response: object) -> bool:
    return isinstance(response, dict) and isinstance(response.get("error"), dict)
