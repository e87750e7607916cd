"""The run catalog: key figures from each run's own files, honest states, and safe deletion."""
import json
import os
import subprocess
import sys

import pytest

from core.run_catalog import RunCatalogError, delete_run, list_runs, run_dir_for, summarize_run


def finished_pid() -> int:
    """The pid of a process that has exited and been reaped: certainly not alive."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def make_run_dir(runs_root, run_id, *, mtime=None, launched=None, log=None, **status):
    run_dir = runs_root / run_id
    run_dir.mkdir(parents=True)
    (run_dir / "config.json").write_text("{}")
    if status:
        (run_dir / "status.json").write_text(json.dumps(status))
    if launched is not None:
        (run_dir / "launch.json").write_text(json.dumps({"pid": launched}))
    if log is not None:
        (run_dir / "runner.log").write_text(log)
    if mtime is not None:
        os.utime(run_dir / "config.json", (mtime, mtime))
    return run_dir


def test_no_runs_folder_means_no_runs(tmp_path):
    assert list_runs(tmp_path / "runs") == []


def test_runs_are_listed_newest_first_with_their_figures(tmp_path):
    make_run_dir(tmp_path, "older", mtime=1_700_000_000, state="completed", done=50, total=50, accepted=49,
                 rejected=1, pass_rate=0.98, mean_groundedness=0.97, cost_usd=0.0, backend="offline")
    make_run_dir(tmp_path, "newer", mtime=1_800_000_000, state="queued", total=10, done=0, launched=os.getpid())
    runs = list_runs(tmp_path)
    assert [run.run_id for run in runs] == ["newer", "older"]
    older = runs[1]
    assert (older.state, older.accepted, older.rejected, older.pass_rate, older.backend) == (
        "completed", 49, 1, 0.98, "offline")
    assert older.created_at == "2023-11-14T22:13:20Z"
    assert older.size_bytes > 0 and not older.active and not older.resumable


def test_a_running_status_whose_process_is_gone_is_interrupted_and_resumable(tmp_path):
    run = summarize_run(make_run_dir(tmp_path, "r", state="running", pid=finished_pid()))
    assert run.state == "interrupted" and run.resumable and not run.active


def test_a_running_status_whose_process_lives_is_running(tmp_path):
    run = summarize_run(make_run_dir(tmp_path, "r", state="running", pid=os.getpid()))
    assert run.state == "running" and run.active


def test_a_run_no_process_was_started_for_is_created_and_can_be_started(tmp_path):
    run = summarize_run(make_run_dir(tmp_path, "r", state="queued", pid=None))
    assert run.state == "created" and run.resumable and not run.active


def test_a_launched_process_that_died_before_any_status_is_failed_with_its_log(tmp_path):
    run = summarize_run(make_run_dir(tmp_path, "r", state="queued", pid=None, launched=finished_pid(),
                                     log="starting\nerror: No module named 'x'\n"))
    assert run.state == "failed"
    assert run.last_error == "error: No module named 'x'"


@pytest.mark.parametrize("run_id", ["../escape", "a/b", "", ".hidden", "missing"])
def test_only_run_folders_directly_under_the_runs_root_are_addressable(tmp_path, run_id):
    (tmp_path / "runs").mkdir()
    with pytest.raises(RunCatalogError):
        run_dir_for(tmp_path / "runs", run_id)


def test_deleting_a_finished_run_removes_its_folder(tmp_path):
    make_run_dir(tmp_path, "done", state="completed")
    delete_run(tmp_path, "done")
    assert not (tmp_path / "done").exists()


def test_a_live_run_is_not_deleted(tmp_path):
    make_run_dir(tmp_path, "live", state="running", pid=os.getpid())
    with pytest.raises(RunCatalogError, match="cancel it"):
        delete_run(tmp_path, "live")
    assert (tmp_path / "live").is_dir()
