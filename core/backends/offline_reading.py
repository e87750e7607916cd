"""The offline assistant's understanding: from the conversation so far, either the
next tool call or everything the final answer has to say.

Each user turn is played by one straight-line script. Every call the script
wants either already has its result in the conversation (the script reads it
and goes on) or does not (that call is the next action, and the script waits
for its result). Choices depend on the plan, the tool results and a seed that
leaves the persona out, so the three voices make exactly the same calls. A
`Reader` keeps a conversation's scripts waiting between steps, so a conversation
that only grew is read on from where it stopped rather than from its start.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Generator, NamedTuple
from zoneinfo import ZoneInfo

from core.backends.offline_user import PlaceMention, UserMessage, country_name, user_message
from core.date_phrases import asks_for_weekend, forecast_days_for, weekend_days
from core.generation import simulated_moment
from core.locations import COUNTRIES, Location, nearest
from core.json_codec import parse_json
from core.plan import ExamplePlan
from core.prompts import MAX_FORECAST_DAYS
from core.tool_errors import SERVICE_FAULTS, is_error

WELL_KNOWN_POPULATION = 1_000_000
# Share of service_unavailable/timeout faults retried; the rest get an honest apology.
# A rate limit is always retried once: the service said when to come back.
RETRY_SHARE = 0.75


class OfflineReadingError(RuntimeError):
    """The conversation is not one the offline assistant could have taken part in."""


def derive_seed(*parts: object) -> int:
    """A 64-bit seed from any parts, stable across runs and Python versions."""
    return int.from_bytes(hashlib.sha256(":".join(map(str, parts)).encode()).digest()[:8], "big")


class ToolRequest(NamedTuple):  # a tuple: several times cheaper to make than a frozen dataclass
    name: str
    arguments: dict[str, Any]


# The weather an answer speaks of is made at every step that reads a result: tuples, several
# times cheaper to make than frozen dataclasses, and as immutable.
class Now(NamedTuple):
    temperature: float
    feels_like: float
    humidity: int
    code: int
    condition: str
    is_day: bool
    wind: float
    gusts: float
    wind_direction: int


class Day(NamedTuple):
    date: date
    code: int
    condition: str
    high: float
    low: float
    precipitation: float
    chance: int
    wind: float
    wind_direction: int


class PlaceWeather(NamedTuple):
    """One place as the answer speaks of it: its current conditions and/or its days."""

    location: Location
    name: str
    now: Now | None = None
    forecast: tuple[Day, ...] = ()
    days: tuple[Day, ...] = ()  # the forecast days this answer is about


@dataclass
class Reply:
    """What the final answer must say; the voice decides only how."""

    topic: str  # an intent, a follow-up, or not_found | ambiguous | unavailable
    today: date  # the user's date: "today", "tomorrow" and weekday names count from it
    places: list[PlaceWeather] = field(default_factory=list)
    query: str = ""  # the place as the user named it (errors)
    suggestions: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    fault: str | None = None  # a service fault met on the way, retried or final
    retried: bool = False
    days_requested: int | None = None  # set when more days were asked than the service gives
    coordinates_fixed: bool = False
    follow_up: bool = False


def display_name(location: Location) -> str:
    """The name an answer uses: plain, or with state/country when the name is shared."""
    if not location.shares_name:
        return location.name
    if location.country_code == "US" and location.admin1:
        return f"{location.name}, {COUNTRIES['US'].regions.get(location.admin1, location.admin1)}"
    return f"{location.name}, {country_name(location)}"


def _now(output: dict) -> Now:
    c = output["current"]
    return Now(c["temperature_2m"], c["apparent_temperature"], c["relative_humidity_2m"], c["weather_code"],
               c["condition"], bool(c["is_day"]), c["wind_speed_10m"], c["wind_gusts_10m"], c["wind_direction_10m"])


def _days(output: dict) -> tuple[Day, ...]:
    d = output["daily"]
    return tuple(
        Day(date.fromisoformat(time), *values)
        for time, *values in zip(d["time"], d["weather_code"], d["condition"], d["temperature_2m_max"],
                                 d["temperature_2m_min"], d["precipitation_sum"], d["precipitation_probability_max"],
                                 d["wind_speed_10m_max"], d["wind_direction_10m_dominant"]))


class _Exchange(NamedTuple):  # a tuple is several times cheaper to make than a dataclass
    name: str
    arguments: dict[str, Any]
    result: dict[str, Any]
    scripted: bool  # a weight-0 mistake the generation loop inserted


class _Turn(NamedTuple):
    text: str
    exchanges: list[_Exchange]


def _results(messages: list[dict]) -> dict[str, Any]:
    """The decoded tool results in `messages` by call id (a later result for an id wins)."""
    return {m["tool_call_id"]: _decoded(m["content"]) for m in messages if m["role"] == "tool"}


def _turns(messages: list[dict], results: dict[str, Any], current: list[_Exchange] | None = None) -> list[_Turn]:
    """The user turns in `messages`, each with the exchanges (calls and their `results`) that follow it.

    Calls before the first user message go to `current`, the exchanges of a turn read
    earlier; without one, such calls are an error.
    """
    turns: list[_Turn] = []
    exchanges = current
    for message in messages:
        if message["role"] == "user":
            exchanges = []
            turns.append(_Turn(message["content"], exchanges))
        elif message["role"] == "assistant" and message.get("tool_calls"):
            if exchanges is None:
                raise OfflineReadingError("an assistant tool call came before any user message")
            for call in message["tool_calls"]:
                if call["id"] not in results:
                    raise OfflineReadingError(f"tool call {call['id']} has no tool result yet")
                exchanges.append(_Exchange(call["function"]["name"], _decoded(call["function"]["arguments"]),
                                           results[call["id"]], message.get("weight") == 0))
    return turns


@lru_cache(maxsize=256)
def _decoded(text: str) -> Any:
    """A tool result or arguments string, decoded once rather than at every later step (read-only)."""
    return parse_json(text)


class _Stop(Exception):
    """The turn cannot go on: the reply as it stands is the answer."""


@dataclass
class _Memory:
    """What earlier turns established: coordinates, weather, and what was last discussed."""

    coordinates: dict[str, tuple[float, float]] = field(default_factory=dict)
    weather: dict[str, PlaceWeather] = field(default_factory=dict)
    focus: list[str] = field(default_factory=list)
    topic: str = "current"  # what the last answer was about
    span: int | None = None  # forecast days the latest time phrase asked for
    trip: tuple[date, date] | None = None  # first and last day of a trip
    moment: datetime | None = None  # simulated_moment(plan), worked out when first needed


# A script step: it yields the call it waits for (until `exchanges` holds its result) and returns its value.
_Steps = Generator[ToolRequest, None, Any]


class _TurnScript:
    def __init__(self, plan: ExamplePlan, structure_seed: int, turn: _Turn, memory: _Memory) -> None:
        self.plan = plan
        self.structure_seed = structure_seed
        self.exchanges = turn.exchanges  # the calls made for this turn and their results, still to be read
        self.text = turn.text
        self.memory = memory
        self.reply = Reply(topic="current", today=plan.simulated_date)

    # -- the conversation as a source of results -------------------------------------------
    def call(self, name: str, arguments: dict[str, Any]) -> _Steps:
        while not self.exchanges:
            yield ToolRequest(name, arguments)
        exchange = self.exchanges.pop(0)
        if exchange.name != name:
            raise OfflineReadingError(f"expected a {name} call here, the conversation has {exchange.name}")
        return exchange.result

    def today(self, location: Location) -> date:
        """The date at `location` when the user asks (a day off the user's near midnight)."""
        if self.memory.moment is None:
            self.memory.moment = simulated_moment(self.plan)
        return self.memory.moment.astimezone(ZoneInfo(location.timezone)).date()

    def chance(self, purpose: str) -> float:
        return random.Random(derive_seed(self.structure_seed, purpose)).random()

    def stop(self, topic: str, **details: Any) -> None:
        self.reply.topic = topic
        for key, value in details.items():
            setattr(self.reply, key, value)
        raise _Stop

    def fetch(self, name: str, arguments: dict[str, Any]) -> _Steps:
        """Call a tool, retrying a service fault once when that is the sensible thing to do."""
        result = yield from self.call(name, arguments)
        code = result["error"]["code"] if is_error(result) else None
        if code in SERVICE_FAULTS:
            self.reply.fault = code
            if self.reply.retried or (code != "rate_limited" and self.chance("retry") >= RETRY_SHARE):
                self.stop("unavailable")
            self.reply.retried = True
            result = yield from self.call(name, arguments)
            if is_error(result) and result["error"]["code"] in SERVICE_FAULTS:
                self.stop("unavailable", fault=result["error"]["code"])
        return result

    # -- places and weather -------------------------------------------------------------------
    def coordinates(self, place: PlaceMention, *, fixing: bool = False) -> _Steps:
        """The place and the coordinates to ask the weather tools for."""
        self.reply.query = place.text
        known = place.location
        if known and known.id in self.memory.coordinates:
            return known, self.memory.coordinates[known.id]
        if known and not place.loose and _well_known(known) and not (fixing and self.chance("fix") < 0.5):
            point = (round(known.latitude, 2), round(known.longitude, 2))
        else:
            known, point = yield from self.geocode(place)
        self.memory.coordinates[known.id] = point
        return known, point

    def geocode(self, place: PlaceMention) -> _Steps:
        arguments = {"city": place.city, **({"country": place.country} if place.country else {})}
        result = yield from self.fetch("geocode_location", arguments)
        if is_error(result):
            error = result["error"]
            if error["code"] == "location_not_found":
                self.stop("not_found", suggestions=tuple(error.get("suggestions") or ()))
            self.stop("unavailable", fault=error["code"])
        matches = result["results"]
        if len(matches) > 1 and place.region:
            matches = [m for m in matches if m.get("admin1") == place.region] or matches
        if len(matches) > 1:
            self.stop("ambiguous", candidates=tuple(_candidate_label(m) for m in matches))
        top = matches[0]
        point = (round(top["latitude"], 4), round(top["longitude"], 4))
        return place.location or nearest(*point)[0], point

    def weather(self, location: Location, point: tuple[float, float], days: int | None) -> _Steps:
        """The place's weather as known now, with this call's current conditions or forecast added."""
        latitude, longitude = point
        if days is None:
            result = yield from self.fetch("get_current_weather", {"latitude": latitude, "longitude": longitude})
        else:
            result = yield from self.fetch("get_forecast", {"latitude": latitude, "longitude": longitude, "days": days})
        if is_error(result):
            self.stop("unavailable", fault=result["error"]["code"])
        known = self.memory.weather.get(location.id) or PlaceWeather(location, display_name(location))
        if days is None:
            known = PlaceWeather(known.location, known.name, _now(result), known.forecast, known.days)
        elif len(forecast := _days(result)) >= len(known.forecast):
            known = PlaceWeather(known.location, known.name, known.now, forecast, known.days)
        self.memory.weather[location.id] = known
        return known

    # -- the turns ----------------------------------------------------------------------------
    def first(self, places: tuple[PlaceMention, ...]) -> _Steps:
        plan = self.plan
        self.reply.topic = plan.intent
        days = None
        if plan.intent in ("forecast", "trip"):
            days = forecast_days_for(self.text, plan.simulated_date) or plan.days
            if days > MAX_FORECAST_DAYS:
                self.reply.days_requested, days = days, MAX_FORECAST_DAYS
        if plan.intent == "forecast" and asks_for_weekend(self.text, plan.simulated_date):
            self.reply.topic = "weekend"  # fetched from today, as the API counts, but answered for the weekend
        if plan.intent == "trip" and days:
            start = plan.simulated_date + timedelta(days=plan.trip_start_offset or 0)
            self.memory.trip = (start, plan.simulated_date + timedelta(days=days - 1))
        self.memory.span = days
        mistake = self.exchanges.pop(0) if self.exchanges and self.exchanges[0].scripted else None
        for place in places:
            if mistake and is_error(mistake.result) and "days" in mistake.arguments and place.location:
                # The span was too long, the coordinates were fine: keep them, ask for 14 days.
                self.memory.coordinates[place.location.id] = (mistake.arguments["latitude"],
                                                              mistake.arguments["longitude"])
            elif mistake and is_error(mistake.result):
                self.reply.coordinates_fixed = True
            location, point = yield from self.coordinates(place, fixing=self.reply.coordinates_fixed)
            yield from self.weather(location, point, self.span(location, days))
            self.reply.places.append(self.focused(location.id, self.reply.topic))
        return self.reply

    def follow(self, follow_up: str, places: tuple[PlaceMention, ...]) -> _Steps:
        """A follow-up; "what about Lyon?" asks the previous question again for Lyon."""
        self.reply.follow_up = True
        self.memory.span = min(forecast_days_for(self.text, self.plan.simulated_date) or 0,
                               MAX_FORECAST_DAYS) or self.memory.span
        if follow_up == "other_city":
            topic = self.memory.topic
            location, point = yield from self.coordinates(places[0])
            wants_days = topic in ("forecast", "trip", "tomorrow", "weekend", "umbrella") or (
                topic == "wind" and self.memory.span)
            yield from self.weather(location, point,
                                    self.span(location, (self.memory.span or 1) if wants_days else None))
            self.reply.topic, self.reply.places = topic, [self.focused(location.id, topic, fresh=True)]
            return self.reply
        self.reply.topic = follow_up
        if not self.memory.focus:
            raise OfflineReadingError(f"a {follow_up!r} follow-up came before any place was discussed")
        for location_id in self.memory.focus:
            place = self.memory.weather[location_id]
            days = self.days_missing(follow_up, place)
            if days:
                yield from self.weather(place.location, self.memory.coordinates[location_id],
                                        self.span(place.location, days))
        self.reply.places = [self.focused(location_id, follow_up) for location_id in self.memory.focus]
        return self.reply

    def span(self, location: Location, days: int | None) -> int | None:
        """Forecast days to ask for at `location` so they cover `days` counted from the user's today.

        A place whose calendar is a day behind the user's starts its forecast a day earlier.
        """
        if days is None:
            return None
        behind = max((self.plan.simulated_date - self.today(location)).days, 0)
        return min(days + behind, MAX_FORECAST_DAYS)

    def days_missing(self, follow_up: str, place: PlaceWeather) -> int | None:
        """Forecast days a follow-up needs, or None when earlier results cover it."""
        today = self.plan.simulated_date
        have = {day.date for day in place.forecast}
        if follow_up == "tomorrow" and today + timedelta(days=1) not in have:
            return self.memory.span or 2
        if follow_up == "weekend" and not _weekend_dates(today) <= have:
            return self.memory.span or weekend_days(today)
        if follow_up == "umbrella" and not place.days and today not in have:
            return self.memory.span or 1
        return None

    def focused(self, location_id: str, topic: str, *, fresh: bool = False) -> PlaceWeather:
        """The place with `days` narrowed to what this topic talks about; remembered as the focus.

        `fresh` places were fetched for this turn alone, so "those days" are all they have.
        """
        place = self.memory.weather[location_id]
        forecast, today = place.forecast, self.plan.simulated_date
        earlier = forecast if fresh else place.days or tuple(day for day in forecast if day.date == today)
        if topic == "trip" and self.memory.trip:
            first, last = self.memory.trip
            days = tuple(day for day in forecast if first <= day.date <= last) or forecast
        elif topic == "tomorrow":
            days = tuple(day for day in forecast if day.date == today + timedelta(days=1)) or forecast[-1:]
        elif topic == "weekend":
            days = tuple(day for day in forecast if day.date in _weekend_dates(today)) or forecast[-2:]
        elif topic == "umbrella":
            days = earlier or forecast[:1]
        elif topic == "wind":
            days = () if place.now else earlier
        elif topic == "forecast":
            days = forecast
        else:
            days = ()
        focused = PlaceWeather(place.location, place.name, place.now, place.forecast, days)
        self.memory.weather[location_id] = focused
        if location_id not in self.memory.focus or fresh:
            self.memory.focus = [location_id] if fresh else [*self.memory.focus, location_id]
        self.memory.topic = "current" if topic == "compare" else topic
        return focused


def _well_known(location: Location) -> bool:
    """Places an assistant can locate from memory: large, and alone under their name."""
    return (location.population or 0) >= WELL_KNOWN_POPULATION and not location.shares_name


def _weekend_dates(today: date) -> set[date]:
    span = weekend_days(today)
    return {today + timedelta(days=i) for i in range(span) if (today + timedelta(days=i)).weekday() >= 5}


def _candidate_label(match: dict) -> str:
    """'Springfield (Illinois, United States)': the name, then what tells it apart."""
    region = COUNTRIES.get(match["country_code"]) and COUNTRIES[match["country_code"]].regions.get(match["admin1"])
    where = ", ".join(part for part in (region or match.get("admin1"), match["country"]) if part)
    return f"{match['name']} ({where})"


def read(plan: ExamplePlan, messages: list[dict], *, backend_seed: int) -> ToolRequest | Reply:
    """The next action for the assistant after `messages` (OpenAI format, no system message)."""
    return Reader(plan, backend_seed).read(messages)


def _snapshot(message: dict) -> dict:
    """A copy of `message` that a later change to it, or to its calls, does not reach."""
    copy = dict(message)
    calls = copy.get("tool_calls")
    if isinstance(calls, list):
        copy["tool_calls"] = [{**call, "function": dict(call["function"])} if isinstance(call, dict)
                              and isinstance(call.get("function"), dict) else call for call in calls]
    return copy


class _Restart(Exception):
    """The new messages are not the plain continuation a reader can read on from."""


class Reader:
    """One conversation as read so far: its memory, and the current turn's script waiting for a call.

    `read` gives what the module's `read` gives for the same messages. When they
    continue the ones read last (the same messages first, more after), only the
    new ones are read; anything else is read from the start.
    """

    def __init__(self, plan: ExamplePlan, backend_seed: int) -> None:
        self.plan = plan
        self.backend_seed = backend_seed
        self._structure_seed = derive_seed("structure", backend_seed, plan.seed)
        self._seen: list[dict] | None = None  # snapshots of the messages read, None until a read succeeds
        # What the reads so far left behind (set by _read_all before anything reads them):
        self._results: dict[str, Any] = {}  # tool results by call id
        self._memory = _Memory()
        self._index = 0  # the current turn, played by _script
        self._script: _TurnScript | None = None
        self._steps: _Steps | None = None  # the script's steps, waiting at a call (None once the turn is answered)
        self._action: ToolRequest | Reply | None = None  # what the last read returned

    def read(self, messages: list[dict]) -> ToolRequest | Reply:
        seen = self._seen
        if seen is not None and len(messages) >= len(seen) and messages[:len(seen)] == seen:
            try:
                return self._read_on(messages[len(seen):])
            except Exception:
                pass  # reading from the start decides, and raises whatever it has always raised
        return self._read_all(messages)

    def _read_all(self, messages: list[dict]) -> ToolRequest | Reply:
        self._seen = None
        self._results = _results(messages)
        turns = _turns(messages, self._results)
        if not turns:
            raise OfflineReadingError("the conversation has no user message to answer")
        self._memory = _Memory()
        for index, turn in enumerate(turns):
            action = self._play(index, turn, last=index == len(turns) - 1)
        self._seen = list(map(_snapshot, messages))
        return action

    def _read_on(self, new: list[dict]) -> ToolRequest | Reply:
        """The next action when `new` messages follow the ones read (raises _Restart where that is not plain)."""
        seen, self._seen = self._seen, None  # until this read succeeds
        results = _results(new)
        if not results.keys().isdisjoint(self._results):
            raise _Restart  # a second result for a call id would change what earlier calls returned
        self._results.update(results)
        more: list[_Exchange] = []
        turns = _turns(new, self._results, more)
        if more and (self._steps is None or any(exchange.scripted for exchange in more)):
            raise _Restart  # calls after the turn's answer, or a scripted mistake only its start may take
        self._script.exchanges += more
        action = self._action if self._steps is None else self._go_on(last=not turns)
        for number, turn in enumerate(turns, start=self._index + 1):
            action = self._play(number, turn, last=turn is turns[-1])
        seen += map(_snapshot, new)
        self._seen = seen
        return action

    def _play(self, index: int, turn: _Turn, *, last: bool) -> ToolRequest | Reply:
        places = user_turn_message(self.backend_seed, self.plan, index).places
        self._index = index
        self._script = _TurnScript(self.plan, self._structure_seed, turn, self._memory)
        self._steps = self._script.first(places) if index == 0 else \
            self._script.follow(self.plan.follow_ups[index - 1], places)
        return self._go_on(last=last)

    def _go_on(self, *, last: bool) -> ToolRequest | Reply:
        """Run the current turn's script on: the call it waits for (only the last turn may wait), or its reply."""
        try:
            request = next(self._steps)
        except StopIteration as finished:
            self._steps, self._action = None, finished.value
            return self._action
        except _Stop:
            self._steps, self._action = None, self._script.reply
            return self._action
        if not last:
            raise OfflineReadingError(f"turn {self._index} ended without the call {request.name}")
        self._action = request
        return request


@lru_cache(maxsize=1024)
def user_turn_message(backend_seed: int, plan: ExamplePlan, turn: int) -> UserMessage:
    """The simulated user's message at `turn`: written once, read again at every assistant step."""
    return user_message(plan, turn, user_rng(backend_seed, plan, turn))


def user_rng(backend_seed: int, plan: ExamplePlan, turn: int) -> random.Random:
    """The generator behind the simulated user's message at `turn`, shared with the reader."""
    return random.Random(derive_seed("user", backend_seed, plan.seed, turn))
