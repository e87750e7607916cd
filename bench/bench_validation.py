"""Records validated per second, on one core, over realistic records from the generation engine.

    python3 bench/bench_validation.py [--records 3000] [--seed 42] [--repeats 5] [--alternate K]

Records come from the real tool-use loop with the offline backend (every
scenario, persona and intent in the default mix), built once before timing.
Each timed pass validates every record with `validate_record` (parsed dicts, as
the runner holds them) starting from empty caches. Rates are per CPU second of
this process (one core), so other work on a shared machine does not count
against it; the best pass is reported. Target: >= 5,000 records/s.

The validation modules run as their Cython builds where
`scripts/compile_validation.py` made them (the first line says which), else as
pure Python. `--alternate K` measures both in the same minutes: K rounds of a
compiled child then a pure one (WEATHERVANE_PURE_PYTHON=1), with each round's ratio.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.backends import create_backend  # noqa: E402
from core.compiled_modules import COMPILED, PURE_PYTHON_VARIABLE, loaded_compiled  # noqa: E402
from core.config import RunConfig  # noqa: E402
from core.date_phrases import forecast_days_for  # noqa: E402
from core.generation import run_conversation  # noqa: E402
from core.locations import may_name  # noqa: E402
from core.plan import build_plans  # noqa: E402
from core.records import build_record  # noqa: E402
from core.validation import validate_record  # noqa: E402
from core.validation.place_mentions import places_named  # noqa: E402
from core.validation.semantic_validator import _bounded_fields, _reference  # noqa: E402
from core.validation.tool_outputs import _DAYS  # noqa: E402

TARGET_PER_SECOND = 5000


async def _records(count: int, seed: int) -> list[dict]:
    config = RunConfig(count=count, seed=seed)
    backend = create_backend("offline", seed=seed)
    records = []
    for plan in build_plans(config):
        messages, usage = await run_conversation(plan, backend)
        records.append(build_record(plan=plan, run_seed=seed, messages=messages, backend=backend, attempts=1,
                                    usage=usage, generated_at="2026-01-01T00:00:00Z"))
    return records


def _timed_pass(records: list[dict]) -> tuple[float, Counter]:
    places_named.cache_clear()
    may_name.cache_clear()
    _reference.cache_clear()
    _bounded_fields.cache_clear()
    forecast_days_for.cache_clear()
    _DAYS.clear()
    verdicts: Counter = Counter()
    started = time.process_time()
    for record in records:
        verdicts[validate_record(record).passed] += 1
    return time.process_time() - started, verdicts


def _child_rate(args: argparse.Namespace, pure: bool) -> float:
    """One measurement in a fresh interpreter, so the other mode's modules are not already imported."""
    environment = {**os.environ, PURE_PYTHON_VARIABLE: "1" if pure else "0"}
    output = subprocess.run([sys.executable, __file__, "--records", str(args.records), "--seed", str(args.seed),
                             "--repeats", str(args.repeats)], env=environment, check=True,
                            capture_output=True, text=True).stdout
    print(output.splitlines()[0])
    return float(re.search(r"best: ([\d,]+) records/s", output).group(1).replace(",", ""))


def _alternate(args: argparse.Namespace) -> None:
    for round_number in range(1, args.alternate + 1):
        compiled, pure = _child_rate(args, pure=False), _child_rate(args, pure=True)
        print(f"round {round_number}: compiled {compiled:,.0f}/s, pure {pure:,.0f}/s, ratio {compiled / pure:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--alternate", type=int, default=0, metavar="K",
                        help="K rounds of compiled then pure, each in its own process")
    args = parser.parse_args()
    if args.alternate:
        _alternate(args)
        return
    records = asyncio.run(_records(args.records, args.seed))
    compiled = loaded_compiled()
    print(f"modules: {len(compiled)}/{len(COMPILED)} compiled"
          + ("" if compiled else " (pure Python; build with scripts/compile_validation.py)"))
    scenarios = Counter(record["metadata"]["scenario"] for record in records)
    passes = [_timed_pass(records) for _ in range(args.repeats)]
    best, verdicts = min(passes, key=lambda result: result[0])
    rate = len(records) / best
    print(f"records: {len(records)} ({', '.join(f'{name} {n}' for name, n in sorted(scenarios.items()))}); "
          f"passed {verdicts[True]}, failed {verdicts[False]}")
    print(f"passes (CPU s): {', '.join(f'{seconds:.3f}' for seconds, _ in passes)}")
    print(f"best: {rate:,.0f} records/s ({best / len(records) * 1e6:.0f} µs per record); "
          f"target {TARGET_PER_SECOND:,}/s: {'met' if rate >= TARGET_PER_SECOND else 'NOT met'}")


if __name__ == "__main__":
    main()
