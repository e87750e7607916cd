"""Groundedness: every weather claim in an answer must be backed by an earlier tool output."""
from __future__ import annotations

import pytest

from core.validation.conversation import parse_conversation
from core.validation.groundedness import check_groundedness
from tests.core.validation.factories import (OSLO, PARIS, answer, call, calls, current_output, current_record,
                                             forecast_output, forecast_record, record, system, tool, user)


def grounded(example: dict, threshold: float = 0.8):
    return check_groundedness(parse_conversation(example), threshold=threshold)


def claims_of(text: str, **output):
    """(claim text, supported) for `text` answering the Oslo current-weather output (4.2 °C, drizzle...)."""
    return [(claim.text, claim.supported) for claim in grounded(current_record(text, **output)).claims]


def compare_record(text: str) -> dict:
    """Oslo 4.2 °C light drizzle and Paris 12 °C partly cloudy, then `text`."""
    return record([system(), user("Compare Oslo and Paris right now"),
                   calls(call("o", "get_current_weather", {"latitude": OSLO[0], "longitude": OSLO[1]})),
                   tool("o", current_output()),
                   calls(call("p", "get_current_weather", {"latitude": PARIS[0], "longitude": PARIS[1]})),
                   tool("p", current_output(at=PARIS, place=("Paris", "France", "FR"), temperature=12.0,
                                            apparent=11.0, code=2, wind=20.0)),
                   answer(text)], locations=["Oslo, NO", "Paris, Île-de-France, FR"])


def test_a_faithful_answer_scores_one_with_every_claim_found():
    result = grounded(current_record())
    assert result.score == 1.0 and result.passed
    assert [(claim.kind, claim.text) for claim in result.claims] == [
        ("temperature", "4.2"), ("temperature", "1.3"), ("condition", "drizzle"), ("wind", "12"),
        ("humidity", "87")]


def test_sunny_and_30_when_the_tool_said_rain_at_12_is_unsupported():
    example = current_record("Good news: it is sunny and 30 °C in Oslo!", temperature=12.0, apparent=10.0,
                             code=63)
    result = grounded(example)
    assert result.score == 0.0 and not result.passed
    sunny, thirty = result.unsupported
    assert (sunny.text, sunny.kind) == ("sunny", "condition") and "moderate rain" in sunny.nearest
    assert (thirty.text, thirty.kind) == ("30", "temperature") and thirty.nearest.startswith("12 °C")
    text = example["messages"][-1]["content"]
    assert text[thirty.start:thirty.end] == "30" and thirty.message_index == 4


def test_an_answer_without_weather_claims_scores_one():
    result = grounded(current_record("Happy to help! Anything else you'd like to know?"))
    assert (result.score, result.claims) == (1.0, ())


@pytest.mark.parametrize("text", [
    "It is 40 °F out there.",              # 4.4 °C
    "It is 39.6 degrees Fahrenheit.",
    "It is 4 degrees.",                    # Celsius unless Fahrenheit is named
    "It is 5.5°C.",                        # within ±1.5 °C
    "It feels like 1 °C.",                 # the apparent temperature counts
    "The wind is 7 mph.",                  # 11.3 km/h
    "The wind is 3.5 m/s.",                # 12.6 km/h
    "The wind is 6.5 knots.",              # 12 km/h
    "Gusts reach 21 km/h.",
    "Winds of 21 kilometres per hour.",    # spelled out
    "Expect 0.3 mm of rain so far.",
    "Humidity sits at 85 percent.",
])
def test_units_are_converted_and_rounding_is_tolerated(text):
    assert all(supported for _, supported in claims_of(text))
    assert claims_of(text)


@pytest.mark.parametrize("text", ["It is 48 °F.", "It is 7 °C.", "The wind is 20 mph.", "Humidity is 60%."])
def test_values_beyond_the_tolerance_are_unsupported(text):
    assert [supported for _, supported in claims_of(text)] == [False]


def test_decades_cover_their_band():
    assert claims_of("Temperatures are in the low 30s.", temperature=34.0) == [("low 30s", True)]
    assert claims_of("Temperatures are in the mid-20s.", temperature=34.0) == [("mid-20s", False)]
    assert claims_of("Highs in the upper 80s today.", temperature=31.0) == [("upper 80s", True)]


def test_freezing_means_at_most_half_a_degree():
    assert claims_of("It's below freezing.", temperature=-2.0, apparent=-6.0) == [("below freezing", True)]
    assert claims_of("It's freezing out there.") == [("freezing", False)]
    assert claims_of("It's not freezing, at least.") == [("freezing", True)]


def test_freezing_rain_is_a_condition_not_a_temperature():
    assert [c.kind for c in grounded(current_record("Watch out for freezing rain.", code=66,
                                                    temperature=0.2, apparent=-3.0)).claims] == ["condition"]


def test_negated_conditions_claim_absence():
    assert claims_of("No rain at the moment, just clear skies.", code=0) == [("rain", True), ("clear", True)]
    assert claims_of("There is no rain in sight.", code=61) == [("rain", False)]
    assert claims_of("A rain-free morning.", code=61) == [("rain", False)]


def test_hedged_rain_is_supported_by_a_precipitation_chance():
    example = forecast_record("Saturday stays overcast with a chance of showers.", codes=(3, 3, 3),
                              chances=(40, 0, 0))
    assert [(claim.text, claim.supported) for claim in grounded(example).claims] == [
        ("Saturday", True), ("overcast", True), ("showers", True)]


@pytest.mark.parametrize("text", [
    "Right as rain, as they say.",
    "Every cloud has a silver lining.",
    "Let me be clear: you'll want a coat.",
    "Pack an umbrella in case of rain.",
    "If it snows later, stay in.",
    "Shall I check whether it will snow tomorrow?",
    "Mark Twain said everybody talks about the weather, but nobody does anything about it.",
    "Whatever the weather brings, enjoy your day in the 1930s-style cafe.",
])
def test_persona_flourishes_without_weather_facts_are_not_claims(text):
    assert grounded(current_record(text, code=0)).claims == ()


def test_each_end_of_a_range_is_a_claim():
    assert claims_of("Between 1 and 4.5 °C today.") == [("1", True), ("4.5", True)]
    assert claims_of("It ranges from -8 to 4 °C.") == [("-8", False), ("4", True)]


def test_claims_are_scoped_to_the_place_the_sentence_names():
    assert grounded(compare_record("Oslo is 4 °C with drizzle, while Paris is 12 °C and partly cloudy.")).score == 1.0
    swapped = grounded(compare_record("Oslo is 12 °C, while Paris is 4 °C."))
    assert swapped.score == 0.0


def test_a_place_named_earlier_carries_over_to_later_sentences():
    result = grounded(compare_record("In Paris it's 12 °C. The breeze there is 20 km/h."))
    assert result.score == 1.0


def test_a_place_no_tool_covered_is_a_hallucination():
    result = grounded(compare_record("Oslo is 4 °C and Rome is basking at 20 °C."))
    [claim] = result.unsupported
    assert claim.text == "20" and claim.nearest == "no tool output covers Rome, IT"


def test_temperature_differences_are_checked_between_outputs():
    assert grounded(compare_record("Paris is about 8 degrees warmer than Oslo.")).score == 1.0
    assert grounded(compare_record("Paris is 15 degrees warmer than Oslo.")).score == 0.0


def test_claims_are_scoped_to_the_day_the_sentence_names():
    result = grounded(forecast_record("Sunday reaches 10.5 °C. Monday brings snow."))
    assert result.score == 1.0
    wrong_day = grounded(forecast_record("Monday reaches 10.5 °C."))
    assert [(c.text, c.supported) for c in wrong_day.claims] == [("Monday", True), ("10.5", False)]


def test_a_day_no_forecast_covered_is_a_hallucination():
    result = grounded(forecast_record("Wednesday will be 8 °C and sunny."))
    assert {claim.text for claim in result.unsupported} == {"Wednesday", "8", "sunny"}
    assert "no tool output covers 2026-03-18" in {claim.nearest for claim in result.unsupported}


def test_iso_and_month_day_dates_must_be_covered():
    assert grounded(forecast_record("On 2026-03-15 it's overcast; March 16 brings snow.")).score == 1.0
    late = grounded(forecast_record("On 2026-03-20 it's overcast."))
    assert [(claim.text, claim.nearest) for claim in late.claims] == [
        ("2026-03-20", "the tool outputs cover 2026-03-14..2026-03-16"),
        ("overcast", "no tool output covers 2026-03-20")]


def test_only_outputs_before_the_claim_can_support_it():
    example = record([system(), user("Oslo now?"),
                      calls(call("a", "get_current_weather", {"latitude": OSLO[0], "longitude": OSLO[1]})),
                      tool("a", current_output()),
                      answer("4.2 °C now, and tomorrow will reach 10.5 °C."),
                      user("Are you sure about tomorrow?"),
                      calls(call("b", "get_forecast", {"latitude": OSLO[0], "longitude": OSLO[1], "days": 3})),
                      tool("b", forecast_output()),
                      answer("Yes: tomorrow reaches 10.5 °C.")], scenario="multi_turn")
    result = grounded(example)
    assert [(claim.message_index, claim.text, claim.supported) for claim in result.claims] == [
        (4, "4.2", True), (4, "10.5", False), (8, "10.5", True)]


def test_text_beside_a_tool_call_is_not_an_answer():
    example = current_record()
    example["messages"][2]["content"] = "Let me check whether it's sunny on Monday."
    assert grounded(example).score == 1.0


def test_coverage_is_the_share_of_key_values_the_answer_used():
    assert grounded(current_record()).coverage == 1.0
    assert grounded(current_record("It's 4 °C with drizzle.")).coverage == pytest.approx(2 / 3)
    assert grounded(current_record("Hello!")).coverage == 0.0
    assert grounded(record([system(), user("Hi"), answer("Hello!")])).coverage is None


def test_the_threshold_decides_pass_or_fail():
    example = current_record("It is 4 °C, 87% humidity, drizzle, but 30 km/h wind.")
    assert grounded(example).score == 0.75
    assert not grounded(example).passed and grounded(example, threshold=0.7).passed


def test_to_dict_lists_claims_with_spans():
    data = grounded(current_record("Sunny and 4 °C.")).to_dict()
    assert (data["score"], data["supported"], data["total"]) == (0.5, 1, 2)
    assert data["claims"][0] == {"kind": "condition", "text": "Sunny", "message_index": 4, "start": 0, "end": 5,
                                 "supported": False, "nearest": "light drizzle (Oslo, NO, 2026-03-14)"}


@pytest.mark.parametrize("text", ["It is minus\t12 °C.", "It is minus\n12 °C.", "It is minus 12 °C."])
def test_a_spelled_minus_before_any_whitespace_is_read_not_raised(text):
    assert [supported for _, supported in claims_of(text)] == [False]
