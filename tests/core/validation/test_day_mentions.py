from core.validation.claim_patterns import letter_runs, lowered
from core.validation.groundedness import _day_mentions


def _month_days(text: str) -> list[tuple[int, int]]:
    lower = lowered(text)
    return [mention.value for mention in _day_mentions(text, lower, letter_runs(lower)) if mention.kind == "month_day"]


def test_month_names_are_found_in_every_written_form():
    assert _month_days("On March 5th it is 12 °C.") == [(3, 5)]
    assert _month_days("Expect rain on the 5th of Sept. and 7 Jan.") == [(9, 5), (1, 7)]
    assert _month_days("Jan. 3: sunny.") == [(1, 3)]


def test_month_letters_inside_words_are_not_dates():
    assert _month_days("The Janitor 5 said so; Mayday 3 times.") == []
