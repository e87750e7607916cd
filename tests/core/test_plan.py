"""Plans: exact counts, full coverage, independence and determinism."""
from collections import Counter

import pytest

from core.config import RunConfig
from core.locations import BY_ID
from core.plan import ExamplePlan, apportion, build_plans, joint_apportion


def plans_for(count=1000, seed=11, **overrides):
    return build_plans(RunConfig(count=count, seed=seed, **overrides))


def test_largest_remainder_is_exact():
    assert apportion(1000, {"a": 65, "b": 17.5, "c": 17.5}) == {"a": 650, "b": 175, "c": 175}
    assert apportion(7, {"a": 1, "b": 1, "c": 1}) == {"a": 3, "b": 2, "c": 2}
    assert sum(apportion(997, {"x": 0.3, "y": 0.3, "z": 0.4}).values()) == 997


def test_joint_apportion_keeps_both_margins():
    cells = joint_apportion({"s": 650, "e": 175, "m": 175}, {"n": 600, "t": 250, "f": 150})
    for row, total in {"s": 650, "e": 175, "m": 175}.items():
        assert sum(v for (r, _), v in cells.items() if r == row) == total
    for column, total in {"n": 600, "t": 250, "f": 150}.items():
        assert sum(v for (_, c), v in cells.items() if c == column) == total


def test_default_thousand_gives_exact_scenario_and_persona_counts():
    plans = plans_for(1000)
    assert Counter(p.scenario for p in plans) == {"success": 650, "error": 175, "multi_turn": 175}
    assert Counter(p.persona for p in plans) == {"neutral": 600, "twain": 250, "franklin": 150}
    assert [p.index for p in plans] == list(range(1000))


@pytest.mark.parametrize("count", [1, 7, 100, 333, 2500])
def test_counts_are_exact_at_any_size(count):
    plans = plans_for(count)
    config = RunConfig(count=count)
    assert Counter(p.scenario for p in plans) == +Counter(apportion(count, config.scenario_weights))
    assert Counter(p.persona for p in plans) == +Counter(apportion(count, config.persona_weights))


def test_custom_weights_are_honoured_exactly():
    plans = plans_for(200, scenario_weights={"success": 1, "error": 1}, persona_weights={"twain": 3, "franklin": 1},
                      error_kind_weights={"unknown_city": 1, "rate_limited": 3})
    assert Counter(p.scenario for p in plans) == {"success": 100, "error": 100}
    assert Counter(p.persona for p in plans) == {"twain": 150, "franklin": 50}
    assert Counter(p.error_kind for p in plans if p.error_kind) == {"unknown_city": 25, "rate_limited": 75}


def test_persona_is_independent_of_scenario_within_rounding():
    plans = plans_for(1000)
    joint = Counter((p.scenario, p.persona) for p in plans)
    for scenario, s_count in {"success": 650, "error": 175, "multi_turn": 175}.items():
        for persona, share in {"neutral": 0.6, "twain": 0.25, "franklin": 0.15}.items():
            assert abs(joint[(scenario, persona)] - s_count * share) <= 1


def test_intents_are_exact_and_error_plans_get_compatible_intents():
    plans = plans_for(1000)
    assert Counter(p.intent for p in plans) == {"current": 300, "forecast": 250, "what_to_wear": 200,
                                                "compare": 100, "trip": 150}
    for plan in plans:
        if plan.error_kind == "too_many_days":
            assert plan.intent in ("forecast", "trip") and plan.days > 14
        if plan.error_kind:
            assert plan.intent != "compare"


@pytest.mark.parametrize("count", [100, 250])
def test_every_city_appears_and_none_dominates(count):
    plans = plans_for(count)
    used = Counter(city for p in plans for city in p.location_ids)
    assert set(used) >= set(BY_ID), sorted(set(BY_ID) - set(used))
    mean = sum(used.values()) / len(used)
    assert max(used.values()) <= mean * 2 + 2


def test_compare_and_other_city_plans_name_distinct_places():
    for plan in plans_for(500):
        assert len(set(plan.location_ids)) == len(plan.location_ids)
        if plan.intent == "compare":
            assert len(plan.location_ids) >= 2


def test_climate_group_filter_restricts_cities():
    plans = plans_for(60, climate_groups=("polar",), scenario_weights={"success": 1})
    assert {BY_ID[c].climate_group for p in plans for c in p.location_ids} == {"polar"}


def test_dates_spread_over_the_whole_year():
    months = Counter(p.simulated_date.month for p in plans_for(1200))
    assert set(months) == set(range(1, 13))
    assert max(months.values()) - min(months.values()) <= 10


def test_multi_turn_plans_have_follow_ups_and_others_do_not():
    for plan in plans_for(300):
        assert (1 <= len(plan.follow_ups) <= 2) == (plan.scenario == "multi_turn")


def test_same_seed_same_plans_other_seed_other_plans():
    assert plans_for(300, seed=5) == plans_for(300, seed=5)
    assert plans_for(300, seed=5) != plans_for(300, seed=6)


def test_plans_round_trip_through_plain_data():
    for plan in plans_for(50):
        assert ExamplePlan.from_dict(plan.to_dict()) == plan
