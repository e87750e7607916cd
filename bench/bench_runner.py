"""How fast a run goes: offline end to end, and what concurrency buys on the Anthropic path.

Offline: seconds for 1,000 and 3,000 examples through the whole lifecycle
(planning, generation, validation, checkpoints, final files read back).
Anthropic: the real backend (SDK, retries, throttle) against a loopback Messages
API that answers every call after `--latency` seconds, at concurrency 1 and 16.

    python bench/bench_runner.py                      # both parts
    python bench/bench_runner.py --part offline
    python bench/bench_runner.py --part anthropic --examples 200 --latency 0.3
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Module import time stays out of the timings: the SDK's, and the offline backend's (which a run imports on first
# use; on a machine that does not keep bytecode caches, such as CI, that means compiling it).
import core.backends.anthropic_backend  # noqa: E402,F401
import core.backends.offline  # noqa: E402,F401
from core.config import RunConfig  # noqa: E402
from core.runner import RunPaths, RunResult, create_backend_for, run, run_async  # noqa: E402
from tests.support.loopback_weather_agent import WeatherAgentServer  # noqa: E402

UNLIMITED = {"requests_per_minute": 1e9, "tokens_per_minute": 1e12}


def timed(action) -> tuple[float, RunResult]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def bench_offline(counts: list[int]) -> None:
    for count in counts:
        with tempfile.TemporaryDirectory() as folder:
            paths = RunPaths.for_output(Path(folder) / "examples.jsonl")
            seconds, result = timed(lambda: run(RunConfig(count=count, seed=1), paths))
        print(f"offline  {count:>6} examples  {seconds:7.2f} s  {count / seconds:8.1f} examples/s  "
              f"({result.stats.accepted} accepted)")


async def _anthropic_run(config: RunConfig, paths: RunPaths) -> RunResult:
    backend = create_backend_for(config, "bench-key-not-a-secret", **UNLIMITED)
    try:
        return await run_async(config, paths, backend=backend)
    finally:
        await backend.aclose()


def bench_anthropic(examples: int, latency_s: float, concurrencies: list[int]) -> None:
    config = RunConfig(count=examples, seed=1, backend="anthropic")
    server = WeatherAgentServer(config, latency_s=latency_s)
    seconds_at: dict[int, float] = {}
    try:
        for concurrency in concurrencies:
            server.received.clear()
            with tempfile.TemporaryDirectory() as folder:
                paths = RunPaths.for_output(Path(folder) / "examples.jsonl")
                changed = config.with_changes(concurrency=concurrency, base_url=server.base_url)
                seconds, result = timed(lambda: asyncio.run(_anthropic_run(changed, paths)))
            seconds_at[concurrency] = seconds
            print(f"anthropic concurrency {concurrency:>3}  {examples} examples  {len(server.received)} calls  "
                  f"{seconds:7.1f} s  ({result.state}, {result.stats.accepted} accepted)")
    finally:
        server.close()
    low, high = min(seconds_at), max(seconds_at)
    print(f"speed-up of concurrency {high} over {low}: {seconds_at[low] / seconds_at[high]:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("offline", "anthropic", "both"), default="both")
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 3000], help="offline run sizes")
    parser.add_argument("--examples", type=int, default=200, help="examples per Anthropic-path run")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds the loopback API takes per call")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    args = parser.parse_args()
    if args.part in ("offline", "both"):
        bench_offline(args.counts)
    if args.part in ("anthropic", "both"):
        bench_anthropic(args.examples, args.latency, args.concurrency)


if __name__ == "__main__":
    main()
