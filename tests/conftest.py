"""Fixtures several test files share: the loopback API server, started once per session."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import loopback_chat_completions, loopback_messages_api
from tests.support.loopback_batches_api import BatchesLoopback
from tests.support.loopback_http import LoopbackServer


@pytest.fixture(scope="session")
def _loopback_session() -> Iterator[LoopbackServer]:
    server = BatchesLoopback(
        {
            loopback_messages_api.PATH: loopback_messages_api.validate_request,
            loopback_chat_completions.PATH: loopback_chat_completions.validate_request,
        }
    )
    yield server
    server.close()


@pytest.fixture
def loopback(_loopback_session: LoopbackServer) -> Iterator[LoopbackServer]:
    """The session's server with an empty script and request log for this test."""
    _loopback_session.reset()
    yield _loopback_session
    _loopback_session.reset()
