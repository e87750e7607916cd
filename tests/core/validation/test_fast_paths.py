"""The validators' fast paths say exactly what the slow, general ones say, on records good and broken."""
from __future__ import annotations

import copy
import dataclasses
import json
import random

import pytest

from core.validation.chat_format_validator import _diagnose, _plainly_well_formed, check_format
from core.json_codec import parse_json as loads
from tests.core.validation.factories import (current_record, error_record, forecast_output, forecast_record,
                                             multi_turn_record)

JSON_TEXTS = [
    '{"latitude": 59.91, "longitude": 10.75, "days": 3}', '{"a": 1, "a": 2}', "[1, 2.5, -0.0, 1e-400]",
    "NaN", "[Infinity, -Infinity]", "1e400", '"\\ud800"', '"\\ud83d\\ude00"', '"°C and é"',
    "123456789012345678901234567890", "18446744073709551616", "-9223372036854775809", "12345678901234567.5",
    "\ufeff{}", '{"a": 1,}', "[1,]", "01", "{bad json", "", " ", '"a\tb"', '{"a": 1} x', "[" * 50 + "]" * 50,
]


@pytest.mark.parametrize("text", JSON_TEXTS)
def test_loads_gives_json_loads_value_and_error(text):
    def outcome(parse):
        try:
            value = parse(text)
        except ValueError as error:
            return "error", str(error)
        return "value", repr(value), type(value).__name__

    assert outcome(loads) == outcome(json.loads)


def _variants(example: dict, rng: random.Random, count: int) -> list[dict]:
    """Copies of `example` with one or two structural changes each (keys, values, order, ids)."""
    values = [None, "", " ", "x", 0, 1, True, 1.0, [], {}, "system", "user", "assistant", "tool", "function",
              "get_forecast", "call_1", "{}"]
    keys = ["role", "content", "name", "tool_calls", "weight", "tool_call_id", "id", "type", "function",
            "arguments", "extra"]
    variants = []
    for _ in range(count):
        variant = copy.deepcopy(example)
        for _ in range(rng.randint(1, 2)):
            containers = _containers(variant["messages"], [variant["messages"]])
            target = rng.choice(containers)
            if isinstance(target, dict):
                key = rng.choice(list(target) + keys)
                if rng.random() < 0.3 and key in target:
                    del target[key]
                else:
                    target[key] = copy.deepcopy(rng.choice(values))
            elif target:
                i, j = rng.randrange(len(target)), rng.randrange(len(target))
                if rng.random() < 0.5:
                    target[i], target[j] = target[j], target[i]
                else:
                    target.insert(i, copy.deepcopy(target[j]))
        if rng.random() < 0.1:
            variant["parallel_tool_calls"] = rng.choice([True, False, None, "no"])
        variants.append(variant)
    return variants


def _containers(value: object, found: list) -> list:
    for child in value.values() if isinstance(value, dict) else value if isinstance(value, list) else ():
        if isinstance(child, (dict, list)):
            found.append(child)
            _containers(child, found)
    return found


EXAMPLES = [current_record(), forecast_record(), error_record(), multi_turn_record(("And tomorrow?", "Dry."))]


@pytest.mark.parametrize("example", EXAMPLES, ids=["current", "forecast", "error", "multi_turn"])
def test_the_format_fast_path_never_passes_a_record_the_rules_fail(example):
    rng = random.Random(5)
    passed = 0
    for variant in _variants(example, rng, 400):
        if _plainly_well_formed(variant, variant["messages"]):
            passed += 1
            assert _diagnose(variant, variant["messages"]) == []
        assert check_format(variant) == _diagnose(variant, variant["messages"])
    assert passed  # some changes (a name, an unchecked value) leave the record well-formed



@pytest.mark.parametrize("text", [
    "Sorry, I couldn't find that place.", "SORRY", "I CAN'T reach the service", "We’re unable to help.",
    "Es tut mir leid, ÜBER 20 °C – no luck", "the ſervice is buſy", "\u0130SSUE", "an ıssue", "a wee\u212a limit",
    "Here is the forecast: 12 °C and sunny.", "Which one did you mean — Paris, TX or Paris, FR?", "unsorry", ""])
def test_the_acknowledgement_check_on_lowered_text_says_what_ignorecase_says(text):
    from core.validation.semantic_validator import _ACKNOWLEDGES, _acknowledges
    assert _acknowledges(text) == bool(_ACKNOWLEDGES[0].search(text))


def _forecast_variants(rng: random.Random, count: int) -> list[dict]:
    """Forecast outputs with one or two days changed: temperatures scaled, shifted, swapped or not numbers,
    codes unknown or at odds with the temperature, conditions, units, dates and points changed."""
    temperatures = [-60.0, -30, -11, -10.5, -9, -8.0, 0, 5.0, 5.5, 6.0, 6.5, 30, 45.5, 70.0, float("nan"),
                    float("inf"), None, True, "3"]
    codes = [0, 3, 51, 61, 66, 71, 75, 86, 95, 99, 999, -1, True, 3.0, "3", None]
    variants = []
    for code in codes:  # every code at every temperature, on a day of its own
        for low in temperatures:
            variants.append(output := forecast_output())
            output["daily"]["weather_code"][2], output["daily"]["temperature_2m_min"][2] = code, low
            output["daily"]["temperature_2m_max"][2] = low + 1.5 if type(low) in (int, float) else low
    for _ in range(count):
        output = forecast_output()
        daily = output["daily"]
        for _ in range(rng.randint(1, 2)):
            day, change = rng.randrange(len(daily["time"])), rng.randrange(7)
            if change == 0:  # the temperatures, and maybe the code, of one day
                low = rng.choice(temperatures)
                daily["temperature_2m_min"][day] = low
                daily["temperature_2m_max"][day] = low + rng.choice([0, 1.5, 12]) if type(low) in (int, float) else low
                daily["weather_code"][day] = rng.choice([daily["weather_code"][day], *codes])
            elif change == 1:
                daily["weather_code"][day] = rng.choice(codes)
            elif change == 2:
                daily["condition"][day] = rng.choice(["clear sky", "snow", None, 3])
            elif change == 3:
                daily["temperature_2m_max"], daily["temperature_2m_min"] = (daily["temperature_2m_min"],
                                                                            daily["temperature_2m_max"])
            elif change == 4:
                output["daily_units"]["temperature_2m_max"] = rng.choice(["°F", "K", None])
            elif change == 5:
                daily["time"][day] = rng.choice(["2026-12-31", "2026-05-01", "2026-14-01", "tomorrow"])
            else:
                output.update(rng.choice([{"latitude": 1.35, "longitude": 103.82}, {"elevation": 2500},
                                          {"latitude": -77.8, "longitude": 166.7}, {"latitude": None}]))
        variants.append(output)
    return variants


def test_the_daily_fast_path_never_passes_a_forecast_the_per_day_checks_fail(monkeypatch):
    from core.validation import semantic_validator
    from core.validation.conversation import parse_conversation

    passed = 0
    for output in _forecast_variants(random.Random(11), 1500):
        exchange = parse_conversation(forecast_record()).exchanges[0]
        exchange = dataclasses.replace(exchange, response=output)
        fast = semantic_validator._check_output(exchange, None)
        with monkeypatch.context() as patched:
            patched.setattr(semantic_validator, "_days_plainly_fine", lambda *_: False)
            assert semantic_validator._check_output(exchange, None) == fast
        passed += not fast
    assert passed  # some changes leave the forecast plausible
