"""The client-side throttle: per-minute budgets, server headers, adaptive concurrency."""
import asyncio
from datetime import datetime, timezone

import pytest

from core.backends.rate_limit import (
    RateLimitHeaders,
    ServerBudget,
    Throttle,
    parse_anthropic_headers,
    parse_openai_headers,
)
from tests.support.fake_time import FakeTime
from tests.support.loopback_messages_api import ratelimit_headers


def throttle(time: FakeTime, **options) -> Throttle:
    return Throttle(clock=time.clock, sleep=time.sleep, **options)


async def take_slots(limiter: Throttle, count: int, tokens: int = 10) -> None:
    for _ in range(count):
        async with limiter.slot(tokens):
            pass


def test_a_fresh_throttle_lets_a_minutes_worth_of_requests_through_without_waiting():
    time = FakeTime()
    limiter = throttle(time, requests_per_minute=6)

    asyncio.run(take_slots(limiter, 6))

    assert time.sleeps == []


def test_past_the_request_budget_each_call_waits_for_the_bucket_to_refill():
    time = FakeTime()
    limiter = throttle(time, requests_per_minute=6)

    asyncio.run(take_slots(limiter, 8))

    assert time.sleeps == pytest.approx([10.0, 10.0])


def test_the_token_budget_is_charged_with_the_estimate_and_settled_with_the_real_count():
    time = FakeTime()
    limiter = throttle(time, tokens_per_minute=1200)

    asyncio.run(take_slots(limiter, 1, tokens=1000))
    limiter.settle_tokens(estimated=1000, actual=400)
    asyncio.run(take_slots(limiter, 1, tokens=800))
    assert time.sleeps == []

    asyncio.run(take_slots(limiter, 1, tokens=200))
    assert time.sleeps == pytest.approx([10.0])


def test_server_headers_saying_nothing_is_left_hold_calls_until_the_reset():
    time = FakeTime()
    limiter = throttle(time)
    reset = datetime.fromtimestamp(time.now + 30, tz=timezone.utc)

    limiter.observe(parse_anthropic_headers(ratelimit_headers(requests=(50, 0), reset=reset)))
    asyncio.run(take_slots(limiter, 1))

    assert time.sleeps == pytest.approx([30.0])


def test_low_remaining_headers_halve_the_concurrency_and_successes_win_it_back_slowly():
    time = FakeTime()
    limiter = throttle(time, max_concurrency=8)
    reset = datetime.fromtimestamp(time.now + 60, tz=timezone.utc)

    limiter.observe(parse_anthropic_headers(ratelimit_headers(input_tokens=(50_000, 2_000), reset=reset)))
    assert limiter.concurrency == 4

    for _ in range(3):
        limiter.on_success()
    assert limiter.concurrency == 4
    limiter.on_success()
    assert limiter.concurrency == 5
    for _ in range(5 + 6 + 7):
        limiter.on_success()
    assert limiter.concurrency == 8
    limiter.on_success()
    assert limiter.concurrency == 8


def test_a_burst_of_429s_shrinks_once_per_cooldown_and_never_below_the_minimum():
    time = FakeTime()
    limiter = throttle(time, max_concurrency=8, min_concurrency=2, shrink_cooldown_s=5)

    limiter.on_rate_limited()
    limiter.on_rate_limited()
    assert limiter.concurrency == 4

    for _ in range(3):
        time.now += 5
        limiter.on_rate_limited()
    assert limiter.concurrency == 2


def test_no_more_calls_are_in_flight_than_the_concurrency_allows():
    limiter = throttle(FakeTime(), max_concurrency=2)
    in_flight, peak = 0, 0

    async def call() -> None:
        nonlocal in_flight, peak
        async with limiter.slot(1):
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0)
            in_flight -= 1

    async def many() -> None:
        await asyncio.gather(*(call() for _ in range(7)))

    asyncio.run(many())

    assert peak == 2


def test_a_cancelled_waiter_does_not_lose_a_slot():
    limiter = throttle(FakeTime(), max_concurrency=1)

    async def scenario() -> None:
        release = asyncio.Event()

        async def holder() -> None:
            async with limiter.slot(1):
                await release.wait()

        first = asyncio.create_task(holder())
        await asyncio.sleep(0)
        waiting = asyncio.create_task(take_slots(limiter, 1))
        await asyncio.sleep(0)
        waiting.cancel()
        release.set()
        await first
        await asyncio.wait_for(take_slots(limiter, 1), timeout=1)

    asyncio.run(scenario())


def test_anthropic_headers_are_read_preferring_the_input_token_budget():
    reset = datetime(2026, 11, 25, 12, 0, 30, tzinfo=timezone.utc)

    parsed = parse_anthropic_headers(ratelimit_headers(requests=(50, 12), input_tokens=(50_000, 800), reset=reset))

    assert parsed == RateLimitHeaders(
        requests=ServerBudget(50, 12, reset.timestamp()), tokens=ServerBudget(50_000, 800, reset.timestamp())
    )


def test_openai_headers_give_resets_as_durations_from_now():
    headers = {
        "x-ratelimit-limit-requests": "500",
        "x-ratelimit-remaining-requests": "499",
        "x-ratelimit-reset-requests": "120ms",
        "x-ratelimit-limit-tokens": "30000",
        "x-ratelimit-remaining-tokens": "0",
        "x-ratelimit-reset-tokens": "1m6.5s",
    }

    parsed = parse_openai_headers(headers, now=1000.0)

    assert parsed.requests == ServerBudget(500, 499, pytest.approx(1000.12))
    assert parsed.tokens == ServerBudget(30000, 0, pytest.approx(1066.5))


def test_missing_or_garbled_headers_leave_the_throttle_alone():
    time = FakeTime()
    limiter = throttle(time, max_concurrency=4)

    limiter.observe(parse_anthropic_headers({"anthropic-ratelimit-requests-remaining": "lots"}))
    limiter.observe(parse_openai_headers({}, now=time.now))
    asyncio.run(take_slots(limiter, 3))

    assert limiter.concurrency == 4
    assert time.sleeps == []


def test_impossible_settings_are_refused_with_the_values_named():
    with pytest.raises(ValueError, match="requests_per_minute > 0"):
        Throttle(requests_per_minute=0)
    with pytest.raises(ValueError, match="min_concurrency <= max_concurrency"):
        Throttle(min_concurrency=3, max_concurrency=2)
