"""The offline backend's writing: a final answer in one of three voices.

An answer is composed from parts (lead-in, opening frame, facts, notes, advice,
closing flourish), each drawn from the voice's phrase bank with a seeded
`random.Random`. Only the fields carry facts, and every field is filled here
from a tool result: temperatures and winds converted for the place's units,
sky words from the WMO code, weekday names from forecast dates. Advice and
flourishes are chosen by the data (temperature band, wet, snowy, windy), so a
joke never contradicts the report.
"""
from __future__ import annotations

import random
import re
from datetime import date, timedelta

from core.backends import offline_phrases_franklin, offline_phrases_neutral, offline_phrases_twain
from core.backends.offline_reading import Day, Now, PlaceWeather, Reply
from core.prompts import MAX_FORECAST_DAYS, day_names
from core.weather_codes import CONDITIONS, family, is_precipitation, is_snow

VOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "neutral": offline_phrases_neutral.PHRASES,
    "twain": offline_phrases_twain.PHRASES,
    "franklin": offline_phrases_franklin.PHRASES,
}
# How often each voice ends on a flourish: the characters nearly always, neutral now and then.
CLOSING_SHARE = {"neutral": 0.35, "twain": 0.9, "franklin": 0.9}
FAHRENHEIT_COUNTRIES = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "LR", "BS", "KY", "PW", "FM", "MH"})
UMBRELLA_CHANCE = 40  # percent: from here on, a day counts as wet
UMBRELLA_DAYS_NAMED = 3  # the wettest days an umbrella answer names; the rest are counted
WINDY_KMH, GUSTY_KMH = 30, 50
BANDS = ((-10, "frigid"), (0, "freezing"), (8, "cold"), (15, "cool"), (22, "mild"), (28, "warm"))
ERROR_TOPICS = ("not_found", "ambiguous", "unavailable")

_SKY: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {  # code -> (any time, daytime only)
    0: (("clear skies", "a clear sky"), ("sunshine", "sunny skies")),
    1: (("mainly clear skies", "mostly clear skies"), ("mostly sunny skies",)),
    2: (("partly cloudy skies", "patchy cloud"), ("a mix of sun and cloud",)),
    3: (("overcast skies", "a grey, overcast sky", "thick cloud cover"), ()),
    45: (("fog", "foggy conditions"), ()),
    48: (("rime fog",), ()),
    53: (("moderate drizzle", "steady drizzle"), ()),
    55: (("dense drizzle", "heavy drizzle"), ()),
    61: (("slight rain", "light rain"), ()),
    63: (("moderate rain", "steady rain"), ()),
    71: (("slight snowfall", "light snow"), ()),
    73: (("moderate snowfall", "steady snow"), ()),
    75: (("heavy snowfall", "heavy snow"), ()),
    80: (("slight rain showers", "a few light showers"), ()),
    81: (("moderate rain showers", "passing showers"), ()),
    82: (("violent rain showers", "torrential showers"), ()),
    85: (("slight snow showers", "light snow showers"), ()),
    95: (("a thunderstorm", "thunderstorms"), ()),
}
_PRECIPITATION_NOUN = {"rain": "rain", "snow": "snow", "drizzle": "drizzle"}
_COMPASS = ("north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest")


def join(items: list[str], word: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def compass(degrees: float) -> str:
    return _COMPASS[round(degrees / 45) % 8]


def band(celsius: float) -> str:
    return next((name for limit, name in BANDS if celsius <= limit), "hot")


def is_wet_day(day: Day) -> bool:
    return is_precipitation(day.code) or day.chance >= UMBRELLA_CHANCE


class Units:
    """°F and mph for the places that use them, °C and km/h elsewhere; rounded to whole units."""

    def __init__(self, country_code: str) -> None:
        self.imperial = country_code in FAHRENHEIT_COUNTRIES

    def temperature(self, celsius: float, *, both: bool = False) -> str:
        if not self.imperial:
            return f"{round(celsius)} °C"
        fahrenheit = f"{round(celsius * 9 / 5 + 32)} °F"
        return f"{fahrenheit} ({round(celsius)} °C)" if both else fahrenheit

    def speed(self, kmh: float) -> str:
        return f"{round(kmh / 1.609344)} mph" if self.imperial else f"{round(kmh)} km/h"

    def day_name(self, day: date, today: date) -> str:
        """The weekday, with the date once a week or more ahead (two Tuesdays can be in range)."""
        weekday, month = day_names(day)
        if (day - today).days < 7:
            return weekday
        return f"{weekday} {month} {day.day}" if self.imperial else f"{weekday} {day.day} {month}"



class _Writer:
    def __init__(self, persona: str, rng: random.Random, earlier: str) -> None:
        self.phrases = VOICES[persona]
        self.persona = persona
        self.rng = rng
        self.earlier = earlier
        self.used: set[str] = set()  # templates already used in this answer

    # -- picking and filling ------------------------------------------------------------------
    def pick(self, slot: str, **fields: str) -> str:
        """A phrase for `slot`, preferring one this conversation has not used yet."""
        templates = self.phrases[slot]
        if self.earlier:
            fresh = [t for t in templates if not t or (t not in self.used and t.format(**fields) not in self.earlier)]
        elif self.used.isdisjoint(templates):
            fresh = templates  # every one of them is fresh: what the filter below would keep
        else:  # no earlier text: every template but the empty one has text of its own (a test holds this)
            fresh = [t for t in templates if not t or t not in self.used]
        template = self.rng.choice(fresh or templates)
        self.used.add(template)
        return template.format(**fields)

    def sky(self, code: int, daytime: bool = True) -> str:
        anytime, day_only = _SKY.get(code, ((CONDITIONS[code],), ()))
        return self.rng.choice(anytime + (day_only if daytime else ()))

    def opening(self, lead_slot: str, slot: str, **fields: str) -> str:
        return _sentence(self.pick(lead_slot) + self.pick(slot, **fields))

    def maybe(self, share: float, slot: str, **fields: str) -> str:
        return self.pick(slot, **fields) if self.rng.random() < share else ""

    # -- the answer ---------------------------------------------------------------------------
    def answer(self, reply: Reply) -> str:
        self.today = reply.today
        if reply.topic in ERROR_TOPICS:
            parts = getattr(self, reply.topic)(reply)
        else:
            body = getattr(self, reply.topic)(reply)
            parts = [body[0], *self.notes(reply), *body[1:]]
            parts.append(self.maybe(CLOSING_SHARE[self.persona], self.closing_slot(reply)))
        return " ".join(part for part in parts if part)

    def lead(self, reply: Reply) -> str:
        return "switch" if reply.follow_up and reply.topic in ("current", "what_to_wear", "forecast", "trip") \
            else "lead"

    def notes(self, reply: Reply) -> list[str]:
        notes = []
        place = reply.places[0]
        if reply.days_requested and reply.topic == "trip":
            notes.append(self.pick("trip_capped", limit=str(MAX_FORECAST_DAYS),
                                   last_day=self.units(place).day_name(place.forecast[-1].date, self.today)))
        elif reply.days_requested:
            notes.append(self.pick("days_capped", limit=str(MAX_FORECAST_DAYS), requested=str(reply.days_requested)))
        if reply.coordinates_fixed:
            notes.append(self.pick("coordinates_fixed", place=place.name))
        if reply.retried:
            notes.append(self.pick("retried"))
        return notes

    def units(self, place: PlaceWeather) -> Units:
        return Units(place.location.country_code)

    # -- conditions now -----------------------------------------------------------------------
    def now_fields(self, place: PlaceWeather) -> dict[str, str]:
        now, units = place.now, self.units(place)
        return {"place": place.name, "temp": units.temperature(now.temperature, both=True),
                "sky": self.sky(now.code, now.is_day), "feels": units.temperature(now.feels_like),
                "humidity": f"{now.humidity}%", "wind": units.speed(now.wind),
                "direction": compass(now.wind_direction), "gusts": units.speed(now.gusts)}

    def now_details(self, place: PlaceWeather, fields: dict[str, str], *, feels_share: float) -> list[str]:
        now = place.now
        details = []
        if abs(now.feels_like - now.temperature) >= 2:
            details.append(self.maybe(feels_share, "feels", **fields))
        details.append(self.pick("humidity_wind", **fields))
        if now.gusts >= max(GUSTY_KMH, now.wind + 15):
            details.append(self.pick("gusts", **fields))
        return details

    def now_advice(self, now: Now) -> list[str]:
        advice = [self.pick("wear_" + band(now.feels_like))]
        if is_snow(now.code):
            advice.append(self.pick("snow_gear"))
        elif is_precipitation(now.code):
            advice.append(self.pick("umbrella"))
        if now.wind >= WINDY_KMH or now.gusts >= GUSTY_KMH:
            advice.append(self.pick("windy"))
        return advice

    def current(self, reply: Reply) -> list[str]:
        place = reply.places[0]
        fields = self.now_fields(place)
        advice = self.now_advice(place.now)
        return [self.opening(self.lead(reply), "current", **fields),
                *self.now_details(place, fields, feels_share=0.7),
                *(advice if self.rng.random() < 0.7 else advice[1:])]

    def what_to_wear(self, reply: Reply) -> list[str]:
        place = reply.places[0]
        fields = self.now_fields(place)
        return [self.opening(self.lead(reply), "wear", **fields),
                *self.now_details(place, fields, feels_share=1.0), *self.now_advice(place.now)]

    def compare(self, reply: Reply) -> list[str]:
        a, b = reply.places[:2]
        fa, fb = self.now_fields(a), self.now_fields(b)
        parts = [self.opening("lead", "compare", a=a.name, b=b.name, temp_a=fa["temp"], temp_b=fb["temp"],
                              sky_a=fa["sky"], sky_b=fb["sky"])]
        warmer, cooler = (a, b) if a.now.temperature >= b.now.temperature else (b, a)
        if warmer.now.temperature - cooler.now.temperature >= 2:
            parts.append(self.pick("compare_warmer", warmer=warmer.name, cooler=cooler.name))
        else:
            parts.append(self.pick("compare_similar", a=a.name, b=b.name))
        wet = [p for p in (a, b) if is_precipitation(p.now.code)]
        if len(wet) == 1:
            parts.append(self.pick("compare_dry", dry=(b if wet[0] is a else a).name))
        return parts

    # -- forecast days ------------------------------------------------------------------------
    def day_fields(self, place: PlaceWeather, day: Day) -> dict[str, str]:
        units = self.units(place)
        return {"day": units.day_name(day.date, self.today), "sky": self.sky(day.code),
                "high": units.temperature(day.high), "low": units.temperature(day.low),
                "chance": f"{day.chance}%", "precip_noun": _PRECIPITATION_NOUN.get(family(day.code), "precipitation")}

    def range_fields(self, place: PlaceWeather, days: tuple[Day, ...]) -> dict[str, str]:
        units = self.units(place)
        return {"place": place.name, "n": str(len(days)),
                "low_min": units.temperature(min(day.low for day in days)),
                "high_max": units.temperature(max(day.high for day in days)),
                "first_day": units.day_name(days[0].date, self.today),
                "last_day": units.day_name(days[-1].date, self.today)}

    def day_details(self, place: PlaceWeather, days: tuple[Day, ...]) -> list[str]:
        """One sentence a day for a short span; a compact list and a summary for a long one."""
        if len(days) <= 3:
            return [self.pick("day_sentence", **self.day_fields(place, day)) for day in days]
        listed = days if len(days) <= 7 else days[:3]
        lines = []
        for day in listed:
            f = self.day_fields(place, day)
            lines.append(f"{f['day']}: {f['sky']}, {f['low']} to {f['high']}, "
                         f"{f['chance']} chance of {f['precip_noun']}")
        details = [self.pick("day_list", lines="; ".join(lines))]
        if len(days) > 7:
            units = self.units(place)
            warmest = max(days, key=lambda day: day.high)
            coolest = min(days, key=lambda day: day.low)
            details.append(self.pick("long_summary", warmest_day=units.day_name(warmest.date, self.today),
                                     high_max=units.temperature(warmest.high),
                                     coolest_day=units.day_name(coolest.date, self.today),
                                     low_min=units.temperature(coolest.low)))
        return details

    def wet_summary(self, place: PlaceWeather, days: tuple[Day, ...]) -> list[str]:
        units = self.units(place)
        wet = [units.day_name(day.date, self.today) for day in days if is_wet_day(day)]
        if wet:
            summary = [self.pick("wet_days" if len(wet) > 1 else "wet_day", wet_days=join(wet))]
        else:
            highest = max(day.chance for day in days)
            summary = [self.pick("dry_days" if highest else "dry_all", max_chance=f"{highest}%")]
        soaked = max(days, key=lambda day: day.precipitation)
        if soaked.precipitation >= 1 and len(days) <= 7:
            summary.append(self.maybe(0.5, "amount", day=units.day_name(soaked.date, self.today),
                                      amount=f"{soaked.precipitation:g} mm"))
        return summary

    def days_of(self, place: PlaceWeather) -> tuple[Day, ...]:
        return place.days or place.forecast

    def forecast(self, reply: Reply) -> list[str]:
        place = reply.places[0]
        days = self.days_of(place)
        fields = self.range_fields(place, days)
        return [self.opening(self.lead(reply), "forecast", **fields), *self.day_details(place, days),
                *self.wet_summary(place, days), self.maybe(0.5, "pack", **fields)]

    def trip(self, reply: Reply) -> list[str]:
        place = reply.places[0]
        days = self.days_of(place)
        fields = self.range_fields(place, days)
        return [self.opening(self.lead(reply), "trip", **fields), *self.day_details(place, days),
                *self.wet_summary(place, days), self.pick("pack", **fields)]

    def tomorrow(self, reply: Reply) -> list[str]:
        parts = []
        for place in reply.places:
            day = self.days_of(place)[0]
            fields = {**self.day_fields(place, day), "place": place.name}
            if day.date == self.today + timedelta(days=1):
                parts += [self.opening("switch" if parts else "follow_lead", "tomorrow", **fields),
                          self.pick("chance", **fields)]
            else:  # the place's own calendar is a day off ours: name the day instead of "tomorrow"
                parts.append(self.pick("day_sentence", **fields))
        days = [self.days_of(place)[0] for place in reply.places]
        parts.append(self.pick("wear_" + band(sum(d.high + d.low for d in days) / (2 * len(days)))))
        if any(is_wet_day(day) for day in days):
            parts.append(self.pick("snow_gear" if any(is_snow(day.code) for day in days) else "umbrella"))
        return parts

    def weekend(self, reply: Reply) -> list[str]:
        parts = []
        for place in reply.places:
            days = self.days_of(place)
            fields = self.range_fields(place, days)
            lead = "switch" if parts else "follow_lead" if reply.follow_up else "lead"
            parts.append(self.opening(lead, "weekend", **fields))
            parts += [self.pick("day_sentence", **self.day_fields(place, day)) for day in days]
            if not reply.follow_up:
                parts += [*self.wet_summary(place, days), self.maybe(0.5, "pack", **fields)]
        return parts

    def umbrella(self, reply: Reply) -> list[str]:
        parts = []
        for place in reply.places:
            reasons, wet = self.umbrella_reasons(place)
            slot = "umbrella_yes" if wet else "umbrella_no"
            parts.append(self.opening("follow_lead", slot, place=place.name, reason=reasons) if not parts
                         else _sentence(self.pick(slot, place=place.name, reason=reasons)))
        if any(is_snow(day.code) for place in reply.places for day in self.days_of(place)):
            parts.append(self.pick("snow_gear"))
        return parts

    def umbrella_reasons(self, place: PlaceWeather) -> tuple[str, bool]:
        """Why (not): the precipitation now and the chance on each day in question."""
        units = self.units(place)
        days = self.days_of(place)
        wet_days = [day for day in days if is_wet_day(day)]
        wettest = sorted(wet_days, key=lambda day: -day.chance)[:UMBRELLA_DAYS_NAMED]
        shown = [day for day in wet_days if day in wettest]
        reasons = []
        if place.now and is_precipitation(place.now.code):
            reasons.append(f"{self.sky(place.now.code)} at the moment")
        for day in shown:
            f = self.day_fields(place, day)
            when = "today" if day.date == self.today else f"on {units.day_name(day.date, self.today)}"
            reasons.append(f"a {f['chance']} chance of {f['precip_noun']} {when}")
        if len(wet_days) > len(shown):
            reasons.append(f"the same risk on {len(wet_days) - len(shown)} more days besides")
        if reasons:  # one scope per day, so each chance stays with its own day
            return "; ".join(reasons[:-1]) + ("; and " if len(reasons) > 1 else "") + reasons[-1], True
        today_only = len(days) == 1 and days[0].date == self.today
        when = "today" if today_only else \
            f"on {units.day_name(days[0].date, self.today)}" if len(days) == 1 else "on any of those days"
        highest = max(day.chance for day in days)
        limit = "a" if highest == 0 else "only a" if len(days) == 1 else "no more than a"
        dry = f"{limit} {highest}% chance of precipitation {when}"
        if place.now and today_only:
            dry += f" and {self.sky(place.now.code, place.now.is_day)} right now"
        return dry, False

    def wind(self, reply: Reply) -> list[str]:
        parts = []
        for place in reply.places:
            lead = "follow_lead" if not parts else "switch"
            if place.now:
                fields = self.now_fields(place)
                parts.append(self.opening(lead, "wind_now", **fields))
                if place.now.gusts >= place.now.wind + 10:
                    parts.append(self.pick("gusts", **fields))
                windy = place.now.wind >= WINDY_KMH or place.now.gusts >= GUSTY_KMH
            else:
                units, days = self.units(place), self.days_of(place)
                windiest = max(days, key=lambda day: day.wind)
                parts.append(self.opening(lead, "wind_days", place=place.name, wind_max=units.speed(windiest.wind),
                                          windiest_day=units.day_name(windiest.date, self.today)))
                windy = windiest.wind >= WINDY_KMH
            if windy:
                parts.append(self.pick("windy"))
        return parts

    # -- errors ---------------------------------------------------------------------------------
    def not_found(self, reply: Reply) -> list[str]:
        follow = (self.pick("suggest", suggestions=join(list(reply.suggestions), "or")) if reply.suggestions
                  else self.pick("no_suggest"))
        return [self.opening("error_lead", "not_found", query=reply.query), follow,
                self.maybe(CLOSING_SHARE[self.persona] / 2, "close_error")]

    def ambiguous(self, reply: Reply) -> list[str]:
        return [self.opening("error_lead", "ambiguous", query=reply.query, count=str(len(reply.candidates))),
                self.pick("candidates", candidates=join(list(reply.candidates))), self.pick("which")]

    def unavailable(self, reply: Reply) -> list[str]:
        slot = f"unavailable_{reply.fault}" if f"unavailable_{reply.fault}" in self.phrases else "unavailable_other"
        return [self.opening("error_lead", slot, place=reply.query),
                self.pick("retry_failed") if reply.retried else "", self.pick("no_guess", place=reply.query),
                self.maybe(CLOSING_SHARE[self.persona] / 2, "close_error")]

    # -- the closing flourish -----------------------------------------------------------------
    def closing_slot(self, reply: Reply) -> str:
        """A flourish that fits the data: wet, snowy, windy, or the temperature band."""
        if self.rng.random() < 0.3:
            return "close_any"
        now = [p.now for p in reply.places if p.now and reply.topic not in ("tomorrow", "weekend", "forecast", "trip")]
        days = [day for p in reply.places for day in self.days_of(p)] if not now else []
        codes = [n.code for n in now] + [day.code for day in days]
        if any(is_snow(code) for code in codes):
            return "close_snow"
        if any(is_precipitation(code) for code in codes) or any(is_wet_day(day) for day in days):
            return "close_wet"
        if any(n.wind >= WINDY_KMH for n in now) or any(day.wind >= WINDY_KMH for day in days):
            return "close_windy"
        temperatures = [n.feels_like for n in now] + [(day.high + day.low) / 2 for day in days]
        if not temperatures or max(temperatures) - min(temperatures) > 15:
            return "close_any"
        return "close_" + band(sum(temperatures) / len(temperatures))


_AN_NUMBER = re.compile(r"\b([Aa]) (?=(?:8\d*|11|18)(?![\d.])|east\b)")
_AN_NUMBER_HINT = re.compile(r"[Aa] (?:8|11|18|east)")  # in every match of _AN_NUMBER; several times faster to seek


def _fix_articles(text: str) -> str:
    """'a 8 km/h wind' -> 'an 8 km/h wind', 'a east wind' -> 'an east wind': filled fields decide the article."""
    if not _AN_NUMBER_HINT.search(text):
        return text
    return _AN_NUMBER.sub(lambda match: match.group(1) + "n ", text)


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(("?", "!", ".")) else text + "."


def write_answer(reply: Reply, persona: str, rng: random.Random, earlier: str = "") -> str:
    """The final answer to `reply` in `persona`'s voice; same rng and `earlier` answers, same words."""
    return _fix_articles(_Writer(persona, rng, earlier).answer(reply))
