"""JSON in and out at the speed a run needs, with exactly the stdlib's results.

Records and tool outputs are written as `json.dumps(..., ensure_ascii=False)`
writes them (their bytes are part of a seed's reproducible output), through one
encoder built once. Reading goes through orjson, several times faster, wherever
it gives what `json.loads` gives: it refuses whatever json would raise on (and
NaN, infinities and lone surrogates, which json accepts), and reads integers
beyond 64 bits as floats, so those texts are left to json, whose values and
error messages are the ones the rest of the product expects.
"""
from __future__ import annotations

import json
import math
from typing import Any

import orjson

# json.dumps(value, ensure_ascii=False), without building an encoder at every call.
encode_json = json.JSONEncoder(ensure_ascii=False).encode

# Every ASCII digit to "0", everything else to " ": then 19 zeros in a row are 19 digits in a row,
# perhaps an integer beyond 64 bits (a regex search costs several times more than this translation).
_DIGITS_AS_ZEROS = bytes(48 if 48 <= code <= 57 else 32 for code in range(256))
_LONG_NUMBER = b"0" * 19


def parse_json(text: str | bytes, **options: Any) -> Any:
    """`json.loads(text, **options)`: the same value, or the same ValueError, several times faster."""
    try:
        raw = text.encode() if isinstance(text, str) else bytes(text)
        if _LONG_NUMBER not in raw.translate(_DIGITS_AS_ZEROS):
            return orjson.loads(raw)
    except (UnicodeEncodeError, orjson.JSONDecodeError):
        pass  # json decides: it accepts some of these, and its message is the one reports quote
    return json.loads(text, **options)


def is_finite_number(value: object) -> bool:
    """A JSON number that is a finite float: not a bool, NaN or infinity, nor an integer beyond the float
    range (json reads any run of digits as an int, which math.isfinite and float() refuse with OverflowError)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
