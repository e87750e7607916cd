"""Weather answers flattened into facts: order, units, and what is left out (tool_outputs.weather_outputs)."""
from __future__ import annotations

import json
from datetime import date

from core.validation.conversation import parse_conversation
from core.validation.tool_outputs import weather_outputs
from tests.core.validation.factories import current_output, current_record, forecast_output, forecast_record


def _outputs(record: dict) -> list:
    return weather_outputs(parse_conversation(record))


def _with_output(record: dict, output: dict) -> dict:
    record["messages"][3]["content"] = json.dumps(output)
    return record


def test_current_facts_come_kind_by_kind_in_field_order_in_canonical_units():
    output = current_output(temperature=50.0, apparent=41.0, unit="°F")
    output["current"]["snowfall"] = 1.5  # cm
    (flat,) = _outputs(_with_output(current_record(), output))
    day = date(2026, 3, 14)
    assert list(flat.by_kind) == ["temperature", "humidity", "wind", "precipitation", "condition"]
    assert flat.by_kind["temperature"] == ((10.0, day, "temperature_2m", 0), (5.0, day, "apparent_temperature", 0))
    assert flat.by_kind["precipitation"] == ((0.3, day, "precipitation", 0), (0.3, day, "rain", 0),
                                             (15.0, day, "snowfall", 0))
    assert flat.by_kind["humidity"] == ((87.0, day, "relative_humidity_2m", 0),)
    assert (flat.place, flat.current, flat.dates, flat.today) == ("Oslo, NO", True, frozenset({day}), day)


def test_values_that_are_not_finite_numbers_or_known_codes_make_no_fact():
    output = current_output(code=51)
    output["current"].update(temperature_2m=float("nan"), apparent_temperature=True, relative_humidity_2m=None,
                             wind_speed_10m="12", wind_gusts_10m=float("inf"), weather_code=42)
    output["current_units"]["rain"] = "furlongs"  # unknown units are taken as canonical
    (flat,) = _outputs(_with_output(current_record(), output))
    assert list(flat.by_kind) == ["precipitation"]
    assert [fact[2] for fact in flat.by_kind["precipitation"]] == ["precipitation", "rain", "snowfall"]


def test_daily_columns_skip_bad_values_and_days_that_are_not_dates():
    output = forecast_output()
    daily = output["daily"]
    daily["time"][1] = "soon"
    daily["temperature_2m_max"] = [8.0, None, "6", 7]
    daily["weather_code"] = [61, 3.0, 42]
    daily["precipitation_probability_max"] = [80, False, 60]
    output["location"] = None
    (flat,) = _outputs(_with_output(forecast_record(), output))
    first, third = date(2026, 3, 14), date(2026, 3, 16)
    assert flat.by_kind["temperature"][:2] == ((8.0, first, "temperature_2m_max", 0),
                                               (1.0, first, "temperature_2m_min", 0))
    assert flat.by_kind["condition"] == ((61.0, first, "weather_code", 0), (3.0, None, "weather_code", 0))
    assert flat.by_kind["precipitation_chance"] == ((80.0, first, "precipitation_probability_max", 0),
                                                    (60.0, third, "precipitation_probability_max", 0))
    assert flat.dates == frozenset({first, third})
    assert (flat.place, flat.place_name, flat.current) == ("(59.91, 10.75)", None, False)


def test_dates_read_through_the_memo_are_the_dates_read_afresh(monkeypatch):
    from core.validation import tool_outputs

    texts = ["2026-03-14", "2026-03-14T09:00", "20260314", "2026-W11-6", "2026-02-30", "２０２６-03-14", "soon",
             None, 7, []]
    def afresh(text: object) -> date | None:
        try:
            return date.fromisoformat(text[:10]) if isinstance(text, str) and len(text) >= 10 else None
        except ValueError:
            return None

    monkeypatch.setattr(tool_outputs, "_DAYS_LIMIT", 3)
    for _ in range(3):  # a cold memo, a warm one, and one emptied when full
        for text in texts:
            assert tool_outputs.response_date(text) == afresh(text)
        assert tool_outputs.response_dates(["2026-03-14", "2026-03-15"]) == [date(2026, 3, 14), date(2026, 3, 15)]
        assert len(tool_outputs._DAYS) <= 3
    assert tool_outputs.response_dates(texts) == list(map(tool_outputs.response_date, texts))


def test_huge_ints_make_no_fact_and_large_ones_do():
    output = forecast_output()
    output["daily"]["precipitation_probability_max"] = [2 ** 1023, 10 ** 400, 2 ** 1024 - 2 ** 970]
    (flat,) = _outputs(_with_output(forecast_record(), output))
    assert [fact[0] for fact in flat.by_kind["precipitation_chance"]] == [float(2 ** 1023)]
