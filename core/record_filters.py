"""Which records a person asked to see: the Browse filters as one pure function.

Works on the table `core.data_loader.to_dataframe` builds, plus two columns the
caller adds: `text` (from `searchable_text`) and `review` (the review verdict,
or `REVIEW_NONE`). An empty choice means "any", so the default filter keeps all.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

VALIDATION_STATES = ("any", "passed", "failed")
REVIEW_NONE = "not reviewed"


@dataclass(frozen=True)
class RecordFilter:
    personas: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    climate_groups: tuple[str, ...] = ()
    validation: str = "any"
    groundedness: tuple[float, float] | None = None  # inclusive; unscored records drop out
    reviews: tuple[str, ...] = ()
    text: str = ""

    def __post_init__(self) -> None:
        if self.validation not in VALIDATION_STATES:
            raise ValueError(f"validation: {self.validation!r} is not one of {', '.join(VALIDATION_STATES)}")
        if self.groundedness is not None and self.groundedness[0] > self.groundedness[1]:
            raise ValueError(f"groundedness: the range {self.groundedness} is empty; give (low, high) with low <= high")


def searchable_text(record: dict[str, Any]) -> str:
    """The words a free-text search looks in: every user and assistant message, lower-cased."""
    return "\n".join(str(message.get("content")) for message in record.get("messages") or ()
                     if message.get("role") in ("user", "assistant") and message.get("content")).lower()


def _overlaps(values: Any, wanted: frozenset[str]) -> bool:
    return bool(wanted.intersection(values or ()))


def apply_filter(table: "pd.DataFrame", criteria: RecordFilter) -> "pd.DataFrame":
    """The rows of `table` that meet every criterion, in their original order."""
    keep = table.index == table.index
    for column, chosen in (("persona", criteria.personas), ("scenario", criteria.scenarios),
                           ("intent", criteria.intents), ("review", criteria.reviews)):
        if chosen:
            keep &= table[column].isin(chosen)
    for column, chosen in (("cities", criteria.cities), ("climate_groups", criteria.climate_groups)):
        if chosen:
            wanted = frozenset(chosen)
            keep &= table[column].map(lambda values: _overlaps(values, wanted)).to_numpy(dtype=bool)
    if criteria.validation != "any":
        keep &= (table["passed"] == True) if criteria.validation == "passed" else (table["passed"] != True)  # noqa: E712
    if criteria.groundedness is not None:
        low, high = criteria.groundedness
        keep &= table["groundedness"].between(low, high)
    if criteria.text.strip():
        keep &= table["text"].str.contains(criteria.text.strip().lower(), regex=False)
    return table[keep]
