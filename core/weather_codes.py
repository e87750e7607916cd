"""WMO weather interpretation codes (the subset Open-Meteo uses), in one table.

The mock service, the offline writer and the groundedness check all read codes
from here, so a code and its words can never disagree between them.
"""
from __future__ import annotations

CONDITIONS: dict[int, str] = {
    0: "clear sky",
    1: "mainly clear",
    2: "partly cloudy",
    3: "overcast",
    45: "fog",
    48: "depositing rime fog",
    51: "light drizzle",
    53: "moderate drizzle",
    55: "dense drizzle",
    56: "light freezing drizzle",
    57: "dense freezing drizzle",
    61: "slight rain",
    63: "moderate rain",
    65: "heavy rain",
    66: "light freezing rain",
    67: "heavy freezing rain",
    71: "slight snowfall",
    73: "moderate snowfall",
    75: "heavy snowfall",
    77: "snow grains",
    80: "slight rain showers",
    81: "moderate rain showers",
    82: "violent rain showers",
    85: "slight snow showers",
    86: "heavy snow showers",
    95: "thunderstorm",
    96: "thunderstorm with slight hail",
    99: "thunderstorm with heavy hail",
}

_FAMILIES: dict[str, frozenset[int]] = {
    "clear": frozenset({0, 1}),
    "partly_cloudy": frozenset({2}),
    "cloudy": frozenset({3}),
    "fog": frozenset({45, 48}),
    "drizzle": frozenset({51, 53, 55}),
    "freezing": frozenset({56, 57, 66, 67}),
    "rain": frozenset({61, 63, 65, 80, 81, 82}),
    "snow": frozenset({71, 73, 75, 77, 85, 86}),
    "thunderstorm": frozenset({95, 96, 99}),
}
_FAMILY_OF: dict[int, str] = {code: name for name, codes in _FAMILIES.items() for code in codes}


def family(code: int) -> str:
    """The condition family a code belongs to (what words like "rain" or "fog" can claim)."""
    try:
        return _FAMILY_OF[code]
    except KeyError:
        raise ValueError(f"unknown WMO weather code {code!r}; known codes: {sorted(CONDITIONS)}") from None


def is_precipitation(code: int) -> bool:
    return family(code) in {"drizzle", "freezing", "rain", "snow", "thunderstorm"}


def is_snow(code: int) -> bool:
    return family(code) == "snow"


def is_freezing(code: int) -> bool:
    return family(code) == "freezing"


def is_thunder(code: int) -> bool:
    return family(code) == "thunderstorm"


def is_fog(code: int) -> bool:
    return family(code) == "fog"
