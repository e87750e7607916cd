"""Dollar prices per million tokens, so a run can show what it costs while it goes.

Anthropic list prices. A 5-minute cache write costs 1.25x the input price, a
cache read 0.1x, and the Batch API halves everything. A model missing here has
no cost estimate rather than a wrong one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core.backends.base import Usage

CACHE_WRITE_MULTIPLIER = 1.25
CACHE_READ_MULTIPLIER = 0.1
BATCH_MULTIPLIER = 0.5


@dataclass(frozen=True)
class ModelPrice:
    input_per_mtok: float
    output_per_mtok: float


FREE = ModelPrice(0.0, 0.0)

PRICES: dict[str, ModelPrice] = {
    "claude-haiku-4-5": ModelPrice(1.0, 5.0),
    "claude-sonnet-4-5": ModelPrice(3.0, 15.0),
    "claude-opus-4-5": ModelPrice(5.0, 25.0),
    "claude-3-5-haiku": ModelPrice(0.8, 4.0),
}

_DATED_SNAPSHOT = re.compile(r"-\d{8}$")


def price_for(model: str) -> ModelPrice | None:
    """The price of a model id or of its dated snapshot (`claude-haiku-4-5-20251001`)."""
    return PRICES.get(_DATED_SNAPSHOT.sub("", model))


def cost_usd(price: ModelPrice, usage: Usage, *, batch: bool = False) -> float:
    """Dollars for `usage`; `input_tokens` excludes cached tokens, as the Messages API reports it."""
    input_equivalent = (
        usage.input_tokens
        + usage.cache_creation_input_tokens * CACHE_WRITE_MULTIPLIER
        + usage.cache_read_input_tokens * CACHE_READ_MULTIPLIER
    )
    dollars = (input_equivalent * price.input_per_mtok + usage.output_tokens * price.output_per_mtok) / 1_000_000
    return dollars * (BATCH_MULTIPLIER if batch else 1.0)
