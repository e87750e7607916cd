"""Claim spotting: which words and numbers are weather claims, what they assert, and what is left alone."""
from __future__ import annotations

import re

import pytest

from core.validation import claim_patterns
from core.validation.claim_patterns import lowered, spot_conditions, spot_numeric


def numeric(text: str) -> list[tuple[str, str, float, float]]:
    """(kind, text, low, high) rounded to 0.1 for readability."""
    return [(spot.kind, text[spot.start:spot.end], round(spot.low, 1), round(spot.high, 1))
            for spot in spot_numeric(lowered(text))]


def conditions(text: str) -> list[tuple[str, str]]:
    return [(text[spot.start:spot.end], spot.polarity) for spot in spot_conditions(lowered(text))]


def test_a_temperature_carries_its_tolerance_in_celsius():
    assert numeric("It is 12 °C.") == [("temperature", "12", 10.5, 13.5)]
    assert numeric("It is 50 °F.") == [("temperature", "50", 8.5, 11.5)]


def test_bare_degrees_are_celsius_unless_the_text_names_fahrenheit():
    assert numeric("Highs of 20 degrees.")[0][2:] == (18.5, 21.5)
    assert numeric("In Fahrenheit: highs of 68 degrees.")[0][2:] == (18.5, 21.5)


def test_below_zero_makes_a_temperature_negative():
    assert numeric("It is 5 degrees below zero.") == [("temperature", "5", -6.5, -3.5)]


def test_comparisons_are_differences_not_temperatures():
    assert [kind for kind, *_ in numeric("Paris is 8 degrees warmer; it rose by 3 °C overnight.")] == [
        "temperature_difference", "temperature_difference"]


def test_a_range_gives_both_ends_the_unit():
    assert [(kind, text) for kind, text, *_ in numeric("Between 3 and 8 °C, winds 10-15 km/h, 60–70% humidity.")] == [
        ("temperature", "3"), ("temperature", "8"), ("wind", "10"), ("wind", "15"), ("humidity", "60"),
        ("humidity", "70")]


def test_a_number_without_a_weather_unit_is_no_claim():
    assert numeric("Here is your 7-day forecast for 2026-03-14, 3 days from the 12th.") == []


def test_percent_is_humidity_or_chance_by_the_nearest_keyword():
    assert [kind for kind, *_ in numeric("Humidity 80%, and a 30% chance of rain.")] == [
        "humidity", "precipitation_chance"]
    assert numeric("Cloud cover is 80%.") == []


@pytest.mark.parametrize("text, kilometres", [("10 mph", 16.1), ("5 m/s", 18.0), ("10 knots", 18.5),
                                              ("12 km/h", 12.0), ("12 kilometres per hour", 12.0),
                                              ("12 kilometers an hour", 12.0), ("5 metres per second", 18.0),
                                              ("10 miles an hour", 16.1)])
def test_wind_speeds_convert_to_kmh(text, kilometres):
    [(kind, _, low, high)] = numeric(text)
    assert kind == "wind" and round((low + high) / 2, 1) == kilometres


def test_precipitation_amounts_convert_to_mm():
    assert [(kind, round((low + high) / 2, 1)) for kind, _, low, high in numeric("2 cm of snow, 0.5 inches of rain")] \
        == [("precipitation", 20.0), ("precipitation", 12.7)]


def test_word_forms_of_conditions_and_their_look_alikes():
    assert [word for word, _ in conditions(
        "Rainy, then rainfall, drizzle, snowfall, thunderstorms, fog and overcast skies.")] == [
        "Rainy", "rainfall", "drizzle", "snowfall", "thunderstorms", "fog", "overcast"]
    assert conditions("A rainbow over Snowdonia, a brainstorm, a mistake, sunday brunch in Sunnyvale.") == []


def test_two_word_phrases_are_one_claim():
    assert conditions("Expect snow showers, then freezing rain.") == [("snow showers", "affirmed"),
                                                                      ("freezing rain", "affirmed")]


@pytest.mark.parametrize("text, polarity", [
    ("No rain today.", "negated"),
    ("We won't see any rain.", "negated"),
    ("A rain-free afternoon.", "negated"),
    ("There's little chance of rain.", "negated"),
    ("A chance of rain later.", "hedged"),
    ("Showers might develop.", "affirmed"),
    ("Scattered showers.", "hedged"),
    ("Slight rain this morning.", "affirmed"),
    ("Cold, but rain is coming.", "affirmed"),
])
def test_polarity_comes_from_the_words_before_in_the_same_clause(text, polarity):
    [(_, found)] = conditions(text)
    assert found == polarity


def test_clear_counts_only_when_it_describes_the_sky():
    assert [word for word, _ in conditions("Clear skies, mostly clear, and clear and cold tonight.")] == [
        "Clear", "clear", "clear"]
    assert conditions("Let me be clear. It's clear that you should go.") == []


def _required_literals(pattern: str) -> list[str]:
    """The runs of plain characters at the top level of `pattern`, which every match of it holds."""
    runs, run = [], ""
    for op, argument in re._parser.parse(pattern):
        if op is re._constants.LITERAL:
            run += chr(argument)
        else:
            runs.append(run)
            run = ""
    return [*runs, run]


def test_every_idiom_holds_the_piece_that_lets_a_window_be_searched_for_it():
    for pattern, piece in claim_patterns._IDIOMS.items():
        assert any(piece in run for run in _required_literals(pattern)), (pattern, piece)
    assert claim_patterns.IDIOM.pattern == "|".join(claim_patterns._IDIOMS)


@pytest.mark.parametrize("idiom", ["right as rain", "rain or shine", "a Rain-Check", "rained on my parade",
                                   "it never rains", "every cloud", "head in the clouds", "clouds his judgement",
                                   "steals their thunder", "fog of war", "a baby shower", "took a shower"])
def test_no_condition_is_spotted_in_an_idiom(idiom):
    assert conditions(f"Today: {idiom}.") == []
