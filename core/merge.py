"""Join the parts of a sharded run into the one dataset a single machine would have made.

`python -m core.merge OUT_DIR PART_DIR...` reads each part's
`generation_metadata.json` and output files, checks that every part comes
from the same config (fingerprint) and that together they hold each plan
index exactly once, then writes OUT_DIR as a run folder: the accepted and
rejected records in plan order, one validation report (every record
validated again, in plan order, as one run would have done it), merged
metadata listing the parts, `config.json` and a completed `status.json`.
Parts are streamed, so memory holds ids, not records.
"""
from __future__ import annotations

import heapq
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from functools import reduce
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from core.config import ConfigError, RunConfig
from core.data_loader import scan_jsonl
from core.output_writer import atomic_file, record_line, write_json
from core.plan import build_plans
from core.run_stats import RunStats
from core.run_status import StatusWriter, iso
from core.runner import Clock, RunPaths, generation_metadata, merge_metrics, utc_clock
from core.shard import Shard
from core.validation import ValidationReport, validate_record


class MergeError(ValueError):
    """Parts that do not make one dataset; the message names the part and what to do."""


@dataclass(frozen=True)
class Part:
    directory: Path
    metadata: dict[str, Any]
    shard: Shard
    examples: Path
    rejected: Path


def read_part(directory: str | os.PathLike[str]) -> Part:
    """A finished run's folder: its metadata names the shard and the output files."""
    folder = Path(directory)
    metadata_path = RunPaths.for_run_dir(folder).metadata
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MergeError(f"{folder}: no {metadata_path.name}; a part is the folder of a finished run "
                         "(an unfinished shard must be resumed to completion first)") from None
    except ValueError as error:
        raise MergeError(f"{metadata_path}: not valid JSON ({error})") from None
    shard = Shard(**metadata["shard"]) if metadata.get("shard") else Shard(1, 1)
    files = metadata.get("files", {})
    return Part(folder, metadata, shard,
                examples=folder / Path(files.get("examples", "tool_use_examples.jsonl")).name,
                rejected=folder / Path(files.get("rejected", "rejected.jsonl")).name)


def check_parts(parts: Sequence[Part]) -> RunConfig:
    """The config all parts share, once they are shown to be every shard of it exactly once."""
    if not parts:
        raise MergeError("no parts given: name the folder of every shard of the run")
    first = parts[0]
    for part in parts[1:]:
        if part.metadata["fingerprint"] != first.metadata["fingerprint"]:
            raise MergeError(f"{part.directory} was made from another config than {first.directory} (fingerprint "
                             f"{part.metadata['fingerprint']} vs {first.metadata['fingerprint']}); every shard "
                             "must run the same config and seed")
        if (part.metadata["backend"]["name"], part.metadata["backend"]["model"]) != \
                (first.metadata["backend"]["name"], first.metadata["backend"]["model"]):
            raise MergeError(f"{part.directory} was written by {part.metadata['backend']['name']} "
                             f"{part.metadata['backend']['model']!r}, {first.directory} by "
                             f"{first.metadata['backend']['name']} {first.metadata['backend']['model']!r}")
    counts = {part.shard.count for part in parts}
    if len(counts) > 1:
        raise MergeError(f"the parts split the run into different numbers of shards ({sorted(counts)}); "
                         "merge the parts of one split")
    total = counts.pop()
    numbers = sorted(part.shard.number for part in parts)
    if numbers != list(range(1, total + 1)):
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        missing = sorted(set(range(1, total + 1)) - set(numbers))
        problems = [f"shard(s) {', '.join(f'{n}/{total}' for n in repeated)} given twice"] if repeated else []
        problems += [f"missing shard(s) {', '.join(f'{n}/{total}' for n in missing)}"] if missing else []
        raise MergeError(f"{'; '.join(problems)}: give the folder of every shard 1/{total} ... {total}/{total} once")
    try:
        return RunConfig.from_dict(first.metadata["config"])
    except ConfigError as error:
        raise MergeError(f"{first.directory}: its config no longer loads ({error})") from None


def _records(path: Path, accepted: bool) -> Iterator[tuple[int, dict[str, Any], bool]]:
    for number, record, error in scan_jsonl(path):
        if record is None:
            raise MergeError(f"{path} line {number}: {error}")
        yield record["metadata"]["index"], record, accepted


def _part_records(part: Part) -> Iterator[tuple[int, dict[str, Any], bool, Part]]:
    for index, record, accepted in heapq.merge(_records(part.examples, True), _records(part.rejected, False),
                                               key=lambda item: item[0]):
        if not part.shard.owns(index):
            raise MergeError(f"{part.directory} holds plan index {index}, which belongs to another shard than "
                             f"{part.shard}; its metadata and records disagree")
        yield index, record, accepted, part


def merged_records(parts: Sequence[Part], count: int) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every record of every part in plan order, with whether it was accepted; checks that each
    index 0..count-1 comes exactly once and that record ids are unique."""
    expected = 0
    seen_ids: dict[str, int] = {}
    for index, record, accepted, part in heapq.merge(*map(_part_records, parts), key=lambda item: item[0]):
        if index < expected:
            raise MergeError(f"plan index {index} appears twice (again in {part.directory}); parts overlap")
        if index > expected:
            raise MergeError(f"plan index(es) {expected}..{index - 1} are in no part; is a part incomplete?")
        if record["id"] in seen_ids:
            raise MergeError(f"record id {record['id']} is used by plan indices {seen_ids[record['id']]} and {index}")
        seen_ids[record["id"]] = index
        expected += 1
        yield record, accepted
    if expected != count:
        raise MergeError(f"plan index(es) {expected}..{count - 1} are in no part; is a part incomplete?")


def _merged_timings(parts: Sequence[Part]) -> dict[str, Any]:
    """Parts usually run side by side: the merged run took as long as the slowest part."""
    timings = [part.metadata["timings"] for part in parts]
    return {"started_at": min(t["started_at"] for t in timings),
            "elapsed_seconds": max(t["elapsed_seconds"] for t in timings),
            "segments": sum(t.get("segments", 1) for t in timings)}


def merge_parts(out_dir: str | os.PathLike[str], part_dirs: Sequence[str | os.PathLike[str]], *,
                clock: Clock = utc_clock) -> dict[str, Any]:
    """Write the merged run into `out_dir` (which must not hold a dataset yet); returns its metadata."""
    parts = [read_part(directory) for directory in part_dirs]
    config = check_parts(parts)
    paths = RunPaths.for_run_dir(out_dir)
    if paths.examples.exists():
        raise MergeError(f"{paths.examples} already exists; choose an empty OUT_DIR")
    paths.examples.parent.mkdir(parents=True, exist_ok=True)
    stats, report = RunStats(), ValidationReport()
    with ExitStack() as files:
        handles = {True: files.enter_context(atomic_file(paths.examples)),
                   False: files.enter_context(atomic_file(paths.rejected))}
        for record, accepted in merged_records(parts, config.count):
            handles[accepted].write(record_line(record))
            stats.add(record, accepted)
            report.add(validate_record(record, groundedness_threshold=config.groundedness_threshold), record)
    report.save(paths.report)
    backend = SimpleNamespace(**parts[0].metadata["backend"])
    metrics = reduce(merge_metrics, (part.metadata["usage"]["api"] for part in parts))
    batch = parts[0].metadata["usage"]["estimate_vs_actual"]["estimated"]["mode"] == "batch"
    metadata = generation_metadata(config, build_plans(config), stats, backend, metrics, _merged_timings(parts),
                                   paths, generated_at=iso(clock()), batch=batch)
    metadata["merged_from"] = [{"shard": str(part.shard), "directory": str(part.directory),
                                "counts": part.metadata["counts"], "timings": part.metadata["timings"],
                                "cost_usd": part.metadata.get("cost_usd")} for part in parts]
    write_json(paths.metadata, metadata)
    write_json(paths.config, config.to_dict())
    StatusWriter(paths.status, clock=clock, total=config.count).update(
        state="completed", force=True, done=config.count, accepted=stats.accepted, rejected=stats.rejected,
        cost_usd=metadata["cost_usd"], message=f"merged from {len(parts)} shards")
    return metadata


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        print("usage: python -m core.merge OUT_DIR PART_DIR...", file=sys.stderr)
        return 2
    try:
        metadata = merge_parts(args[0], args[1:])
    except MergeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    counts = metadata["counts"]
    print(f"merged {len(args) - 1} parts into {args[0]}: {counts['accepted']} accepted, "
          f"{counts['rejected']} rejected of {counts['planned']} planned")
    return 0


if __name__ == "__main__":
    sys.exit(main())
