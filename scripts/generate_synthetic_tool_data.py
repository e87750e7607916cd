#!/usr/bin/env python3
"""Generate a synthetic weather tool-use dataset from the terminal.

The run itself is `core.runner` (the same lifecycle the studio uses); this
script only turns flags into a config, checks every input before writing
anything, asks the questions a terminal can ask, and shows progress.
See scripts/README_SYNTHETIC_TOOL_DATA.md.
"""
from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tqdm import tqdm  # noqa: E402

from core.backends import BackendConfigError, BackendError  # noqa: E402
from core.backends.api_key import resolve_api_key  # noqa: E402
from core.checkpoint import CheckpointError, CheckpointState  # noqa: E402
from core.config import ConfigError, RunConfig  # noqa: E402
from core.config_loader import load_config  # noqa: E402
from core.estimate import estimate_run, sdk_token_counter  # noqa: E402
from core.output_writer import write_json  # noqa: E402
from core.run_stats import RunStats  # noqa: E402
from core.shard import Shard, ShardError, parse_shard  # noqa: E402
from core.runner import (  # noqa: E402
    Progress,
    RunConflict,
    RunIntegrityError,
    RunPaths,
    RunResult,
    create_backend_for,
    partial_run,
    run_async,
    write_partial,
)

DEFAULT_OUTPUT = Path("data/synthetic/tool_use_examples.jsonl")
BATCH = 100
EXIT_CODES = {"completed": 0, "cancelled": 130, "stopped": 1, "failed": 1}
SCRIPT = "python scripts/generate_synthetic_tool_data.py"

EXAMPLES = f"""examples:
  {SCRIPT} --count 1000                      offline, no key needed
  {SCRIPT} --count 500 --backend anthropic   Claude Haiku 4.5 (ANTHROPIC_API_KEY)
  {SCRIPT} --config my_mix.yaml --seed 7     custom distributions
  {SCRIPT} --count 1000 --resume             continue an interrupted run
  {SCRIPT} --count 5000 --backend anthropic --batch --estimate   what a half-price batch run costs
  {SCRIPT} --count 100000 --shard 2/8 --run-dir data/shards/2    one of 8 machines (python -m core.merge)
"""


class UsageError(Exception):
    """A bad input: reported in one line, exit code 2, nothing written."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        print(f"error: {message} (see --help)", file=sys.stderr)
        sys.exit(2)


def build_parser() -> _Parser:
    parser = _Parser(prog=SCRIPT, description=__doc__.split("\n\n")[0], epilog=EXAMPLES,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--count", type=int, metavar="N",
        help="examples to generate, 1..1,000,000 (default 1000), e.g. --count 250")
    add("--output-path", type=Path, metavar="FILE",
        help=f"accepted examples JSONL (default {DEFAULT_OUTPUT}); rejected.jsonl, validation_report.json, "
             "generation_metadata.json and status.json go beside it; its folder must exist")
    add("--checkpoint-dir", type=Path, metavar="DIR",
        help="checkpoint folder (default: checkpoints/ beside the output), e.g. --checkpoint-dir /tmp/ckpt")
    add("--run-dir", type=Path, metavar="DIR",
        help="write a studio-style run folder instead (config.json, outputs, checkpoints/), "
             "e.g. --run-dir data/runs/my-run")
    add("--backend", metavar="NAME",
        help="offline (default, no key), anthropic (ANTHROPIC_API_KEY) or openai "
             "(an OpenAI-compatible server: --model and --base-url)")
    add("--model", metavar="ID", help="model id, e.g. --model claude-haiku-4-5")
    add("--base-url", metavar="URL", help="API base URL, e.g. --base-url http://localhost:11434/v1")
    add("--seed", type=int, metavar="N",
        help="run seed; the same seed and config give the same dataset (default 42), e.g. --seed 7")
    add("--config", type=Path, metavar="FILE",
        help="YAML/JSON file of settings and distributions, e.g. --config mix.yaml; flags given here win over it")
    add("--concurrency", type=int, metavar="N",
        help="examples in flight at once (default: 16 for anthropic, 8 for openai, 4 offline), e.g. --concurrency 8")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--resume", action="store_true", help="continue a partial run without asking")
    choice.add_argument("--fresh", action="store_true", help="discard a partial run without asking")
    add("--requests-per-minute", type=float, metavar="N",
        help="API requests a minute the client stays under (default 50, a low Anthropic tier), "
             "e.g. --requests-per-minute 4000")
    add("--tokens-per-minute", type=float, metavar="N",
        help="API input tokens a minute the client stays under (default 50,000), e.g. --tokens-per-minute 400000")
    add("--checkpoint-every", type=int, metavar="N",
        help="examples between checkpoints (default 250), e.g. --checkpoint-every 100")
    add("--overwrite", action="store_true", help="replace an existing output file instead of refusing")
    add("--quiet", action="store_true", help="no progress bar or batch lines; errors and the summary only")
    add("--batch", action="store_true",
        help="anthropic only: send the requests through the Message Batches API at half the price; each "
             "conversation step is one batch round (a run takes hours) and an interrupted run resumes by "
             "polling its batch, never paying twice")
    add("--shard", metavar="K/N", help="run only the K-th of N slices of the plans (same config and seed on every "
                                       "machine), e.g. --shard 2/8; join the parts with python -m core.merge")
    add("--estimate", action="store_true", help="print the calls, tokens, dollars and time of this run "
                                                "(of this shard with --shard), then exit without running")
    return parser


def config_from(args: argparse.Namespace) -> RunConfig:
    """The flags given, over the config file's settings when there is one."""
    flags = {"count": args.count, "seed": args.seed, "backend": args.backend, "model": args.model,
             "base_url": args.base_url, "concurrency": args.concurrency, "checkpoint_every": args.checkpoint_every,
             "batch": args.batch or None}
    given = {key: value for key, value in flags.items() if value is not None}
    return load_config(args.config, given) if args.config else RunConfig.from_dict(given)


def paths_from(args: argparse.Namespace) -> RunPaths:
    if args.run_dir:
        if args.output_path or args.checkpoint_dir:
            raise UsageError("--run-dir sets every path itself; leave out --output-path and --checkpoint-dir")
        return RunPaths.for_run_dir(args.run_dir)
    return RunPaths.for_output(args.output_path or DEFAULT_OUTPUT, args.checkpoint_dir)


def check_writable(folder: Path, must_exist: bool) -> None:
    """The folder exists (or may be created) and a file can really be created in it."""
    probe_in = folder
    while not probe_in.exists():
        if must_exist:
            raise UsageError(f"the output folder {folder} does not exist; create it or choose another --output-path")
        probe_in = probe_in.parent
    if not probe_in.is_dir():
        raise UsageError(f"{probe_in} is not a folder; choose another output path")
    try:
        with tempfile.TemporaryFile(dir=probe_in):
            pass
    except OSError as error:
        raise UsageError(f"cannot write in {probe_in}: {error.strerror or error}") from None


def check_outputs(args: argparse.Namespace, paths: RunPaths) -> None:
    check_writable(paths.examples.parent, must_exist=args.output_path is not None)
    if args.checkpoint_dir:
        check_writable(args.checkpoint_dir.parent, must_exist=True)
    if paths.examples.exists() and not args.overwrite:
        raise UsageError(f"{paths.examples} already exists; pass --overwrite to replace it or choose another "
                         "--output-path")


def ask(question: str) -> bool | None:
    """A yes/no answer from the terminal, or None when there is nobody to ask."""
    if not sys.stdin.isatty():
        return None
    answer = input(f"{question} ").strip().lower()
    return answer in ("y", "yes") if answer else None


def decide_resume(args: argparse.Namespace, paths: RunPaths, config: RunConfig,
                  shard: Shard | None) -> CheckpointState | None:
    """The partial run of this config (and shard) to continue, or None to start fresh.
    Another config's checkpoint is never mixed in; a corrupt one is never touched unasked."""
    try:
        state = partial_run(paths, config, shard)
    except RunConflict as conflict:
        if args.fresh or ask(f"{conflict}.\nDiscard that checkpoint and start fresh? [y/N]"):
            return None
        raise UsageError(f"{conflict} (pass --fresh to discard it)") from None
    except CheckpointError as error:
        if args.fresh:
            return None
        raise UsageError(f"{error} (or pass --fresh)") from None
    if state is None or args.fresh:
        return None
    if args.resume:
        return state
    answer = ask(f"A partial run of this config exists in {paths.checkpoints} ({state.next_index}/{state.total} "
                 "done). Resume it? [Y/n]")
    return None if answer is False else state


def make_backend(config: RunConfig, args: argparse.Namespace, paths: RunPaths) -> Any:
    """The run's backend; for Claude the key comes from ANTHROPIC_API_KEY or a hidden prompt."""
    key = resolve_api_key() if config.backend == "anthropic" else None
    if config.backend == "anthropic" and key is None:
        raise UsageError("no Anthropic API key: set ANTHROPIC_API_KEY, or use --backend offline")
    budgets = {"requests_per_minute": args.requests_per_minute, "tokens_per_minute": args.tokens_per_minute}
    try:
        return create_backend_for(config, key, batch_journal=paths.checkpoints if args.batch else None,
                                  **{name: value for name, value in budgets.items() if value})
    except (BackendError, BackendConfigError) as error:
        raise UsageError(str(error)) from None


class Display:
    """The progress bar, a line of batch statistics every BATCH examples, and the final table."""

    def __init__(self, quiet: bool, total: int) -> None:
        self.quiet = quiet
        self.total = total
        self.bar: tqdm | None = None
        self.batch = RunStats()

    def say(self, text: str) -> None:
        (self.bar.write if self.bar is not None else print)(text, file=sys.stderr)

    def start(self, done: int) -> None:
        if not self.quiet:
            self.bar = tqdm(total=self.total, initial=done, unit="ex", file=sys.stderr, dynamic_ncols=True)

    def progress(self, event: Progress) -> None:
        self.batch.add_row(event.row, event.accepted, event.api_failure)
        if self.bar is not None:
            self.bar.update(1)
        if event.done % BATCH == 0 and not self.quiet:
            self.say(batch_line(event, self.batch))
            self.batch = RunStats()

    def batch_progress(self, progress: dict[str, Any]) -> None:
        if self.bar is not None:
            from core.backends.anthropic_batch import describe_progress  # the SDK loads only for a batch run

            self.bar.set_postfix_str(describe_progress(progress))

    def interrupted(self, _presses: int) -> None:
        self.say("Stopping after the examples in flight and saving a checkpoint... "
                 "(Ctrl+C again quits at once; the last checkpoint is kept)")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _share(counter: Counter) -> str:
    total = sum(counter.values()) or 1
    return " ".join(f"{name} {100 * n / total:.0f}%" for name, n in counter.most_common())


def batch_line(event: Progress, batch: RunStats) -> str:
    summary = batch.summary()
    latency = event.backend.metrics.snapshot().get("latency_p50_ms")
    pass_rate = f"{100 * summary['pass_rate']:.0f}%" if summary["pass_rate"] is not None else "-"
    length = f"{summary['mean_answer_length']:.0f} chars" if summary["mean_answer_length"] is not None else "-"
    return (f"[{event.done}/{event.total}] last {batch.done}: pass {pass_rate} · answer {length} · "
            f"API p50 {latency if latency is not None else '-'} ms · so far: "
            f"{_share(event.stats.coverage['scenario'])} | {_share(event.stats.coverage['persona'])}")


def summary_table(result: RunResult) -> str:
    stats, metadata, paths = result.stats, result.metadata or {}, result.paths
    summary = stats.summary()
    timings, usage = metadata.get("timings", {}), metadata.get("usage", {}).get("api", {})

    def breakdown(name: str) -> str:
        return " · ".join(f"{key} {n} ({100 * n / max(stats.accepted, 1):.1f}%)"
                          for key, n in stats.coverage[name].most_common())

    checks = " ".join(f"{name} {100 * rate:.1f}%" for name, rate in summary["check_pass_rates"].items())
    grounded = summary["mean_groundedness"]
    cost = metadata.get("cost_usd")
    rows = [
        ("examples", f"{result.total} planned · {stats.accepted} accepted · {stats.rejected} rejected "
                     f"({stats.api_failures} API failures)"),
        ("time", f"{timings.get('elapsed_seconds', 0):.1f} s · "
                 f"{timings.get('examples_per_second') or '-'} examples/s"),
        ("persona", breakdown("persona")),
        ("scenario", breakdown("scenario")),
        ("validation", f"pass rate {100 * (summary['pass_rate'] or 0):.1f}% · {checks}"),
        ("groundedness", f"mean {grounded:.3f}" if grounded is not None else "-"),
        ("tokens", f"input {usage.get('input_tokens', 0)} · output {usage.get('output_tokens', 0)} · "
                   f"cost {'$%.4f' % cost if cost is not None else 'unknown'}"),
        ("examples file", str(paths.examples)),
        ("rejected", str(paths.rejected)),
        ("report", str(paths.report)),
        ("metadata", str(paths.metadata)),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"  {label:<{width}}  {value}" for label, value in rows)


def resume_command(argv: list[str]) -> str:
    kept = [arg for arg in argv if arg not in ("--resume", "--fresh", "--overwrite")]
    return shlex.join([*SCRIPT.split(), *kept, "--resume"])


def report_cancelled(result: RunResult, argv: list[str]) -> None:
    print(result.message, file=sys.stderr)
    if result.stats.accepted and ask(f"Write the {result.stats.accepted} accepted examples so far to "
                                     f"{result.paths.partial}? [y/N]"):
        path, count = write_partial(result.paths)
        print(f"wrote {count} examples to {path}", file=sys.stderr)
    print(f"To resume: {resume_command(argv)}", file=sys.stderr)


def estimate_text(config: RunConfig, batch: bool) -> str:
    """The --estimate answer; with ANTHROPIC_API_KEY set, tokens are counted by the API (free)."""
    key = resolve_api_key(prompt=None) if config.backend == "anthropic" else None
    counter = sdk_token_counter(key, model=config.model, base_url=config.base_url) if key else None
    estimate = estimate_run(config, batch=batch, token_counter=counter)
    cost = f"${estimate.cost_usd:,.2f}" if estimate.cost_usd is not None else "no dollar figure"
    return (f"{config.count:,} examples on {config.backend}, {estimate.mode} mode: {estimate.calls:,} calls · "
            f"{estimate.input_tokens:,} input / {estimate.output_tokens:,} output tokens · {cost} · "
            f"about {estimate.seconds / 3600:.1f} h\n{estimate.note}")


async def generate(args: argparse.Namespace, argv: list[str]) -> int:
    config = config_from(args)
    shard = parse_shard(args.shard) if args.shard else None
    if args.batch:
        from core.backends.anthropic_batch import check_batch_backend  # the SDK loads only for a batch run

        check_batch_backend(config.backend)
    if args.estimate:
        print(estimate_text(config.with_changes(count=shard.size(config.count)) if shard else config, args.batch))
        return 0
    paths = paths_from(args)
    check_outputs(args, paths)
    partial = decide_resume(args, paths, config, shard)
    backend = make_backend(config, args, paths)
    try:
        if config.backend == "offline" and not args.quiet:
            print("Using the offline backend: template-written conversations, no API calls and no key. "
                  "For Claude: --backend anthropic with ANTHROPIC_API_KEY set.", file=sys.stderr)
        paths.examples.parent.mkdir(parents=True, exist_ok=True)
        if paths.config is not None:
            write_json(paths.config, config.to_dict())
        display = Display(args.quiet, shard.size(config.count) if shard else config.count)
        if args.batch:
            backend.on_progress = display.batch_progress
        display.start(partial.next_index if partial else 0)
        try:
            result = await run_async(config, paths, resume=partial is not None, backend=backend,
                                     on_progress=display.progress, handle_signals=True,
                                     on_interrupt=display.interrupted, shard=shard, batch=args.batch)
        finally:
            display.close()
    finally:
        await backend.aclose()
    if result.state == "completed":
        print(f"Done: {result.message}\n{summary_table(result)}", file=sys.stderr)
    elif result.state == "cancelled":
        report_cancelled(result, argv)
    else:
        print(f"error: {result.message}", file=sys.stderr)
    return EXIT_CODES[result.state]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(generate(args, argv))
    except (UsageError, ConfigError, RunConflict, CheckpointError, ShardError, BackendConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (BackendError, RunIntegrityError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
