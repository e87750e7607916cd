"""Importing a JSONL file: only from inside the data folder, every record validated, bad lines named."""
import json
from datetime import datetime, timezone

import pytest

from core.run_import import RunImportError, import_jsonl, save_upload
from tests.core.validation.factories import current_record


def clock():
    return datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def write_lines(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def import_into(data_root, source):
    return import_jsonl(source, data_root=data_root, runs_root=data_root / "runs", clock=clock)


def test_valid_records_become_examples_invalid_ones_rejected_and_bad_lines_are_named(tmp_path):
    good = current_record()
    ungrounded = current_record("It is 30 °C and sunny in Oslo.")
    write_lines(tmp_path / "in.jsonl", [json.dumps(good), "{not json", json.dumps(ungrounded), "[1, 2]"])
    result = import_into(tmp_path, "in.jsonl")
    assert (result.accepted, result.rejected) == (1, 1)
    assert [(bad.number, bad.error.split(":")[0]) for bad in result.bad_lines] == [
        (2, "not valid JSON"), (4, "expected a JSON object, found list")]
    examples = read_jsonl(result.run_dir / "tool_use_examples.jsonl")
    rejected = read_jsonl(result.run_dir / "rejected.jsonl")
    assert examples[0]["metadata"]["validation"]["passed"] is True
    assert rejected[0]["metadata"]["validation"]["checks"]["groundedness"] == "fail"
    status = json.loads((result.run_dir / "status.json").read_text())
    assert (status["state"], status["done"], status["accepted"], status["pass_rate"]) == ("completed", 2, 1, 0.5)
    report = json.loads((result.run_dir / "import_report.json").read_text())
    assert report == {"source": "in.jsonl", "bad_lines": [
        {"line": bad.number, "error": bad.error} for bad in result.bad_lines]}
    assert result.run_dir.parent == tmp_path / "runs" and result.run_dir.name.startswith("import-20261125-120000-in-")


@pytest.mark.parametrize("source", ["../outside.jsonl", "/etc/hostname", "link.jsonl"])
def test_files_outside_the_data_folder_are_refused(tmp_path, source):
    data_root = tmp_path / "data"
    write_lines(tmp_path / "outside.jsonl", [json.dumps(current_record())])
    data_root.mkdir()
    (data_root / "link.jsonl").symlink_to(tmp_path / "outside.jsonl")
    with pytest.raises(RunImportError, match="only files inside"):
        import_into(data_root, source)
    assert not (data_root / "runs").exists()


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(RunImportError, match="missing.jsonl: no such file"):
        import_into(tmp_path, "missing.jsonl")


def test_a_file_without_one_readable_record_creates_no_run(tmp_path):
    write_lines(tmp_path / "junk.jsonl", ["hello", "world"])
    with pytest.raises(RunImportError, match="no readable record .2 bad line.s.: line 1: not valid JSON"):
        import_into(tmp_path, "junk.jsonl")
    assert not (tmp_path / "runs").exists()


def test_an_upload_is_kept_under_uploads_with_a_safe_name(tmp_path):
    saved = save_upload(tmp_path, "../../etc/my data?.jsonl", b"{}\n")
    assert saved == tmp_path / "uploads" / "my-data-.jsonl"
    assert saved.read_bytes() == b"{}\n"
