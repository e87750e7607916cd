"""Prompts: the record's system message, scenario guidance and the simulated user's brief."""
from dataclasses import replace
from datetime import date

import pytest

from core.config import RunConfig
from core.date_phrases import forecast_days_for
from core.personas import PERSONAS, UnknownPersonaError
from core.plan import build_plans
from core.prompts import PromptError, scenario_guidance, system_message, user_brief
from core.tools import TOOL_NAMES

SATURDAY = date(2026, 3, 14)


def make_plan(**overrides):
    plan = next(p for p in build_plans(RunConfig(count=40, seed=3)) if p.scenario == "success"
                and p.intent == "current")
    return replace(plan, **overrides)


def test_system_message_carries_persona_date_weekday_and_local_time():
    message = system_message(PERSONAS["franklin"], SATURDAY, "09:30")
    assert message.startswith(PERSONAS["franklin"].system_prompt)
    assert "Saturday, 14 March 2026" in message and "2026-03-14" in message and "09:30" in message


def test_system_message_accepts_a_persona_name_and_rejects_unknown_ones():
    assert system_message("twain", SATURDAY, "12:00") == system_message(PERSONAS["twain"], SATURDAY, "12:00")
    with pytest.raises(UnknownPersonaError):
        system_message("hemingway", SATURDAY, "12:00")


def test_guidance_exists_for_every_scenario_and_names_the_tools_from_core_tools():
    assert all(name in scenario_guidance("success") for name in TOOL_NAMES)
    assert "location_not_found" in scenario_guidance("error") and "14-day" in scenario_guidance("error")
    assert "follow" in scenario_guidance("multi_turn")
    with pytest.raises(PromptError, match="success, error, multi_turn"):
        scenario_guidance("chaos")


def test_first_brief_names_the_place_and_a_span_that_reads_back_to_the_plan():
    plan = make_plan(intent="forecast", days=5, location_ids=("oslo-no",), use_geocode=False)
    brief = user_brief(plan, 0)
    assert "Oslo, Norway" in brief and plan.simulated_date.isoformat() in brief
    assert forecast_days_for(brief, plan.simulated_date) == 5


def test_trip_brief_reads_back_to_start_plus_length():
    plan = make_plan(intent="trip", days=7, trip_start_offset=3, location_ids=("lisbon-pt",))
    assert forecast_days_for(user_brief(plan, 0), plan.simulated_date) == 7


@pytest.mark.parametrize("error_kind, phrase", [
    ("unknown_city", "does not exist"),
    ("ambiguous_city", "without naming a state"),
])
def test_error_briefs_steer_the_user_into_the_error(error_kind, phrase):
    plan = make_plan(error_kind=error_kind, location_ids=("springfield-il-us",))
    assert phrase in user_brief(plan, 0)


def test_follow_up_briefs_follow_the_plan():
    plan = make_plan(scenario="multi_turn", follow_ups=("umbrella", "other_city"),
                     location_ids=("oslo-no", "lyon-fr"))
    assert "umbrella" in user_brief(plan, 1)
    assert "Lyon" in user_brief(plan, 2) and "Lyon" not in user_brief(plan, 0)


def test_turns_outside_the_plan_are_rejected_with_the_valid_range():
    plan = make_plan(follow_ups=("wind",))
    with pytest.raises(PromptError, match="from 0 to 1"):
        user_brief(plan, 2)
    with pytest.raises(PromptError, match="only one place"):
        user_brief(replace(plan, follow_ups=("other_city",), location_ids=("oslo-no",)), 1)


def test_every_plan_of_a_run_gets_a_brief_for_every_turn():
    for plan in build_plans(RunConfig(count=200, seed=9)):
        for turn in range(len(plan.follow_ups) + 1):
            assert user_brief(plan, turn).startswith("You are playing a person")
