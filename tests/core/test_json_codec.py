"""JSON helpers: a finite number is what a tool value or coordinate may be."""
from __future__ import annotations

import math

import pytest

from core.json_codec import is_finite_number, parse_json


@pytest.mark.parametrize("value", [0, -7, 12.5, 10**300, -(10**300), 1.7976931348623157e308,
                                   2**1024 - 2**970 - 1])  # the largest int that still rounds to a float
def test_ints_and_floats_within_the_float_range_are_finite_numbers(value):
    assert is_finite_number(value)


@pytest.mark.parametrize("value", [True, False, math.nan, math.inf, -math.inf, 10**400, -(10**400), 2**1024,
                                   2**1024 - 2**970, "3", None, [1]])
def test_booleans_non_finite_floats_huge_integers_and_non_numbers_are_not(value):
    assert not is_finite_number(value)


def test_a_json_integer_of_any_length_is_judged_without_overflow():
    assert not is_finite_number(parse_json("9" * 400))
