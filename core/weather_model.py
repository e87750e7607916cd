"""The physics of the mock weather: climate normals -> a day's weather -> the weather at an hour.

Everything is a pure function of a `Climate`, a seed and a date/time; the noise
comes from hashlib digests, so equal inputs give equal weather on any machine.
Day-level weather is keyed by the climate (a city or a 1-degree cell) so nearby
points share one synoptic situation, and temperature and wetness follow
persistent (AR(1)-like) series so consecutive days resemble each other.
"""
from __future__ import annotations

import bisect
import hashlib
import math
import operator
import struct
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache, reduce
from itertools import repeat
from statistics import NormalDist
from typing import NamedTuple

from core.weather_codes import is_snow, is_thunder

# Cumulative day counts of a leap year, so 29 February has its own slot in the normals tables.
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MONTH_START = tuple(sum(_MONTH_DAYS[:m]) for m in range(12))
_YEAR_DAYS = 366
_MID_MONTH = tuple(start + days / 2 for start, days in zip(_MONTH_START, _MONTH_DAYS))

# Day-to-day persistence of the temperature and wetness anomalies, and how many past
# days the moving sum reaches back.
_TEMP_PHI, _WET_PHI, _MEMORY = 0.75, 0.6, 8
_ANOMALY_LIMIT = 2.2  # soft limit in standard deviations: keeps every day inside the climate's band
_FORECAST_SHARPNESS = 0.45  # latent spread behind precipitation_probability_max


class _Traits(NamedTuple):
    """How a climate group's weather varies around its normals."""

    anomaly_sd: tuple[float, float]        # degC of the day-to-day anomaly: coldest, warmest season
    skew: float                            # kappa of _exp_skew in the coldest season
    cloudiness: float                      # dry-day cloud cover (0..1) before the wet-day share adds to it
    wet_day_mm: float                      # mean precipitation of a wet day
    convective: float                      # share of warm wet days that are showery ...
    thunder: float                         # ... and of those, the share that thunder
    dew_depression_c: tuple[float, float]  # range of (daily low - dew point) on dry days
    wind_kmh: float                        # mean wind


_GROUPS: dict[str, _Traits] = {
    "tropical": _Traits((1.0, 0.8), 0.0, 0.20, 14.0, 0.90, 0.70, (1.0, 5.0), 10.0),
    "arid": _Traits((2.5, 1.2), 0.2, 0.05, 5.0, 0.70, 0.50, (4.0, 20.0), 12.0),
    "temperate": _Traits((3.0, 2.2), 0.3, 0.20, 5.0, 0.45, 0.35, (0.2, 6.0), 15.0),
    "continental": _Traits((3.5, 2.3), 0.7, 0.20, 5.0, 0.60, 0.50, (0.2, 6.0), 13.0),
    "polar": _Traits((3.5, 1.5), 0.7, 0.40, 2.0, 0.10, 0.00, (0.2, 4.0), 20.0),
    "highland": _Traits((1.5, 1.2), 0.0, 0.20, 4.0, 0.60, 0.50, (1.0, 10.0), 12.0),
}

LAPSE_RATE_C_PER_KM = 6.5
_STANDARD_NORMAL = NormalDist()


@dataclass(frozen=True, eq=False)
class Climate:
    """Monthly normals of one place; `key` seeds its day-level weather (identity-hashed for speed)."""

    key: str
    latitude: float
    elevation_m: float
    group: str
    monthly_high_c: tuple[float, ...]
    monthly_low_c: tuple[float, ...]
    monthly_wet_days: tuple[float, ...]

    def __post_init__(self) -> None:
        if self.group not in _GROUPS:
            raise ValueError(f"climate {self.key!r}: unknown group {self.group!r}; use one of {sorted(_GROUPS)}")
        for name in ("monthly_high_c", "monthly_low_c", "monthly_wet_days"):
            if len(getattr(self, name)) != 12:
                raise ValueError(f"climate {self.key!r}: {name} needs 12 monthly values, Jan..Dec")

    def slot(self, index: int) -> SlotNormals:
        """The climate of calendar day `index` (see `day_slot`), smoothly between mid-month normals.

        Worked out on first use: a run meets only a few days of each climate.
        """
        normals = self._slots.get(index)
        if normals is None:
            normals = self._slots[index] = self._slot_normals(index)
        return normals

    def prepare(self) -> None:
        """Work out what every day of this climate shares (a process forked afterwards inherits it)."""
        self._year  # a cached property: reading it is the work

    @cached_property
    def _slots(self) -> dict[int, SlotNormals]:
        return {}

    @cached_property
    def _year(self) -> tuple[list[float], list[float], list[float], float, float]:
        """High, low and wetness knots, and the coldest and warmest daily means."""
        high = _smooth_knots(self.monthly_high_c)
        low = _smooth_knots(self.monthly_low_c)
        wet = _smooth_knots([days / length for days, length in zip(self.monthly_wet_days, _MONTH_DAYS)])
        return high, low, wet, *_mean_extremes(high, low)

    def _slot_normals(self, index: int) -> SlotNormals:
        traits = _GROUPS[self.group]
        sd_cold, sd_warm = traits.anomaly_sd
        high, low, wet_knots, coldest, warmest = self._year
        a, b, t = _WEIGHTS[index]
        h, lo = _between(high, a, b, t), _between(low, a, b, t)
        p = min(0.97, max(0.01, _between(wet_knots, a, b, t)))
        span = warmest - coldest
        warmth = ((h + lo) / 2 - coldest) / span if span > 1.0 else 0.5
        kappa = round(traits.skew * (1.0 - warmth), 2)
        return SlotNormals(h, lo, p, _STANDARD_NORMAL.inv_cdf(p), sd_cold + (sd_warm - sd_cold) * warmth,
                           kappa, _skew_bias(kappa) if kappa else 0.0)


class SlotNormals(NamedTuple):
    high_c: float
    low_c: float
    wet_probability: float
    wet_threshold: float     # a day is wet when its wetness normal falls below this
    anomaly_sd: float        # larger in the cold season
    skew: float              # kappa of _exp_skew: cold outbreaks deeper than thaws
    skew_bias: float         # mean of _exp_skew, subtracted so the normals stay the means


def tenths(value: float) -> float:
    """Round half up to one decimal, as the responses show values; round(x, 1) costs ten times more."""
    return math.floor(value * 10.0 + 0.5) / 10.0


def day_slot(month: int, day: int) -> int:
    """Index of a calendar day in the 366-slot normals tables."""
    return _MONTH_START[month - 1] + day - 1


def _interpolation_weights() -> list[tuple[int, int, float]]:
    """For each day slot: the two mid-month knots around it and the weight of the second."""
    xs = [_MID_MONTH[-1] - _YEAR_DAYS, *_MID_MONTH, _MID_MONTH[0] + _YEAR_DAYS]
    weights = []
    for slot in range(_YEAR_DAYS):
        i = bisect.bisect_right(xs, slot + 0.5)
        weights.append(((i - 2) % 12, (i - 1) % 12, (slot + 0.5 - xs[i - 1]) / (xs[i] - xs[i - 1])))
    return weights


_WEIGHTS = _interpolation_weights()


def _between(knots: list[float], a: int, b: int, t: float) -> float:
    """The curve through the mid-month knots at a day slot whose weights are (a, b, t)."""
    return knots[a] + t * (knots[b] - knots[a])


def _through_mid_months(knots: list[float]) -> list[float]:
    return [_between(knots, a, b, t) for a, b, t in _WEIGHTS]


def _segments() -> list[tuple[int, int, list[tuple[int, int, float]]]]:
    """The day slots grouped by the pair of knots they lie between: (a, b, their weights in slot order)."""
    segments: list[tuple[int, int, list[tuple[int, int, float]]]] = []
    for weights in _WEIGHTS:
        if not segments or segments[-1][:2] != weights[:2]:
            segments.append((*weights[:2], []))
        segments[-1][2].append(weights)
    return segments


_SEGMENTS = _segments()


def _mean_extremes(high: list[float], low: list[float]) -> tuple[float, float]:
    """The least and greatest (high + low) / 2 over the day slots, as the daily curves give them.

    Between two knots each curve is monotone in the weight t (rounding preserves order),
    so where high and low do not move in opposite directions their mean is monotone too
    and only the first and last slot can hold the extremes; elsewhere every slot counts.
    """
    means = []
    for a, b, weights in _SEGMENTS:
        rise_high, rise_low = high[b] - high[a], low[b] - low[a]
        if rise_high < 0 < rise_low or rise_low < 0 < rise_high:
            means += [(_between(high, *w) + _between(low, *w)) / 2 for w in weights]
        else:
            means += [(_between(high, *w) + _between(low, *w)) / 2 for w in (weights[0], weights[-1])]
    return min(means), max(means)


def _monthly_means(curve: list[float]) -> list[float]:
    return [sum(curve[start:start + days]) / days for start, days in zip(_MONTH_START, _MONTH_DAYS)]


# Monthly means of the curve through unit knots: M[month][knot], so means = M @ knots.
_MEANS_OF_KNOT = [_monthly_means(_through_mid_months([1.0 if k == j else 0.0 for k in range(12)]))
                  for j in range(12)]
_KNOT_WEIGHTS = [tuple(_MEANS_OF_KNOT[j][m] for j in range(12)) for m in range(12)]  # row m of M


# The months each month's mean depends on (itself and its neighbours; the others weigh exactly
# 0.0), in knot order, so the sum adds the same terms in the same order as the full product.
_KNOT_TERMS = [tuple((j, w) for j, w in enumerate(row) if w) for row in _KNOT_WEIGHTS]


def _smooth_knots(monthly: list[float] | tuple[float, ...]) -> list[float]:
    """Knots of the piecewise-linear curve through mid-month points whose monthly means equal `monthly`.

    Plain interpolation through the normals shaves the peaks (July's mean of the
    curve would fall below July's normal), so the knots are nudged until each
    month's average is right (a contraction: it converges in a few rounds).
    """
    knots = list(monthly)
    for _ in range(20):
        knots = [k + target - (knots[a] * wa + knots[b] * wb + knots[c] * wc)
                 for k, target, ((a, wa), (b, wb), (c, wc)) in zip(knots, monthly, _KNOT_TERMS)]
    return knots


# ---------------------------------------------------------------------------
# The latitude model, for points far from every known city.

_ANNUAL_MEAN_C = ((0, 27.0), (10, 27.0), (20, 25.0), (30, 21.0), (40, 15.5), (50, 9.0),
                  (60, 4.0), (70, -3.0), (80, -12.0), (90, -18.0))
_SEASONAL_AMPLITUDE_C = ((0, 0.5), (10, 1.0), (20, 2.0), (30, 3.5), (40, 5.0), (50, 6.0),
                         (60, 7.0), (70, 10.0), (80, 14.0), (90, 16.0))
_DIURNAL_RANGE_C = ((0, 1.5), (40, 2.5), (70, 3.0), (90, 3.0))
_WET_DAYS_PER_MONTH = ((0, 18.0), (10, 15.0), (20, 8.0), (30, 7.0), (40, 11.0), (50, 16.0),
                       (60, 16.0), (70, 12.0), (80, 8.0), (90, 5.0))
_MARITIME_COLDEST_DAY = 46  # mid-February: the ocean lags the sun by about eight weeks


def _by_latitude(table: tuple[tuple[float, float], ...], abs_lat: float) -> float:
    xs = [x for x, _ in table]
    i = min(max(bisect.bisect_right(xs, abs_lat), 1), len(table) - 1)
    (x0, y0), (x1, y1) = table[i - 1], table[i]
    return y0 + (abs_lat - x0) / (x1 - x0) * (y1 - y0)


def _antarctic_ice_elevation_m(latitude: float) -> float:
    """Crude height of the Antarctic ice sheet, the one place the open-ocean model must climb."""
    return 0.0 if latitude > -75.0 else (-75.0 - latitude) / 15.0 * 2800.0


def latitude_climate(key: str, latitude: float) -> Climate:
    """Maritime normals for a latitude: small diurnal swing, late seasons, southern seasons flipped."""
    abs_lat = abs(latitude)
    elevation = _antarctic_ice_elevation_m(latitude)
    annual = _by_latitude(_ANNUAL_MEAN_C, abs_lat) - LAPSE_RATE_C_PER_KM * elevation / 1000.0
    amplitude = _by_latitude(_SEASONAL_AMPLITUDE_C, abs_lat)
    half_range = _by_latitude(_DIURNAL_RANGE_C, abs_lat) / 2
    hemisphere = 1.0 if latitude >= 0 else -1.0
    means = [annual - hemisphere * amplitude * math.cos(2 * math.pi * (mid - _MARITIME_COLDEST_DAY) / _YEAR_DAYS)
             for mid in _MID_MONTH]
    if max(means) < 10.0:
        group = "polar"
    elif min(means) >= 18.0:
        group = "tropical"
    else:
        group = "temperate"
    wet = _by_latitude(_WET_DAYS_PER_MONTH, abs_lat)
    return Climate(
        key=key, latitude=latitude, elevation_m=elevation, group=group,
        monthly_high_c=tuple(round(m + half_range, 1) for m in means),
        monthly_low_c=tuple(round(m - half_range, 1) for m in means),
        monthly_wet_days=tuple(round(wet * n / 30.4, 1) for n in _MONTH_DAYS),
    )


# ---------------------------------------------------------------------------
# Seeded noise. BLAKE2 digests are cut into 16-bit draws: ample resolution for weather
# noise, and one 64-byte digest carries the innovations of a block of 16 days. Normals come
# from a quantile table rather than Box-Muller, which keeps a cold call cheap.

_BLOCK_DAYS = 16
# Standard normal quantiles at 4096 levels, each repeated 16 times so a 16-bit draw indexes it directly.
_NORMAL_OF_DRAW = tuple(quantile for quantile in (_STANDARD_NORMAL.inv_cdf((i + 0.5) / 4096) for i in range(4096))
                        for _ in range(16))


_HASHERS = {count: (hashlib.blake2b(digest_size=2 * count), struct.Struct(f"<{count}H")) for count in (8, 11, 32)}


def _draws(count: int, key: str) -> tuple[int, ...]:
    """`count` 16-bit integers derived from `key` (hashlib, never Python's salted hash())."""
    empty, layout = _HASHERS[count]
    hasher = empty.copy()
    hasher.update(key.encode())
    return layout.unpack(hasher.digest())


@lru_cache(maxsize=1 << 11)
def _innovations(key: str, seed: int, block: int) -> tuple[float, ...]:
    """Innovations of the 16 days of one block: temperature series first, then wetness."""
    return operator.itemgetter(*_draws(2 * _BLOCK_DAYS, f"block|{key}|{seed}|{block}"))(_NORMAL_OF_DRAW)


def _ar_weights(phi: float) -> tuple[float, ...]:
    """Weights of the last _MEMORY innovations (oldest first), scaled to unit variance."""
    scale = math.sqrt((1 - phi * phi) / (1 - phi ** (2 * _MEMORY)))
    return tuple(scale * phi ** back for back in reversed(range(_MEMORY)))


_TEMP_WEIGHTS = _ar_weights(_TEMP_PHI)
_WET_WEIGHTS = _ar_weights(_WET_PHI)


def _persistent(key: str, seed: int, ordinal: int) -> tuple[float, float]:
    """AR(1)-like unit normals (temperature, wetness) for a day: decaying sums of recent innovations."""
    block, offset = divmod(ordinal, _BLOCK_DAYS)
    current = _innovations(key, seed, block)
    first = offset - _MEMORY + 1
    if first >= 0:
        temps = current[first:offset + 1]
        wets = current[_BLOCK_DAYS + first:_BLOCK_DAYS + offset + 1]
    else:
        previous = _innovations(key, seed, block - 1)
        temps = previous[_BLOCK_DAYS + first:_BLOCK_DAYS] + current[:offset + 1]
        wets = previous[2 * _BLOCK_DAYS + first:] + current[_BLOCK_DAYS:_BLOCK_DAYS + offset + 1]
    return sum(map(operator.mul, _TEMP_WEIGHTS, temps)), sum(map(operator.mul, _WET_WEIGHTS, wets))


# ---------------------------------------------------------------------------
# A day.

_WIND_PEAK = 1.35      # hourly winds stay below this multiple of the daily mean
_MORNING_WIND = 0.7    # the 06 wind as a multiple of the daily mean


class Day(NamedTuple):
    high_c: float
    low_c: float
    precipitation_mm: float          # 0.0 on a dry day
    precipitation_probability: int   # % (>= 50 on wet days, <= 49 on dry ones)
    convective: bool
    thunder: bool
    hail_u: float                    # picks hail on thunder days
    phase_u: float                   # picks snow vs freezing rain near 0 degC
    cloud_pct: float
    dew_point_c: float
    wind_kmh: float                  # daily mean
    wind_direction: float
    pressure_hpa: float
    weather_code: int

    @property
    def wind_max_kmh(self) -> float:
        return self.wind_kmh * _WIND_PEAK


@lru_cache(maxsize=1 << 12)
def day_weather(climate: Climate, seed: int, ordinal: int, slot: int) -> Day:
    """The weather of one local day (`ordinal` = date.toordinal(), `slot` = day_slot(month, day))."""
    traits = _GROUPS[climate.group]
    normal_high, normal_low, p_wet, threshold, sd, kappa, bias = climate.slot(slot)
    draws = _draws(11, f"day|{climate.key}|{seed}|{ordinal}")
    e_range, e_wind, e_dir, e_pressure = map(_NORMAL_OF_DRAW.__getitem__, draws[:4])
    u_amount, u_cloud, u_phase, u_convective, u_thunder, u_hail, u_dew = [(n + 0.5) / 65536.0 for n in draws[4:]]

    z_temp, z_wet = _persistent(climate.key, seed, ordinal)
    z = _ANOMALY_LIMIT * math.tanh(z_temp / _ANOMALY_LIMIT)
    anomaly = sd * (_exp_skew(z, kappa) - bias if kappa else z)

    wet = z_wet < threshold
    probability = round(50 * (1 + math.erf((threshold - z_wet) / (_FORECAST_SHARPNESS * math.sqrt(2)))))
    probability = max(50, probability) if wet else min(49, probability)

    # Wet days have a damped diurnal range, dry ones a wider one; weighted by p_wet the
    # shifts cancel, so the monthly means still equal the normals.
    normal_range = normal_high - normal_low
    damping = -(1.0 - p_wet) if wet else p_wet
    swing = 0.03 * normal_range * max(-2.0, min(2.0, e_range))
    high = normal_high + anomaly + 0.2 * normal_range * damping + swing
    low = normal_low + anomaly - 0.1 * normal_range * damping - swing
    high = max(high, low + 0.3)

    warm_share = max(0.0, min(1.0, (high - 12.0) / 15.0))
    convective = wet and u_convective < traits.convective * warm_share
    thunder = convective and high >= 12.0 and u_thunder < traits.thunder * min(1.0, (high - 12.0) / 14.0)
    amount = max(0.1, tenths(min(8.0, -math.log(u_amount)) * traits.wet_day_mm)) if wet else 0.0

    if wet:
        cloud = (60.0 + 35.0 * u_cloud) if convective else (80.0 + 20.0 * u_cloud)
    else:
        # Dry days in a rainy climate are cloudier on average; the spread allows clear and overcast.
        cloud = max(0.0, min(100.0, 100.0 * (traits.cloudiness + 0.9 * p_wet + 1.1 * (u_cloud - 0.5))))

    dew_low, dew_high = traits.dew_depression_c
    depression = dew_low + (dew_high - dew_low) * u_dew ** 1.3
    dew_point = low - (0.2 * depression if wet else depression)

    wind = min(80.0, traits.wind_kmh * math.exp(0.35 * e_wind - 0.06) * (1.25 if wet else 1.0))
    direction = (_prevailing_direction(climate.latitude) + 60.0 * e_dir) % 360.0
    pressure = max(955.0, min(1050.0, 1013.0 + 7.0 * e_pressure + (-8.0 if wet else 3.0) - (3.0 if thunder else 0.0)))

    if wet:
        code = precipitation_code(low + 0.35 * (high - low), amount, convective=convective,
                                  thunder=thunder, phase_u=u_phase, hail_u=u_hail)
    else:
        morning_humidity = relative_humidity(low, dew_point)
        foggy = round(morning_humidity) >= 95 and wind * _MORNING_WIND < 10.0
        code = fog_code(low) if foggy else cloud_code(cloud)
    return Day(high, low, amount, probability, convective, thunder, u_hail, u_phase, cloud,
               dew_point, wind, direction, pressure, code)


def _exp_skew(z: float, kappa: float) -> float:
    """Monotone map of a standard normal with a long cold tail and a warm side bounded by 1/kappa.

    Snow-covered winters have deep cold outbreaks but thaws that stall near 0 degC.
    """
    return (1.0 - math.exp(-kappa * z)) / kappa


# The trapezoid rule's nodes for _skew_bias, shared by every kappa: weights, and soft-limited z.
_SKEW_WEIGHTS = tuple(math.exp(-(i * 0.02) * (i * 0.02) / 2.0) * (0.5 if abs(i) == 400 else 1.0)
                      for i in range(-400, 401))
_SKEW_ZS = tuple(_ANOMALY_LIMIT * math.tanh(i * 0.02 / _ANOMALY_LIMIT) for i in range(-400, 401))


def prepare_skew_biases() -> None:
    """Work out _skew_bias for every kappa a slot can have (round(skew * (1 - warmth), 2), so k / 100)."""
    for hundredths in range(1, round(max(traits.skew for traits in _GROUPS.values()) * 100) + 1):
        _skew_bias(hundredths / 100)


@cache
def _skew_bias(kappa: float) -> float:
    """Mean of _exp_skew over the soft-limited standard normal (trapezoid rule), subtracted to keep means."""
    # The sum of weight * ((1.0 - exp(-kappa * z)) / kappa), added node by node as a loop would,
    # in map and reduce: several times cheaper than a Python loop over the 801 nodes.
    exponents = map(operator.mul, repeat(-kappa), _SKEW_ZS)
    exp_skews = map(operator.truediv, map(operator.sub, repeat(1.0), map(math.exp, exponents)), repeat(kappa))
    total = reduce(operator.add, map(operator.mul, _SKEW_WEIGHTS, exp_skews), 0.0)
    return total * 0.02 / math.sqrt(2 * math.pi)


def _prevailing_direction(latitude: float) -> float:
    """Where the wind usually comes from: trades, westerlies, polar easterlies."""
    band = abs(latitude)
    if band < 30:
        return 45.0 if latitude >= 0 else 135.0
    if band < 60:
        return 250.0 if latitude >= 0 else 290.0
    return 90.0


# ---------------------------------------------------------------------------
# Codes.

def precipitation_phase(temperature_c: float, u: float) -> str:
    """snow at or below 0.5 degC; freezing rain or drizzle only between -4 and +1; rain above."""
    if temperature_c <= -4.0:
        return "snow"
    if temperature_c <= 0.5:
        return "freezing" if u < 0.2 else "snow"
    if temperature_c <= 1.0:
        return "freezing" if u < 0.5 else "rain"
    return "rain"


def precipitation_code(temperature_c: float, amount_mm: float, *, convective: bool, thunder: bool,
                       phase_u: float, hail_u: float) -> int:
    """WMO code for falling precipitation: phase from `temperature_c`, intensity from the day's amount.

    `thunder` only counts for rain: thundersnow is rare enough to leave out.
    """
    light = amount_mm < 1.0 and not convective
    phase = precipitation_phase(temperature_c, phase_u)
    if phase == "snow":
        if light and amount_mm < 0.5:
            return 77
        if convective:
            return 85 if amount_mm < 5.0 else 86
        return 71 if amount_mm < 2.0 else 73 if amount_mm < 8.0 else 75
    if phase == "freezing":
        if light:
            return 56 if amount_mm < 0.5 else 57
        return 66 if amount_mm < 5.0 else 67
    if thunder:
        return 99 if hail_u < 0.02 else 96 if hail_u < 0.08 else 95
    if convective:
        return 80 if amount_mm < 5.0 else 81 if amount_mm < 15.0 else 82
    if light:
        return 51 if amount_mm < 0.3 else 53 if amount_mm < 0.7 else 55
    return 61 if amount_mm < 5.0 else 63 if amount_mm < 15.0 else 65


def fog_code(temperature_c: float) -> int:
    return 48 if temperature_c < 0.0 else 45


def cloud_code(cloud_pct: float) -> int:
    if cloud_pct < 20:
        return 0
    if cloud_pct < 45:
        return 1
    if cloud_pct < 85:
        return 2
    return 3


# ---------------------------------------------------------------------------
# An hour.

class Hour(NamedTuple):
    temperature_c: float
    relative_humidity: int
    apparent_temperature_c: float
    precipitation_mm: float
    rain_mm: float
    snowfall_cm: float
    weather_code: int
    cloud_cover: int
    pressure_hpa: float
    wind_kmh: float
    wind_direction: int
    gusts_kmh: float


_MIN_HOUR, _MAX_HOUR = 6.0, 15.0
_SNOW_CM_PER_MM = 0.7


def diurnal_temperature(day: Day, hour: float) -> float:
    """Cosine rise from the low at 06 to the high at 15, cosine fall back to the low by 06."""
    if _MIN_HOUR <= hour <= _MAX_HOUR:
        rise = (hour - _MIN_HOUR) / (_MAX_HOUR - _MIN_HOUR)
        return day.low_c + (day.high_c - day.low_c) * (1 - math.cos(math.pi * rise)) / 2
    since_peak = (hour - _MAX_HOUR) % 24.0
    fall = since_peak / (24.0 - (_MAX_HOUR - _MIN_HOUR))
    return day.high_c - (day.high_c - day.low_c) * (1 - math.cos(math.pi * fall)) / 2


def hour_weather(day: Day, hour: float, u: list[float]) -> Hour:
    """The weather at local `hour` (0..24) of `day`; `u` holds eight uniforms for this hour."""
    temperature = tenths(diurnal_temperature(day, hour))
    afternoon = math.sin(math.pi * (hour - 8.0) / 12.0) if 8.0 <= hour <= 20.0 else 0.0
    wind = tenths(day.wind_kmh * (0.7 + 0.5 * afternoon) * (0.9 + 0.2 * u[4]))
    direction = round(day.wind_direction + 50.0 * (u[6] - 0.5)) % 360

    falling = False
    if day.precipitation_mm > 0:
        if day.convective:
            chance = 0.7 if 12.0 <= hour < 21.0 else 0.1
        else:
            chance = min(0.9, 0.3 + day.precipitation_mm / 25.0)
        falling = u[0] < chance

    if falling:
        rate = max(0.1, tenths(day.precipitation_mm / (24.0 * chance) * (0.5 + u[1])))
        thunder = day.thunder and 12.0 <= hour < 21.0 and temperature >= 12.0
        code = precipitation_code(temperature, day.precipitation_mm, convective=day.convective,
                                  thunder=thunder, phase_u=day.phase_u, hail_u=day.hail_u)
        dew_point = temperature - (0.3 + 1.5 * u[2])
        cloud = 85.0 + 15.0 * u[3] if not day.convective else 65.0 + 35.0 * u[3]
    else:
        rate = 0.0
        dew_point = min(day.dew_point_c, temperature)
        cloud = day.cloud_pct + 25.0 * (u[3] - 0.5)
        if day.precipitation_mm > 0:
            cloud = max(cloud, 50.0)
        cloud = round(max(0.0, min(100.0, cloud)))
        code = cloud_code(cloud)

    humidity = round(relative_humidity(temperature, dew_point))
    if not falling and humidity >= 95 and wind < 10.0:
        code = fog_code(temperature)
        cloud = max(cloud, 90.0 + 10.0 * u[3])

    snow = is_snow(code)
    gust_factor = (1.8 + 0.6 * u[5]) if is_thunder(code) else (1.3 + 0.5 * u[5])
    return Hour(  # positional: this runs for every call
        temperature,                                                  # temperature_c
        humidity,                                                     # relative_humidity
        apparent_temperature(temperature, humidity, wind),            # apparent_temperature_c
        rate,                                                         # precipitation_mm
        0.0 if snow else rate,                                        # rain_mm
        round(rate * _SNOW_CM_PER_MM, 2) if snow else 0.0,            # snowfall_cm
        code,                                                         # weather_code
        round(cloud),                                                 # cloud_cover
        tenths(day.pressure_hpa + 1.5 * (u[7] - 0.5)),                # pressure_hpa
        wind,                                                         # wind_kmh
        direction,                                                    # wind_direction
        tenths(wind * gust_factor + 2.0),                             # gusts_kmh
    )


def hour_noise(key: str) -> list[float]:
    """Eight uniforms for one place, seed and 15-minute slot (`key` names all three)."""
    return [(n + 0.5) / 65536.0 for n in _draws(8, f"hour|{key}")]


# ---------------------------------------------------------------------------
# Air and sun.

def relative_humidity(temperature_c: float, dew_point_c: float) -> float:
    """Magnus formula, capped at 100 %."""
    ratio = math.exp(17.625 * dew_point_c / (243.04 + dew_point_c) - 17.625 * temperature_c / (243.04 + temperature_c))
    return min(100.0, 100.0 * ratio)


def apparent_temperature(temperature_c: float, humidity_pct: float, wind_kmh: float) -> float:
    """Australian (Steadman/BoM) apparent temperature without radiation, from the published values."""
    vapour_hpa = humidity_pct / 100.0 * 6.105 * math.exp(17.27 * temperature_c / (237.7 + temperature_c))
    return tenths(temperature_c + 0.33 * vapour_hpa - 0.70 * wind_kmh / 3.6 - 4.0)


@cache
def _solar_day(day_of_year: int) -> tuple[float, float]:
    """(declination in radians, equation of time in minutes) at noon of a day, by NOAA's series."""
    gamma = 2 * math.pi / 365 * (day_of_year - 1)
    equation_of_time = 229.18 * (0.000075 + 0.001868 * math.cos(gamma) - 0.032077 * math.sin(gamma)
                                 - 0.014615 * math.cos(2 * gamma) - 0.040849 * math.sin(2 * gamma))
    declination = (0.006918 - 0.399912 * math.cos(gamma) + 0.070257 * math.sin(gamma)
                   - 0.006758 * math.cos(2 * gamma) + 0.000907 * math.sin(2 * gamma)
                   - 0.002697 * math.cos(3 * gamma) + 0.00148 * math.sin(3 * gamma))
    return declination, equation_of_time


def sun_elevation_deg(latitude: float, longitude: float, day_of_year: int, utc_minutes: float) -> float:
    """Solar elevation at a UTC time of day (declination and equation of time held for the day)."""
    declination, equation_of_time = _solar_day(day_of_year)
    hour_angle = math.radians((utc_minutes + equation_of_time + 4 * longitude) / 4 - 180)
    phi = math.radians(latitude)
    cos_zenith = (math.sin(phi) * math.sin(declination)
                  + math.cos(phi) * math.cos(declination) * math.cos(hour_angle))
    return 90.0 - math.degrees(math.acos(max(-1.0, min(1.0, cos_zenith))))


def is_daylight(latitude: float, longitude: float, day_of_year: int, utc_minutes: float) -> bool:
    """Sun's upper limb above the horizon, with standard refraction (-0.833 degrees).

    `utc_minutes` may fall outside 0..1440 (a local time east or west of Greenwich); the
    hour angle wraps, and a day's error in `day_of_year` moves sunrise by seconds.
    """
    return sun_elevation_deg(latitude, longitude, day_of_year, utc_minutes) > -0.833
