"""Offline examples generated in worker processes, handed back in plan order.

The offline pipeline is CPU-bound Python, so one process uses one core. Worker
processes (forked, so they start at once with the parent's imports) each run
core.generation on a chunk of plans and return the outcomes; the runner commits
them strictly in plan order, exactly as it commits examples generated in its
own process, so the output bytes do not depend on the number of workers.
"""
from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import aclosing
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.backends import Backend, create_backend
from core.backends.metrics import BackendMetrics
from core.config import RunConfig
from core.data_loader import record_row
from core.generation import ExampleOutcome, generate_example
from core.ordered_completion import finished_in_order
from core.output_writer import record_line
from core.plan import ExamplePlan
from core.run_status import iso
from core.weather import prepare_city_climates

if TYPE_CHECKING:
    from core.runner import RunControl

CHUNK = 64                 # plans per task at most: each round trip costs the parent about a millisecond
MIN_CHUNK = 8              # and at least (never above CHUNK): the last tasks are small, so no worker idles long
CHUNKS_PER_WORKER = 3      # tasks queued per worker, so none waits for the parent between chunks
MIN_PLANS_PER_WORKER = 100  # below this a worker's start-up (cold caches) costs more than it saves
MAX_WORKERS = 4
_PARENT_POLL_S = 1.0

Result = tuple[ExampleOutcome | None, BaseException | None]

_worker: dict[str, Any] = {}


def default_workers(remaining: int) -> int:
    """Worker processes worth starting for `remaining` offline examples on this machine (1 = none)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS, remaining // MIN_PLANS_PER_WORKER))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


async def in_worker_processes(plans: list[ExamplePlan], config: RunConfig, clock: Callable[[], datetime],
                              workers: int, backend: Backend,
                              control: RunControl) -> AsyncIterator[tuple[ExamplePlan, asyncio.Future]]:
    """Generate `plans` in `workers` processes; yield (plan, finished future) in plan order.

    Each worker's backend metrics are added to `backend.metrics` as its chunks come back.
    On a stop request no more chunks are queued; finished ones are still yielded in order
    up to the first unfinished, and the rest are cancelled or dropped.
    """
    loop = asyncio.get_running_loop()
    prepare_city_climates()  # once here rather than once in every worker
    frozen_here = gc.get_freeze_count() == 0  # a caller's own freeze is left as it was
    gc.freeze()  # workers' collections skip the inherited heap instead of touching (copying) its pages
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker,
                               initargs=(config, clock, os.getpid()))
    chunks = _chunks(plans, workers * CHUNKS_PER_WORKER)

    def submit(chunk: list[ExamplePlan]) -> asyncio.Future:
        return asyncio.wrap_future(pool.submit(_generate_chunk, chunk))

    try:
        async with aclosing(finished_in_order(chunks, submit, workers * CHUNKS_PER_WORKER, control)) as finished:
            async for chunk, done in finished:
                results, metrics = done.result()
                backend.metrics.add(metrics)
                for plan, (outcome, error) in zip(chunk, results):
                    example = loop.create_future()
                    if error is not None:
                        example.set_exception(error)
                    else:
                        example.set_result(outcome)
                    yield plan, example
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if frozen_here:
            gc.unfreeze()


def _chunks(plans: list[ExamplePlan], in_flight: int) -> list[list[ExamplePlan]]:
    """The plans in tasks that shrink towards the end (guided scheduling): a task takes its share
    of what is left among the `in_flight` ones, between MIN_CHUNK and CHUNK plans."""
    chunks, start = [], 0
    while start < len(plans):
        size = max(min(MIN_CHUNK, CHUNK), min(CHUNK, (len(plans) - start) // in_flight))
        chunks.append(plans[start:start + size])
        start += size
    return chunks


def _start_worker(config: RunConfig, clock: Callable[[], datetime], parent: int) -> None:
    """Set up a worker: its own offline backend; interrupts are the parent's to handle."""
    signal.set_wakeup_fd(-1)  # the forked copy of the parent's event-loop wakeup must not fire
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker.update(config=config, clock=clock, backend=create_backend("offline", seed=config.seed),
                   loop=asyncio.new_event_loop())  # one loop for every chunk: asyncio.run costs milliseconds
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A parent that exits at once (a second Ctrl+C) cannot shut the pool down: go with it."""
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_S)
    os._exit(1)


def _generate_chunk(plans: list[ExamplePlan]) -> tuple[list[Result], BackendMetrics]:
    """Outcomes (or the error each raised) of a chunk of plans, and the backend metrics it cost."""
    results = _worker["loop"].run_until_complete(_generate_all(plans))
    return results, _worker["backend"].metrics.take()


async def _generate_all(plans: list[ExamplePlan]) -> list[Result]:
    config, clock, backend = _worker["config"], _worker["clock"], _worker["backend"]
    results: list[Result] = []
    for plan in plans:
        try:
            outcome = await generate_example(plan, backend, config=config, clock=lambda: iso(clock()))
            results.append((_as_reported(outcome), None))
        except Exception as error:  # noqa: BLE001 (re-raised by the parent when it commits this plan)
            results.append((None, error))
    return results


def _as_reported(outcome: ExampleOutcome) -> ExampleOutcome:
    """The outcome with as much as the parent commits: all of a rejected example; of an accepted
    one its line, row, and the verdicts and score of its validation (the record itself, its findings
    and claims would be thousands of small objects to send and rebuild for nothing)."""
    result = outcome.validation
    if result is None or not result.passed:
        return outcome
    groundedness = result.groundedness and result.groundedness.without_claims()
    return replace(outcome, record=None, line=record_line(outcome.record),
                   row=record_row(outcome.record),
                   validation=replace(result, findings=[], groundedness=groundedness))
