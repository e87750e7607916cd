"""Semantic realism: outputs plausible for place and month, calls that fit the request, coherent scenarios."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from core import weather
from core.locations import BY_ID, LOCATIONS
from core.validation.conversation import parse_conversation
from core.validation.groundedness import check_groundedness
from core.validation.semantic_validator import check_semantics
from tests.core.validation.factories import (OSLO, PARIS, REYKJAVIK, answer, call, calls, current_output,
                                             current_record, error, error_record, forecast_output, forecast_record,
                                             geocode_output, multi_turn_record, record, single_call_record, system,
                                             tool, user)

ICELAND = ("Reykjavík", "Iceland", "IS")
JANUARY = date(2026, 1, 15)


def semantic(example: dict):
    conversation = parse_conversation(example)
    return check_semantics(conversation, check_groundedness(conversation))


def rules(example: dict) -> set[str]:
    return {finding.rule for finding in semantic(example)}


def reykjavik_now(temperature: float, *, unit: str = "°C", when: date = JANUARY, code: int = 3) -> dict:
    output = current_output(at=REYKJAVIK, place=ICELAND, temperature=temperature, apparent=temperature, unit=unit,
                            code=code, time=f"{when}T13:00")
    return single_call_record("get_current_weather", {"latitude": REYKJAVIK[0], "longitude": REYKJAVIK[1]}, output,
                              question="How warm is it in Reykjavik?", text="It is overcast.",
                              locations=["Reykjavík, IS"], simulated_date=when)


def test_the_default_records_are_sensible():
    for example in (current_record(), forecast_record(), error_record()):
        assert semantic(example) == []


# --- realism ----------------------------------------------------------------------------

def test_95_f_in_reykjavik_in_january_is_implausible():
    [finding] = semantic(reykjavik_now(95.0, unit="°F"))
    assert finding.rule == "implausible_temperature"
    assert "35 °C (95 °F)" in finding.reason and "Reykjavík, IS in January" in finding.reason
    assert finding.message_index == 3 and finding.tool_call_id == "call_1"


def test_a_mild_january_day_in_reykjavik_is_plausible():
    assert semantic(reykjavik_now(4.0)) == []


def test_the_same_month_decides_what_is_plausible():
    assert rules(reykjavik_now(18.0, when=date(2026, 7, 15))) == set()
    assert rules(reykjavik_now(18.0)) == {"implausible_temperature"}


def test_the_mock_service_always_passes_its_own_realism_checks():
    """Every city in three seasons, every month in some 23 cities, current and a 14-day forecast each."""
    for number, location in enumerate(LOCATIONS):
        for month in (1 + number % 12, 1 + (number + 4) % 12, 1 + (number + 8) % 12):
            when = datetime(2026, month, 1 + number % 28, (number * 7) % 24, tzinfo=timezone.utc)
            point = {"latitude": location.latitude, "longitude": location.longitude}
            for name, arguments, output in (
                    ("get_current_weather", point, weather.current_weather(**point, when=when, seed=number)),
                    ("get_forecast", {**point, "days": 14}, weather.forecast(**point, days=14, when=when,
                                                                             seed=month))):
                example = single_call_record(name, arguments, output, question="Weather?", text="Here it is.",
                                             locations=[location.label], simulated_date=when.date())
                assert semantic(example) == [], (location.id, month, name)


def test_snow_in_the_tropics_in_july_is_inconsistent():
    singapore = BY_ID["singapore-sg"]
    output = current_output(at=(singapore.latitude, singapore.longitude), place=("Singapore", "Singapore", "SG"),
                            temperature=30.0, apparent=35.0, code=73, time="2026-07-10T12:00")
    example = single_call_record("get_current_weather", {"latitude": singapore.latitude,
                                                         "longitude": singapore.longitude}, output,
                                 question="Singapore now?", text="Hot.", locations=[singapore.label],
                                 simulated_date=date(2026, 7, 10))
    [finding] = semantic(example)
    assert finding.rule == "inconsistent_condition" and "snow" in finding.reason


def test_a_thunderstorm_at_minus_30_is_inconsistent():
    yakutsk = BY_ID["yakutsk-ru"]
    output = current_output(at=(yakutsk.latitude, yakutsk.longitude), place=("Yakutsk", "Russia", "RU"),
                            temperature=-30.0, apparent=-38.0, code=95, time="2026-01-10T12:00")
    example = single_call_record("get_current_weather", {"latitude": yakutsk.latitude,
                                                         "longitude": yakutsk.longitude}, output,
                                 question="Yakutsk now?", text="Cold.", locations=[yakutsk.label],
                                 simulated_date=date(2026, 1, 10))
    assert rules(example) == {"inconsistent_condition"}


def test_conditions_must_come_from_the_known_set_and_match_their_code():
    unknown = current_record()
    unknown["messages"][3]["content"] = unknown["messages"][3]["content"].replace('"weather_code": 51',
                                                                                  '"weather_code": 42')
    assert "unknown_condition" in rules(unknown)
    mismatched = current_record()
    mismatched["messages"][3]["content"] = mismatched["messages"][3]["content"].replace("light drizzle",
                                                                                        "clear sky")
    assert rules(mismatched) == {"condition_mismatch"}


def test_percentages_outside_0_to_100_are_out_of_range():
    assert rules(current_record(humidity=140)) == {"value_out_of_range"}


def test_a_day_whose_maximum_is_below_its_minimum_is_implausible():
    assert rules(forecast_record(highs=(8.0, 1.0, 6.0), lows=(1.0, 3.5, -1.0))) == {"implausible_temperature"}


def test_the_forecast_must_be_exactly_as_long_as_asked():
    [finding] = semantic(forecast_record(question="Oslo over the next 3 days?", days=3, highs=(8.0, 9.0),
                                         lows=(1.0, 2.0), codes=(61, 3), chances=(80, 20), winds=(18.0, 9.0),
                                         sums=(4.2, 0.0)))
    assert finding.rule == "forecast_length" and "has 2 days but the call asked for 3" in finding.reason


def test_forecast_dates_must_be_consecutive_and_start_today():
    gap = forecast_record()
    gap["messages"][3]["content"] = gap["messages"][3]["content"].replace("2026-03-15", "2026-03-17")
    assert rules(gap) == {"forecast_dates"}
    late = forecast_record(start=date(2026, 3, 20))
    assert "forecast_dates" in rules(late)


def test_an_answer_to_another_call_has_the_wrong_shape():
    example = forecast_record()
    example["messages"][3] = tool("call_1", current_output())
    assert "response_shape" in rules(example)


def test_tool_output_that_is_not_json_is_reported():
    example = current_record()
    example["messages"][3]["content"] = "sunny, 20 degrees"
    assert rules(example) == {"tool_output_not_json", "no_weather_data"}


# --- calls against the request --------------------------------------------------------------

def test_coordinates_far_from_the_named_place_fail():
    example = single_call_record("get_current_weather", {"latitude": PARIS[0], "longitude": PARIS[1]},
                                 current_output(at=PARIS, place=("Paris", "France", "FR")),
                                 question="Is it raining in Oslo?", text="Let me see.")
    [finding] = semantic(example)
    assert finding.rule == "location_mismatch" and "Oslo, NO" in finding.reason
    assert finding.message_index == 2


def test_coordinates_may_come_from_a_place_the_user_named_or_geocoding_returned():
    springfield = BY_ID["springfield-mo-us"]
    point = {"latitude": springfield.latitude, "longitude": springfield.longitude}
    example = record([system(), user("Weather in Springfield, Missouri?"),
                      calls(call("g", "geocode_location", {"city": "Springfield", "country": "US"})),
                      tool("g", geocode_output(("Springfield", springfield.latitude, springfield.longitude, "US"))),
                      calls(call("w", "get_current_weather", point)),
                      tool("w", current_output(at=(springfield.latitude, springfield.longitude),
                                               place=("Springfield", "United States", "US"))),
                      answer("Done.")], locations=[])
    assert semantic(example) == []
    example["messages"][1] = user("Weather there?")
    example["messages"][3] = tool("g", geocode_output(("Springfield", 39.78, -89.65, "US")))
    assert rules(example) == {"location_mismatch"}


@pytest.mark.parametrize("question, days, ok", [
    ("Will it rain in Oslo this weekend?", 2, True),       # 2026-03-14 is a Saturday: today and Sunday
    ("Will it rain in Oslo this weekend?", 5, True),       # up to 3 extra days are fine
    ("Will it rain in Oslo this weekend?", 7, False),
    ("Oslo for the next 10 days, please", 10, True),
    ("Oslo for the next 10 days, please", 3, False),
    ("What about next week in Oslo?", 7, True),
    ("Oslo over the next 20 days?", 14, True),             # more than the tool allows: the maximum will do
])
def test_forecast_days_must_fit_the_request(question, days, ok):
    arguments = {"latitude": OSLO[0], "longitude": OSLO[1], "days": days}
    output = forecast_output(highs=(8.0,) * days, lows=(1.0,) * days, codes=(3,) * days, chances=(10,) * days,
                             winds=(9.0,) * days, sums=(0.0,) * days)
    found = rules(single_call_record("get_forecast", arguments, output, question=question, text="Overcast."))
    assert (found == set()) is ok, found


def test_a_follow_up_without_a_time_span_keeps_the_earlier_one():
    arguments = {"latitude": PARIS[0], "longitude": PARIS[1], "days": 3}
    example = forecast_record()
    example["metadata"]["locations"].append("Paris, Île-de-France, FR")
    example["messages"] += [user("And in Paris?"), calls(call("call_2", "get_forecast", arguments)),
                            tool("call_2", forecast_output(at=PARIS, place=("Paris", "France", "FR"))),
                            answer("Paris: 1–8 °C.")]
    example["metadata"]["scenario"] = "multi_turn"
    assert semantic(example) == []
    example["messages"][6]["tool_calls"][0]["function"]["arguments"] = (
        '{"latitude": 48.8566, "longitude": 2.3522, "days": 9}')
    assert rules(example) >= {"forecast_days_mismatch"}


# --- scenario coherence -----------------------------------------------------------------------

def test_multi_turn_needs_two_or_three_user_turns():
    assert semantic(multi_turn_record(("And tomorrow?", "I only checked today, sorry."))) == []
    assert rules(record(current_record()["messages"], scenario="multi_turn")) == {"multi_turn_user_turns"}
    four = multi_turn_record(*[("More?", "That is all I have.")] * 3)
    assert rules(four) == {"multi_turn_user_turns"}


def test_a_success_record_must_get_weather_from_a_tool():
    example = error_record()
    example["metadata"]["scenario"] = "success"
    assert rules(example) == {"no_weather_data"}


def test_an_error_scenario_needs_a_tool_error():
    example = current_record()
    example["metadata"]["scenario"] = "error"
    assert rules(example) == {"error_scenario_without_error"}


def test_the_answer_after_an_error_must_acknowledge_it():
    [finding] = semantic(error_record("Here is the weather for Oslo."))
    assert finding.rule == "error_not_acknowledged" and finding.message_index == 4


def test_the_answer_after_an_error_may_not_invent_weather():
    example = error_record("Sorry, the service is down, but it is probably sunny and 12 °C in Oslo.")
    [finding] = semantic(example)
    assert finding.rule == "error_answer_invents_weather"
    assert "'sunny'" in finding.reason and "'12'" in finding.reason


def test_an_ambiguous_city_is_an_error_scenario_answered_by_a_question():
    example = record([system(), user("What's the weather in Springfield?"),
                      calls(call("g", "geocode_location", {"city": "Springfield"})),
                      tool("g", geocode_output(("Springfield", 39.78, -89.65, "US"), ("Springfield", 37.21, -93.29, "US"))),
                      answer("There are several places called Springfield: which one do you mean, Illinois or "
                             "Missouri?")], scenario="error", error_kind="ambiguous_city", locations=[])
    assert semantic(example) == []


def test_an_unknown_city_error_acknowledged_passes():
    example = record([system(), user("Weather in Atlantis?"),
                      calls(call("g", "geocode_location", {"city": "Atlantis"})),
                      tool("g", error("location_not_found", "No place named 'Atlantis' was found.")),
                      answer("I couldn't find a place called Atlantis. Could you check the spelling?")],
                     scenario="error", error_kind="unknown_city", locations=[])
    assert semantic(example) == []
