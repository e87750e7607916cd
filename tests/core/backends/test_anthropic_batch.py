"""Batch mode against the loopback Message Batches API: the real SDK, shuffled results, restarts.

Polling sleeps are injected (no test waits); a restart is a second backend on
the same journal folder, as a resumed run would build it.
"""
import asyncio
import json
import random
from collections import Counter
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from core.backends import BackendConfigError
from core.backends.anthropic_batch import (
    AnthropicBatchBackend,
    create_batch_backend,
    custom_id,
    describe_progress,
)
from core.backends.base import BackendError, Usage, UserTurnRequest
from core.backends.pricing import cost_usd, price_for
from core.batch_journal import BatchJournal
from core.config import RunConfig
from core.plan import build_plans
from core.runner import RunControl, RunPaths, create_backend_for, run_async
from tests.support import loopback_messages_api as api
from tests.support.backend_requests import drive, turn_request
from tests.support.fake_time import FakeTime
from tests.support.loopback_batches_api import BatchWeatherAgent

KEY = "sk-ant-api03-LOOPBACK-secret-0123456789abcdef"
USAGE = {"input_tokens": 1000, "output_tokens": 200}


def batch_backend(server, journal_dir, time=None, **options) -> AnthropicBatchBackend:
    time = time or FakeTime()
    return AnthropicBatchBackend(journal_dir=journal_dir, api_key=KEY, base_url=server.base_url, clock=time.clock,
                                 sleep=time.sleep, rng=random.Random(0), poll_interval_s=60, **options)


def plans(count=3, seed=7):
    return build_plans(RunConfig(count=count, seed=seed))


def opening(plan) -> UserTurnRequest:
    return UserTurnRequest(plan=plan, turn=0, messages=[], brief=f"Ask about the weather, as plan {plan.index}.")


def said(words: str):
    return api.message(api.text(words), usage=USAGE)


def batch_creations(server) -> int:
    return len(server.batch_ids)


def together(backend, *turns):
    return drive(backend, lambda: asyncio.gather(*(backend.user_turn(turn) for turn in turns)))


# --- one round ---------------------------------------------------------------------------------


def test_waiting_turns_go_out_as_one_batch_and_results_in_any_order_find_their_requests(loopback, tmp_path):
    loopback.script(said("first"), said("second"), said("third"))
    backend = batch_backend(loopback, tmp_path)

    answers = together(backend, *map(opening, plans()))

    assert answers == ["first", "second", "third"]
    assert batch_creations(loopback) == 1 and loopback.submitted == [custom_id(p, "u", 0) for p in plans()]


def test_custom_ids_name_the_plan_the_attempt_and_the_step():
    plan = plans()[1]
    retry = replace(plan, seed=12345)
    assert custom_id(plan, "a", 3) == f"i1-s{plan.seed:016x}-a3"
    assert len({custom_id(plan, "a", 3), custom_id(plan, "u", 3), custom_id(retry, "a", 3)}) == 3


def test_a_batch_is_polled_at_the_configured_interval_until_it_ends(loopback, tmp_path):
    loopback.polls_before_end = 3
    loopback.script(said("hello"))
    time = FakeTime()
    seen = []
    backend = batch_backend(loopback, tmp_path, time)
    backend.on_progress = seen.append

    assert together(backend, opening(plans()[0])) == ["hello"]
    assert time.sleeps == [60, 60, 60]
    statuses = [status["processing_status"] for report in seen for status in report["batches"].values()]
    assert statuses.count("in_progress") == 4 and statuses[-1] == "ended"
    assert seen[0]["in_flight"] == 1 and seen[0]["request_counts"]["processing"] == 1
    assert describe_progress(seen[0]).startswith("round 1 · 1 in flight (1 processing) · $0.0000 so far")


def test_an_assistant_turn_sends_the_tools_and_reads_the_tool_call(loopback, tmp_path):
    loopback.script(api.message(api.tool_use("toolu_1", "get_current_weather", {"latitude": 59.9, "longitude": 10.7}),
                                usage=USAGE))
    backend = batch_backend(loopback, tmp_path, temperature=0.3)

    turn = drive(backend, lambda: backend.assistant_turn(turn_request()))

    assert [(call.id, call.name) for call in turn.tool_calls] == [("toolu_1", "get_current_weather")]
    params = loopback.received[-1].body
    assert params["temperature"] == 0.3 and [tool["name"] for tool in params["tools"]] == [
        "get_current_weather", "get_forecast", "geocode_location"]


def test_requests_beyond_the_batch_size_limit_split_into_several_batches_of_one_round(loopback, tmp_path):
    loopback.script(said("a"), said("b"), said("c"))
    backend = batch_backend(loopback, tmp_path, max_batch_requests=2)

    assert together(backend, *map(opening, plans())) == ["a", "b", "c"]
    assert batch_creations(loopback) == 2 and backend.progress()["rounds"] == 1


def test_cost_is_counted_at_the_batch_price(loopback, tmp_path):
    loopback.script(said("one"), said("two"))
    backend = batch_backend(loopback, tmp_path)

    together(backend, *map(opening, plans(2)))

    full_price = cost_usd(price_for("claude-haiku-4-5"), Usage(input_tokens=2000, output_tokens=400))
    snapshot = backend.metrics.snapshot()
    assert snapshot["calls"] == 2 and snapshot["cost_usd"] == pytest.approx(full_price / 2)
    assert backend.progress()["cost_usd"] == pytest.approx(full_price / 2)


def test_batch_mode_is_refused_for_a_backend_without_a_batches_api(tmp_path):
    with pytest.raises(BackendConfigError, match="use --backend anthropic"):
        create_batch_backend("openai", journal_dir=tmp_path, model="llama3.1", base_url="http://localhost:1/v1")


# --- failed entries ----------------------------------------------------------------------------


def test_errored_and_expired_entries_go_into_the_next_round(loopback, tmp_path):
    loopback.end_next_with("errored", "expired")
    loopback.script(said("third"), said("first"), said("second"))
    backend = batch_backend(loopback, tmp_path)
    first, second, third = plans()

    answers = together(backend, opening(first), opening(second), opening(third))

    assert answers == ["first", "second", "third"]
    assert batch_creations(loopback) == 2 and backend.progress()["rounds"] == 2
    assert Counter(loopback.submitted) == {custom_id(first, "u", 0): 2, custom_id(second, "u", 0): 2,
                                           custom_id(third, "u", 0): 1}
    snapshot = backend.metrics.snapshot()
    assert snapshot["retries"] == 2 and snapshot["failures_by_kind"] == {"server": 1, "timeout": 1}


def test_an_entry_that_keeps_expiring_fails_its_turn_after_the_retry_limit(loopback, tmp_path):
    loopback.end_next_with("expired", "expired")
    backend = batch_backend(loopback, tmp_path, entry_retries=1)

    with pytest.raises(BackendError, match="expired") as failure:
        together(backend, opening(plans()[0]))
    assert failure.value.kind == "timeout" and failure.value.retryable
    assert batch_creations(loopback) == 2


def test_an_entry_the_api_refuses_is_not_retried(loopback, tmp_path):
    loopback.script(api.error(400, "invalid_request_error", "messages: text content blocks must be non-empty"))
    backend = batch_backend(loopback, tmp_path)

    with pytest.raises(BackendError, match="must be non-empty") as failure:
        together(backend, opening(plans()[0]))
    assert failure.value.kind == "bad_request" and not failure.value.retryable
    assert batch_creations(loopback) == 1


def test_a_refused_submission_fails_the_turns_with_the_reason_and_no_key(loopback, tmp_path):
    backend = batch_backend(loopback, tmp_path, entry_retries=0)
    original = loopback._create
    loopback._create = lambda body: (401, {"type": "error", "error": {"type": "authentication_error",
                                                                      "message": "invalid x-api-key"}})
    try:
        with pytest.raises(BackendError) as failure:
            together(backend, opening(plans()[0]))
    finally:
        loopback._create = original
    assert failure.value.kind == "auth" and KEY not in str(failure.value)


# --- restarts ----------------------------------------------------------------------------------


def interrupted_after_submission(server, journal_dir, *turns) -> None:
    """Start the turns, stop the process once their batch is submitted and recorded."""
    backend = batch_backend(server, journal_dir)

    async def scenario():
        submitted = asyncio.Event()
        backend.on_progress = lambda report: report["batches"] and submitted.set()
        running = asyncio.gather(*(backend.user_turn(turn) for turn in turns))
        await submitted.wait()
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)

    drive(backend, scenario)


def test_a_batch_in_progress_at_a_restart_is_polled_not_submitted_again(loopback, tmp_path):
    loopback.polls_before_end = 2
    loopback.script(said("first"), said("second"))
    first, second = plans(2)
    interrupted_after_submission(loopback, tmp_path, opening(first), opening(second))

    restarted = batch_backend(loopback, tmp_path)
    answers = together(restarted, opening(first), opening(second))

    assert answers == ["first", "second"]
    assert batch_creations(loopback) == 1 and len(loopback.submitted) == 2


def test_a_batch_created_just_before_a_crash_is_found_in_the_list_and_polled_not_submitted_again(
        loopback, tmp_path, monkeypatch):
    loopback.script(said("first"), said("second"))
    first, second = plans(2)
    with monkeypatch.context() as crash:  # the process dies between the batch's creation and its record
        crash.setattr(BatchJournal, "batch_submitted", lambda *_: (_ for _ in ()).throw(RuntimeError("killed")))
        with pytest.raises(RuntimeError, match="killed"):
            together(batch_backend(loopback, tmp_path), opening(first), opening(second))
    status, _ = loopback._create({"requests": [{"custom_id": "someone-else", "params": {}}]})  # not ours: 1 request
    assert status == 200 and batch_creations(loopback) == 2

    answers = together(batch_backend(loopback, tmp_path), opening(first), opening(second))

    assert answers == ["first", "second"]
    assert batch_creations(loopback) == 2 and loopback.submitted.count(custom_id(first, "u", 0)) == 1
    assert not (tmp_path / "batch" / "submitting.json").exists()


def test_a_noted_batch_the_api_never_created_is_submitted_once(loopback, tmp_path):
    loopback.script(said("hello"))
    journal = BatchJournal(tmp_path)
    journal.batch_submitting({custom_id(plans()[0], "u", 0): "0" * 20}, datetime.now(timezone.utc))
    journal.close()

    assert together(batch_backend(loopback, tmp_path), opening(plans()[0])) == ["hello"]
    assert batch_creations(loopback) == 1 and not (tmp_path / "batch" / "submitting.json").exists()


def test_a_journaled_answer_is_replayed_without_any_request(loopback, tmp_path):
    loopback.script(said("hello"))
    together(batch_backend(loopback, tmp_path), opening(plans()[0]))
    loopback.reset()

    restarted = batch_backend(loopback, tmp_path)
    assert together(restarted, opening(plans()[0])) == ["hello"]
    assert loopback.received == [] and restarted.metrics.snapshot()["calls"] == 0
    assert restarted.progress()["replayed_from_journal"] == 1


def test_a_changed_request_is_not_answered_from_the_journal(loopback, tmp_path):
    loopback.script(said("hello"), said("again"))
    together(batch_backend(loopback, tmp_path), opening(plans()[0]))

    changed = replace(opening(plans()[0]), brief="A different brief.")
    assert together(batch_backend(loopback, tmp_path), changed) == ["again"]


def test_a_request_that_used_up_its_retries_fails_again_on_replay_without_a_request(loopback, tmp_path):
    loopback.end_next_with("expired")
    with pytest.raises(BackendError):
        together(batch_backend(loopback, tmp_path, entry_retries=0), opening(plans()[0]))
    loopback.reset()

    with pytest.raises(BackendError, match="expired"):
        together(batch_backend(loopback, tmp_path, entry_retries=0), opening(plans()[0]))
    assert loopback.received == []


# --- whole runs -------------------------------------------------------------------------------


def batch_run(server, config, paths, *, resume=True, stop_at_round=None):
    """One run process in batch mode against `server`; `stop_at_round` interrupts it once that round's
    batch is submitted (and recorded), as Ctrl+C would."""
    control = RunControl()
    config = config.with_changes(base_url=server.base_url)

    async def process():
        backend = create_backend_for(config, KEY, batch_journal=paths.checkpoints, sleep=FakeTime().sleep,
                                     poll_interval_s=60)
        if stop_at_round is not None:
            backend.on_progress = lambda report: report["rounds"] >= stop_at_round and report["batches"] and \
                control.request_stop("interrupted")
        try:
            return await run_async(config, paths, resume=resume, backend=backend, control=control, batch=True)
        finally:
            await backend.aclose()

    return asyncio.run(process())


def test_a_batch_run_of_a_hundred_examples_completes_with_exact_distributions(tmp_path):
    config = RunConfig(count=100, seed=21, backend="anthropic")
    server = BatchWeatherAgent(config)
    try:
        result = batch_run(server, config, RunPaths.for_run_dir(tmp_path / "run"))
    finally:
        server.close()

    assert result.state == "completed" and result.stats.accepted == 100
    for name in ("scenario", "persona", "intent", "error_kind"):
        assert result.metadata["distributions"][name]["achieved"] == result.metadata["distributions"][name]["target"]
    assert len(set(server.submitted)) == len(server.submitted)
    assert result.metadata["usage"]["estimate_vs_actual"]["estimated"]["mode"] == "batch"
    status = json.loads((tmp_path / "run" / "status.json").read_text())
    assert status["batch"]["rounds"] == len(server.batch_ids) and status["batch"]["cost_usd"] > 0
    assert not (tmp_path / "run" / "checkpoints").exists()


def test_a_run_interrupted_mid_batch_resumes_by_polling_and_submits_no_request_twice(tmp_path):
    config = RunConfig(count=24, seed=4, backend="anthropic")
    paths = RunPaths.for_run_dir(tmp_path / "run")
    server = BatchWeatherAgent(config)
    server.polls_before_end = 2
    try:
        first = batch_run(server, config, paths, stop_at_round=2)
        submitted_before = len(server.submitted)
        second = batch_run(server, config, paths)
    finally:
        server.close()

    assert first.state == "cancelled" and second.state == "completed"
    assert second.stats.accepted == 24 and len(server.submitted) > submitted_before
    assert [cid for cid, n in Counter(server.submitted).items() if n > 1] == []
