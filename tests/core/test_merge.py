"""Merging shards: N offline shard runs joined equal one unsharded run, and bad parts are refused."""
import json
import shutil

import pytest

from core.config import RunConfig
from core.merge import MergeError, main, merge_parts
from core.runner import RunPaths, run
from core.shard import Shard

CONFIG = RunConfig(count=30, seed=5)


def run_into(directory, shard=None, config=CONFIG):
    result = run(config, RunPaths.for_run_dir(directory), resume=False, shard=shard)
    assert result.state == "completed"
    return directory


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def without_wall_clock(record):
    record = json.loads(json.dumps(record))
    del record["metadata"]["generated_at"]
    return record


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One unsharded run and the same config in three shards, made once for this file."""
    root = tmp_path_factory.mktemp("runs")
    return {"whole": run_into(root / "whole"),
            "parts": [run_into(root / f"part-{k}", Shard(k, 3)) for k in (1, 2, 3)]}


def copy_parts(runs, tmp_path):
    return [shutil.copytree(part, tmp_path / part.name) for part in runs["parts"]]


def test_merged_shards_equal_the_unsharded_run_record_for_record(runs, tmp_path):
    merge_parts(tmp_path / "merged", runs["parts"])

    for name in ("tool_use_examples.jsonl", "rejected.jsonl"):
        merged, whole = lines(tmp_path / "merged" / name), lines(runs["whole"] / name)
        assert list(map(without_wall_clock, merged)) == list(map(without_wall_clock, whole))
    assert len(lines(tmp_path / "merged" / "tool_use_examples.jsonl")) > 0


def test_the_merged_report_and_metadata_are_those_of_the_unsharded_run(runs, tmp_path):
    metadata = merge_parts(tmp_path / "merged", runs["parts"])

    whole = json.loads((runs["whole"] / "generation_metadata.json").read_text())
    for key in ("fingerprint", "counts", "distributions", "validation", "mean_answer_length", "backend"):
        assert metadata[key] == whole[key], key
    assert json.loads((tmp_path / "merged" / "validation_report.json").read_text()) == \
        json.loads((runs["whole"] / "validation_report.json").read_text())
    assert [part["shard"] for part in metadata["merged_from"]] == ["1/3", "2/3", "3/3"]
    assert json.loads((tmp_path / "merged" / "status.json").read_text())["state"] == "completed"


def test_each_shard_writes_only_its_own_plans(runs):
    for k, part in enumerate(runs["parts"], start=1):
        indices = [r["metadata"]["index"] for name in ("tool_use_examples.jsonl", "rejected.jsonl")
                   for r in lines(part / name)]
        assert sorted(indices) == list(range(k - 1, CONFIG.count, 3))
        assert json.loads((part / "generation_metadata.json").read_text())["shard"] == {"number": k, "count": 3}


def test_a_missing_shard_is_named(runs, tmp_path):
    with pytest.raises(MergeError, match="missing shard.*2/3"):
        merge_parts(tmp_path / "merged", [runs["parts"][0], runs["parts"][2]])


def test_a_shard_given_twice_is_refused(runs, tmp_path):
    with pytest.raises(MergeError, match="1/3 given twice"):
        merge_parts(tmp_path / "merged", [runs["parts"][0], runs["parts"][0], runs["parts"][2]])


def test_parts_of_another_config_are_refused(runs, tmp_path):
    other = run_into(tmp_path / "other", Shard(2, 3), RunConfig(count=30, seed=6))
    with pytest.raises(MergeError, match="another config"):
        merge_parts(tmp_path / "merged", [runs["parts"][0], other, runs["parts"][2]])


def test_a_part_with_a_lost_record_leaves_a_gap_that_is_named(runs, tmp_path):
    parts = copy_parts(runs, tmp_path)
    examples = parts[1] / "tool_use_examples.jsonl"
    kept = examples.read_text().splitlines(keepends=True)
    examples.write_text("".join(kept[:2] + kept[3:]))
    with pytest.raises(MergeError, match=r"plan index\(es\) \d+\.\.\d+ are in no part"):
        merge_parts(tmp_path / "merged", parts)
    assert not (tmp_path / "merged" / "tool_use_examples.jsonl").exists()


def test_a_part_whose_metadata_names_another_shard_is_refused(runs, tmp_path):
    parts = copy_parts(runs, tmp_path)
    for part, number in ((parts[0], 2), (parts[1], 1)):
        path = part / "generation_metadata.json"
        metadata = json.loads(path.read_text())
        metadata["shard"]["number"] = number
        path.write_text(json.dumps(metadata))
    with pytest.raises(MergeError, match="belongs to another shard"):
        merge_parts(tmp_path / "merged", parts)


def test_an_unfinished_part_is_refused_with_the_fix(tmp_path):
    (tmp_path / "unfinished").mkdir()
    with pytest.raises(MergeError, match="must be resumed to completion"):
        merge_parts(tmp_path / "merged", [tmp_path / "unfinished"])


def test_an_existing_dataset_is_never_overwritten(runs, tmp_path):
    merge_parts(tmp_path / "merged", runs["parts"])
    with pytest.raises(MergeError, match="already exists"):
        merge_parts(tmp_path / "merged", runs["parts"])


def test_the_command_merges_and_reports_in_one_line(runs, tmp_path, capsys):
    assert main([str(tmp_path / "merged"), *map(str, runs["parts"])]) == 0
    assert f"of {CONFIG.count} planned" in capsys.readouterr().out
    assert main([str(tmp_path / "merged")]) == 2
    assert "usage: python -m core.merge OUT_DIR PART_DIR..." in capsys.readouterr().err
