"""WMO codes: one table of words, and family helpers that agree with it."""
import pytest

from core.weather_codes import (
    CONDITIONS,
    family,
    is_fog,
    is_freezing,
    is_precipitation,
    is_snow,
    is_thunder,
)

REQUIRED_KINDS = {
    "clear": 0, "partly cloudy": 2, "cloudy": 3, "fog": 45, "drizzle": 51, "rain": 61,
    "heavy rain": 65, "snow": 71, "freezing rain": 66, "thunderstorm": 95,
}


def test_every_condition_the_issue_names_has_a_code_and_words():
    for kind, code in REQUIRED_KINDS.items():
        assert CONDITIONS[code], kind


def test_open_meteo_words_for_the_common_codes():
    assert CONDITIONS[0] == "clear sky"
    assert CONDITIONS[3] == "overcast"
    assert CONDITIONS[63] == "moderate rain"
    assert CONDITIONS[99] == "thunderstorm with heavy hail"


def test_every_code_belongs_to_exactly_one_family():
    families = {code: family(code) for code in CONDITIONS}
    assert set(families.values()) == {
        "clear", "partly_cloudy", "cloudy", "fog", "drizzle", "freezing", "rain", "snow", "thunderstorm"}


@pytest.mark.parametrize("code", sorted(CONDITIONS))
def test_helpers_agree_with_the_words(code):
    words = CONDITIONS[code]
    assert is_snow(code) == ("snow" in words)
    assert is_freezing(code) == ("freezing" in words)
    assert is_thunder(code) == ("thunderstorm" in words)
    assert is_fog(code) == ("fog" in words)
    falling = any(word in words for word in ("drizzle", "rain", "snow", "thunderstorm"))
    assert is_precipitation(code) == falling


def test_an_unknown_code_is_a_typed_error_naming_the_code():
    with pytest.raises(ValueError, match="unknown WMO weather code 42"):
        family(42)
