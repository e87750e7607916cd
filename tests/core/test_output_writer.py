"""Atomic outputs: a target is wholly old or wholly new, and temp files never linger."""
import json
import os

import pytest

from core.output_writer import AppendLog, atomic_file, dumps_record, write_json, write_jsonl


def records(n):
    return [{"id": f"r{i}", "text": "Zürich ☂", "n": i} for i in range(n)]


def test_write_jsonl_writes_one_parsable_line_per_record_and_counts_them(tmp_path):
    path = tmp_path / "out.jsonl"
    assert write_jsonl(path, iter(records(3))) == 3
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == records(3)
    assert "Zürich ☂" in lines[0]  # unicode kept readable, not \u-escaped


def test_dumps_record_is_the_line_write_jsonl_writes(tmp_path):
    path = tmp_path / "out.jsonl"
    write_jsonl(path, records(1))
    assert path.read_bytes() == (dumps_record(records(1)[0]) + "\n").encode("utf-8")


def test_finished_files_get_ordinary_permissions_not_the_private_temp_mode(tmp_path):
    path = tmp_path / "out.json"
    write_json(path, {})
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_write_json_replaces_the_old_content(tmp_path):
    path = tmp_path / "meta.json"
    write_json(path, {"a": 1})
    write_json(path, {"b": 2})
    assert json.loads(path.read_text()) == {"b": 2}


def test_a_failure_midway_leaves_the_old_file_and_no_temp_file(tmp_path):
    path = tmp_path / "out.jsonl"
    write_jsonl(path, records(2))
    before = path.read_bytes()

    def exploding():
        yield records(1)[0]
        raise RuntimeError("generator broke")

    with pytest.raises(RuntimeError):
        write_jsonl(path, exploding())
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_atomic_file_creates_nothing_when_the_block_fails(tmp_path):
    path = tmp_path / "new.json"
    with pytest.raises(ValueError):
        with atomic_file(path) as handle:
            handle.write(b"half")
            raise ValueError
    assert list(tmp_path.iterdir()) == []


def test_append_log_reports_durable_length_and_reopening_cuts_uncommitted_bytes(tmp_path):
    path = tmp_path / "log.jsonl"
    log = AppendLog.open(path)
    log.append(b"one\n")
    committed = log.sync()
    log.append(b"two-not-committed\n")
    log.sync()
    log.close()
    assert committed == 4
    reopened = AppendLog.open(path, length=committed)
    reopened.append(b"three\n")
    assert reopened.sync() == 10
    reopened.close()
    assert path.read_bytes() == b"one\nthree\n"


def test_dumps_record_writes_a_record_holding_the_tool_schemas_as_one_encoding_would():
    from core.json_codec import encode_json
    from core.tools import TOOL_SCHEMAS

    record = {"id": "r", "messages": [{"role": "user", "content": "Zürich \"tools\": []"}], "tools": TOOL_SCHEMAS,
              "parallel_tool_calls": False, "metadata": {"groundedness": 0.5, 1: None}}
    keys = list(record)
    for at in range(len(keys)):  # the schemas first, last and in between
        order = [*keys[:at], "tools", *[key for key in keys[at:] if key != "tools"]]
        reordered = {key: record[key] for key in dict.fromkeys(order)}
        assert dumps_record(reordered) == encode_json(reordered) == json.dumps(reordered, ensure_ascii=False)
    assert dumps_record({"tools": TOOL_SCHEMAS}) == json.dumps({"tools": TOOL_SCHEMAS}, ensure_ascii=False)
