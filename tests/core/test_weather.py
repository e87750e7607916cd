"""The mock weather service: deterministic, climate- and season-true, physically consistent."""
import json
import math
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from statistics import mean
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import locations
from core.weather import CURRENT_UNITS, DAILY_UNITS, current_weather, forecast
from core.weather_codes import CONDITIONS, family, is_precipitation

HEADER_KEYS = {"latitude", "longitude", "elevation", "timezone", "timezone_abbreviation",
               "utc_offset_seconds", "location"}

# How far (degC) beyond the month's normal low / high a day may plausibly go, by climate group:
# snow-covered continental and polar winters have deep cold outbreaks; the tropics barely vary.
PLAUSIBLE_MARGIN_C = {
    "tropical": (5, 5), "arid": (10, 8), "highland": (8, 8),
    "temperate": (13, 10), "continental": (20, 10), "polar": (20, 10),
}


# ---------------------------------------------------------------------------
# Factories.

def utc(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local_time(place_id, year, month, day, hour, minute=0):
    """The UTC instant of a local wall-clock time at a known place."""
    zone = ZoneInfo(locations.BY_ID[place_id].timezone)
    return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(UTC)


def now_at(place_id, when, seed=7):
    place = locations.BY_ID[place_id]
    return current_weather(place.latitude, place.longitude, when=when, seed=seed)


def days_at(place_id, start, days=14, seed=7):
    place = locations.BY_ID[place_id]
    return forecast(place.latitude, place.longitude, days, start=start, seed=seed)


def days_in_month(year, month):
    return (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days


def month_of_days(place_id, year, month, seed):
    """Daily highs and lows for every day of a month (forecasts of at most 14 days each)."""
    highs, lows = [], []
    length = days_in_month(year, month)
    for first in range(1, length + 1, 14):
        daily = days_at(place_id, date(year, month, first), days=min(14, length - first + 1), seed=seed)["daily"]
        highs += daily["temperature_2m_max"]
        lows += daily["temperature_2m_min"]
    return highs, lows


def month_of_temperatures(place_id, year, month, seeds=range(4)):
    """Every 3-hourly current temperature and every daily high/low of a month, over several seeds."""
    temperatures = []
    for seed in seeds:
        highs, lows = month_of_days(place_id, year, month, seed)
        temperatures += highs + lows
        for day in range(1, days_in_month(year, month) + 1):
            for hour in range(0, 24, 3):
                current = now_at(place_id, local_time(place_id, year, month, day, hour), seed)["current"]
                temperatures.append(current["temperature_2m"])
    return temperatures


# ---------------------------------------------------------------------------
# What every response must satisfy.

def apparent_temperature(temperature, humidity, wind_kmh):
    vapour = humidity / 100 * 6.105 * math.exp(17.27 * temperature / (237.7 + temperature))
    return temperature + 0.33 * vapour - 0.70 * wind_kmh / 3.6 - 4.0


def assert_header(response, latitude, longitude):
    assert HEADER_KEYS <= set(response)
    assert response["latitude"] == round(latitude, 4)
    assert response["longitude"] == round(longitude, 4)
    ZoneInfo(response["timezone"])
    assert isinstance(response["utc_offset_seconds"], int)
    assert response["timezone_abbreviation"]
    if response["location"] is not None:
        assert set(response["location"]) == {"name", "country", "country_code", "distance_km"}
        assert 0 <= response["location"]["distance_km"] <= 150


def assert_consistent_current(response):
    now = response["current"]
    assert response["current_units"] == CURRENT_UNITS
    assert set(now) == set(CURRENT_UNITS)
    assert now["interval"] == 900
    datetime.strptime(now["time"], "%Y-%m-%dT%H:%M")
    code, temperature = now["weather_code"], now["temperature_2m"]
    assert now["condition"] == CONDITIONS[code]
    assert isinstance(now["relative_humidity_2m"], int) and 0 <= now["relative_humidity_2m"] <= 100
    assert isinstance(now["cloud_cover"], int) and 0 <= now["cloud_cover"] <= 100
    assert isinstance(now["wind_direction_10m"], int) and 0 <= now["wind_direction_10m"] <= 359
    assert 0 <= now["wind_speed_10m"] <= now["wind_gusts_10m"]
    assert now["is_day"] in (0, 1)
    assert 950 <= now["pressure_msl"] <= 1060
    assert now["precipitation"] >= 0 and 0 <= now["rain"] <= now["precipitation"] and now["snowfall"] >= 0
    assert is_precipitation(code) == (now["precipitation"] > 0)
    assert (family(code) == "snow") == (now["snowfall"] > 0)
    kind = family(code)
    if kind == "snow":
        assert temperature <= 0.5
    if kind == "freezing":
        assert -4 < temperature <= 1
    if kind in ("rain", "drizzle"):
        assert temperature > 0.5
    if kind == "thunderstorm":
        assert temperature >= 12
    if kind == "fog":
        assert now["relative_humidity_2m"] >= 95 and now["wind_speed_10m"] < 10
        assert now["cloud_cover"] >= 85
    if kind == "clear":
        assert now["cloud_cover"] < (20 if code == 0 else 45)
    if kind == "partly_cloudy":
        assert 45 <= now["cloud_cover"] < 85
    if kind == "cloudy":
        assert now["cloud_cover"] >= 85
    if is_precipitation(code):
        assert now["cloud_cover"] >= 60 and now["relative_humidity_2m"] >= 80
    expected = apparent_temperature(temperature, now["relative_humidity_2m"], now["wind_speed_10m"])
    assert now["apparent_temperature"] == pytest.approx(expected, abs=0.051)


def assert_consistent_daily(response, days):
    daily = response["daily"]
    assert response["daily_units"] == DAILY_UNITS
    assert set(daily) == set(DAILY_UNITS)
    assert all(len(values) == days for values in daily.values())
    dates = [date.fromisoformat(text) for text in daily["time"]]
    assert all(later - earlier == timedelta(days=1) for earlier, later in pairwise(dates))
    for i in range(days):
        code = daily["weather_code"][i]
        high, low = daily["temperature_2m_max"][i], daily["temperature_2m_min"][i]
        wet = daily["precipitation_sum"][i] > 0
        assert daily["condition"][i] == CONDITIONS[code]
        assert high >= low
        assert is_precipitation(code) == wet
        assert (daily["precipitation_probability_max"][i] >= 50) == wet
        assert 0 <= daily["precipitation_probability_max"][i] <= 100
        assert daily["wind_speed_10m_max"][i] >= 0
        assert 0 <= daily["wind_direction_10m_dominant"][i] <= 359
        if family(code) == "snow":
            assert low <= 0.5
        if family(code) == "thunderstorm":
            assert high >= 12


def plausible_band(response, month):
    """(coldest, warmest) a temperature may be for the response's reference climate in `month`."""
    if response["location"] is None:
        return -80.0, 45.0
    place, _ = locations.nearest(response["latitude"], response["longitude"])
    months = [(month - 2) % 12, month - 1, month % 12]
    cold, warm = PLAUSIBLE_MARGIN_C[place.climate_group]
    return (min(place.monthly_low_c[m] for m in months) - cold,
            max(place.monthly_high_c[m] for m in months) + warm)


# ---------------------------------------------------------------------------
# Shape.

def test_current_weather_has_the_open_meteo_shape():
    response = now_at("oslo-no", utc(2026, 3, 14, 10, 7))
    assert_header(response, 59.9139, 10.7522)
    assert_consistent_current(response)
    assert response["current"]["time"] == "2026-03-14T11:00"  # 10:07 UTC is 11:07 in Oslo, in a 15-minute slot
    assert response["location"] == {"name": "Oslo", "country": "Norway", "country_code": "NO", "distance_km": 0.0}
    assert response["timezone"] == "Europe/Oslo"


def test_forecast_has_exactly_the_days_asked_for_with_real_consecutive_dates():
    for days in (1, 7, 14):
        response = days_at("oslo-no", date(2026, 2, 25), days=days)
        assert_consistent_daily(response, days)
        assert response["daily"]["time"][:3] == ["2026-02-25", "2026-02-26", "2026-02-27"][:days]


def test_forecast_starts_on_the_local_date_of_when():
    place = locations.BY_ID["auckland-nz"]
    response = forecast(place.latitude, place.longitude, 3, when=utc(2026, 3, 14, 20), seed=1)
    assert response["daily"]["time"][0] == "2026-03-15"  # 09:00 next morning in Auckland


def test_units_are_metric_like_open_meteo():
    assert CURRENT_UNITS["temperature_2m"] == "°C"
    assert CURRENT_UNITS["wind_speed_10m"] == "km/h"
    assert CURRENT_UNITS["snowfall"] == "cm"
    assert CURRENT_UNITS["pressure_msl"] == "hPa"
    assert CURRENT_UNITS["weather_code"] == DAILY_UNITS["weather_code"] == "wmo code"
    assert DAILY_UNITS["precipitation_sum"] == "mm"


# ---------------------------------------------------------------------------
# Time zones and the sun.

@pytest.mark.parametrize("place_id, when, offset", [
    ("kathmandu-np", utc(2026, 1, 15), 20700),
    ("adelaide-sa-au", utc(2026, 1, 15), 37800),
    ("adelaide-sa-au", utc(2026, 7, 15), 34200),
    ("st-johns-nl-ca", utc(2026, 1, 15), -12600),
    ("st-johns-nl-ca", utc(2026, 7, 15), -9000),
])
def test_half_and_quarter_hour_zones_and_daylight_saving(place_id, when, offset):
    response = now_at(place_id, when)
    assert response["utc_offset_seconds"] == offset
    assert response["timezone_abbreviation"] == when.astimezone(ZoneInfo(response["timezone"])).tzname()


def test_kathmandu_local_time_is_five_forty_five_ahead():
    assert now_at("kathmandu-np", utc(2026, 3, 14, 10, 7))["current"]["time"] == "2026-03-14T15:45"


@pytest.mark.parametrize("place_id, month, day, hour, expected", [
    ("longyearbyen-no", 12, 15, 12, 0),   # polar night
    ("longyearbyen-no", 6, 15, 0, 1),     # midnight sun
    ("mcmurdo-station-aq", 12, 20, 0, 1),
    ("mcmurdo-station-aq", 6, 20, 12, 0),
    ("singapore-sg", 3, 14, 13, 1),
    ("singapore-sg", 3, 14, 2, 0),
    ("reykjavik-is", 12, 21, 10, 0),      # sunrise is after 11 at the winter solstice
    ("reykjavik-is", 12, 21, 13, 1),
])
def test_is_day_follows_the_sun_for_the_latitude_and_date(place_id, month, day, hour, expected):
    response = now_at(place_id, local_time(place_id, 2026, month, day, hour))
    assert response["current"]["is_day"] == expected


# ---------------------------------------------------------------------------
# Determinism.

def test_same_inputs_give_the_same_response():
    first = now_at("london-gb", utc(2026, 5, 2, 9))
    now_at("london-gb", utc(2026, 5, 2, 10), seed=99)
    assert now_at("london-gb", utc(2026, 5, 2, 9)) == first
    assert days_at("london-gb", date(2026, 5, 2)) == days_at("london-gb", date(2026, 5, 2))


def test_responses_do_not_depend_on_the_process_hash_seed():
    program = ("import json; from datetime import datetime, timezone; from core.weather import current_weather; "
               "print(json.dumps(current_weather(51.5, -0.12, when=datetime(2026, 5, 2, 9, tzinfo=timezone.utc), "
               "seed=3)))")
    outputs = {
        subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": "."}).stdout
        for hash_seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == current_weather(51.5, -0.12, when=utc(2026, 5, 2, 9), seed=3)


def test_different_seeds_give_different_weather():
    temperatures = {now_at("london-gb", utc(2026, 5, 2, 12), seed=seed)["current"]["temperature_2m"]
                    for seed in range(20)}
    assert len(temperatures) >= 10
    highs = {tuple(days_at("london-gb", date(2026, 5, 2), 5, seed=seed)["daily"]["temperature_2m_max"])
             for seed in range(20)}
    assert len(highs) == 20


# ---------------------------------------------------------------------------
# Climate and season.

def test_phoenix_in_july_stays_roughly_between_27_and_46_degrees():
    temperatures = month_of_temperatures("phoenix-az-us", 2026, 7)
    assert 25.0 <= min(temperatures) and max(temperatures) <= 46.0
    assert mean(temperatures) == pytest.approx(35.4, abs=1.5)


def test_moscow_in_january_stays_roughly_between_minus_25_and_0_degrees():
    temperatures = month_of_temperatures("moscow-ru", 2026, 1)
    assert -27.0 <= min(temperatures) and max(temperatures) <= 2.0
    assert mean(temperatures) == pytest.approx(-6.5, abs=1.5)


def test_southern_hemisphere_seasons_are_flipped():
    january = mean(high for seed in range(5) for high in month_of_days("sydney-nsw-au", 2026, 1, seed)[0])
    july = mean(high for seed in range(5) for high in month_of_days("sydney-nsw-au", 2026, 7, seed)[0])
    assert january - july > 6


def test_monthly_means_of_generated_highs_and_lows_match_the_normals():
    place = locations.BY_ID["berlin-de"]
    for month in (1, 4, 7, 10):
        highs, lows = [], []
        for seed in range(12):
            seed_highs, seed_lows = month_of_days("berlin-de", 2026, month, seed)
            highs += seed_highs
            lows += seed_lows
        assert mean(highs) == pytest.approx(place.monthly_high_c[month - 1], abs=1.2)
        assert mean(lows) == pytest.approx(place.monthly_low_c[month - 1], abs=1.2)


def test_snow_falls_in_a_moscow_winter_and_thunder_comes_in_summer_not_winter():
    winter = [code for seed in range(10) for code in days_at("moscow-ru", date(2026, 1, 5), seed=seed)["daily"]["weather_code"]]
    summer = [code for seed in range(10) for code in days_at("moscow-ru", date(2026, 7, 5), seed=seed)["daily"]["weather_code"]]
    assert any(family(code) == "snow" for code in winter)
    assert not any(family(code) in ("thunderstorm", "rain") for code in winter)
    assert any(family(code) == "thunderstorm" for code in summer)
    assert not any(family(code) in ("snow", "freezing") for code in summer)


def test_wet_climates_have_more_wet_days_than_deserts():
    def wet_share(place_id):
        sums = [mm for seed in range(10) for mm in days_at(place_id, date(2026, 1, 1), seed=seed)["daily"]["precipitation_sum"]]
        return sum(mm > 0 for mm in sums) / len(sums)
    assert wet_share("singapore-sg") > 0.3
    assert wet_share("cairo-eg") < 0.1


def test_consecutive_forecast_days_persist_more_than_independent_draws():
    series = [days_at("london-gb", date(2026, 4, 1), seed=seed)["daily"]["temperature_2m_max"] for seed in range(40)]
    persistent = mean(abs(s[i + 1] - s[i]) for s in series for i in range(13))
    independent = mean(abs(series[k + 1][i + 1] - series[k][i]) for k in range(39) for i in range(13))
    assert persistent < 0.8 * independent


def test_current_temperature_lies_within_that_days_forecast_range():
    for seed in range(5):
        for hour in range(0, 24, 2):
            when = local_time("denver-co-us", 2026, 10, 20, hour)
            current = now_at("denver-co-us", when, seed)["current"]["temperature_2m"]
            daily = days_at("denver-co-us", date(2026, 10, 20), days=1, seed=seed)["daily"]
            assert daily["temperature_2m_min"][0] <= current <= daily["temperature_2m_max"][0]


def test_diurnal_cycle_is_coldest_near_dawn_and_warmest_mid_afternoon():
    temperatures = {hour: now_at("cairo-eg", local_time("cairo-eg", 2026, 4, 10, hour))["current"]["temperature_2m"]
                    for hour in range(24)}
    assert min(temperatures, key=temperatures.get) == 6
    assert max(temperatures, key=temperatures.get) == 15


# ---------------------------------------------------------------------------
# Points that match no city.

def test_a_point_near_a_city_uses_that_citys_climate_and_says_how_far():
    response = current_weather(33.7, -112.3, when=utc(2026, 7, 1), seed=1)
    assert response["location"]["name"] == "Phoenix"
    assert 20 < response["location"]["distance_km"] < 50
    assert response["timezone"] == "America/Phoenix"


def test_open_ocean_falls_back_to_the_latitude_model_in_nautical_time():
    response = current_weather(-30.0, -140.0, when=utc(2026, 7, 1), seed=1)
    assert response["location"] is None
    assert response["timezone"] == "Etc/GMT+9" and response["utc_offset_seconds"] == -32400
    assert response["elevation"] == 0
    assert_consistent_current(response)


def test_latitude_model_is_warm_at_the_equator_cold_near_the_poles_and_flips_seasons():
    def high(latitude, month):
        return mean(forecast(latitude, -30.0, 14, start=date(2026, month, 1), seed=s)["daily"]["temperature_2m_max"][0]
                    for s in range(8))
    assert high(2.0, 1) > 24
    assert high(-60.0, 1) > high(-60.0, 7) + 4
    assert high(48.0, 8) > high(48.0, 2) + 4
    assert high(75.0, 1) < -5


def test_the_antimeridian_does_not_split_the_weather():
    east = forecast(-25.0, 179.9, 3, start=date(2026, 3, 1), seed=4)["daily"]
    west = forecast(-25.0, -179.9, 3, start=date(2026, 3, 1), seed=4)["daily"]
    assert east["temperature_2m_max"] == west["temperature_2m_max"]


# ---------------------------------------------------------------------------
# Bad input.

@pytest.mark.parametrize("latitude, longitude, code", [
    (91, 0, "out_of_range"), (0, -180.5, "out_of_range"), (float("nan"), 0, "invalid_parameter"),
    (True, 0, "invalid_parameter"), ("12", 0, "invalid_parameter"), (0, float("inf"), "invalid_parameter"),
])
def test_bad_coordinates_come_back_as_tool_errors(latitude, longitude, code):
    assert current_weather(latitude, longitude, when=utc(2026, 1, 1), seed=1)["error"]["code"] == code
    assert forecast(latitude, longitude, 3, when=utc(2026, 1, 1), seed=1)["error"]["code"] == code


@pytest.mark.parametrize("days, code", [(0, "out_of_range"), (15, "out_of_range"), (2.5, "invalid_parameter"),
                                        (True, "invalid_parameter")])
def test_bad_day_counts_come_back_as_tool_errors(days, code):
    error = forecast(10, 10, days, when=utc(2026, 1, 1), seed=1)["error"]
    assert error["code"] == code and "days" in error["message"]


def test_programming_errors_raise():
    with pytest.raises(ValueError, match="timezone-aware"):
        current_weather(0, 0, when=datetime(2026, 1, 1), seed=1)
    with pytest.raises(TypeError, match="start .* or when"):
        forecast(0, 0, 3, seed=1)


# ---------------------------------------------------------------------------
# Properties over random points, times and seeds.

near_a_city = st.builds(
    lambda place, dlat, dlon: (max(-90.0, min(90.0, place.latitude + dlat)),
                               (place.longitude + dlon + 180.0) % 360.0 - 180.0),
    st.sampled_from(locations.LOCATIONS), st.floats(-1, 1), st.floats(-1, 1))
anywhere = st.tuples(st.floats(-90, 90), st.floats(-180, 180))
points = st.one_of(near_a_city, anywhere)
instants = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31), timezones=st.just(UTC))
seeds = st.integers(0, 2**32)


@settings(max_examples=200, deadline=None)
@given(points, instants, seeds)
def test_every_current_response_is_complete_consistent_and_plausible(point, when, seed):
    response = current_weather(*point, when=when, seed=seed)
    assert_header(response, *point)
    assert_consistent_current(response)
    coldest, warmest = plausible_band(response, int(response["current"]["time"][5:7]))
    assert coldest <= response["current"]["temperature_2m"] <= warmest


@settings(max_examples=100, deadline=None)
@given(points, instants, seeds, st.integers(1, 14))
def test_every_forecast_is_complete_consistent_and_plausible(point, when, seed, days):
    response = forecast(*point, days, when=when, seed=seed)
    assert_header(response, *point)
    assert_consistent_daily(response, days)
    for day, high, low in zip(response["daily"]["time"], response["daily"]["temperature_2m_max"],
                              response["daily"]["temperature_2m_min"]):
        coldest, warmest = plausible_band(response, int(day[5:7]))
        assert coldest <= low <= high <= warmest


@settings(max_examples=100, deadline=None)
@given(st.floats(-50, 50), st.floats(-180, 180), instants)
def test_is_day_agrees_with_local_solar_time(latitude, longitude, when):
    solar_hour = (when.hour + when.minute / 60 + longitude / 15) % 24
    is_day = current_weather(latitude, longitude, when=when, seed=0)["current"]["is_day"]
    if abs(solar_hour - 12) < 2.5:
        assert is_day == 1
    if solar_hour < 2.5 or solar_hour > 21.5:
        assert is_day == 0


def test_a_caller_editing_a_response_cannot_change_later_responses():
    response = now_at("oslo-no", utc(2026, 3, 14))
    response["current_units"]["temperature_2m"] = "°F"
    response["location"]["name"] = "Bergen"
    assert now_at("oslo-no", utc(2026, 3, 14))["current_units"]["temperature_2m"] == "°C"
    assert now_at("oslo-no", utc(2026, 3, 14))["location"]["name"] == "Oslo"
