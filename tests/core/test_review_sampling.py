"""Review samples are stratified and reproducible; queues put likely problems first."""
from collections import Counter

import pytest

from core.review_sampling import (SamplingError, failed_checks_queue, lowest_groundedness_queue,
                                  stratified_sample)


def make_record(index: int, persona: str = "neutral", scenario: str = "success",
                groundedness: float | None = 1.0, failed: tuple[str, ...] = ()) -> dict:
    checks = {check: ("fail" if check in failed else "pass")
              for check in ("format", "schema", "semantic", "groundedness")}
    return {"id": f"ex-{index}", "tags": {"persona": persona},
            "metadata": {"scenario": scenario,
                         "validation": {"passed": not failed, "groundedness": groundedness, "checks": checks}}}


def make_population() -> list[dict]:
    """60 neutral/success, 20 twain/error, 20 franklin/multi_turn."""
    cells = [("neutral", "success")] * 60 + [("twain", "error")] * 20 + [("franklin", "multi_turn")] * 20
    return [make_record(i, persona, scenario) for i, (persona, scenario) in enumerate(cells)]


def cell_counts(records) -> Counter:
    return Counter((r["tags"]["persona"], r["metadata"]["scenario"]) for r in records)


def test_the_sample_is_proportional_to_each_persona_scenario_cell():
    sample = stratified_sample(make_population(), 10, seed=7)
    assert cell_counts(sample) == {("neutral", "success"): 6, ("twain", "error"): 2, ("franklin", "multi_turn"): 2}


def test_largest_remainders_fill_the_sample_to_the_exact_size():
    # quotas 4.2 / 1.4 / 1.4 -> 4 + 1 + 1 and one more to a 0.4 remainder.
    sample = stratified_sample(make_population(), 7, seed=1)
    assert len(sample) == 7 and len({r["id"] for r in sample}) == 7
    assert cell_counts(sample)[("neutral", "success")] == 4


def test_the_same_seed_gives_the_same_sample_and_another_seed_another():
    population = make_population()
    first = [r["id"] for r in stratified_sample(population, 10, seed=3)]
    assert first == [r["id"] for r in stratified_sample(population, 10, seed=3)]
    assert first != [r["id"] for r in stratified_sample(population, 10, seed=4)]


def test_the_sample_does_not_depend_on_the_order_records_were_loaded_in():
    population = make_population()
    forward = [r["id"] for r in stratified_sample(population, 10, seed=3)]
    assert forward == [r["id"] for r in stratified_sample(population[::-1], 10, seed=3)]


def test_asking_for_more_than_there_are_returns_every_record_once():
    population = make_population()[:5]
    assert sorted(r["id"] for r in stratified_sample(population, 50, seed=0)) == sorted(r["id"] for r in population)
    assert stratified_sample([], 5, seed=0) == []


@pytest.mark.parametrize("size", [-1, 2.5, True])
def test_a_bad_size_is_refused(size):
    with pytest.raises(SamplingError, match="size"):
        stratified_sample(make_population(), size, seed=0)


def test_the_groundedness_queue_starts_at_the_lowest_score_and_ends_with_unscored():
    records = [make_record(0, groundedness=0.9), make_record(1, groundedness=None),
               make_record(2, groundedness=0.4), make_record(3, groundedness=1.0)]
    assert [r["id"] for r in lowest_groundedness_queue(records)] == ["ex-2", "ex-0", "ex-3", "ex-1"]


def test_the_failed_checks_queue_puts_failures_first_most_failed_checks_first():
    records = [make_record(0), make_record(1, failed=("semantic",)),
               make_record(2, failed=("schema", "semantic")), make_record(3)]
    assert [r["id"] for r in failed_checks_queue(records)] == ["ex-2", "ex-1", "ex-0", "ex-3"]
