"""Run statistics: counted from records in commit order, and restorable from a checkpoint."""
from core.run_stats import RunStats


def make_record(*, persona="neutral", scenario="success", city="Oslo, NO", passed=True, groundedness=0.9,
                answer="It is 4 °C.", attempts=1, messages=True, checks=None):
    default_checks = {"format": "pass", "schema": "pass", "semantic": "pass",
                      "groundedness": "pass" if passed else "fail"}
    return {
        "id": "x",
        "messages": [{"role": "user", "content": "?"}, {"role": "assistant", "content": answer}] if messages else [],
        "tags": {"persona": persona},
        "metadata": {"scenario": scenario, "intent": "current", "error_kind": None, "locations": [city],
                     "attempts": attempts, "usage": {"input_tokens": 100, "output_tokens": 20},
                     "validation": {"passed": passed, "groundedness": groundedness,
                                    "checks": default_checks if checks is None else checks}},
    }


def test_accepted_records_count_towards_coverage_and_rejected_ones_towards_rejections():
    stats = RunStats()
    stats.add(make_record(persona="twain", city="Longyearbyen, NO"), True)
    stats.add(make_record(persona="franklin", passed=False, groundedness=0.5), False)
    stats.add(make_record(messages=False, groundedness=None, checks={}), False)
    assert (stats.done, stats.accepted, stats.rejected, stats.api_failures) == (3, 1, 2, 1)
    assert dict(stats.coverage["persona"]) == {"twain": 1}
    assert dict(stats.coverage["climate_groups"]) == {"polar": 1}
    assert stats.summary()["rejections_by_check"] == {"groundedness": 1, "api": 1}


def test_rates_and_means():
    stats = RunStats()
    stats.add(make_record(groundedness=1.0, answer="abcd", attempts=1), True)
    stats.add(make_record(groundedness=0.5, answer="ab", attempts=3), True)
    stats.add(make_record(passed=False, groundedness=0.0, attempts=4), False)
    summary = stats.summary()
    assert summary["pass_rate"] == round(2 / 3, 4)
    assert summary["mean_groundedness"] == 0.5
    assert summary["mean_answer_length"] == 3.0
    assert summary["mean_attempts"] == round(8 / 3, 3)
    assert summary["check_pass_rates"]["groundedness"] == round(2 / 3, 4)
    assert (summary["input_tokens"], summary["output_tokens"]) == (300, 60)


def test_an_empty_run_has_no_rates_rather_than_a_division_error():
    summary = RunStats().summary()
    assert summary["pass_rate"] is None and summary["mean_groundedness"] is None


def test_statistics_survive_a_round_trip_through_a_checkpoint_and_keep_counting():
    stats = RunStats()
    stats.add(make_record(persona="twain"), True)
    restored = RunStats.from_dict(stats.to_dict())
    restored.add(make_record(persona="twain"), True)
    stats.add(make_record(persona="twain"), True)
    assert restored == stats
    assert restored.coverage["persona"]["twain"] == 2
