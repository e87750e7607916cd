"""Config files: YAML or JSON in, a checked RunConfig out, or an error naming file and line."""
import pytest

from core.config import ConfigError, RunConfig
from core.config_loader import ConfigFileError, load_config


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_settings_become_a_run_config(tmp_path):
    path = write(tmp_path, "run.yaml", "count: 120\nseed: 7\nscenario_weights:\n  success: 1\n  error: 1\n")
    config = load_config(path)
    assert (config.count, config.seed) == (120, 7)
    assert config.scenario_weights == {"success": 1.0, "error": 1.0, "multi_turn": 0.0}


def test_json_settings_become_a_run_config(tmp_path):
    path = write(tmp_path, "run.json", '{"count": 30, "persona_weights": {"twain": 1}}')
    assert load_config(path).persona_weights["twain"] == 1.0


def test_overrides_win_over_the_file(tmp_path):
    path = write(tmp_path, "run.yaml", "count: 120\nseed: 7\n")
    assert load_config(path, {"count": 5}) == RunConfig(count=5, seed=7)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigFileError, match=r"cannot read config file .*absent.yaml"):
        load_config(tmp_path / "absent.yaml")


def test_an_unreadable_path_is_named(tmp_path):
    folder = tmp_path / "looks-like.yaml"
    folder.mkdir()
    with pytest.raises(ConfigFileError, match="cannot read config file .*looks-like.yaml"):
        load_config(folder)


@pytest.mark.parametrize("name, text, error, message", [
    ("run.yaml", "count: 10\nseed: 7\npersona_weights: {twain: 1\n", ConfigFileError, r"run.yaml line \d+: invalid YAML"),
    ("run.json", '{\n  "count": 10,\n  "seed": \n}', ConfigFileError, r"run.json line 4: invalid JSON"),
    ("run.yaml", "- 1\n- 2\n", ConfigFileError, "expected a mapping of settings.*found a list"),
    ("run.yaml", "", ConfigFileError, "expected a mapping of settings.*found an empty file"),
    ("run.yaml", "count: 0\n", ConfigError, r"run.yaml: count: must be between 1"),
    ("run.yaml", "cuont: 10\n", ConfigError, "run.yaml: unknown setting.*cuont"),
])
def test_a_bad_file_names_itself_and_what_is_wrong(tmp_path, name, text, error, message):
    with pytest.raises(error, match=message):
        load_config(write(tmp_path, name, text))
