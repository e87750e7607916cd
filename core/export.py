"""Training files out of one or more runs: filtered, written atomically, re-read and checked.

Three formats:
- `openai`: OpenAI chat fine-tuning JSONL, each line only `messages`, `tools`,
  `parallel_tool_calls` (assistant `weight` kept), checked line by line with
  the chat format validator;
- `full`: the records as generated, tags and metadata included, plus
  `metadata.run_id` so rows from several runs stay traceable;
- `hf`: a Parquet file for Hugging Face `datasets`. Each message and each tool
  is stored with the `datasets.Json` feature, and tool-call `arguments` are
  parsed into objects: Arrow never merges the different argument and schema
  shapes of the three tools into one struct padded with nulls, and
  `load_dataset` gives back exactly the dicts chat templates expect.

An export is a folder under `data/exports/` holding the data file and a README
that says what is in it and how to load it. A file that does not read back
as written is deleted and reported, never offered.
"""
from __future__ import annotations

import json
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import pandas as pd

from core.data_loader import to_dataframe
from core.output_writer import atomic_file, record_line, write_bytes
from core.record_filters import REVIEW_NONE, RecordFilter, apply_filter
from core.validation.chat_format_validator import check_format

FORMATS = {"openai": "OpenAI fine-tuning JSONL", "full": "Full JSONL (tags and metadata)",
           "hf": "Hugging Face dataset (Parquet)"}
OPENAI_KEYS = ("messages", "tools", "parallel_tool_calls")
HF_LABEL_COLUMNS = ("persona", "scenario", "intent", "error_kind")
_EXTENSIONS = {"openai": "jsonl", "full": "jsonl", "hf": "parquet"}
Verdicts = Mapping[tuple[str, str], str]


class ExportError(Exception):
    """An export that cannot be written or did not read back; the message says what to change."""


@dataclass(frozen=True)
class ExportOptions:
    """Which records go out. Defaults: validated records nobody rejected, any groundedness."""

    validated_only: bool = True
    reviewed_accepted_only: bool = False
    exclude_rejected: bool = True
    min_groundedness: float | None = None
    personas: tuple[str, ...] = ()

    def record_filter(self) -> RecordFilter:
        reviews: tuple[str, ...] = ()
        if self.reviewed_accepted_only:
            reviews = ("accept",)
        elif self.exclude_rejected:
            reviews = (REVIEW_NONE, "accept")
        if self.min_groundedness is not None and not 0 <= self.min_groundedness <= 1:
            raise ExportError(f"min_groundedness: must be between 0 and 1, got {self.min_groundedness}")
        return RecordFilter(personas=tuple(self.personas), validation="passed" if self.validated_only else "any",
                            groundedness=None if self.min_groundedness is None else (self.min_groundedness, 1.0),
                            reviews=reviews)

    def describe(self) -> list[str]:
        return [f"validated only: {'yes' if self.validated_only else 'no'}",
                f"reviewed-accepted only: {'yes' if self.reviewed_accepted_only else 'no'}",
                f"exclude records a reviewer rejected: {'yes' if self.exclude_rejected else 'no'}",
                f"minimum groundedness: {self.min_groundedness if self.min_groundedness is not None else 'none'}",
                f"personas: {', '.join(self.personas) or 'all'}"]


@dataclass(frozen=True)
class RunRecords:
    run_id: str
    records: Sequence[dict[str, Any]]


@dataclass(frozen=True)
class Selection:
    """The records chosen for export, each with its run, and their table rows."""

    items: list[tuple[str, dict[str, Any]]]
    table: pd.DataFrame
    run_ids: tuple[str, ...]
    options: ExportOptions


@dataclass(frozen=True)
class ExportResult:
    format: str
    path: Path  # the data file, re-read and verified
    readme: Path
    count: int


def select(runs: Sequence[RunRecords], options: ExportOptions, verdicts: Verdicts) -> Selection:
    """The records of `runs` that meet `options`; `verdicts` come from `core.review_store.verdicts`."""
    items = [(run.run_id, record) for run in runs for record in run.records]
    table = to_dataframe(record for _, record in items)
    table["run_id"] = [run_id for run_id, _ in items]
    table["review"] = [verdicts.get((run_id, record.get("id")), REVIEW_NONE) for run_id, record in items]
    chosen = apply_filter(table, options.record_filter())
    return Selection(items=[items[i] for i in chosen.index], table=chosen.reset_index(drop=True),
                     run_ids=tuple(run.run_id for run in runs), options=options)


def preview_counts(selection: Selection) -> pd.DataFrame:
    """Persona × scenario counts of a selection, with totals, to check before writing."""
    if selection.table.empty:
        return pd.DataFrame()
    return pd.crosstab(selection.table["persona"], selection.table["scenario"],
                       margins=True, margins_name="total")


def openai_record(record: dict[str, Any]) -> dict[str, Any]:
    """Only what OpenAI's fine-tuning endpoint accepts; messages (and their weights) unchanged."""
    return {key: record[key] for key in OPENAI_KEYS if key in record}


def full_record(record: dict[str, Any], run_id: str) -> dict[str, Any]:
    return {**record, "metadata": {**(record.get("metadata") or {}), "run_id": run_id}}


def _parsed(arguments: Any) -> Any:
    """Arguments text as the JSON value it encodes; text that is not JSON stays text."""
    try:
        return json.loads(arguments)
    except (TypeError, ValueError):
        return arguments


def hf_message(message: dict[str, Any]) -> dict[str, Any]:
    """The message with each tool call's `arguments` parsed from its JSON string."""
    if not message.get("tool_calls"):
        return message
    calls = [{**call, "function": {**call["function"], "arguments": _parsed(call["function"].get("arguments"))}}
             for call in message["tool_calls"]]
    return {**message, "tool_calls": calls}


def hf_row(record: dict[str, Any], run_id: str) -> dict[str, Any]:
    """One Parquet row: the conversation, its tools and flat labels to filter on."""
    metadata = record.get("metadata") or {}
    labels = {"persona": (record.get("tags") or {}).get("persona"),
              **{name: metadata.get(name) for name in HF_LABEL_COLUMNS[1:]}}
    return {"id": record.get("id"), "run_id": run_id,
            "messages": [hf_message(message) for message in record.get("messages") or ()],
            "tools": list(record.get("tools") or ()),
            "parallel_tool_calls": record.get("parallel_tool_calls"),
            **labels,
            "groundedness": (metadata.get("validation") or {}).get("groundedness")}


def _hf_features() -> Any:
    from datasets import Features, Json, List, Value

    return Features({"id": Value("string"), "run_id": Value("string"), "messages": List(Json()),
                     "tools": List(Json()), "parallel_tool_calls": Value("bool"),
                     **{name: Value("string") for name in HF_LABEL_COLUMNS},
                     "groundedness": Value("float64")})


@contextmanager
def _quiet_datasets() -> Iterator[None]:
    """No progress bars from `datasets` while we write or read one small file."""
    import datasets

    was_disabled = datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        yield
    finally:
        if not was_disabled:
            datasets.enable_progress_bars()


def read_parquet_rows(path: str | Path) -> list[dict[str, Any]]:
    """Load a Parquet export the way its users will: through `datasets.load_dataset`."""
    from datasets import load_dataset

    with tempfile.TemporaryDirectory() as cache, _quiet_datasets():
        dataset = load_dataset("parquet", data_files=str(path), split="train", cache_dir=cache,
                               keep_in_memory=True)
        return dataset.to_list()


def _write_data(path: Path, fmt: str, rows: list[dict[str, Any]]) -> None:
    if fmt == "hf":
        from datasets import Dataset

        with atomic_file(path) as handle, _quiet_datasets():
            Dataset.from_list(rows, features=_hf_features()).to_parquet(handle)
        return
    with atomic_file(path) as handle:
        for row in rows:
            handle.write(record_line(row))


def _read_back(path: Path, fmt: str) -> list[Any]:
    if fmt == "hf":
        return read_parquet_rows(path)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def verify_export(path: Path, fmt: str, expected: list[dict[str, Any]]) -> list[str]:
    """Problems found re-reading an export (empty when it is exactly what was meant)."""
    try:
        rows = _read_back(path, fmt)
    except Exception as error:  # any failure to read back is a reason not to offer the file
        return [f"the file does not read back: {type(error).__name__}: {error}"]
    problems = [] if len(rows) == len(expected) else [f"{len(rows)} rows read back, {len(expected)} written"]
    for number, (row, wanted) in enumerate(zip(rows, expected), start=1):
        if row != wanted:
            problems.append(f"row {number} differs from the record written (id {wanted.get('id', '?')})")
        if fmt == "openai":
            problems.extend(f"line {number}: {finding.check}: {finding.reason}" for finding in check_format(row))
    return problems


def _rows(selection: Selection, fmt: str) -> list[dict[str, Any]]:
    if fmt == "openai":
        return [openai_record(record) for _, record in selection.items]
    if fmt == "full":
        return [full_record(record, run_id) for run_id, record in selection.items]
    return [hf_row(record, run_id) for run_id, record in selection.items]


def _export_folder(exports_dir: Path, fmt: str, now: datetime) -> Path:
    """A new folder named by format and time, with a random tail so exports never collide."""
    exports_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"weathervane-{fmt}-{now:%Y%m%d-%H%M%S}-", dir=exports_dir))


def write_export(selection: Selection, fmt: str, exports_dir: str | Path, *, now: datetime) -> ExportResult:
    """Write, re-read and verify one export; ExportError (and nothing left behind) if it fails."""
    if fmt not in FORMATS:
        raise ExportError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if not selection.items:
        raise ExportError("no records match the filters; loosen them (e.g. untick 'reviewed-accepted only')")
    rows = _rows(selection, fmt)
    folder = _export_folder(Path(exports_dir), fmt, now)
    path = folder / f"{folder.name}.{_EXTENSIONS[fmt]}"
    _write_data(path, fmt, rows)
    problems = verify_export(path, fmt, rows)
    if problems:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        hint = " (tick 'validated only', or export the full JSONL)" if fmt != "full" else ""
        raise ExportError(f"the {FORMATS[fmt]} export did not pass its re-read check{hint}: {shown}")
    readme = folder / "README.md"
    write_bytes(readme, export_readme(selection, fmt, path.name, now=now).encode("utf-8"))
    return ExportResult(format=fmt, path=path, readme=readme, count=len(rows))


_HF_LOADING = """\
## Loading

```python
import json
from datasets import load_dataset

ds = load_dataset("parquet", data_files="{file}", split="train")
```

Each message and each tool is stored with the `datasets.Json` feature
(datasets >= 4.7): `load_dataset` returns them as Python dicts, with every
tool call's `arguments` an object, as transformers' chat templates and TRL's
`SFTTrainer` expect. Nothing is padded with nulls: a `get_forecast` call has
exactly its three arguments and a `geocode_location` call only its own.

Readers without the Json feature (pandas, polars, older `datasets`) see each
message and tool as JSON text; this line turns them into the dicts TRL and
chat templates expect:

```python
ds = ds.map(lambda row: {{"messages": [json.loads(m) for m in row["messages"]], "tools": [json.loads(t) for t in row["tools"]]}})
```

For a chat template that wants OpenAI-style argument *strings*, turn them back with
`call["function"]["arguments"] = json.dumps(call["function"]["arguments"])`.

Assistant messages with `"weight": 0` carry deliberately invalid tool calls
(error scenarios: shown, not to be learned); TRL does not read `weight`, so
drop or mask those turns if your trainer should not learn from them.
"""

_JSONL_LOADING = {
    "openai": "Upload as is to OpenAI fine-tuning: each line holds only `messages`, `tools` and "
              "`parallel_tool_calls`; tool-call `arguments` are JSON strings, and assistant messages "
              "with `\"weight\": 0` (deliberately invalid calls in error scenarios) are not trained on.\n",
    "full": "Each line is a complete Weathervane record: the conversation, `tools`, `tags` and "
            "`metadata` (scenario, validation, generator, usage), plus `metadata.run_id`.\n",
}


def export_readme(selection: Selection, fmt: str, file_name: str, *, now: datetime) -> str:
    """The README written next to an export: contents, filters, counts and how to load it."""
    counts = preview_counts(selection)
    lines = [f"# {file_name}", "", f"{FORMATS[fmt]}, {len(selection.items)} records, "
             f"written {now.isoformat(timespec='seconds')} by Weathervane.", "",
             f"Runs: {', '.join(selection.run_ids)}", "", "Filters:", "",
             *(f"- {line}" for line in selection.options.describe()), "",
             "## Records by persona and scenario", "", "```", counts.to_string(), "```", ""]
    loading = _HF_LOADING.format(file=file_name) if fmt == "hf" else "## Format\n\n" + _JSONL_LOADING[fmt]
    return "\n".join(lines) + "\n" + loading

