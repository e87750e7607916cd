"""The city database: real, varied, climatologically sound places that are easy to find."""
import json
import math
import random
import unicodedata
from collections import Counter
from dataclasses import FrozenInstanceError
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import locations
from core.locations import (
    BY_ID,
    CLIMATE_GROUPS,
    EARTH_RADIUS_KM,
    LOCATIONS,
    CityDataError,
    CoordinateError,
    geocode,
    haversine_km,
    load_database,
    mentioned_locations,
    nearest,
    normalize,
    suggest,
)

property_test = settings(derandomize=True, max_examples=300, deadline=None)

CONTINENT = {  # the test's own atlas of the countries in the file
    "NO": "Europe", "SE": "Europe", "IS": "Europe", "GB": "Europe", "FR": "Europe", "DE": "Europe",
    "CH": "Europe", "PL": "Europe", "PT": "Europe", "ES": "Europe", "IT": "Europe", "RU": "Europe",
    "KZ": "Asia", "MN": "Asia", "CN": "Asia", "HK": "Asia", "JP": "Asia", "NP": "Asia", "IN": "Asia",
    "PK": "Asia", "AE": "Asia", "SA": "Asia", "TH": "Asia", "VN": "Asia", "SG": "Asia",
    "EG": "Africa", "ML": "Africa", "NG": "Africa", "GH": "Africa", "CD": "Africa", "KE": "Africa",
    "ET": "Africa", "ZA": "Africa",
    "US": "North America", "CA": "North America", "MX": "North America", "GL": "North America",
    "CO": "South America", "EC": "South America", "BR": "South America", "PE": "South America",
    "BO": "South America", "CL": "South America", "AR": "South America",
    "AU": "Oceania", "NZ": "Oceania", "FJ": "Oceania", "TO": "Oceania", "WS": "Oceania",
    "AQ": "Antarctica",
}
KOPPEN_LETTER = {"tropical": "A", "arid": "B", "temperate": "C", "continental": "D", "polar": "E"}
JAN, JUL = 0, 6


def monthly_means(location):
    return [(high + low) / 2 for high, low in zip(location.monthly_high_c, location.monthly_low_c)]


def strip_accents(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# --- the data ----------------------------------------------------------------

def test_database_holds_at_least_75_places_on_every_continent_and_antarctica():
    assert len(LOCATIONS) >= 75
    per_continent = Counter(CONTINENT[loc.country_code] for loc in LOCATIONS)
    assert set(per_continent) == {"Europe", "Asia", "Africa", "North America", "South America",
                                  "Oceania", "Antarctica"}
    assert all(count >= 5 for continent, count in per_continent.items() if continent != "Antarctica")


def test_every_climate_group_has_several_places():
    per_group = Counter(loc.climate_group for loc in LOCATIONS)
    assert set(per_group) == set(CLIMATE_GROUPS)
    assert min(per_group.values()) >= 5


def test_ids_are_unique_and_index_every_place():
    assert len(BY_ID) == len(LOCATIONS)
    assert all(BY_ID[loc.id] is loc for loc in LOCATIONS)


def test_records_carry_the_contract_fields():
    for loc in LOCATIONS:
        assert len(loc.country_code) == 2 and loc.country
        assert -90 <= loc.latitude <= 90 and -180 <= loc.longitude <= 180
        assert len(loc.monthly_high_c) == len(loc.monthly_low_c) == len(loc.monthly_wet_days) == 12
        assert all(high >= low for high, low in zip(loc.monthly_high_c, loc.monthly_low_c)), loc.id
        assert loc.fictional is False
        assert loc.population is None or loc.population > 0


def test_locations_are_frozen():
    with pytest.raises(FrozenInstanceError):
        LOCATIONS[0].name = "Elsewhere"


def test_every_timezone_loads_and_odd_offsets_are_represented():
    january = datetime(2026, 1, 15, 12, 0)
    offsets = {loc.id: january.replace(tzinfo=ZoneInfo(loc.timezone)).utcoffset().total_seconds() / 3600
               for loc in LOCATIONS}
    assert offsets["kathmandu-np"] == 5.75
    assert offsets["mumbai-in"] == offsets["delhi-in"] == 5.5
    assert offsets["adelaide-sa-au"] == 10.5  # +9:30 plus southern summer time
    assert offsets["st-johns-nl-ca"] == -3.5
    assert offsets["apia-ws"] == 13


@pytest.mark.parametrize("group, letter", sorted(KOPPEN_LETTER.items()))
def test_koppen_code_agrees_with_climate_group(group, letter):
    assert all(loc.koppen[0] == letter for loc in LOCATIONS if loc.climate_group == group)


def test_tropical_places_never_have_a_month_below_18_c():
    assert all(min(monthly_means(loc)) >= 18 for loc in LOCATIONS if loc.climate_group == "tropical")


def test_polar_places_never_have_a_month_reaching_10_c():
    assert all(max(monthly_means(loc)) < 10 for loc in LOCATIONS if loc.climate_group == "polar")


def test_continental_places_have_freezing_winters_and_real_summers():
    for loc in (loc for loc in LOCATIONS if loc.climate_group == "continental"):
        assert min(monthly_means(loc)) < 0 < 10 <= max(monthly_means(loc)), loc.id


def test_temperate_places_have_mild_winters_and_real_summers():
    for loc in (loc for loc in LOCATIONS if loc.climate_group == "temperate"):
        assert 0 < min(monthly_means(loc)) < 18 and max(monthly_means(loc)) >= 10, loc.id


def test_highland_places_are_high():
    assert all(loc.elevation_m >= 1700 for loc in LOCATIONS if loc.climate_group == "highland")


def test_seasons_flip_between_hemispheres_outside_the_tropics():
    for loc in LOCATIONS:
        january, july = monthly_means(loc)[JAN], monthly_means(loc)[JUL]
        if loc.latitude < -23.5:
            assert january > july, loc.id
        elif loc.latitude > 23.5:
            assert july > january, loc.id


def test_reference_normals_look_right_to_a_meteorologist():
    phoenix, moscow, singapore = BY_ID["phoenix-az-us"], BY_ID["moscow-ru"], BY_ID["singapore-sg"]
    assert 40 <= phoenix.monthly_high_c[JUL] <= 43 and 27 <= phoenix.monthly_low_c[JUL] <= 31
    assert -6 <= moscow.monthly_high_c[JAN] <= -2 and -12 <= moscow.monthly_low_c[JAN] <= -7
    assert max(singapore.monthly_high_c) - min(singapore.monthly_high_c) < 3
    assert max(BY_ID["mcmurdo-station-aq"].monthly_high_c) <= 0.5
    assert BY_ID["la-paz-bo"].elevation_m > 3500 and max(BY_ID["la-paz-bo"].monthly_high_c) < 20
    assert max(BY_ID["yakutsk-ru"].monthly_high_c) > 20 and min(BY_ID["yakutsk-ru"].monthly_low_c) < -35
    assert sum(BY_ID["dubai-ae"].monthly_wet_days) < sum(BY_ID["london-gb"].monthly_wet_days) / 10


def test_edge_places_are_present():
    assert BY_ID["longyearbyen-no"].latitude > 78 and BY_ID["alert-nu-ca"].latitude > 82
    assert BY_ID["mcmurdo-station-aq"].latitude < -77 and BY_ID["south-pole-aq"].latitude == -90
    suva, apia = BY_ID["suva-fj"], BY_ID["apia-ws"]
    assert suva.longitude > 170 and apia.longitude < -170
    assert haversine_km(suva.latitude, suva.longitude, apia.latitude, apia.longitude) < 1500


def test_label_adds_the_region_only_for_shared_names():
    assert BY_ID["oslo-no"].label == "Oslo, NO"
    assert BY_ID["paris-tx-us"].label == "Paris, TX, US"
    assert BY_ID["springfield-il-us"].label == "Springfield, IL, US"
    assert BY_ID["new-york-city-ny-us"].label == "New York City, US"
    assert len({loc.label for loc in LOCATIONS}) == len(LOCATIONS)


# --- geocoding ---------------------------------------------------------------

@property_test
@given(loc=st.sampled_from(LOCATIONS),
       spelling=st.sampled_from([str.upper, str.lower, str.swapcase, strip_accents, lambda s: f"  {s}\t"]))
def test_geocode_ignores_case_accents_and_spacing_for_every_name(loc, spelling):
    assert loc in geocode(spelling(loc.name))


@pytest.mark.parametrize("loc", LOCATIONS, ids=lambda loc: loc.id)
def test_every_alias_finds_its_place(loc):
    for alias in loc.aliases:
        assert loc in geocode(alias)


@pytest.mark.parametrize("query, expected_id", [
    ("NYC", "new-york-city-ny-us"), ("New York City", "new-york-city-ny-us"), ("new york", "new-york-city-ny-us"),
    ("LA", "los-angeles-ca-us"), ("L.A.", "los-angeles-ca-us"), ("SF", "san-francisco-ca-us"),
    ("São Paulo", "sao-paulo-br"), ("Sao Paulo", "sao-paulo-br"), ("Zürich", "zurich-ch"), ("Zurich", "zurich-ch"),
    ("Bombay", "mumbai-in"), ("Saigon", "ho-chi-minh-city-vn"), ("Reykjavik", "reykjavik-is"),
    ("krakow", "krakow-pl"), ("Montreal", "montreal-qc-ca"), ("BOGOTA", "bogota-co"), ("Urumqi", "urumqi-cn"),
    ("Malaga", "malaga-es"), ("Tromso", "tromso-no"), ("St Johns", "st-johns-nl-ca"),
    ("Nukualofa", "nukualofa-to"), ("Barrow", "utqiagvik-ak-us"), ("Utqiagvik", "utqiagvik-ak-us"),
    ("Ho-Chi-Minh City", "ho-chi-minh-city-vn"), ("South Pole", "south-pole-aq"),
])
def test_aliases_and_accents_find_the_place(query, expected_id):
    assert [loc.id for loc in geocode(query)] == [expected_id]


@pytest.mark.parametrize("name, expected", [
    ("Springfield", {"springfield-il-us", "springfield-mo-us", "springfield-ma-us"}),
    ("Portland", {"portland-or-us", "portland-me-us"}),
    ("Paris", {"paris-fr", "paris-tx-us"}),
    ("London", {"london-gb", "london-on-ca"}),
    ("Cordoba", {"cordoba-ar", "cordoba-es"}),
    ("Perth", {"perth-wa-au", "perth-gb"}),
    ("La Paz", {"la-paz-bo", "la-paz-bcs-mx"}),
])
def test_ambiguous_names_return_every_candidate_largest_first(name, expected):
    found = geocode(name)
    assert {loc.id for loc in found} == expected
    populations = [loc.population for loc in found]
    assert populations == sorted(populations, reverse=True)


@pytest.mark.parametrize("city, country, expected_id", [
    ("Paris", "TX", "paris-tx-us"), ("Paris", "Texas", "paris-tx-us"), ("Paris", "US", "paris-tx-us"),
    ("Paris", "USA", "paris-tx-us"), ("Paris", "France", "paris-fr"), ("Paris", "fr", "paris-fr"),
    ("London", "UK", "london-gb"), ("London", "United Kingdom", "london-gb"), ("London", "Canada", "london-on-ca"),
    ("London", "Ontario", "london-on-ca"), ("Córdoba", "Spain", "cordoba-es"), ("Cordoba", "AR", "cordoba-ar"),
    ("Springfield", "Missouri", "springfield-mo-us"), ("Portland", "OR", "portland-or-us"),
    ("Perth", "Scotland", "perth-gb"), ("Paris, Texas", None, "paris-tx-us"),
    ("Springfield, IL", None, "springfield-il-us"), ("Portland, Maine, USA", None, "portland-me-us"),
])
def test_country_or_region_narrows_the_match(city, country, expected_id):
    assert [loc.id for loc in geocode(city, country)] == [expected_id]


def test_a_country_that_holds_every_candidate_keeps_them_all():
    assert len(geocode("Springfield", "United States")) == 3


@pytest.mark.parametrize("city, country", [("Atlantis", None), ("", None), ("   ", None), ("Paris", "Japan"),
                                           ("Oslo", "Nowhereland")])
def test_unknown_places_give_an_empty_list(city, country):
    assert geocode(city, country) == []


@pytest.mark.parametrize("typo, meant", [("Reykjavk", "Reykjavik"), ("Sprngfield", "Springfield"),
                                         ("Zurch", "Zurich"), ("Kathmandoo", "Kathmandu"),
                                         ("Buenos Aries", "Buenos Aires")])
def test_suggestions_catch_misspellings(typo, meant):
    assert normalize(suggest(typo)[0]) == normalize(meant)


def test_suggestions_respect_the_limit_and_name_each_place_once():
    assert len(suggest("Pari", limit=1)) == 1
    assert suggest("Lyonss") in (["Lyon"], ["Lyons"])
    assert suggest("qqqqxzzz") == []


def test_a_name_only_faintly_like_a_city_gets_no_suggestion():
    assert suggest("Morbury") == []  # "Joburg" shares a few letters, which is no reason to offer it
    with pytest.raises(ValueError, match="limit must be at least 1"):
        suggest("Paris", limit=0)


# --- distances and the nearest place -----------------------------------------

latitudes = st.floats(min_value=-90, max_value=90, allow_nan=False)
longitudes = st.floats(min_value=-180, max_value=180, allow_nan=False)


@property_test
@given(lat=latitudes, lon=longitudes)
def test_nearest_returns_the_closest_place_at_a_sane_distance(lat, lon):
    place, km = nearest(lat, lon)
    assert 0 <= km <= 20_100
    assert km == pytest.approx(haversine_km(lat, lon, place.latitude, place.longitude))
    assert all(haversine_km(lat, lon, other.latitude, other.longitude) >= km for other in LOCATIONS)


@property_test
@given(lat1=latitudes, lon1=longitudes, lat2=latitudes, lon2=longitudes)
def test_haversine_is_a_symmetric_distance_bounded_by_half_the_globe(lat1, lon1, lat2, lon2):
    there = haversine_km(lat1, lon1, lat2, lon2)
    assert 0 <= there <= math.pi * EARTH_RADIUS_KM + 1e-6
    assert there == pytest.approx(haversine_km(lat2, lon2, lat1, lon1))


def test_haversine_reference_distances():
    assert haversine_km(10, 20, 11, 20) == pytest.approx(111.19, abs=0.05)  # one degree of latitude
    assert haversine_km(0, 0, 0, 180) == pytest.approx(20_015.1, abs=1)  # antipodes
    assert haversine_km(-17, 179.5, -17, -179.5) < 120  # across the antimeridian


def test_nearest_measures_few_places_yet_finds_what_measuring_all_would():
    rng = random.Random(11)
    points = [(round(rng.uniform(-90, 90), 2), round(rng.uniform(-180, 180), 2)) for _ in range(300)]
    points += [(location.latitude, location.longitude) for location in LOCATIONS]
    points += [(90.0, 0.0), (-90.0, 0.0), (0.0, 180.0), (0.0, -180.0)]
    for point in points:
        everyone = min(((loc, haversine_km(*point, loc.latitude, loc.longitude)) for loc in LOCATIONS),
                       key=lambda pair: (pair[1], pair[0].id))
        assert nearest(*point) == everyone


@pytest.mark.parametrize("loc", LOCATIONS, ids=lambda loc: loc.id)
def test_each_place_is_its_own_nearest(loc):
    assert nearest(loc.latitude, loc.longitude) == (loc, 0.0)


def test_null_island_is_open_ocean_yet_has_a_nearest_place():
    place, km = nearest(0, 0)
    assert km > 300
    assert place.country_code in {"GH", "NG", "CD"}  # the Gulf of Guinea's shores


@pytest.mark.parametrize("lat, lon, axis", [(90.5, 0, "latitude"), (-91, 0, "latitude"), (0, 180.01, "longitude"),
                                            (0, -181, "longitude"), (math.nan, 0, "latitude")])
def test_nearest_rejects_points_off_the_globe(lat, lon, axis):
    with pytest.raises(CoordinateError, match=f"{axis} must be a number between"):
        nearest(lat, lon)


# --- places named in free text -----------------------------------------------

def mentioned_ids(text):
    return [(loc.id, offset) for loc, offset in mentioned_locations(text)]


def test_mentions_come_with_offsets_in_text_order():
    text = "Oslo is colder than Lisbon."
    assert mentioned_ids(text) == [("oslo-no", 0), ("lisbon-pt", text.index("Lisbon"))]


def test_the_longest_name_wins():
    assert mentioned_ids("Flying to New York City.") == [("new-york-city-ny-us", 10)]


def test_mentions_respect_word_boundaries_and_capitals():
    assert mentioned_ids("A Parisian romance, an alert, la la land") == []
    assert mentioned_ids("Weather alert for Alert") == [("alert-nu-ca", 18)]


def test_abbreviations_count_only_in_capitals():
    assert mentioned_ids("In LA and NYC") == [("los-angeles-ca-us", 3), ("new-york-city-ny-us", 10)]
    assert mentioned_ids("In La and Nyc") == []


def test_accented_and_unaccented_spellings_are_found_at_their_offsets():
    text = "From Sao Paulo to Zürich"
    assert mentioned_ids(text) == [("sao-paulo-br", 5), ("zurich-ch", text.index("Zürich"))]


@pytest.mark.parametrize("text, name, expected_id", [
    ("It is 4 °C in St. John's today", "St. John's", "st-johns-nl-ca"),
    ("Colder – and windier — in Nuku’alofa", "Nuku’alofa", "nukualofa-to"),
    ("Œuvres… ﬁne weather in Tromsø", "Tromsø", "tromso-no"),
    ("½ way to  ..  Amundsen–Scott South Pole Station", "Amundsen–Scott South Pole Station",
     "south-pole-aq"),
    ("L.A.’s weather, then Sài Gòn", "Sài Gòn", "ho-chi-minh-city-vn"),
])
def test_offsets_point_at_the_name_as_written_after_joiners_symbols_and_ligatures(text, name, expected_id):
    assert mentioned_ids(text)[-1] == (expected_id, text.index(name))


@pytest.mark.parametrize("text, expected_id", [
    ("Paris, Texas is hot", "paris-tx-us"), ("Paris TX", "paris-tx-us"), ("Paris in spring", "paris-fr"),
    ("Portland, ME tomorrow", "portland-me-us"), ("London, Ontario", "london-on-ca"),
    ("Springfield, Massachusetts", "springfield-ma-us"),
])
def test_an_ambiguous_mention_follows_its_qualifier_else_the_largest_place(text, expected_id):
    assert mentioned_ids(text) == [(expected_id, 0)]


def test_text_without_places_mentions_nothing():
    assert mentioned_locations("") == []
    assert mentioned_locations("It will rain tomorrow.") == []


@pytest.mark.parametrize("text, expected", [
    ("Delhi, then new Delhi", [("delhi-in", 0)]),  # "new delhi" runs over the second one
    ("From ho chi Minh City to Sai Gon", [("ho-chi-minh-city-vn", 25)]),
    ("amundsen scott South Pole", [("south-pole-aq", 15)]),  # "amundsen scott" ends before it
    ("amundsen scott South Pole Station", []),
    ("ciudad de Mexico City", []),
])
def test_a_name_inside_an_uncapitalised_longer_name_is_no_mention(text, expected):
    assert mentioned_ids(text) == expected


NAME_WORDS = sorted({word for loc in LOCATIONS for spelling in (loc.name, *loc.aliases) for word in spelling.split()}
                    | {"new", "de", "city", "pole", "station", "It's", "the", "UV", "L.A.", "N.Y.C.", "ME", "TX", "Texas"})


@st.composite
def texts_of_names(draw):
    """Texts made of name words in any case, glued or spaced by anything that folds to a word break or away."""
    parts = []
    for word in draw(st.lists(st.sampled_from(NAME_WORDS), max_size=12)):
        style = draw(st.sampled_from((str, str.lower, str.upper, str.title, str.swapcase)))
        parts.append(style(word) + draw(st.sampled_from(("", "'s", "’", ".", "5"))))
        parts.append(draw(st.sampled_from((" ",) * 60 + ("  ", ", ", "-", ".", "'", "", "\n", " – ", "ß", "½", "ē"))))
    return "".join(parts)


@property_test
@given(texts_of_names())
def test_reading_from_the_capitals_finds_what_folding_the_whole_text_finds(text):
    found = locations._capitalised_mentions(text)
    assert found is None or found == locations._folded_mentions(text)
    assert found is not None or any(ord(char) > 255 for char in text) or "ß" in text or "½" in text


# --- loading and validating a city file --------------------------------------

def city_entry(**overrides):
    entry = {
        "id": "testville-no", "name": "Testville", "admin1": None, "country_code": "NO",
        "latitude": 60.0, "longitude": 10.0, "elevation_m": 100, "timezone": "Europe/Oslo",
        "koppen": "Dfb", "climate_group": "continental", "population": 1000, "aliases": ["TV"],
        "monthly_high_c": [0, 1, 5, 10, 16, 20, 22, 21, 16, 10, 4, 1],
        "monthly_low_c": [-5, -5, -2, 2, 7, 11, 13, 12, 8, 4, 0, -4],
        "monthly_wet_days": [9, 7, 8, 7, 8, 10, 10, 11, 10, 11, 11, 10],
    }
    entry.update(overrides)
    return entry


def city_file(tmp_path, *entries):
    path = tmp_path / "cities.json"
    path.write_text(json.dumps({
        "countries": {"NO": {"name": "Norway", "aliases": ["NOR"], "regions": {}}},
        "locations": list(entries) or [city_entry()],
    }), encoding="utf-8")
    return path


def test_a_valid_file_loads_into_locations_with_country_names(tmp_path):
    countries, locations = load_database(city_file(tmp_path))
    assert countries["NO"].name == "Norway"
    (loc,) = locations
    assert (loc.id, loc.country, loc.monthly_high_c[JUL], loc.aliases) == ("testville-no", "Norway", 22.0, ("TV",))


def test_places_sharing_a_name_get_region_labels(tmp_path):
    _, locations = load_database(city_file(
        tmp_path, city_entry(admin1="East"), city_entry(id="testville-west-no", admin1="West")))
    assert [loc.label for loc in locations] == ["Testville, East, NO", "Testville, West, NO"]


@pytest.mark.parametrize("overrides, message", [
    ({"monthly_high_c": [1] * 11}, r"testville-no\): monthly_high_c must list 12 numbers"),
    ({"monthly_low_c": [-5, -5, -2, 2, 7, 11, 25, 12, 8, 4, 0, -4]}, "Jul mean high 22.0 is below its mean low 25.0"),
    ({"monthly_wet_days": [9, 7, 8, 7, 8, 10, 10, 11, 10, 11, 11, 40]}, "Dec wet days 40.0 must be between 0 and 31"),
    ({"latitude": 95}, "latitude must be a number in -90..90, got 95"),
    ({"longitude": -200}, "longitude must be a number in -180..180"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone 'Mars/Olympus_Mons' is not an IANA zone"),
    ({"climate_group": "tundra"}, "climate_group must be one of tropical, arid"),
    ({"country_code": "XX"}, "country_code 'XX' is not in the countries table"),
    ({"id": "Test Ville"}, "id must be a lower-case slug"),
    ({"koppen": "cold"}, "koppen must be a Köppen code"),
    ({"population": -3}, "population must be a whole number"),
    ({"colour": "blue"}, "unknown field.s. colour"),
])
def test_bad_entries_are_rejected_with_a_message_that_says_what_to_fix(tmp_path, overrides, message):
    with pytest.raises(CityDataError, match=message):
        load_database(city_file(tmp_path, city_entry(**overrides)))


def test_missing_fields_and_duplicate_ids_are_rejected(tmp_path):
    incomplete = city_entry()
    del incomplete["timezone"]
    with pytest.raises(CityDataError, match="missing field.s. timezone"):
        load_database(city_file(tmp_path, incomplete))
    with pytest.raises(CityDataError, match=r"location #1 \(testville-no\): duplicate id 'testville-no'"):
        load_database(city_file(tmp_path, city_entry(), city_entry()))


def test_an_unreadable_file_is_reported(tmp_path):
    path = tmp_path / "cities.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CityDataError, match="cities.json: cannot read the city file"):
        load_database(path)
