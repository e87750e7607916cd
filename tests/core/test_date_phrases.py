"""How many forecast days a phrase needs, and that rendered phrases read back."""
import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from core import date_phrases
from core.date_phrases import caseless_subject, days_until, describe_days, describe_trip, forecast_days_for

WEDNESDAY = date(2026, 3, 11)


def test_a_question_about_now_needs_no_forecast():
    assert forecast_days_for("Is it jacket weather in Oslo right now?", WEDNESDAY) is None


def test_explicit_spans_in_digits_and_words():
    assert forecast_days_for("forecast for the next 5 days in Lyon", WEDNESDAY) == 5
    assert forecast_days_for("give me a 10-day forecast", WEDNESDAY) == 10
    assert forecast_days_for("what about the next three days?", WEDNESDAY) == 3
    assert forecast_days_for("the next two weeks please", WEDNESDAY) == 14
    assert forecast_days_for("and the next fortnight?", WEDNESDAY) == 14
    assert forecast_days_for("the weather for the next 3 weeks", WEDNESDAY) == 21


def test_tomorrow_and_the_day_after():
    assert forecast_days_for("and tomorrow?", WEDNESDAY) == 2
    assert forecast_days_for("what about the day after tomorrow", WEDNESDAY) == 3


def test_weekend_counts_through_sunday():
    assert forecast_days_for("this weekend in Rome", WEDNESDAY) == 5
    assert forecast_days_for("this weekend", date(2026, 3, 14)) == 2  # a Saturday
    assert forecast_days_for("this weekend", date(2026, 3, 15)) == 1  # a Sunday
    assert forecast_days_for("Should I expect a nice weekend in Oslo?", WEDNESDAY) == 5


def test_named_weekdays_and_next_week():
    assert forecast_days_for("will it rain on Friday?", WEDNESDAY) == 3
    assert forecast_days_for("next week in Oslo", WEDNESDAY) == 7
    assert days_until("wednesday", WEDNESDAY) == 1


def test_trip_phrases_add_start_and_length():
    assert forecast_days_for("I fly to Lisbon in 3 days, for 4 days", WEDNESDAY) == 7
    assert forecast_days_for("I'm in Lima from Friday for 3 days", WEDNESDAY) == 5


def test_the_largest_span_named_wins():
    assert forecast_days_for("tomorrow and then the next 6 days", WEDNESDAY) == 6


@given(days=st.integers(2, 14), offset=st.integers(0, 364), seed=st.integers(0, 10_000))
def test_every_rendered_span_reads_back_exactly(days, offset, seed):
    today = date(2026, 1, 1) + timedelta(days=offset)
    phrase = describe_days(days, today, random.Random(seed))
    assert forecast_days_for(f"What is the weather for {phrase}?", today) == days, phrase


@given(start=st.integers(1, 6), length=st.integers(1, 8), offset=st.integers(0, 364), seed=st.integers(0, 10_000))
def test_every_rendered_trip_reads_back_exactly(start, length, offset, seed):
    today = date(2026, 1, 1) + timedelta(days=offset)
    phrase = describe_trip(start, length, today, random.Random(seed))
    assert forecast_days_for(f"I'm visiting {phrase}. What should I expect?", today) == start + length, phrase


def test_the_fold_gives_each_letter_ignorecase_matches_its_lowercase_ascii_letter():
    # forecast_days_for runs a pattern only when its words are in the folded text; sound only when
    # every character IGNORECASE takes for an ASCII letter folds to that letter.
    import re
    import string

    from core.date_phrases import _FOLD
    letter = re.compile("[a-z]", re.I)
    for code in range(0x110000):
        character = chr(code)
        if letter.fullmatch(character):
            folded = character.translate(_FOLD)
            assert folded in string.ascii_lowercase and re.fullmatch(folded, character, re.I), hex(code)


def test_unusual_letters_read_as_ignorecase_reads_them():
    assert forecast_days_for("THE NEXT 5 DAYS", WEDNESDAY) == 5
    assert forecast_days_for("this wee\u212aend", WEDNESDAY) == forecast_days_for("this weekend", WEDNESDAY)
    assert forecast_days_for("tomorrow \u0130n Izmir", WEDNESDAY) == 2


def test_lowering_keeps_each_character_s_length_and_classes_but_for_three_letters():
    # `caseless_subject` stands in for IGNORECASE only if str.lower() moves no character into or out of a class
    # the patterns use, and only the letters it refuses turn into an ASCII letter under IGNORECASE alone.
    import re
    import sys

    classes = [re.compile(r"\w"), re.compile(r"\d"), re.compile(r"\s")]
    letter = re.compile("[a-z]", re.I)
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        lower = character.lower()
        if character in date_phrases._LOWERING_MISSES:
            assert caseless_subject(character) is None
            continue
        assert len(lower) == 1, hex(code)
        assert all(bool(pattern.match(character)) == bool(pattern.match(lower)) for pattern in classes), hex(code)
        if letter.fullmatch(character):
            assert lower.isascii() and re.fullmatch(lower, character, re.I), hex(code)
        else:
            assert not ("a" <= lower <= "z"), hex(code)


_WORDS = ["next", "Next", "NEXT", "3", "Three", "days", "DAY", "week", "Weekend", "wee\u212aend", "fortnight",
          "tomorrow", "\u0130n", "in", "for", "From", "monday", "Sunday", "\u017funday", "on", "this", "-", " ",
          "Córdoba", "ÜBER", "\u0131n", "day after", "coming", "2", "12", "é"]


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12))
def test_the_case_sensitive_patterns_find_on_the_lowered_text_what_ignorecase_finds(words):
    text = " ".join(words)
    subject = caseless_subject(text)
    for name in ("_SPAN", "_FORTNIGHT", "_NEXT_WEEK", "_WEEKEND", "_DAY_AFTER", "_TOMORROW", "_WEEKDAY_REF",
                 "_FROM_FOR", "_IN_FOR"):
        ignorecase, case_sensitive = getattr(date_phrases, name)
        expected = [match.span() for match in ignorecase.finditer(text)]
        assert subject is None or [match.span() for match in case_sensitive.finditer(subject)] == expected, name


_EDGES = ["", " ", "x", "_", "1", "é", "-", "İ", "\u212a", "\n", "fourteen", "FOURTEEN", "weeks", "months"]


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS + _EDGES), max_size=12), st.sampled_from(["", " ", "-", "  ", "\t"]))
def test_the_patterns_scanning_for_a_literal_or_a_tail_find_what_their_plain_forms_find(words, separator):
    import re

    text = separator.join(words)
    for word in ("fortnight", "week ahead", "from", "in", "next"):
        for flags in (0, re.I):
            plain = [match.span() for match in re.finditer(rf"\b{word}", text, flags)]
            assert [match.span() for match in re.finditer(date_phrases._word(word), text, flags)] == plain, word
    for which, subject in ((0, text), (1, text.lower())):
        expected = [match.span() for match in date_phrases._SPAN[which].finditer(subject)]
        assert [match.span() for match in date_phrases._span_matches(subject, which)] == expected


@pytest.mark.parametrize("text, days", [("next 3 dayſ", 3), ("the next ſeven days", 7), ("on ſunday", 2),
                                        ("from ſunday for 3 days", 4), ("a wee\u212a ahead", 7)])
def test_letters_ignorecase_reads_as_ascii_count_as_those_letters_everywhere(text, days):
    assert forecast_days_for(text, date(2026, 3, 14)) == days  # Saturday


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS + _EDGES + ["dayſ", "ſeven", "wee\u212as", "SEVEN"]), max_size=10))
def test_any_request_gets_a_number_of_days_or_none_never_an_error(words):
    needed = forecast_days_for(" ".join(words), date(2026, 3, 14))
    assert needed is None or needed >= 1
