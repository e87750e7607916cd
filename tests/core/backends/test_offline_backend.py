"""The offline backend: the right next call for every request, honest errors, grounded
answers in three distinct voices, and the same conversation for the same seed."""
import asyncio
import json
import random
import re
import string
from dataclasses import replace
from datetime import date

import pytest

from core.backends.base import TurnRequest, Usage, UserTurnRequest
from core.backends.offline import OfflineBackend
from core.backends.offline_reading import Reply, read
from core.backends.offline_user import user_message
from core.backends.offline_voices import VOICES, write_answer
from core.config import RunConfig
from core.date_phrases import asks_for_weekend, forecast_days_for, weekend_days
from core.generation import run_conversation
from core.locations import BY_ID, geocode
from core.plan import ExamplePlan, build_plans
from core.records import build_record
from core.tools import TOOL_SCHEMAS
from core.validation import validate_record

WEDNESDAY = date(2026, 3, 11)
PERSONAS = ("neutral", "twain", "franklin")


def make_plan(**overrides) -> ExamplePlan:
    values = dict(index=0, seed=11, scenario="success", persona="neutral", intent="current",
                  location_ids=("tokyo-jp",), days=None, error_kind=None, follow_ups=(),
                  simulated_date=WEDNESDAY, simulated_hour=10, use_geocode=False, trip_start_offset=None)
    values.update(overrides)
    if values["error_kind"]:
        values["scenario"] = "error"
    if values["follow_ups"]:
        values["scenario"] = "multi_turn"
    return ExamplePlan(**values)


def converse(plan: ExamplePlan, seed: int = 0) -> list[dict]:
    messages, _ = asyncio.run(run_conversation(plan, OfflineBackend(seed)))
    return messages


def calls(messages: list[dict], *, after_user: int = 0) -> list[tuple[str, dict]]:
    """The assistant's own calls (not the scripted weight-0 ones) after the n-th user message."""
    users = [i for i, m in enumerate(messages) if m["role"] == "user"]
    start = users[after_user]
    end = users[after_user + 1] if after_user + 1 < len(users) else len(messages)
    return [(call["function"]["name"], json.loads(call["function"]["arguments"]))
            for message in messages[start:end] if message["role"] == "assistant" and message.get("weight") != 0
            for call in message.get("tool_calls") or ()]


def answers(messages: list[dict]) -> list[str]:
    return [m["content"] for m in messages if m["role"] == "assistant" and m.get("content")]


def tool_outputs(messages: list[dict]) -> list[dict]:
    return [json.loads(m["content"]) for m in messages if m["role"] == "tool"]


def validated(plan: ExamplePlan, messages: list[dict]):
    record = build_record(plan=plan, run_seed=1, messages=messages, backend=OfflineBackend(), attempts=1,
                          usage=Usage(), generated_at="2026-01-01T00:00:00Z")
    return validate_record(record)


# --- the first request --------------------------------------------------------------------

def test_a_well_known_city_is_looked_up_from_memory_with_rounded_coordinates():
    assert calls(converse(make_plan())) == [("get_current_weather", {"latitude": 35.68, "longitude": 139.65})]


def test_a_smaller_city_is_geocoded_first_and_its_coordinates_come_from_the_result():
    messages = converse(make_plan(location_ids=("tromso-no",)))
    (geocode_call, geocode_args), (weather_call, weather_args) = calls(messages)
    result = tool_outputs(messages)[0]["results"][0]
    assert (geocode_call, geocode_args["city"]) == ("geocode_location", "Tromsø")
    assert weather_call == "get_current_weather"
    assert weather_args == {"latitude": round(result["latitude"], 4), "longitude": round(result["longitude"], 4)}


@pytest.mark.parametrize("seed", range(6))
def test_a_loosely_named_place_is_geocoded_by_the_name_the_user_typed(seed):
    messages = converse(make_plan(location_ids=("new-york-city-ny-us",), use_geocode=True, seed=seed))
    (name, arguments), _ = calls(messages)
    assert name == "geocode_location" and arguments["city"].lower() in messages[1]["content"].lower()
    assert geocode(arguments["city"]) == [BY_ID["new-york-city-ny-us"]]


@pytest.mark.parametrize("intent", ["current", "what_to_wear"])
def test_conditions_now_take_one_current_weather_call(intent):
    assert [name for name, _ in calls(converse(make_plan(intent=intent)))] == ["get_current_weather"]


@pytest.mark.parametrize("days", [2, 3, 5, 7, 10, 14])
def test_a_forecast_asks_for_exactly_the_days_the_user_named(days):
    messages = converse(make_plan(intent="forecast", days=days, seed=days))
    assert forecast_days_for(messages[1]["content"], WEDNESDAY) == days
    assert calls(messages) == [("get_forecast", {"latitude": 35.68, "longitude": 139.65, "days": days})]


def test_a_trip_forecast_reaches_the_last_day_of_the_trip_and_the_answer_covers_only_the_trip():
    messages = converse(make_plan(intent="trip", days=7, trip_start_offset=3))
    assert calls(messages)[-1][1]["days"] == 7
    answer = answers(messages)[-1]
    assert "Saturday" in answer and "Tuesday" in answer  # the trip runs Saturday to Tuesday...
    assert "Wednesday" not in answer and "Thursday" not in answer  # ...not from today


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_question_about_the_weekend_is_answered_for_the_weekend_alone(persona):
    plans = (make_plan(intent="forecast", days=5, seed=seed, persona=persona) for seed in range(200))
    plan, messages = next((plan, messages) for plan in plans for messages in [converse(plan)]
                          if asks_for_weekend(messages[1]["content"], WEDNESDAY))
    assert calls(messages)[0][1]["days"] == weekend_days(WEDNESDAY) == 5  # fetched from today, as the API counts
    answer = answers(messages)[-1]
    assert "Saturday" in answer and "Sunday" in answer
    assert not any(day in answer for day in ("Wednesday", "Thursday", "Friday"))
    assert validated(plan, messages).passed


def test_a_comparison_makes_one_call_per_city_and_names_both():
    plan = make_plan(intent="compare", location_ids=("tokyo-jp", "lima-pe"))
    messages = converse(plan)
    assert [name for name, _ in calls(messages)] == ["get_current_weather", "get_current_weather"]
    assert "Tokyo" in answers(messages)[-1] and "Lima" in answers(messages)[-1]


# --- errors ---------------------------------------------------------------------------------

def test_an_unknown_city_is_reported_with_the_suggestions_and_no_weather():
    messages = converse(make_plan(error_kind="unknown_city", location_ids=()))
    assert [name for name, _ in calls(messages)] == ["geocode_location"]
    error = tool_outputs(messages)[0]["error"]
    answer = answers(messages)[-1]
    assert error["code"] == "location_not_found"
    assert f'"{calls(messages)[0][1]["city"]}"' in answer
    assert all(suggestion in answer for suggestion in error["suggestions"])
    assert not re.search(r"\d", answer)


def test_an_ambiguous_city_gets_a_question_listing_every_candidate():
    messages = converse(make_plan(error_kind="ambiguous_city", location_ids=("springfield-il-us",)))
    assert calls(messages) == [("geocode_location", {"city": "Springfield"})]
    answer = answers(messages)[-1]
    assert answer.endswith("?")
    assert all(state in answer for state in ("Illinois", "Missouri", "Massachusetts"))


def test_too_many_days_is_retried_at_fourteen_and_the_limit_explained():
    messages = converse(make_plan(intent="forecast", days=21, error_kind="too_many_days"))
    mistake = next(m for m in messages if m.get("weight") == 0)
    assert json.loads(mistake["tool_calls"][0]["function"]["arguments"])["days"] == 21
    assert calls(messages) == [("get_forecast", {"latitude": 35.68, "longitude": 139.65, "days": 14})]
    assert "14" in answers(messages)[-1] and "21" in answers(messages)[-1]


@pytest.mark.parametrize("seed", range(4))
def test_invalid_coordinates_are_corrected_from_the_database_or_by_geocoding(seed):
    messages = converse(make_plan(error_kind="invalid_coordinates", seed=seed))
    own = calls(messages)
    assert own[-1] == ("get_current_weather", {"latitude": 35.68, "longitude": 139.65}) or (
        own[0][0] == "geocode_location" and own[-1][1]["latitude"] == round(BY_ID["tokyo-jp"].latitude, 4))
    assert "coordinates" in answers(messages)[-1]


def test_a_rate_limit_is_retried_once_and_then_answered_with_data():
    messages = converse(make_plan(error_kind="rate_limited"))
    assert calls(messages) == [("get_current_weather", {"latitude": 35.68, "longitude": 139.65})] * 2
    assert tool_outputs(messages)[0]["error"]["code"] == "rate_limited"
    assert "°C" in answers(messages)[-1]


@pytest.mark.parametrize("fault", ["service_unavailable", "timeout"])
def test_an_outage_is_retried_or_apologised_for_but_never_papered_over(fault):
    outcomes = set()
    for seed in range(12):
        messages = converse(make_plan(error_kind=fault, seed=seed))
        answer = answers(messages)[-1]
        if len(calls(messages)) == 2:
            outcomes.add("retried")
            assert "°C" in answer
        else:
            outcomes.add("apologised")
            assert not re.search(r"\d", answer)
    assert outcomes == {"retried", "apologised"}


# --- follow-ups -------------------------------------------------------------------------------

def tomorrow_high(messages: list[dict]) -> str:
    daily = next(output["daily"] for output in tool_outputs(messages) if "daily" in output)
    return f"{round(daily['temperature_2m_max'][daily['time'].index('2026-03-12')])} °C"


def test_tomorrow_after_current_conditions_fetches_two_days_and_gives_tomorrows_high():
    messages = converse(make_plan(follow_ups=("tomorrow",)))
    assert calls(messages, after_user=1) == [("get_forecast", {"latitude": 35.68, "longitude": 139.65, "days": 2})]
    assert "tomorrow" in answers(messages)[-1] and tomorrow_high(messages) in answers(messages)[-1]


def test_tomorrow_after_a_forecast_needs_no_new_call():
    messages = converse(make_plan(intent="forecast", days=5, follow_ups=("tomorrow",)))
    assert calls(messages, after_user=1) == []
    assert tomorrow_high(messages) in answers(messages)[-1]


def test_another_city_repeats_the_question_for_the_new_place():
    plan = make_plan(intent="forecast", days=3, follow_ups=("other_city",), location_ids=("tokyo-jp", "lyon-fr"))
    messages = converse(plan)
    follow_up = calls(messages, after_user=1)
    assert [name for name, _ in follow_up] == ["geocode_location", "get_forecast"]
    assert follow_up[-1][1]["days"] == 3 and "Lyon" in answers(messages)[-1]


def test_umbrella_after_current_conditions_fetches_todays_chance():
    messages = converse(make_plan(follow_ups=("umbrella",)))
    assert calls(messages, after_user=1) == [("get_forecast", {"latitude": 35.68, "longitude": 139.65, "days": 1})]
    chance = tool_outputs(messages)[-1]["daily"]["precipitation_probability_max"][0]
    assert f"{chance}% chance" in answers(messages)[-1]


def test_the_weekend_is_fetched_through_sunday():
    messages = converse(make_plan(follow_ups=("weekend",)))
    assert calls(messages, after_user=1)[0][1]["days"] == weekend_days(WEDNESDAY) == 5
    assert "Saturday" in answers(messages)[-1] and "Sunday" in answers(messages)[-1]


def test_wind_is_answered_from_the_data_already_fetched():
    messages = converse(make_plan(follow_ups=("wind",)))
    assert calls(messages, after_user=1) == []
    assert f"{round(tool_outputs(messages)[0]['current']['wind_speed_10m'])} km/h" in answers(messages)[-1]


# --- grounded in every voice ----------------------------------------------------------------------

def test_every_kind_of_conversation_validates_with_high_groundedness():
    plans = build_plans(RunConfig(count=150, seed=42))
    assert {p.error_kind for p in plans} >= {"unknown_city", "ambiguous_city", "too_many_days",
                                             "invalid_coordinates", "rate_limited", "service_unavailable", "timeout"}
    for plan in plans:
        result = validated(plan, converse(plan))
        assert result.passed, (plan, result.reasons)
        assert result.groundedness.score >= 0.95, (plan, result.groundedness.unsupported)


def test_united_states_places_get_fahrenheit_and_mph_converted_from_the_tool():
    messages = converse(make_plan(location_ids=("chicago-il-us",)))
    current = tool_outputs(messages)[-1]["current"]
    answer = answers(messages)[-1]
    assert f"{round(current['temperature_2m'] * 9 / 5 + 32)} °F ({round(current['temperature_2m'])} °C)" in answer
    assert f"{round(current['wind_speed_10m'] / 1.609344)} mph" in answer and "km/h" not in answer


def test_tool_calls_are_the_same_in_every_voice():
    for plan in build_plans(RunConfig(count=40, seed=8)):
        structures = {json.dumps([m.get("tool_calls") for m in converse(replace(plan, persona=persona))])
                      for persona in PERSONAS}
        assert len(structures) == 1, plan


def test_call_ids_are_openai_style_and_unique_in_a_conversation():
    messages = converse(make_plan(intent="compare", location_ids=("tromso-no", "lima-pe"), follow_ups=("tomorrow",)))
    ids = [call["id"] for m in messages for call in m.get("tool_calls") or ()]
    assert len(ids) == len(set(ids)) == 5
    assert all(re.fullmatch(r"call_[0-9a-f]{24}", call_id) for call_id in ids)


def test_same_seeds_same_conversation_other_backend_seed_other_words():
    plan = make_plan(intent="forecast", days=4, follow_ups=("umbrella",), persona="twain")
    assert converse(plan, seed=3) == converse(plan, seed=3)
    others = {answers(converse(plan, seed=seed))[0] for seed in range(5)}
    assert len(others) > 1


def test_the_backend_speaks_the_interface_and_counts_its_calls():
    backend, plan = OfflineBackend(seed=2), make_plan()
    assert (backend.name, backend.model, backend.sdk_version) == ("offline", "weathervane-offline-1", None)
    text = asyncio.run(backend.user_turn(UserTurnRequest(plan=plan, turn=0, messages=[], brief="")))
    turn = asyncio.run(backend.assistant_turn(TurnRequest(system="", messages=[{"role": "user", "content": text}],
                                                          tools=TOOL_SCHEMAS, plan=plan, step=0)))
    assert turn.text is None and turn.tool_calls[0].name == "get_current_weather"
    assert backend.metrics.snapshot()["calls"] == 1


# --- the voices -----------------------------------------------------------------------------------

_FACT_WORDS = re.compile(
    r"\b(?:rain\w*|drizzl\w*|shower\w*|snow\w*|sleet|hail|thunder\w*|storm\w*|fog|foggy|mists?|misty|cloud\w*|"
    r"overcast|sun|sunny|sunshine|sunlight|clear|freezing|degrees?|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday)\b|\d|%|°", re.I)


def template_text(template: str) -> str:
    return "".join(literal for literal, *_ in string.Formatter().parse(template))


_FIELDS = {"place", "temp", "sky", "feels", "humidity", "wind", "direction", "gusts", "day", "high", "low", "chance",
           "precip_noun", "n", "low_min", "high_max", "first_day", "last_day", "lines", "warmest_day", "coolest_day",
           "wet_days", "max_chance", "amount", "a", "b", "temp_a", "temp_b", "sky_a", "sky_b", "warmer", "cooler",
           "dry", "candidates", "suggestions", "query", "count", "limit", "requested", "reason", "wind_max",
           "windiest_day"}


def test_voices_share_slots_and_fields_and_their_own_words_state_no_weather():
    for voice, phrases in VOICES.items():
        assert set(phrases) == set(VOICES["neutral"]), voice
        for slot, templates in phrases.items():
            for template in templates:
                assert {f for _, f, _, _ in string.Formatter().parse(template) if f} <= _FIELDS, (voice, template)
                assert not _FACT_WORDS.search(template_text(template)), (voice, slot, template)


def sample_replies() -> list[Reply]:
    """One finished reply per kind of answer, read back from real offline conversations."""
    plans = [make_plan(), make_plan(intent="what_to_wear", location_ids=("chicago-il-us",)),
             make_plan(intent="forecast", days=6), make_plan(intent="trip", days=6, trip_start_offset=2),
             make_plan(intent="compare", location_ids=("tokyo-jp", "lima-pe")),
             make_plan(follow_ups=("tomorrow",)), make_plan(follow_ups=("umbrella",))]
    return [read(plan, converse(plan)[1:-1], backend_seed=0) for plan in plans]


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0]


@pytest.fixture(scope="module")
def replies() -> list[Reply]:
    return sample_replies()


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_voice_has_hundreds_of_distinct_openings(replies, persona):
    openings = {first_sentence(write_answer(replies[seed % len(replies)], persona, random.Random(seed)))
                for seed in range(1000)}
    assert len(openings) >= 300, len(openings)


_SIGNATURES = {
    "twain": re.compile(r"\b(?:I|me|my|sir|man|Providence|mercury|prophe\w*|honest|liars?|consult\w*)\b"),
    "franklin": re.compile(r"\b(?:prudent|prudence|wise|thrift\w*|friend|reader|almanac|ledger|account|"
                           r"cheap\w*|costs?|sav\w*|money|provide|daybook|glass|reckon\w*)\b", re.I),
}


def test_the_voices_differ_for_the_same_facts(replies):
    for seed, reply in enumerate(replies):
        texts = {persona: write_answer(reply, persona, random.Random(seed)) for persona in PERSONAS}
        assert len({first_sentence(text) for text in texts.values()}) == 3
    for persona, signature in _SIGNATURES.items():
        marked = sum(bool(signature.search(write_answer(replies[s % len(replies)], persona, random.Random(s))))
                     for s in range(200))
        plain = sum(bool(signature.search(write_answer(replies[s % len(replies)], "neutral", random.Random(s))))
                    for s in range(200))
        assert marked >= 150 and plain < marked / 3, (persona, marked, plain)


def test_an_answer_is_a_function_of_its_seed(replies):
    for persona in PERSONAS:
        assert write_answer(replies[2], persona, random.Random(9)) == write_answer(replies[2], persona,
                                                                                    random.Random(9))


# --- the simulated user -------------------------------------------------------------------------------

def test_first_messages_read_back_to_the_plan():
    for plan in build_plans(RunConfig(count=300, seed=4)):
        message = user_message(plan, 0, random.Random(plan.seed))
        today = plan.simulated_date
        if plan.intent in ("forecast", "trip"):
            assert forecast_days_for(message.text, today) == plan.days, message.text
        else:
            assert forecast_days_for(message.text, today) is None, message.text
        for place in message.places:
            found = geocode(place.city, place.country)
            if plan.error_kind == "unknown_city":
                assert found == [] and place.text in message.text
            elif plan.error_kind == "ambiguous_city":
                assert len(found) > 1
            else:
                narrowed = [loc for loc in found if not place.region or loc.admin1 == place.region]
                assert narrowed == [place.location], message.text


def test_every_template_but_the_empty_one_has_text_of_its_own():
    """The voices' picking relies on it: only the empty template can come out as an empty phrase."""
    for persona, phrases in VOICES.items():
        for slot, templates in phrases.items():
            for template in templates:
                assert not template or any(text for text, *_ in string.Formatter().parse(template)), \
                    (persona, slot, template)
