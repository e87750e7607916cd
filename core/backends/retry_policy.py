"""When a failed API call is tried again, and how long we wait first.

Policy (issue 3): at most 3 retries, backoff 1 s, 2 s, 4 s plus up to 25 %
jitter, a server's `retry-after` honoured (up to a minute). 408/409/429/5xx/529,
connection errors and timeouts are retried; other 4xx never, nor a 429 that
reports an exhausted spend limit or quota (waiting will not clear it). The
schedule runs inside the SDKs' own retry loop: `PolicyRetries` overrides the
delay hook both Stainless-built clients (`anthropic`, `openai`) share, and
makes the sleep injectable.
"""
from __future__ import annotations

import logging
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

QUOTA_ERROR_CODES = frozenset(
    {
        "enforced_spend_limit_reached",
        "contract_spend_limit_reached",
        "linked_organization_spend_limit_reached",
        "insufficient_quota",
    }
)
_QUOTA_WORDS = re.compile(r"spend limit|usage limit|quota|credit balance", re.IGNORECASE)


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    base_delay_s: float = 1.0
    jitter_fraction: float = 0.25
    max_retry_after_s: float = 60.0

    def delay(self, retry_index: int, retry_after_s: float | None, rng: random.Random) -> float:
        """Seconds before retry number `retry_index` (0 for the first); a server's wait wins."""
        if retry_after_s is not None and retry_after_s > 0:
            return min(retry_after_s, self.max_retry_after_s)
        backoff = self.base_delay_s * 2**retry_index
        return backoff * (1 + self.jitter_fraction * rng.random())


@dataclass(frozen=True)
class RetryEvent:
    """One retry about to happen; `status` is None for a connection error or timeout."""

    number: int
    status: int | None
    headers: Any
    delay_s: float


def error_fields(body: object) -> dict:
    """The `error` object of an error reply (Anthropic, OpenAI and vLLM shapes), or {}."""
    if not isinstance(body, dict):
        return {}
    error = body.get("error", body)
    return error if isinstance(error, dict) else {"message": str(error)}


def is_quota_exhausted(status: int, body: object) -> bool:
    if status == 402:
        return True
    if status != 429:
        return False
    error = error_fields(body)
    details = error.get("details") if isinstance(error.get("details"), dict) else {}
    codes = {error.get("code"), error.get("type"), details.get("error_code")}
    return bool(codes & QUOTA_ERROR_CODES) or bool(_QUOTA_WORDS.search(str(error.get("message", ""))))


def classify_status(status: int, body: object) -> tuple[str, bool]:
    """(failure kind, worth trying again later) for an HTTP error reply."""
    if is_quota_exhausted(status, body):
        return "quota", False
    named = {400: "bad_request", 401: "auth", 403: "permission", 404: "not_found", 408: "timeout", 429: "rate_limit"}
    if status in named:
        return named[status], status in (408, 429)
    if status in (503, 529):
        return "overloaded", True
    if status == 409 or status >= 500:
        return "server", True
    return "bad_request", False


def _response_json(response: Any) -> object:
    try:
        return response.json()
    except Exception:  # an unread stream or a body that is not JSON: nothing to learn from it
        return None


class PolicyRetries:
    """Mixin for an `anthropic`/`openai` async client: our schedule in the SDK's retry loop."""

    def __init__(
        self,
        *,
        retry_policy: RetryPolicy,
        retry_sleep: Callable[[float], Awaitable[None]],
        retry_rng: random.Random,
        on_retry: Callable[[RetryEvent], None],
        **client_options: Any,
    ) -> None:
        super().__init__(max_retries=retry_policy.max_retries, **client_options)
        self._retry_policy = retry_policy
        self._retry_sleep = retry_sleep
        self._retry_rng = retry_rng
        self._on_retry = on_retry

    def _calculate_retry_timeout(self, remaining_retries: int, options: Any, response_headers: Any = None) -> float:
        retry_index = options.get_max_retries(self.max_retries) - remaining_retries
        retry_after = self._parse_retry_after_header(response_headers)
        return self._retry_policy.delay(retry_index, retry_after, self._retry_rng)

    async def _sleep_for_retry(self, *, retries_taken: int, max_retries: int, options: Any, response: Any) -> None:
        headers = response.headers if response is not None else None
        delay = self._calculate_retry_timeout(max_retries - retries_taken, options, headers)
        event = RetryEvent(retries_taken + 1, response.status_code if response is not None else None, headers, delay)
        log.info("retry %d of %d after %s in %.2f s", event.number, max_retries, event.status or "a connection error", delay)
        self._on_retry(event)
        await self._retry_sleep(delay)

    def _should_retry(self, response: Any) -> bool:
        if is_quota_exhausted(response.status_code, _response_json(response)):
            return False
        return super()._should_retry(response)
