"""Example plans: the exact distribution of a run, fixed before any text is written.

Counts are apportioned (largest remainder), never sampled, so 1,000 examples at
65/17.5/17.5 give exactly 650/175/175. Plans depend only on the config and its
seed, which makes runs reproducible, resumable and shardable.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any, Mapping, Sequence

from core.config import ERROR_KINDS, FOLLOW_UPS, RunConfig

# Error kinds that only make sense for a question about one place.
_SINGLE_PLACE_INTENTS = ("current", "forecast", "what_to_wear", "trip")
_COMPATIBLE_INTENTS = {
    "too_many_days": ("forecast", "trip"),
    "unknown_city": _SINGLE_PLACE_INTENTS,
    "ambiguous_city": _SINGLE_PLACE_INTENTS,
    "invalid_coordinates": _SINGLE_PLACE_INTENTS,
    "rate_limited": _SINGLE_PLACE_INTENTS,
    "service_unavailable": _SINGLE_PLACE_INTENTS,
    "timeout": _SINGLE_PLACE_INTENTS,
}
_FORECAST_DAYS = (2, 3, 3, 4, 5, 5, 6, 7, 7, 7, 8, 10, 10, 12, 14)


@dataclass(frozen=True)
class ExamplePlan:
    index: int
    seed: int
    scenario: str
    persona: str
    intent: str
    location_ids: tuple[str, ...]
    days: int | None
    error_kind: str | None
    follow_ups: tuple[str, ...]
    simulated_date: date
    simulated_hour: int
    use_geocode: bool
    trip_start_offset: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["simulated_date"] = self.simulated_date.isoformat()
        data["location_ids"] = list(self.location_ids)
        data["follow_ups"] = list(self.follow_ups)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ExamplePlan":
        values = dict(data)
        values["simulated_date"] = date.fromisoformat(values["simulated_date"])
        values["location_ids"] = tuple(values["location_ids"])
        values["follow_ups"] = tuple(values["follow_ups"])
        return cls(**values)


def apportion(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Largest-remainder apportionment of `total` by `weights` (ties by order)."""
    weight_sum = sum(weights.values())
    quotas = {name: total * weight / weight_sum for name, weight in weights.items()}
    counts = {name: int(quota) for name, quota in quotas.items()}
    leftover = total - sum(counts.values())
    by_remainder = sorted(quotas, key=lambda name: (-(quotas[name] - counts[name]), list(quotas).index(name)))
    for name in by_remainder[:leftover]:
        counts[name] += 1
    return counts


def joint_apportion(rows: Mapping[str, int], columns: Mapping[str, int]) -> dict[tuple[str, str], int]:
    """Cell counts with both margins exact and cells as close to independence as rounding allows."""
    remaining = dict(columns)
    cells: dict[tuple[str, str], int] = {}
    row_names = [name for name in rows if rows[name] > 0]
    for position, row in enumerate(row_names):
        if position == len(row_names) - 1:
            share = dict(remaining)
        else:
            positive = {name: count for name, count in remaining.items() if count > 0}
            share = apportion(rows[row], positive) if positive else {}
        for column in columns:
            taken = share.get(column, 0)
            cells[(row, column)] = taken
            remaining[column] -= taken
    return cells


def example_seed(run_seed: int, index: int) -> int:
    digest = hashlib.sha256(f"weathervane:{run_seed}:{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _expand(counts: Mapping[str, int]) -> list[str]:
    return [name for name, count in counts.items() for _ in range(count)]


def eligible_locations(config: RunConfig) -> list[str]:
    """Ids of the cities a run may ask about, after the city and climate filters."""
    from core.locations import LOCATIONS

    chosen = [loc for loc in LOCATIONS
              if (config.cities is None or loc.id in config.cities)
              and (config.climate_groups is None or loc.climate_group in config.climate_groups)]
    if not chosen:
        from core.config import ConfigError

        raise ConfigError("cities/climate_groups: no city matches both filters; widen one of them")
    return [loc.id for loc in chosen]


def ambiguous_location_ids() -> list[str]:
    """Cities whose plain name matches several places, for clarification scenarios."""
    from core.locations import LOCATIONS, geocode

    return [loc.id for loc in LOCATIONS if len(geocode(loc.name)) > 1]


class _BalancedDeck:
    """Deals city ids round-robin through reshuffled decks, so every city comes
    up once before any comes up twice: coverage is guaranteed, none dominates."""

    def __init__(self, ids: Sequence[str], rng: random.Random) -> None:
        self._ids = list(ids)
        self._rng = rng
        self._deck: list[str] = []

    def deal(self, avoid: frozenset[str] = frozenset()) -> str:
        if not self._deck:
            self._deck = list(self._ids)
            self._rng.shuffle(self._deck)
        if self._deck[-1] in avoid:
            swap = next((i for i, city in enumerate(self._deck) if city not in avoid), None)
            if swap is None:
                return self._rng.choice([city for city in self._ids if city not in avoid] or self._ids)
            self._deck[-1], self._deck[swap] = self._deck[swap], self._deck[-1]
        return self._deck.pop()


def _assign_intents(scenarios: list[str], error_kinds: list[str | None], intents: list[str],
                    rng: random.Random) -> list[str]:
    """Give error plans an intent their error can occur in; others take what is left."""
    pool = list(intents)
    rng.shuffle(pool)
    assigned: list[str | None] = [None] * len(scenarios)
    error_positions = [i for i, kind in enumerate(error_kinds) if kind is not None]
    error_positions.sort(key=lambda i: len(_COMPATIBLE_INTENTS[error_kinds[i]]))
    for i in error_positions:
        compatible = _COMPATIBLE_INTENTS[error_kinds[i]]
        pick = next((j for j, intent in enumerate(pool) if intent in compatible), None)
        assigned[i] = pool.pop(pick) if pick is not None else compatible[0]
    for i in range(len(scenarios)):
        if assigned[i] is None:
            assigned[i] = pool.pop() if pool else "current"
    return assigned  # type: ignore[return-value]


def build_plans(config: RunConfig) -> list[ExamplePlan]:
    """Every plan of the run, in index order, from the config and its seed alone."""
    rng = random.Random(example_seed(config.seed, -1))
    n = config.count
    scenario_counts = apportion(n, config.scenario_weights)
    persona_counts = apportion(n, config.persona_weights)
    cells = joint_apportion(scenario_counts, persona_counts)
    pairs = [pair for pair, count in cells.items() for _ in range(count)]
    rng.shuffle(pairs)
    scenarios = [scenario for scenario, _ in pairs]
    personas = [persona for _, persona in pairs]

    error_pool = _expand(apportion(scenario_counts["error"], config.error_kind_weights)) \
        if scenario_counts["error"] else []
    rng.shuffle(error_pool)
    error_kinds: list[str | None] = [error_pool.pop() if s == "error" else None for s in scenarios]
    intents = _assign_intents(scenarios, error_kinds, _expand(apportion(n, config.intent_weights)), rng)

    deck = _BalancedDeck(eligible_locations(config), rng)
    ambiguous = ambiguous_location_ids()
    year_start = date(config.year, 1, 1)
    year_days = (date(config.year + 1, 1, 1) - year_start).days
    day_offsets = [int(i * year_days / n) for i in range(n)]
    rng.shuffle(day_offsets)

    plans = []
    for index in range(n):
        scenario, intent, error_kind = scenarios[index], intents[index], error_kinds[index]
        follow_ups: tuple[str, ...] = ()
        if scenario == "multi_turn":
            follow_ups = tuple(rng.sample(FOLLOW_UPS, rng.choice((1, 1, 2))))
        if error_kind == "unknown_city":
            location_ids: tuple[str, ...] = ()
        elif error_kind == "ambiguous_city" and ambiguous:
            location_ids = (rng.choice(ambiguous),)
        else:
            needed = 1 + (intent == "compare") + ("other_city" in follow_ups)
            location_ids = (deck.deal(),)
            while len(location_ids) < needed:
                location_ids += (deck.deal(avoid=frozenset(location_ids)),)
        days: int | None = None
        trip_start: int | None = None
        if intent == "forecast":
            days = rng.randint(15, 30) if error_kind == "too_many_days" else rng.choice(_FORECAST_DAYS)
        elif intent == "trip":
            trip_start = rng.randint(2, 6)
            length = rng.randint(14, 24) if error_kind == "too_many_days" else rng.randint(2, 5)
            days = trip_start + length
        plans.append(ExamplePlan(
            index=index,
            seed=example_seed(config.seed, index),
            scenario=scenario,
            persona=personas[index],
            intent=intent,
            location_ids=location_ids,
            days=days,
            error_kind=error_kind,
            follow_ups=follow_ups,
            simulated_date=year_start + timedelta(days=day_offsets[index]),
            simulated_hour=rng.choice((7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 5, 6)),
            use_geocode=rng.random() < 0.5,
            trip_start_offset=trip_start,
        ))
    return plans


def plan_summary(plans: Sequence[ExamplePlan]) -> dict[str, dict[str, int]]:
    """Counts per dimension, for the studio's live check and the run metadata."""
    summary: dict[str, dict[str, int]] = {"scenario": {}, "persona": {}, "intent": {}, "error_kind": {}}
    for plan in plans:
        for key in ("scenario", "persona", "intent"):
            value = getattr(plan, key)
            summary[key][value] = summary[key].get(value, 0) + 1
        if plan.error_kind:
            summary["error_kind"][plan.error_kind] = summary["error_kind"].get(plan.error_kind, 0) + 1
    return summary


__all__ = ["ExamplePlan", "apportion", "build_plans", "eligible_locations", "example_seed",
           "joint_apportion", "plan_summary", "ERROR_KINDS"]
