"""Client-side throttle: requests and tokens per minute, and adaptive concurrency.

Token buckets keep us under the configured RPM/TPM (defaults fit a low
Anthropic tier: 50 requests and 50,000 input tokens a minute). Concurrency is
additive-increase / multiplicative-decrease: halve the calls in flight when a
429 arrives or the server's `*-remaining` headers run low, win one slot back
after as many successes as there are slots. Time comes in as `clock` (epoch seconds, because
servers send reset times as dates) and `sleep`, so tests never wait.
"""
from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ServerBudget:
    """What the server says is left of one limit, and when it refills (epoch seconds)."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None


@dataclass(frozen=True)
class RateLimitHeaders:
    requests: ServerBudget = ServerBudget()
    tokens: ServerBudget = ServerBudget()


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _rfc3339_epoch(value: str | None) -> float | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() if value else None
    except ValueError:
        return None


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_SECONDS_PER_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def _duration_s(value: str | None) -> float | None:
    """OpenAI's reset durations: `1s`, `6m0s`, `20ms`, `1h2m3.5s`."""
    parts = _DURATION_PART.findall(value or "")
    return sum(float(n) * _SECONDS_PER_UNIT[unit] for n, unit in parts) if parts else None


def parse_anthropic_headers(headers: Mapping[str, str]) -> RateLimitHeaders:
    """`anthropic-ratelimit-*`; input tokens are what the tokens-per-minute limit counts."""

    def budget(kind: str) -> ServerBudget:
        prefix = f"anthropic-ratelimit-{kind}-"
        return ServerBudget(
            _int_or_none(headers.get(prefix + "limit")),
            _int_or_none(headers.get(prefix + "remaining")),
            _rfc3339_epoch(headers.get(prefix + "reset")),
        )

    tokens = budget("input-tokens")
    return RateLimitHeaders(budget("requests"), tokens if tokens.remaining is not None else budget("tokens"))


def parse_openai_headers(headers: Mapping[str, str], now: float) -> RateLimitHeaders:
    """`x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (reset is a duration from now)."""

    def budget(kind: str) -> ServerBudget:
        reset_in = _duration_s(headers.get(f"x-ratelimit-reset-{kind}"))
        return ServerBudget(
            _int_or_none(headers.get(f"x-ratelimit-limit-{kind}")),
            _int_or_none(headers.get(f"x-ratelimit-remaining-{kind}")),
            now + reset_in if reset_in is not None else None,
        )

    return RateLimitHeaders(budget("requests"), budget("tokens"))


class _Bucket:
    """A token bucket that lends: a reservation may overdraw and is told how long to wait."""

    def __init__(self, per_minute: float, now: float) -> None:
        self.capacity = per_minute
        self.per_second = per_minute / 60
        self.level = per_minute
        self.updated = now

    def reserve(self, amount: float, now: float) -> float:
        self.level = min(self.capacity, self.level + (now - self.updated) * self.per_second)
        self.updated = now
        self.level -= amount
        return max(0.0, -self.level / self.per_second)


class Throttle:
    def __init__(
        self,
        *,
        requests_per_minute: float = 50,
        tokens_per_minute: float = 50_000,
        max_concurrency: int = 4,
        min_concurrency: int = 1,
        low_remaining_fraction: float = 0.1,
        shrink_cooldown_s: float = 5.0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if requests_per_minute <= 0 or tokens_per_minute <= 0 or not 1 <= min_concurrency <= max_concurrency:
            raise ValueError(
                "throttle needs requests_per_minute > 0, tokens_per_minute > 0 and "
                f"1 <= min_concurrency <= max_concurrency; got {requests_per_minute}, {tokens_per_minute}, "
                f"{min_concurrency}..{max_concurrency}"
            )
        self._clock = clock
        self._sleep = sleep
        now = clock()
        self._requests = _Bucket(requests_per_minute, now)
        self._tokens = _Bucket(tokens_per_minute, now)
        self._max = max_concurrency
        self._min = min_concurrency
        self._limit = max_concurrency
        self._successes_at_limit = 0
        self._low_fraction = low_remaining_fraction
        self._cooldown_s = shrink_cooldown_s
        self._last_shrink = -math.inf
        self._blocked_until = -math.inf
        self._in_flight = 0
        self._waiters: list[asyncio.Future[None]] = []

    @property
    def concurrency(self) -> int:
        """How many calls may be in flight right now."""
        return self._limit

    @asynccontextmanager
    async def slot(self, estimated_tokens: int) -> AsyncIterator[None]:
        """Hold one place in flight, after waiting for the request and token budgets."""
        await self._enter()
        try:
            now = self._clock()
            wait = max(
                self._requests.reserve(1, now),
                self._tokens.reserve(estimated_tokens, now),
                self._blocked_until - now,
            )
            if wait > 0:
                await self._sleep(wait)
            yield
        finally:
            self._in_flight -= 1
            self._wake()

    def settle_tokens(self, estimated: int, actual: int) -> None:
        """Correct the token bucket once the server has counted the real input."""
        self._tokens.level += estimated - actual

    def on_success(self) -> None:
        """One more slot after as many successes in a row as there are slots now."""
        self._successes_at_limit += 1
        if self._successes_at_limit >= self._limit:
            self._successes_at_limit = 0
            self._limit = min(self._max, self._limit + 1)
            self._wake()

    def on_rate_limited(self) -> None:
        self._shrink()

    def observe(self, headers: RateLimitHeaders) -> None:
        """Trust the server's count over ours, and back off when it says we are nearly out."""
        for bucket, budget in ((self._requests, headers.requests), (self._tokens, headers.tokens)):
            if budget.remaining is None:
                continue
            bucket.level = min(bucket.level, budget.remaining)
            if budget.limit and budget.remaining <= budget.limit * self._low_fraction:
                self._shrink()
            if budget.remaining <= 0 and budget.reset_at is not None:
                self._blocked_until = max(self._blocked_until, budget.reset_at)

    def _shrink(self) -> None:
        now = self._clock()
        if now - self._last_shrink >= self._cooldown_s:
            self._last_shrink = now
            self._limit = max(self._min, self._limit // 2)
            self._successes_at_limit = 0

    async def _enter(self) -> None:
        while self._in_flight >= self.concurrency:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
                else:
                    self._wake()
                raise
        self._in_flight += 1

    def _wake(self) -> None:
        free = self.concurrency - self._in_flight
        while free > 0 and self._waiters:
            waiter = self._waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                free -= 1
