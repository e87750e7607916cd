"""The run lifecycle: ordered commits, checkpoints, resume, cancellation, early stops, final files."""
import asyncio
import json
from collections import Counter
from datetime import datetime, timezone

import pytest

from core.backends.base import BackendError, Usage
from core.backends.metrics import BackendMetrics
from core.backends.pricing import FREE
from core.checkpoint import read_state
from core.config import RunConfig
from core.data_loader import load_records
from core.generation import ExampleOutcome
from core.records import build_record
from core.run_status import read_status
from core.runner import (
    FailureWindow,
    RunConflict,
    RunControl,
    RunPaths,
    create_run_dir,
    failure_cause,
    main,
    merge_metrics,
    read_back,
    request_cancel,
    run,
)
from tests.support import loopback_messages_api as api

MOMENT = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def fixed_clock():
    return MOMENT


def small_config(**changes):
    return RunConfig(**{"count": 40, "seed": 3, "checkpoint_every": 10, "concurrency": 4, **changes})


def run_paths(tmp_path, name="run"):
    return RunPaths.for_run_dir(tmp_path / name)


class FakeBackend:
    """Stands in for a model backend when the test scripts each example's outcome."""

    name, model, sdk_version = "fake", "fake-model", None

    def __init__(self):
        self.metrics = BackendMetrics("fake-model", price=FREE)

    async def aclose(self):
        pass


def scripted(fail_at=frozenset(), raise_at=None, api_down=False, yields=lambda plan: plan.seed % 7):
    """A `generate` step: finishes after a plan-dependent number of event-loop turns (so
    completion order differs from plan order), rejects `fail_at`, raises `raise_at[index]`."""

    async def generate(plan, backend, *, config, clock):
        for _ in range(yields(plan)):
            await asyncio.sleep(0)
        if raise_at and plan.index in raise_at:
            raise raise_at[plan.index]
        if api_down:
            backend.metrics.record_failure("server", 0.01)
        messages = [] if api_down else [{"role": "user", "content": f"q{plan.index}"},
                                        {"role": "assistant", "content": f"a{plan.index}"}]
        record = build_record(plan=plan, run_seed=config.seed, messages=messages, backend=backend,
                              attempts=1, usage=Usage(), generated_at=clock())
        accepted = not api_down and plan.index not in fail_at
        reasons = [] if accepted else ["attempt 1: server: down" if api_down else "attempt 1: format: bad"]
        record["metadata"]["validation"] = {"passed": accepted, "groundedness": None, "checks": {},
                                            "reasons": reasons}
        return ExampleOutcome(record=record, accepted=accepted, attempts=1, reasons=reasons)

    return generate


def run_scripted(config, paths, generate, **options):
    return run(config, paths, backend=FakeBackend(), clock=fixed_clock, generate=generate, **options)


def indexes(path):
    return [record["metadata"]["index"] for record in load_records(path).records]


def test_examples_are_committed_in_plan_order_whatever_order_they_finish_in(tmp_path):
    paths = run_paths(tmp_path)
    result = run_scripted(small_config(concurrency=8), paths, scripted(fail_at={5, 17}))
    assert result.state == "completed"
    assert indexes(paths.examples) == [i for i in range(40) if i not in (5, 17)]
    assert indexes(paths.rejected) == [5, 17]


def test_a_completed_run_leaves_its_outputs_and_no_checkpoint(tmp_path):
    paths = run_paths(tmp_path)
    result = run_scripted(small_config(), paths, scripted(fail_at={2}))
    assert not paths.checkpoints.exists()
    assert read_status(paths.status)["state"] == "completed"
    assert read_status(paths.status)["done"] == 40
    metadata = json.loads(paths.metadata.read_text())
    assert metadata["counts"] == {"planned": 40, "accepted": 39, "rejected": 1, "api_failures": 0}
    assert metadata["distributions"]["scenario"]["target"] == result.metadata["distributions"]["scenario"]["target"]
    assert sum(metadata["distributions"]["scenario"]["achieved"].values()) == 39
    assert metadata["backend"] == {"name": "fake", "model": "fake-model", "sdk_version": None}
    report = json.loads(paths.report.read_text())
    assert report["total"] == 40


def test_a_stopped_run_resumes_to_exactly_the_bytes_of_an_unbroken_one(tmp_path):
    unbroken = run_paths(tmp_path, "unbroken")
    run_scripted(small_config(), unbroken, scripted(fail_at={3, 30}))

    broken = run_paths(tmp_path, "broken")

    def stop_at_23(progress):
        if progress.done == 23:
            request_cancel(broken.examples.parent)

    first = run_scripted(small_config(), broken, scripted(fail_at={3, 30}), on_progress=stop_at_23)
    assert first.state == "cancelled" and "run again with the same config to resume" in first.message
    assert read_state(broken.checkpoints).next_index >= 23
    assert not broken.cancel_flag.exists()
    second = run_scripted(small_config(concurrency=2), broken, scripted(fail_at={3, 30}), resume=True)
    assert second.state == "completed"
    for name in ("examples", "rejected", "report"):
        assert getattr(broken, name).read_bytes() == getattr(unbroken, name).read_bytes()
    assert json.loads(broken.metadata.read_text())["timings"]["segments"] == 2


def test_resuming_skips_what_was_committed(tmp_path):
    paths = run_paths(tmp_path)
    run_scripted(small_config(), paths, scripted(),
                 on_progress=lambda p: p.done == 20 and request_cancel(paths.examples.parent))
    committed = read_state(paths.checkpoints).next_index
    generated = []
    inner = scripted()

    async def counting(plan, backend, **kw):
        generated.append(plan.index)
        return await inner(plan, backend, **kw)

    run_scripted(small_config(), paths, counting)
    assert sorted(generated) == list(range(committed, 40))


def test_a_checkpoint_of_another_config_is_refused_and_left_alone(tmp_path):
    paths = run_paths(tmp_path)
    run_scripted(small_config(), paths, scripted(),
                 on_progress=lambda p: p.done == 10 and request_cancel(paths.examples.parent))
    before = {p.name: p.read_bytes() for p in paths.checkpoints.iterdir()}
    with pytest.raises(RunConflict, match="different config"):
        run_scripted(small_config(seed=4), paths, scripted())
    assert {p.name: p.read_bytes() for p in paths.checkpoints.iterdir()} == before


def test_starting_fresh_discards_a_partial_run(tmp_path):
    paths = run_paths(tmp_path)
    run_scripted(small_config(), paths, scripted(),
                 on_progress=lambda p: p.done == 10 and request_cancel(paths.examples.parent))
    result = run_scripted(small_config(seed=4), paths, scripted(), resume=False)
    assert result.state == "completed" and result.stats.done == 40


def test_a_refused_key_stops_at_once_and_the_failed_example_is_redone_on_resume(tmp_path):
    paths = run_paths(tmp_path)
    refused = BackendError("auth", "401 invalid x-api-key")
    result = run_scripted(small_config(concurrency=1), paths, scripted(raise_at={7: refused}))
    assert result.state == "stopped"
    assert "the API key was refused" in result.message
    assert read_state(paths.checkpoints).next_index == 7
    assert read_status(paths.status)["last_error"] == "auth: 401 invalid x-api-key"
    assert run_scripted(small_config(), paths, scripted()).stats.accepted == 40


def test_an_outage_stops_the_run_when_most_recent_examples_fail_and_names_the_cause(tmp_path):
    paths = run_paths(tmp_path)
    result = run_scripted(small_config(concurrency=1), paths, scripted(api_down=True))
    assert result.state == "stopped"
    assert "10 of the last 10 examples failed at the API" in result.message
    assert "outage" in result.message
    assert read_state(paths.checkpoints).next_index == 10


def test_a_one_off_unretryable_error_is_recorded_as_rejected_and_the_run_goes_on(tmp_path):
    paths = run_paths(tmp_path)
    result = run_scripted(small_config(), paths, scripted(raise_at={3: BackendError("bad_request", "too long")}))
    assert result.state == "completed"
    rejected = load_records(paths.rejected).records
    assert [r["metadata"]["index"] for r in rejected] == [3]
    assert rejected[0]["metadata"]["validation"]["reasons"] == ["attempt 1: bad_request: too long"]


def test_an_unexpected_error_marks_the_run_failed_and_keeps_the_committed_work(tmp_path):
    paths = run_paths(tmp_path)
    with pytest.raises(ZeroDivisionError):
        run_scripted(small_config(concurrency=1), paths, scripted(raise_at={14: ZeroDivisionError("bug")}))
    assert read_status(paths.status)["state"] == "failed"
    assert read_state(paths.checkpoints).next_index == 14


def test_the_failure_window_trips_only_past_half_of_the_recent_examples():
    window = FailureWindow(size=100, threshold=0.5, min_samples=10)
    for failed in [True] * 9:
        window.add(failed)
    assert not window.tripped  # too few to judge
    window = FailureWindow(size=100, threshold=0.5, min_samples=10)
    for failed in [True, False] * 5:
        window.add(failed)
    assert not window.tripped  # exactly half is not more than half
    window.add(True)
    assert window.tripped
    window = FailureWindow(size=4, threshold=0.5, min_samples=1)
    for failed in (True, True, False, False, True):
        window.add(failed)
    assert not window.tripped  # the oldest fell out: 2 of the last 4
    window.add(True)
    window.add(True)
    assert window.tripped  # 3 of the last 4


def test_the_commonest_failure_kind_names_the_cause():
    assert "key was refused" in failure_cause(Counter({"auth": 3, "server": 1}))
    assert "outage" in failure_cause(Counter({"overloaded": 5}))
    assert failure_cause(Counter()) == "the cause was not reported"


def test_metrics_of_run_segments_add_up_except_latency():
    earlier = {"calls": 3, "cost_usd": 0.5, "failures_by_kind": {"server": 1}, "latency_p50_ms": 900.0}
    current = {"calls": 2, "cost_usd": 0.25, "failures_by_kind": {"server": 2, "auth": 1}, "latency_p50_ms": 100.0}
    assert merge_metrics(earlier, current) == {"calls": 5, "cost_usd": 0.75, "latency_p50_ms": 100.0,
                                               "failures_by_kind": {"server": 3, "auth": 1}}


def test_reading_back_names_the_first_bad_line_and_a_short_count(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text('{"a": 1}\n{"b": \n')
    assert read_back(path, 2).startswith("line 2: not valid JSON")
    path.write_text('{"a": 1}\n')
    assert read_back(path, 2) == "it holds 1 records, 2 were written"


def test_the_offline_pipeline_gives_the_same_bytes_at_any_concurrency(tmp_path):
    one, many = run_paths(tmp_path, "one"), run_paths(tmp_path, "many")
    run(small_config(count=30, concurrency=1), one, clock=fixed_clock)
    run(small_config(count=30, concurrency=6), many, clock=fixed_clock)
    for name in ("examples", "rejected", "report"):
        assert getattr(one, name).read_bytes() == getattr(many, name).read_bytes()
    assert len(load_records(one.examples).records) + len(load_records(one.rejected).records) == 30


def test_a_stop_request_shows_as_cancelling_until_the_run_has_stopped(tmp_path):
    paths = run_paths(tmp_path)
    control = RunControl()
    seen = []

    def stop_at_5(progress):
        if progress.done == 5:
            control.request_stop("cancelled on request")
            seen.append(read_status(paths.status)["state"])

    result = run_scripted(small_config(), paths, scripted(), control=control, on_progress=stop_at_5)
    assert seen == ["cancelling"]
    assert result.state == "cancelled" and read_status(paths.status)["state"] == "cancelled"


def test_a_studio_run_directory_runs_as_its_own_command(tmp_path):
    run_dir = create_run_dir(tmp_path / "runs", small_config(count=12), clock=fixed_clock)
    assert run_dir.name.startswith("20261125-120000-")
    queued = read_status(run_dir / "status.json")
    assert queued["state"] == "queued" and queued["created_at"] == "2026-11-25T12:00:00Z"
    assert main([str(run_dir)]) == 0
    finished = read_status(run_dir / "status.json")
    assert finished["state"] == "completed" and finished["done"] == 12
    assert finished["created_at"] == "2026-11-25T12:00:00Z"
    assert create_run_dir(tmp_path / "runs", small_config(count=12), clock=fixed_clock).name.endswith("-2")


def test_a_refused_key_stops_the_run_and_the_key_is_written_nowhere(tmp_path, loopback):
    key = "sk-ant-runner-test-key-must-not-leak"
    loopback.script(*[api.error(401, "authentication_error", f"invalid x-api-key {key}")] * 8)
    paths = run_paths(tmp_path)
    config = small_config(backend="anthropic", base_url=loopback.base_url)
    result = run(config, paths, api_key=key, clock=fixed_clock)
    assert result.state == "stopped" and "the API key was refused" in result.message
    assert key not in result.message
    assert [path for path in tmp_path.rglob("*") if path.is_file() and key.encode() in path.read_bytes()] == []


def test_metadata_sets_achieved_distributions_beside_their_targets(tmp_path):
    paths = run_paths(tmp_path)
    run_scripted(small_config(), paths, scripted(fail_at={0, 1, 2}))
    distributions = json.loads(paths.metadata.read_text())["distributions"]
    for name in ("scenario", "persona", "intent", "climate_groups", "cities"):
        target, achieved = distributions[name]["target"], distributions[name]["achieved"]
        assert set(achieved) <= set(target) and all(achieved[key] <= target[key] for key in achieved)
    assert sum(distributions["scenario"]["target"].values()) == 40
    assert sum(distributions["scenario"]["achieved"].values()) == 37


def test_a_run_directory_with_a_broken_config_fails_in_one_line(tmp_path, capsys):
    run_dir = create_run_dir(tmp_path / "runs", small_config(count=12), clock=fixed_clock)
    (run_dir / "config.json").write_text('{"count": 0}')
    assert main([str(run_dir)]) == 1
    assert capsys.readouterr().err == f"error: {run_dir / 'config.json'}: count: must be between 1 and 1000000, got 0\n"


def test_a_run_command_that_cannot_even_start_says_failed_in_its_status(tmp_path, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    run_dir = create_run_dir(tmp_path / "runs", small_config(count=3, backend="anthropic"), clock=fixed_clock)
    assert main([str(run_dir)]) == 1
    status = read_status(run_dir / "status.json")
    assert status["state"] == "failed" and "ANTHROPIC_API_KEY" in status["message"]
    assert status["created_at"] == "2026-11-25T12:00:00Z"
