"""The shortcuts taken for speed give exactly what the plain paths give."""
import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime

from core import weather, weather_model
from core.backends import create_backend
from core.config import RunConfig
from core.data_loader import record_row
from core.generation import generate_example
from core.generation_workers import _as_reported
from core.output_writer import dumps_record
from core.plan import build_plans
from core.runner import read_back
from core.tools import ToolContext, execute

CONTEXT = ToolContext(when=datetime(2026, 3, 14, 9, 30, tzinfo=UTC), seed=11)


def test_arguments_orjson_refuses_are_read_as_json_reads_them():
    for text in ('{"latitude": 100000000000000000000000, "longitude": 1}',  # beyond 64 bits
                 '{"latitude": 1e400, "longitude": 1}',  # infinite
                 '{"city": "\\ud800"}'):  # a lone surrogate
        name = "geocode_location" if "city" in text else "get_current_weather"
        assert execute(name, text, context=CONTEXT) == execute(name, json.loads(text), context=CONTEXT)


def test_read_back_counts_a_line_only_json_can_read(tmp_path):
    path = tmp_path / "examples.jsonl"
    path.write_text('{"a": 1}\n{"a": NaN}\n\n')
    assert read_back(path, 2) is None
    assert read_back(path, 3) == "it holds 2 records, 3 were written"


def test_a_day_of_a_climate_is_the_same_whichever_days_were_asked_first():
    climate = weather._city_climate(next(iter(weather.locations.BY_ID)))
    forward, backward = replace(climate), replace(climate)  # fresh copies: nothing worked out yet
    days = [forward.slot(index) for index in range(366)]
    assert [backward.slot(index) for index in reversed(range(366))] == days[::-1]


def test_the_prepared_skew_biases_are_every_kappa_a_day_can_have():
    weather.prepare_city_climates()
    known = weather_model._skew_bias.cache_info().currsize
    for place in weather.locations.BY_ID:
        climate = weather._city_climate(place)
        for index in range(366):
            climate.slot(index)
    for latitude in range(-90, 91, 5):
        climate = weather_model.latitude_climate(f"cell:{latitude}", float(latitude))
        for index in range(366):
            climate.slot(index)
    assert weather_model._skew_bias.cache_info().currsize == known


def test_a_worker_sends_an_accepted_record_as_its_line_and_row():
    config = RunConfig(count=3, seed=2)
    backend = create_backend("offline", seed=config.seed)
    for plan in build_plans(config):
        outcome = asyncio.run(generate_example(plan, backend, config=config, clock=lambda: "2026-01-01T00:00:00Z"))
        sent = _as_reported(outcome)
        assert outcome.accepted and sent.record is None
        assert sent.line == dumps_record(outcome.record).encode("utf-8") + b"\n"
        assert sent.row == record_row(outcome.record)


def test_parse_json_reads_what_json_reads():
    from core.json_codec import parse_json

    for text in ('{"a": 123456789012345678901}', '[-9223372036854775809, 1.5, "\\u00e9"]', '{"a": NaN}',
                 '{"a": 1e400}', '{"a": [1, 2], "a": 3}', '"\\ud800"'):
        for given in (text, text.encode()):
            assert repr(parse_json(given)) == repr(json.loads(given))
