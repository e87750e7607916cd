"""ValidationReport: what a run's validation looks like in aggregate."""
from __future__ import annotations

import json

from core.validation import ValidationReport, validate_record
from tests.core.validation.factories import OSLO, current_record


def sunny_and_30(record_id: str) -> dict:
    example = current_record("It's sunny and 30 °C.", temperature=12.0, apparent=10.0, code=63)
    example["id"] = record_id
    return example


def dict_arguments(record_id: str) -> dict:
    example = current_record()
    example["id"] = record_id
    example["messages"][2]["tool_calls"][0]["function"]["arguments"] = {"latitude": OSLO[0], "longitude": OSLO[1]}
    return example


def report_of(records, **options) -> ValidationReport:
    report = ValidationReport(**options)
    for example in records:
        report.add(validate_record(example), example)
    return report


def test_counts_per_check_and_overall():
    report = report_of([current_record(), current_record(), sunny_and_30("bad-1"), dict_arguments("bad-2")])
    data = report.to_dict()
    assert (data["total"], data["passed"], data["failed"], data["pass_rate"]) == (4, 2, 2, 0.5)
    assert data["checks"]["groundedness"] == {"pass": 3, "fail": 1}
    assert data["checks"]["format"] == {"pass": 3, "fail": 1}
    assert data["checks"]["schema"] == {"pass": 4, "fail": 0}


def test_groundedness_distribution():
    half = current_record("Sunny and 4 °C.")
    spread = report_of([current_record(), current_record(), half, sunny_and_30("x")]).groundedness_distribution()
    assert (spread["count"], spread["mean"], spread["p10"], spread["p50"]) == (4, 0.625, 0.0, 0.5)
    counts = {bucket["low"]: bucket["count"] for bucket in spread["histogram"]}
    assert (counts[0.0], counts[0.5], counts[0.9], sum(counts.values())) == (1, 1, 2, 4)


def test_the_most_common_failure_reasons_come_first_with_an_example():
    report = report_of([sunny_and_30("a"), sunny_and_30("b"), dict_arguments("c")])
    reasons = report.failure_reasons()
    assert [(item["check"], item["rule"], item["count"]) for item in reasons] == [
        ("groundedness", "ungrounded_claims", 2), ("format", "arguments_not_string", 1)]
    assert "'sunny'" in reasons[0]["example"]


def test_a_handful_of_rejected_samples_with_their_reasons():
    report = report_of([sunny_and_30(f"bad-{n}") for n in range(8)] + [current_record()], sample_limit=3)
    assert [sample["id"] for sample in report.samples] == ["bad-0", "bad-1", "bad-2"]
    assert report.samples[0]["checks"]["groundedness"] == "fail"
    assert report.samples[0]["reasons"][0].startswith("groundedness: groundedness 0%")


def test_an_empty_report_is_well_formed():
    data = ValidationReport().to_dict()
    assert (data["total"], data["pass_rate"], data["groundedness"]["mean"]) == (0, None, None)
    assert "Validated 0 record(s)" in ValidationReport().summary_text()


def test_save_writes_the_json_atomically(tmp_path):
    report = report_of([current_record(), sunny_and_30("bad")])
    target = tmp_path / "validation_report.json"
    report.save(target)
    assert json.loads(target.read_text()) == report.to_dict()
    assert [path.name for path in tmp_path.iterdir()] == ["validation_report.json"]  # no temp file left behind


def test_the_summary_is_readable():
    text = report_of([current_record(), sunny_and_30("bad-1")]).summary_text()
    assert text.splitlines()[0] == "Validated 2 record(s): 1 passed, 1 failed"
    assert "groundedness" in text and "Groundedness: mean 50%" in text
    assert "1 × groundedness/ungrounded_claims" in text and "bad-1" in text
