"""The offline backend's simulated user: the messages a person would type, from a plan.

Each message is returned with the places it names, so the offline assistant can
read back exactly what was asked (the alias typed, the country given or left
out) without parsing its own user's prose. Every place phrase is checked
against `core.locations.geocode`, so a message resolves to what the plan means:
one place for a success, nothing for an unknown city, several for an ambiguous one.
"""
from __future__ import annotations

import random
from typing import NamedTuple

from core.date_phrases import describe_days, describe_trip
from core.locations import COUNTRIES, LOCATIONS, Location, geocode
from core.plan import ExamplePlan
from core.prompts import MAX_FORECAST_DAYS, plan_places


class PlaceMention(NamedTuple):  # a tuple: several times cheaper to make than a frozen dataclass
    """A place as the user named it, and what an assistant would geocode for it."""

    text: str
    city: str
    country: str | None
    region: str | None
    location: Location | None  # None for a place that does not exist
    loose: bool = False  # named by alias or casually: worth geocoding before trusting it


class UserMessage(NamedTuple):
    text: str
    places: tuple[PlaceMention, ...]


_SHORT_COUNTRY_NAMES = {"GB": "UK"}  # what people write after a city; geocode knows the alias


def country_name(place: Location) -> str:
    """The country as people write it after a city name: "London, UK", "Lyon, France"."""
    return _SHORT_COUNTRY_NAMES.get(place.country_code, place.country)


def _unique(city: str, country: str | None = None) -> bool:
    return len(geocode(city, country)) == 1


def mention(place: Location, rng: random.Random, *, loose: bool) -> PlaceMention:
    """How a person names `place`: plainly, with its country, by alias or in lower case."""
    if place.shares_name:  # a shared name needs its state or country to be understood
        if place.admin1 and (place.country_code == "US" or not _unique(place.name, place.country)):
            region = COUNTRIES[place.country_code].regions.get(place.admin1, place.admin1)
            return PlaceMention(f"{place.name}, {region}", place.name, place.country, place.admin1, place)
        country = country_name(place)
        return PlaceMention(f"{place.name}, {country}", place.name, country, None, place)
    if loose:
        aliases = [alias for alias in place.aliases
                   if alias.lower() != place.name.lower() and geocode(alias) == [place]]
        if aliases and rng.random() < 0.6:
            alias = rng.choice(aliases)
            return PlaceMention(alias, alias, None, None, place, loose=True)
        return PlaceMention(place.name.lower(), place.name, None, None, place, loose=True)
    if rng.random() < 0.3:
        country = country_name(place)
        return PlaceMention(f"{place.name}, {country}", place.name, country, None, place)
    return PlaceMention(place.name, place.name, None, None, place)


_SYLLABLES_START = ("Vel", "Mor", "Kast", "Bren", "Quil", "Tor", "Zar", "Hal", "Oster", "Lund", "Var",
                    "Dun", "Grim", "Ash", "Pell", "Skor", "Bral", "Mirn", "Ostra", "Fen", "Karv", "Tull")
_SYLLABLES_END = ("mouth", "haven", "grad", "ovka", "ford", "stad", "oria", "ton", "wick", "heim", "bury",
                  "ville", "opol", "ingen", "ora", "akesh", "enza", "vik", "dorf", "avay", "mere")
_LETTERS = "bcdfghklmnprstvwz"


def _garbled(name: str, rng: random.Random) -> str:
    """A real name misspelled past recognition: most letters after the first replaced."""
    letters = list(name.replace(" ", ""))
    for i in range(1, len(letters)):
        if rng.random() < 0.6:
            letters[i] = rng.choice(_LETTERS + "aeiouy")
    return "".join(letters).capitalize()


def unknown_place(rng: random.Random, candidates: tuple[Location, ...]) -> PlaceMention:
    """A place that does not exist: invented, or a real name garbled beyond recognition."""
    while True:
        if rng.random() < 0.5:
            name = rng.choice(_SYLLABLES_START) + rng.choice(_SYLLABLES_END)
        else:
            name = _garbled(rng.choice(candidates).name, rng)
        if len(name) >= 4 and not geocode(name):
            return PlaceMention(name, name, None, None, None, loose=True)


_GREETINGS = ("", "", "", "", "", "Hi! ", "Hey, ", "Hello! ", "Quick question: ", "Hi there, ")

_CURRENT = (
    "What's the weather like in {place} right now?",
    "How's the weather in {place} at the moment?",
    "Current conditions in {place}, please.",
    "Is it nice out in {place} right now?",
    "What's it doing outside in {place}?",
    "Can you check the weather in {place} for me?",
    "How warm is it in {place} right now?",
    "I'm about to head out in {place}. What's it like out there?",
    "Could you tell me the current weather in {place}?",
    "What are conditions like in {place} this {part}?",
    "What's the temperature in {place} right now?",
    "Is it cold in {place} at the moment?",
    "Can you look up the weather in {place}?",
    "What's the sky doing over {place} right now?",
    "Just landed in {place}. What's the weather like?",
    "Any idea what the weather is in {place} right now?",
)
_WEAR = (
    "What should I wear in {place} this {part}?",
    "Do I need a jacket in {place} right now?",
    "Heading out in {place}: coat or no coat?",
    "I'm in {place}. Shorts or jeans right now?",
    "How should I dress for the weather in {place} this {part}?",
    "Is it sweater weather in {place} right now?",
    "What kind of clothes do I need for {place} right now?",
    "Going for a walk in {place} soon. What should I put on?",
    "About to leave the house in {place}. How warmly should I dress?",
    "Do I need layers in {place} right now?",
    "Is it warm enough for a T-shirt in {place} at the moment?",
    "What's the right outfit for {place} this {part}?",
)
_FORECAST_FOR = (
    "What's the forecast in {place} for {span}?",
    "Can you give me the forecast for {place} for {span}?",
    "How's {place} looking for {span}?",
    "What's the weather going to be like in {place} for {span}?",
    "I need the weather for {place} for {span}.",
    "Could you check the outlook in {place} for {span}?",
    "What should I expect in {place} for {span}, weather-wise?",
    "Planning my days in {place}. What's the forecast for {span}?",
)
_FORECAST_UNTIL = (
    "What's the weather going to do in {place} {span}?",
    "Forecast for {place} {span}, please.",
    "How will the weather hold up in {place} {span}?",
    "Can you tell me the weather in {place} {span}?",
)
_FORECAST_PRODUCT = (
    "Can I get {span} for {place}?",
    "Could you pull up {span} for {place}?",
    "I'd like {span} for {place}, please.",
    "Please give me {span} for {place}.",
)
_TRIP = (
    "I'm heading to {place} {trip}. What weather should I pack for?",
    "Going to {place} {trip}. What should I expect?",
    "We'll be in {place} {trip}. How's the weather looking?",
    "Trip to {place} {trip}: do I need warm clothes?",
    "I fly to {place} {trip}. What will the weather be like?",
    "I'm visiting {place} {trip}. Anything I should pack for the weather?",
    "Off to {place} {trip} for work. What's the forecast for my stay?",
    "Family trip to {place} {trip}. Will the weather cooperate?",
)
_COMPARE = (
    "How does the weather in {a} compare with {b} right now?",
    "Which is warmer right now, {a} or {b}?",
    "{a} or {b}: where's the nicer weather at the moment?",
    "I'm choosing between {a} and {b} for an outing. How's the weather in each right now?",
    "Can you compare the current conditions in {a} and {b}?",
    "What's it like in {a} versus {b} right now?",
    "Is it colder in {a} or in {b} at the moment?",
    "Quick comparison please: current weather in {a} and {b}.",
)
_FOLLOW_UPS = {
    "tomorrow": ("And tomorrow?", "What about tomorrow?", "How about tomorrow, any better?",
                 "ok and tomorrow?", "Will it be the same tomorrow?", "What's tomorrow looking like?",
                 "Thanks! And for tomorrow?", "And what's the outlook for tomorrow?"),
    "other_city": ("What about {place}?", "And {place}?", "How about in {place}?", "Same question for {place}?",
                   "Thanks. Could you check {place} too?", "And how's {place} doing?",
                   "Now do {place}, please.", "ok, what about {place} then?"),
    "umbrella": ("Should I take an umbrella?", "Do I need an umbrella?", "Umbrella or no umbrella?",
                 "Will I need an umbrella?", "Is it worth bringing an umbrella?", "Should I pack a brolly?",
                 "So, umbrella?", "Should I grab an umbrella on my way out?"),
    "weekend": ("What about the weekend?", "And this weekend?", "How's the weekend looking?",
                "Any better for the weekend?", "What's the outlook for the weekend?",
                "And the weekend? I have plans outside.", "What does this weekend look like?",
                "Should I expect a nice weekend?"),
    "wind": ("Is it windy?", "How windy is it?", "What's the wind like?", "Will it be windy?",
             "How strong is the wind?", "Is it too windy for cycling?", "Any wind to worry about?",
             "And the wind?"),
}


def _part_of_day(hour: int) -> str:
    return "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"


def _too_many_days(days: int, rng: random.Random) -> str:
    options = [f"the next {days} days", f"the coming {days} days"]
    if days == 21:
        options += ["the next three weeks", "the next 3 weeks"]
    if days == 28:
        options += ["the next four weeks"]
    if days == 30:
        options += ["a month ahead"]
    return rng.choice(options)


def _forecast_request(place: str, plan: ExamplePlan, rng: random.Random) -> str:
    if plan.days > MAX_FORECAST_DAYS:
        span = _too_many_days(plan.days, rng)
    else:
        span = describe_days(plan.days, plan.simulated_date, rng)
    if span.startswith(("through ", "until ")):
        template = rng.choice(_FORECAST_UNTIL)
    elif span.endswith("forecast"):
        template = rng.choice(_FORECAST_PRODUCT)
    else:
        template = rng.choice(_FORECAST_FOR)
    return template.format(place=place, span=span)


def _first_request(plan: ExamplePlan, places: tuple[PlaceMention, ...], rng: random.Random) -> str:
    place = places[0].text
    part = _part_of_day(plan.simulated_hour)
    if plan.intent == "compare":
        return rng.choice(_COMPARE).format(a=places[0].text, b=places[1].text)
    if plan.intent == "what_to_wear":
        return rng.choice(_WEAR).format(place=place, part=part)
    if plan.intent == "trip" and plan.trip_start_offset:
        trip = describe_trip(plan.trip_start_offset, plan.days - plan.trip_start_offset, plan.simulated_date, rng)
        return rng.choice(_TRIP).format(place=place, trip=trip)
    if plan.intent in ("forecast", "trip") and plan.days:
        return _forecast_request(place, plan, rng)
    return rng.choice(_CURRENT).format(place=place, part=part)


def _casual(text: str, rng: random.Random, places: tuple[PlaceMention, ...]) -> str:
    """Lower-case the whole message when the user is already typing casually."""
    if any(p.text.islower() for p in places) and rng.random() < 0.5:
        return text.lower().rstrip(".")
    return text


def first_places(plan: ExamplePlan, rng: random.Random) -> tuple[PlaceMention, ...]:
    asked, _ = plan_places(plan)
    if plan.error_kind == "unknown_city":
        return (unknown_place(rng, LOCATIONS),)
    if plan.error_kind == "ambiguous_city":
        place = asked[0]
        return (PlaceMention(place.name, place.name, None, None, place),)
    return tuple(mention(place, rng, loose=plan.use_geocode and i == 0) for i, place in enumerate(asked))


def user_message(plan: ExamplePlan, turn: int, rng: random.Random) -> UserMessage:
    """The user's message at `turn` (0 = the first question, then one per follow-up)."""
    if turn == 0:
        places = first_places(plan, rng)
        greeting, request = rng.choice(_GREETINGS), _first_request(plan, places, rng)
        if greeting.endswith((", ", ": ")) and not request.startswith(("I ", "I'", places[0].text)):
            request = request[0].lower() + request[1:]
        return UserMessage(_casual(greeting + request, rng, places), places)
    follow_up = plan.follow_ups[turn - 1]
    template = rng.choice(_FOLLOW_UPS[follow_up])
    if follow_up != "other_city":
        return UserMessage(template, ())
    _, other = plan_places(plan)
    place = mention(other, rng, loose=False)
    return UserMessage(template.format(place=place.text), (place,))
