"""The Browse filters: each criterion keeps exactly the matching rows; empty means any."""
import pandas as pd
import pytest

from core.record_filters import REVIEW_NONE, RecordFilter, apply_filter, searchable_text


def make_row(index, *, persona="neutral", scenario="success", intent="current", cities=("Oslo, NO",),
             groups=("continental",), passed=True, groundedness=1.0, review=REVIEW_NONE, text="sunny"):
    return {"index": index, "persona": persona, "scenario": scenario, "intent": intent,
            "cities": list(cities), "climate_groups": list(groups), "passed": passed,
            "groundedness": groundedness, "review": review, "text": text}


def make_table():
    return pd.DataFrame([
        make_row(0),
        make_row(1, persona="twain", scenario="error", intent="forecast", passed=False, groundedness=None),
        make_row(2, persona="franklin", scenario="multi_turn", cities=("Lima, PE", "Oslo, NO"),
                 groups=("arid", "continental"), groundedness=0.5, review="reject", text="take an umbrella"),
        make_row(3, intent="compare", cities=("Suva, FJ",), groups=("tropical",), groundedness=0.9,
                 review="accept"),
    ])


def kept(criteria):
    return list(apply_filter(make_table(), criteria)["index"])


def test_the_default_filter_keeps_every_row_in_order():
    assert kept(RecordFilter()) == [0, 1, 2, 3]


@pytest.mark.parametrize("criteria, expected", [
    (RecordFilter(personas=("twain", "franklin")), [1, 2]),
    (RecordFilter(scenarios=("error",)), [1]),
    (RecordFilter(intents=("compare", "forecast")), [1, 3]),
    (RecordFilter(cities=("Oslo, NO",)), [0, 1, 2]),
    (RecordFilter(climate_groups=("arid", "tropical")), [2, 3]),
    (RecordFilter(validation="passed"), [0, 2, 3]),
    (RecordFilter(validation="failed"), [1]),
    (RecordFilter(groundedness=(0.4, 0.9)), [2, 3]),
    (RecordFilter(reviews=(REVIEW_NONE,)), [0, 1]),
    (RecordFilter(reviews=("accept", "reject")), [2, 3]),
    (RecordFilter(text="  UMBRELLA "), [2]),
])
def test_each_criterion_keeps_only_matching_rows(criteria, expected):
    assert kept(criteria) == expected


def test_criteria_combine_with_and():
    assert kept(RecordFilter(personas=("neutral",), intents=("compare",))) == [3]


def test_free_text_is_literal_not_a_pattern():
    assert kept(RecordFilter(text="sun.y")) == []


def test_an_unknown_validation_state_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="any, passed, failed"):
        RecordFilter(validation="maybe")


def test_an_empty_groundedness_range_is_refused():
    with pytest.raises(ValueError, match="low <= high"):
        RecordFilter(groundedness=(0.9, 0.1))


def test_searchable_text_holds_user_and_assistant_words_only():
    record = {"messages": [
        {"role": "system", "content": "You are Weathervane"},
        {"role": "user", "content": "Rain in Oslo?"},
        {"role": "assistant", "content": None, "tool_calls": []},
        {"role": "tool", "content": "{\"rain\": 1}"},
        {"role": "assistant", "content": "Light RAIN, 4 °C."},
    ]}
    assert searchable_text(record) == "rain in oslo?\nlight rain, 4 °c."
