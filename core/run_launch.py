"""Start a run directory as its own process, so no page, browser or studio restart can stop it.

The process is `python -m core.runner RUN_DIR` in a new session (a closed
terminal or a stopped studio sends it no signal). The API key reaches it only
through its environment: never an argument (visible in `ps`), never a file.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core.config_loader import load_config
from core.output_writer import write_json
from core.runner import RunPaths

API_KEY_ENV = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}
LOG_FILE = "runner.log"
LAUNCH_FILE = "launch.json"
_REPO_ROOT = Path(__file__).resolve().parents[1]


def start_run(run_dir: str | os.PathLike[str], *, api_key: str | None = None) -> subprocess.Popen:
    """Start (or resume) the run in `run_dir`; its output goes to `runner.log` there.

    A key given here replaces the backend's key variable for this process only;
    without one, the process inherits the caller's environment as it is.
    """
    run_dir = Path(run_dir)
    config = load_config(RunPaths.for_run_dir(run_dir).config)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(_REPO_ROOT), env.get("PYTHONPATH"))))
    if api_key and config.backend in API_KEY_ENV:
        env[API_KEY_ENV[config.backend]] = api_key
    with open(run_dir / LOG_FILE, "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "core.runner", str(run_dir)], cwd=_REPO_ROOT, env=env,
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    write_json(run_dir / LAUNCH_FILE, {"pid": process.pid})
    return process


def launched_pid(run_dir: str | os.PathLike[str]) -> int | None:
    """The pid of the last process started for `run_dir`, if the studio started one."""
    try:
        return json.loads((Path(run_dir) / LAUNCH_FILE).read_text(encoding="utf-8"))["pid"]
    except (FileNotFoundError, ValueError, KeyError):
        return None


def log_tail(run_dir: str | os.PathLike[str], lines: int = 1) -> str | None:
    """The last lines of the run process's own output: why it failed, if it failed early."""
    try:
        text = (Path(run_dir) / LOG_FILE).read_text(encoding="utf-8", errors="replace").strip()
    except FileNotFoundError:
        return None
    return "\n".join(text.splitlines()[-lines:]) or None
