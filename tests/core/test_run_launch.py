"""Starting a run as its own process: the API key travels only in that process's environment."""
import json

from core.config import RunConfig
from core.run_launch import launched_pid, log_tail, start_run
from core.runner import create_run_dir
from tests.support.loopback_chat_completions import error

KEY = "sk-test-0123456789-never-on-disk"


def test_the_key_reaches_the_api_from_the_process_environment_and_is_never_written(tmp_path, loopback):
    loopback.script(*[error(401, "invalid api key") for _ in range(20)])
    config = RunConfig(count=3, backend="openai", model="local-model", base_url=loopback.base_url + "/v1",
                       concurrency=1)
    run_dir = create_run_dir(tmp_path / "runs", config)
    process = start_run(run_dir, api_key=KEY)
    assert process.wait(timeout=60) == 1
    assert KEY not in " ".join(process.args)
    assert loopback.received[0].headers["authorization"] == f"Bearer {KEY}"
    status = json.loads((run_dir / "status.json").read_text())
    assert status["state"] == "stopped" and "auth" in status["last_error"]
    assert launched_pid(run_dir) == process.pid
    assert log_tail(run_dir)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
