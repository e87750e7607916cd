"""Small builders for hand-made records in the DESIGN.md §2 format.

Tool outputs are written by hand (not by the mock service) so each test states
exactly the weather it relies on. Every builder returns fresh dicts, so a test
may corrupt what it gets without affecting others.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

from core.tools import TOOL_SCHEMAS
from core.weather_codes import CONDITIONS

OSLO = (59.9139, 10.7522)
REYKJAVIK = (64.1466, -21.9426)
PARIS = (48.8566, 2.3522)
TODAY = date(2026, 3, 14)  # a Saturday


def system(text: str = "You are a friendly weather assistant. Today is 2026-03-14.") -> dict:
    return {"role": "system", "content": text}


def user(text: str) -> dict:
    return {"role": "user", "content": text}


def answer(text: str) -> dict:
    return {"role": "assistant", "content": text}


def call(call_id: str, name: str, arguments: dict | str) -> dict:
    """A tool call; dict arguments are serialised as OpenAI requires, a str is used as given."""
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": text}}


def calls(*tool_calls: dict, weight: int | None = None, content: str | None = None) -> dict:
    message = {"role": "assistant", "content": content, "tool_calls": list(tool_calls)}
    if weight is not None:
        message["weight"] = weight
    return message


def tool(call_id: str, payload: dict) -> dict:
    return {"role": "tool", "tool_call_id": call_id, "content": json.dumps(payload)}


def error(code: str = "service_unavailable", message: str = "The weather service is unavailable.") -> dict:
    return {"error": {"code": code, "message": message}}


def _header(latitude: float, longitude: float, place: tuple[str, str, str] | None) -> dict:
    location = None if place is None else {"name": place[0], "country": place[1], "country_code": place[2],
                                           "distance_km": 0.4}
    return {"latitude": latitude, "longitude": longitude, "elevation": 20.0, "timezone": "Europe/Oslo",
            "timezone_abbreviation": "CET", "utc_offset_seconds": 3600, "location": location}


def current_output(*, at: tuple[float, float] = OSLO, place: tuple[str, str, str] | None = ("Oslo", "Norway", "NO"),
                   temperature: float = 4.2, apparent: float = 1.3, code: int = 51, humidity: int = 87,
                   wind: float = 12.0, gusts: float = 21.0, time: str = "2026-03-14T09:00",
                   unit: str = "°C") -> dict:
    return {**_header(*at, place),
            "current_units": {"time": "iso8601", "temperature_2m": unit, "apparent_temperature": unit,
                              "relative_humidity_2m": "%", "wind_speed_10m": "km/h", "wind_gusts_10m": "km/h",
                              "precipitation": "mm", "snowfall": "cm", "weather_code": "wmo code"},
            "current": {"time": time, "interval": 900, "temperature_2m": temperature,
                        "relative_humidity_2m": humidity, "apparent_temperature": apparent, "is_day": 1,
                        "precipitation": 0.3, "rain": 0.3, "snowfall": 0.0, "weather_code": code,
                        "condition": CONDITIONS[code], "cloud_cover": 90, "pressure_msl": 1008.0,
                        "wind_speed_10m": wind, "wind_direction_10m": 200, "wind_gusts_10m": gusts}}


def forecast_output(*, at: tuple[float, float] = OSLO, place: tuple[str, str, str] | None = ("Oslo", "Norway", "NO"),
                    start: date = TODAY, highs=(8.0, 10.5, 6.0), lows=(1.0, 3.5, -1.0), codes=(61, 3, 71),
                    chances=(80, 20, 60), winds=(18.0, 9.0, 25.0), sums=(4.2, 0.0, 2.5)) -> dict:
    days = len(highs)
    return {**_header(*at, place),
            "daily_units": {"time": "iso8601", "temperature_2m_max": "°C", "temperature_2m_min": "°C",
                            "precipitation_sum": "mm", "precipitation_probability_max": "%",
                            "wind_speed_10m_max": "km/h", "weather_code": "wmo code"},
            "daily": {"time": [(start + timedelta(days=n)).isoformat() for n in range(days)],
                      "weather_code": list(codes), "condition": [CONDITIONS[code] for code in codes],
                      "temperature_2m_max": list(highs), "temperature_2m_min": list(lows),
                      "precipitation_sum": list(sums), "precipitation_probability_max": list(chances),
                      "wind_speed_10m_max": list(winds), "wind_direction_10m_dominant": [180] * days}}


def geocode_output(*places: tuple[str, float, float, str]) -> dict:
    return {"query": {"city": places[0][0], "country": None}, "count": len(places),
            "results": [{"name": name, "admin1": None, "country": code, "country_code": code, "latitude": lat,
                         "longitude": lon, "elevation": 10.0, "timezone": "UTC", "population": 1000}
                        for name, lat, lon, code in places]}


def record(messages: list[dict], *, scenario: str = "success", locations: list[str] | None = None,
           simulated_date: date = TODAY, error_kind: str | None = None, record_id: str = "rec-1") -> dict:
    return {"id": record_id, "messages": messages, "tools": json.loads(json.dumps(TOOL_SCHEMAS)),
            "parallel_tool_calls": False,
            "tags": {"persona": "neutral", "tone": "neutral", "domain": ["weather", "tool_use"],
                     "source": "synthetic"},
            "metadata": {"scenario": scenario, "error_kind": error_kind,
                         "locations": ["Oslo, NO"] if locations is None else locations,
                         "simulated_date": simulated_date.isoformat(), "seed": 7, "index": 0, "attempts": 1}}


def single_call_record(name: str, arguments: dict | str, output: dict, *, question: str, text: str,
                       weight: int | None = None, **metadata) -> dict:
    """system, user question, one tool call, its output, the answer; `metadata` goes to `record`."""
    return record([system(), user(question), calls(call("call_1", name, arguments), weight=weight),
                   tool("call_1", output), answer(text)], **metadata)


def current_record(text: str = "Right now in Oslo it is 4.2 °C (feels like 1.3 °C) with light drizzle "
                               "and a 12 km/h breeze; humidity is 87%.",
                   *, question: str = "Is it jacket weather in Oslo right now?", **output) -> dict:
    """A success record: one current-weather call at Oslo answered by `text`."""
    return single_call_record("get_current_weather", {"latitude": OSLO[0], "longitude": OSLO[1]},
                              current_output(**output), question=question, text=text)


def forecast_record(text: str = "Saturday in Oslo brings slight rain, 1–8 °C with an 80% chance of rain; "
                                "Sunday is overcast at 3.5–10.5 °C; Monday turns to snow, -1 to 6 °C.",
                    *, question: str = "What's the weather in Oslo over the next 3 days?", days: int = 3,
                    **output) -> dict:
    return single_call_record("get_forecast", {"latitude": OSLO[0], "longitude": OSLO[1], "days": days},
                              forecast_output(**output), question=question, text=text)


def error_record(text: str = "Sorry, the weather service is unavailable right now, so I can't check Oslo. "
                             "Please try again in a few minutes.", *, payload: dict | None = None) -> dict:
    return record([system(), user("Is it raining in Oslo?"),
                   calls(call("call_1", "get_current_weather", {"latitude": OSLO[0], "longitude": OSLO[1]})),
                   tool("call_1", payload or error()), answer(text)],
                  scenario="error", error_kind="service_unavailable")


def multi_turn_record(*follow_ups: tuple[str, str]) -> dict:
    """A current-weather exchange followed by (user question, assistant answer) turns."""
    base = current_record()["messages"]
    for question, reply in follow_ups:
        base += [user(question), answer(reply)]
    return record(base, scenario="multi_turn")
