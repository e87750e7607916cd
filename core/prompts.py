"""Every prompt the generator writes: the record's system message, the guidance a
model assistant gets per scenario, and the brief a model playing the user gets.

The tool schemas are not repeated here: backends send `core.tools.TOOL_SCHEMAS`
alongside these texts, and the prompts only name the tools.
"""
from __future__ import annotations

import random
from datetime import date
from functools import lru_cache

from core.date_phrases import describe_days, describe_trip
from core.locations import BY_ID, Location
from core.personas import Persona, get_persona
from core.plan import ExamplePlan
from core.tools import TOOL_NAMES

MAX_FORECAST_DAYS = 14


class PromptError(ValueError):
    """A prompt was asked for a turn or plan it cannot describe."""


@lru_cache(maxsize=1024)
def day_names(day: date) -> tuple[str, str]:
    """The weekday and month names of `day` as strftime writes them (it is slow, and a run names
    each date many times)."""
    return f"{day:%A}", f"{day:%B}"


def system_message(persona: Persona | str, simulated_date: date, local_time: str) -> str:
    """The record's system message: the persona plus today's date, so relative
    dates ("tomorrow", "this weekend") map to the dates a forecast returns."""
    persona = persona if isinstance(persona, Persona) else get_persona(persona)
    weekday, month = day_names(simulated_date)
    today = f"{weekday}, {simulated_date.day} {month} {simulated_date.year}"  # strftime's %Y, at a tenth of the cost
    return (
        f"{persona.system_prompt}\n\n"
        f"Today is {today} ({simulated_date.isoformat()}) and the user's local time is {local_time}. "
        "Day 1 of a forecast is today, so count relative dates such as \"tomorrow\" or "
        "\"this weekend\" from today's date."
    )


SCENARIO_GUIDANCE: dict[str, str] = {
    "success": (
        "Call the tools you need (" + ", ".join(TOOL_NAMES) + "), one at a time, then answer in one "
        "short paragraph from their results: the conditions, the numbers that matter, one piece of advice."
    ),
    "error": (
        "A tool may fail or a request may be impossible. Read each error code and respond honestly: "
        "location_not_found -> say the place was not found and offer the suggestions; several geocoding "
        "results -> ask which place is meant; out_of_range for days -> explain the "
        f"{MAX_FORECAST_DAYS}-day limit and give what is available; out_of_range coordinates -> correct "
        "them and continue; rate_limited, service_unavailable or timeout -> retry once, and if it fails "
        "again apologise without giving any weather."
    ),
    "multi_turn": (
        "The user will follow up. Answer each follow-up from the results you already have when they "
        "cover it (wind, umbrella, a day already in the forecast); call the tools again only for a new "
        "place or a day you do not have yet."
    ),
}


def scenario_guidance(scenario: str) -> str:
    """Extra instructions for a model assistant generating this kind of example.

    Generation appends them to the request's system text; the record keeps only
    `system_message`, so the training data shows the behaviour, not the recipe.
    """
    try:
        return SCENARIO_GUIDANCE[scenario]
    except KeyError:
        raise PromptError(f"unknown scenario {scenario!r}; choose one of {', '.join(SCENARIO_GUIDANCE)}") from None


def plan_places(plan: ExamplePlan) -> tuple[tuple[Location, ...], Location | None]:
    """The places of the first question, and the place an `other_city` follow-up asks about."""
    places = tuple(BY_ID[location_id] for location_id in plan.location_ids)
    if "other_city" in plan.follow_ups and len(places) > 1:
        return places[:-1], places[-1]
    return places, None


_USER_ROLE = (
    "You are playing a person who is chatting with a weather assistant. Write only that person's next "
    "message: one or two casual sentences, in plain everyday English. Do not greet at length, do not "
    "mention tools, coordinates or that you are simulated, and do not answer your own question."
)

_FOLLOW_UP_BRIEFS = {
    "tomorrow": "Ask, briefly, about tomorrow in the same place (for example \"and tomorrow?\").",
    "other_city": "Ask the same question about {other} instead (for example \"what about {other_name}?\").",
    "umbrella": "Ask whether you should take an umbrella.",
    "weekend": "Ask what the weekend looks like there.",
    "wind": "Ask how windy it is, or will be.",
}


def _place_hint(place: Location, *, loose: bool) -> str:
    if loose:
        return f"{place.name} (refer to it loosely, as a local would, without the country)"
    return f"{place.name}, {place.country}"


def _first_request(plan: ExamplePlan) -> str:
    places, _ = plan_places(plan)
    if plan.error_kind == "unknown_city":
        where = ("a town that does not exist: invent a plausible-sounding name, or misspell a real city "
                 "beyond recognition")
    elif plan.error_kind == "ambiguous_city":
        where = f"\"{places[0].name}\" exactly, without naming a state, region or country"
    else:
        where = " and ".join(_place_hint(place, loose=plan.use_geocode and i == 0) for i, place in enumerate(places))
    if plan.intent == "compare":
        return f"Ask how the weather right now compares between {where}."
    if plan.intent == "what_to_wear":
        return f"Ask what to wear right now in {where}, or whether a jacket is needed."
    if plan.intent == "trip" and plan.trip_start_offset:
        length = plan.days - plan.trip_start_offset
        phrase = describe_trip(plan.trip_start_offset, length, plan.simulated_date, _phrasing_rng(plan))
        return f"Say you are travelling to {where} {phrase} and ask what weather to expect."
    if plan.intent in ("forecast", "trip") and plan.days:
        if plan.days > MAX_FORECAST_DAYS:
            phrase = f"the next {plan.days} days"
        else:
            phrase = describe_days(plan.days, plan.simulated_date, _phrasing_rng(plan))
        return f"Ask for the forecast in {where} for {phrase} (say it in your own words, keeping that span)."
    return f"Ask what the weather is like right now in {where}."


def _phrasing_rng(plan: ExamplePlan) -> random.Random:
    """Picks among equivalent phrasings of the same span (made only for the briefs that name one)."""
    return random.Random(plan.seed)


def user_brief(plan: ExamplePlan, turn: int) -> str:
    """The instruction for a model playing the user at `turn` (0 = the first message)."""
    if not 0 <= turn <= len(plan.follow_ups):
        raise PromptError(f"turn {turn} is out of range: plan {plan.index} has {len(plan.follow_ups)} "
                          f"follow-up(s), so turns run from 0 to {len(plan.follow_ups)}")
    today = f"Today is {day_names(plan.simulated_date)[0]}, {plan.simulated_date.isoformat()}."
    if turn == 0:
        return f"{_USER_ROLE} {today} {_first_request(plan)}"
    _, other = plan_places(plan)
    follow_up = plan.follow_ups[turn - 1]
    if follow_up == "other_city" and other is None:
        raise PromptError(f"plan {plan.index} has an other_city follow-up but only one place; "
                          "build it with core.plan.build_plans, which adds the second place")
    instruction = _FOLLOW_UP_BRIEFS[follow_up].format(
        other=f"{other.name}, {other.country}" if other else "", other_name=other.name if other else "")
    return f"{_USER_ROLE} {today} The assistant has just answered you. {instruction}"
