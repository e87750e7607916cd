"""A Reader that reads a conversation on from where it stopped gives what reading it from the start gives."""
import asyncio

import pytest

from core.backends.offline import OfflineBackend
from core.backends.offline_reading import OfflineReadingError, Reader, read
from core.config import RunConfig
from core.generation import run_conversation
from core.plan import build_plans

PLANS = build_plans(RunConfig(count=120, seed=5))


def conversation(plan):
    messages, _ = asyncio.run(run_conversation(plan, OfflineBackend(seed=2)))
    return messages[1:]  # the reader sees no system message


def steps(messages):
    """The conversation as the assistant saw it at each of its turns."""
    return [messages[:i] for i, message in enumerate(messages) if message["role"] == "assistant"]


@pytest.mark.parametrize("plan", PLANS, ids=lambda plan: f"{plan.index}-{plan.scenario}")
def test_reading_on_step_by_step_gives_what_reading_from_the_start_gives(plan):
    reader = Reader(plan, 2)
    for seen in steps(conversation(plan)):
        assert reader.read(seen) == read(plan, seen, backend_seed=2)


def test_a_conversation_that_does_not_continue_the_last_one_is_read_from_the_start():
    plan = next(plan for plan in PLANS if len(plan.follow_ups) == 2)
    earlier, later = steps(conversation(plan))[1], steps(conversation(plan))[-1]
    reader = Reader(plan, 2)
    reader.read(later)
    assert reader.read(earlier) == read(plan, earlier, backend_seed=2)
    changed = [*earlier[:-1], {**earlier[-1], "content": earlier[-1]["content"].replace("1", "2")}]
    reader.read(earlier)
    assert reader.read(changed) == read(plan, changed, backend_seed=2)


def test_a_broken_continuation_raises_what_reading_from_the_start_raises():
    plan = next(plan for plan in PLANS if plan.scenario == "success")
    first = steps(conversation(plan))[0]
    reader = Reader(plan, 2)
    call = reader.read(first)
    unanswered = [*first, {"role": "assistant", "content": None, "tool_calls": [
        {"id": "call_x", "type": "function", "function": {"name": call.name, "arguments": "{}"}}]}]
    with pytest.raises(OfflineReadingError) as from_start:
        read(plan, unanswered, backend_seed=2)
    with pytest.raises(OfflineReadingError) as read_on:
        reader.read(unanswered)
    assert str(read_on.value) == str(from_start.value)
