"""The three weather tools: their schemas (written once), argument checks and the one dispatcher.

`TOOL_SCHEMAS` is the single source: the Anthropic form and the validators are
derived from it. `execute` is what the generation loop calls with a model's
raw arguments; every failure comes back as a tool error value, never raised.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.validators import extend

from core import locations, weather
from core.json_codec import encode_json, is_finite_number, parse_json
from core.tool_errors import SERVICE_FAULTS, tool_error

_LATITUDE = {
    "type": "number",
    "minimum": -90,
    "maximum": 90,
    "description": "Latitude in decimal degrees, -90 (South Pole) to 90 (North Pole); south is negative.",
}
_LONGITUDE = {
    "type": "number",
    "minimum": -180,
    "maximum": 180,
    "description": "Longitude in decimal degrees, -180 to 180; west of Greenwich is negative.",
}
_COORDINATES_HINT = (
    "Takes coordinates, not a place name: if you only know the place's name, call "
    "geocode_location first and use the latitude and longitude it returns."
)

TOOL_SCHEMAS: list[dict] = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": (
                "Get the weather right now at a point: temperature, feels-like temperature, humidity, "
                "precipitation, condition (WMO code and words), cloud cover, pressure, wind and gusts, "
                "and whether it is day or night, in metric units with the local time and time zone. "
                "Use it for questions about the present (\"Is it raining in Oslo?\", \"Do I need a coat "
                "now?\"). " + _COORDINATES_HINT
            ),
            "parameters": {
                "type": "object",
                "properties": {"latitude": _LATITUDE, "longitude": _LONGITUDE},
                "required": ["latitude", "longitude"],
                "additionalProperties": False,
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_forecast",
            "description": (
                "Get a daily forecast at a point for the next 1 to 14 days, starting today (local "
                "date): for each day the date, condition (WMO code and words), high and low "
                "temperature, precipitation total and chance, strongest wind and its direction. "
                "Use it for questions about later today, tomorrow, the weekend or a trip; ask for "
                "just enough days to cover the dates in question. " + _COORDINATES_HINT
            ),
            "parameters": {
                "type": "object",
                "properties": {
                    "latitude": _LATITUDE,
                    "longitude": _LONGITUDE,
                    "days": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 14,
                        "description": "Number of days to forecast, 1 (today only) to 14.",
                    },
                },
                "required": ["latitude", "longitude", "days"],
                "additionalProperties": False,
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "geocode_location",
            "description": (
                "Look up a place by name and get its coordinates, country, elevation and time zone. "
                "Call it before the weather tools whenever you do not already have the place's "
                "latitude and longitude. Several results mean the name is ambiguous (e.g. Paris, "
                "France and Paris, Texas): pick the one the user means or ask them. Matching ignores "
                "case and accents and knows common aliases (NYC)."
            ),
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 100,
                        "pattern": r"\S",
                        "description": "The place name, e.g. \"Springfield\" or \"São Paulo\".",
                    },
                    "country": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 100,
                        "pattern": r"\S",
                        "description": "Optional country name or ISO 3166 code to narrow the search, "
                                       "e.g. \"France\" or \"US\".",
                    },
                },
                "required": ["city"],
                "additionalProperties": False,
            },
        },
    },
]

# TOOL_SCHEMAS never changes after import (the tables below are derived from it once), so
# `core.output_writer.dumps_record` takes its JSON, most of a record's line, from here.
TOOL_SCHEMAS_JSON = encode_json(TOOL_SCHEMAS)
TOOL_NAMES: tuple[str, ...] = tuple(tool["function"]["name"] for tool in TOOL_SCHEMAS)
_PARAMETERS: dict[str, dict] = {tool["function"]["name"]: tool["function"]["parameters"] for tool in TOOL_SCHEMAS}


def anthropic_tools() -> list[dict]:
    """The same tools in Anthropic's form (`name`, `description`, `input_schema`)."""
    return [
        {"name": tool["function"]["name"], "description": tool["function"]["description"],
         "input_schema": tool["function"]["parameters"]}
        for tool in TOOL_SCHEMAS
    ]


def _is_finite_number(checker: object, instance: object) -> bool:
    """JSON numbers only: booleans, NaN, infinities and integers beyond the float range are not coordinates."""
    return is_finite_number(instance)


_Validator = extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("number", _is_finite_number),
)
_VALIDATORS = {name: _Validator(schema) for name, schema in _PARAMETERS.items()}

# Violation keyword -> error code `execute` reports (anything else is invalid_parameter).
_CODE_BY_KEYWORD = {"required": "missing_parameter", "minimum": "out_of_range", "maximum": "out_of_range"}
_CODE_PRIORITY = ("missing_parameter", "invalid_parameter", "out_of_range")


@dataclass(frozen=True)
class _Violation:
    code: str
    text: str


def validate_arguments(name: str, arguments: dict) -> list[str]:
    """Every problem with `arguments` for tool `name`, one readable line each (empty when valid)."""
    return [violation.text for violation in _violations(name, arguments)]


def _violations(name: str, arguments: object) -> list[_Violation]:
    validator = _VALIDATORS.get(name)
    if validator is None:
        return [_Violation("unknown_tool", f"unknown tool {name!r}; the tools are {', '.join(TOOL_NAMES)}")]
    if not isinstance(arguments, dict):
        return [_Violation("invalid_parameter",
                           f"arguments must be a JSON object, got {type(arguments).__name__}: {arguments!r}")]
    if _plainly_valid(name, arguments):
        return []
    order = list(_PARAMETERS[name]["properties"])
    # jsonschema reports `required` once per missing field; each report lists them all, hence the set.
    found = {pair for error in validator.iter_errors(arguments) for pair in _describe(error, name)}
    ranked = sorted(found, key=lambda pair: (order.index(pair[0]) if pair[0] in order else len(order), pair[1].text))
    return [violation for _, violation in ranked]


def _is_coordinate(value: object, bound: float) -> bool:
    return type(value) in (int, float) and -bound <= value <= bound  # NaN fails the comparison


def _is_place_name(value: object) -> bool:
    return type(value) is str and 0 < len(value) <= 100 and not value.isspace()


_PLACE_KEYS = frozenset({"city", "country"})
_POINT_KEYS = frozenset({"latitude", "longitude"})
_FORECAST_KEYS = _POINT_KEYS | {"days"}


def _plainly_valid(name: str, arguments: dict) -> bool:
    """True for arguments that clearly satisfy the schema (the calls models usually make), so
    jsonschema runs only on the others; False whenever in doubt, never for invalid ones."""
    if name == "geocode_location":
        return (arguments.keys() <= _PLACE_KEYS and _is_place_name(arguments.get("city"))
                and ("country" not in arguments or _is_place_name(arguments["country"])))
    keys = _FORECAST_KEYS if name == "get_forecast" else _POINT_KEYS
    return (arguments.keys() == keys and _is_coordinate(arguments["latitude"], 90)
            and _is_coordinate(arguments["longitude"], 180)
            and (name != "get_forecast" or (type(arguments["days"]) is int and 1 <= arguments["days"] <= 14)))


def _describe(error: ValidationError, name: str) -> list[tuple[str, _Violation]]:
    """(field, violation) pairs for one jsonschema error, worded for a model to act on."""
    allowed = ", ".join(_PARAMETERS[name]["properties"])
    if error.validator == "required":
        missing = [field for field in error.validator_value if field not in error.instance]
        return [(field, _Violation("missing_parameter", f"{field}: required argument is missing"))
                for field in missing]
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(_PARAMETERS[name]["properties"]), key=str)
        return [(str(field), _Violation("invalid_parameter", f"unexpected argument {field!r} (allowed: {allowed})"))
                for field in extra]
    field = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "pattern":
        message = "must contain a non-blank name"
    elif error.validator == "type" and isinstance(error.instance, float) and not math.isfinite(error.instance):
        message = f"{error.instance} is not a finite number"
    else:
        message = error.message
    code = _CODE_BY_KEYWORD.get(str(error.validator), "invalid_parameter")
    return [(field, _Violation(code, f"{field}: {message}"))]


@dataclass(frozen=True)
class ToolContext:
    """What a tool call cannot see in its arguments: the simulated now, the seed, an injected fault."""

    when: datetime
    seed: int
    fault: str | None = None

    def __post_init__(self) -> None:
        if self.when.tzinfo is None or self.when.utcoffset() is None:
            raise ValueError(f"ToolContext.when must be timezone-aware (UTC), got naive {self.when.isoformat()}")
        if self.fault is not None and self.fault not in SERVICE_FAULTS:
            raise ValueError(f"ToolContext.fault must be None or one of {sorted(SERVICE_FAULTS)}, got {self.fault!r}")


_RETRY_AFTER_SECONDS = (5, 10, 15, 30, 60)
_FAULT_MESSAGES = {
    "rate_limited": "Too many requests: the weather service's rate limit was exceeded. Retry after {retry} seconds.",
    "service_unavailable": "The weather service is temporarily unavailable (HTTP 503). Please try again later.",
    "timeout": "The weather service did not respond within 10 seconds. Please try again.",
}
_QUOTE_LIMIT = 200


def execute(name: str, arguments: dict | str, *, context: ToolContext) -> dict:
    """Run one tool call as a model sent it; the tool's JSON response, or the error shape."""
    if name not in _VALIDATORS:
        return tool_error("unknown_tool", _violations(name, {})[0].text)
    if context.fault is not None:
        return _fault(context)
    if isinstance(arguments, str):
        try:
            arguments = parse_json(arguments, parse_constant=_reject_constant)
        except ValueError as error:
            quoted = arguments if len(arguments) <= _QUOTE_LIMIT else arguments[:_QUOTE_LIMIT] + "…"
            return tool_error("invalid_parameter", f"arguments are not valid JSON ({error}): {quoted!r}")
    violations = _violations(name, arguments)
    if violations:
        code = next(code for code in _CODE_PRIORITY if any(v.code == code for v in violations))
        return tool_error(code, "; ".join(v.text for v in violations))
    if name == "get_current_weather":
        return weather.current_weather(arguments["latitude"], arguments["longitude"],
                                       when=context.when, seed=context.seed)
    if name == "get_forecast":
        return weather.forecast(arguments["latitude"], arguments["longitude"], int(arguments["days"]),
                                when=context.when, seed=context.seed)
    return _geocode(arguments["city"], arguments.get("country"))


def _reject_constant(constant: str) -> float:
    raise ValueError(f"{constant} is not a JSON number")


def _fault(context: ToolContext) -> dict:
    if context.fault == "rate_limited":
        retry = _RETRY_AFTER_SECONDS[context.seed % len(_RETRY_AFTER_SECONDS)]
        return tool_error("rate_limited", _FAULT_MESSAGES["rate_limited"].format(retry=retry),
                          retry_after_seconds=retry)
    return tool_error(context.fault, _FAULT_MESSAGES[context.fault])


def _geocode(city: str, country: str | None) -> dict:
    matches = locations.geocode(city, country)
    if not matches:
        suggestions = locations.suggest(city)
        where = f" in {country!r}" if country else ""
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        return tool_error("location_not_found", f"No place named {city!r}{where} was found.{hint}",
                          suggestions=suggestions)
    return {
        "query": {"city": city, "country": country},
        "count": len(matches),
        "results": [
            {"name": place.name, "admin1": place.admin1, "country": place.country,
             "country_code": place.country_code, "latitude": place.latitude, "longitude": place.longitude,
             "elevation": place.elevation_m, "timezone": place.timezone, "population": place.population}
            for place in matches
        ],
    }
