"""Dashboard: each chart draws the numbers of the run, and the filters narrow every chart."""
import json
from collections import Counter

from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from core.config import RunConfig
from core.locations import BY_ID
from core.plan import build_plans
from studio_factories import make_record, make_run, studio

CONFIG = RunConfig(count=12, seed=5)
ACCEPTED = [("neutral", "oslo-no", 100, 20), ("twain", "lima-pe", 300, 60),
            ("franklin", "suva-fj", 200, 40), ("neutral", "oslo-no", 100, 10)]


def make_dashboard_run(data_root):
    records = []
    for index, (persona, city, input_tokens, output_tokens) in enumerate(ACCEPTED):
        record = make_record(index, persona=persona, city=city, groundedness=0.9 + index * 0.02)
        record["metadata"]["usage"] = {"input_tokens": input_tokens, "output_tokens": output_tokens}
        records.append(record)
    ungrounded = make_record(9, passed=False, groundedness=0.0,
                             answer="It is 45 °C with heavy snow in Oslo right now.")
    run_dir = make_run(data_root, "run-dash", records, [ungrounded])
    (run_dir / "config.json").write_text(json.dumps(CONFIG.to_dict()))
    return records


def chart_data(app, title: str):
    for chart in app.get("vega_lite_chart"):
        if json.loads(chart.proto.spec).get("title") == title:
            (dataset,) = chart.proto.datasets
            return convert_arrow_bytes_to_pandas_df(dataset.data.data)
    raise AssertionError(f"no chart titled {title!r}")


def series(frame, name: str) -> dict:
    rows = frame[frame["series"] == name]
    return {row["value"]: row["count"] for _, row in rows.iterrows() if row["count"]}


def open_dashboard(tmp_path, monkeypatch):
    make_dashboard_run(tmp_path)
    return studio(tmp_path, monkeypatch, "views/dashboard.py")


def test_distribution_charts_show_the_plan_target_against_accepted_records(tmp_path, monkeypatch):
    app = open_dashboard(tmp_path, monkeypatch)
    plans = build_plans(CONFIG)
    personas = chart_data(app, "Personas")
    assert series(personas, "target") == Counter(plan.persona for plan in plans)
    assert series(personas, "achieved") == {"neutral": 2, "twain": 1, "franklin": 1}
    assert series(chart_data(app, "Scenarios"), "target") == Counter(plan.scenario for plan in plans)
    assert series(chart_data(app, "Intents"), "achieved") == {"current": 4}
    assert series(chart_data(app, "Error kinds"), "target") == Counter(plan.error_kind for plan in plans
                                                                        if plan.error_kind)


def test_the_city_map_and_climate_groups_show_the_cities_used(tmp_path, monkeypatch):
    app = open_dashboard(tmp_path, monkeypatch)
    cities = chart_data(app, "Cities used").set_index("city")
    for city_id, uses in (("oslo-no", 2), ("lima-pe", 1), ("suva-fj", 1)):
        place = BY_ID[city_id]
        row = cities.loc[place.label]
        assert (row["latitude"], row["longitude"], row["records"]) == (place.latitude, place.longitude, uses)
    groups = chart_data(app, "Climate groups").set_index("climate_group")["records"].to_dict()
    expected = Counter()
    for _, city_id, _, _ in ACCEPTED:
        expected[BY_ID[city_id].climate_group] += 1
    assert groups == expected


def test_groundedness_failures_lengths_and_tokens_charts(tmp_path, monkeypatch):
    records = make_dashboard_run(tmp_path)
    app = studio(tmp_path, monkeypatch, "views/dashboard.py")
    histogram = chart_data(app, "Groundedness")
    assert histogram["records"].sum() == 5 and histogram.iloc[0]["records"] == 1
    failures = chart_data(app, "Validation failures by check and rule")
    assert ("groundedness", "ungrounded_claims") in set(zip(failures["check"], failures["rule"]))
    lengths = chart_data(app, "Final answer length by persona")
    assert sorted(lengths["final_answer_length"]) == sorted(len(r["messages"][-1]["content"]) for r in records)
    tokens = chart_data(app, "Tokens by persona").set_index("persona")
    assert tokens.loc["neutral", "input_tokens"] == 200 and tokens.loc["twain", "output_tokens"] == 60
    assert {metric.label: metric.value for metric in app.metric}["Input tokens"] == "700"


def test_the_persona_filter_narrows_every_chart_targets_included(tmp_path, monkeypatch):
    app = open_dashboard(tmp_path, monkeypatch)
    app.button_group(key="dash_persona").set_value(["twain"]).run()
    twain_plans = [plan for plan in build_plans(CONFIG) if plan.persona == "twain"]
    assert series(chart_data(app, "Personas"), "target") == {"twain": len(twain_plans)}
    assert series(chart_data(app, "Scenarios"), "target") == Counter(plan.scenario for plan in twain_plans)
    assert chart_data(app, "Cities used")["city"].tolist() == [BY_ID["lima-pe"].label]
    assert any("No validation failures" in info.value for info in app.info)


def test_an_imported_run_without_a_plan_still_charts_what_it_holds(tmp_path, monkeypatch):
    make_run(tmp_path, "run-imported", [make_record(0), make_record(1, persona="twain")])
    app = studio(tmp_path, monkeypatch, "views/dashboard.py")
    personas = chart_data(app, "Personas")
    assert series(personas, "target") == {} and series(personas, "achieved") == {"neutral": 1, "twain": 1}
    assert any("no plan" in caption.value for caption in app.caption)
    assert any("No tokens" in info.value for info in app.info)


def test_without_a_run_the_page_offers_a_first_run(tmp_path, monkeypatch):
    app = studio(tmp_path, monkeypatch, "views/dashboard.py")
    assert app.button(key="quick_start").label == "Generate 50 offline examples"
