"""The mock weather service: Open-Meteo-shaped answers for any point, time and seed.

A point borrows the climate of the nearest known city within 150 km (so a
model's slightly different decimals still get that city's weather); farther
out, the maritime latitude model of `core.weather_model` answers and `location`
is null. Bad coordinates or day counts come back in the one tool error shape.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from core import locations
from core.json_codec import is_finite_number
from core.tool_errors import tool_error
from core.weather_codes import CONDITIONS
from core.weather_model import (
    Climate,
    day_slot,
    day_weather,
    hour_noise,
    hour_weather,
    is_daylight,
    latitude_climate,
    prepare_skew_biases,
    tenths,
)

REFERENCE_RADIUS_KM = 150.0
MAX_FORECAST_DAYS = 14
INTERVAL_SECONDS = 900

CURRENT_UNITS = {
    "time": "iso8601",
    "interval": "seconds",
    "temperature_2m": "°C",
    "relative_humidity_2m": "%",
    "apparent_temperature": "°C",
    "is_day": "",
    "precipitation": "mm",
    "rain": "mm",
    "snowfall": "cm",
    "weather_code": "wmo code",
    "condition": "",
    "cloud_cover": "%",
    "pressure_msl": "hPa",
    "wind_speed_10m": "km/h",
    "wind_direction_10m": "°",
    "wind_gusts_10m": "km/h",
}
DAILY_UNITS = {
    "time": "iso8601",
    "weather_code": "wmo code",
    "condition": "",
    "temperature_2m_max": "°C",
    "temperature_2m_min": "°C",
    "precipitation_sum": "mm",
    "precipitation_probability_max": "%",
    "wind_speed_10m_max": "km/h",
    "wind_direction_10m_dominant": "°",
}


@dataclass(frozen=True)
class _Reference:
    climate: Climate
    timezone: str
    zone: ZoneInfo
    location: tuple[tuple[str, object], ...] | None  # the header's `location`, frozen for the cache


def current_weather(latitude: float, longitude: float, *, when: datetime, seed: int) -> dict:
    """Conditions at the point for the 15-minute interval containing `when`."""
    problem = _invalid_point(latitude, longitude)
    if problem:
        return problem
    _require_aware(when)
    point = round(latitude, 4), round(longitude, 4)
    reference = _reference(*point)
    local = when.astimezone(reference.zone)
    minute = local.minute - local.minute % 15  # the start of the 15-minute interval
    ordinal, slot = local.toordinal(), day_slot(local.month, local.day)
    day = day_weather(reference.climate, seed, ordinal, slot)
    stamp = _iso_date(ordinal) + _CLOCK_TIMES[local.hour * 4 + minute // 15]
    hour = hour_weather(day, local.hour + minute / 60,
                        hour_noise(f"{round(latitude * 100)}|{round(longitude * 100)}|{seed}|{stamp}"))
    offset_seconds = int(local.utcoffset().total_seconds())
    utc_minutes = local.hour * 60 + minute - offset_seconds // 60
    return {
        **_header(point, reference, local.tzname(), offset_seconds),
        "current_units": dict(CURRENT_UNITS),
        "current": {
            "time": stamp,
            "interval": INTERVAL_SECONDS,
            "temperature_2m": hour.temperature_c,
            "relative_humidity_2m": hour.relative_humidity,
            "apparent_temperature": hour.apparent_temperature_c,
            "is_day": int(is_daylight(latitude, longitude, slot + 1, utc_minutes)),
            "precipitation": hour.precipitation_mm,
            "rain": hour.rain_mm,
            "snowfall": hour.snowfall_cm,
            "weather_code": hour.weather_code,
            "condition": CONDITIONS[hour.weather_code],
            "cloud_cover": hour.cloud_cover,
            "pressure_msl": hour.pressure_hpa,
            "wind_speed_10m": hour.wind_kmh,
            "wind_direction_10m": hour.wind_direction,
            "wind_gusts_10m": hour.gusts_kmh,
        },
    }


def forecast(latitude: float, longitude: float, days: int, *, start: date | None = None,
             when: datetime | None = None, seed: int) -> dict:
    """Daily forecast for `days` consecutive local dates from `start` (default: the local date of `when`)."""
    problem = _invalid_point(latitude, longitude) or _invalid_days(days)
    if problem:
        return problem
    if start is None and when is None:
        raise TypeError("forecast() needs start (day 1's local date) or when (an aware datetime)")
    point = round(latitude, 4), round(longitude, 4)
    reference = _reference(*point)
    if when is not None:
        _require_aware(when)
        local = when.astimezone(reference.zone)
    else:
        local = datetime(start.year, start.month, start.day, 12, tzinfo=reference.zone)
    first = (start or local.date()).toordinal()
    ordinals = range(first, first + days)
    dates = [date.fromordinal(ordinal) for ordinal in ordinals]
    weather = [day_weather(reference.climate, seed, ordinal, day_slot(d.month, d.day))
               for ordinal, d in zip(ordinals, dates)]
    return {
        **_header(point, reference, local.tzname(), int(local.utcoffset().total_seconds())),
        "daily_units": dict(DAILY_UNITS),
        "daily": {
            "time": [_iso_date(ordinal) for ordinal in ordinals],
            "weather_code": [w.weather_code for w in weather],
            "condition": [CONDITIONS[w.weather_code] for w in weather],
            "temperature_2m_max": [tenths(w.high_c) for w in weather],
            "temperature_2m_min": [tenths(w.low_c) for w in weather],
            "precipitation_sum": [w.precipitation_mm for w in weather],
            "precipitation_probability_max": [w.precipitation_probability for w in weather],
            "wind_speed_10m_max": [tenths(w.wind_max_kmh) for w in weather],
            "wind_direction_10m_dominant": [round(w.wind_direction) % 360 for w in weather],
        },
    }


def _header(point: tuple[float, float], reference: _Reference, abbreviation: str, offset_seconds: int) -> dict:
    return {
        "latitude": point[0],
        "longitude": point[1],
        "elevation": round(reference.climate.elevation_m),
        "timezone": reference.timezone,
        "timezone_abbreviation": abbreviation,
        "utc_offset_seconds": offset_seconds,
        "location": dict(reference.location) if reference.location else None,
    }


_CLOCK_TIMES = tuple(f"T{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(0, 60, 15))


@lru_cache(maxsize=4096)
def _iso_date(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


@lru_cache(maxsize=1 << 14)
def _reference(latitude: float, longitude: float) -> _Reference:
    place, distance_km = locations.nearest(latitude, longitude)
    if distance_km <= REFERENCE_RADIUS_KM:
        summary = (("name", place.name), ("country", place.country), ("country_code", place.country_code),
                   ("distance_km", round(distance_km, 1)))
        return _Reference(_city_climate(place.id), place.timezone, ZoneInfo(place.timezone), summary)
    cell_latitude = round(latitude)
    cell_longitude = round(longitude) if round(longitude) != 180 else -180
    zone = _nautical_zone(longitude)
    climate = _cell_climate(f"cell:{cell_latitude}:{cell_longitude}", cell_latitude)
    return _Reference(climate, zone, ZoneInfo(zone), None)


@cache
def _city_climate(location_id: str) -> Climate:
    place = locations.BY_ID[location_id]
    return Climate(
        key=place.id, latitude=place.latitude, elevation_m=place.elevation_m, group=place.climate_group,
        monthly_high_c=tuple(place.monthly_high_c), monthly_low_c=tuple(place.monthly_low_c),
        monthly_wet_days=tuple(place.monthly_wet_days),
    )


def prepare_city_climates() -> None:
    """Work out now what every city's weather shares (its climate's year), so that processes forked
    afterwards (core.generation_workers) inherit it instead of each working it out again (the
    cities' time zones are already held by core.locations)."""
    for location_id in locations.BY_ID:
        _city_climate(location_id).prepare()
    prepare_skew_biases()


@lru_cache(maxsize=2048)
def _cell_climate(key: str, latitude: int) -> Climate:
    return latitude_climate(key, float(latitude))


def _nautical_zone(longitude: float) -> str:
    """The sea's time zone: whole hours from Greenwich (IANA's Etc/GMT signs are inverted)."""
    offset = max(-12, min(12, round(longitude / 15)))
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def _invalid_point(latitude: object, longitude: object) -> dict | None:
    if type(latitude) is float and type(longitude) is float and -90 <= latitude <= 90 and -180 <= longitude <= 180:
        return None  # the common case, checked cheaply (NaN fails the comparisons)
    for name, value, bound in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if not is_finite_number(value):
            return tool_error("invalid_parameter", f"{name} must be a number in decimal degrees, got {value!r}")
        if not -bound <= value <= bound:
            return tool_error("out_of_range", f"{name} must be between -{bound} and {bound}, got {value}")
    return None


def _invalid_days(days: object) -> dict | None:
    if isinstance(days, bool) or not isinstance(days, int):
        return tool_error("invalid_parameter", f"days must be a whole number of days, got {days!r}")
    if not 1 <= days <= MAX_FORECAST_DAYS:
        return tool_error("out_of_range", f"days must be between 1 and {MAX_FORECAST_DAYS}, got {days}")
    return None


def _require_aware(when: datetime) -> None:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"when must be timezone-aware (e.g. tzinfo=timezone.utc), got naive {when.isoformat()}")
