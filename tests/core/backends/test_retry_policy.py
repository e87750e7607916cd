"""The retry policy: which failures are tried again, and the wait before each try."""
import random

import pytest

from core.backends.retry_policy import RetryPolicy, classify_status, is_quota_exhausted


def anthropic_error(error_type: str, message: str, error_code: str | None = None) -> dict:
    error = {"type": error_type, "message": message}
    if error_code:
        error["details"] = {"error_code": error_code}
    return {"type": "error", "error": error}


def test_backoff_is_one_two_four_seconds_plus_at_most_a_quarter_of_jitter():
    policy = RetryPolicy()
    rng = random.Random(3)

    delays = [policy.delay(i, None, rng) for i in range(3)]

    for delay, base in zip(delays, (1.0, 2.0, 4.0)):
        assert base <= delay <= base * 1.25
    assert len(set(d / b for d, b in zip(delays, (1, 2, 4)))) == 3, "jitter differs per retry"


def test_the_same_seed_gives_the_same_jitter():
    policy = RetryPolicy()

    assert policy.delay(1, None, random.Random(9)) == policy.delay(1, None, random.Random(9))


def test_a_server_retry_after_wins_over_backoff_and_is_capped_at_a_minute():
    policy = RetryPolicy()

    assert policy.delay(0, 7.0, random.Random(0)) == 7.0
    assert policy.delay(2, 0.5, random.Random(0)) == 0.5
    assert policy.delay(0, 3600.0, random.Random(0)) == 60.0
    assert 1.0 <= policy.delay(0, 0.0, random.Random(0)) <= 1.25


@pytest.mark.parametrize(
    ("status", "kind", "retryable"),
    [
        (400, "bad_request", False),
        (401, "auth", False),
        (402, "quota", False),
        (403, "permission", False),
        (404, "not_found", False),
        (408, "timeout", True),
        (409, "server", True),
        (413, "bad_request", False),
        (429, "rate_limit", True),
        (500, "server", True),
        (502, "server", True),
        (503, "overloaded", True),
        (529, "overloaded", True),
    ],
)
def test_each_status_has_a_failure_kind(status, kind, retryable):
    assert classify_status(status, anthropic_error("api_error", "something")) == (kind, retryable)


@pytest.mark.parametrize(
    "body",
    [
        anthropic_error("rate_limit_error", "over the monthly threshold", "enforced_spend_limit_reached"),
        anthropic_error("rate_limit_error", "You have reached your specified API usage limits."),
        anthropic_error("rate_limit_error", "Your workspace spend limit is reached."),
        {"error": {"message": "You exceeded your current quota.", "type": "insufficient_quota", "code": "insufficient_quota"}},
    ],
)
def test_a_429_for_an_exhausted_spend_limit_or_quota_is_not_worth_waiting_for(body):
    assert is_quota_exhausted(429, body)
    assert classify_status(429, body) == ("quota", False)


def test_an_ordinary_429_is_a_rate_limit():
    body = anthropic_error("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")

    assert not is_quota_exhausted(429, body)
    assert not is_quota_exhausted(500, anthropic_error("api_error", "quota service down"))
