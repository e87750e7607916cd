"""Starting a run as its own process: it runs to the end on its own and leaves a trace of itself."""
import json

from core.config import RunConfig
from core.run_launch import launched_pid, log_tail, start_run
from core.runner import create_run_dir


def test_a_started_run_completes_in_its_own_process_and_records_its_pid_and_log(tmp_path):
    run_dir = create_run_dir(tmp_path / "runs", RunConfig(count=10, seed=3))
    process = start_run(run_dir, api_key="unused-by-offline")
    assert process.wait(timeout=60) == 0
    status = json.loads((run_dir / "status.json").read_text())
    assert (status["state"], status["done"], status["pid"]) == ("completed", 10, process.pid)
    assert launched_pid(run_dir) == process.pid
    assert log_tail(run_dir) == f"10 examples written to {run_dir / 'tool_use_examples.jsonl'}"
    assert "unused-by-offline" not in " ".join(process.args)


def test_a_run_that_was_never_started_has_no_pid_or_log(tmp_path):
    run_dir = create_run_dir(tmp_path / "runs", RunConfig(count=10))
    assert launched_pid(run_dir) is None and log_tail(run_dir) is None
