"""Places named in answers, possessives included, and the test that lets most texts skip the second reading."""
from __future__ import annotations

from core.locations import may_name, mentioned_locations
from core.validation.place_mentions import places_named


def ids(text: str) -> list[tuple[str, int]]:
    return [(location.id, offset) for location, offset in places_named(text)]


def test_possessive_names_are_found_at_their_offset() -> None:
    text = "Here's the outlook: Tokyo's weather is mild, and so is Cairo’s."
    found = ids(text)
    assert [offset for _, offset in found] == [text.index("Tokyo"), text.index("Cairo")]
    assert not mentioned_locations(text)[1:]  # "tokyos" and "cairos" are not names without the second reading


def test_st_johns_stays_one_name() -> None:
    text = "In St. John's it's windy."
    assert [offset for _, offset in ids(text)] == [3]


def test_may_name_reads_folded_words() -> None:
    assert may_name("Moscow") and may_name("(TOKYO)") and not may_name("Moscow's")  # folded: "moscows"
    assert not may_name("Here's") and not may_name("it's") and not may_name("")


def test_mentions_of_both_readings_come_in_text_order() -> None:
    text = "Oslo first, then Tokyo's rain, then Lima."
    assert ids(text) == [("oslo-no", 0), ("tokyo-jp", text.index("Tokyo")), ("lima-pe", text.index("Lima"))]
    assert ids("Oslo and Lima") == [("oslo-no", 0), ("lima-pe", 9)]
