"""Frozen dataclasses built without their `__init__`, for the few built once or more per record.

A frozen dataclass's generated `__init__` is interpreted Python (never compiled) and
guards every assignment through `object.__setattr__`; setting the fields directly
gives the same object several times faster. Every field must be given.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

T = TypeVar("T")
_NEW, _SET = object.__new__, object.__setattr__


def filled(cls: type[T], fields: dict[str, Any]) -> T:
    """`cls(**fields)` for a frozen dataclass without slots: `fields` becomes its `__dict__`."""
    instance = _NEW(cls)
    _SET(instance, "__dict__", fields)
    return instance


def slotted(cls: type[T], names: Iterable[str], values: Iterable[Any]) -> T:
    """`cls(*values)` for a frozen dataclass with slots, `names` being its fields in order."""
    instance = _NEW(cls)
    for name, value in zip(names, values):
        _SET(instance, name, value)
    return instance
