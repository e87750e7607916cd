"""Small factories for the studio tests: records with real tool outputs, and run folders."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.locations import BY_ID
from core.tools import TOOL_SCHEMAS, ToolContext, execute

APP = str(Path(__file__).resolve().parents[2] / "studio" / "app.py")
WHEN = datetime(2026, 3, 14, 12, tzinfo=timezone.utc)


def finished_pid() -> int:
    """The pid of a process that has exited and been reaped: certainly not alive."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def make_record(index: int = 0, *, persona: str = "neutral", scenario: str = "success", intent: str = "current",
                city: str = "oslo-no", answer: str | None = None, user: str | None = None,
                passed: bool = True, groundedness: float | None = 1.0, output: dict | None = None) -> dict:
    """A record whose tool output is the mock service's real answer (or `output`); by default
    the assistant states that output's temperature and condition, so it is grounded."""
    place = BY_ID[city]
    arguments = {"latitude": place.latitude, "longitude": place.longitude}
    output = output or execute("get_current_weather", arguments, context=ToolContext(when=WHEN, seed=index))
    current = output["current"]
    call_id = f"call_{index:04d}"
    return {
        "id": f"00000000-0000-4000-8000-{index:012d}",
        "messages": [
            {"role": "system", "content": "You are Weathervane, a weather assistant."},
            {"role": "user", "content": user or f"What is the weather in {place.name} right now?"},
            {"role": "assistant", "content": None, "tool_calls": [
                {"id": call_id, "type": "function",
                 "function": {"name": "get_current_weather", "arguments": json.dumps(arguments)}}]},
            {"role": "tool", "tool_call_id": call_id,
             "content": json.dumps(output)},
            {"role": "assistant",
             "content": answer or f"It is {current['temperature_2m']} °C in {place.name}, {current['condition']}."},
        ],
        "tools": TOOL_SCHEMAS,
        "parallel_tool_calls": False,
        "tags": {"persona": persona, "tone": "neutral", "domain": ["weather", "tool_use"], "source": "synthetic"},
        "metadata": {"scenario": scenario, "intent": intent, "error_kind": None, "locations": [place.label],
                     "simulated_date": "2026-03-14", "seed": 7, "index": index, "attempts": 1,
                     "generator": {"backend": "offline", "model": "offline", "sdk_version": None},
                     "generated_at": "2026-11-25T12:00:00Z",
                     "validation": {"passed": passed, "groundedness": groundedness,
                                    "checks": {"format": "pass", "schema": "pass", "semantic": "pass",
                                               "groundedness": "pass" if passed else "fail"}}},
    }


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")


def make_run(data_root: Path, run_id: str, records: list[dict], rejected: list[dict] = (), *,
             state: str = "completed", **status: object) -> Path:
    """A run folder as the runner leaves it: outputs and a status file."""
    run_dir = data_root / "runs" / run_id
    run_dir.mkdir(parents=True)
    write_jsonl(run_dir / "tool_use_examples.jsonl", records)
    write_jsonl(run_dir / "rejected.jsonl", list(rejected))
    done = len(records) + len(rejected)
    fields = {"state": state, "pid": None, "total": done, "done": done, "accepted": len(records),
              "rejected": len(rejected), "backend": "offline", "model": "offline",
              "pass_rate": len(records) / done if done else None, "mean_groundedness": 0.97,
              "cost_usd": 0.0, "rate_per_s": 500.0, "eta_s": 0.0, "last_error": None, **status}
    (run_dir / "status.json").write_text(json.dumps(fields), encoding="utf-8")
    return run_dir


def studio(data_root: Path, monkeypatch, page: str | None = None, *, timeout: float = 20) -> AppTest:
    """The studio pointed at `data_root`, run once on `page` (e.g. "views/browse.py"; default Generate)."""
    monkeypatch.setenv("WEATHERVANE_DATA_DIR", str(data_root))
    app = AppTest.from_file(APP, default_timeout=timeout)
    if page:
        app.switch_page(page)
    app.run()
    assert not app.exception, [exception.message for exception in app.exception]
    return app


def markdown_bodies(app: AppTest) -> list[str]:
    return [element.value for element in app.markdown] + [element.value for element in app.caption]


_OUR_DIRECTIVES = re.compile(r":(?:green|red)-background\[")


def live_markup(markdown: str, chars: str = "<!([") -> list[str]:
    """Characters that could start HTML, an image or a link because no backslash escapes
    them; the studio's own colour directives (and their closing bracket) are allowed."""
    found, escaped = [], False
    for char in _OUR_DIRECTIVES.sub("", markdown):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in chars:
            found.append(char)
    return found


def files_under(root: Path) -> list[Path]:
    return [Path(folder) / name for folder, _, names in os.walk(root) for name in names]
