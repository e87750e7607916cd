"""The terminal script's --estimate, --batch and --shard, run in-process (the subprocess
behaviour of a run is covered by test_generate_script.py)."""
import json
import re

import pytest

from core.config import RunConfig
from scripts.generate_synthetic_tool_data import main
from tests.support.loopback_batches_api import BatchWeatherAgent


def dollars(text):
    return float(re.search(r"\$([\d,.]+)", text).group(1).replace(",", ""))


@pytest.fixture
def no_key(monkeypatch, tmp_path):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)


def test_estimate_prints_calls_tokens_and_dollars_and_writes_nothing(no_key, tmp_path, capsys):
    assert main(["--count", "200", "--backend", "anthropic", "--estimate"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"200 examples on anthropic, standard mode: [\d,]+ calls · [\d,]+ input", out)
    assert "documented ratio" in out and dollars(out) > 0
    assert list(tmp_path.iterdir()) == []


def test_a_batch_estimate_costs_half(no_key, capsys):
    main(["--count", "200", "--backend", "anthropic", "--estimate"])
    standard = dollars(capsys.readouterr().out)
    main(["--count", "200", "--backend", "anthropic", "--estimate", "--batch"])
    batch = capsys.readouterr().out
    assert "batch mode" in batch and dollars(batch) == pytest.approx(standard / 2, abs=0.011)


@pytest.mark.parametrize("args, message", [
    (["--batch"], "needs backend 'anthropic'"),
    (["--shard", "4/3"], "between 1 and 3"),
    (["--shard", "half"], "expected K/N"),
])
def test_a_bad_mode_is_one_line_and_exit_code_2(no_key, tmp_path, capsys, args, message):
    assert main(["--count", "9", "--quiet", *args]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_shard_run_writes_only_its_slice_and_names_it(no_key, tmp_path):
    assert main(["--count", "9", "--seed", "4", "--shard", "2/3", "--run-dir", str(tmp_path / "part"), "--quiet"]) == 0
    indices = [json.loads(line)["metadata"]["index"] for name in ("tool_use_examples.jsonl", "rejected.jsonl")
               for line in (tmp_path / "part" / name).read_text().splitlines()]
    assert sorted(indices) == [1, 4, 7]
    metadata = json.loads((tmp_path / "part" / "generation_metadata.json").read_text())
    assert metadata["shard"] == {"number": 2, "count": 3} and metadata["counts"]["planned"] == 3


def test_a_batch_run_completes_through_the_message_batches_api(monkeypatch, tmp_path):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-loopback-key")
    server = BatchWeatherAgent(RunConfig(count=8, seed=3))
    try:
        code = main(["--count", "8", "--seed", "3", "--backend", "anthropic", "--base-url", server.base_url,
                     "--batch", "--run-dir", str(tmp_path / "run"), "--quiet"])
    finally:
        server.close()
    assert code == 0
    metadata = json.loads((tmp_path / "run" / "generation_metadata.json").read_text())
    assert metadata["counts"]["accepted"] == 8 and metadata["cost_usd"] > 0
    assert metadata["usage"]["estimate_vs_actual"]["estimated"]["mode"] == "batch"
    assert len(server.batch_ids) >= 3 and len(set(server.submitted)) == len(server.submitted)
