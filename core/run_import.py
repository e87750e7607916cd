"""Bring an existing JSONL dataset in as a run: validated record by record, bad lines named.

Only files inside the data folder are read (an upload is saved there first), so
a form field can never be turned into a way to read the rest of the disk. Each
readable record is validated; those that pass become the run's examples, the
rest its rejected file; lines that are not JSON objects are reported by number.
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.data_loader import BadLine, scan_jsonl
from core.output_writer import write_bytes, write_json, write_jsonl
from core.run_stats import RunStats
from core.run_status import StatusWriter
from core.runner import Clock, RunPaths, utc_clock
from core.validation import ValidationReport, validate_record

UPLOADS = "uploads"
IMPORT_REPORT = "import_report.json"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class RunImportError(ValueError):
    """The file cannot be imported; the message says which file and what to do."""


@dataclass(frozen=True)
class ImportResult:
    run_dir: Path
    accepted: int
    rejected: int
    bad_lines: list[BadLine]


def _slug(name: str) -> str:
    return _UNSAFE.sub("-", name).strip("-.") or "dataset"


def resolve_inside(data_root: Path, path: str | Path) -> Path:
    """`path` (relative paths start at `data_root`) as a real file inside `data_root`."""
    root = data_root.resolve()
    resolved = (root / path).resolve()
    if not resolved.is_relative_to(root):
        raise RunImportError(f"{path}: only files inside {root} can be imported; copy the file there first")
    if not resolved.is_file():
        raise RunImportError(f"{path}: no such file inside {root}")
    return resolved


def save_upload(data_root: Path, filename: str, content: bytes) -> Path:
    """Keep an uploaded file under `data_root/uploads/` with a safe name; returns its path."""
    target = data_root / UPLOADS / _slug(Path(filename).name)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(target, content)
    return target


def _new_run_dir(runs_root: Path, source: Path, clock: Clock) -> Path:
    runs_root.mkdir(parents=True, exist_ok=True)
    prefix = f"import-{clock():%Y%m%d-%H%M%S}-{_slug(source.stem)}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=runs_root))


def import_jsonl(source: str | Path, *, data_root: Path, runs_root: Path, clock: Clock = utc_clock,
                 groundedness_threshold: float = 0.8) -> ImportResult:
    """Validate every record of `source` into a new completed run under `runs_root`."""
    path = resolve_inside(data_root, source)
    accepted, rejected, bad_lines = [], [], []
    stats = RunStats()
    report = ValidationReport()
    for number, record, error in scan_jsonl(path):
        if record is None:
            bad_lines.append(BadLine(number, error or "unreadable"))
            continue
        result = validate_record(record, groundedness_threshold=groundedness_threshold)
        if isinstance(record.setdefault("metadata", {}), dict):
            record["metadata"]["validation"] = result.to_metadata()
        (accepted if result.passed else rejected).append(record)
        stats.add(record, result.passed)
        report.add(result, record)
    if not accepted and not rejected:
        first = f": line {bad_lines[0].number}: {bad_lines[0].error}" if bad_lines else ""
        raise RunImportError(f"{path.name} holds no readable record ({len(bad_lines)} bad line(s){first})")
    run_dir = _new_run_dir(runs_root, path, clock)
    paths = RunPaths.for_run_dir(run_dir)
    write_jsonl(paths.examples, accepted)
    write_jsonl(paths.rejected, rejected)
    report.save(paths.report)
    write_json(run_dir / IMPORT_REPORT, {"source": str(path.relative_to(data_root.resolve())),
                                         "bad_lines": [{"line": bad.number, "error": bad.error} for bad in bad_lines]})
    summary = stats.summary()
    StatusWriter(paths.status, clock=clock, pid=None, backend="import", model=None).update(
        state="completed", force=True, total=stats.done, done=stats.done, accepted=stats.accepted,
        rejected=stats.rejected, pass_rate=summary["pass_rate"], mean_groundedness=summary["mean_groundedness"],
        message=f"imported {stats.done} records from {path.name}; {len(bad_lines)} bad line(s) skipped")
    return ImportResult(run_dir=run_dir, accepted=len(accepted), rejected=len(rejected), bad_lines=bad_lines)
