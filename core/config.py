"""The run configuration: every knob that shapes a dataset, checked on creation.

A config is the whole recipe of a run: with its seed it determines every plan,
so its fingerprint is what tells a resumable run from a different one.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Mapping

SCENARIOS = ("success", "error", "multi_turn")
INTENTS = ("current", "forecast", "what_to_wear", "compare", "trip")
ERROR_KINDS = (
    "unknown_city", "invalid_coordinates", "too_many_days", "ambiguous_city",
    "rate_limited", "service_unavailable", "timeout",
)
CLIMATE_GROUPS = ("tropical", "arid", "temperate", "continental", "polar", "highland")
BACKENDS = ("offline", "anthropic", "openai")
FOLLOW_UPS = ("tomorrow", "other_city", "umbrella", "weekend", "wind")

DEFAULT_SCENARIO_WEIGHTS = {"success": 65.0, "error": 17.5, "multi_turn": 17.5}
DEFAULT_PERSONA_WEIGHTS = {"neutral": 60.0, "twain": 25.0, "franklin": 15.0}
DEFAULT_INTENT_WEIGHTS = {"current": 30.0, "forecast": 25.0, "what_to_wear": 20.0,
                          "compare": 10.0, "trip": 15.0}
DEFAULT_ERROR_KIND_WEIGHTS = {kind: 1.0 for kind in ERROR_KINDS}

# Fields that change what is generated; the rest only change how fast.
_EXECUTION_FIELDS = frozenset({"concurrency", "checkpoint_every", "batch"})


class ConfigError(ValueError):
    """A setting a user gave is wrong; the message names the field and the fix."""


def _persona_names() -> tuple[str, ...]:
    from core.personas import PERSONAS

    return tuple(PERSONAS)


def _check_weights(field_name: str, weights: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, float]:
    if not isinstance(weights, Mapping) or not weights:
        raise ConfigError(f"{field_name}: expected a mapping of name to weight, e.g. "
                          f"{{{allowed[0]!r}: 1}}; got {weights!r}")
    checked: dict[str, float] = {}
    for name, weight in weights.items():
        if name not in allowed:
            raise ConfigError(f"{field_name}: unknown name {name!r}; choose from {', '.join(allowed)}")
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            raise ConfigError(f"{field_name}.{name}: weight must be a number, got {weight!r}")
        if weight < 0 or weight != weight:
            raise ConfigError(f"{field_name}.{name}: weight must be zero or more, got {weight!r}")
        checked[name] = float(weight)
    if sum(checked.values()) <= 0:
        raise ConfigError(f"{field_name}: all weights are zero; give at least one a positive weight")
    return {name: checked.get(name, 0.0) for name in allowed}


def _check_int(field_name: str, value: Any, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{field_name}: expected a whole number, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise ConfigError(f"{field_name}: must be {bound}, got {value}")
    return value


@dataclass(frozen=True)
class RunConfig:
    """What to generate. Weights need not sum to 100: they are normalised."""

    count: int = 1000
    seed: int = 42
    backend: str = "offline"
    model: str | None = None
    base_url: str | None = None
    year: int = 2026
    scenario_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SCENARIO_WEIGHTS))
    persona_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_PERSONA_WEIGHTS))
    intent_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_INTENT_WEIGHTS))
    error_kind_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_ERROR_KIND_WEIGHTS))
    climate_groups: tuple[str, ...] | None = None
    cities: tuple[str, ...] | None = None
    max_attempts: int = 4
    groundedness_threshold: float = 0.8
    temperature: float | None = None
    concurrency: int | None = None
    checkpoint_every: int = 250
    batch: bool = False

    def __post_init__(self) -> None:
        _check_int("count", self.count, 1, 1_000_000)
        _check_int("seed", self.seed, 0)
        _check_int("year", self.year, 1900, 2200)
        _check_int("max_attempts", self.max_attempts, 1, 10)
        _check_int("checkpoint_every", self.checkpoint_every, 1)
        if self.concurrency is not None:
            _check_int("concurrency", self.concurrency, 1, 256)
        if self.backend not in BACKENDS:
            raise ConfigError(f"backend: unknown backend {self.backend!r}; choose from {', '.join(BACKENDS)}")
        if not isinstance(self.batch, bool):
            raise ConfigError(f"batch: expected true or false, got {self.batch!r}")
        if self.batch and self.backend != "anthropic":
            raise ConfigError(f"batch: the Message Batches mode needs backend 'anthropic', not {self.backend!r}")
        if not isinstance(self.groundedness_threshold, (int, float)) or not 0 <= self.groundedness_threshold <= 1:
            raise ConfigError(f"groundedness_threshold: must be between 0 and 1, got {self.groundedness_threshold!r}")
        set_ = object.__setattr__
        set_(self, "scenario_weights", _check_weights("scenario_weights", self.scenario_weights, SCENARIOS))
        set_(self, "persona_weights", _check_weights("persona_weights", self.persona_weights, _persona_names()))
        set_(self, "intent_weights", _check_weights("intent_weights", self.intent_weights, INTENTS))
        if self.scenario_weights["error"] > 0:
            set_(self, "error_kind_weights",
                 _check_weights("error_kind_weights", self.error_kind_weights, ERROR_KINDS))
        if self.climate_groups is not None:
            groups = tuple(self.climate_groups)
            for group in groups:
                if group not in CLIMATE_GROUPS:
                    raise ConfigError(f"climate_groups: unknown group {group!r}; choose from {', '.join(CLIMATE_GROUPS)}")
            if not groups:
                raise ConfigError("climate_groups: empty list; leave it out to use every group")
            set_(self, "climate_groups", groups)
        if self.cities is not None:
            from core.locations import BY_ID

            cities = tuple(self.cities)
            unknown = [city for city in cities if city not in BY_ID]
            if unknown:
                raise ConfigError(f"cities: unknown city id(s) {', '.join(map(repr, unknown))}; "
                                  "ids look like 'oslo-no' (see core/data/cities.json)")
            if not cities:
                raise ConfigError("cities: empty list; leave it out to use every city")
            set_(self, "cities", cities)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RunConfig":
        """Build from plain data (a YAML/JSON file, the studio form), naming unknown keys."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown setting(s) {', '.join(unknown)}; known settings: {', '.join(sorted(known))}")
        values = dict(data)
        for key in ("climate_groups", "cities"):
            if values.get(key) is not None:
                if isinstance(values[key], str) or not isinstance(values[key], (list, tuple)):
                    raise ConfigError(f"{key}: expected a list, got {values[key]!r}")
                values[key] = tuple(values[key])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("climate_groups", "cities"):
            if data[key] is not None:
                data[key] = list(data[key])
        return data

    def fingerprint(self) -> str:
        """Hash of everything that shapes the output, so resumes never mix configs."""
        shaping = {k: v for k, v in self.to_dict().items() if k not in _EXECUTION_FIELDS}
        return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()[:16]

    def with_changes(self, **changes: Any) -> "RunConfig":
        return replace(self, **changes)
