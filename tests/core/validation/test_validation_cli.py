"""`python -m core.validation FILE`: check any JSONL on its own; the exit status says whether it is clean."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.validation.__main__ import main
from tests.core.validation.factories import current_record

ROOT = Path(__file__).resolve().parents[3]


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def good() -> str:
    return json.dumps(current_record())


def ungrounded() -> str:
    return json.dumps(current_record("It is 4 °C, 87% humidity, drizzle, but 30 km/h wind."))


def test_a_clean_file_exits_0_and_prints_the_summary(tmp_path, capsys):
    assert main([str(write_lines(tmp_path / "data.jsonl", good(), good()))]) == 0
    assert "Validated 2 record(s): 2 passed, 0 failed" in capsys.readouterr().out


def test_a_failing_record_exits_1(tmp_path, capsys):
    assert main([str(write_lines(tmp_path / "data.jsonl", good(), ungrounded()))]) == 1
    assert "1 passed, 1 failed" in capsys.readouterr().out


def test_the_threshold_option_sets_the_groundedness_bar(tmp_path):
    assert main([str(write_lines(tmp_path / "data.jsonl", ungrounded())), "--threshold", "0.7"]) == 0


def test_a_threshold_outside_0_to_1_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main([str(write_lines(tmp_path / "data.jsonl", good())), "--threshold", "80"])
    assert stop.value.code == 2 and "between 0 and 1" in capsys.readouterr().err


def test_bad_lines_are_reported_by_number(tmp_path, capsys):
    path = write_lines(tmp_path / "data.jsonl", good(), "{not json", "", "[1, 2]")
    assert main([str(path)]) == 1
    err = capsys.readouterr().err
    assert "bad line 2: not valid JSON" in err and "bad line 4: expected a JSON object" in err


def test_an_unreadable_file_exits_2(tmp_path, capsys):
    assert main([str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read dataset" in capsys.readouterr().err


def test_details_and_report_files(tmp_path):
    path = write_lines(tmp_path / "data.jsonl", good(), "oops", ungrounded())
    details, report = tmp_path / "details.jsonl", tmp_path / "validation_report.json"
    assert main([str(path), "--details", str(details), "--report", str(report)]) == 1
    rows = [json.loads(line) for line in details.read_text().splitlines()]
    assert [(row["line"], row["passed"]) for row in rows] == [(1, True), (2, False), (3, False)]
    assert rows[2]["groundedness_detail"]["claims"][-1]["text"] == "30"
    assert json.loads(report.read_text())["total"] == 2


def test_it_runs_as_a_module(tmp_path):
    path = write_lines(tmp_path / "data.jsonl", ungrounded())
    done = subprocess.run([sys.executable, "-m", "core.validation", str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1 and "0 passed, 1 failed" in done.stdout
