"""How many forecast days a request needs, and phrases that ask for a given number.

The simulated user renders phrases with `describe_days`; the offline assistant and
the validator read them back with `forecast_days_for`. One module holds both
directions so a phrase one side writes is always a phrase the other understands.
"""
from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
}
_NUM = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
_UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30}
_WEEKDAY = r"(" + "|".join(WEEKDAYS) + r")"

def caseless_patterns(pattern: str, flags: int = 0) -> tuple[re.Pattern, re.Pattern]:
    """(IGNORECASE for any text, case-sensitive for the text `caseless_subject` gives), for a pattern whose
    letters are lowercase ASCII: the second finds the same, several times faster (no case folding at
    each step, and the engine can scan for the pattern's literal prefix)."""
    return re.compile(pattern, flags | re.I), re.compile(pattern, flags)


# The letters IGNORECASE takes for an ASCII letter that str.lower() does not turn into one: "İ" lowers
# to "i" and a combining dot, "ı" and "ſ" stay as they are. Every other character keeps its length and
# its \w, \d and \s classes when lowered (tests/core/test_date_phrases.py checks every code point).
_LOWERING_MISSES = ("\u0130", "\u0131", "\u017f")


def caseless_subject(text: str) -> str | None:
    """`text.lower()`, in which the case-sensitive twin of `caseless_patterns` finds what the IGNORECASE
    one finds in `text`, at the same offsets; None for the rare text where it would not."""
    if not text.isascii() and any(letter in text for letter in _LOWERING_MISSES):
        return None
    return text.lower()


def _word(word: str) -> str:
    """`\\b` + `word` (which starts with a word character), written so that the regex engine sees `word` as a
    literal prefix and scans for it, instead of trying the whole pattern at every offset as a leading `\\b`
    makes it do: after the word, the character before it must not be a word character."""
    return rf"{word}(?<!\w{word})"


_SPAN = caseless_patterns(rf"\b{_NUM}[\s-]+(days?|weeks?|months?)\b")
_SPAN_TAIL = caseless_patterns(r"[\s-]+(?:days?|weeks?|months?)\b")
_LONGEST_NUMBER = max(map(len, _NUMBER_WORDS))
_FORTNIGHT = caseless_patterns(rf"{_word('fortnight')}\b")
_NEXT_WEEK = caseless_patterns("|".join([*(rf"{_word(word)}\s+week\b" for word in ("next", "coming", "upcoming")),
                                          rf"{_word('week ahead')}\b"]))
_WEEKEND = caseless_patterns(rf"{_word('weekend')}\b")
_DAY_AFTER = caseless_patterns(rf"{_word('day after tomorrow')}\b")
_TOMORROW = caseless_patterns(rf"{_word('tomorrow')}\b")
_WEEKDAY_REF = caseless_patterns(rf"\b(?:on|by|until|through|till|to|from|this|next|coming)\s+{_WEEKDAY}\b")
_FROM_FOR = caseless_patterns(rf"{_word('from')}\s+{_WEEKDAY}\s+for\s+{_NUM}\s+days?\b")
_IN_FOR = caseless_patterns(rf"{_word('in')}\s+{_NUM}\s+days?\b.{{0,40}}?\bfor\s+{_NUM}\s+days?\b", re.S)
# Every character IGNORECASE matches to an ASCII letter, as that lowercase letter, the rest as they are:
# a pattern above matches only where its lowercase words are in the folded text.
_FOLD = str.maketrans({**{letter: letter.lower() for letter in string.ascii_uppercase},
                       "\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _span_matches(subject: str, which: int) -> Iterator[re.Match]:
    """`_SPAN[which].finditer(subject)`, faster: a leading `\\b` and number make the engine try `_SPAN` at
    every offset, but a span starts at most a number word before the first run of spaces or hyphens that
    leads to a unit, which `_SPAN_TAIL` finds by scanning for spaces alone."""
    tail = _SPAN_TAIL[which].search(subject)
    return _SPAN[which].finditer(subject, max(tail.start() - _LONGEST_NUMBER, 0)) if tail else iter(())


def _number(token: str) -> int:
    token = token.translate(_FOLD)  # not lower(): IGNORECASE also matched "ſeven" and "K" for "k"
    return int(token) if token.isdigit() else _NUMBER_WORDS[token]


def days_until(weekday: str, today: date) -> int:
    """Forecast days needed to include the next `weekday` (1 when it is today)."""
    target = WEEKDAYS.index(weekday.translate(_FOLD))
    return (target - today.weekday()) % 7 + 1


def weekend_days(today: date) -> int:
    """Forecast days needed to cover the coming Sunday."""
    return days_until("sunday", today)


def asks_for_weekend(text: str, today: date) -> bool:
    """Whether the longest span `text` asks for is the weekend, so an answer should be about it alone."""
    return bool(_WEEKEND[0].search(text)) and forecast_days_for(text, today) == weekend_days(today)


@lru_cache(maxsize=1024)  # the offline assistant rereads each request at every step; the validator once more
def forecast_days_for(text: str, today: date) -> int | None:
    """The number of forecast days (day 1 = today) the request in `text` needs.

    Returns None when the text names no time span (a question about now).
    The largest span named wins, since the answer must cover all of it.
    """
    # IGNORECASE hides the patterns' literal prefixes from the engine, so each runs only when its
    # words are in the folded text (most requests name no span, or one), and on almost every text
    # the case-sensitive pattern reads the lowered text, which has the same offsets.
    subject = caseless_subject(text)
    if subject is not None:
        which, folded = 1, subject
    else:
        which, subject, folded = 0, text, text.translate(_FOLD)
    needs: list[int] = []
    consumed: list[tuple[int, int]] = []
    if "day" in folded:  # every weekday and unit-of-days pattern holds it
        if "from" in folded:
            for match in _FROM_FOR[which].finditer(subject):
                needs.append(days_until(match.group(1), today) + _number(match.group(2)) - 1)
                consumed.append(match.span())
        if "for" in folded:
            for match in _IN_FOR[which].finditer(subject):
                needs.append(_number(match.group(1)) + _number(match.group(2)))
                consumed.append(match.span())

    def free(match: re.Match) -> bool:
        return not any(start <= match.start() < end for start, end in consumed)

    if "day" in folded or "week" in folded or "month" in folded:
        for match in _span_matches(subject, which):
            if free(match):
                needs.append(_number(match.group(1)) * _UNIT_DAYS[match.group(2).translate(_FOLD)])
    if "fortnight" in folded and _FORTNIGHT[which].search(subject):
        needs.append(14)
    if "week" in folded:
        if _NEXT_WEEK[which].search(subject):
            needs.append(7)
        if "weekend" in folded and _WEEKEND[which].search(subject):
            needs.append(weekend_days(today))
    if "tomorrow" in folded:
        if "day after tomorrow" in folded and _DAY_AFTER[which].search(subject):
            needs.append(3)
        elif _TOMORROW[which].search(subject):
            needs.append(2)
    if "day" in folded and any(map(folded.__contains__, WEEKDAYS)):
        for match in _WEEKDAY_REF[which].finditer(subject):
            if free(match):
                needs.append(days_until(match.group(1), today))
    return max(needs) if needs else None


def describe_days(days: int, today: date, rng: random.Random) -> str:
    """A natural phrase asking for exactly `days` forecast days from `today`."""
    options = [f"the next {days} days", f"the coming {days} days", f"a {days}-day forecast"]
    if days == 2:
        options += ["tomorrow", "today and tomorrow"]
    if days == 3:
        options += ["the day after tomorrow"]
    if days == 7:
        options += ["next week", "the week ahead"]
    if days == 14:
        options += ["the next two weeks", "the next fortnight"]
    if days == weekend_days(today) and days >= 2:
        options += ["this weekend", "the coming weekend"]
    if 2 <= days <= 7:
        weekday = WEEKDAYS[(today + timedelta(days=days - 1)).weekday()].capitalize()
        options += [f"through {weekday}", f"until {weekday}"]
    return rng.choice(options)


def describe_trip(start_offset: int, length: int, today: date, rng: random.Random) -> str:
    """A trip phrase whose forecast horizon is `start_offset + length` days.

    `start_offset` is how many days from today the trip begins (1 = tomorrow).
    """
    start = today + timedelta(days=start_offset)
    weekday = WEEKDAYS[start.weekday()].capitalize()
    options = [f"in {start_offset} days, for {length} days"]
    if start_offset <= 6:
        options.append(f"from {weekday} for {length} days")
    return rng.choice(options)
