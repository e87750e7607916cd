"""Places a text names, as core.locations finds them, plus possessives ("Moscow's forecast").

The database folds apostrophes away so "St. John's" matches, which turns
"Moscow's" into "moscows"; reading the text a second time with possessive
endings blanked (offsets kept) finds those too. That second reading can only
find more where a word around a possessive, as written or blanked, is part of
some name ("Moscow's", not "Here's"), so it is skipped otherwise.
"""
from __future__ import annotations

import re
from functools import lru_cache

from core.locations import Location, may_name, mentioned_locations

# "'s" after a letter; the pattern opens with the apostrophe, one literal character, which the engine
# scans for quickly (many times faster than for either of "'" and "’": texts have "’" read as "'").
_POSSESSIVE = re.compile(r"'(?<=\w')s\b")


@lru_cache(maxsize=8192)
def places_named(text: str) -> tuple[tuple[Location, int], ...]:
    """(place, character offset) for each mention, in text order."""
    mentions = mentioned_locations(text)
    text = text.replace("’", "'")  # offsets stay, and the database folds both alike
    if not any(_changes_a_name(text, match.start(), match.end()) for match in _POSSESSIVE.finditer(text)):
        return tuple(mentions)
    found = {offset: location for location, offset in mentions}
    for location, offset in mentioned_locations(_POSSESSIVE.sub("  ", text)):
        found.setdefault(offset, location)
    return tuple((found[offset], offset) for offset in sorted(found))


def _changes_a_name(text: str, start: int, end: int) -> bool:
    """Whether the whitespace-delimited word holding the possessive at start:end, as written or blanked,
    holds a word of some place name (whitespace always folds to a word break, so nothing else changes)."""
    first, last = start, end
    while first and not text[first - 1].isspace():
        first -= 1
    while last < len(text) and not text[last].isspace():
        last += 1
    word = text[first:last]
    return may_name(word) or may_name(word[:start - first] + "  " + word[end - first:])
