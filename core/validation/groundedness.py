"""Is every weather claim in the assistant's answers backed by a tool output that came before it?

Claims (claim_patterns) are checked against the facts of earlier weather
outputs (tool_outputs), scoped to the place and day the sentence describes when
the text makes that clear: a claim about a place or day no output covered is a
hallucination. Score = supported / all claims (1.0 without claims); coverage =
the share of key values (temperature, condition, wind, precipitation chance)
of each output that the answers used.
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from core.date_phrases import WEEKDAYS, days_until
from core.locations import Location, haversine_km, mentioned_locations
from core.validation.claim_patterns import (CLAUSE_BREAK, SENTENCE_END, Spot, spot_conditions, spot_numeric,
                                           words_of)
from core.validation.conversation import Conversation
from core.validation.tool_outputs import CANONICAL_UNITS, Fact, WeatherOutput, weather_outputs
from core.weather_codes import CONDITIONS, family

DEFAULT_THRESHOLD = 0.8
PLACE_RADIUS_KM = 75.0
HEDGE_MIN_CHANCE = 10.0           # "a chance of rain" needs at least this precipitation probability
KEY_KINDS = ("temperature", "condition", "wind", "precipitation_chance")
_CLAUSE_PENALTY = 40              # characters: a mention across a comma or "but" binds more weakly
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_TODAY_WORDS = frozenset({"today", "tonight", "currently", "now"})
_TODAY_PHRASES = {("right", "now"), ("this", "morning"), ("this", "afternoon"), ("this", "evening"),
                  ("the", "moment")}
_WEEKEND_OPENERS = frozenset({"this", "the", "coming"})
_MONTH_WORDS = frozenset({*_MONTHS, *(name[:3] for name in _MONTHS), "Sept"})
_MONTH_NAME = r"(?P<{}>" + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True)) + ")"
_MONTH_DAY = re.compile(
    rf"\b(?:{_MONTH_NAME.format('m1')}\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME.format('m2')})\b")


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim in an assistant message; `start`/`end` index that message's content."""

    kind: str
    text: str
    message_index: int
    start: int
    end: int
    supported: bool
    nearest: str | None = None  # the closest tool value (or why none applies), for unsupported claims

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class GroundednessResult:
    score: float
    coverage: float | None
    claims: tuple[Claim, ...]
    threshold: float = DEFAULT_THRESHOLD

    @property
    def passed(self) -> bool:
        return self.score >= self.threshold

    @property
    def unsupported(self) -> tuple[Claim, ...]:
        return tuple(claim for claim in self.claims if not claim.supported)

    def to_dict(self) -> dict:
        return {"score": round(self.score, 4),
                "coverage": None if self.coverage is None else round(self.coverage, 4),
                "threshold": self.threshold, "passed": self.passed,
                "supported": len(self.claims) - len(self.unsupported), "total": len(self.claims),
                "claims": [claim.to_dict() for claim in self.claims]}


@dataclass(frozen=True, slots=True)
class _DayMention:
    start: int
    end: int
    kind: str                 # weekday | date | today | tomorrow | after | weekend
    value: object = None      # weekday number or date
    is_claim: bool = False    # weekday names and explicit dates must be covered by an output


@dataclass
class _Message:
    """What one answer's claims are judged against."""

    text: str
    index: int
    outputs: list[WeatherOutput]
    today: date | None
    sentence_ends: list[int]
    places: list[tuple[int, int, Location]]
    days: list[_DayMention]
    covered: set[tuple[int, str]] = field(default_factory=set)


def check_groundedness(conversation: Conversation, *, threshold: float = DEFAULT_THRESHOLD) -> GroundednessResult:
    outputs = weather_outputs(conversation)
    today = conversation.today or _first_date(outputs)
    claims: list[Claim] = []
    covered: set[tuple[int, str]] = set()
    for index, text in conversation.assistant_texts:
        message = conversation.messages[index]
        if message.get("tool_calls"):
            continue  # text beside a call announces the call; answers come after the outputs
        words = words_of(text)
        spots = spot_numeric(text) + spot_conditions(text, words)
        days = _day_mentions(text, words)
        if not spots and not any(day.is_claim for day in days):
            continue
        context = _Message(text, index, [output for output in outputs if output.message_index < index], today,
                           [match.end() for match in SENTENCE_END.finditer(text)],
                           [(offset, offset + len(location.name), location)
                            for location, offset in mentioned_locations(text)], days)
        claims += _judge_message(context, spots)
        covered |= context.covered
    key_values = {(output.ordinal, fact.kind) for output in outputs for fact in output.facts
                  if fact.kind in KEY_KINDS}
    coverage = len(covered & key_values) / len(key_values) if key_values else None
    score = sum(claim.supported for claim in claims) / len(claims) if claims else 1.0
    return GroundednessResult(score, coverage, tuple(sorted(claims, key=lambda c: (c.message_index, c.start))),
                              threshold)


def _first_date(outputs: list[WeatherOutput]) -> date | None:
    return min(outputs[0].dates) if outputs and outputs[0].dates else None


# --- mentions and scope -------------------------------------------------------------------

def _day_mentions(text: str, words: list[tuple[int, int, str]]) -> list[_DayMention]:
    mentions = []
    for position, (start, end, word) in enumerate(words):
        previous = words[position - 1] if position else (start, start, "")
        if word in WEEKDAYS or (word.endswith("s") and word[:-1] in WEEKDAYS):
            mentions.append(_DayMention(start, end, "weekday", WEEKDAYS.index(word.rstrip("s")), True))
        elif word in _TODAY_WORDS:
            mentions.append(_DayMention(start, end, "today"))
        elif (previous[2], word) in _TODAY_PHRASES:
            mentions.append(_DayMention(previous[0], end, "today"))
        elif word == "tomorrow":
            after = position >= 2 and words[position - 2][2] == "day" and previous[2] == "after"
            mentions.append(_DayMention(words[position - 2][0] if after else start, end,
                                        "after" if after else "tomorrow"))
        elif word == "weekend" and previous[2] in _WEEKEND_OPENERS:
            mentions.append(_DayMention(previous[0], end, "weekend"))
    if "-" in text:
        for match in _ISO_DATE.finditer(text):
            try:
                mentions.append(_DayMention(*match.span(), "date", date.fromisoformat(match.group()), True))
            except ValueError:
                continue
    if any(word.capitalize() in _MONTH_WORDS for _, _, word in words):
        for match in _MONTH_DAY.finditer(text):
            month_name = match.group("m1") or match.group("m2")
            month = next(number for number, name in enumerate(_MONTHS, 1) if name.startswith(month_name[:3]))
            mentions.append(_DayMention(*match.span(), "month_day",
                                        (month, int(match.group("d1") or match.group("d2"))), True))
    return mentions


def _resolve_day(mention: _DayMention, today: date | None, covered: frozenset[date]) -> frozenset[date] | None:
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
        matching = frozenset(d for d in covered if d.weekday() == mention.value and (not today or d >= today))
        if matching or not today:
            return matching
        return frozenset({today + timedelta(days=days_until(WEEKDAYS[mention.value], today) - 1)})
    if today is None:
        return None
    if mention.kind == "weekend":
        return frozenset(today + timedelta(days=days_until(name, today) - 1) for name in ("saturday", "sunday"))
    offset = {"today": 0, "tomorrow": 1, "after": 2}[mention.kind]
    return frozenset({today + timedelta(days=offset)})


def _sentence_bounds(context: _Message, position: int) -> tuple[int, int]:
    ends = context.sentence_ends
    number = bisect.bisect_right(ends, position)
    return (ends[number - 1] if number else 0), (ends[number] if number < len(ends) else len(context.text))


def _nearest_in_sentence(context: _Message, spans: list[tuple[int, int, object]], spot: Spot) -> object | None:
    """The mention closest to the claim in its sentence; across a clause break counts as farther."""
    low, high = _sentence_bounds(context, spot.start)
    best, best_distance = None, math.inf
    for start, end, payload in spans:
        if not low <= start < high:
            continue
        if end <= spot.start:
            gap = context.text[end:spot.start]
            distance = len(gap)
        elif start >= spot.end:
            gap = context.text[spot.end:start]
            if CLAUSE_BREAK.search(gap):
                continue  # a mention after the claim binds only within its clause: "12 °C, and Sunday ..."
            distance = len(gap) + 0.5  # on a tie the mention before the claim wins
        else:
            gap, distance = "", 0
        if CLAUSE_BREAK.search(gap):
            distance += _CLAUSE_PENALTY
        if distance < best_distance:
            best, best_distance = payload, distance
    return best


def _same_place(output: WeatherOutput, location: Location) -> bool:
    return output.place_name == location.name or haversine_km(
        output.latitude, output.longitude, location.latitude, location.longitude) <= PLACE_RADIUS_KM


def _place_scope(context: _Message, spot: Spot) -> tuple[list[WeatherOutput], str | None]:
    """Outputs the claim may use, or ([], reason) for a place no output covered.

    A mention in the claim's sentence decides; otherwise the last covered place
    named earlier in the message carries over (uncovered places scope only their
    own sentence, so a quoted anecdote elsewhere cannot capture later claims).
    """
    place = _nearest_in_sentence(context, context.places, spot)
    if place is None:
        place = next((location for start, _, location in reversed(context.places)
                      if start < spot.start and any(_same_place(output, location) for output in context.outputs)),
                     None)
    if place is None:
        return context.outputs, None
    scoped = [output for output in context.outputs if _same_place(output, place)]
    return scoped, None if scoped else f"no tool output covers {place.label}"


def _day_scope(context: _Message, spot: Spot, outputs: list[WeatherOutput]) -> frozenset[date] | None:
    spans = [(mention.start, mention.end, mention) for mention in context.days]
    mention = _nearest_in_sentence(context, spans, spot)
    if mention is None:
        return None
    covered = frozenset().union(*(output.dates for output in outputs)) if outputs else frozenset()
    return _resolve_day(mention, context.today, covered)


# --- judging ------------------------------------------------------------------------------

def _judge_message(context: _Message, spots: list[Spot]) -> list[Claim]:
    claims = [_judge_day_claim(context, mention) for mention in context.days if mention.is_claim
              and not _in_question(context, mention.start)]
    for spot in spots:
        if spot.kind == "condition" and (_in_question(context, spot.start) or any(
                start <= spot.start < end for start, end, _ in context.places)):
            continue
        claims.append(_judge(context, spot))
    return claims


def _in_question(context: _Message, position: int) -> bool:
    _, end = _sentence_bounds(context, position)
    return context.text[:end].rstrip().endswith("?")


def _claim(context: _Message, kind: str, start: int, end: int, supported: bool, nearest: str | None) -> Claim:
    return Claim(kind, context.text[start:end], context.index, start, end, supported, None if supported else nearest)


def _judge_day_claim(context: _Message, mention: _DayMention) -> Claim:
    covered = frozenset().union(*(output.dates for output in context.outputs)) if context.outputs else frozenset()
    dates = _resolve_day(mention, context.today, covered) or frozenset()
    supported = bool(dates & covered)
    if covered:
        nearest = f"the tool outputs cover {min(covered)}..{max(covered)}"
    else:
        nearest = "no weather output came before this message"
    return _claim(context, "date", mention.start, mention.end, supported, nearest)


def _judge(context: _Message, spot: Spot) -> Claim:
    if spot.kind == "temperature_difference":
        return _judge_difference(context, spot)
    outputs, problem = _place_scope(context, spot)
    if problem:
        return _claim(context, spot.kind, spot.start, spot.end, False, problem)
    if not outputs:
        return _claim(context, spot.kind, spot.start, spot.end, False, "no weather output came before this message")
    days = _day_scope(context, spot, outputs)
    facts = [fact for output in outputs for fact in output.facts if days is None or fact.day in days]
    if days is not None and not facts:
        named = ", ".join(str(day) for day in sorted(days)) or "that day"
        return _claim(context, spot.kind, spot.start, spot.end, False, f"no tool output covers {named}")
    if spot.kind == "condition":
        supported, matched = _judge_condition(spot, facts)
    else:
        relevant = [fact for fact in facts if fact.kind == spot.kind]
        matched = [fact for fact in relevant if spot.low <= fact.value <= spot.high]
        supported = bool(matched) if spot.polarity != "negated" else len(matched) < len(relevant)
        if spot.polarity == "negated":
            matched = []
    if supported:
        context.covered.update((fact.output, fact.kind) for fact in matched)
        return _claim(context, spot.kind, spot.start, spot.end, True, None)
    if spot.kind == "condition":
        nearest = _describe_conditions(facts, context.outputs)
    else:
        nearest = _describe_nearest(spot, relevant, context.outputs)
    return _claim(context, spot.kind, spot.start, spot.end, False, nearest)


def _judge_condition(spot: Spot, facts: list[Fact]) -> tuple[bool, list[Fact]]:
    conditions = [fact for fact in facts if fact.kind == "condition" and int(fact.value) in CONDITIONS]
    if spot.polarity == "negated":
        return not any(family(int(fact.value)) in spot.conflicts for fact in conditions), []
    matched = [fact for fact in conditions if family(int(fact.value)) in spot.supports]
    if matched or spot.polarity != "hedged":
        return bool(matched), matched
    chance = any(fact.kind == "precipitation_chance" and fact.value >= HEDGE_MIN_CHANCE for fact in facts)
    return chance and bool(spot.supports - {"clear", "partly_cloudy", "cloudy", "fog"}), []


def _judge_difference(context: _Message, spot: Spot) -> Claim:
    """ "8 degrees warmer than Oslo" compares places or days, so every earlier output is in scope."""
    temperatures = sorted({fact.value for output in context.outputs for fact in output.facts
                           if fact.kind == "temperature"})
    supported = any(spot.low <= abs(later - earlier) <= spot.high
                    for position, earlier in enumerate(temperatures) for later in temperatures[position + 1:])
    return _claim(context, spot.kind, spot.start, spot.end, supported,
                  "no two tool temperatures differ by that much")


def _describe_fact(fact: Fact, outputs: list[WeatherOutput]) -> str:
    place = outputs[fact.output].place if fact.output < len(outputs) else "?"
    when = f", {fact.day}" if fact.day else ""
    if fact.kind == "condition":
        return f"{CONDITIONS.get(int(fact.value), fact.value)} ({place}{when})"
    return f"{fact.value:g} {CANONICAL_UNITS[fact.kind]} ({fact.field}, {place}{when})"


def _describe_nearest(spot: Spot, relevant: list[Fact], outputs: list[WeatherOutput]) -> str:
    if not relevant:
        return f"no {spot.kind.replace('_', ' ')} value in the tool outputs in scope"
    closest = min(relevant, key=lambda fact: max(spot.low - fact.value, fact.value - spot.high, 0.0))
    return _describe_fact(closest, outputs)


def _describe_conditions(facts: list[Fact], outputs: list[WeatherOutput]) -> str:
    conditions = [fact for fact in facts if fact.kind == "condition"]
    if not conditions:
        return "no condition in the tool outputs in scope"
    shown = list(dict.fromkeys(_describe_fact(fact, outputs) for fact in conditions))
    return "; ".join(shown[:3]) + (f"; … {len(shown) - 3} more" if len(shown) > 3 else "")
