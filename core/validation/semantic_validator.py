"""Does the conversation make sense as weather? Realistic outputs, fitting calls, coherent scenarios.

Realism is judged against the climate normals of the output's reference city for
the output's own month, with a generous margin: the mock service (and any real
API) must always pass, while 35 °C in Reykjavik in January must not.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from itertools import repeat

from core.date_phrases import caseless_patterns, caseless_subject, forecast_days_for
from core.json_codec import is_finite_number
from core.locations import EARTH_RADIUS_KM, LOCATIONS, ROUNDING_KM, Location, haversine_km, nearest
from core.tool_errors import is_error
from core.validation.conversation import Conversation, ToolExchange
from core.validation.findings import Finding, failure
from core.validation.groundedness import GroundednessResult
from core.validation.place_mentions import places_named
from core.validation.tool_outputs import CANONICAL_UNITS, WEATHER_TOOLS, response_date, response_dates, to_canonical
from core.weather_codes import CONDITIONS, family

# Beyond the mean high / mean low of the month and its neighbours. Cold outbreaks run deeper than
# heat waves (the mock reaches 15.5 °C below the mean low in continental winters, 6 °C above highs).
WARM_MARGIN_C = 12.0
COLD_MARGIN_C = 18.0
REFERENCE_RADIUS_KM = 150.0   # farther from any known city, only physical bounds apply
PHYSICAL_RANGE_C = (-90.0, 60.0)
LAPSE_RATE_C_PER_M = 0.0065
NEAR_PLACE_KM = 75.0          # a call's point must be this close to a place the conversation named
MAX_EXTRA_DAYS = 3            # a forecast may cover this many days beyond what was asked
MAX_FORECAST_DAYS = 14
MULTI_TURN_USER_TURNS = (2, 3)

# Physical consistency: snow/freezing precipitation need cold air, thunder and rain need some warmth.
SNOW_MAX_C = 6.0
FREEZING_MAX_C = 5.0
THUNDER_MIN_C = -10.0
RAIN_MIN_C = -8.0

# Per WMO code, the (lowest warmest, highest coldest) °C that `_check_consistency` lets pass.
_FAMILY_LIMITS = {"snow": (-math.inf, SNOW_MAX_C), "freezing": (-math.inf, FREEZING_MAX_C),
                  "thunderstorm": (THUNDER_MIN_C, math.inf), "rain": (RAIN_MIN_C, math.inf),
                  "drizzle": (RAIN_MIN_C, math.inf)}
_PLAUSIBLE_RANGE = {code: _FAMILY_LIMITS.get(family(code), (-math.inf, math.inf)) for code in CONDITIONS}
_AS_IS = (None, CANONICAL_UNITS["temperature"])  # temperature units `to_canonical` leaves alone

_PERCENT_FIELDS = ("relative_humidity_2m", "cloud_cover", "precipitation_probability_max")
_NON_NEGATIVE_FIELDS = ("precipitation", "rain", "snowfall", "precipitation_sum", "wind_speed_10m",
                        "wind_gusts_10m", "wind_speed_10m_max")
_DIRECTION_FIELDS = ("wind_direction_10m", "wind_direction_10m_dominant")
_BOUNDS: dict[str, tuple[float, float]] = {
    **{name: (0.0, 100.0) for name in _PERCENT_FIELDS},
    **{name: (0.0, 500.0) for name in _NON_NEGATIVE_FIELDS},
    **{name: (0.0, 360.0) for name in _DIRECTION_FIELDS},
}
_EXPECTED_BLOCK = {"get_current_weather": "current", "get_forecast": "daily", "geocode_location": "results"}
_DAILY_ARRAYS = ("time", "weather_code", "temperature_2m_max", "temperature_2m_min")

_LOCATION_BY_LABEL: dict[str, Location] = {location.label: location for location in LOCATIONS}
_LABELS: dict[str, str] = {location.id: location.label for location in LOCATIONS}
_ACKNOWLEDGES = caseless_patterns(
    r"\b(?:sorry|apolog\w*|unfortunately|regret\w*|afraid|can(?:no|')?t|could(?:n't| not)|unable|"
    r"not (?:able|found|find|recogni[sz]\w*|available|sure which|valid)|no (?:such|place|city|town|results?|luck)|"
    r"didn't (?:work|find|recogni[sz]e|go through)|(?:which|what) (?:one|city|town|place|state|country|region)|"
    r"did you mean|clarify|specify|error|trouble|problem|issue|hiccup|unavailable|busy|rate[- ]limit\w*|"
    r"timed? ?out|fail\w*|try again|retry|limit\w*|maximum|only (?:goes|covers|provide|forecast|reach)\w*|"
    r"invalid|out of range|isn't (?:valid|available|possible))\b")


_KM_PER_DEGREE = math.radians(EARTH_RADIUS_KM)
# Per place and month, the coldest mean low and warmest mean high of that month and its neighbours.
_BLENDED_NORMALS: dict[str, tuple[tuple[float, float], ...]] = {
    location.id: tuple((min(location.monthly_low_c[month - 1], location.monthly_low_c[month],
                            location.monthly_low_c[(month + 1) % 12]),
                        max(location.monthly_high_c[month - 1], location.monthly_high_c[month],
                            location.monthly_high_c[(month + 1) % 12])) for month in range(12))
    for location in LOCATIONS}
_PHYSICAL_BOUNDS: tuple[float, float, None] = (*PHYSICAL_RANGE_C, None)


@lru_cache(maxsize=4096)
def _reference(latitude: float, longitude: float) -> tuple[Location, float]:
    """The city nearest the point to 0.01°, cached by the point as given: rounding costs as much as the lookup."""
    return nearest(round(latitude, 2), round(longitude, 2))


@lru_cache(maxsize=256)
def _bounded_fields(names: tuple[str, ...]) -> tuple[tuple[str, float, float], ...]:
    """(name, low, high) of the fields among `names` that `_BOUNDS` limits, in its order: a tool's outputs
    share one set of names, so a block's fields are looked up once, not each of `_BOUNDS` in every block."""
    return tuple((name, low, high) for name, (low, high) in _BOUNDS.items() if name in names)


def check_semantics(conversation: Conversation, groundedness: GroundednessResult) -> list[Finding]:
    findings: list[Finding] = []
    for exchange in conversation.exchanges:
        findings += _check_output(exchange, conversation.today)
    findings += _check_call_places(conversation)
    findings += _check_forecast_horizon(conversation)
    findings += _check_scenario(conversation, groundedness)
    return findings


# --- tool outputs -------------------------------------------------------------------------

def _check_output(exchange: ToolExchange, today: date | None) -> list[Finding]:
    if exchange.name not in _EXPECTED_BLOCK or exchange.response_index is None:
        return []

    def fail(rule: str, reason: str) -> Finding:
        return failure("semantic", rule, f"{exchange.name} output in message {exchange.response_index}: {reason}",
                       exchange.response_index, exchange.call_id)

    response = exchange.response
    if not isinstance(response, dict):
        return [fail("tool_output_not_json", "the tool message content is not a JSON object")]
    if is_error(response):
        return []
    block = _EXPECTED_BLOCK[exchange.name]
    expected_type = list if block == "results" else dict
    if not isinstance(response.get(block), expected_type):
        return [fail("response_shape", f"has no '{block}' block; is it the answer to another call?")]
    if block == "results":
        return []
    if block == "current":
        return _check_current(response, fail)
    return _check_daily(response, exchange, today, fail)


def _check_current(response: dict, fail) -> list[Finding]:
    current = response["current"]
    units = response.get("current_units") if isinstance(response.get("current_units"), dict) else {}
    findings = _check_ranges(current, fail)
    temperature = to_canonical(current.get("temperature_2m"), units.get("temperature_2m"))
    code = current.get("weather_code")
    when = response_date(current.get("time"))
    if temperature is None:
        return findings + [fail("missing_value", "current has no numeric temperature_2m")]
    if _fits_code(code, current.get("condition"), temperature, temperature):
        low_bound, high_bound, _ = _climate_bounds(response, when)
        if low_bound <= temperature <= high_bound:
            return findings  # the usual reading: nothing more to report
    findings += _check_code(code, current.get("condition"), fail)
    findings += _check_climate(response, temperature, temperature, when, fail)
    if _is_code(code):
        findings += _check_consistency(code, temperature, temperature, "now", fail)
    return findings


def _check_daily(response: dict, exchange: ToolExchange, today: date | None, fail) -> list[Finding]:
    daily = response["daily"]
    units = response.get("daily_units") if isinstance(response.get("daily_units"), dict) else {}
    times = daily.get("time")
    for name in _DAILY_ARRAYS:
        if not isinstance(daily.get(name), list):
            return [fail("response_shape", f"daily needs the arrays {', '.join(_DAILY_ARRAYS)}")]
    if len({len(value) for value in daily.values() if isinstance(value, list)}) > 1:
        lengths = {name: len(value) for name, value in daily.items() if isinstance(value, list)}
        return [fail("response_shape", f"daily arrays differ in length: {lengths}")]
    findings = _check_ranges(daily, fail)
    days = exchange.arguments.get("days") if exchange.arguments else None
    if isinstance(days, int) and len(times) != days:
        findings.append(fail("forecast_length", f"has {len(times)} days but the call asked for {days}"))
    dates = response_dates(times)
    if None in dates:
        return findings + [fail("forecast_dates", f"daily.time has a value that is not an ISO date: {times}")]
    ordinals = list(map(date.toordinal, dates))
    if ordinals and ordinals != list(range(ordinals[0], ordinals[0] + len(ordinals))):
        findings.append(fail("forecast_dates", f"dates are not consecutive: {', '.join(times)}"))
    if today and dates and abs((dates[0] - today).days) > 1:
        findings.append(fail("forecast_dates", f"starts on {times[0]}, but the conversation's today is {today}"))
    if _days_plainly_fine(response, dates, units):
        return findings
    conditions = daily.get("condition") if isinstance(daily.get("condition"), list) else [None] * len(times)
    for day, when, code, condition, high, low in zip(times, dates, daily["weather_code"], conditions,
                                                     daily["temperature_2m_max"], daily["temperature_2m_min"]):
        def fail_day(rule: str, reason: str, day: str = day) -> Finding:
            return fail(rule, f"{day}: {reason}")

        findings += _check_code(code, condition, fail_day)
        high = to_canonical(high, units.get("temperature_2m_max"))
        low = to_canonical(low, units.get("temperature_2m_min"))
        if high is None or low is None:
            findings.append(fail_day("missing_value", "temperature_2m_max/min must be numbers"))
            continue
        if high < low:
            findings.append(fail_day("implausible_temperature", f"max {high:g} °C is below min {low:g} °C"))
        findings += _check_climate(response, high, low, when, fail_day)
        if _is_code(code):
            findings += _check_consistency(code, high, low, "that day", fail_day)
    return findings


def _days_plainly_fine(response: dict, dates: list[date], units: dict) -> bool:
    """True when no day of a forecast can fail the per-day checks (the usual forecast), judged in one pass
    without their calls; False whenever in doubt. Takes the columns as `_check_daily` has already shaped them."""
    if units.get("temperature_2m_max") not in _AS_IS or units.get("temperature_2m_min") not in _AS_IS:
        return False
    daily = response["daily"]
    conditions = daily.get("condition")
    climate = _climate_reference(response)
    month = low_bound = high_bound = None
    for when, high, low, code, condition in zip(dates, daily["temperature_2m_max"], daily["temperature_2m_min"],
                                                daily["weather_code"],
                                                conditions if isinstance(conditions, list) else repeat(None)):
        if not ((type(high) is float or type(high) is int) and (type(low) is float or type(low) is int)
                and high >= low and type(code) is int and code in CONDITIONS):  # >=: false for NaN
            return False
        min_warmest, max_coldest = _PLAUSIBLE_RANGE[code]
        if high < min_warmest or low > max_coldest or condition is not None and condition != CONDITIONS[code]:
            return False
        if when.month != month:
            month = when.month
            low_bound, high_bound, _ = _month_bounds(climate, month)
        if low < low_bound or high > high_bound:
            return False
    return True


def _check_ranges(block: dict, fail) -> list[Finding]:
    findings = []
    for name, low, high in _bounded_fields(tuple(block)):
        values = block[name]
        if (type(values) is float or type(values) is int) and low <= values <= high or values is None:
            continue  # the usual current value, judged before the general test below
        for value in values if isinstance(values, list) else [values]:
            if (type(value) is float or type(value) is int) and low <= value <= high or value is None:
                continue  # the usual daily value, likewise
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
                findings.append(fail("value_out_of_range", f"{name} {value!r} is outside {low:g}..{high:g}"))
                break
    return findings


def _is_code(code: object) -> bool:
    return isinstance(code, int) and not isinstance(code, bool) and code in CONDITIONS


def _check_code(code: object, condition: object, fail) -> list[Finding]:
    if not _is_code(code):
        return [fail("unknown_condition", f"weather_code {code!r} is not a known WMO code")]
    if condition is not None and condition != CONDITIONS[code]:
        return [fail("condition_mismatch", f"condition {condition!r} does not match weather_code {code} "
                     f"({CONDITIONS[code]!r})")]
    return []


def _fits_code(code: object, condition: object, warmest: float, coldest: float) -> bool:
    """True when `_check_code` and `_check_consistency` would both find nothing (the common case, cheaply)."""
    if type(code) is not int or code not in CONDITIONS or (condition is not None and condition != CONDITIONS[code]):
        return False
    min_warmest, max_coldest = _PLAUSIBLE_RANGE[code]
    return warmest >= min_warmest and coldest <= max_coldest


def _climate_bounds(response: dict, when: date | None) -> tuple[float, float, Location | None]:
    """(lowest, highest) plausible °C at the output's point on `when`, and the reference city they come
    from (None: only the physical range applies)."""
    return _month_bounds(_climate_reference(response), when.month) if when else _PHYSICAL_BOUNDS


def _climate_reference(response: dict) -> tuple[Location, float] | None:
    """The reference city of the output's point and the °C its normals shift by at the point's elevation;
    None when there is no point or no city near it. One per output, whatever months its days are in."""
    latitude, longitude = response.get("latitude"), response.get("longitude")
    if not _is_point(latitude, longitude):
        return None
    reference, distance = _reference(latitude, longitude)
    if distance > REFERENCE_RADIUS_KM:
        return None
    elevation = response.get("elevation")
    return reference, (elevation - reference.elevation_m) * LAPSE_RATE_C_PER_M if is_finite_number(elevation) else 0.0


def _month_bounds(climate: tuple[Location, float] | None, month: int) -> tuple[float, float, Location | None]:
    """`_climate_bounds` in `month` for the `_climate_reference` of an output."""
    if climate is None:
        return _PHYSICAL_BOUNDS
    reference, shift = climate
    coldest_normal, warmest_normal = _BLENDED_NORMALS[reference.id][month - 1]
    return coldest_normal - shift - COLD_MARGIN_C, warmest_normal - shift + WARM_MARGIN_C, reference


def _check_climate(response: dict, warmest: float, coldest: float, when: date | None, fail) -> list[Finding]:
    low_bound, high_bound, reference = _climate_bounds(response, when)
    if warmest > high_bound or coldest < low_bound:
        value = warmest if warmest > high_bound else coldest
        place = "anywhere on Earth" if reference is None else (
            f"{reference.label} in {when:%B} (normals {reference.monthly_low_c[when.month - 1]:g}.."
            f"{reference.monthly_high_c[when.month - 1]:g} °C)")
        return [fail("implausible_temperature", f"{value:g} °C ({value * 9 / 5 + 32:.0f} °F) is implausible for "
                     f"{place}; allowed {low_bound:.0f}..{high_bound:.0f} °C")]
    return []


def _check_consistency(code: int, warmest: float, coldest: float, when: str, fail) -> list[Finding]:
    kind = family(code)
    if kind == "snow" and coldest > SNOW_MAX_C:
        problem = f"snow ({CONDITIONS[code]}) while the coldest {when} is {coldest:g} °C"
    elif kind == "freezing" and coldest > FREEZING_MAX_C:
        problem = f"{CONDITIONS[code]} while the coldest {when} is {coldest:g} °C"
    elif kind == "thunderstorm" and warmest < THUNDER_MIN_C:
        problem = f"{CONDITIONS[code]} while the warmest {when} is {warmest:g} °C"
    elif kind in ("rain", "drizzle") and warmest < RAIN_MIN_C:
        problem = f"liquid {CONDITIONS[code]} while the warmest {when} is {warmest:g} °C"
    else:
        return []
    return [fail("inconsistent_condition", problem)]


def _is_point(latitude: object, longitude: object) -> bool:
    if type(latitude) is float and type(longitude) is float:  # most points: two plain floats, finite when in range
        return -90 <= latitude <= 90 and -180 <= longitude <= 180
    return (is_finite_number(latitude) and is_finite_number(longitude)
            and -90 <= latitude <= 90 and -180 <= longitude <= 180)


# --- calls against the request ------------------------------------------------------------

def _named_places(conversation: Conversation, before: int) -> Iterator[tuple[str, float, float]]:
    """(label, lat, lon) of every place the user or geocoding named before message `before`; the
    places at hand come first, the ones that must be read out of user texts last."""
    labels = conversation.metadata.get("locations")
    for label in labels if isinstance(labels, list) else []:
        location = _LOCATION_BY_LABEL.get(label) if isinstance(label, str) else None
        if location:
            yield label, location.latitude, location.longitude
    for exchange in conversation.exchanges:
        if exchange.name == "geocode_location" and exchange.succeeded and exchange.response_index is not None \
                and exchange.response_index < before and isinstance(exchange.response.get("results"), list):
            yield from ((f"{result.get('name')} (geocoded)", result["latitude"], result["longitude"])
                        for result in exchange.response["results"]
                        if isinstance(result, dict) and is_finite_number(result.get("latitude"))
                        and is_finite_number(result.get("longitude")))
    for index, text in conversation.user_texts:
        if index < before:
            for location, _ in places_named(text):
                yield _LABELS[location.id], location.latitude, location.longitude


def _too_far_from_named(conversation: Conversation, before: int, latitude: float,
                         longitude: float) -> tuple[float, str] | None:
    """(km, label) of the named place nearest the point when even that one is too far, else None.

    Stops at the first place near enough, which is usually one at hand, so user texts are rarely read.
    """
    nearest_place = None
    for label, lat, lon in _named_places(conversation, before):
        if _KM_PER_DEGREE * (abs(lat - latitude) + abs(lon - longitude)) <= NEAR_PLACE_KM - ROUNDING_KM:
            return None  # a path along the meridian, then the parallel, is longer than the great circle
        candidate = (haversine_km(latitude, longitude, lat, lon), label)
        if candidate[0] <= NEAR_PLACE_KM:
            return None
        if nearest_place is None or candidate < nearest_place:
            nearest_place = candidate
    return nearest_place


def _check_call_places(conversation: Conversation) -> list[Finding]:
    findings = []
    for exchange in conversation.exchanges:
        if exchange.name not in WEATHER_TOOLS or exchange.weight_zero or not exchange.arguments:
            continue
        latitude, longitude = exchange.arguments.get("latitude"), exchange.arguments.get("longitude")
        if not _is_point(latitude, longitude):
            continue
        too_far = _too_far_from_named(conversation, exchange.call_index, latitude, longitude)
        if too_far:
            distance, label = too_far
            findings.append(failure(
                "semantic", "location_mismatch",
                f"{exchange.name} call {exchange.call_id!r} asks for ({latitude}, {longitude}), {distance:,.0f} km "
                f"from the nearest place the conversation named ({label}); allowed {NEAR_PLACE_KM:g} km",
                exchange.call_index, exchange.call_id))
    return findings


def _check_forecast_horizon(conversation: Conversation) -> list[Finding]:
    today = conversation.today
    findings = []
    for exchange in conversation.exchanges:
        days = exchange.arguments.get("days") if exchange.arguments else None
        if exchange.name != "get_forecast" or exchange.weight_zero or not isinstance(days, int) or today is None:
            continue
        asked = next(((text, needed) for index, text in reversed(conversation.user_texts)
                      if index < exchange.call_index and (needed := forecast_days_for(text, today)) is not None),
                     None)
        if asked is None:
            continue
        text, needed = asked
        needed = min(needed, MAX_FORECAST_DAYS)
        if not needed <= days <= needed + MAX_EXTRA_DAYS:
            findings.append(failure(
                "semantic", "forecast_days_mismatch",
                f"get_forecast call {exchange.call_id!r} asks for {days} days, but the request "
                f"{_quote(text)} needs {needed} (today is {today:%A} {today}); use {needed}..."
                f"{min(needed + MAX_EXTRA_DAYS, MAX_FORECAST_DAYS)}", exchange.call_index, exchange.call_id))
    return findings


def _quote(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


# --- scenario coherence -------------------------------------------------------------------

def _check_scenario(conversation: Conversation, groundedness: GroundednessResult) -> list[Finding]:
    scenario = conversation.metadata.get("scenario")
    findings = []
    if scenario == "multi_turn":
        turns = len(conversation.user_texts)
        low, high = MULTI_TURN_USER_TURNS
        if not low <= turns <= high:
            findings.append(failure("semantic", "multi_turn_user_turns",
                                    f"a multi_turn record needs {low}–{high} user turns, this one has {turns}"))
    if scenario in ("success", "multi_turn") and not any(
            exchange.name in WEATHER_TOOLS and exchange.succeeded for exchange in conversation.exchanges):
        findings.append(failure("semantic", "no_weather_data",
                                f"a {scenario} record must get weather from a tool, but no weather call succeeded"))
    if scenario == "error":
        findings += _check_error_scenario(conversation, groundedness)
    return findings


def _acknowledges(text: str) -> bool:
    subject = caseless_subject(text)
    return bool(_ACKNOWLEDGES[0].search(text) if subject is None else _ACKNOWLEDGES[1].search(subject))


def _first_trouble(conversation: Conversation) -> ToolExchange | None:
    """The first tool error, or for an ambiguous-city error the geocode answer with several places."""
    ambiguous = conversation.metadata.get("error_kind") == "ambiguous_city"
    for exchange in conversation.exchanges:
        if exchange.errored:
            return exchange
        if ambiguous and exchange.name == "geocode_location" and exchange.succeeded \
                and isinstance(exchange.response.get("results"), list) and len(exchange.response["results"]) > 1:
            return exchange
    return None


def _check_error_scenario(conversation: Conversation, groundedness: GroundednessResult) -> list[Finding]:
    trouble = _first_trouble(conversation)
    if trouble is None or trouble.response_index is None:
        return [failure("semantic", "error_scenario_without_error",
                        "an error record needs a tool error (or, for ambiguous_city, a geocode answer with several "
                        "places), but every tool call succeeded")]
    after = trouble.response_index
    reply = next(((index, text) for index, text in conversation.assistant_texts if index > after), None)
    findings = []
    if reply and not _acknowledges(reply[1]):
        findings.append(failure("semantic", "error_not_acknowledged",
                                f"the answer after the tool error in message {after} does not acknowledge it "
                                f"(no apology, 'could not', 'which one', ...): {_quote(reply[1])}", reply[0]))
    invented = [claim for claim in groundedness.unsupported if claim.message_index > after]
    if invented:
        findings.append(failure("semantic", "error_answer_invents_weather",
                                "after the tool error the assistant states weather no tool returned: "
                                + ", ".join(repr(claim.text) for claim in invented), invented[0].message_index))
    return findings
