"""Each Dashboard chart gets a tidy table computed from the records and the plans."""
import pytest

from core.config import RunConfig
from core.dashboard_data import (achieved_vs_target, city_points, climate_groups, groundedness_histogram,
                                 plan_table, record_cost, response_lengths, tokens_and_cost,
                                 validation_failures)
from core.data_loader import to_dataframe
from core.locations import BY_ID
from core.plan import build_plans
from core.record_filters import RecordFilter, apply_filter
from core.tools import TOOL_SCHEMAS

OSLO, SYDNEY = BY_ID["oslo-no"], BY_ID["sydney-nsw-au"]


def make_record(index: int, *, persona: str = "neutral", scenario: str = "success", intent: str = "current",
                error_kind: str | None = None, passed: bool = True, groundedness: float | None = 1.0,
                cities: tuple = (OSLO,), answer: str = "It is 4 °C.", model: str = "offline",
                tokens: tuple[int, int] = (0, 0)) -> dict:
    messages = [{"role": "system", "content": "You are Weathervane."},
                {"role": "user", "content": "Weather?"},
                {"role": "assistant", "content": answer}]
    return {"id": f"ex-{index}", "messages": messages, "tools": TOOL_SCHEMAS, "parallel_tool_calls": False,
            "tags": {"persona": persona},
            "metadata": {"scenario": scenario, "intent": intent, "error_kind": error_kind,
                         "locations": [city.label for city in cities], "index": index,
                         "generator": {"backend": "offline", "model": model},
                         "usage": {"input_tokens": tokens[0], "output_tokens": tokens[1],
                                   "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
                         "validation": {"passed": passed, "groundedness": groundedness, "checks": {}}}}


def make_orphan_tool_record(index: int) -> dict:
    """A rejected record whose tool message answers a call nobody made."""
    record = make_record(index, passed=False, groundedness=0.0, answer="It is sunny.")
    record["messages"].insert(2, {"role": "tool", "tool_call_id": "call_zz", "content": "{}"})
    return record


def make_api_failure(index: int) -> dict:
    record = make_record(index, passed=False, groundedness=None)
    record["messages"] = []
    record["metadata"]["validation"]["reasons"] = ["attempt 1: rate_limit: 429 too many requests"]
    return record


def rows_of(frame) -> list[dict]:
    return frame.to_dict("records")


def test_achieved_counts_accepted_records_against_the_planned_target():
    plans = plan_table(build_plans(RunConfig(count=20, seed=3)))
    records = [make_record(i, persona=plan) for i, plan in enumerate(plans["persona"][:10])]
    records.append(make_record(99, persona="twain", passed=False))
    frame = achieved_vs_target(to_dataframe(records), plans, "persona")
    target = plans["persona"].value_counts()
    achieved = plans["persona"][:10].value_counts()
    for row in rows_of(frame):
        expected = target if row["series"] == "target" else achieved
        assert row["count"] == expected.get(row["value"], 0)
    assert set(frame["series"]) == {"target", "achieved"}


def test_filtering_records_and_plans_alike_keeps_targets_comparable():
    plans = plan_table(build_plans(RunConfig(count=40, seed=1)))
    twain = RecordFilter(personas=("twain",))
    frame = achieved_vs_target(apply_filter(to_dataframe([make_record(0, persona="twain", scenario="error")]), twain),
                               apply_filter(plans, twain), "scenario")
    targets = {row["value"]: row["count"] for row in rows_of(frame) if row["series"] == "target"}
    assert targets == plans[plans["persona"] == "twain"]["scenario"].value_counts().to_dict()


def test_error_kinds_come_only_from_error_plans():
    plans = plan_table(build_plans(RunConfig(count=40, seed=1)))
    frame = achieved_vs_target(to_dataframe([make_record(0, scenario="error", error_kind="timeout")]),
                               plans, "error_kind")
    assert sum(frame[frame["series"] == "target"]["count"]) == sum(plans["scenario"] == "error")
    assert rows_of(frame[(frame["value"] == "timeout") & (frame["series"] == "achieved")])[0]["count"] == 1


def test_a_dimension_without_a_target_is_refused():
    with pytest.raises(ValueError, match="cities"):
        achieved_vs_target(to_dataframe([]), plan_table([]), "cities")


def test_climate_groups_count_records_and_distinct_cities():
    records = [make_record(0, cities=(OSLO,)), make_record(1, cities=(OSLO, SYDNEY)),
               make_record(2, cities=(SYDNEY,), passed=False)]
    frame = climate_groups(to_dataframe(records))
    expected = {}
    for city, uses in ((OSLO, 2), (SYDNEY, 1)):
        group = expected.setdefault(city.climate_group, {"records": 0, "cities": 0})
        group["records"] += uses
        group["cities"] += 1
    assert {row["climate_group"]: {"records": row["records"], "cities": row["cities"]}
            for row in rows_of(frame)} == expected


def test_city_points_carry_real_coordinates_for_the_map():
    frame = city_points(to_dataframe([make_record(0, cities=(OSLO, SYDNEY)), make_record(1, cities=(OSLO,))]))
    assert rows_of(frame) == [
        {"city": OSLO.label, "latitude": OSLO.latitude, "longitude": OSLO.longitude,
         "climate_group": OSLO.climate_group, "records": 2},
        {"city": SYDNEY.label, "latitude": SYDNEY.latitude, "longitude": SYDNEY.longitude,
         "climate_group": SYDNEY.climate_group, "records": 1}]


def test_the_groundedness_histogram_has_equal_bins_with_a_perfect_score_in_the_last():
    records = [make_record(i, groundedness=score) for i, score in enumerate((0.0, 0.42, 0.97, 1.0, None))]
    frame = groundedness_histogram(to_dataframe(records), bins=10)
    assert len(frame) == 10 and frame["bin_start"].iloc[4] == 0.4 and frame["bin_end"].iloc[-1] == 1.0
    assert frame["records"].tolist() == [1, 0, 0, 0, 1, 0, 0, 0, 0, 2]


def test_response_lengths_are_the_final_answers_of_accepted_records():
    records = [make_record(0, answer="short"), make_record(1, persona="twain", answer="a longer answer"),
               make_record(2, answer="rejected", passed=False)]
    assert rows_of(response_lengths(to_dataframe(records))) == [
        {"persona": "neutral", "final_answer_length": 5}, {"persona": "twain", "final_answer_length": 15}]


def test_tokens_are_summed_per_persona_and_priced_only_for_priced_models():
    records = [make_record(0, model="claude-haiku-4-5", tokens=(1_000_000, 0)),
               make_record(1, model="claude-haiku-4-5-20251001", tokens=(0, 200_000)),
               make_record(2, persona="twain", tokens=(50, 10))]
    frame = tokens_and_cost(to_dataframe(records), records)
    neutral, twain = rows_of(frame)
    assert (neutral["input_tokens"], neutral["output_tokens"]) == (1_000_000, 200_000)
    assert neutral["cost_usd"] == pytest.approx(1.0 + 1.0)  # $1/Mtok in, $5/Mtok out
    assert (twain["input_tokens"], twain["output_tokens"]) == (50, 10)
    assert twain["cost_usd"] != twain["cost_usd"]  # NaN: offline has no price
    assert record_cost(records[2]) is None


def test_tokens_follow_a_filtered_table_to_the_right_records():
    records = [make_record(0, tokens=(5, 1)), make_record(1, persona="twain", tokens=(7, 2))]
    table = apply_filter(to_dataframe(records), RecordFilter(personas=("twain",)))
    assert rows_of(tokens_and_cost(table, records))[0]["input_tokens"] == 7


def test_validation_failures_count_rejected_records_by_check_and_rule():
    records = [make_orphan_tool_record(0), make_orphan_tool_record(1), make_api_failure(2), make_record(3)]
    frame = validation_failures(to_dataframe(records), records, groundedness_threshold=0.8)
    by_rule = {(row["check"], row["rule"]): row for row in rows_of(frame)}
    assert by_rule[("format", "orphan_tool_message")]["failures"] == 2
    assert "no assistant tool call made" in by_rule[("format", "orphan_tool_message")]["example"]
    assert by_rule[("api", "rate_limit")]["failures"] == 1
    assert frame["failures"].tolist() == sorted(frame["failures"], reverse=True)
