"""Generate: exact counts and estimates before launch; a launch is a real run process that the
page follows to the end, can cancel and resume; an API key typed here never reaches a file."""
import json

from streamlit.proto.TextInput_pb2 import TextInput as TextInputProto

from studio_factories import files_under, studio
from tests.support.loopback_chat_completions import error

KEY = "sk-studio-typed-0123456789"


def counts_shown(app, caption):
    """The exact-counts row under `caption` in the preview column."""
    captions = [element.value for element in app.caption]
    tables = [table.value for table in app.dataframe]
    return tables[captions.index(caption) - 1].iloc[0].to_dict()


def wait_for_run(app, timeout=120):
    """Wait on the run process the page started, then return the run's status.json."""
    run_id = app.session_state["current_run_id"]
    app.session_state["run_processes"][run_id].wait(timeout=timeout)
    return run_id


def status_of(data_root, run_id):
    return json.loads((data_root / "runs" / run_id / "status.json").read_text())


def test_the_exact_counts_follow_the_count_and_weights(tmp_path, monkeypatch):
    app = studio(tmp_path, monkeypatch)
    assert counts_shown(app, "Scenarios") == {"success": 130, "error": 35, "multi_turn": 35}
    app.number_input(key="g_count").set_value(1000).run()
    assert counts_shown(app, "Scenarios") == {"success": 650, "error": 175, "multi_turn": 175}
    assert counts_shown(app, "Personas") == {"neutral": 600, "twain": 250, "franklin": 150}
    app.number_input(key="w_persona_twain").set_value(0.0).run()
    assert counts_shown(app, "Personas") == {"neutral": 800, "twain": 0, "franklin": 200}


def test_an_invalid_run_is_explained_and_cannot_be_launched(tmp_path, monkeypatch):
    app = studio(tmp_path, monkeypatch)
    for scenario in ("success", "error", "multi_turn"):
        app.number_input(key=f"w_scenario_{scenario}").set_value(0.0)
    app.run()
    assert "scenario_weights: all weights are zero" in app.error[0].value
    assert app.button[-1].label == "Launch run" and app.button[-1].disabled


def test_a_paid_backend_asks_for_a_key_and_estimates_its_cost(tmp_path, monkeypatch):
    app = studio(tmp_path, monkeypatch)
    assert {metric.label: metric.value for metric in app.metric}["Cost"] == "$0.0000"
    app.segmented_control(key="g_backend").set_value("anthropic").run()
    assert app.text_input(key="api_key").proto.type == TextInputProto.PASSWORD
    app.text_input(key="g_model").set_value("claude-haiku-4-5").run()
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Cost"].startswith("$") and metrics["Cost"] != "$0.0000"
    assert int(metrics["Model calls"].replace(",", "")) >= 3 * 200


def test_a_launched_run_is_followed_to_the_end_and_can_be_cancelled_and_resumed(tmp_path, monkeypatch):
    app = studio(tmp_path, monkeypatch)
    app.number_input(key="g_count").set_value(40).run()
    app.button[-1].click().run()
    run_id = app.session_state["current_run_id"]
    app.button(key=f"cancel_{run_id}").click().run()
    wait_for_run(app)
    cancelled = status_of(tmp_path, run_id)
    assert cancelled["state"] == "cancelled" and cancelled["done"] < 40
    app.run()
    app.button(key=f"resume_{run_id}").click().run()
    wait_for_run(app)
    assert status_of(tmp_path, run_id)["state"] == "completed"
    app.run()
    assert app.button(key=f"browse_{run_id}").label == "Browse records"
    assert "40 / 40 examples" in [element.proto.text for element in app.get("progress")]
    app.switch_page("views/browse.py").run()
    assert len(app.dataframe[0].value) == 40


def test_one_click_on_an_empty_machine_generates_fifty_offline_examples(tmp_path, monkeypatch):
    app = studio(tmp_path, monkeypatch, "views/runs.py")
    app.button(key="quick_start").click().run()
    run_id = wait_for_run(app)
    status = status_of(tmp_path, run_id)
    assert (status["state"], status["done"], status["backend"]) == ("completed", 50, "offline")


def test_the_api_key_reaches_the_run_only_through_its_environment(tmp_path, monkeypatch, loopback):
    loopback.script(*[error(401, "invalid api key") for _ in range(20)])
    app = studio(tmp_path, monkeypatch)
    app.segmented_control(key="g_backend").set_value("openai").run()
    app.text_input(key="g_model").set_value("local-model")
    app.text_input(key="g_base_url").set_value(loopback.base_url + "/v1")
    app.text_input(key="api_key").set_value(KEY)
    app.number_input(key="g_count").set_value(5)
    app.number_input(key="g_concurrency").set_value(1).run()
    app.button[-1].click().run()
    run_id = wait_for_run(app)
    assert status_of(tmp_path, run_id)["state"] == "stopped"
    assert loopback.received[0].headers["authorization"] == f"Bearer {KEY}"
    assert all(KEY.encode() not in path.read_bytes() for path in files_under(tmp_path))


def test_the_batch_toggle_halves_the_estimate_and_is_refused_without_claude(tmp_path, monkeypatch):
    app = studio(tmp_path, monkeypatch)
    app.segmented_control(key="g_backend").set_value("anthropic").run()
    def cost():
        return float({m.label: m.value for m in app.metric}["Cost"].lstrip("$").replace(",", ""))
    full = cost()
    app.checkbox(key="g_batch").check().run()
    assert abs(cost() - full / 2) <= 0.0001 + full * 0.01
    app.segmented_control(key="g_backend").set_value("offline").run()
    assert "batch: the Message Batches mode needs backend 'anthropic'" in app.error[0].value
