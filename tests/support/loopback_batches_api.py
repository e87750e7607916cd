"""The Message Batches endpoints on the loopback server: create, list, retrieve, results (JSONL).

Each request of a batch is answered when the batch ends by the server's own
Messages endpoint (`_next`: the scripted replies in order, or the weather
agent's), so the batch "model" is whatever `/v1/messages` would have said, and
a non-200 reply becomes an `errored` entry. Tests steer the rest: how many polls
a batch stays `in_progress` (it lives in the server, so it outlasts a client
restart), which entries come back errored, expired or canceled, and results
always arrive shuffled, never in request order. `submitted` lists every
custom_id ever submitted, to prove nothing was paid for twice.
"""
from __future__ import annotations

import json
import random
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.loopback_http import LoopbackServer, Received
from tests.support.loopback_messages_api import PATH as MESSAGES_PATH
from tests.support.loopback_weather_agent import WeatherAgentServer

BATCHES_PATH = "/v1/messages/batches"
_CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_MOMENT = "2026-01-01T00:00:00Z"
_SERVER_ERROR = {"type": "error", "error": {"type": "api_error", "message": "Internal server error"}}


@dataclass
class _Batch:
    id: str
    requests: list[dict]
    polls_left: int
    results: list[dict] | None = None
    counts: dict[str, int] = field(default_factory=dict)
    created_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"))


class BatchesLoopback(LoopbackServer):
    """A loopback server that also speaks Message Batches (mix in before a `LoopbackServer` subclass)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._batch_lock = threading.Lock()
        self._batches: dict[str, _Batch] = {}
        self._outcomes: deque[str] = deque()
        self.polls_before_end = 0
        self.submitted: list[str] = []
        super().__init__(*args, **kwargs)

    @property
    def batch_ids(self) -> list[str]:
        """Every batch created, in order."""
        with self._batch_lock:
            return list(self._batches)

    def end_next_with(self, *result_types: str) -> None:
        """The next requests to be processed end as these (`errored`, `expired`, `canceled`) instead."""
        with self._batch_lock:
            self._outcomes.extend(result_types)

    def reset(self) -> None:
        with self._batch_lock:
            self._batches.clear()
            self._outcomes.clear()
            self.submitted.clear()
            self.polls_before_end = 0
        super().reset()

    def _create(self, body: dict) -> tuple[int, dict]:
        requests = body.get("requests")
        problems = [] if isinstance(requests, list) and requests else ["requests: must be a non-empty list"]
        ids = [request.get("custom_id", "") for request in requests or []]
        problems += [f"requests.{i}.custom_id: {cid!r} must match ^[a-zA-Z0-9_-]{{1,64}}$"
                     for i, cid in enumerate(ids) if not _CUSTOM_ID.match(cid)]
        if len(set(ids)) != len(ids):
            problems.append("requests: custom_id values must be unique within a batch")
        if problems:
            return 400, _error_body("invalid_request_error", "; ".join(problems))
        with self._batch_lock:
            batch = _Batch(f"msgbatch_loopback_{len(self._batches) + 1:04d}", requests, self.polls_before_end)
            self._batches[batch.id] = batch
            self.submitted.extend(ids)
            return 200, self._batch_body(batch)

    def _list(self) -> dict:
        with self._batch_lock:
            data = [self._batch_body(batch) for batch in reversed(self._batches.values())]  # newest first
        return {"data": data, "has_more": False, "first_id": data[0]["id"] if data else None,
                     "last_id": data[-1]["id"] if data else None}

    def _retrieve(self, batch_id: str) -> tuple[int, dict]:
        with self._batch_lock:
            batch = self._batches.get(batch_id)
            if batch is None:
                return 404, _error_body("not_found_error", f"no batch {batch_id}")
            if batch.results is None and batch.polls_left > 0:
                batch.polls_left -= 1
            elif batch.results is None:
                self._end(batch)
            return 200, self._batch_body(batch)

    def _end(self, batch: _Batch) -> None:
        results = []
        for request in batch.requests:
            outcome = self._outcomes.popleft() if self._outcomes else None
            if outcome is None:
                reply = self._next(Received(MESSAGES_PATH, {}, request["params"]))
                result = {"type": "succeeded", "message": reply.body} if reply.status == 200 else \
                    {"type": "errored", "error": reply.body}
            else:
                result = {"type": outcome, **({"error": _SERVER_ERROR} if outcome == "errored" else {})}
            results.append({"custom_id": request["custom_id"], "result": result})
        shuffled = list(results)
        random.Random(batch.id).shuffle(shuffled)
        if len(results) > 1 and shuffled == results:
            shuffled.reverse()
        batch.results = shuffled
        batch.counts = {kind: sum(r["result"]["type"] == kind for r in results)
                        for kind in ("succeeded", "errored", "expired", "canceled")}

    def _batch_body(self, batch: _Batch) -> dict:
        ended = batch.results is not None
        counts = {"processing": 0 if ended else len(batch.requests), "succeeded": 0, "errored": 0,
                  "expired": 0, "canceled": 0, **batch.counts}
        return {"id": batch.id, "type": "message_batch", "processing_status": "ended" if ended else "in_progress",
                "request_counts": counts, "created_at": batch.created_at, "expires_at": _MOMENT,
                "ended_at": _MOMENT if ended else None, "archived_at": None, "cancel_initiated_at": None,
                "results_url": f"{self.base_url}{BATCHES_PATH}/{batch.id}/results" if ended else None}

    def _results(self, batch_id: str) -> tuple[int, bytes]:
        with self._batch_lock:
            batch = self._batches.get(batch_id)
            if batch is None or batch.results is None:
                return 404, json.dumps(_error_body("not_found_error", f"no results for {batch_id}")).encode()
            return 200, b"".join(json.dumps(line).encode() + b"\n" for line in batch.results)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self
        base = super()._handler_class()

        class Handler(base):  # type: ignore[misc, valid-type]
            def do_POST(self) -> None:  # noqa: N802
                if self.path.split("?")[0] != BATCHES_PATH:
                    return super().do_POST()
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                status, reply = server._create(body)
                _send(self, status, json.dumps(reply).encode())

            def do_GET(self) -> None:  # noqa: N802
                if self.path.split("?")[0] == BATCHES_PATH:
                    return _send(self, 200, json.dumps(server._list()).encode())
                parts = self.path.split("?")[0].removeprefix(BATCHES_PATH + "/").split("/")
                if parts[-1] == "results":
                    _send(self, *server._results(parts[0]), content_type="application/binary")
                else:
                    status, reply = server._retrieve(parts[0])
                    _send(self, status, json.dumps(reply).encode())

        return Handler


class BatchWeatherAgent(BatchesLoopback, WeatherAgentServer):
    """A batch API whose model is the loopback weather agent: valid, grounded tool-use conversations."""


def _error_body(error_type: str, message: str) -> dict:
    return {"type": "error", "error": {"type": error_type, "message": message}}


def _send(handler: BaseHTTPRequestHandler, status: int, payload: bytes, *, content_type: str = "application/json") -> None:
    handler.send_response(status)
    handler.send_header("content-type", content_type)
    handler.send_header("content-length", str(len(payload)))
    if status >= 400:
        handler.send_header("x-should-retry", "false")
    handler.end_headers()
    handler.wfile.write(payload)
