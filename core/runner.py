"""One run lifecycle for the terminal and the studio: plan, generate, commit in order, finish.

Examples are generated with a bounded number in flight but committed strictly
in plan order, so the output bytes never depend on timing. Commits go to a
checkpoint every `checkpoint_every` examples; a resumed run skips what was
committed and ends byte-identical to an unbroken one. A run stops early only
when the API keeps failing (or refuses the key, or the quota is spent), and
says why. `python -m core.runner RUN_DIR` runs a studio-created run directory
as its own process.
"""
from __future__ import annotations

import asyncio
import heapq
import json
import os
import signal
import sys
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import AsyncExitStack, aclosing
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core.backends import Backend, BackendError, create_backend
from core.batch_journal import discard_journal
from core.checkpoint import (
    CheckpointState,
    CheckpointWriter,
    committed_lines,
    copy_committed,
    read_state,
    remove_checkpoint,
)
from core.config import RunConfig
from core.config_loader import load_config
from core.data_loader import record_row, scan_jsonl
from core.estimate import estimate_run, estimate_vs_actual
from core.generation import ExampleOutcome, failed_record, generate_example
from core.generation_workers import can_fork, default_workers, in_worker_processes
from core.ordered_completion import finished_in_order
from core.json_codec import parse_json
from core.output_writer import atomic_file, record_line, write_json
from core.plan import ExamplePlan, build_plans, plan_summary
from core.run_stats import RunStats, is_api_failure
from core.run_status import StatusWriter, iso, read_status
from core.shard import Shard, checkpoint_identity
from core.validation import ValidationReport, validate_record

Clock = Callable[[], datetime]
ProgressCallback = Callable[["Progress"], None]
Generate = Callable[..., Awaitable[ExampleOutcome]]

DEFAULT_CONCURRENCY = {"offline": 4, "anthropic": 16, "openai": 8}
# Failures no retry or wait can fix: the run stops at the first one.
FATAL_KINDS = frozenset({"auth", "permission", "quota"})
CANCEL_FLAG = "cancel.flag"
_LOOKAHEAD = 4  # plans started per slot, so one slow example does not idle the others
_FLAG_POLL_S = 0.5
_CAUSES = {
    "auth": "the API key was refused (bad or missing key)",
    "permission": "the API key lacks permission for this model",
    "quota": "the account's quota or spend limit is used up",
    "rate_limit": "the API kept rate-limiting requests (lower --concurrency or wait)",
    "overloaded": "the API is overloaded (outage); try again later",
    "server": "the API keeps failing with server errors (outage); try again later",
    "connection": "the API cannot be reached (network or outage)",
    "timeout": "API calls keep timing out (network or outage)",
    "malformed": "the model's replies cannot be used (check --model)",
    "bad_request": "the API rejects the requests (check --model and --base-url)",
    "not_found": "the model or endpoint does not exist (check --model and --base-url)",
}


def utc_clock() -> datetime:
    return datetime.now(timezone.utc)


class RunConflict(Exception):
    """A checkpoint exists for a different config; it is never silently mixed in."""


@dataclass(frozen=True)
class RunPaths:
    """Where a run reads and writes. A studio run directory or the terminal's output folder."""

    examples: Path
    rejected: Path
    report: Path
    metadata: Path
    status: Path
    checkpoints: Path
    cancel_flag: Path
    config: Path | None = None

    @classmethod
    def for_run_dir(cls, run_dir: str | os.PathLike[str]) -> "RunPaths":
        root = Path(run_dir)
        return cls(examples=root / "tool_use_examples.jsonl", rejected=root / "rejected.jsonl",
                   report=root / "validation_report.json", metadata=root / "generation_metadata.json",
                   status=root / "status.json", checkpoints=root / "checkpoints",
                   cancel_flag=root / CANCEL_FLAG, config=root / "config.json")

    @classmethod
    def for_output(cls, examples: str | os.PathLike[str],
                   checkpoints: str | os.PathLike[str] | None = None) -> "RunPaths":
        """The terminal layout: the other files sit beside the examples file."""
        examples = Path(examples)
        folder = examples.parent
        return cls(examples=examples, rejected=folder / "rejected.jsonl",
                   report=folder / "validation_report.json", metadata=folder / "generation_metadata.json",
                   status=folder / "status.json",
                   checkpoints=Path(checkpoints) if checkpoints else folder / "checkpoints",
                   cancel_flag=folder / CANCEL_FLAG)

    @property
    def partial(self) -> Path:
        """Where a cancelled run's examples so far go when the user asks for them."""
        return self.examples.with_name(self.examples.stem + ".partial.jsonl")


@dataclass
class Progress:
    """One committed example, handed to the caller's progress callback.

    `row` (its `record_row`) is what running statistics need; `record` is read from the written line
    only when asked for, since a worker sends an accepted example as its line.
    """

    done: int
    total: int
    row: dict[str, Any]
    accepted: bool
    api_failure: bool
    stats: RunStats
    backend: Backend
    written: dict[str, Any] | bytes

    @cached_property
    def record(self) -> dict[str, Any]:
        return parse_json(self.written) if isinstance(self.written, bytes) else self.written


@dataclass
class RunResult:
    state: str  # completed | cancelled | stopped | failed
    message: str
    total: int
    stats: RunStats
    paths: RunPaths
    metadata: dict[str, Any] | None = None


class RunControl:
    """Cooperative cancellation: a flag file another process may create, or a call here."""

    def __init__(self, cancel_flag: Path | None = None) -> None:
        self.cancel_flag = cancel_flag
        self.reason: str | None = None
        self.on_stop: Callable[[str], None] | None = None
        self._wakeup: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def request_stop(self, reason: str) -> None:
        """Stop launching examples and commit what is finished; safe from signal handlers."""
        if self.reason is None:
            self.reason = reason
            if self.on_stop is not None:
                self.on_stop(reason)
        if self._loop is not None and self._wakeup is not None:
            self._loop.call_soon_threadsafe(self._wakeup.set)

    @property
    def stopping(self) -> bool:
        if self.reason is None and self.cancel_flag is not None and self.cancel_flag.exists():
            self.request_stop("cancelled on request")
        return self.reason is not None

    async def watch(self) -> None:
        """Wake the commit loop when a stop is requested, polling the flag file meanwhile."""
        self._loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        if self.reason is not None:
            self._wakeup.set()
        while not self.stopping:
            try:
                await asyncio.wait_for(self._wakeup.wait(), _FLAG_POLL_S)
            except TimeoutError:
                pass


def request_cancel(run_dir: str | os.PathLike[str]) -> None:
    """Ask the run in `run_dir` (running in any process) to stop cleanly."""
    (Path(run_dir) / CANCEL_FLAG).touch()


class FailureWindow:
    """Whether more than `threshold` of the last `size` examples failed at the API."""

    def __init__(self, size: int = 100, threshold: float = 0.5, min_samples: int = 10) -> None:
        self._recent: deque[bool] = deque(maxlen=size)
        self._threshold = threshold
        self._min_samples = min_samples

    def add(self, failed: bool) -> None:
        self._recent.append(failed)

    @property
    def failures(self) -> int:
        return sum(self._recent)

    @property
    def tripped(self) -> bool:
        seen = len(self._recent)
        return seen >= self._min_samples and self.failures > self._threshold * seen

    def describe(self) -> str:
        return f"{self.failures} of the last {len(self._recent)} examples failed at the API"


def failure_cause(kinds: Counter) -> str:
    """Plain words for the commonest failure kind, e.g. 'the API key was refused'."""
    if not kinds:
        return "the cause was not reported"
    kind = kinds.most_common(1)[0][0]
    return _CAUSES.get(kind, f"the API kept failing ({kind})")


def merge_metrics(earlier: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """Metrics of all run segments so far: counters add up, latency is the latest segment's."""
    merged = dict(current)
    for key, value in earlier.items():
        if key.startswith("latency_") or key not in current:
            merged.setdefault(key, value)
        elif key == "failures_by_kind":
            merged[key] = dict(Counter(value) + Counter(current[key]))
        elif isinstance(value, (int, float)) and isinstance(current[key], (int, float)):
            merged[key] = round(value + current[key], 6) if isinstance(value, float) else value + current[key]
    return merged


def default_concurrency(backend: str) -> int:
    return DEFAULT_CONCURRENCY.get(backend, 4)


def partial_run(paths: RunPaths, config: RunConfig, shard: Shard | None = None) -> CheckpointState | None:
    """The unfinished run of this config (and shard), if any. RunConflict when the checkpoint is
    another config's or shard's; CheckpointError when it is corrupt."""
    state = read_state(paths.checkpoints)
    identity = checkpoint_identity(config.fingerprint(), shard)
    if state is not None and state.fingerprint != identity:
        raise RunConflict(
            f"the checkpoint in {paths.checkpoints} belongs to a different config or shard "
            f"(fingerprint {state.fingerprint}, this run {identity}); start fresh to discard it, "
            "or use another checkpoint directory")
    return state


def write_partial(paths: RunPaths) -> tuple[Path, int]:
    """Write a cancelled run's accepted examples so far to `paths.partial`; (path, count)."""
    state = read_state(paths.checkpoints)
    if state is None:
        raise FileNotFoundError(f"no checkpoint in {paths.checkpoints} to take a partial dataset from")
    with atomic_file(paths.partial) as handle:
        copy_committed(paths.checkpoints, state, "accepted", handle)
    return paths.partial, RunStats.from_dict(state.stats).accepted


def create_backend_for(config: RunConfig, api_key: str | None = None, *, batch_journal: Path | None = None,
                       **options: Any) -> Backend:
    """The backend a config names; the key comes from the caller or the environment, never a file.
    `options` (e.g. requests_per_minute, tokens_per_minute) go to an API backend, which is
    also allowed as many calls in flight as the run has examples in flight. `batch_journal`
    (the run's checkpoint folder) asks for batch mode over the Message Batches API."""
    if config.backend == "offline":
        return create_backend("offline", seed=config.seed)
    options.setdefault("max_concurrency", config.concurrency or default_concurrency(config.backend))
    if config.temperature is not None:
        options["temperature"] = config.temperature
    if batch_journal is not None:
        from core.backends.anthropic_batch import create_batch_backend  # the SDK loads only for a batch run

        return create_batch_backend(config.backend, journal_dir=batch_journal, model=config.model, api_key=api_key,
                                    base_url=config.base_url, **options)
    return create_backend(config.backend, model=config.model, api_key=api_key, base_url=config.base_url, **options)


def _rejected_record(plan: ExamplePlan, config: RunConfig, backend: Backend, error: BackendError,
                     generated_at: str) -> dict[str, Any]:
    """A record for an example whose backend failed in a way generation does not retry."""
    return failed_record(plan, config, backend, 1, [f"attempt 1: {error.kind}: {error}"], generated_at)


def _in_plan_order(plans: Iterable[ExamplePlan], work: Callable[[ExamplePlan], Any], concurrency: int,
                   control: RunControl) -> AsyncIterator[tuple[ExamplePlan, asyncio.Future]]:
    """Run `work` on plans with at most `concurrency` at once; yield finished tasks in plan order
    (see `finished_in_order` for what a stop request does)."""
    slots = asyncio.Semaphore(concurrency)

    async def bounded(plan: ExamplePlan) -> Any:
        async with slots:
            return await work(plan)

    return finished_in_order(plans, lambda plan: asyncio.ensure_future(bounded(plan)), concurrency * _LOOKAHEAD,
                             control)


class _Session:
    """One process's part of a run: commits outcomes in plan order and keeps the books."""

    def __init__(self, config: RunConfig, paths: RunPaths, writer: CheckpointWriter, backend: Backend,
                 clock: Clock, status: StatusWriter, on_progress: ProgressCallback | None,
                 generate: Generate, workers: int = 1) -> None:
        state = writer.state
        self.generate_example = generate
        self.workers = workers
        self.config, self.paths, self.writer, self.backend = config, paths, writer, backend
        self.clock, self.status, self.on_progress = clock, status, on_progress
        self.stats = RunStats.from_dict(state.stats) if state.stats else RunStats()
        self.start_index = self.next_index = state.next_index
        self.total = state.total
        self.earlier_metrics = state.metrics
        self.earlier_seconds = state.timings.get("elapsed_seconds", 0.0)
        self.segments = state.timings.get("segments", 0) + 1
        self.started = clock()
        self.first_started_at = state.timings.get("started_at", iso(self.started))
        self.failures = FailureWindow()
        self.stop_message: str | None = None
        self.report = ValidationReport()
        committed = [map(json.loads, committed_lines(writer.directory, state, log)) for log in ("accepted", "rejected")]
        for record in heapq.merge(*committed, key=lambda record: record["metadata"]["index"]):  # plan order
            self.validate(record)

    def validate(self, record: dict[str, Any], outcome: ExampleOutcome | None = None) -> None:
        """Add the record's validation to the report, re-validating only when the outcome lacks it."""
        result = (outcome.validation if outcome else None) or validate_record(
            record, groundedness_threshold=self.config.groundedness_threshold)
        self.report.add(result, record)

    def metrics(self) -> dict[str, Any]:
        """Backend metrics of every segment of the run so far."""
        return merge_metrics(self.earlier_metrics, self.backend.metrics.snapshot())

    def timings(self) -> dict[str, Any]:
        elapsed = self.earlier_seconds + (self.clock() - self.started).total_seconds()
        return {"started_at": self.first_started_at, "elapsed_seconds": round(elapsed, 3), "segments": self.segments}

    def checkpoint(self) -> None:
        self.writer.commit(next_index=self.next_index, stats=self.stats.to_dict(),
                           metrics=self.metrics(), timings=self.timings())

    def progress_fields(self) -> dict[str, Any]:
        total, done = self.total, self.next_index
        elapsed = (self.clock() - self.started).total_seconds()
        rate = (done - self.start_index) / elapsed if elapsed > 0 else 0.0
        summary = self.stats.summary()
        return {"done": done, "total": total, "accepted": self.stats.accepted, "rejected": self.stats.rejected,
                "rate_per_s": round(rate, 2), "eta_s": round((total - done) / rate, 1) if rate else None,
                "pass_rate": summary["pass_rate"], "mean_groundedness": summary["mean_groundedness"],
                "cost_usd": self.metrics().get("cost_usd")}

    def commit(self, plan: ExamplePlan, task: asyncio.Task) -> None:
        """Record one finished example (the next in plan order), or decide to stop before it."""
        error = task.exception()
        if isinstance(error, BackendError) and error.kind in FATAL_KINDS:
            self.stop_message = f"stopped: {_CAUSES[error.kind]}: {error}"
            self.status.update(last_error=f"{error.kind}: {error}")
            return
        outcome: ExampleOutcome | None = None
        if isinstance(error, BackendError):
            record, accepted = _rejected_record(plan, self.config, self.backend, error, iso(self.clock())), False
        elif error is not None:
            raise error
        else:
            outcome = task.result()
            record, accepted = outcome.record, outcome.accepted
        if record is None:  # an accepted record as a worker sends it: an accepted one has a conversation
            line, row, failed = outcome.line, outcome.row, False
        else:
            line = record_line(record)
            row, failed = record_row(record), is_api_failure(record)
        self.validate(record, outcome)
        if failed:
            self.status.update(last_error=record["metadata"]["validation"]["reasons"][-1])
        self.writer.add("accepted" if accepted else "rejected", line)
        self.stats.add_row(row, accepted, failed)
        self.next_index += 1
        self.failures.add(failed)
        if self.failures.tripped:
            kinds = Counter(self.backend.metrics.snapshot().get("failures_by_kind", {}))
            self.stop_message = f"stopped: {self.failures.describe()}; {failure_cause(kinds)}"
        if (self.next_index - self.start_index) % self.config.checkpoint_every == 0:
            self.checkpoint()
        if self.status.due:
            self.status.update(force=True, **self.progress_fields())
        if self.on_progress is not None:
            self.on_progress(Progress(self.next_index, self.total, row, accepted, failed, self.stats, self.backend,
                                      line if record is None else record))

    async def generate(self, plans: list[ExamplePlan], control: RunControl) -> None:
        clock = self.clock

        async def work(plan: ExamplePlan) -> ExampleOutcome:
            return await self.generate_example(plan, self.backend, config=self.config, clock=lambda: iso(clock()))

        remaining = plans[self.next_index:]
        if self.workers > 1:
            ordered = in_worker_processes(remaining, self.config, clock, self.workers, self.backend, control)
        else:
            # A batching backend wants every conversation live at once: each round then holds them all.
            concurrency = getattr(self.backend, "live_conversations", None) or self.config.concurrency or \
                default_concurrency(self.config.backend)
            ordered = _in_plan_order(remaining, work, concurrency, control)
        async with aclosing(ordered) as finished:
            async for plan, task in finished:
                self.commit(plan, task)
                if self.stop_message:
                    return

    def finish(self, plans: list[ExamplePlan], *, shard: Shard | None, batch: bool) -> dict[str, Any]:
        """Write the final files atomically, re-read every line, then drop the checkpoint."""
        self.checkpoint()
        for log, path, expected in (("accepted", self.paths.examples, self.stats.accepted),
                                    ("rejected", self.paths.rejected, self.stats.rejected)):
            with atomic_file(path) as handle:
                self.writer.copy_committed(log, handle)
            problem = read_back(path, expected)
            if problem:
                raise RunIntegrityError(f"{path} did not read back: {problem}; "
                                        f"the checkpoint in {self.paths.checkpoints} is kept")
        self.report.save(self.paths.report)
        metadata = generation_metadata(self.config, plans, self.stats, self.backend, self.metrics(),
                                       self.timings(), self.paths, generated_at=iso(self.clock()),
                                       shard=shard, batch=batch)
        write_json(self.paths.metadata, metadata)
        self.writer.close()
        discard_journal(self.paths.checkpoints)
        remove_checkpoint(self.paths.checkpoints)
        return metadata


class RunIntegrityError(Exception):
    """A final file did not read back as written; the run is not declared complete."""


def read_back(path: Path, expected: int) -> str | None:
    """Parse every line of a written JSONL file; a description of the first problem,
    or None when all `expected` records are there."""
    count = 0
    for number, record, error in scan_jsonl(path):
        if record is None:
            return f"line {number}: {error}"
        count += 1
    return None if count == expected else f"it holds {count} records, {expected} were written"


def place_targets(plans: list[ExamplePlan]) -> tuple[Counter, Counter]:
    """Planned mentions per city label and per climate group (once per example), as records count them."""
    from core.locations import BY_ID

    cities: Counter = Counter()
    groups: Counter = Counter()
    for plan in plans:
        places = [BY_ID[location_id] for location_id in plan.location_ids]
        cities.update(place.label for place in places)
        groups.update(list(dict.fromkeys(place.climate_group for place in places)))
    return cities, groups


def generation_metadata(config: RunConfig, plans: list[ExamplePlan], stats: RunStats, backend: Backend,
                        metrics: dict[str, Any], timings: dict[str, Any], paths: RunPaths, *,
                        generated_at: str, shard: Shard | None = None, batch: bool = False) -> dict[str, Any]:
    """What a dataset is and how it was made (of a shard: its plans). Wall-clock fields: timings,
    generated_at, usage.api latency."""
    summary = stats.summary()
    target = plan_summary(plans)
    city_target, group_target = place_targets(plans)
    elapsed = timings["elapsed_seconds"]
    return {
        "config": config.to_dict(),
        "fingerprint": config.fingerprint(),
        "seed": config.seed,
        "counts": {"planned": len(plans), "accepted": stats.accepted, "rejected": stats.rejected,
                   "api_failures": stats.api_failures},
        "distributions": {
            **{name: {"target": target[name], "achieved": dict(stats.coverage[name])} for name in target},
            "climate_groups": {"target": dict(group_target), "achieved": dict(stats.coverage["climate_groups"])},
            "cities": {"covered": len(stats.coverage["cities"]), "target": dict(city_target),
                       "achieved": dict(stats.coverage["cities"])},
        },
        "validation": {key: summary[key] for key in ("pass_rate", "mean_groundedness", "check_pass_rates",
                                                     "rejections_by_check", "mean_attempts")},
        "mean_answer_length": summary["mean_answer_length"],
        "backend": {"name": backend.name, "model": backend.model, "sdk_version": backend.sdk_version},
        "usage": {"records": {"input_tokens": stats.input_tokens, "output_tokens": stats.output_tokens},
                  "api": metrics,
                  "estimate_vs_actual": estimate_vs_actual(
                      estimate_run(config.with_changes(count=len(plans)), batch=batch), metrics)},
        "cost_usd": metrics.get("cost_usd"),
        "shard": shard.to_dict() if shard else None,
        "timings": {**timings, "examples_per_second": round(len(plans) / elapsed, 2) if elapsed > 0 else None},
        "files": {"examples": str(paths.examples), "rejected": str(paths.rejected),
                  "validation_report": str(paths.report)},
        "generated_at": generated_at,
    }


def _open_checkpoint(config: RunConfig, paths: RunPaths, resume: bool, shard: Shard | None,
                     total: int) -> CheckpointWriter:
    if resume and partial_run(paths, config, shard) is not None:
        return CheckpointWriter.resume(paths.checkpoints)
    discard_journal(paths.checkpoints)  # a fresh start asks again what an earlier batch run was answered
    state = CheckpointState(config=config.to_dict(), fingerprint=checkpoint_identity(config.fingerprint(), shard),
                            seed=config.seed, total=total)
    return CheckpointWriter.start(paths.checkpoints, state)


def _report_batches(backend: Any, status: StatusWriter) -> None:
    """Batch mode's rounds and counts go into status.json (`batch`), besides any watcher already set."""
    watcher = backend.on_progress

    def report(progress: dict[str, Any]) -> None:
        status.update(batch=progress)
        if watcher is not None:
            watcher(progress)

    backend.on_progress = report


def worker_count(requested: int | None, config: RunConfig, backend: Backend, generate: Generate,
                 remaining: int) -> int:
    """Processes to generate in: `requested`, or by default as many as pay off for an offline run.
    Only the offline backend with the standard generation step can be re-created in a worker."""
    offline = (config.backend == "offline" and backend.name == "offline" and generate is generate_example
               and can_fork())
    if requested is None:
        return default_workers(remaining) if offline else 1
    if requested < 1 or (requested > 1 and not offline):
        raise ValueError(f"workers={requested}: use 1, or more only for an offline run with the standard "
                         "generation step on a system that can fork")
    return requested


def _install_interrupts(control: RunControl, on_interrupt: Callable[[int], None] | None) -> Callable[[], None]:
    """First Ctrl+C (or SIGTERM) stops cleanly; a second exits at once, the last checkpoint intact.
    Returns the function that removes the handlers again."""
    loop = asyncio.get_running_loop()
    presses = 0

    def interrupted() -> None:
        nonlocal presses
        presses += 1
        if presses > 1:
            os._exit(130)
        control.request_stop("interrupted")
        if on_interrupt is not None:
            on_interrupt(presses)

    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, interrupted)
    return lambda: [loop.remove_signal_handler(number) for number in (signal.SIGINT, signal.SIGTERM)]


async def run_async(config: RunConfig, paths: RunPaths, *, resume: bool = True, backend: Backend | None = None,
                    api_key: str | None = None, clock: Clock = utc_clock,
                    on_progress: ProgressCallback | None = None, control: RunControl | None = None,
                    handle_signals: bool = False,
                    on_interrupt: Callable[[int], None] | None = None,
                    generate: Generate = generate_example, shard: Shard | None = None,
                    batch: bool = False, workers: int | None = None) -> RunResult:
    """Run (or resume) `config` into `paths`. With `resume`, a checkpoint of the same config
    is continued (RunConflict for another config's); without, any checkpoint is discarded.
    A backend passed in is the caller's to close; one made here from the config is closed here.
    `generate` is the per-example step (core.generation's unless a test substitutes one).
    `shard` runs only that slice of the plans; `batch` runs on the Message Batches API (a backend
    passed in must then come from `create_backend_for(..., batch_journal=paths.checkpoints)`).
    `workers` is how many processes generate (see `worker_count`); the output is the same for any."""
    control = control or RunControl(paths.cancel_flag)
    async with AsyncExitStack() as cleanup:
        if backend is None:
            backend = create_backend_for(config, api_key, batch_journal=paths.checkpoints if batch else None)
            cleanup.push_async_callback(backend.aclose)
        plans = build_plans(config) if shard is None else shard.select(build_plans(config))
        writer = _open_checkpoint(config, paths, resume, shard, len(plans))
        cleanup.callback(writer.close)
        cleanup.callback(paths.cancel_flag.unlink, missing_ok=True)
        if handle_signals:
            cleanup.callback(_install_interrupts(control, on_interrupt))
        created_at = (read_status(paths.status) or {}).get("created_at", iso(clock()))
        status = StatusWriter(paths.status, clock=clock, total=len(plans), backend=backend.name,
                              model=backend.model, created_at=created_at, started_at=iso(clock()), last_error=None)
        if batch:
            _report_batches(backend, status)
        control.on_stop = lambda reason: status.update(state="cancelling", message=reason)
        processes = worker_count(workers, config, backend, generate, len(plans) - writer.state.next_index)
        session = _Session(config, paths, writer, backend, clock, status, on_progress, generate, processes)
        status.update(state="running", **session.progress_fields())
        try:
            await session.generate(plans, control)
            if session.stop_message or session.next_index < len(plans):
                session.checkpoint()
                state = "stopped" if session.stop_message else "cancelled"
                message = (f"{session.stop_message or control.reason} after {session.next_index} of {len(plans)} "
                           f"examples; the checkpoint in {paths.checkpoints} keeps them: run again with the same "
                           "config to resume")
                status.update(state=state, message=message, **session.progress_fields())
                return RunResult(state, message, len(plans), session.stats, paths)
            metadata = session.finish(plans, shard=shard, batch=batch)
        except BaseException as error:
            if session.next_index > writer.state.next_index:
                session.checkpoint()
            status.update(state="failed", last_error=f"{type(error).__name__}: {error}", message=str(error))
            raise
        message = f"{session.stats.accepted} examples written to {paths.examples}"
        status.update(state="completed", message=message, **session.progress_fields())
        return RunResult("completed", message, len(plans), session.stats, paths, metadata)


def run(config: RunConfig, paths: RunPaths, **options: Any) -> RunResult:
    """`run_async` for synchronous callers (the terminal script, tests)."""
    return asyncio.run(run_async(config, paths, **options))


def unique_run_dir(root: str | os.PathLike[str], base: str) -> Path:
    """Create and return `root/base`, or `base-2`, `base-3`... when taken (safe between processes)."""
    root_path = Path(root)
    root_path.mkdir(parents=True, exist_ok=True)
    suffix = 1
    while True:
        run_dir = root_path / (base if suffix == 1 else f"{base}-{suffix}")
        try:
            run_dir.mkdir()
            return run_dir
        except FileExistsError:
            suffix += 1


def create_run_dir(root: str | os.PathLike[str], config: RunConfig, *, clock: Clock = utc_clock) -> Path:
    """A new queued run directory under `root` holding its config.json (the studio's first step)."""
    run_dir = unique_run_dir(root, f"{clock():%Y%m%d-%H%M%S}-{config.fingerprint()[:8]}")
    paths = RunPaths.for_run_dir(run_dir)
    write_json(paths.config, config.to_dict())
    StatusWriter(paths.status, clock=clock, pid=None, total=config.count, done=0,
                 created_at=iso(clock())).update(state="queued", force=True)
    return run_dir


_EXIT_CODES = {"completed": 0, "cancelled": 130, "stopped": 1, "failed": 1}


def main(argv: list[str] | None = None) -> int:
    """Run a studio-created run directory in this process; the API key comes from the environment."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m core.runner RUN_DIR", file=sys.stderr)
        return 2
    paths = RunPaths.for_run_dir(args[0])
    try:
        config = load_config(paths.config)
        result = run(config, paths, resume=True, handle_signals=True, batch=config.batch)
    except Exception as error:  # one line for the log; status.json says so too
        previous = read_status(paths.status) or {}
        if previous.get("state") != "failed":  # failed before run_async could record it (e.g. a bad key)
            StatusWriter(paths.status, clock=utc_clock, **previous).update(
                state="failed", message=str(error), last_error=f"{type(error).__name__}: {error}", force=True)
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(result.message)
    return _EXIT_CODES[result.state]


if __name__ == "__main__":
    sys.exit(main())
