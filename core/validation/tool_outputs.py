"""Weather tool outputs flattened into comparable facts (°C, km/h, %, mm), once per record.

Both the realism check and the groundedness check read numbers out of tool
answers; converting units and dates here keeps them agreeing on what a tool said.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.json_codec import is_finite_number
from core.validation.conversation import Conversation
from core.weather_codes import CONDITIONS

WEATHER_TOOLS = frozenset({"get_current_weather", "get_forecast"})

# Fact kinds and the response fields (current, daily) that feed them.
_CURRENT_FIELDS = {
    "temperature_2m": "temperature", "apparent_temperature": "temperature",
    "relative_humidity_2m": "humidity",
    "wind_speed_10m": "wind", "wind_gusts_10m": "wind",
    "precipitation": "precipitation", "rain": "precipitation", "snowfall": "precipitation",
    "weather_code": "condition",
}
_DAILY_FIELDS = {
    "temperature_2m_max": "temperature", "temperature_2m_min": "temperature",
    "apparent_temperature_max": "temperature", "apparent_temperature_min": "temperature",
    "precipitation_sum": "precipitation", "snowfall_sum": "precipitation",
    "precipitation_probability_max": "precipitation_chance",
    "wind_speed_10m_max": "wind", "wind_gusts_10m_max": "wind",
    "weather_code": "condition",
}
_DEFAULT_UNITS = {"temperature": "°C", "wind": "km/h", "precipitation": "mm", "humidity": "%",
                  "precipitation_chance": "%", "condition": "wmo code"}
_TO_CANONICAL = {
    "°F": lambda value: (value - 32.0) * 5.0 / 9.0, "fahrenheit": lambda value: (value - 32.0) * 5.0 / 9.0,
    "mph": lambda value: value * 1.609344, "m/s": lambda value: value * 3.6, "ms": lambda value: value * 3.6,
    "kn": lambda value: value * 1.852, "knots": lambda value: value * 1.852,
    "cm": lambda value: value * 10.0, "inch": lambda value: value * 25.4, "in": lambda value: value * 25.4,
}


def _by_kind(fields: dict[str, str]) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """(kind, ((field, default unit), ...)) in field order. A kind's fields sit together in the tables
    above, so facts gathered kind by kind come in field order and kinds enter `by_kind` as they always did."""
    columns: dict[str, list[tuple[str, str]]] = {}
    for field, kind in fields.items():
        columns.setdefault(kind, []).append((field, _DEFAULT_UNITS[kind]))
    return tuple((kind, tuple(group)) for kind, group in columns.items())


_CURRENT_KINDS = _by_kind(_CURRENT_FIELDS)
_DAILY_KINDS = _by_kind(_DAILY_FIELDS)
CANONICAL_UNITS = {"temperature": "°C", "wind": "km/h", "precipitation": "mm", "humidity": "%",
                   "precipitation_chance": "%"}


# One value a tool returned, in canonical units (a WMO code for conditions): (value, day, field, output
# ordinal). A plain tuple: a record has a hundred or more and only the unsupported claims describe one.
Fact = tuple[float, "date | None", str, int]


@dataclass
class WeatherOutput:
    """A successful weather answer: where, which days, what it said, and when it entered the conversation.

    Not frozen (like conversation.ToolExchange): it holds a dict, so it was never hashable, and a frozen
    dataclass is built several times slower. Treat it as read-only. Not slotted: tool_outputs.pxd makes it
    a C struct (see core/compiled_modules.py).
    """

    ordinal: int
    message_index: int
    latitude: float
    longitude: float
    place: str
    place_name: str | None
    current: bool
    dates: frozenset[date]
    by_kind: dict[str, tuple[Fact, ...]]

    @property
    def today(self) -> date | None:
        """The output's local today: the current reading's date, or a forecast's first day."""
        return min(self.dates) if self.dates else None


def to_canonical(value: object, unit: object) -> float | None:
    """A tool value in canonical units (°C, km/h, mm), or None when it is not a finite number."""
    if not is_finite_number(value):
        return None
    convert = _TO_CANONICAL.get(unit) if isinstance(unit, str) else None
    return float(convert(value)) if convert else float(value)


def response_date(text: object) -> date | None:
    """The date of an ISO date or date-time string (`2026-03-14` or `2026-03-14T09:00`)."""
    if not isinstance(text, str) or len(text) < 10:
        return None
    key = text[:10]
    day = _DAYS.get(key)
    if day is None:
        try:
            day = date.fromisoformat(key)
        except ValueError:
            return None
        if len(_DAYS) >= _DAYS_LIMIT:
            _DAYS.clear()
        _DAYS[key] = day
    return day


def response_dates(values: list) -> list[date | None]:
    """`response_date` of each value; plain ISO dates seen before (the usual `daily.time`) read in one go."""
    try:
        return list(map(_DAYS.__getitem__, values))
    except (KeyError, TypeError):  # a date not seen yet, a date-time, or no string at all
        return list(map(response_date, values))


# The dates of the ISO date texts read so far: records repeat a few hundred days, and parsing one costs
# several times a look-up. Emptied when full, so odd input cannot grow it without end.
_DAYS: dict[str, date] = {}
_DAYS_LIMIT = 4096
# Any int closer to 0 than this is a finite float; is_finite_number judges the (absurd) rest.
_SURELY_FINITE_INT = 2 ** 1023


def weather_outputs(conversation: Conversation) -> list[WeatherOutput]:
    outputs: list[WeatherOutput] = []
    for exchange in conversation.exchanges:
        if exchange.name not in WEATHER_TOOLS or not exchange.succeeded or exchange.response_index is None:
            continue
        output = _flatten(exchange.response, len(outputs), exchange.response_index, exchange.arguments or {})
        if output:
            outputs.append(output)
    return outputs


def _flatten(response: dict, ordinal: int, message_index: int, arguments: dict) -> WeatherOutput | None:
    latitude = response.get("latitude", arguments.get("latitude"))
    longitude = response.get("longitude", arguments.get("longitude"))
    if not (_is_coordinate(latitude) and _is_coordinate(longitude)):
        return None
    current = response.get("current")
    daily = response.get("daily")
    by_kind: dict[str, tuple[Fact, ...]] = {}
    if isinstance(current, dict):
        units = response.get("current_units")
        if not isinstance(units, dict):
            units = {}
        day = response_date(current.get("time"))
        for kind, columns in _CURRENT_KINDS:
            facts = []
            for field, default_unit in columns:
                value = current.get(field)
                if type(value) is float:
                    if value - value:  # NaN for NaN and infinities, 0.0 for every other float
                        continue
                elif type(value) is not int or not (abs(value) < _SURELY_FINITE_INT or is_finite_number(value)):
                    continue
                if kind == "condition" and value not in CONDITIONS:
                    continue
                unit = units.get(field, default_unit)
                convert = kind != "condition" and unit != default_unit and _converter(unit)
                facts.append((float(convert(value)) if convert else float(value), day, field, ordinal))
            if facts:
                by_kind[kind] = tuple(facts)
        dates = frozenset([day] if day else [])
    elif isinstance(daily, dict) and isinstance(daily.get("time"), list):
        units = response.get("daily_units")
        if not isinstance(units, dict):
            units = {}
        days = response_dates(daily["time"])
        for kind, columns in _DAILY_KINDS:
            facts = []
            for field, default_unit in columns:
                values = daily.get(field)
                if not isinstance(values, list):
                    continue
                unit = units.get(field, default_unit)
                convert = kind != "condition" and unit != default_unit and _converter(unit)
                codes = CONDITIONS if kind == "condition" else None
                facts += [(float(convert(value)) if convert else float(value), day, field, ordinal)
                          for value, day in zip(values, days)
                          if (type(value) is float and value - value == 0
                              or type(value) is int and (abs(value) < _SURELY_FINITE_INT or is_finite_number(value)))
                          and (codes is None or value in codes)]
            if facts:
                by_kind[kind] = tuple(facts)
        dates = frozenset(filter(None, days))
    else:
        return None
    location = response.get("location")
    name = location.get("name") if isinstance(location, dict) else None
    if not isinstance(name, str):
        name = None
    place = f"{name}, {location.get('country_code')}" if name else f"({latitude:.2f}, {longitude:.2f})"
    return WeatherOutput(ordinal, message_index, float(latitude), float(longitude), place, name,
                         isinstance(current, dict), dates, by_kind)


def _is_coordinate(value: object) -> bool:
    """Any int or float, as ever (the semantic check judges the point), but an int that float() cannot take."""
    return isinstance(value, float) or isinstance(value, int) and (isinstance(value, bool) or is_finite_number(value))


def _converter(unit: object):
    """The conversion from a unit other than the field's default (every default unit is canonical)."""
    return _TO_CANONICAL.get(unit) if isinstance(unit, str) else None
