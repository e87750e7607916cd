"""Claude through the Message Batches API: every conversation advances one step per round, at half price.

The generation loop is unchanged: each conversation still awaits one turn at
a time. Here a turn becomes a request in a queue; when the event loop has gone
quiet (every live conversation is waiting on its next turn) the queue goes out
as one batch (more when it exceeds the API's size limits), the batch is polled
until it ends, and its results, which arrive in any order, are matched back by
`custom_id`. Tool calls run locally in between, inside the conversations.

Durability (see `core.batch_journal`): results are journaled before they are
used, and a batch's id and requests are recorded before it is polled. A
resumed run replays its conversations: journaled requests are answered from
disk, requests of a recorded batch wait for that batch, so nothing is
submitted twice. A batch is also noted just before it is created: after a
crash between its creation and its record, the resumed run looks for it in
the API's list (created since the note, same number of requests, not
recorded) and waits for it instead of paying again; its results are matched
by custom_id and request hash, so a wrong guess costs a resubmission, never a
wrong answer. Errored, expired and canceled entries go into the next round, up
to `entry_retries` times.
"""
from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

from core.backends import BackendConfigError
from core.backends.anthropic_backend import AnthropicBackend
from core.backends.anthropic_messages import assistant_from_blocks, system_blocks, to_anthropic, tools_to_anthropic
from core.backends.base import AssistantTurn, BackendError, MalformedOutput, TurnRequest, Usage, UserTurnRequest
from core.backends.metrics import BackendMetrics
from core.backends.sdk_backend import Reply, checked_turn, checked_user_text, simulated_user_dialogue
from core.batch_journal import BatchJournal, JournaledResult, Submission, params_hash

T = TypeVar("T")

MAX_BATCH_REQUESTS = 100_000
MAX_BATCH_BYTES = 200 * 1024 * 1024  # the API takes 256 MB; the margin covers the JSON around the params
DEFAULT_POLL_INTERVAL_S = 30.0
DEFAULT_ENTRY_RETRIES = 3
SETTLE_TURNS = 20  # event-loop turns without a new request before a round goes out
LIVE_CONVERSATIONS = 10_000  # conversations kept going at once, so at most this many requests a round
MAX_POLL_ERRORS = 10  # failed polls in a row (each after the SDK's own retries) before a round gives up
CLOCK_SKEW = timedelta(seconds=10)  # how far the API's clock may lag ours when finding an unrecorded batch
LIST_PAGE = 100

# Error types of an `errored` result -> (failure kind, worth another round).
_ERROR_TYPES = {
    "invalid_request_error": ("bad_request", False),
    "request_too_large": ("bad_request", False),
    "authentication_error": ("auth", False),
    "permission_error": ("permission", False),
    "not_found_error": ("not_found", False),
    "billing_error": ("quota", False),
    "rate_limit_error": ("rate_limit", True),
    "timeout_error": ("timeout", True),
    "overloaded_error": ("overloaded", True),
    "api_error": ("server", True),
}
_UNPROCESSED = {
    "expired": ("timeout", "the batch expired (after 24 h) before this request was processed"),
    "canceled": ("server", "the batch was canceled before this request was processed"),
}
_MISSING = {"type": "errored", "error": {"error": {"type": "api_error",
                                                  "message": "the request was missing from the batch's results"}}}


def custom_id(plan: Any, role: str, number: int) -> str:
    """`i41-s<attempt seed>-a3`: plan index, attempt seed, role (u)ser or (a)ssistant and its turn or step."""
    return f"i{plan.index}-s{plan.seed:016x}-{role}{number}"


def result_error(result: dict[str, Any], model: str, request_id: str) -> BackendError:
    """The failure an errored, expired or canceled batch entry stands for."""
    if result["type"] in _UNPROCESSED:
        kind, detail = _UNPROCESSED[result["type"]]
        retryable = True
    else:
        error = (result.get("error") or {}).get("error") or {}
        kind, retryable = _ERROR_TYPES.get(error.get("type"), ("server", True))
        detail = f"{error.get('type', 'error')}: {error.get('message', 'no message')}"
    return BackendError(kind, f"anthropic batch ({model}) {kind}: request {request_id}: {detail}", retryable=retryable)


def reply_from_message(message: dict[str, Any]) -> Reply:
    """A succeeded entry's message (as journaled) as the reply the turn checks read."""
    usage = message.get("usage") or {}
    return Reply(
        message=assistant_from_blocks(message["content"]),
        usage=Usage(**{name: usage.get(name) or 0 for name in Usage.__dataclass_fields__}),
        truncated=message.get("stop_reason") == "max_tokens",
        headers={},
    )


@dataclass
class _Request:
    custom_id: str
    params: dict[str, Any]
    params_hash: str
    future: asyncio.Future
    failures: int = 0


@dataclass
class BatchProgress:
    """What a watcher sees of batch mode: rounds, requests waiting on the API, the batches' own counts."""

    rounds: int = 0
    queued: int = 0
    replayed: int = 0
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> status and request_counts

    def to_dict(self, cost_usd: float | None) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for batch in self.batches.values():
            for name, value in batch["request_counts"].items():
                counts[name] = counts.get(name, 0) + value
        return {"mode": "batch", "rounds": self.rounds, "queued": self.queued, "in_flight": sum(counts.values()),
                "replayed_from_journal": self.replayed, "batches": {k: dict(v) for k, v in self.batches.items()},
                "request_counts": counts, "cost_usd": cost_usd}


def describe_progress(progress: dict[str, Any]) -> str:
    """One line for a terminal: `round 3 · 1,200 in flight (800 processing, 400 succeeded) · $1.2300 so far`."""
    counts = ", ".join(f"{value:,} {name}" for name, value in progress["request_counts"].items() if value)
    cost = progress["cost_usd"]
    return (f"round {progress['rounds']} · {progress['in_flight']:,} in flight" + (f" ({counts})" if counts else "")
            + (f" · ${cost:.4f} so far at the batch price" if cost is not None else ""))


class AnthropicBatchBackend(AnthropicBackend):
    """The Anthropic backend over Message Batches. `journal_dir` (a run's checkpoint folder) is
    opened at the first request, so a fresh start may clear it before then. `on_progress`,
    when set, is called with `progress()` after every submission and poll."""

    def __init__(
        self,
        *,
        journal_dir: str | os.PathLike[str],
        poll_interval_s: float = DEFAULT_POLL_INTERVAL_S,
        entry_retries: int = DEFAULT_ENTRY_RETRIES,
        max_batch_requests: int = MAX_BATCH_REQUESTS,
        max_batch_bytes: int = MAX_BATCH_BYTES,
        live_conversations: int = LIVE_CONVERSATIONS,
        sleep: Callable[[float], Any] = asyncio.sleep,
        **options: Any,
    ) -> None:
        super().__init__(sleep=sleep, **options)
        self.metrics = BackendMetrics(self.model, batch=True)
        self.on_progress: Callable[[dict[str, Any]], None] | None = None
        self.live_conversations = live_conversations
        self._journal_dir = Path(journal_dir)
        self._journal: BatchJournal | None = None
        self._poll_interval_s = poll_interval_s
        self._entry_retries = entry_retries
        self._max_requests = max_batch_requests
        self._max_bytes = max_batch_bytes
        self._sleep = sleep
        self._queue: list[_Request] = []
        self._attached: dict[str, dict[str, _Request]] = {}  # recorded batch id -> its waiting requests
        self._arrivals = 0
        self._has_work = asyncio.Event()
        self._collector: asyncio.Task | None = None
        self._progress = BatchProgress()

    # -- the two turns ------------------------------------------------------------------------

    async def assistant_turn(self, request: TurnRequest) -> AssistantTurn:
        tools = tools_to_anthropic(request.tools)
        params = self._params(system=system_blocks(request.system), messages=to_anthropic(request.messages),
                              **({"tools": tools} if tools else {}))
        names = {tool["function"]["name"] for tool in request.tools}
        return await self._turn(custom_id(request.plan, "a", request.step), params,
                                lambda reply: checked_turn(reply, names))

    async def user_turn(self, request: UserTurnRequest) -> str:
        system, messages = simulated_user_dialogue(request)
        return await self._turn(custom_id(request.plan, "u", request.turn),
                                self._params(system=system, messages=messages), checked_user_text)

    def _params(self, **params: Any) -> dict[str, Any]:
        temperature = self.settings.temperature
        return {"model": self.model, "max_tokens": self.settings.max_tokens,
                **({"temperature": temperature} if temperature is not None else {}), **params}

    async def _turn(self, request_id: str, params: dict[str, Any], check: Callable[[Reply], T]) -> T:
        started = self._clock()
        message, replayed = await self._answer(request_id, params)
        reply = reply_from_message(message)
        try:
            value = check(reply)
        except MalformedOutput:
            if not replayed:
                self.metrics.record_failure("malformed", self._clock() - started, reply.usage)
            raise
        if not replayed:
            self.metrics.record_success(reply.usage, self._clock() - started)
        return value

    # -- one request: from the journal, a recorded batch, or the next round ----------------------

    def _opened_journal(self) -> BatchJournal:
        if self._journal is None:
            self._journal = BatchJournal(self._journal_dir)
        return self._journal

    async def _answer(self, request_id: str, params: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The succeeded message for this request and whether it came from the journal."""
        journal = self._opened_journal()
        digest = params_hash(params)
        journaled = journal.answer(request_id, digest)
        if journaled is not None:
            self._progress.replayed += 1
            return journaled["message"], True
        failures, last = journal.failures(request_id, digest)
        request = _Request(request_id, params, digest, asyncio.get_running_loop().create_future(), failures)
        if last is not None and not self._worth_another_round(request, result_error(last, self.model, request_id)):
            raise result_error(last, self.model, request_id)
        recorded = journal.recorded_batch(request_id, digest)
        if recorded is not None:
            self._attached.setdefault(recorded, {})[request_id] = request
        else:
            self._queue.append(request)
        self._arrived()
        return await request.future, False

    def _worth_another_round(self, request: _Request, error: BackendError) -> bool:
        return error.retryable and request.failures <= self._entry_retries

    def _arrived(self) -> None:
        self._arrivals += 1
        self._has_work.set()
        if self._collector is None:
            self._collector = asyncio.ensure_future(self._rounds())

    # -- rounds ---------------------------------------------------------------------------------

    async def _rounds(self) -> None:
        while True:
            await self._has_work.wait()
            await self._settle()
            self._has_work.clear()
            new, attached = [r for r in self._queue if not r.future.done()], self._attached
            self._queue, self._attached = [], {}
            if not (new or attached):  # every waiting conversation was cancelled meanwhile
                continue
            try:
                await self._round(new, attached)
            except Exception as error:  # a bug must reach the waiting conversations, never hang them
                everyone = new + self._queue + [r for waiting in attached.values() for r in waiting.values()]
                for request in everyone:
                    self._fail(request, error)
                self._queue = []

    async def _settle(self) -> None:
        """Return once SETTLE_TURNS event-loop turns pass without a new request."""
        seen, quiet = self._arrivals, 0
        while quiet < SETTLE_TURNS:
            await asyncio.sleep(0)
            quiet = quiet + 1 if self._arrivals == seen else 0
            seen = self._arrivals

    async def _round(self, new: list[_Request], attached: dict[str, dict[str, _Request]]) -> None:
        self._progress.rounds += 1
        self._progress.queued = 0
        new, reclaimed = await self._reclaim(new)
        attached = {**attached, **reclaimed}
        waits = [self._collect(batch_id, waiting) for batch_id, waiting in attached.items()]
        for chunk in self._chunks(new):
            batch_id = await self._create(chunk)
            if batch_id is not None:
                waits.append(self._collect(batch_id, {request.custom_id: request for request in chunk}))
        await asyncio.gather(*waits)
        self._progress.queued = len(self._queue)
        self._report()

    def _chunks(self, requests: list[_Request]) -> list[list[_Request]]:
        """Requests split into batches within the API's count and size limits."""
        chunks: list[list[_Request]] = []
        size = 0
        for request in requests:
            request_size = len(json.dumps(request.params)) + len(request.custom_id) + 40
            if not chunks or len(chunks[-1]) >= self._max_requests or size + request_size > self._max_bytes:
                chunks.append([])
                size = 0
            chunks[-1].append(request)
            size += request_size
        return chunks

    async def _reclaim(self, new: list[_Request]) -> tuple[list[_Request], dict[str, dict[str, _Request]]]:
        """Requests of a batch a crash left unrecorded wait for it, if the API has it; the rest go out anew."""
        journal = self._opened_journal()
        submission = journal.submission()
        if submission is None:
            return new, {}
        if any(journal.recorded_batch(*request) for request in submission.requests.items()):
            batch_id = None  # recorded after all: the crash came just before the note was removed
        else:
            batch_id = await self._find_created(submission, journal.recorded_batches())
            if batch_id is not None:
                journal.batch_submitted(batch_id, submission.requests)
        journal.submission_settled()
        waiting = {request.custom_id: request for request in new
                   if batch_id is not None and submission.requests.get(request.custom_id) == request.params_hash}
        return [request for request in new if request.custom_id not in waiting], {batch_id: waiting} if waiting else {}

    async def _find_created(self, submission: Submission, recorded: set[str]) -> str | None:
        """The first batch created since the note with as many requests and no record, or None."""
        found = None
        try:
            async for batch in self._client.messages.batches.list(limit=LIST_PAGE):  # newest first
                if batch.created_at < submission.since - CLOCK_SKEW:
                    break
                counts = batch.request_counts
                total = counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired
                if total == len(submission.requests) and batch.id not in recorded:
                    found = batch.id
        except self.sdk.APIError as err:
            raise self._failure(err) from None  # the note stays: the next attempt looks again
        return found

    async def _create(self, chunk: list[_Request]) -> str | None:
        """Submit one batch and record it before anything else; None (and the requests failed) if refused."""
        journal = self._opened_journal()
        requests = {request.custom_id: request.params_hash for request in chunk}
        journal.batch_submitting(requests, datetime.now(timezone.utc))
        try:
            batch = await self._client.messages.batches.create(
                requests=[{"custom_id": request.custom_id, "params": request.params} for request in chunk])
        except self.sdk.APIError as err:
            journal.submission_settled()
            failure = self._failure(err)
            for request in chunk:
                self._fail(request, failure)
            return None
        journal.batch_submitted(batch.id, requests)
        journal.submission_settled()
        self._observe(batch)
        return batch.id

    async def _collect(self, batch_id: str, waiting: dict[str, _Request]) -> None:
        """Poll a batch until it ends, journal its results, then answer (or re-queue) its requests."""
        try:
            await self._poll_until_ended(batch_id)
            results = await self._results(batch_id)
        except BackendError as failure:  # the batch stays recorded: a restarted run polls it again
            for request in waiting.values():
                self._fail(request, failure)
            self._progress.batches.pop(batch_id, None)
            return
        journal = self._opened_journal()
        journal.append(results)
        journal.batch_journaled(batch_id)
        self._progress.batches.pop(batch_id, None)
        by_id = {entry.custom_id: entry for entry in results}
        for request in waiting.values():  # in submission order, whatever order the results came in
            entry = by_id.get(request.custom_id)
            self._settle_request(request, entry.result if entry and entry.params_hash == request.params_hash else _MISSING)

    async def _poll_until_ended(self, batch_id: str) -> None:
        errors = 0
        while True:
            try:
                batch = await self._client.messages.batches.retrieve(batch_id)
            except self.sdk.APIError as err:
                failure = self._failure(err)
                errors += 1
                if not failure.retryable or errors >= MAX_POLL_ERRORS:
                    raise failure from None
            else:
                errors = 0
                self._observe(batch)
                if batch.processing_status == "ended":
                    return
            await self._sleep(self._poll_interval_s)

    async def _results(self, batch_id: str) -> list[JournaledResult]:
        hashes = self._opened_journal().batch_requests(batch_id)
        try:
            stream = await self._client.messages.batches.results(batch_id)
            return [JournaledResult(item.custom_id, hashes.get(item.custom_id, ""), _compact(item.result))
                    async for item in stream]
        except self.sdk.APIError as err:
            raise self._failure(err) from None

    def _settle_request(self, request: _Request, result: dict[str, Any]) -> None:
        if request.future.done():  # its conversation was cancelled meanwhile
            return
        if result["type"] == "succeeded":
            request.future.set_result(result["message"])
            return
        request.failures += 1
        error = result_error(result, self.model, request.custom_id)
        self.metrics.record_failure(error.kind, 0.0)
        if self._worth_another_round(request, error):
            self.metrics.record_retry()
            self._queue.append(request)
            self._arrived()
        else:
            request.future.set_exception(error)

    def _fail(self, request: _Request, failure: BackendError) -> None:
        if not request.future.done():
            request.future.set_exception(failure)

    # -- progress -------------------------------------------------------------------------------

    def _observe(self, batch: Any) -> None:
        self._progress.batches[batch.id] = {"processing_status": batch.processing_status,
                                            "request_counts": batch.request_counts.model_dump()}
        self._report()

    def progress(self) -> dict[str, Any]:
        """Rounds, requests queued and in flight, each live batch's counts, and the cost so far (batch price)."""
        return self._progress.to_dict(self.metrics.snapshot()["cost_usd"])

    def _report(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.progress())

    async def aclose(self) -> None:
        if self._collector is not None:
            self._collector.cancel()
            await asyncio.gather(self._collector, return_exceptions=True)
        if self._journal is not None:
            self._journal.close()
        await super().aclose()


def _compact(result: Any) -> dict[str, Any]:
    """A result as the journal keeps it: a succeeded message's content, stop reason and usage only."""
    data = result.model_dump(mode="json", warnings=False)
    if data["type"] == "succeeded":
        message = data["message"]
        data["message"] = {"content": message["content"], "stop_reason": message.get("stop_reason"),
                           "usage": message.get("usage") or {}}
    return data


def check_batch_backend(backend: str) -> None:
    """Only Anthropic has a Message Batches API; BackendConfigError for any other backend."""
    if backend != "anthropic":
        raise BackendConfigError(f"batch mode runs on Anthropic's Message Batches API, which the {backend} backend "
                                 "does not have; use --backend anthropic or leave out --batch")


def create_batch_backend(backend: str, **options: Any) -> AnthropicBatchBackend:
    """Batch mode for a run on `backend`."""
    check_batch_backend(backend)
    return AnthropicBatchBackend(**options)
