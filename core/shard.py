"""Shards: the K-th of N disjoint slices of one run's plans, for N machines or cluster tasks.

Every shard builds the same plans from the same config and seed and keeps
every N-th one (index K-1, K-1+N, ...). Striding rather than cutting in blocks
gives each shard a similar mix of scenarios and personas, so shards finish at
a similar pace; record ids and indices come from the plan, so the merged parts
are the dataset one machine would have made.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class ShardError(ValueError):
    """A shard spec that is not `K/N` with 1 <= K <= N."""


@dataclass(frozen=True)
class Shard:
    """The `number`-th (1-based) of `count` slices."""

    number: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ShardError(f"shard {self}: the number of shards must be at least 1")
        if not 1 <= self.number <= self.count:
            raise ShardError(f"shard {self}: the shard number must be between 1 and {self.count} "
                             f"(shards are counted from 1, e.g. 1/{self.count} ... {self.count}/{self.count})")

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"

    def owns(self, index: int) -> bool:
        return index % self.count == self.number - 1

    def size(self, total: int) -> int:
        """How many of a run's `total` plans this shard holds."""
        return len(range(self.number - 1, total, self.count))

    def select(self, plans: Sequence[T]) -> list[T]:
        """This shard's plans, in plan order, from the whole run's plans (in index order)."""
        return list(plans[self.number - 1::self.count])

    def to_dict(self) -> dict[str, int]:
        return {"number": self.number, "count": self.count}


def parse_shard(spec: str) -> Shard:
    """`"2/8"` -> Shard(2, 8); anything else raises ShardError saying what a spec looks like."""
    match = _SPEC.match(spec)
    if match is None:
        raise ShardError(f"shard {spec!r}: expected K/N, the K-th of N shards counted from 1, e.g. 2/8")
    return Shard(int(match.group(1)), int(match.group(2)))



def checkpoint_identity(config_fingerprint: str, shard: Shard | None) -> str:
    """What a checkpoint must match to be resumed: the config, and the shard when the run is one,
    so shard 2/8's checkpoint is never continued as shard 3/8."""
    return config_fingerprint if shard is None else f"{config_fingerprint}-shard-{shard.number}-of-{shard.count}"
