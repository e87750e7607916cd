"""Shards: K/N specs read strictly, and N shards partition a run's plans with similar mixes."""
from collections import Counter

import pytest

from core.config import RunConfig
from core.plan import build_plans
from core.shard import Shard, ShardError, checkpoint_identity, parse_shard


def plans_for(count=400, seed=9):
    return build_plans(RunConfig(count=count, seed=seed))


@pytest.mark.parametrize("spec, expected", [("1/1", Shard(1, 1)), ("3/8", Shard(3, 8)), (" 2 / 4 ", Shard(2, 4))])
def test_a_spec_names_the_kth_of_n_shards_counted_from_one(spec, expected):
    assert parse_shard(spec) == expected
    assert str(expected) == f"{expected.number}/{expected.count}"


@pytest.mark.parametrize("spec, words", [
    ("3", "expected K/N"), ("a/b", "expected K/N"), ("-1/4", "expected K/N"), ("1/2/3", "expected K/N"),
    ("0/4", "between 1 and 4"), ("5/4", "between 1 and 4"), ("1/0", "at least 1"),
])
def test_a_bad_spec_says_what_a_spec_looks_like(spec, words):
    with pytest.raises(ShardError, match=words):
        parse_shard(spec)


def test_the_shards_of_a_run_are_disjoint_and_cover_every_plan_once():
    plans = plans_for()
    parts = [Shard(k, 3).select(plans) for k in (1, 2, 3)]
    indices = [plan.index for part in parts for plan in part]
    assert sorted(indices) == list(range(len(plans)))
    assert all(part == sorted(part, key=lambda plan: plan.index) for part in parts)


def test_each_shard_is_a_stride_of_the_plan_order():
    plans = plans_for(count=10)
    assert [plan.index for plan in Shard(2, 4).select(plans)] == [1, 5, 9]
    assert [Shard(k, 4).size(10) for k in (1, 2, 3, 4)] == [3, 3, 2, 2]
    assert all(Shard(2, 4).owns(index) for index in (1, 5, 9))
    assert not any(Shard(2, 4).owns(index) for index in (0, 2, 3, 4))


def test_shards_have_a_similar_mix_of_scenarios():
    plans = plans_for(count=2000)
    whole = Counter(plan.scenario for plan in plans)
    for k in (1, 2, 3, 4):
        part = Counter(plan.scenario for plan in Shard(k, 4).select(plans))
        for scenario, count in whole.items():
            assert abs(part[scenario] - count / 4) <= 0.15 * count / 4


def test_one_shard_of_one_is_the_whole_run():
    plans = plans_for(count=25)
    assert Shard(1, 1).select(plans) == plans


def test_a_shards_checkpoint_identity_names_the_config_and_the_shard():
    assert checkpoint_identity("abc123", None) == "abc123"
    assert checkpoint_identity("abc123", Shard(2, 8)) != checkpoint_identity("abc123", Shard(3, 8))
    assert checkpoint_identity("abc123", Shard(2, 8)).startswith("abc123")
