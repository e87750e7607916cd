"""Finding the API key without ever letting it leave memory.

The key is read from the caller, the environment or a hidden prompt, handed to
the SDK client, and otherwise only used to scrub text that may echo it.
"""
from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

REDACTED = "[redacted]"


def resolve_api_key(
    explicit: str | None = None,
    *,
    env_var: str = "ANTHROPIC_API_KEY",
    environ: Mapping[str, str] = os.environ,
    stdin: TextIO | None = None,
    prompt: Callable[[str], str] | None = getpass.getpass,
) -> str | None:
    """The key: `explicit`, else `env_var`, else a hidden prompt when stdin is a terminal.

    Returns None when none is found and nobody can be asked (a pipe, a service,
    or `prompt=None`).
    """
    for candidate in (explicit, environ.get(env_var)):
        if candidate and candidate.strip():
            return candidate.strip()
    stream = stdin if stdin is not None else sys.stdin
    if prompt is None or stream is None or not stream.isatty():
        return None
    entered = prompt(f"{env_var} is not set. Paste the API key (input is hidden): ").strip()
    return entered or None


def redact(text: str, secret: str | None) -> str:
    """`text` with every occurrence of `secret` replaced, for messages built from server replies."""
    if not secret:
        return text
    return text.replace(secret, REDACTED)
