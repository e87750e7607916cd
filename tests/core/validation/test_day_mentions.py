import re

from hypothesis import given, settings
from hypothesis import strategies as st

from core.validation.claim_patterns import letter_runs, lowered
from core.validation.groundedness import _MONTH_AS_WRITTEN, _MONTH_DAY, _MONTH_RUNS, _day_mentions, _month_day_matches


def _month_days(text: str) -> list[tuple[int, int]]:
    lower = lowered(text)
    return [mention.value for mention in _day_mentions(text, lower, letter_runs(lower)) if mention.kind == "month_day"]


def test_month_names_are_found_in_every_written_form():
    assert _month_days("On March 5th it is 12 °C.") == [(3, 5)]
    assert _month_days("Expect rain on the 5th of Sept. and 7 Jan.") == [(9, 5), (1, 7)]
    assert _month_days("Jan. 3: sunny.") == [(1, 3)]


def test_month_letters_inside_words_are_not_dates():
    assert _month_days("The Janitor 5 said so; Mayday 3 times.") == []


_DATE_PARTS = ("January", "Jan", "Jan.", "Sept", "May", "may", "MAY", "4", "12th", "3rd", "31", "٣", "of", " ",
               "\n", ",", "Friday", "x", "Dec", "Oct.", "-", "é", "Ma", "_", "2026")


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PARTS), max_size=12).map("".join))
def test_the_month_pattern_finds_what_it_would_without_its_first_character_lookahead(text):
    plain = re.compile(_MONTH_DAY.pattern.replace("(?=[JFMASOND\\d])", "", 1))
    assert plain.pattern != _MONTH_DAY.pattern
    assert [(match.span(), match.groupdict()) for match in _MONTH_DAY.finditer(text)] == [
        (match.span(), match.groupdict()) for match in plain.finditer(text)]


@settings(derandomize=True, max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PARTS + ("\u2003", "\xa0", "st", "nd", "th", "December", "Mayor")),
                max_size=14).map("".join))
def test_month_days_tried_only_near_month_names_are_the_patterns_matches(text):
    names = [_MONTH_AS_WRITTEN[run] for run in _MONTH_RUNS.intersection(letter_runs(lowered(text)))]
    assert [(match.span(), match.groupdict()) for match in _month_day_matches(text, names)] == [
        (match.span(), match.groupdict()) for match in _MONTH_DAY.finditer(text)]
