"""The words and numbers that count as weather claims (INTERFACES.md, "Groundedness claims").

Spotting is text-only and precise by design: persona flourishes without
numbers ("right as rain", "every cloud has a silver lining", "let me be clear")
are not claims, and words inside conditionals ("in case of rain") are not
assertions. Whether a claim is true is decided elsewhere, against tool outputs.

For speed the text is lowered once (offsets kept) and scanned once for numbers
and once for its runs of letters; the condition words among those runs are then
found with str.find, and units, qualifiers and phrases are read around each hit,
instead of running a case-insensitive alternation per claim kind over the whole text.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

FREEZING_C = 0.5
NEAR_FREEZING_C = 2.0
TEMPERATURE_TOLERANCE_C = 1.5
WIND_TOLERANCE_KMH = 2.0
PERCENT_TOLERANCE = 5.0           # "about 70 %" for 67 %
AMOUNT_TOLERANCE = (1.0, 0.15)    # mm, share of the value: whichever is larger

PRECIPITATION_FAMILIES = frozenset({"drizzle", "freezing", "rain", "snow", "thunderstorm"})
_WET = frozenset({"rain", "drizzle", "freezing", "thunderstorm"})
# word group -> (families whose codes support the word, families that contradict "no <word>")
CONDITION_WORDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "thunder": (frozenset({"thunderstorm"}), frozenset({"thunderstorm"})),
    "sleet": (frozenset({"freezing", "snow"}), frozenset({"freezing"})),
    "snow": (frozenset({"snow"}), frozenset({"snow"})),
    "drizzle": (frozenset({"drizzle", "freezing", "rain"}), frozenset({"drizzle", "freezing"})),
    "rain": (_WET, _WET),
    "showers": (_WET | {"snow"}, _WET | {"snow"}),
    "fog": (frozenset({"fog"}), frozenset({"fog"})),
    "cloud": (frozenset({"partly_cloudy", "cloudy", "fog"}) | PRECIPITATION_FAMILIES,
              frozenset({"partly_cloudy", "cloudy"})),
    "sun": (frozenset({"clear", "partly_cloudy"}), frozenset({"clear", "partly_cloudy"})),
    "clear": (frozenset({"clear", "partly_cloudy"}), frozenset({"clear"})),
}
_WORD_GROUP = {
    **dict.fromkeys(("thunder", "thunderstorm", "thunderstorms", "thundery", "thundering", "lightning", "hail",
                     "hailstorm", "hailstorms", "hailstone", "hailstones"), "thunder"),
    **dict.fromkeys(("sleet", "sleety", "sleeting"), "sleet"),
    **dict.fromkeys(("snow", "snowy", "snowfall", "snowfalls", "snowing", "snowflake", "snowflakes", "snowstorm",
                     "snowstorms", "snows", "flurry", "flurries", "blizzard", "blizzards"), "snow"),
    **dict.fromkeys(("drizzle", "drizzles", "drizzly", "drizzling"), "drizzle"),
    **dict.fromkeys(("rain", "rainy", "raining", "rainfall", "rains", "rained", "rainstorm", "rainstorms",
                     "downpour", "downpours"), "rain"),
    **dict.fromkeys(("shower", "showers", "showery"), "showers"),
    **dict.fromkeys(("fog", "foggy", "fogs", "mist", "misty", "mists"), "fog"),
    **dict.fromkeys(("cloud", "cloudy", "clouds", "cloudier", "cloudiest", "cloudiness", "overcast"), "cloud"),
    **dict.fromkeys(("sunny", "sunnier", "sunniest", "sunshine", "sunlight", "sunlit"), "sun"),
    **dict.fromkeys(("clear", "clearing"), "clear"),
}
# (first word, second word) -> the group of the phrase, which then counts as one claim.
_PHRASES = {("freezing", "rain"): "sleet", ("freezing", "drizzle"): "sleet", ("ice", "pellets"): "sleet",
            ("icy", "rain"): "sleet", ("snow", "showers"): "snow", ("snow", "shower"): "snow",
            ("snow", "grains"): "snow", ("rain", "showers"): "rain", ("rain", "shower"): "rain",
            ("grey", "skies"): "cloud", ("gray", "skies"): "cloud", ("blue", "skies"): "sun"}
_PHRASE_FIRST = frozenset(first for first, _ in _PHRASES)

_NEGATIONS = frozenset({"no", "not", "without", "nor", "never", "zero", "isn't", "aren't", "won't", "don't",
                        "doesn't", "wasn't", "isn’t", "aren’t", "won’t", "don’t", "doesn’t", "wasn’t"})
_NEGATING_PAIRS = frozenset({("free", "of"), ("lack", "of"), ("absence", "of")})
_LOW = frozenset({"little", "low", "slight", "small", "minimal", "tiny"})
_CHANCE = frozenset({"chance", "chances", "risk", "probability", "likelihood", "odds"})
_HEDGES = frozenset({"chance", "chances", "risk", "possible", "possibly", "possibility", "might", "may", "could",
                     "perhaps", "maybe", "threat", "odds", "potential", "occasional", "scattered", "isolated",
                     "patchy", "passing", "odd", "few", "spells", "bits", "likely", "probably", "probable"})
_CONDITIONALS = frozenset({"if", "whether", "unless", "when"})
_CONDITIONAL_PAIRS = frozenset({("in", "case"), ("should", "it"), ("prepared", "for"), ("ready", "for")})
_CLAUSE_WORDS = frozenset({"but", "while", "whereas", "although", "though", "so", "then"})
_QUALIFIER_WINDOW = 4  # words before a condition word that can negate or hedge it
_CLAUSE_REACH = 50  # characters before a word in which its clause starts, at the latest
# Every word that can make a condition anything but affirmed: a window with none of them (most) is affirmed
# without building its word pairs.
_QUALIFYING = _NEGATIONS | _LOW | _HEDGES | _CONDITIONALS | {
    first for first, _ in _NEGATING_PAIRS | _CONDITIONAL_PAIRS}

# The patterns from here on run on lowered text.
# A number (with its sign, or "minus") and the unit right after it, if any. A number starts with a sign,
# "m" or a digit: the pattern opens with a character class the engine scans for quickly, and lookbehinds
# finish each case (which of those it is; no letter, digit or point before the number, none before its sign).
# The class is "-", "m", 0-9 or any character above Latin-1: in Latin-1, \d is 0-9, and a plain class is
# checked several times faster than one holding \d; the lookbehinds turn away what else it lets through.
# A temperature unit's group names its scale ("degrees" names none), so the scale is read from `lastgroup`.
_SIGNED, _MINUS, _DIGITS = r"(?<=[-−])(?<![\w.\-−][-−])\d+", r"(?<=m)(?<!\wm)inus\s+\d+", r"(?<=\d)(?<![\w.]\d)\d*"
_UNIT = (
    r"(?:\s*(?:(?P<celsius>°\s*c\b|℃|degrees?\s+(?:celsius|centigrade|c)\b)"
    r"|(?P<fahrenheit>°\s*f\b|℉|degrees?\s+(?:fahrenheit|f)\b)|(?P<degrees>degrees?|°)"
    r"|(?P<wind>km/h|kmh|kph|km per hour|kilomet(?:re|er)s? (?:per|an) hour|mph|miles (?:per|an) hour|m/s"
    r"|met(?:re|er)s? per second|knots?|kts?)(?![\w/])"
    r"|(?P<precipitation>mm|millimet(?:re|er)s?|cm|centimet(?:re|er)s?|inch(?:es)?)\b"
    r"|(?P<percent>%|percent\b|per cent\b)))?")
_NUMBER_AND_UNIT = re.compile(
    rf"(?P<number>[-m0-9\u0100-\U0010ffff](?:{_SIGNED}|{_MINUS}|{_DIGITS})(?:\.\d+)?(?![\d])){_UNIT}")
# The same for a text without "minus" (most): no "m" opens a number, so the engine stops at no word's "m".
_NUMBER_AND_UNIT_NO_MINUS = re.compile(
    rf"(?P<number>[-0-9\u0100-\U0010ffff](?:{_SIGNED}|{_DIGITS})(?:\.\d+)?(?![\d])){_UNIT}")
_RANGE_GAP = re.compile(r"\s*(?:°\s*[cf]?\s*|%\s*)?(?:-|–|—|to|and)\s*$")
_DIFFERENCE_WORDS = ("warmer", "colder", "cooler", "hotter", "higher", "lower", "milder", "chillier", "more", "less",
                     "up", "down", "difference")
_DIFFERENCE_AFTER = re.compile(
    r"\s+(?:" + "|".join(_DIFFERENCE_WORDS) + r"|(?:above|below)(?!\s+(?:zero|freezing)))\b")
_DIFFERENCE_FIRST_LETTERS = frozenset(word[0] for word in (*_DIFFERENCE_WORDS, "above", "below"))
_BELOW_ZERO_AFTER = re.compile(r"\s+below\s+(?:zero|freezing)\b")
_DIFFERENCE_BEFORE = tuple(f" {verb} {hedge}" for verb in ("by", "rise", "drop", "fall", "swing")
                           for hedge in ("", "about ", "around ", "some "))  # "warmer by 3 degrees"
_DIFFERENCE_BEFORE_LETTERS = frozenset(phrase[-2] for phrase in _DIFFERENCE_BEFORE)  # each one's last letter
DECADE = re.compile(r"\b(?:(?P<q>low|mid|middle|high|upper)[\s-]*)?(?P<d>[1-9])0s\b")
FREEZING = re.compile(
    r"\b(?:(?P<q>below|under|sub|near|around|close to|about|above|at|just above|just below)[\s-]+)?freezing\b"
    r"(?!\s+(?:rain|drizzle|fog|showers?|sleet|point))")
# The keywords that make a percentage humidity or a precipitation chance: "humid" anywhere, the others as
# whole words (r"\b(?:chances?|probability|likelihood|odds|likely|risk)\b"). No keyword's letters can overlap
# another's, so each is found with str.find and then fitted to a window by `_fitted_end`.
_PERCENT_WORDS = {"humid": "humidity", **dict.fromkeys(
    ("chance", "probability", "likelihood", "odds", "likely", "risk"), "precipitation_chance")}
# Each idiom with a piece of text every match of it holds (tests prove it), so that a window holding no piece
# (most) needs no search: the idioms open with common letters, which sends the engine into most windows.
_CLOUDING = r"cloud(?:s|ed|ing)? (?:\w+\s+)?"  # "clouded my judgment"
_IDIOMS = {
    r"right as rain": "as rain", r"rain or shine": "or shine", r"rain[- ]?check": "check",
    r"rain(?:s|ed|ing)? on (?:\w+\s+)?parade": "parade", r"it never rains": "never rain", r"it pours": "it pours",
    r"every cloud": "every cloud", r"silver lining": "lining", r"head in the clouds": "the cloud",
    r"under a cloud": "a cloud", _CLOUDING + r"judg(?:e)?ment": "judg", _CLOUDING + r"doubt": "doubt",
    _CLOUDING + r"suspicion": "suspicion", _CLOUDING + r"mind": "mind", r"steal\w* (?:\w+\s+)?thunder": "steal",
    r"snowball'?s chance": "snowball", r"snowed under": "snowed", r"fog of war": "fog of",
    r"(?:baby|bridal) shower": "shower", r"(?:take|took|taking|takes) a shower": "shower",
    r"shower(?:ed|ing)? (?:you|him|her|them|us|me) with": "shower",
}
IDIOM = re.compile("|".join(_IDIOMS))
_IDIOM_PIECES = tuple(dict.fromkeys(_IDIOMS.values()))
# Characters around a condition word searched for an idiom. Searching each window (one slice) costs less than
# first looking for any idiom's pieces in the whole text.
_IDIOM_REACH = 30
_CLEAR_NEXT = re.compile(
    r"\s+(?:skies|sky|day|days|night|nights|weather|conditions|mornings?|afternoons?|evenings?|spells?|periods?"
    r"|and\s+(?:cold|crisp|sunny|bright|dry|mild|warm|cool|chilly|calm|breezy|hot|still|frosty))\b")
_CLEAR_BEFORE = re.compile(
    r"(?:\b(?:mainly|mostly|partly|turning|stays?|staying|remains?|remaining|fairly)|\bsk(?:y|ies)(?:\s+\w+){0,2})\s+$")
_LOWER_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?")
# UTF-8 bytes sorted for `_qualifiers`: a-z stay, the ASCII clause marks become "|", "-" and the last byte of an
# en or em dash "-", "'" and the last byte of "’" "'", and every other byte a space. Another character ending in
# one of those bytes reads as a dash or an apostrophe, which only sends its window to the patterns.
_CLAUSE_BYTES = bytes(
    byte if 97 <= byte <= 122 else ord("|") if chr(byte) in ",;:.!?()\n"
    else ord("-") if byte in {dash.encode()[-1] for dash in "-–—"}
    else ord("'") if byte in {mark.encode()[-1] for mark in "'’"} else ord(" ") for byte in range(256))


_CONDITION_VOCABULARY = frozenset({*_WORD_GROUP, *_PHRASE_FIRST})
# UTF-8 bytes with every byte but a-z blanked: any other character, multi-byte ones included, splits runs.
_LETTERS_ONLY = bytes(byte if 97 <= byte <= 122 else 32 for byte in range(256))
_NEXT_WORD = re.compile(r"\s+([a-z]+)")
# Clause breaks in lowered text: , ; : ( ), a dash with white space on both sides, or one of _BREAK_WORDS
# as a whole word; each mark is found with str.find, faster than a pattern scanning every character.
_BREAK_MARKS = ",;:()"
_BREAK_DASHES = "–—-"
_BREAK_WORDS = frozenset({"but", "while", "whereas", "although", "though"})
CLAIM_WORDS = _CONDITION_VOCABULARY | _BREAK_WORDS  # the runs spot_conditions and clause_breaks read


def clause_breaks(lower: str, words: frozenset[str] | None = None) -> list[int]:
    """Where each clause break in lowered text starts, in order; `words` as from `letter_runs`."""
    breaks = []
    for mark in _BREAK_MARKS:
        position = lower.find(mark)
        while position >= 0:
            breaks.append(position)
            position = lower.find(mark, position + 1)
    for dash in _BREAK_DASHES:
        position = lower.find(dash)
        while position >= 0:
            if position and lower[position - 1].isspace() and lower[position + 1:position + 2].isspace():
                breaks.append(position)
            position = lower.find(dash, position + 1)
    words = letter_runs(lower) if words is None else words
    breaks += [start for start, _ in whole_words(lower, _BREAK_WORDS.intersection(words))]
    return sorted(breaks)


def letter_runs(lower: str, vocabulary: frozenset[str] | None = None) -> frozenset[str]:
    """The distinct runs of a-z in lowered text: the whole words the patterns below look for are among them.

    Given a `vocabulary` (such as CLAIM_WORDS), only the runs in it: a text's eighty-odd words cost more to
    gather into a set than the few that any caller looks for cost to pick out."""
    runs = lower.encode("utf-8", "surrogatepass").translate(_LETTERS_ONLY).decode("ascii").split()
    return frozenset(runs) if vocabulary is None else vocabulary.intersection(runs)


def whole_words(lower: str, words: Iterable[str]) -> list[tuple[int, str]]:
    """(start, word) of each place where one of `words` stands with no a-z letter on either side, in text
    order: str.find is faster than any pattern that starts at common letters."""
    found = []
    for word in words:
        position = lower.find(word)
        while position >= 0:
            end = position + len(word)
            if not (position and "a" <= lower[position - 1] <= "z") and not (
                    end < len(lower) and "a" <= lower[end] <= "z"):
                found.append((position, word))
            position = lower.find(word, position + 1)
    found.sort()
    return found


# A run of .!?; before a space (a semicolon ends a scope too), or of newlines; starts with a character class,
# which the regex engine scans for quickly.
SENTENCE_END = re.compile(r"[.!?;\n](?:(?<=\n)\n*|[.!?;]*(?=\s|$))")
_SENTENCE_MARK = re.compile(r"[.!?;\n]")  # where a sentence end can start, and end (its last character)
_CLAUSE_PUNCTUATION = re.compile(r"[,;:.!?()\n]|\s[–—-]\s")
_LAST_MARK = re.compile(r"(?s:.*)[,;:.!?()\n–—-]")  # the last clause mark or dash before a position


def sentence_ends(text: str) -> list[int]:
    """Where SENTENCE_END's matches end, in order, found without the engine: it tests its character class at
    every character and builds a match object for each end, while str.find skips to the few marks a text has."""
    marks = []
    for mark in ".!?;\n":
        position = text.find(mark)
        while position >= 0:
            marks.append(position)
            position = text.find(mark, position + 1)
    marks.sort()
    ends, reached, length = [], 0, len(text)
    for position in marks:
        if position < reached:
            continue  # inside the run of marks before it
        reached = position + 1
        if text[position] == "\n":
            while reached < length and text[reached] == "\n":
                reached += 1
            ends.append(reached)
            continue
        while reached < length and text[reached] in ".!?;":
            reached += 1
        if reached == length or text[reached].isspace():  # the pattern's \s is str.isspace
            ends.append(reached)
        # otherwise no mark of this run ends a sentence: each sees the same character after the run
    return ends

_WIND_FACTORS = (("km", 1.0), ("kilomet", 1.0), ("kph", 1.0), ("mph", 1.609344), ("mile", 1.609344), ("m/s", 3.6),
                 ("met", 3.6), ("kn", 1.852), ("kt", 1.852))
_AMOUNT_FACTORS = (("mm", 1.0), ("milli", 1.0), ("cm", 10.0), ("centi", 10.0), ("inch", 25.4))


@dataclass
class Spot:
    """A claim found in text: its kind, span and what would make it true.

    Numeric claims hold an accepted interval in canonical units (tolerance
    included); condition claims hold the supporting and contradicting families.
    Not frozen: a record has dozens, and a frozen dataclass is built several times slower.
    Not slotted: claim_patterns.pxd makes it a C struct (see core/compiled_modules.py).
    """

    kind: str
    start: int
    end: int
    low: float = -math.inf
    high: float = math.inf
    supports: frozenset[str] = frozenset()
    conflicts: frozenset[str] = frozenset()
    polarity: str = "affirmed"  # affirmed | negated | hedged


def _number(text: str) -> float:
    try:
        return float(text)  # plain digits, point and ASCII minus: most numbers
    except ValueError:
        return float("".join(text.replace("−", "-").replace("minus", "-").split()))  # any whitespace


def _to_celsius(value: float, fahrenheit: bool) -> float:
    return (value - 32.0) * 5.0 / 9.0 if fahrenheit else value


def _factor(unit: str, table: tuple[tuple[str, float], ...]) -> float:
    unit = unit.lower()
    return next(factor for prefix, factor in table if unit.startswith(prefix))


# --- numbers ------------------------------------------------------------------------------

def spot_numeric(lower: str) -> list[Spot]:
    """Temperature, wind, humidity, precipitation chance and amount claims in lowered text, one per number.

    One pass over the matches: a bare number waits in `bare` for the next number with a unit, which a range
    may join it to; the others cost a list entry each.
    """
    spots = []
    bare = []  # the bare numbers since the last number with a unit
    fahrenheit_default = None  # whether the text names Fahrenheit and not Celsius: read where a unit needs it
    for match in (_NUMBER_AND_UNIT if "minus" in lower else _NUMBER_AND_UNIT_NO_MINUS).finditer(lower):
        kind = match.lastgroup
        if kind == "number":
            bare.append(match)
            continue
        if bare:
            numbers = (*_joined(lower, bare, match.start()), match)
            bare = []
        else:
            numbers = (match,)
        after = match.end()
        if kind == "celsius" or kind == "fahrenheit" or kind == "degrees":
            fahrenheit = kind == "fahrenheit"
            if kind == "degrees":  # "degrees" or a bare "°": Celsius unless the text names Fahrenheit
                if fahrenheit_default is None:
                    fahrenheit_default = _fahrenheit_default(lower)
                fahrenheit = fahrenheit_default
            for number in numbers:
                spots.append(_temperature(lower, number, after, fahrenheit))
        elif kind == "percent":
            for number in numbers:
                start = number.start()
                percent_kind = _percent_kind(lower, start, after)
                if percent_kind:
                    value = _number(number[1])
                    spots.append(Spot(percent_kind, start, number.end(1), value - PERCENT_TOLERANCE,
                                      value + PERCENT_TOLERANCE))
        elif kind == "wind":
            factor = _factor(match[kind], _WIND_FACTORS)
            for number in numbers:
                value = _number(number[1]) * factor
                spots.append(Spot("wind", *number.span(1), value - WIND_TOLERANCE_KMH, value + WIND_TOLERANCE_KMH))
        else:
            factor = _factor(match[kind], _AMOUNT_FACTORS)
            for number in numbers:
                value = _number(number[1]) * factor
                tolerance = max(AMOUNT_TOLERANCE[0], AMOUNT_TOLERANCE[1] * value)
                spots.append(Spot("precipitation", *number.span(1), value - tolerance, value + tolerance))
    if "0s" in lower:
        spots += _decades(lower, _fahrenheit_default(lower) if fahrenheit_default is None else fahrenheit_default)
    if "freezing" in lower:
        spots += _freezing(lower)
    return spots


def _joined(lower: str, bare: list[re.Match], next_start: int) -> list[re.Match]:
    """The last of the bare numbers `bare` that a range joins to the number with a unit at `next_start`
    ("between 3 and 8 °C"), in text order: each is joined to the next by "to", "-" or "and" and nothing else."""
    joined = []
    for number in reversed(bare):
        if not _RANGE_GAP.match(lower, number.end(), next_start):
            break
        joined.append(number)
        next_start = number.start()
    joined.reverse()
    return joined


def _fahrenheit_default(lower: str) -> bool:
    return (any(name in lower for name in ("fahrenheit", "°f", "℉"))
            and not any(name in lower for name in ("celsius", "centigrade", "°c", "℃")))


def _temperature(lower: str, number: re.Match, after: int, fahrenheit: bool) -> Spot:
    """The claim of a number with a temperature unit that ends at `after`."""
    start, end = number.span(1)
    value = _number(number[1])
    # Both patterns after the unit open with whitespace and then a word: most texts fail that test at once.
    first = lower[after + 1] if after + 1 < len(lower) and lower[after].isspace() else ""
    if first and (first in _DIFFERENCE_FIRST_LETTERS or first.isspace()) \
            and _DIFFERENCE_AFTER.match(lower, after, after + 30) \
            or start >= 2 and lower[start - 2] in _DIFFERENCE_BEFORE_LETTERS \
            and lower.endswith(_DIFFERENCE_BEFORE, 0, start):
        delta = abs(value) * 5.0 / 9.0 if fahrenheit else abs(value)
        return Spot("temperature_difference", start, end, delta - TEMPERATURE_TOLERANCE_C,
                    delta + TEMPERATURE_TOLERANCE_C)
    if first and (first == "b" or first.isspace()) and value > 0 and _BELOW_ZERO_AFTER.match(lower, after, after + 30):
        value = -value
    if fahrenheit:
        value = _to_celsius(value, True)
    return Spot("temperature", start, end, value - TEMPERATURE_TOLERANCE_C, value + TEMPERATURE_TOLERANCE_C)


def _decades(lower: str, fahrenheit_default: bool) -> list[Spot]:
    """ "in the low 30s", "mid-20s": the whole decade band (50s and up can only be Fahrenheit)."""
    spots = []
    for match in DECADE.finditer(lower):
        tens = int(match.group("d")) * 10
        fahrenheit = tens >= 50 or fahrenheit_default
        low, high = (_to_celsius(tens + offset, fahrenheit) for offset in (0, 10))
        spots.append(Spot("temperature", *match.span(), low - TEMPERATURE_TOLERANCE_C,
                          high + TEMPERATURE_TOLERANCE_C))
    return spots


def _freezing(lower: str) -> list[Spot]:
    """ "freezing"/"below freezing" is at most 0.5 °C; "near freezing" within 2 °C of it."""
    spots = []
    for match in FREEZING.finditer(lower):
        qualifier = match.group("q") or ""
        if qualifier in ("near", "around", "close to", "about", "at"):
            low, high = -NEAR_FREEZING_C, NEAR_FREEZING_C
        elif qualifier in ("above", "just above"):
            low, high = -FREEZING_C, math.inf
        else:
            low, high = -math.inf, FREEZING_C
        negated = any(word in _NEGATIONS for word in _qualifiers(lower, match.start()))
        spots.append(Spot("temperature", *match.span(), low, high, polarity="negated" if negated else "affirmed"))
    return spots


def _percent_kind(lower: str, start: int, end: int) -> str | None:
    """Humidity or precipitation chance, whichever keyword is nearest in the 40 characters before the number
    (from `start`) or after its unit (to `end`) and in the same sentence; humidity on a tie. The windows are
    read as text of their own: their edges bound words and end sentences."""
    low, high = max(0, start - 40), end + 40
    windows = lower[low:high]
    found = []  # (start, end, word) of each keyword's letters in either window
    for word in _PERCENT_WORDS:
        if word in windows:  # most keywords are in neither window: `in` is the cheapest test
            first = lower.find(word, low, high)
            while first >= 0:
                found.append((first, first + len(word), word))
                first = lower.find(word, first + 1, high)
    if not found:
        return None
    found.sort()
    best: tuple[int, str] | None = None
    sentence_start = None
    for first, last, word in reversed(found):
        if last > start:
            continue
        if first > low and not _SENTENCE_MARK.search(lower, first - 1, start):
            bound = low  # no sentence ends after first - 1: fitting reads `low` as it would the sentence start
        else:
            if sentence_start is None:
                sentence_start = start - len(SENTENCE_END.split(lower[low:start])[-1])
            bound = sentence_start
        fitted = _fitted_end(lower, first, last, word, bound, start)
        if fitted is not None:  # keywords do not overlap: the last to start is the last to end
            best = (start - fitted, _PERCENT_WORDS[word])
            break
    sentence_end = None
    for first, last, word in found:
        if first < end:
            continue
        if last + 2 <= min(high, len(lower)) and not _SENTENCE_MARK.search(lower, end, last + 2):
            bound = last + 2  # no sentence starts before: fitting reads this bound as it would the sentence end
        else:
            if sentence_end is None:
                sentence_end = end + len(SENTENCE_END.split(lower[end:high])[0])
            bound = sentence_end
        if _fitted_end(lower, first, last, word, end, bound) is not None:
            candidate = (first - end, _PERCENT_WORDS[word])
            best = min(best, candidate) if best else candidate
            break
    return best[1] if best else None


def _fitted_end(lower: str, first: int, last: int, word: str, low: int, high: int) -> int | None:
    """Where the keyword whose letters are at first:last ends as its pattern matches it in lower[low:high]
    ("chance" may take an "s"), or None where it does not match there."""
    if first < low or last > high:
        return None
    if word == "humid":
        return last
    if first > low and _is_word(lower[first - 1]):
        return None
    if word == "chance" and last < high and lower[last] == "s" and (last + 1 == high or not _is_word(lower[last + 1])):
        return last + 1
    return last if last == high or not _is_word(lower[last]) else None


def _is_word(char: str) -> bool:
    """Whether the regex engine counts `char` as part of a word (for \b)."""
    return char.isalnum() or char == "_"


def _clause_start(text: str, start: int) -> int:
    """Where the clause holding `start` begins, looking back at most _CLAUSE_REACH characters.

    Ending on punctuation, it starts after the last mark, found in one match; where a dash is the last
    mark, the clause pattern decides (a newline can take the place of a spaced dash's first space).
    """
    low = max(0, start - _CLAUSE_REACH)
    last = _LAST_MARK.match(text, low, start)
    if last is None:
        return low
    if text[last.end() - 1] not in "-–—":
        return last.end()
    cut = None
    for cut in _CLAUSE_PUNCTUATION.finditer(text, low, start):
        pass
    return cut.end() if cut else low


# --- words --------------------------------------------------------------------------------

_LATIN1_LOWER = bytes(ord(chr(code).lower()) for code in range(256))  # each is one Latin-1 character


def lowered(text: str) -> str:
    """`text` in lower case with every offset kept (the few letters whose lower form is longer stay)."""
    try:  # most answers are Latin-1 ("°C"), which str.lower() cases a character at a time: a table does it at once
        return text.encode("latin-1").translate(_LATIN1_LOWER).decode("latin-1")
    except UnicodeEncodeError:
        pass
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(char if len(char.lower()) != 1 else char.lower() for char in text)


def spot_conditions(lower: str, words: frozenset[str] | None = None) -> list[Spot]:
    """Condition words with their polarity in lowered text; conditionals and idioms are left out.

    `words`, as from `letter_runs`, names the candidates, which are then found as whole words.
    """
    spots = []
    position = 0
    words = letter_runs(lower) if words is None else words
    for start, word in whole_words(lower, _CONDITION_VOCABULARY.intersection(words)):
        if start < position:  # the second word of a phrase
            continue
        end = position = start + len(word)
        group = _WORD_GROUP.get(word)
        if word in _PHRASE_FIRST:
            following = _NEXT_WORD.match(lower, end)
            phrase = _PHRASES.get((word, following.group(1))) if following else None
            if phrase:
                group, end = phrase, following.end()
                position = end
        if group is None:
            continue
        if word == "clear" and not (_CLEAR_NEXT.match(lower, end)
                                    or _CLEAR_BEFORE.search(lower[max(0, start - 30):start])):
            continue
        if _has_idiom(lower[max(0, start - _IDIOM_REACH):end + _IDIOM_REACH]):
            continue
        polarity = _polarity(lower, start, end)
        if polarity is None:
            continue
        supports, conflicts = CONDITION_WORDS[group]
        spots.append(Spot("condition", start, end, -math.inf, math.inf, supports, conflicts, polarity))
    return spots


def _has_idiom(window: str) -> bool:
    """Whether an idiom ("right as rain") is in `window`, searched only if the window holds one's piece."""
    for piece in _IDIOM_PIECES:
        if piece in window:
            return IDIOM.search(window) is not None
    return False


def _qualifiers(lower: str, start: int) -> list[str]:
    """The few words before `start` in the same clause (stopping at "but", "while", ...).

    Most windows need no pattern: in their bytes sorted by _CLAUSE_BYTES, the clause starts after the last "|"
    and its words are the runs of letters. Where a dash may end the clause or an apostrophe join two runs
    into a word, `_clause_start` and the word pattern decide.
    """
    clause = lower[max(0, start - _CLAUSE_REACH):start].encode("utf-8", "surrogatepass").translate(_CLAUSE_BYTES)
    clause = clause[clause.rfind(b"|") + 1:].decode("ascii")
    if "-" in clause or "'" in clause:
        window = _LOWER_WORD.findall(lower, _clause_start(lower, start), start)[-_QUALIFIER_WINDOW:]
    else:
        window = clause.split()[-_QUALIFIER_WINDOW:]
    if _CLAUSE_WORDS.isdisjoint(window):  # most windows: no loop
        return window
    for position in range(len(window) - 1, -1, -1):
        if window[position] in _CLAUSE_WORDS:
            return window[position + 1:]
    return window


def _polarity(lower: str, start: int, end: int) -> str | None:
    """negated / hedged / affirmed from the few words before, in the same clause; None in a conditional."""
    if lower.startswith("-free", end):
        return "negated"
    window = _qualifiers(lower, start)
    return "affirmed" if _QUALIFYING.isdisjoint(window) else _window_polarity(window)


def _window_polarity(window: list[str]) -> str | None:
    """What the qualifier words before a condition word make of it (most windows hold none: see _QUALIFYING)."""
    pairs = set(zip(window, window[1:]))
    if not _CONDITIONALS.isdisjoint(window) or not _CONDITIONAL_PAIRS.isdisjoint(pairs):
        return None
    if not _NEGATIONS.isdisjoint(window) or not _NEGATING_PAIRS.isdisjoint(pairs) or any(
            first in _LOW and second in _CHANCE for first, second in pairs):
        return "negated"
    if not _HEDGES.isdisjoint(window):
        return "hedged"
    return "affirmed"
