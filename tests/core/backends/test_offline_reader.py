"""A Reader that reads a conversation on from where it stopped gives what reading it from the start gives."""
import asyncio
import re

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


def test_a_conversation_read_step_by_step_is_read_from_the_start_only_once(monkeypatch):
    full_reads = []
    read_all = Reader._read_all

    def counted(self, messages):
        full_reads.append(len(messages))
        return read_all(self, messages)

    monkeypatch.setattr(Reader, "_read_all", counted)
    for plan in PLANS[:30]:
        messages = conversation(plan)
        full_reads.clear()
        reader = Reader(plan, 2)
        for seen in steps(messages):
            reader.read(seen)
        assert len(full_reads) == 1 + any(m.get("weight") == 0 for m in seen), plan  # a scripted mistake: twice


def test_a_change_to_an_earlier_call_made_in_place_is_read_from_the_start():
    plan = next(plan for plan in PLANS if plan.scenario == "success" and len(steps(conversation(plan))) >= 3)
    messages = conversation(plan)
    second, third = steps(messages)[1:3]
    reader = Reader(plan, 2)
    reader.read(second)
    call = next(m for m in third if m.get("tool_calls"))["tool_calls"][0]
    call["function"]["name"] = "get_forecast" if call["function"]["name"] != "get_forecast" else "geocode_location"
    try:
        expected = read(plan, third, backend_seed=2)
    except OfflineReadingError as error:
        with pytest.raises(OfflineReadingError, match=re.escape(str(error))):
            reader.read(third)
    else:
        assert reader.read(third) == expected
