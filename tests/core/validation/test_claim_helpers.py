"""Helpers the groundedness check builds on for speed: they must agree with their plain forms."""
from __future__ import annotations

import pickle
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.validation.claim_patterns import (
    CLAIM_WORDS,
    _CHANCE,
    _CLAUSE_WORDS,
    _CONDITIONAL_PAIRS,
    _NEGATING_PAIRS,
    _NUMBER_AND_UNIT,
    _NUMBER_AND_UNIT_NO_MINUS,
    _QUALIFYING,
    _LOWER_WORD,
    IDIOM,
    SENTENCE_END,
    _clause_start,
    _percent_kind,
    _qualifiers,
    _window_polarity,
    clause_breaks,
    letter_runs,
    lowered,
    sentence_ends,
    spot_conditions,
)
from core.validation.conversation import parse_conversation
from core.validation.groundedness import (
    _RUN_WORDS,
    Claim,
    GroundednessResult,
    _day_mentions,
    _new_claim,
    check_groundedness,
)
from tests.core.validation.factories import current_record


def test_clause_breaks_punctuation_spaced_dashes_and_whole_words() -> None:
    text = "rain, but dry - although not-so (butter) thoughtful though; whereas whilex while"
    expected = [text.index(","), text.index("but"), text.index(" - ") + 1, text.index("although"),
                text.index("("), text.index(")"), text.index("though;"), text.index(";"), text.index("whereas"),
                text.rindex("while")]
    assert clause_breaks(text) == expected


@pytest.mark.parametrize("text, ends", [
    ("Sunny. Dry!", [6, 11]), ("Wait... what?! ok", [7, 14]), ("3.5 °C; rain", [7]), ("a.b", []),
    ("rain\n\n\nsun", [7]), (".\n", [1, 2]), ("e.g.x. Yes", [6]), ("end.", [4]), ("", []),
    ("cold.\u3000Snow", [5]), ("dry;\x85wet", [4]),
])
def test_sentence_ends_examples(text: str, ends: list[int]) -> None:
    assert sentence_ends(text) == ends == [match.end() for match in SENTENCE_END.finditer(text)]


@settings(derandomize=True, max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x1FF), max_size=40))
def test_lowered_is_str_lower_wherever_that_keeps_offsets(text: str) -> None:
    assert lowered(text) == text.lower() or len(text.lower()) != len(text)
    assert len(lowered(text)) == len(text)


def test_lowered_latin1_table_is_str_lower() -> None:
    every = "".join(map(chr, range(256)))
    assert lowered(every) == every.lower() and lowered(every + "Ā") == (every + "Ā").lower()


@settings(derandomize=True, max_examples=500, deadline=None)
@given(st.text(alphabet=".!?;\n \t\r\x0b\x1c\x85\xa0\u2028\u3000ab1é", max_size=30))
def test_sentence_ends_are_the_patterns_match_ends(text: str) -> None:
    assert sentence_ends(text) == [match.end() for match in SENTENCE_END.finditer(text)]


# Texts of claim, day and month words (some capitalised, some run into letters), numbers and marks.
_RUN_TEXT = st.lists(st.sampled_from([*sorted(_RUN_WORDS), "March", "Monday", "x", "y", " ", " ", ", ", ". ", "°",
                                      "é", "’", "-", "3", "12th", "2026-03-14"]), max_size=25).map("".join)


@settings(derandomize=True, max_examples=500, deadline=None)
@given(_RUN_TEXT)
def test_runs_kept_for_a_vocabulary_are_its_share_of_all_runs(text: str) -> None:
    lower = lowered(text)
    assert letter_runs(lower, _RUN_WORDS) == _RUN_WORDS & letter_runs(lower)
    assert letter_runs(lower) == set(re.findall("[a-z]+", lower))


@settings(derandomize=True, max_examples=300, deadline=None)
@given(_RUN_TEXT)
def test_claims_clause_breaks_and_days_read_from_the_vocabulary_runs_are_those_from_all_runs(text: str) -> None:
    lower = lowered(text)
    everything, kept = letter_runs(lower), letter_runs(lower, _RUN_WORDS)
    assert CLAIM_WORDS <= _RUN_WORDS
    assert spot_conditions(lower, kept) == spot_conditions(lower, everything)
    assert clause_breaks(lower, kept) == clause_breaks(lower, everything)
    assert _day_mentions(text, lower, kept) == _day_mentions(text, lower, everything)


def test_new_claim_is_the_same_claim() -> None:
    fields = ("temperature", "12 °C", 4, 10, 15, False, "11 °C (temperature_2m, Oslo, NO)")
    claim = _new_claim(*fields)
    assert claim == Claim(*fields) and hash(claim) == hash(Claim(*fields))
    assert claim.to_dict() == Claim(*fields).to_dict()


def test_a_filled_result_is_the_constructed_one() -> None:
    result = check_groundedness(parse_conversation(current_record("Sunny and 30 °C, with 4 °C by evening.")))
    built = GroundednessResult(result.score, result.coverage, result.supported_count, result.claim_count,
                               result.threshold, result._judged)
    assert vars(result) == vars(built) and result == built and repr(result) == repr(built)


def test_a_result_pickles_as_its_claims_and_drops_them_on_request() -> None:
    result = check_groundedness(parse_conversation(current_record("Sunny and 30 °C, with 4 °C by evening.")))
    copy = pickle.loads(pickle.dumps(result))
    assert copy == result and copy.to_dict() == result.to_dict() and hash(copy) == hash(result)
    assert (result.supported_count, result.claim_count) == (sum(c.supported for c in result.claims), 3)
    bare = result.without_claims()
    assert (bare.score, bare.coverage, bare.claims, bare.to_dict()["total"]) == (result.score, result.coverage, (), 0)


def test_a_result_keeps_its_claims_through_pickling_and_replace() -> None:
    result = check_groundedness(parse_conversation(current_record("Sunny and 30 °C, with 4 °C by evening.")))
    received = pickle.loads(pickle.dumps(result))
    for copy in (replace(result, threshold=0.9), replace(received, threshold=0.9)):
        assert copy.claims == result.claims and copy.to_dict()["claims"] == result.to_dict()["claims"]
        assert len(copy.claims) == copy.claim_count == 3


def _percent_kind_by_regex(lower: str, start: int, end: int) -> str | None:
    """The plain form: both keyword patterns run over the sentence-cut windows as texts of their own."""
    before = SENTENCE_END.split(lower[max(0, start - 40):start])[-1]
    after = SENTENCE_END.split(lower[end:end + 40])[0]
    candidates = []
    for pattern, kind in ((r"humid", "humidity"),
                          (r"\b(?:chances?|probability|likelihood|odds|likely|risk)\b", "precipitation_chance")):
        candidates += [(len(before) - found.end(), kind) for found in re.finditer(pattern, before)]
        candidates += [(found.start(), kind) for found in re.finditer(pattern, after)][:1]
    return min(candidates)[1] if candidates else None


@pytest.mark.parametrize("text", [
    "humidity 40% and a 30% chance", "a risky 40%, odds 5 %", "chances 20%chances", "xchance 40%", "odds. 40% risk",
    "the probability_ 40 % likelihood", "40% " + "x" * 36 + "risk", "risk" + "y" * 35 + " 40%", "humid;40% chance",
    "chancess 10% likely", "likelihood is 10%.risk", "humidity e.g. 40%", "humidity 3.5; 40%", "risk\n40%",
    "40% chance.", "40% chances!", "40% chance.s", "40% e.g. odds", "40% " + "x" * 32 + "chance", "risk" + "y" * 36 + "40%",
])
def test_percent_kind_finds_what_the_keyword_patterns_find(text: str) -> None:
    """Including the shortcut that skips a window's sentence end where no mark stands near the keyword."""
    for match in _NUMBER_AND_UNIT.finditer(text):
        if match.lastgroup == "percent":
            start, end = match.start(1), match.end()
            assert _percent_kind(text, start, end) == _percent_kind_by_regex(text, start, end)


@pytest.mark.parametrize("idiom", [
    "right as rain", "rain or shine", "raincheck", "rained on our parade", "every cloud", "silver lining",
    "head in the clouds", "under a cloud", "clouds my judgment", "clouded doubt", "cloud suspicion", "clouds the mind",
    "stealing their thunder", "snowballs chance", "snowed under", "fog of war", "it never rains", "it pours",
    "bridal shower", "took a shower", "showered them with",
])
def test_an_idiom_silences_the_condition_words_within_reach(idiom: str) -> None:
    assert IDIOM.fullmatch(idiom)
    assert spot_conditions(lowered(f"Sunny, {idiom}")) == []
    assert [spot.start for spot in spot_conditions(lowered(f"Sunny{'.' * 40}{idiom}"))][:1] == [0]


@pytest.mark.parametrize("text", [
    "no rain, but heavy rain", "not - rain", "not – heavy rain", "dry—rain", "isn't rain", "don’t rain", "ęrain",
    "nē rain", "a; b (c) d: e! f? g\nrain", "x" * 60 + " not rain", "little chance of rain", "no\ud800 rain",
    "tiny ĕ rain", "rock'n'roll rain", "one two three four five six rain", "° c rain", "",
])
def test_qualifiers_are_the_word_pattern_s_words_in_the_clause(text: str) -> None:
    """Read from bytes where no dash or apostrophe may stand in the clause, by the patterns elsewhere."""
    for start in range(len(text) + 1):
        words = _LOWER_WORD.findall(text, _clause_start(text, start), start)[-4:]
        cut = max((i + 1 for i, word in enumerate(words) if word in _CLAUSE_WORDS), default=0)
        assert _qualifiers(text, start) == words[cut:], start


def test_windows_without_qualifying_words_are_affirmed() -> None:
    """The fast path of _polarity: every window of qualifier words the rules read is caught by _QUALIFYING."""
    seconds = {second for _, second in _NEGATING_PAIRS | _CONDITIONAL_PAIRS}
    words = sorted(_QUALIFYING | _CHANCE | _CLAUSE_WORDS | seconds | {"heavy", "the", "some", "rain"})
    for first in words:
        for second in words:
            window = [first, second]
            assert _QUALIFYING.isdisjoint(window) <= (_window_polarity(window) == "affirmed"), window


def test_the_number_pattern_opens_on_every_character_backslash_d_matches() -> None:
    """The opening class is plain for speed (0-9, then all above Latin-1): it must still let every digit through."""
    every_character = "".join(map(chr, range(0x110000)))
    opening = re.compile(_NUMBER_AND_UNIT.pattern[len("(?P<number>"):].split("]", 1)[0] + "]")
    assert set(re.findall(r"[-−m\d]", every_character)) <= set(opening.findall(every_character))
    assert [m.group("number") for m in _NUMBER_AND_UNIT.finditer("٣ °c, −３ km/h, minus ٥%, ²3 mm, Ⅻ 4")] == [
        "٣", "−３", "minus ٥", "4"]


@pytest.mark.parametrize("text", [
    "-3 °c, −4 °f, 5-8 mm, m5 km/h, 3 to 8 °c, 20%, h2o 7 degrees, x-3 °c, ٣ °c, −３ km/h, mm 4 mph, 1.5.2 °c",
    "minimum 3 °c, max-4 °c, mm-5 mm, between 3 and 8 degrees, 7 knots", "",
])
def test_the_number_pattern_without_minus_finds_the_same_in_texts_without_minus(text: str) -> None:
    assert "minus" not in text
    def found(pattern: re.Pattern) -> list:
        return [(m.span(), m.lastgroup, m.groups()) for m in pattern.finditer(text)]
    assert found(_NUMBER_AND_UNIT_NO_MINUS) == found(_NUMBER_AND_UNIT)
