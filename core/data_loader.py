"""Datasets in: JSONL files to records and to one flat table row per record.

The studio, the tests and the run statistics read records only through here,
so the question "what does a record say about itself" has one answer. A bad
line is reported by number and skipped; it never hides the good ones.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from core.json_codec import parse_json

if TYPE_CHECKING:
    import pandas as pd

CHECKS = ("format", "schema", "semantic", "groundedness")
COLUMNS = (
    "id", "index", "persona", "scenario", "intent", "error_kind", "cities", "climate_groups",
    "simulated_date", "user_turns", "tool_calls", "tools_used", "final_answer_length",
    *(f"check_{check}" for check in CHECKS), "passed", "groundedness", "attempts",
    "backend", "model", "input_tokens", "output_tokens",
)


class DatasetError(Exception):
    """The dataset file cannot be read at all (missing, unreadable)."""


@dataclass(frozen=True)
class BadLine:
    number: int  # 1-based, as an editor shows it
    error: str


@dataclass
class LoadedDataset:
    records: list[dict[str, Any]] = field(default_factory=list)
    bad_lines: list[BadLine] = field(default_factory=list)


def scan_jsonl(path: str | os.PathLike[str]) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record or None, error or None) for each non-blank line, streaming."""
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise DatasetError(f"cannot read dataset {path}: {error.strerror or error}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = parse_json(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                yield number, None, f"not valid JSON: {error}"
                continue
            if not isinstance(record, dict):
                yield number, None, f"expected a JSON object, found {type(record).__name__}"
                continue
            yield number, record, None


def load_records(path: str | os.PathLike[str]) -> LoadedDataset:
    loaded = LoadedDataset()
    for number, record, error in scan_jsonl(path):
        if record is None:
            loaded.bad_lines.append(BadLine(number, error or "unreadable"))
        else:
            loaded.records.append(record)
    return loaded


@lru_cache(maxsize=1)
def _climate_group_by_label() -> dict[str, str]:
    from core.locations import LOCATIONS

    return {location.label: location.climate_group for location in LOCATIONS}


def _final_answer(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "assistant" and isinstance(message.get("content"), str):
            return message["content"]
    return ""


def record_row(record: dict[str, Any]) -> dict[str, Any]:
    """The facts of one record as flat columns (see COLUMNS); missing parts become None."""
    metadata = record.get("metadata") or {}
    messages = record.get("messages") or []
    validation = metadata.get("validation") or {}
    checks = validation.get("checks") or {}
    generator = metadata.get("generator") or {}
    usage = metadata.get("usage") or {}
    calls = [call for message in messages if message.get("role") == "assistant"
             for call in message.get("tool_calls") or ()]
    cities = list(metadata.get("locations") or [])
    groups = _climate_group_by_label()
    return {
        "id": record.get("id"),
        "index": metadata.get("index"),
        "persona": (record.get("tags") or {}).get("persona"),
        "scenario": metadata.get("scenario"),
        "intent": metadata.get("intent"),
        "error_kind": metadata.get("error_kind"),
        "cities": cities,
        "climate_groups": list(dict.fromkeys(groups[city] for city in cities if city in groups)),
        "simulated_date": metadata.get("simulated_date"),
        "user_turns": sum(message.get("role") == "user" for message in messages),
        "tool_calls": len(calls),
        "tools_used": list(dict.fromkeys((call.get("function") or {}).get("name") for call in calls)),
        "final_answer_length": len(_final_answer(messages)),
        **{f"check_{check}": checks.get(check) for check in CHECKS},
        "passed": validation.get("passed"),
        "groundedness": validation.get("groundedness"),
        "attempts": metadata.get("attempts"),
        "backend": generator.get("backend"),
        "model": generator.get("model"),
        "input_tokens": usage.get("input_tokens"),
        "output_tokens": usage.get("output_tokens"),
    }


def to_dataframe(records: Iterable[dict[str, Any]]) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame([record_row(record) for record in records], columns=list(COLUMNS))


def load_dataframe(path: str | os.PathLike[str]) -> tuple["pd.DataFrame", list[BadLine]]:
    """The table of a dataset file and the lines that could not be read."""
    loaded = load_records(path)
    return to_dataframe(loaded.records), loaded.bad_lines
