"""Checkpoints: commits are all-or-nothing, resumes cut uncommitted bytes, corruption is named and left alone."""
import io
import json

import pytest

from core.checkpoint import (
    STATE_FILE,
    CheckpointError,
    CheckpointState,
    CheckpointWriter,
    read_state,
    remove_checkpoint,
)


def new_state(total=10):
    return CheckpointState(config={"count": total}, fingerprint="abc123", seed=7, total=total)


def line(i):
    return (json.dumps({"id": i}) + "\n").encode()


def started(tmp_path, total=10):
    return CheckpointWriter.start(tmp_path / "ckpt", new_state(total))


def committed(writer, log):
    buffer = io.BytesIO()
    writer.copy_committed(log, buffer)
    return buffer.getvalue()


def test_a_new_checkpoint_is_a_resumable_empty_run(tmp_path):
    started(tmp_path).close()
    state = read_state(tmp_path / "ckpt")
    assert (state.next_index, state.total, state.fingerprint) == (0, 10, "abc123")


def test_no_checkpoint_reads_as_none(tmp_path):
    assert read_state(tmp_path / "nothing-here") is None


def test_committed_lines_and_state_survive_a_resume(tmp_path):
    writer = started(tmp_path)
    writer.add("accepted", line(0))
    writer.add("rejected", line(1))
    writer.commit(next_index=2, stats={"done": 2})
    writer.close()
    resumed = CheckpointWriter.resume(tmp_path / "ckpt")
    assert (resumed.state.next_index, resumed.state.stats) == (2, {"done": 2})
    assert committed(resumed, "accepted") == line(0)
    assert committed(resumed, "rejected") == line(1)


def test_lines_staged_after_the_last_commit_are_cut_off_on_resume(tmp_path):
    writer = started(tmp_path)
    writer.add("accepted", line(0))
    writer.commit(next_index=1)
    writer.close()
    with open(tmp_path / "ckpt" / "accepted.jsonl", "ab") as log:  # staged, on disk, never committed
        log.write(line(1))
    resumed = CheckpointWriter.resume(tmp_path / "ckpt")
    resumed.add("accepted", line(2))
    resumed.commit(next_index=2)
    assert (tmp_path / "ckpt" / "accepted.jsonl").read_bytes() == line(0) + line(2)


def test_a_resumed_writer_keeps_the_checksum_chain(tmp_path):
    writer = started(tmp_path)
    writer.add("accepted", line(0))
    writer.commit(next_index=1)
    writer.close()
    resumed = CheckpointWriter.resume(tmp_path / "ckpt")
    resumed.add("accepted", line(1))
    resumed.commit(next_index=2)
    resumed.close()
    assert CheckpointWriter.resume(tmp_path / "ckpt").state.next_index == 2


def snapshot(folder):
    return {path.name: path.read_bytes() for path in folder.iterdir()}


@pytest.mark.parametrize("damage, problem", [
    (lambda d: (d / STATE_FILE).write_text('{"version": 1, "config": '), "cannot be read as JSON"),
    (lambda d: (d / STATE_FILE).write_text('{"version": 99}'), "unsupported version"),
    (lambda d: (d / STATE_FILE).write_text('{"version": 1}'), "missing"),
    (lambda d: (d / STATE_FILE).write_text(
        (d / STATE_FILE).read_text().replace('"next_index": 1', '"next_index": 11')), "impossible values"),
    (lambda d: (d / "accepted.jsonl").write_bytes(b"{}"), "bytes but"),
    (lambda d: (d / "accepted.jsonl").write_bytes(line(9)), "do not match the checksum"),
])
def test_a_corrupt_checkpoint_raises_naming_the_file_and_is_left_untouched(tmp_path, damage, problem):
    writer = started(tmp_path)
    writer.add("accepted", line(0))
    writer.commit(next_index=1)
    writer.close()
    folder = tmp_path / "ckpt"
    damage(folder)
    before = snapshot(folder)
    with pytest.raises(CheckpointError, match=problem) as raised:
        CheckpointWriter.resume(folder)
    assert str(raised.value.path.parent) == str(folder) and str(raised.value.path) in str(raised.value)
    assert snapshot(folder) == before


def test_starting_afresh_discards_the_old_checkpoint(tmp_path):
    writer = started(tmp_path)
    writer.add("accepted", line(0))
    writer.commit(next_index=1)
    writer.close()
    fresh = started(tmp_path, total=5)
    assert fresh.state.next_index == 0 and committed(fresh, "accepted") == b""
    assert (tmp_path / "ckpt" / "accepted.jsonl").read_bytes() == b""


def test_removing_a_checkpoint_deletes_its_files_but_not_strangers(tmp_path):
    started(tmp_path).close()
    remove_checkpoint(tmp_path / "ckpt")
    assert not (tmp_path / "ckpt").exists()
    started(tmp_path).close()
    (tmp_path / "ckpt" / "notes.txt").write_text("mine")
    remove_checkpoint(tmp_path / "ckpt")
    assert [p.name for p in (tmp_path / "ckpt").iterdir()] == ["notes.txt"]
