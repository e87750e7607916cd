"""Frozen dataclasses built field by field are the objects their constructors build, and stay frozen."""
import dataclasses

import pytest

from core.validation.findings import Finding, failure, finding
from core.validation.frozen import filled, slotted
from core.validation.record_validator import ValidationResult


def test_slotted_builds_the_constructed_finding_and_it_stays_frozen():
    values = ("schema", False, "bad latitude", 3, "call_1", "invalid_arguments")
    built = slotted(Finding, [field.name for field in dataclasses.fields(Finding)], values)
    assert built == Finding(*values) and hash(built) == hash(Finding(*values)) and repr(built) == repr(Finding(*values))
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.reason = "changed"


def test_finding_and_failure_fill_every_field_in_order():
    assert finding("groundedness", True, "3/3 claims supported") == Finding("groundedness", True, "3/3 claims supported")
    assert failure("format", "orphan_tool_message", "why", 4, "c1") == Finding("format", False, "why", 4, "c1",
                                                                               "orphan_tool_message")


def test_filled_builds_the_constructed_result_and_it_stays_frozen():
    fields = {"findings": [finding("format", True, "ok")], "checks": {"format": "pass"}, "groundedness": None}
    built = filled(ValidationResult, fields)
    assert built == ValidationResult(**fields) and repr(built) == repr(ValidationResult(**fields))
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.checks = {}
