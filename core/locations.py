"""The city database: real places with their climate normals, found by name, by text or by position.

Loaded once from ``core/data/cities.json`` (sources in ``core/data/README.md``) and
validated on load, so a bad edit to the data fails at import with a message that
names the entry, rather than as an odd temperature deep inside a generation run.
"""

from __future__ import annotations

import bisect
import difflib
import json
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.json_codec import is_finite_number

DATA_PATH = Path(str(resources.files("core") / "data" / "cities.json"))  # not beside a build: see compiled_modules
CLIMATE_GROUPS = ("tropical", "arid", "temperate", "continental", "polar", "highland")
EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius: half the circumference is ~20,015 km
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Every city's time zone, held so that ZoneInfo(key) keeps finding it in its cache: the zone files are
# read once, at import (before any worker process forks), not again at each use.
_ZONES: dict[str, ZoneInfo] = {}


class CityDataError(ValueError):
    """The city file is malformed; the message names the entry, the problem and the fix."""


class CoordinateError(ValueError):
    """A latitude or longitude outside the globe (or not a finite number)."""


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str
    aliases: tuple[str, ...]  # alpha-3 code and common names users type ("USA", "UK")
    regions: Mapping[str, str]  # admin1 abbreviation -> full name ("TX" -> "Texas")


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    country: str
    country_code: str
    admin1: str | None
    latitude: float
    longitude: float
    elevation_m: float
    timezone: str
    koppen: str
    climate_group: str
    monthly_high_c: tuple[float, ...]
    monthly_low_c: tuple[float, ...]
    monthly_wet_days: tuple[float, ...]
    aliases: tuple[str, ...] = ()
    population: int | None = None
    fictional: bool = False
    shares_name: bool = False  # another place in the database has the same name

    @property
    def label(self) -> str:
        """``"Oslo, NO"``; the region joins in only where the name alone is ambiguous."""
        region = self.admin1 if self.shares_name else None
        return ", ".join(part for part in (self.name, region, self.country_code) if part)


# --- normalisation -----------------------------------------------------------

# Letters that Unicode decomposition leaves alone but a user types plainly.
_PLAIN_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
     "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i"}
)
_JOINERS = frozenset("'’ʻ`.")  # "St. John's" ~ "St Johns", "L.A." ~ "LA", "Nuku'alofa" ~ "Nukualofa"


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char in _JOINERS:
        return ""
    decomposed = unicodedata.normalize("NFKD", char.translate(_PLAIN_LETTERS))
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(c if c.isascii() and c.isalnum() else " " for c in base)


class _AlignedFolds(dict):
    """A ``str.translate`` table folding each character to exactly one: itself folded, ``\x00`` for a
    character that folds away (a joiner, a lone accent) or ``\x01`` for one that folds to several
    (``"æ"``, ``"ﬁ"``). Filled on first sight of a character."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        aligned = folded if len(folded) == 1 else "\x00" if not folded else "\x01"
        if len(self) < _ALIGNED_LIMIT:
            self[code] = aligned
        return aligned


_ALIGNED_LIMIT = 1 << 16
_ALIGNED = _AlignedFolds()
# Frequent characters beyond Latin-1 and ones that fold the same: with them swapped in, most texts are
# Latin-1, which fold byte for byte through a 256-entry table (bytes.translate, the fastest path).
_LATIN1_STAND_INS = (("’", "'"), ("–", " "), ("—", " "))
_LATIN1_FOLDS = bytes(ord(_ALIGNED[code]) for code in range(256))


def _with_latin1_stand_ins(text: str) -> str:
    """``text`` with the stand-ins swapped in: each character for one that folds the same."""
    if not text.isascii():
        for wide, narrow in _LATIN1_STAND_INS:
            if wide in text:
                text = text.replace(wide, narrow)
    return text


class _Folding:
    """A text's folded form, its words, and the index in the text each folded letter or digit came from.

    Most texts fold character for character (a translation table at C speed) into an aligned copy;
    an origin is then the position of the n-th kept character there, found by counting when
    first asked. Texts with a character that folds to several letters go through the
    character-by-character fold, which records every origin.
    """

    __slots__ = ("folded", "words", "_aligned", "_origins", "_spaced")

    def __init__(self, text: str) -> None:
        text = _with_latin1_stand_ins(text)
        try:
            aligned = text.encode("latin-1").translate(_LATIN1_FOLDS).decode("latin-1")
        except UnicodeEncodeError:
            aligned = text.translate(_ALIGNED)
        self._spaced: str | None = None
        if "\x01" in aligned:
            self.folded, self._origins = _folded_by_char(text)
            self.words = self.folded.split()
            self._aligned = None
        else:
            self.words = aligned.replace("\x00", "").split()  # only letters, digits and spaces
            self.folded = " ".join(self.words)
            self._aligned, self._origins = aligned, None

    def origin(self, position: int) -> int:
        """Index in the text of the folded letter or digit at ``position`` (not of a space).

        The index is the first where ``letters_before`` kept characters lie behind; counting from a
        lower bound (``position``: each folded space stands for at least one character not kept) and
        moving it by what is still missing reaches it in a few C-speed counts, mostly one."""
        if self._aligned is None:
            return self._origins[position]
        if self._spaced is None:
            self._spaced = self._aligned.replace("\x00", " ")  # a space for each character not kept
        spaced = self._spaced
        letters_before = position - self.folded.count(" ", 0, position)
        index = position
        counted = index - spaced.count(" ", 0, index)
        while counted < letters_before:
            missing = letters_before - counted
            counted += missing - spaced.count(" ", index, index + missing)
            index += missing
        return spaced.find(self.folded[position], index)  # only spaces lie between


def _folded_by_char(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index in ``text`` it came from."""
    chars: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        for folded in _fold_char(char):
            if folded == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(folded)
            origins.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        origins.pop()
    return "".join(chars), origins


def normalize(text: str) -> str:
    """Accent-, case- and punctuation-blind form of a name: ``"  Zürich!"`` -> ``"zurich"``."""
    return _Folding(text).folded


# --- loading and validation --------------------------------------------------

_LOCATION_FIELDS = frozenset(
    {"id", "name", "admin1", "country_code", "latitude", "longitude", "elevation_m", "timezone",
     "koppen", "climate_group", "population", "aliases", "monthly_high_c", "monthly_low_c",
     "monthly_wet_days"}
)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KOPPEN = re.compile(r"[A-E][A-Za-z]{0,2}")


def _check(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise CityDataError(f"{where}: {message}")


def _monthly(raw: Mapping[str, Any], field: str, where: str) -> tuple[float, ...]:
    values = raw[field]
    _check(isinstance(values, list) and len(values) == 12, where,
           f"{field} must list 12 numbers (Jan..Dec), got {values!r}")
    _check(all(is_finite_number(v) for v in values), where, f"{field} must hold only numbers, got {values!r}")
    return tuple(float(v) for v in values)


def _country(code: str, raw: Any, where: str) -> Country:
    _check(re.fullmatch(r"[A-Z]{2}", code) is not None, where,
           "country keys must be ISO 3166-1 alpha-2 codes such as 'NO'")
    _check(isinstance(raw, dict) and isinstance(raw.get("name"), str), where,
           'each country needs {"name": str, "aliases": [str], "regions": {str: str}}')
    return Country(code, raw["name"], tuple(raw.get("aliases", ())), dict(raw.get("regions", {})))


def _location(raw: Any, countries: Mapping[str, Country], where: str) -> Location:
    _check(isinstance(raw, dict), where, "each location must be a JSON object")
    missing = sorted(_LOCATION_FIELDS - raw.keys())
    _check(not missing, where, f"missing field(s) {', '.join(missing)}; every field is required (use null for none)")
    unknown = sorted(raw.keys() - _LOCATION_FIELDS)
    _check(not unknown, where, f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_LOCATION_FIELDS))}")
    _check(isinstance(raw["id"], str) and _SLUG.fullmatch(raw["id"]) is not None, where,
           f"id must be a lower-case slug like 'springfield-il-us', got {raw['id']!r}")
    _check(isinstance(raw["name"], str) and normalize(raw["name"]) != "", where, "name must be a non-empty string")
    _check(raw["country_code"] in countries, where,
           f"country_code {raw['country_code']!r} is not in the countries table; add it there first")
    lat, lon = raw["latitude"], raw["longitude"]
    _check(is_finite_number(lat) and -90 <= lat <= 90, where, f"latitude must be a number in -90..90, got {lat!r}")
    _check(is_finite_number(lon) and -180 <= lon <= 180, where,
           f"longitude must be a number in -180..180, got {lon!r}")
    _check(is_finite_number(raw["elevation_m"]) and -500 <= raw["elevation_m"] <= 9000, where,
           f"elevation_m must be metres above sea level in -500..9000, got {raw['elevation_m']!r}")
    try:
        _ZONES.setdefault(raw["timezone"], ZoneInfo(raw["timezone"]))
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise CityDataError(f"{where}: timezone {raw['timezone']!r} is not an IANA zone zoneinfo can load "
                            "(use a name such as 'Europe/Oslo')") from None
    _check(isinstance(raw["koppen"], str) and _KOPPEN.fullmatch(raw["koppen"]) is not None, where,
           f"koppen must be a Köppen code such as 'Cfb', got {raw['koppen']!r}")
    _check(raw["climate_group"] in CLIMATE_GROUPS, where,
           f"climate_group must be one of {', '.join(CLIMATE_GROUPS)}, got {raw['climate_group']!r}")
    highs = _monthly(raw, "monthly_high_c", where)
    lows = _monthly(raw, "monthly_low_c", where)
    wet = _monthly(raw, "monthly_wet_days", where)
    for month, high, low, days, limit in zip(MONTH_NAMES, highs, lows, wet, _DAYS_IN_MONTH):
        _check(high >= low, where, f"{month} mean high {high} is below its mean low {low}; swap or correct them")
        _check(0 <= days <= limit, where, f"{month} wet days {days} must be between 0 and {limit}")
    aliases = raw["aliases"]
    _check(isinstance(aliases, list) and all(isinstance(a, str) and normalize(a) for a in aliases), where,
           "aliases must be a list of non-empty strings")
    population = raw["population"]
    _check(population is None or (isinstance(population, int) and not isinstance(population, bool) and population >= 0),
           where, f"population must be a whole number >= 0 or null, got {population!r}")
    return Location(
        id=raw["id"], name=raw["name"], country=countries[raw["country_code"]].name,
        country_code=raw["country_code"], admin1=raw["admin1"], latitude=float(lat), longitude=float(lon),
        elevation_m=float(raw["elevation_m"]), timezone=raw["timezone"], koppen=raw["koppen"],
        climate_group=raw["climate_group"], monthly_high_c=highs, monthly_low_c=lows, monthly_wet_days=wet,
        aliases=tuple(aliases), population=population,
    )


def load_database(path: Path = DATA_PATH) -> tuple[dict[str, Country], tuple[Location, ...]]:
    """Read and validate a city file; raises :class:`CityDataError` naming the first bad entry."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CityDataError(f"{Path(path).name}: cannot read the city file ({exc})") from None
    _check(isinstance(document, dict) and isinstance(document.get("countries"), dict)
           and isinstance(document.get("locations"), list), Path(path).name,
           'expected {"countries": {...}, "locations": [...]}')
    countries = {code: _country(code, raw, f"{Path(path).name}: country {code!r}")
                 for code, raw in document["countries"].items()}
    locations: list[Location] = []
    seen: set[str] = set()
    for number, raw in enumerate(document["locations"]):
        where = f"{Path(path).name}: location #{number} ({raw.get('id', '?') if isinstance(raw, dict) else '?'})"
        location = _location(raw, countries, where)
        _check(location.id not in seen, where, f"duplicate id {location.id!r}; ids must be unique")
        seen.add(location.id)
        locations.append(location)
    name_counts = Counter(normalize(location.name) for location in locations)
    return countries, tuple(
        replace(location, shares_name=name_counts[normalize(location.name)] > 1) for location in locations
    )


COUNTRIES, LOCATIONS = load_database()
BY_ID: dict[str, Location] = {location.id: location for location in LOCATIONS}


# --- indexes -----------------------------------------------------------------

def _by_population(locations: Iterable[Location]) -> tuple[Location, ...]:
    return tuple(sorted(locations, key=lambda loc: (-(loc.population or 0), loc.id)))


def _name_index(locations: Iterable[Location]) -> dict[str, tuple[Location, ...]]:
    groups: dict[str, list[Location]] = {}
    for location in locations:
        for key in {normalize(spelling) for spelling in (location.name, *location.aliases)}:
            groups.setdefault(key, []).append(location)
    return {key: _by_population(group) for key, group in groups.items()}


def _qualifier_keys(location: Location, country: Country) -> frozenset[str]:
    """Every way a user can say which country or region they mean: "US", "USA", "Texas", "TX"."""
    spellings = [country.code, country.name, *country.aliases]
    if location.admin1:
        spellings += [location.admin1, country.regions.get(location.admin1, "")]
    return frozenset(key for key in map(normalize, spellings) if key)


_INDEX = _name_index(LOCATIONS)
_QUALIFIERS = {loc.id: _qualifier_keys(loc, COUNTRIES[loc.country_code]) for loc in LOCATIONS}
_DISPLAY = {normalize(spelling): spelling for loc in LOCATIONS for spelling in (*loc.aliases, loc.name)}
_ABBREVIATIONS = frozenset(normalize(a) for loc in LOCATIONS for a in loc.aliases if a.isupper())


def _keys_by_first_word(keys: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Names grouped by their first word, longest first ("new york city" before "new york"), each with a
    space either side: in a folded text padded the same way, a match is then a whole-word match."""
    groups: dict[str, list[str]] = {}
    for key in sorted(keys, key=lambda k: (-len(k), k)):
        groups.setdefault(key.split(" ")[0], []).append(f" {key} ")
    return {word: tuple(group) for word, group in groups.items()}


_KEYS_BY_FIRST_WORD = _keys_by_first_word(_INDEX)
_FIRST_WORDS = frozenset(_KEYS_BY_FIRST_WORD)
_NAME_WORDS = frozenset(word for key in _INDEX for word in key.split(" "))
_LATER_WORDS = frozenset(word for key in _INDEX for word in key.split(" ")[1:])  # only these can lie inside a name
_MAX_NAME_WORDS = max(key.count(" ") + 1 for key in _INDEX)
_QUALIFIER_WORDS = 4  # words after a name that may say which place it is ("Paris, Texas", "Portland, ME")


# The fold that finds where a name can start: a capital that folds to a name's first letter becomes the
# marker \x02, any other character folds as in _LATIN1_FOLDS (applied deleting those that fold away).
_NAME_INITIALS = frozenset(word[0] for word in _FIRST_WORDS)
_LATIN1_NAME_MARKS = bytes(2 if chr(code).isupper() and _ALIGNED[code] in _NAME_INITIALS else _LATIN1_FOLDS[code]
                           for code in range(256))
_LATIN1_FOLDED_AWAY = bytes(code for code in range(256) if _LATIN1_FOLDS[code] == 0)


def _alternatives(words: Iterable[bytes]) -> bytes:
    """A pattern matching any of ``words``, its branches grouped by first letter: the engine rejects a branch
    by that letter alone, so a word that is none of them costs about one check for each letter."""
    groups: dict[bytes, list[bytes]] = {}
    for word in sorted(set(words)):
        groups.setdefault(word[:1], []).append(re.escape(word[1:]))
    return b"|".join(re.escape(first) + b"(?:" + b"|".join(rests) + b")" for first, rests in groups.items())


# A marker after a space (the start of a word) followed by what can be the rest of a name's first word:
# "ondon" of "London", or by a word holding another marker ("NYC": "\x02\x02"), which only its letters tell.
# The pattern opens with two literal bytes, which the engine scans for quickly.
_MARKED_NAME_STARTS = re.compile(
    rb" \x02(?:(?:" + _alternatives(word[1:].encode("ascii") for word in _FIRST_WORDS) + rb")(?= )|[^ \x02]*\x02)")


# --- lookups -----------------------------------------------------------------

def geocode(city: str, country: str | None = None) -> list[Location]:
    """Places called ``city``, most populous first; ``[]`` when none is known.

    Matching ignores case, accents and punctuation and knows aliases (NYC, Bombay).
    ``country`` — a name, ISO code or region ("USA", "UK", "Texas", "ON") — narrows
    the result, as does a comma-separated suffix in ``city`` ("Paris, TX").
    """
    name, *suffixes = city.split(",")
    wanted = [key for key in map(normalize, [*suffixes, country or ""]) if key]
    return [loc for loc in _INDEX.get(normalize(name), ()) if all(key in _QUALIFIERS[loc.id] for key in wanted)]


SUGGESTION_CUTOFF = 0.7  # typos ("Londn", "Tokio", "Sidney") stay above it; chance likenesses ("Morbury" ~ "Joburg") fall below


def suggest(city: str, limit: int = 3) -> list[str]:
    """The known names (or aliases) closest in spelling to ``city``, for "did you mean" replies."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    ranked = difflib.get_close_matches(normalize(city.split(",")[0]), list(_INDEX), n=len(_INDEX),
                                       cutoff=SUGGESTION_CUTOFF)
    suggestions: list[str] = []
    places_named: set[tuple[Location, ...]] = set()
    for key in ranked:  # one spelling per place: "Lyon" or "Lyons", not both
        if _INDEX[key] not in places_named and len(suggestions) < limit:
            places_named.add(_INDEX[key])
            suggestions.append(_DISPLAY[key])
    return suggestions


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a spherical Earth (error < 0.5 %, plenty for picking a city)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, a))))


# Database places by latitude: a place farther in latitude alone than the nearest one found so far
# cannot be the nearest, so `nearest` measures the distance to a few places instead of all.
_BY_LATITUDE = sorted(LOCATIONS, key=lambda location: location.latitude)
_LATITUDES = [location.latitude for location in _BY_LATITUDE]
ROUNDING_KM = 1.0  # far beyond float error: a place is passed over only when surely farther


def nearest(latitude: float, longitude: float) -> tuple[Location, float]:
    """The database place closest to a point (ties to the lower id) and its distance in km
    (works anywhere, open ocean too)."""
    for axis, value, bound in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if not (is_finite_number(value) and -bound <= value <= bound):
            raise CoordinateError(f"{axis} must be a number between -{bound} and {bound}, got {value!r}")
    below = bisect.bisect_left(_LATITUDES, latitude) - 1
    above = below + 1
    best: tuple[float, str, Location] | None = None
    while below >= 0 or above < len(_LATITUDES):
        if below >= 0 and (above == len(_LATITUDES) or latitude - _LATITUDES[below] <= _LATITUDES[above] - latitude):
            location, below = _BY_LATITUDE[below], below - 1
        else:
            location, above = _BY_LATITUDE[above], above + 1
        if best and EARTH_RADIUS_KM * abs(math.radians(location.latitude) - math.radians(latitude)) \
                > best[0] + ROUNDING_KM:
            break  # places come in order of latitude difference, so every one left is farther still
        candidate = (haversine_km(latitude, longitude, location.latitude, location.longitude), location.id, location)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    return best[2], best[0]


def mentioned_locations(text: str) -> list[tuple[Location, int]]:
    """Database places that ``text`` names, with the character offset of each mention, in text order.

    Longest name wins ("New York City" over "York"), matches respect word boundaries,
    and a mention must be written as a name: capitalised, and abbreviations such
    as "LA" in capitals, so "la" or "an alert" mention nothing. An ambiguous name
    followed by a country or region ("Paris, Texas", "Portland, ME") resolves to
    that place, otherwise to the most populous one.
    """
    mentions = _capitalised_mentions(text)
    return _folded_mentions(text) if mentions is None else mentions


def _folded_mentions(text: str) -> list[tuple[Location, int]]:
    """``mentioned_locations`` by folding the whole text, finding every name in it and keeping the capitalised ones."""
    folding = _Folding(text)
    folded = folding.folded
    mentions: list[tuple[Location, int]] = []
    for position, key in _name_spans(folded, folding.words):
        start = folding.origin(position)
        if not text[start].isupper():
            continue
        end = position + len(key)
        if key in _ABBREVIATIONS and not text[start:folding.origin(end - 1) + 1].isupper():
            continue
        mentions.append((_resolve(_INDEX[key], folded[end:], 0), start))
    return mentions


def _capitalised_mentions(text: str) -> list[tuple[Location, int]] | None:
    """``mentioned_locations`` read from the capitalised words that can begin a name; None for a text with a
    character beyond Latin-1 or folding to several letters, which `_folded_mentions` reads.

    A mention starts at a capital, yet splitting the whole folded text into words and hashing each is most
    of what the full reading costs, and most words are neither capitalised nor a name's first word. So one
    scan of a fold that marks those capitals finds the candidates, and only the text from each is split.
    Which names the full reading keeps depends on names starting in lower case too ("new Delhi" hides
    "Delhi"), but only a name of several words can hide one, from a few words before it (`_hidden`).
    """
    try:
        raw = _with_latin1_stand_ins(text).encode("latin-1")
    except UnicodeEncodeError:
        return None
    aligned = raw.translate(_LATIN1_FOLDS)  # one byte for each character of the text, as in _Folding
    if 1 in aligned:  # \x01, folding to several letters (an int: a bytes operand first fails to convert to one)
        return None
    # The fold less the characters folding away (lowered, but spaces as written) with a space either side:
    # a match, which starts at the space before a word, starts at the word's index in lowered.
    marked = b" " + raw.translate(_LATIN1_NAME_MARKS, _LATIN1_FOLDED_AWAY) + b" "
    mentions: list[tuple[Location, int]] = []
    lowered = ""
    for match in _MARKED_NAME_STARTS.finditer(marked):
        at = match.start()
        lowered = lowered or aligned.replace(b"\x00", b"").decode("ascii")
        following = lowered[at:]
        words = following.split(None, _MAX_NAME_WORDS)[:_MAX_NAME_WORDS]
        key = _longest_name(words)
        if key is None:
            continue
        if words[0] in _LATER_WORDS and _hidden(lowered[:at].split(), words):
            continue
        start = _kept_index(aligned, at)
        size = key.count(" ") + 1
        if key in _ABBREVIATIONS:
            if size > 1:
                return None  # an abbreviation of several words (the data has none): the full reading finds its end
            if not text[start:_kept_index(aligned, at + len(key) - 1) + 1].isupper():
                continue
        mentions.append((_resolve(_INDEX[key], following, size), start))
    return mentions


def _longest_name(words: list[str]) -> str | None:
    """The longest name (folded) that the folded ``words`` begin with, as `_name_spans` picks it at a word."""
    keys = _KEYS_BY_FIRST_WORD.get(words[0])
    if keys:
        head = f" {' '.join(words[:_MAX_NAME_WORDS])} "
        for key in keys:
            if head.startswith(key):
                return key[1:-1]
    return None


def _hidden(previous: list[str], words: list[str]) -> bool:
    """Whether the full reading drops the name that ``words`` begin with for a longer one that starts in
    one of the ``previous`` words (all the folded words before it) and runs over it. That one is kept
    unless hidden in turn, which takes its own first word to lie inside some name."""
    for back in range(1, min(len(previous), _MAX_NAME_WORDS - 1) + 1):  # one starting further back ends sooner
        start = len(previous) - back
        key = _longest_name(previous[start:] + words)
        if key is not None and key.count(" ") >= back and (
                previous[start] not in _LATER_WORDS or not _hidden(previous[:start], previous[start:] + words)):
            return True
    return False


def _kept_index(aligned: bytes, kept: int) -> int:
    """Index in ``aligned`` of its character number ``kept`` (from 0) that is not ``\x00``.

    Each step counts the ``\x00`` up to the index reached, which moves it on by those not yet
    counted; it never passes the answer, and stops there, mostly after one or two counts."""
    index = kept
    while True:
        reached = kept + aligned.count(b"\x00", 0, index + 1)
        if reached == index:
            return index
        index = reached


@lru_cache(maxsize=4096)
def may_name(text: str) -> bool:
    """Whether a word of ``text`` (folded) is a word of some place name: a text without one names no place,
    nor does anything around it change what a longer text names. Cached: it is asked about the same few
    short words ("Here's", "it's") again and again."""
    return not _NAME_WORDS.isdisjoint(_Folding(text).words)


def _name_spans(folded: str, words: Iterable[str]) -> list[tuple[int, str]]:
    """(offset, key) of each database name in folded text, whole words only, longest name at
    each offset and none overlapping, left to right. Only the words (of ``folded``) that start
    some name are looked for, so most of the text is never scanned letter by letter."""
    starts = _FIRST_WORDS.intersection(words)
    if not starts:
        return []
    padded = f" {folded} "  # a name's offset in folded is that of the space before it here
    found = []
    for word in starts:
        needle = f" {word} "
        position = padded.find(needle)
        while position >= 0:
            for key in _KEYS_BY_FIRST_WORD[word]:
                if padded.startswith(key, position):
                    found.append((position, key[1:-1]))
                    break
            position = padded.find(needle, position + len(needle) - 1)
    found.sort()
    spans, reached = [], 0
    for position, key in found:
        if position >= reached:
            spans.append((position, key))
            reached = position + len(key)
    return spans


def _resolve(candidates: tuple[Location, ...], following: str, skip: int) -> Location:
    """The candidate that the words after its name qualify, else the first: ``following`` is the folded
    text from the name on, the name its first ``skip`` words."""
    if len(candidates) == 1:
        return candidates[0]
    words = following.split(None, skip + _QUALIFIER_WORDS)[skip:skip + _QUALIFIER_WORDS]
    for size in range(len(words), 0, -1):
        qualifier = " ".join(words[:size])
        for candidate in candidates:
            if qualifier in _QUALIFIERS[candidate.id]:
                return candidate
    return candidates[0]
