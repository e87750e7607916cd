"""The Dashboard's numbers: one tidy table per chart, so the page only draws.

Inputs are the record table of `core.data_loader.to_dataframe` (accepted and
rejected rows; `passed` tells them apart) and the plan table of `plan_table`.
Filtering both the same way (persona, scenario) keeps "achieved" and "target"
comparable under any filter: the target of twain's error examples is the
number of plans that asked for them.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Sequence

import pandas as pd

from core.backends.base import Usage
from core.backends.pricing import cost_usd, price_for
from core.plan import ExamplePlan
from core.validation import validate_record

TARGET_DIMENSIONS = ("persona", "scenario", "intent", "error_kind")
SERIES = ("target", "achieved")
HISTOGRAM_BINS = 20


def plan_table(plans: Sequence[ExamplePlan]) -> pd.DataFrame:
    """One row per plan with the dimensions a run is steered by."""
    return pd.DataFrame([{name: getattr(plan, name) for name in TARGET_DIMENSIONS} for plan in plans],
                        columns=list(TARGET_DIMENSIONS))


def accepted(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of records that passed validation (the dataset proper)."""
    return table[table["passed"] == True]  # noqa: E712 - None (API failure) is not accepted


def achieved_vs_target(table: pd.DataFrame, plans: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Columns `value`, `series` ("target" | "achieved"), `count`: planned vs accepted per value."""
    if dimension not in TARGET_DIMENSIONS:
        raise ValueError(f"dimension: {dimension!r} has no target; choose from {', '.join(TARGET_DIMENSIONS)}")
    target = plans[dimension].dropna().value_counts()
    achieved = accepted(table)[dimension].dropna().value_counts()
    values = list(dict.fromkeys([*target.index, *achieved.index]))
    rows = [{"value": value, "series": series, "count": int(counts.get(value, 0))}
            for value in values for series, counts in zip(SERIES, (target, achieved))]
    return pd.DataFrame(rows, columns=["value", "series", "count"])


def _exploded_counts(table: pd.DataFrame, column: str) -> Counter:
    return Counter(item for items in table[column] for item in items or ())


def climate_groups(table: pd.DataFrame) -> pd.DataFrame:
    """Columns `climate_group`, `records`, `cities`: accepted records and distinct cities per group."""
    from core.locations import LOCATIONS

    kept = accepted(table)
    records = _exploded_counts(kept, "climate_groups")
    group_of = {location.label: location.climate_group for location in LOCATIONS}
    cities = Counter(group_of[city] for city in _exploded_counts(kept, "cities") if city in group_of)
    rows = [{"climate_group": group, "records": records[group], "cities": cities[group]}
            for group in sorted(records)]
    return pd.DataFrame(rows, columns=["climate_group", "records", "cities"])


def city_points(table: pd.DataFrame) -> pd.DataFrame:
    """Columns `city`, `latitude`, `longitude`, `climate_group`, `records`: each city used, for a map."""
    from core.locations import LOCATIONS

    by_label = {location.label: location for location in LOCATIONS}
    counts = _exploded_counts(accepted(table), "cities")
    rows = [{"city": city, "latitude": by_label[city].latitude, "longitude": by_label[city].longitude,
             "climate_group": by_label[city].climate_group, "records": n}
            for city, n in sorted(counts.items()) if city in by_label]
    return pd.DataFrame(rows, columns=["city", "latitude", "longitude", "climate_group", "records"])


def groundedness_histogram(table: pd.DataFrame, bins: int = HISTOGRAM_BINS) -> pd.DataFrame:
    """Columns `bin_start`, `bin_end`, `records` over [0, 1]; a score of 1.0 falls in the last bin."""
    scores = pd.to_numeric(table["groundedness"], errors="coerce").dropna()
    edges = [round(i / bins, 6) for i in range(bins + 1)]
    positions = [min(int(score * bins), bins - 1) for score in scores]
    counts = Counter(positions)
    return pd.DataFrame([{"bin_start": edges[i], "bin_end": edges[i + 1], "records": counts[i]}
                         for i in range(bins)], columns=["bin_start", "bin_end", "records"])


def response_lengths(table: pd.DataFrame) -> pd.DataFrame:
    """Columns `persona`, `final_answer_length`: one row per accepted record, for a box plot."""
    return accepted(table)[["persona", "final_answer_length"]].reset_index(drop=True)


def record_cost(record: dict[str, Any]) -> float | None:
    """List-price dollars of one record's kept conversation, or None for an unpriced model."""
    metadata = record.get("metadata") or {}
    price = price_for(str((metadata.get("generator") or {}).get("model") or ""))
    if price is None:
        return None
    usage = metadata.get("usage") or {}
    return cost_usd(price, Usage(**{name: usage.get(name, 0) for name in Usage.__dataclass_fields__}))


def tokens_and_cost(table: pd.DataFrame, records: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Columns `persona`, `input_tokens`, `output_tokens`, `cost_usd` summed over accepted records.

    Row labels of `table` are positions in `records` (as in a filtered
    `to_dataframe` table). Cost is what the kept conversations
    would cost at list price (None for models without a price, e.g. offline);
    what the API actually billed, retries included, is in generation_metadata.
    """
    costs = pd.Series([record_cost(records[i]) for i in table.index], index=table.index, dtype="float64")
    kept = accepted(table.assign(cost_usd=costs))
    if kept.empty:
        return pd.DataFrame(columns=["persona", "input_tokens", "output_tokens", "cost_usd"])
    grouped = kept.groupby("persona", sort=True)
    result = grouped[["input_tokens", "output_tokens"]].sum().astype("int64")
    result["cost_usd"] = grouped["cost_usd"].sum(min_count=1)
    return result.reset_index()


def _failures(record: dict[str, Any], groundedness_threshold: float) -> list[tuple[str, str, str]]:
    """(check, rule, reason) of each failure of a rejected record.

    Records keep only pass/fail per check, so the findings (with their stable
    rule names) are recomputed; a record without a conversation failed at the
    API, and its reasons ("attempt 1: rate_limit: ...") name the error kind.
    """
    if not record.get("messages"):
        reasons = ((record.get("metadata") or {}).get("validation") or {}).get("reasons") or ()
        return [("api", parts[1].strip(), parts[2].strip()) for parts in
                (reason.split(":", 2) for reason in reasons) if len(parts) == 3]
    result = validate_record(record, groundedness_threshold=groundedness_threshold)
    return [(finding.check, finding.rule or "unspecified", finding.reason) for finding in result.failures]


def validation_failures(table: pd.DataFrame, records: Sequence[dict[str, Any]], *,
                        groundedness_threshold: float) -> pd.DataFrame:
    """Columns `check`, `rule`, `failures`, `example`: why the rejected records failed, commonest first.

    Row labels of `table` are positions in `records`; only rows not `accepted` are examined.
    """
    counts: Counter = Counter()
    examples: dict[tuple[str, str], str] = {}
    for position in table.index.difference(accepted(table).index):
        for check, rule, reason in _failures(records[position], groundedness_threshold):
            counts[(check, rule)] += 1
            examples.setdefault((check, rule), reason)
    rows = [{"check": check, "rule": rule, "failures": n, "example": examples[(check, rule)]}
            for (check, rule), n in counts.most_common()]
    return pd.DataFrame(rows, columns=["check", "rule", "failures", "example"])
