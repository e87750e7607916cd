"""The terminal script, run for real in a subprocess: kills, interrupts, corrupt checkpoints,
bad inputs and a flaky API all end in a correct dataset or a clear one-line error."""
import fcntl
import json
import os
import pty
import random
import re
import shlex
import signal
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from core.checkpoint import read_state
from core.config import RunConfig
from core.data_loader import load_records
from tests.support.loopback_weather_agent import WeatherAgentServer

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "generate_synthetic_tool_data.py"
COUNT = 120
RUN = ["--count", str(COUNT), "--seed", "11", "--checkpoint-every", "7", "--concurrency", "4"]
WALL_CLOCK_METADATA = ("timings", "generated_at", "usage", "cost_usd", "files")
PIPE_BYTES = 4096  # progress lines the child may write ahead of us before it blocks: ~75


def script_env(**extra):
    env = {key: value for key, value in os.environ.items() if not key.endswith("_API_KEY")}
    return {**env, "TQDM_MININTERVAL": "0", "TQDM_MINITERS": "1", **extra}


def run_script(*args, cwd, env=None):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], cwd=cwd, env=env or script_env(),
                          capture_output=True, text=True, timeout=120)


def start_script(*args, cwd):
    """A running script whose progress arrives through a one-page pipe, so it cannot run
    more than ~75 examples ahead of what the test has read."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(read_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    process = subprocess.Popen([sys.executable, str(SCRIPT), *map(str, args)], cwd=cwd, env=script_env(),
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=write_end)
    os.close(write_end)
    process.progress_fd = read_end
    return process


def read_until_done_reaches(process, target):
    """Block on the child's progress bar until it shows `target` or more examples done."""
    seen = b""
    while True:
        chunk = os.read(process.progress_fd, 1024)
        assert chunk, f"the script ended before reaching {target}: {seen.decode(errors='replace')[-500:]}"
        seen += chunk
        done = [int(n) for n in re.findall(rb"(\d+)/%d" % COUNT, seen)]
        if done and max(done) >= target:
            return seen


def finish(process):
    """The rest of the child's stderr and its exit code."""
    rest = b""
    while chunk := os.read(process.progress_fd, 65536):
        rest += chunk
    os.close(process.progress_fd)
    return process.wait(timeout=60), rest.decode(errors="replace")


def without_clock(records):
    for record in records:
        record["metadata"].pop("generated_at")
    return records


def dataset(folder):
    """Everything a run leaves, minus the wall-clock stamps that may differ."""
    metadata = json.loads((folder / "generation_metadata.json").read_text())
    return {
        "examples": without_clock(load_records(folder / "examples.jsonl").records),
        "rejected": without_clock(load_records(folder / "rejected.jsonl").records),
        "report": (folder / "validation_report.json").read_bytes(),
        "metadata": {key: value for key, value in metadata.items() if key not in WALL_CLOCK_METADATA},
    }


@pytest.fixture(scope="module")
def unbroken(tmp_path_factory):
    folder = tmp_path_factory.mktemp("unbroken")
    result = run_script(*RUN, "--output-path", folder / "examples.jsonl", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "offline backend" in result.stderr  # no key: the notice says which backend wrote the text
    return dataset(folder)


def test_a_run_killed_at_random_points_and_resumed_equals_an_unbroken_one(tmp_path, unbroken):
    output = tmp_path / "examples.jsonl"
    for kill_at in sorted(random.Random(20261125).sample(range(4, COUNT - 75), 2)):
        process = start_script(*RUN, "--output-path", output, "--resume", cwd=tmp_path)
        read_until_done_reaches(process, kill_at)
        process.send_signal(signal.SIGKILL)
        finish(process)
        assert read_state(tmp_path / "checkpoints") is not None
    result = run_script(*RUN, "--output-path", output, "--resume", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert dataset(tmp_path) == unbroken
    assert not (tmp_path / "checkpoints").exists()


def test_ctrl_c_stops_cleanly_and_the_printed_command_resumes_to_the_unbroken_dataset(tmp_path, unbroken):
    process = start_script(*RUN, "--output-path", tmp_path / "examples.jsonl", cwd=tmp_path)
    read_until_done_reaches(process, 30)
    process.send_signal(signal.SIGINT)
    code, stderr = finish(process)
    assert code == 130
    assert "Stopping after the examples in flight" in stderr
    assert read_state(tmp_path / "checkpoints").next_index >= 30
    command = shlex.split(re.search(r"To resume: (.+)", stderr).group(1))
    assert command[:2] == ["python", "scripts/generate_synthetic_tool_data.py"] and command[-1] == "--resume"
    resumed = subprocess.run([sys.executable, *command[1:]], cwd=REPO, env=script_env(),
                             capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert dataset(tmp_path) == unbroken


def test_a_second_ctrl_c_exits_at_once_and_the_last_checkpoint_still_holds(tmp_path):
    process = start_script(*RUN, "--output-path", tmp_path / "examples.jsonl", cwd=tmp_path)
    read_until_done_reaches(process, 10)
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGINT)
    code, _ = finish(process)
    assert code == 130
    assert read_state(tmp_path / "checkpoints").total == COUNT


def test_a_corrupt_checkpoint_is_reported_by_name_and_left_untouched(tmp_path):
    process = start_script(*RUN, "--output-path", tmp_path / "examples.jsonl", cwd=tmp_path)
    read_until_done_reaches(process, 15)
    process.send_signal(signal.SIGKILL)
    finish(process)
    state = tmp_path / "checkpoints" / "state.json"
    state.write_bytes(state.read_bytes()[:40])
    before = {path.name: path.read_bytes() for path in state.parent.iterdir()}
    result = run_script(*RUN, "--output-path", tmp_path / "examples.jsonl", "--resume", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(state) in result.stderr and "corrupt" in result.stderr
    assert {path.name: path.read_bytes() for path in state.parent.iterdir()} == before


BAD_INPUTS = {
    "zero count": (["--count", "0"], "count: must be between 1"),
    "negative count": (["--count", "-5"], "count: must be between 1"),
    "unknown backend": (["--backend", "gpt-banana"], "unknown backend 'gpt-banana'"),
    "unreadable config": (["--config", "absent.yaml"], "cannot read config file absent.yaml"),
    "invalid config": (["--config", "broken.yaml"], "broken.yaml line 2: invalid YAML"),
    "missing output folder": (["--output-path", "nowhere/examples.jsonl"], "nowhere does not exist"),
    "unwritable output folder": (["--output-path", "/sys/examples.jsonl"], "cannot write in /sys"),
    "existing output": (["--output-path", "taken.jsonl"], "taken.jsonl already exists; pass --overwrite"),
}


@pytest.mark.parametrize("args, message", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_each_bad_input_is_one_line_and_exit_code_2_with_nothing_written(tmp_path, args, message):
    (tmp_path / "broken.yaml").write_text("count: 10\nseed: 7: 8\n")
    (tmp_path / "taken.jsonl").write_text("{}\n")
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    result = run_script(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1 and message in result.stderr
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


def test_a_run_against_a_flaky_messages_api_completes_with_the_full_count_and_never_writes_the_key(tmp_path):
    key = "sk-ant-loopback-test-key-never-written"
    config = RunConfig(count=20, seed=5, backend="anthropic")
    server = WeatherAgentServer(config, fault_rate=0.2, seed=1)
    try:
        result = run_script("--backend", "anthropic", "--base-url", server.base_url, "--count", 20, "--seed", 5,
                            "--concurrency", 8, "--requests-per-minute", 100_000, "--tokens-per-minute", 10**9,
                            "--run-dir", tmp_path / "run", cwd=tmp_path, env=script_env(ANTHROPIC_API_KEY=key))
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert sum(server.faults.values()) >= 5  # 429s, 529s and 500s really happened
    metadata = json.loads((tmp_path / "run" / "generation_metadata.json").read_text())
    assert metadata["counts"]["accepted"] + metadata["counts"]["rejected"] == 20
    assert metadata["counts"]["api_failures"] == 0
    assert metadata["backend"]["name"] == "anthropic" and metadata["usage"]["api"]["retries"] > 0
    leaked = [path for path in tmp_path.rglob("*") if path.is_file() and key.encode() in path.read_bytes()]
    assert leaked == [] and key not in result.stderr + result.stdout


def start_in_terminal(*args, cwd):
    """The script with a pseudo-terminal for stdin, stdout and stderr, as a person would run it."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # rows, columns
    process = subprocess.Popen([sys.executable, str(SCRIPT), *map(str, args)], cwd=cwd, env=script_env(),
                               stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    process.progress_fd = master
    return process


def read_terminal_until(process, pattern):
    seen = b""
    while not re.search(pattern, seen):
        try:
            chunk = os.read(process.progress_fd, 1024)
        except OSError:  # the terminal closed: the script has ended
            chunk = b""
        assert chunk, f"no {pattern!r} in: {seen.decode(errors='replace')[-500:]}"
        seen += chunk
    return seen


def test_in_a_terminal_ctrl_c_offers_the_examples_so_far_and_a_rerun_offers_to_resume(tmp_path, unbroken):
    output = tmp_path / "examples.jsonl"
    process = start_in_terminal(*RUN, "--output-path", output, cwd=tmp_path)
    read_terminal_until(process, rb"(?:[2-9]\d|1\d\d)/%d" % COUNT)
    process.send_signal(signal.SIGINT)
    read_terminal_until(process, rb"so far to .*examples\.partial\.jsonl\? \[y/N\]")
    os.write(process.progress_fd, b"y\n")
    read_terminal_until(process, rb"To resume: ")
    assert process.wait(timeout=60) == 130
    partial = without_clock(load_records(tmp_path / "examples.partial.jsonl").records)
    assert 0 < len(partial) and partial == unbroken["examples"][:len(partial)]

    process = start_in_terminal(*RUN, "--output-path", output, cwd=tmp_path)
    read_terminal_until(process, rb"A partial run of this config exists .* Resume it\? \[Y/n\]")
    os.write(process.progress_fd, b"\n")
    read_terminal_until(process, rb"Done: ")
    assert process.wait(timeout=60) == 0
    assert dataset(tmp_path) == unbroken
