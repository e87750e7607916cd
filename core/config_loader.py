"""Run configs from YAML or JSON files, with errors that point at the line to fix."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

import yaml

from core.config import ConfigError, RunConfig


class ConfigFileError(ConfigError):
    """The file itself is the problem: missing, unreadable, not YAML/JSON, not a mapping."""


def read_config_data(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The settings in a `.json` file, or a YAML one (any other suffix), as a plain mapping."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise ConfigFileError(f"cannot read config file {source}: {reason}") from None
    if source.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ConfigFileError(f"{source} line {error.lineno}: invalid JSON: {error.msg}") from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark is not None else ""
            problem = getattr(error, "problem", None) or str(error)
            raise ConfigFileError(f"{source}{where}: invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        raise ConfigFileError(f"{source}: expected a mapping of settings (e.g. 'count: 500'), found {found}")
    return data


def load_config(path: str | os.PathLike[str], overrides: Mapping[str, Any] | None = None) -> RunConfig:
    """The file's settings, with `overrides` (e.g. command-line flags) winning, checked."""
    data = {**read_config_data(path), **(overrides or {})}
    try:
        return RunConfig.from_dict(data)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None
    except TypeError as error:  # a field given the wrong structure, e.g. a list for a mapping
        raise ConfigError(f"{path}: {error}") from None
