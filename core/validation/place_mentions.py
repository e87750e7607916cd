"""Places a text names, as core.locations finds them, plus possessives ("Moscow's forecast").

The database folds apostrophes away so "St. John's" matches, which turns
"Moscow's" into "moscows"; reading the text a second time with possessive
endings blanked (offsets kept) finds those too.
"""
from __future__ import annotations

import re
from functools import lru_cache

from core.locations import Location, mentioned_locations

# "'s" after a letter; the pattern opens with the apostrophe, which the engine scans for quickly.
_POSSESSIVE = re.compile(r"['’](?<=\w['’])s\b")


@lru_cache(maxsize=8192)
def places_named(text: str) -> tuple[tuple[Location, int], ...]:
    """(place, character offset) for each mention, in text order."""
    found = {offset: location for location, offset in mentioned_locations(text)}
    if _POSSESSIVE.search(text):
        blanked = _POSSESSIVE.sub("  ", text)
        for location, offset in mentioned_locations(blanked):
            found.setdefault(offset, location)
    return tuple((found[offset], offset) for offset in sorted(found))
