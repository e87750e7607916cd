"""`python -m core.validation FILE [--details OUT.jsonl] [--threshold 0.8] [--report REPORT.json]`

Validates any JSONL of records, so data from elsewhere can be checked on its own.
Exit status: 0 every record passed, 1 some record failed or a line was not a
JSON object, 2 the file could not be read.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from core.data_loader import DatasetError, scan_jsonl
from core.output_writer import write_jsonl
from core.validation.groundedness import DEFAULT_THRESHOLD
from core.validation.record_validator import validate_record
from core.validation.report import ValidationReport


def _threshold(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"threshold must be between 0 and 1 (a share, e.g. 0.8), got {text}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.validation", description=__doc__.splitlines()[2])
    parser.add_argument("file", help="JSONL file, one record per line")
    parser.add_argument("--details", metavar="OUT.jsonl", help="write one verdict per record (for debugging)")
    parser.add_argument("--report", metavar="REPORT.json", help="also save the report (validation_report.json)")
    parser.add_argument("--threshold", type=_threshold, default=DEFAULT_THRESHOLD,
                        help=f"groundedness a record needs to pass (default {DEFAULT_THRESHOLD})")
    args = parser.parse_args(argv)
    report = ValidationReport()
    bad_lines: list[str] = []

    def verdicts() -> Iterator[dict]:
        for number, record, error in scan_jsonl(args.file):
            if record is None:
                bad_lines.append(f"line {number}: {error}")
                yield {"line": number, "id": None, "passed": False, "error": error}
                continue
            result = validate_record(record, groundedness_threshold=args.threshold)
            report.add(result, record)
            yield {"line": number, "id": record.get("id"), **result.to_dict()}

    try:
        if args.details:
            write_jsonl(args.details, verdicts())
        else:
            for _ in verdicts():
                pass
    except DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for line in bad_lines:
        print(f"bad {line}", file=sys.stderr)
    print(report.summary_text())
    if bad_lines:
        print(f"{len(bad_lines)} line(s) were not JSON objects and were not validated", file=sys.stderr)
    if args.report:
        report.save(args.report)
    return 1 if report.failed or bad_lines else 0


if __name__ == "__main__":
    sys.exit(main())
