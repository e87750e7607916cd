"""Offline runs in worker processes: the same bytes as in one process, resumable, and errors surface in order."""
import json
from datetime import UTC, datetime

import pytest

from core import generation_workers
from core.checkpoint import read_state
from core.config import RunConfig
from core.data_loader import record_row
from core.generation_workers import MAX_WORKERS, default_workers
from core.run_status import read_status
from core.runner import RunPaths, request_cancel, run

MOMENT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
WALL_CLOCK_FIELDS = ("timings", "files", "generated_at")


def fixed_clock():
    return MOMENT


def offline_config(**changes):
    return RunConfig(**{"count": 48, "seed": 5, "checkpoint_every": 10, **changes})


def run_in(tmp_path, name, workers, config=None, **options):
    paths = RunPaths.for_run_dir(tmp_path / name)
    return paths, run(config or offline_config(), paths, clock=fixed_clock, workers=workers, **options)


def comparable_metadata(paths):
    """The metadata without what depends on the wall clock or the folder."""
    metadata = json.loads(paths.metadata.read_text())
    for field in WALL_CLOCK_FIELDS:
        metadata.pop(field)
    metadata["usage"]["api"] = {key: value for key, value in metadata["usage"]["api"].items()
                                if not key.startswith("latency_")}
    return metadata


def test_two_workers_write_the_bytes_and_metadata_of_one_process(tmp_path):
    one, _ = run_in(tmp_path, "one", workers=1)
    two, result = run_in(tmp_path, "two", workers=2)
    assert result.state == "completed"
    for name in ("examples", "rejected", "report"):
        assert getattr(two, name).read_bytes() == getattr(one, name).read_bytes()
    assert comparable_metadata(two) == comparable_metadata(one)
    assert comparable_metadata(two)["usage"]["api"]["calls"] > 48  # the workers' backend calls are counted


def test_progress_events_from_workers_hold_each_record_and_its_row_as_one_process_sees_them(tmp_path):
    seen = {}
    for workers in (1, 2):
        events = seen[workers] = []
        run_in(tmp_path, f"w{workers}", workers=workers, on_progress=events.append)
    assert [event.done for event in seen[2]] == list(range(1, 49))
    for alone, pooled in zip(seen[1], seen[2]):
        assert isinstance(pooled.written, bytes) or not pooled.accepted  # accepted ones came as their line
        assert pooled.record == json.loads(json.dumps(alone.record))
        assert pooled.row == record_row(pooled.record) == alone.row
        assert (pooled.accepted, pooled.api_failure) == (alone.accepted, alone.api_failure)


def test_a_run_stopped_in_workers_resumes_to_the_bytes_of_an_unbroken_one(tmp_path, monkeypatch):
    monkeypatch.setattr(generation_workers, "CHUNK", 4)  # 12 chunks: a stop at 20 leaves some never started
    unbroken, _ = run_in(tmp_path, "unbroken", workers=1)
    broken = RunPaths.for_run_dir(tmp_path / "broken")

    def stop_at_20(progress):
        if progress.done == 20:
            request_cancel(broken.examples.parent)

    first = run(offline_config(), broken, clock=fixed_clock, workers=2, on_progress=stop_at_20)
    assert first.state == "cancelled"
    assert 20 <= read_state(broken.checkpoints).next_index < 48
    second = run(offline_config(), broken, clock=fixed_clock, workers=2, resume=True)
    assert second.state == "completed"
    for name in ("examples", "rejected", "report"):
        assert getattr(broken, name).read_bytes() == getattr(unbroken, name).read_bytes()


def test_an_error_in_a_worker_fails_the_run_after_committing_the_examples_before_it(tmp_path, monkeypatch):
    real = generation_workers.generate_example

    async def broken_at_13(plan, backend, **options):
        if plan.index == 13:
            raise RuntimeError("example 13 broke")
        return await real(plan, backend, **options)

    monkeypatch.setattr(generation_workers, "generate_example", broken_at_13)  # the forked workers inherit it
    paths = RunPaths.for_run_dir(tmp_path / "run")
    with pytest.raises(RuntimeError, match="example 13 broke"):
        run(offline_config(), paths, clock=fixed_clock, workers=2)
    assert read_state(paths.checkpoints).next_index == 13
    assert read_status(paths.status)["state"] == "failed"


def test_workers_are_refused_where_a_worker_could_not_rebuild_the_run(tmp_path):
    async def substitute(plan, backend, **options):
        raise AssertionError("never called")

    with pytest.raises(ValueError, match="workers=2"):
        run(offline_config(), RunPaths.for_run_dir(tmp_path / "run"), workers=2, generate=substitute)
    with pytest.raises(ValueError, match="workers=0"):
        run(offline_config(), RunPaths.for_run_dir(tmp_path / "other"), workers=0)


@pytest.mark.parametrize("cores, remaining, expected", [
    ({0, 1}, 1000, 2), ({0, 1}, 150, 1), ({0}, 10_000, 1), (set(range(16)), 10_000, MAX_WORKERS),
    (set(range(16)), 250, 2),
])
def test_by_default_a_worker_is_started_per_core_for_every_hundred_examples(monkeypatch, cores, remaining, expected):
    monkeypatch.setattr(generation_workers.os, "sched_getaffinity", lambda pid: cores)
    assert default_workers(remaining) == expected
