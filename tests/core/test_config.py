"""The run configuration: defaults, normalisation and errors that name the field."""
import pytest

from core.config import ConfigError, RunConfig


def make_config(**overrides):
    return RunConfig(**{"count": 100, "seed": 7, **overrides})


def test_defaults_are_the_product_distributions():
    config = RunConfig()
    assert config.scenario_weights == {"success": 65.0, "error": 17.5, "multi_turn": 17.5}
    assert config.persona_weights == {"neutral": 60.0, "twain": 25.0, "franklin": 15.0}
    assert config.backend == "offline"


def test_missing_names_get_zero_weight():
    config = make_config(persona_weights={"twain": 1})
    assert config.persona_weights == {"neutral": 0.0, "twain": 1.0, "franklin": 0.0}


@pytest.mark.parametrize("overrides, field", [
    ({"scenario_weights": {"success": -1, "error": 1}}, "scenario_weights.success"),
    ({"scenario_weights": {"success": 0, "error": 0}}, "scenario_weights"),
    ({"persona_weights": {"shakespeare": 1}}, "persona_weights"),
    ({"intent_weights": {"current": "lots"}}, "intent_weights.current"),
    ({"error_kind_weights": {"meteor": 1}}, "error_kind_weights"),
    ({"count": 0}, "count"),
    ({"count": -5}, "count"),
    ({"backend": "gpt"}, "backend"),
    ({"climate_groups": ("tropical", "lunar")}, "climate_groups"),
    ({"groundedness_threshold": 1.5}, "groundedness_threshold"),
])
def test_bad_settings_raise_an_error_naming_the_field(overrides, field):
    with pytest.raises(ConfigError) as excinfo:
        make_config(**overrides)
    assert str(excinfo.value).startswith(field)


def test_unknown_city_ids_are_named():
    with pytest.raises(ConfigError, match="atlantis"):
        make_config(cities=("atlantis",))


def test_from_dict_rejects_unknown_keys_and_round_trips():
    with pytest.raises(ConfigError, match="colour"):
        RunConfig.from_dict({"count": 5, "colour": "blue"})
    config = RunConfig.from_dict({"count": 5, "climate_groups": ["polar"]})
    assert RunConfig.from_dict(config.to_dict()) == config


def test_fingerprint_ignores_speed_settings_but_not_content():
    base = make_config()
    assert base.fingerprint() == make_config(concurrency=8, checkpoint_every=10).fingerprint()
    assert base.fingerprint() != make_config(seed=8).fingerprint()
    assert base.fingerprint() != make_config(persona_weights={"twain": 1}).fingerprint()


def test_batch_mode_is_an_execution_choice_for_the_anthropic_backend_only():
    batch = make_config(backend="anthropic", batch=True)
    assert batch.fingerprint() == make_config(backend="anthropic").fingerprint()
    with pytest.raises(ConfigError, match="^batch: .*anthropic"):
        make_config(batch=True)
    with pytest.raises(ConfigError, match="^batch: expected true or false"):
        make_config(backend="anthropic", batch="yes")
