"""Is every weather claim in the assistant's answers backed by a tool output that came before it?

Claims (claim_patterns) are checked against the facts of earlier weather
outputs (tool_outputs), scoped to the place and day the sentence describes when
the text makes that clear: a claim about a place or day no output covered is a
hallucination. Score = supported / all claims (1.0 without claims); coverage =
the share of key values (temperature, condition, wind, precipitation chance)
of each output that the answers used.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter

from core.date_phrases import WEEKDAYS
from core.locations import Location, haversine_km
from core.validation.claim_patterns import (
    CLAIM_WORDS,
    PRECIPITATION_FAMILIES,
    Spot,
    clause_breaks,
    letter_runs,
    lowered,
    sentence_ends,
    spot_conditions,
    spot_numeric,
    whole_words,
)
from core.validation.conversation import Conversation
from core.validation.frozen import filled
from core.validation.place_mentions import places_named
from core.validation.tool_outputs import (
    CANONICAL_UNITS,
    Fact,
    WeatherOutput,
    weather_outputs,
)
from core.weather_codes import CONDITIONS, family

DEFAULT_THRESHOLD = 0.8
PLACE_RADIUS_KM = 75.0
HEDGE_MIN_CHANCE = 10.0           # "a chance of rain" needs at least this precipitation probability
KEY_KINDS = ("temperature", "condition", "wind", "precipitation_chance")
_CLAUSE_PENALTY = 40              # characters: a mention before the claim across a comma binds more weakly
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# Patterns that open with a literal character or class, which the regex engine scans for quickly.
_ISO_DATE = re.compile(r"\d(?<!\w\d)\d{3}-\d{2}-\d{2}\b")  # the lookbehind: no letter or digit before it
_ISO_DATE_MIDDLE = re.compile(r"-\d\d-")  # every ISO date holds one; it opens with a literal, found fast
_WEEKDAY_NUMBERS = {form: number for number, day in enumerate(WEEKDAYS) for form in (day, f"{day}s")}
_DAY_WORDS = frozenset({*_WEEKDAY_NUMBERS, "today", "tonight", "currently", "now", "tomorrow", "weekend", "morning",
                        "afternoon", "evening", "moment"})
_TODAY_WORDS = frozenset({"today", "tonight", "currently", "now"})
_PARTS_OF_DAY = frozenset({"morning", "afternoon", "evening"})
_WEEKEND_OPENERS = ("this ", "the ", "coming ")
_RELATIVE_KINDS = frozenset({"today", "tomorrow", "after", "weekend"})
_MONTH_WORDS = frozenset({*_MONTHS, *(name[:3] for name in _MONTHS), "Sept"})
# A month name in a date stands alone as a run of letters, so the lowered text's letter runs tell quickly
# whether one can be there.
_MONTH_RUNS = frozenset(name.lower() for name in _MONTH_WORDS)
_RUN_WORDS = CLAIM_WORDS | _DAY_WORDS | _MONTH_RUNS  # every letter run an answer's claims and days are read from
_MONTH_NUMBERS = {name[:3]: number for number, name in enumerate(_MONTHS, 1)}
_MONTH_AS_WRITTEN = {name.lower(): name for name in _MONTH_WORDS}  # the pattern reads names capitalised
_MONTH_NAME = r"(?P<{}>" + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True)) + ")"
_MONTH_DAY = re.compile(  # the lookahead names each match's first character: the engine skips to those fast
    rf"(?=[JFMASOND\d])\b(?:{_MONTH_NAME.format('m1')}\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME.format('m2')})\b")


@dataclass(frozen=True)
class Claim:
    """One claim in an assistant message; `start`/`end` index that message's content.

    Without slots, so that `filled` can fill one in a single step: a record has a dozen or more.
    """

    kind: str
    text: str
    message_index: int
    start: int
    end: int
    supported: bool
    nearest: str | None = None  # the closest tool value (or why none applies), for unsupported claims

    def to_dict(self) -> dict:
        return dict(self.__dict__)  # `asdict` without its deep copies: every field is a str, int, bool or None


def _new_claim(kind: str, text: str, message_index: int, start: int, end: int, supported: bool,
               nearest: str | None) -> Claim:
    return filled(Claim, {"kind": kind, "text": text, "message_index": message_index, "start": start, "end": end,
                           "supported": supported, "nearest": nearest})


# A judged claim: (message index, start, end, kind, supported, nearest, message text), where nearest is
# None, a description, or (describe, *arguments) to write one only when the claims are read.
_Judged = tuple
_CLAIM_ORDER = itemgetter(0, 1)
_SUPPORTED = itemgetter(4)


def _claim_of(judged: _Judged) -> Claim:
    index, start, end, kind, supported, nearest, text = judged
    if nearest is not None and type(nearest) is not str:
        nearest = nearest[0](*nearest[1:])
    return _new_claim(kind, text[start:end], index, start, end, supported, nearest)


@dataclass(frozen=True, eq=False)
class GroundednessResult:
    """The verdict; its Claim objects are built on first read, since most results are only scored.

    Compared and hashed as (score, coverage, claims, threshold).
    """

    score: float
    coverage: float | None
    supported_count: int
    claim_count: int
    threshold: float = DEFAULT_THRESHOLD
    _judged: tuple[_Judged, ...] = field(default=(), repr=False)
    _built: tuple[Claim, ...] | None = field(default=None, repr=False)  # the claims once built (or as received)

    @property
    def passed(self) -> bool:
        return self.score >= self.threshold

    @property
    def claims(self) -> tuple[Claim, ...]:
        if self._built is None:
            object.__setattr__(self, "_built", tuple(map(_claim_of, sorted(self._judged, key=_CLAIM_ORDER))))
        return self._built

    @property
    def unsupported(self) -> tuple[Claim, ...]:
        if self.supported_count == self.claim_count:
            return ()  # without building the claims
        return tuple(claim for claim in self.claims if not claim.supported)

    def without_claims(self) -> GroundednessResult:
        """The verdict with no claims: as little as possible to send to another process."""
        return GroundednessResult(self.score, self.coverage, 0, 0, self.threshold)

    def to_dict(self) -> dict:
        return {"score": round(self.score, 4),
                "coverage": None if self.coverage is None else round(self.coverage, 4),
                "threshold": self.threshold, "passed": self.passed,
                "supported": self.supported_count, "total": self.claim_count,
                "claims": [claim.to_dict() for claim in self.claims]}

    def __reduce__(self) -> tuple:
        """Pickled as its claims, not the spots, facts and outputs they are built from."""
        return GroundednessResult, (self.score, self.coverage, self.supported_count, self.claim_count,
                                    self.threshold, (), self.claims)

    def _key(self) -> tuple:
        return self.score, self.coverage, self.claims, self.threshold

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, GroundednessResult) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())


@dataclass  # not slotted, like _Scope: groundedness.pxd makes both C structs (see core/compiled_modules.py)
class _DayMention:
    start: int
    end: int
    kind: str                 # weekday | date | today | tomorrow | after | weekend
    value: object = None      # weekday number or date
    is_claim: bool = False    # weekday names and explicit dates must be covered by an output


class _Message:
    """What one answer's claims are judged against, with its mentions indexed for bisection."""

    __slots__ = ("text", "index", "outputs", "today", "sentence_ends", "sentences", "lower_and_runs", "_breaks",
                 "_dates", "places", "place_starts", "days", "_day_index", "covered", "scopes", "matches",
                 "carried", "places_decide", "sentence_days", "_weekday_index")

    def __init__(self, text: str, index: int, outputs: list[WeatherOutput], today: date | None,
                 sentence_ends: list[int], lower_and_runs: tuple[str, frozenset[str]],
                 places: list[tuple[int, int, Location]], days: list[_DayMention]) -> None:
        self.text, self.index, self.outputs, self.today = text, index, outputs, today
        self.sentence_ends = sentence_ends
        # sentence number -> (start, end, whether it asks: its last non-space character, maybe before it, is "?")
        bounds = [0, *sentence_ends, len(text)]
        self.sentences, last = [], ""
        for low, high in zip(bounds, bounds[1:]):
            if high > low and not text[high - 1].isspace():
                last = text[high - 1]  # most sentences end on their mark
            else:
                body = text[low:high].rstrip()
                last = body[-1] if body else last
            self.sentences.append((low, high, last == "?"))
        self.lower_and_runs = lower_and_runs            # the lowered text and its letter runs, for `breaks`
        self._breaks: list[int] | None = None
        self._dates: frozenset[date] | None = None
        self.places = places                            # (start, end, place), sorted by start
        self.place_starts = [start for start, _, _ in places]
        self.days = days                                # sorted by start
        self._day_index: tuple[list[int], list[tuple]] | None = None
        self.sentence_days: list[list[_DayMention]] = [[] for _ in self.sentences]  # sentence number -> its days
        for day in days:
            self.sentence_days[bisect_right(sentence_ends, day.start)].append(day)
        self.covered: set[tuple[int, str]] = set()      # (output ordinal, kind) of the values claims used
        self.scopes: dict = {}                          # (place id, day kind and value) -> _Scope
        self.matches: dict = {}                         # (output ordinal, place id) -> whether it covers the place
        self.carried: list | None = None                # see _carried_place
        self._weekday_index: dict = {}                  # covered dates -> their dates by weekday, see on_weekday
        # Where every output covers every place named, the place a claim names leaves its outputs as they are.
        self.places_decide = bool(places) and not (outputs and all(
            self.same_place(output, location) for _, _, location in places for output in outputs))

    @property
    def breaks(self) -> list[int]:
        """Where the clause breaks (commas, "but", ...) start, found where a claim's scope first needs them."""
        if self._breaks is None:
            self._breaks = clause_breaks(*self.lower_and_runs)
        return self._breaks

    @property
    def day_index(self) -> tuple[list[int], list[tuple]]:
        """The day mentions' starts and (start, end, mention) spans, for `_nearest_in_sentence`; built where a
        scope first weighs several mentions."""
        if self._day_index is None:
            self._day_index = [day.start for day in self.days], [(day.start, day.end, day) for day in self.days]
        return self._day_index

    @property
    def dates(self) -> frozenset[date]:
        """The days the outputs cover."""
        if self._dates is None:
            self._dates = frozenset().union(*(output.dates for output in self.outputs))
        return self._dates

    def on_weekday(self, covered: frozenset[date], weekday: int) -> frozenset[date]:
        """The covered dates that fall on a weekday, from an index made once per covered set: a forecast's
        answer names most of the days it covers."""
        index = self._weekday_index.get(covered)
        if index is None:
            by_weekday: list[list[date]] = [[] for _ in range(7)]
            for day in covered:
                by_weekday[day.weekday()].append(day)
            index = self._weekday_index[covered] = [frozenset(days) for days in by_weekday]
        return index[weekday]

    def sentence(self, position: int) -> tuple[int, int, bool]:
        """The bounds of the sentence holding `position` and whether it asks (ends in "?")."""
        return self.sentences[bisect_right(self.sentence_ends, position)]

    def same_place(self, output: WeatherOutput, location: Location) -> bool:
        if output.place_name == location.name:
            return True  # the usual answer, cheaper than the cache
        key = (output.ordinal, location.id)
        match = self.matches.get(key)
        if match is None:
            match = self.matches[key] = haversine_km(
                output.latitude, output.longitude, location.latitude, location.longitude) <= PLACE_RADIUS_KM
        return match


def check_groundedness(conversation: Conversation, *, threshold: float = DEFAULT_THRESHOLD) -> GroundednessResult:
    outputs = weather_outputs(conversation)
    today = conversation.today or (outputs[0].today if outputs else None)
    judged: list[_Judged] = []
    covered: set[tuple[int, str]] = set()
    for index, text in conversation.assistant_texts:
        if conversation.messages[index].get("tool_calls"):
            continue  # text beside a call announces the call; answers come after the outputs
        lower = lowered(text)
        words = letter_runs(lower, _RUN_WORDS)
        spots = spot_numeric(lower) + spot_conditions(lower, words)
        days = _day_mentions(text, lower, words)
        if not spots and not any(day.is_claim for day in days):
            continue
        context = _Message(text, index, [output for output in outputs if output.message_index < index], today,
                           sentence_ends(text), (lower, words),
                           [(offset, offset + len(location.name), location)
                            for location, offset in places_named(text)], days)
        judged += _judge_message(context, spots)
        covered |= context.covered
    key_values = {(output.ordinal, kind) for output in outputs for kind in KEY_KINDS if output.by_kind.get(kind)}
    coverage = len(covered & key_values) / len(key_values) if key_values else None
    supported = sum(map(_SUPPORTED, judged))
    score = supported / len(judged) if judged else 1.0
    return filled(GroundednessResult, {"score": score, "coverage": coverage, "supported_count": supported,
                                        "claim_count": len(judged), "threshold": threshold,
                                        "_judged": tuple(judged), "_built": None})


# --- mentions and scope -------------------------------------------------------------------

def _day_mentions(text: str, lower: str, words: frozenset[str]) -> list[_DayMention]:
    mentions = []
    for start, word in whole_words(lower, _DAY_WORDS.intersection(words)):
        end = start + len(word)
        if word in _WEEKDAY_NUMBERS:
            mentions.append(_DayMention(start, end, "weekday", _WEEKDAY_NUMBERS[word], True))
        elif word in _TODAY_WORDS:
            mentions.append(_DayMention(start, end, "today"))
        elif word == "tomorrow":
            after = lower.endswith("day after ", 0, start)
            mentions.append(_DayMention(start - 10 if after else start, end, "after" if after else "tomorrow"))
        elif word in _PARTS_OF_DAY and lower.endswith("this ", 0, start):
            mentions.append(_DayMention(start - 5, end, "today"))
        elif word == "moment" and lower.endswith("at the ", 0, start):
            mentions.append(_DayMention(start - 7, end, "today"))
        elif word == "weekend":
            opener = next((opener for opener in _WEEKEND_OPENERS if lower.endswith(opener, 0, start)), None)
            if opener:
                mentions.append(_DayMention(start - len(opener), end, "weekend"))
    if _ISO_DATE_MIDDLE.search(text):
        for match in _ISO_DATE.finditer(text):
            try:
                mentions.append(_DayMention(*match.span(), "date", date.fromisoformat(match.group()), True))
            except ValueError:
                continue
    names = [_MONTH_AS_WRITTEN[run] for run in _MONTH_RUNS.intersection(words)]
    if any(name in text for name in names):
        for match in _month_day_matches(text, names):
            month = _MONTH_NUMBERS[(match.group("m1") or match.group("m2"))[:3]]
            mentions.append(_DayMention(*match.span(), "month_day",
                                        (month, int(match.group("d1") or match.group("d2"))), True))
    return sorted(mentions, key=lambda mention: mention.start)


def _month_day_matches(text: str, names: list[str]) -> list[re.Match]:
    """`_MONTH_DAY.finditer(text)`, where the month names that can be in it are `names`, tried only where a
    match can start: at a month name, or at a digit in the run of digits, suffix letters, "of" and spaces just
    before one. The whole-text scan stops at every digit and capital, and forecasts are full of both."""
    occurrences = set()
    for name in names:
        position = text.find(name)
        while position >= 0:
            occurrences.add(position)
            position = text.find(name, position + 1)
    starts = []
    for occurrence in occurrences:
        first = occurrence  # a capital is none of these, so the walk stays after any earlier month name
        while first and (text[first - 1] in _BEFORE_MONTH or text[first - 1].isspace()
                         or text[first - 1].isdecimal()):
            first -= 1
        starts += [position for position in range(first, occurrence) if text[position].isdecimal()]
        starts.append(occurrence)
    starts.sort()
    matches, reached = [], 0
    for start in starts:
        if start >= reached:
            match = _MONTH_DAY.match(text, start)
            if match:
                matches.append(match)
                reached = match.end()
    return matches


_BEFORE_MONTH = frozenset("stndrhof")  # with digits (\d: isdecimal) and spaces (\s: isspace), all "3rd of " holds


def _resolve_day(context: _Message, mention: _DayMention, today: date | None,
                 covered: frozenset[date]) -> frozenset[date] | None:
    """The dates a mention means: covered ones where the text allows a choice; None when unknowable."""
    if mention.kind == "date":
        return frozenset({mention.value})
    if mention.kind == "month_day":
        month, day = mention.value
        years = [today.year - 1, today.year, today.year + 1] if today else sorted({d.year for d in covered})
        candidates = set()
        for year in years:
            try:
                candidates.add(date(year, month, day))
            except ValueError:
                continue
        matching = frozenset(candidates & covered)
        if matching or not today or not candidates:
            return matching
        return frozenset({min(candidates, key=lambda d: abs((d - today).days))})
    if mention.kind == "weekday":
        matching = context.on_weekday(covered, mention.value)
        if matching or not today:
            return matching
        return frozenset({today + _DAYS[(mention.value - today.weekday()) % 7]})  # the next one, today included
    if today is None:
        return None
    if mention.kind == "weekend":  # the coming Saturday and Sunday, today included
        return frozenset(today + _DAYS[(weekday - today.weekday()) % 7] for weekday in (5, 6))
    return frozenset({today + _RELATIVE_OFFSETS[mention.kind]})


_DAYS = tuple(timedelta(days=days) for days in range(7))
_RELATIVE_OFFSETS = {"today": _DAYS[0], "tomorrow": _DAYS[1], "after": _DAYS[2]}


def _nearest_in_sentence(starts: list[int], spans: list, start: int, end: int, low: int, high: int,
                         break_before: int, break_after: int):
    """The mention closest to the claim at start:end in its sentence low:high, or None.

    A mention before the claim may bind across a comma ("On Saturday, 12 °C") but
    counts as farther; one after binds only within the claim's clause ("12 °C on
    Saturday", not "12 °C, and Sunday ..."). Only the last mention before and the
    first after can be nearest, so two candidates are weighed. `break_before` is
    the last clause break before the claim (-1 if none), `break_after` the first
    at or after its end (`high` or beyond if none).
    """
    position = bisect_left(starts, start)
    best, best_distance = None, _INFINITY
    if position and starts[position - 1] >= low:
        _, mention_end, payload = spans[position - 1]
        if mention_end > start:
            return payload  # the claim sits inside the mention
        best = payload
        best_distance = start - mention_end + (_CLAUSE_PENALTY if break_before >= mention_end else 0)
    following = bisect_left(starts, end, position)
    if following < len(spans):
        mention_start, _, payload = spans[following]
        if mention_start < high and break_after >= mention_start and mention_start - end + 0.5 < best_distance:
            best = payload
    return best


_INFINITY = float("inf")


@dataclass
class _Scope:
    """The outputs and days a claim may draw on, or why it can draw on none."""

    outputs: list[WeatherOutput]
    days: frozenset[date] | None
    problem: str | None


def _scope(context: _Message, start: int, end: int, low: int, high: int, days: list[_DayMention]) -> _Scope:
    """The claim's scope; claims naming the same place and day share it.

    A place named in the claim's sentence decides; otherwise the last covered place
    named earlier in the message carries over (uncovered places scope only their
    own sentence, so a quoted anecdote elsewhere cannot capture later claims).
    Places are not looked for where they cannot narrow the outputs (see `_Message`).
    `days` are the day mentions of the sentence: none leaves the day open, and a lone
    one that starts before the claim is the nearest whatever the clauses.
    """
    place = day = None
    if context.places_decide or len(days) > 1 or days and days[0].start >= start:
        breaks = context.breaks
        position = bisect_left(breaks, start)
        break_before = breaks[position - 1] if position else -1
        position = bisect_left(breaks, end, position)
        break_after = breaks[position] if position < len(breaks) else high
        if context.places_decide:
            place = _nearest_in_sentence(context.place_starts, context.places, start, end, low, high,
                                         break_before, break_after)
            if place is None:
                place = _carried_place(context, bisect_left(context.place_starts, start))
        if days:
            day = _nearest_in_sentence(*context.day_index, start, end, low, high,
                                       break_before, break_after)
    elif days:
        day = days[0]
    place_id = None if place is None else place.id
    key = (place_id, None) if day is None else (place_id, day.kind, day.value)  # what _resolve_scope reads
    scope = context.scopes.get(key)
    if scope is None:
        scope = context.scopes[key] = _resolve_scope(context, place, day)
    return scope


def _carried_place(context: _Message, named_before: int) -> Location | None:
    """The last place among the first `named_before` mentions that some output covers."""
    if context.carried is None:
        carried, last = [None], None
        for _, _, location in context.places:
            if any(context.same_place(output, location) for output in context.outputs):
                last = location
            carried.append(last)
        context.carried = carried
    return context.carried[named_before]


def _resolve_scope(context: _Message, place: Location | None, day: _DayMention | None) -> _Scope:
    outputs = context.outputs
    if place is not None:
        outputs = [output for output in outputs if context.same_place(output, place)]
        if not outputs:
            return _Scope([], None, f"no tool output covers {place.label}")
    if not outputs:
        return _Scope([], None, "no weather output came before this message")
    days = None if day is None else _resolve_scope_day(context, day, outputs)
    if days is not None and not any(days & output.dates for output in outputs):
        return _Scope([], days, f"no tool output covers {', '.join(str(d) for d in sorted(days)) or 'that day'}")
    return _Scope(outputs, days, None)


def _resolve_scope_day(context: _Message, mention: _DayMention,
                       outputs: list[WeatherOutput]) -> frozenset[date] | None:
    covered = context.dates if outputs is context.outputs else frozenset().union(*(output.dates for output in outputs))
    if mention.kind in _RELATIVE_KINDS:
        # "today" may mean the conversation's today or the place's own: McMurdo's today is Moscow's tomorrow.
        todays = {context.today, *(output.today for output in outputs)} - {None}
        if not todays:
            return None
        return frozenset().union(*(_resolve_day(context, mention, today, covered) for today in todays))
    return _resolve_day(context, mention, context.today, covered)


# --- judging ------------------------------------------------------------------------------

def _judge_message(context: _Message, spots: list[Spot]) -> list[_Judged]:
    text, index, covered, places = context.text, context.index, context.covered, context.places
    claims = _judge_day_claims(context)
    sentences, sentence_ends, sentence_days = context.sentences, context.sentence_ends, context.sentence_days
    for spot in spots:
        kind, start, end = spot.kind, spot.start, spot.end
        number = bisect_right(sentence_ends, start)
        low, high, question = sentences[number]
        if kind == "condition" and (question or places and _inside_name(places, start)):
            continue
        if kind == "temperature_difference":
            claims.append(_judge_difference(context, spot))
            continue
        scope = _scope(context, start, end, low, high, sentence_days[number])
        if scope.problem:
            claims.append((index, start, end, kind, False, scope.problem, text))
            continue
        if kind == "condition":
            supported = _condition_supported(scope, spot, covered)
            if not supported and spot.polarity == "hedged" and spot.supports & PRECIPITATION_FAMILIES:
                supported = _chance_to_hedge(scope)
        else:
            supported = _value_supported(scope, spot, covered)
        if supported:
            claims.append((index, start, end, kind, True, None, text))
        elif kind == "condition":
            claims.append((index, start, end, kind, False, (_describe_conditions, scope, context.outputs), text))
        else:
            claims.append((index, start, end, kind, False, (_describe_nearest, spot, scope, context.outputs), text))
    return claims


def _inside_name(places: list[tuple[int, int, Location]], position: int) -> bool:
    """Whether `position` is inside a place's name ("Rainy River" names a place, not rain)."""
    for first, last, _ in places:
        if first <= position < last:
            return True
    return False


def _chance_to_hedge(scope: _Scope) -> bool:
    """Whether a precipitation chance in scope is high enough for "a chance of rain"."""
    for fact in _facts(scope.outputs, "precipitation_chance", scope.days):
        if fact[0] >= HEDGE_MIN_CHANCE:
            return True
    return False


def _claim(context: _Message, kind: str, start: int, end: int, supported: bool, nearest: str | None) -> _Judged:
    return context.index, start, end, kind, supported, None if supported else nearest, context.text


def _judge_day_claims(context: _Message) -> list[_Judged]:
    """Weekday names and explicit dates outside questions: each must fall on a day some output covers.

    `_resolve_day` falls back to an uncovered day only when no covered one fits, so a mention is
    supported exactly when a covered day has its weekday, its date, or its month and day (in a year
    next to today's when today is known): those are looked up in sets made once per message.
    """
    mentions = [mention for mention in context.days if mention.is_claim and not context.sentence(mention.start)[2]]
    if not mentions:
        return []
    covered = context.dates
    today = context.today
    weekdays = {day.weekday() for day in covered}
    month_days = {(day.month, day.day) for day in covered if today is None or abs(day.year - today.year) <= 1}
    verdicts = [mention.value in weekdays if mention.kind == "weekday" else mention.value in covered
                if mention.kind == "date" else mention.value in month_days for mention in mentions]
    nearest = None if all(verdicts) else (f"the tool outputs cover {min(covered)}..{max(covered)}" if covered
                                          else "no weather output came before this message")
    return [_claim(context, "date", mention.start, mention.end, supported, nearest)
            for mention, supported in zip(mentions, verdicts)]


def _facts(outputs: list[WeatherOutput], kind: str, days: frozenset[date] | None) -> list[Fact]:
    return [fact for output in outputs for fact in output.by_kind.get(kind, ()) if days is None or fact[1] in days]


def _value_supported(scope: _Scope, spot: Spot, covered: set[tuple[int, str]]) -> bool:
    """A value in scope within the claim's interval, whose output is marked as used (every such output's,
    where the scope holds several); for a negated claim, a value outside it.

    With one output in scope, as most claims have, its facts are read only up to the first that fits.
    """
    low, high, days, kind = spot.low, spot.high, scope.days, spot.kind
    if spot.polarity == "negated":
        for fact in _facts(scope.outputs, kind, days):
            if not low <= fact[0] <= high:
                return True
        return False
    if len(scope.outputs) == 1:
        for fact in scope.outputs[0].by_kind.get(kind, ()):
            if low <= fact[0] <= high and (days is None or fact[1] in days):
                covered.add((fact[3], kind))
                return True
        return False
    used = [(fact[3], kind) for fact in _facts(scope.outputs, kind, days) if low <= fact[0] <= high]
    covered.update(used)
    return bool(used)


def _condition_supported(scope: _Scope, spot: Spot, covered: set[tuple[int, str]]) -> bool:
    """Affirmed and hedged words need a code in scope of a supporting family (its output is marked as used);
    negated ones need none in conflict."""
    days, wanted = scope.days, spot.supports
    if spot.polarity == "negated":
        for fact in _facts(scope.outputs, "condition", days):
            if _FAMILY_OF[fact[0]] in spot.conflicts:
                return False
        return True
    if len(scope.outputs) == 1:
        for fact in scope.outputs[0].by_kind.get("condition", ()):
            if _FAMILY_OF[fact[0]] in wanted and (days is None or fact[1] in days):
                covered.add((fact[3], "condition"))
                return True
        return False
    used = [(fact[3], "condition") for fact in _facts(scope.outputs, "condition", days)
            if _FAMILY_OF[fact[0]] in wanted]
    covered.update(used)
    return bool(used)


_FAMILY_OF = {code: family(code) for code in CONDITIONS}  # condition facts hold their code as a float


def _judge_difference(context: _Message, spot: Spot) -> _Judged:
    """ "8 degrees warmer than Oslo" compares places or days, so every earlier output is in scope."""
    temperatures = sorted({fact[0] for fact in _facts(context.outputs, "temperature", None)})
    supported = any(spot.low <= abs(later - earlier) <= spot.high
                    for position, earlier in enumerate(temperatures) for later in temperatures[position + 1:])
    return _claim(context, spot.kind, spot.start, spot.end, supported,
                  "no two tool temperatures differ by that much")


def _describe_fact(kind: str, fact: Fact, outputs: list[WeatherOutput]) -> str:
    value, day, field, ordinal = fact
    place = outputs[ordinal].place if ordinal < len(outputs) else "?"
    when = f", {day}" if day else ""
    if kind == "condition":
        return f"{CONDITIONS.get(int(value), value)} ({place}{when})"
    return f"{value:g} {CANONICAL_UNITS[kind]} ({field}, {place}{when})"


def _describe_nearest(spot: Spot, scope: _Scope, outputs: list[WeatherOutput]) -> str:
    relevant = _facts(scope.outputs, spot.kind, scope.days)
    if not relevant:
        return f"no {spot.kind.replace('_', ' ')} value in the tool outputs in scope"
    closest = min(relevant, key=lambda fact: max(spot.low - fact[0], fact[0] - spot.high, 0.0))
    return _describe_fact(spot.kind, closest, outputs)


def _describe_conditions(scope: _Scope, outputs: list[WeatherOutput]) -> str:
    conditions = _facts(scope.outputs, "condition", scope.days)
    if not conditions:
        return "no condition in the tool outputs in scope"
    shown = list(dict.fromkeys(_describe_fact("condition", fact, outputs) for fact in conditions))
    return "; ".join(shown[:3]) + (f"; … {len(shown) - 3} more" if len(shown) > 3 else "")
