"""status.json: always whole, throttled for speed, never late on a change of state."""
from datetime import datetime, timedelta, timezone

import pytest

from core.run_status import StatusWriter, read_status


class FakeClock:
    def __init__(self):
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


def writer(tmp_path, clock):
    return StatusWriter(tmp_path / "status.json", clock=clock, min_interval_s=1.0, total=100)


def test_nothing_is_read_before_the_first_write(tmp_path):
    assert read_status(tmp_path / "status.json") is None


def test_updates_within_the_interval_are_held_back_then_written_together(tmp_path):
    clock = FakeClock()
    status = writer(tmp_path, clock)
    assert status.update(state="running", done=0)
    assert not status.update(done=5)
    assert read_status(status.path)["done"] == 0
    clock.advance(1.0)
    assert status.update(done=9)
    written = read_status(status.path)
    assert (written["done"], written["total"], written["state"]) == (9, 100, "running")
    assert written["updated_at"] == "2026-03-01T12:00:01Z"


def test_a_change_of_state_is_written_at_once(tmp_path):
    clock = FakeClock()
    status = writer(tmp_path, clock)
    status.update(state="running")
    assert status.update(state="cancelling")
    assert read_status(status.path)["state"] == "cancelling"


def test_the_writer_records_its_process_id(tmp_path):
    import os

    status = writer(tmp_path, FakeClock())
    status.update(state="running")
    assert read_status(status.path)["pid"] == os.getpid()


def test_an_unknown_state_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown run state 'paused'"):
        writer(tmp_path, FakeClock()).update(state="paused")
