"""A scripted HTTP server on 127.0.0.1 for pointing the real SDKs at.

Each test queues the replies it wants, in order; the server records every
request it receives and checks it with the protocol's validator (a request the
real API would refuse gets the 400 the real API would send). A `hang` reply
never answers until the test ends, so the client's own timeout fires; a
`drop` reply closes the connection at once, unanswered.
"""
from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Validator = Callable[[dict], list[str]]


@dataclass(frozen=True)
class Scripted:
    status: int = 200
    body: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False
    drop: bool = False


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: dict


class LoopbackServer:
    def __init__(self, validators: dict[str, Validator]) -> None:
        self._validators = validators
        self._replies: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._release = threading.Event()
        self.received: list[Received] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *replies: Scripted) -> None:
        with self._lock:
            self._replies.extend(replies)

    def reset(self) -> None:
        """Forget replies and requests, and let any hanging handler go."""
        self._release.set()
        with self._lock:
            self._replies.clear()
            self.received.clear()
        self._release = threading.Event()

    def close(self) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next(self, received: Received) -> Scripted:
        problems = self._validators.get(received.path, lambda _: [f"unknown path {received.path}"])(received.body)
        with self._lock:
            self.received.append(received)
            if problems:
                return _error(400, "; ".join(problems))
            if not self._replies:
                return _error(500, "loopback: no scripted reply left for this request")
            return self._replies.popleft()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # one small reply must not wait for a delayed ACK

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                received = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, json.loads(raw or b"{}"))
                reply = server._next(received)
                if reply.hang or reply.drop:
                    if reply.hang:
                        server._release.wait(timeout=10)
                    self.close_connection = True
                    return
                payload = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
                return

        return Handler


def _error(status: int, message: str) -> Scripted:
    """An error both protocols' SDKs read; `x-should-retry: false` keeps the SDK from retrying it."""
    return Scripted(
        status,
        {"type": "error", "error": {"type": "invalid_request_error", "message": message}},
        {"x-should-retry": "false"},
    )
