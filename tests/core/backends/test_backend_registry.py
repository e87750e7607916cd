"""Backends are chosen by name; options reach the backend; bad names say what exists."""
import asyncio

import anthropic
import openai
import pytest

from core.backends import BACKENDS, BackendConfigError, create_backend
from core.backends.anthropic_backend import AnthropicBackend
from core.backends.offline import OfflineBackend
from core.backends.openai_backend import OpenAICompatibleBackend


def closed(backend):
    asyncio.run(backend.aclose())
    return backend


def test_offline_is_built_in_and_takes_only_a_seed():
    backend = closed(create_backend("offline", seed=11))

    assert isinstance(backend, OfflineBackend)
    assert (backend.name, backend.sdk_version, backend.seed) == ("offline", None, 11)


def test_anthropic_defaults_to_haiku_4_5_and_reports_its_sdk_version():
    backend = closed(create_backend("anthropic", api_key="sk-test", base_url="http://127.0.0.1:9"))

    assert isinstance(backend, AnthropicBackend)
    assert (backend.name, backend.model, backend.sdk_version) == ("anthropic", "claude-haiku-4-5", anthropic.__version__)


def test_options_reach_the_backend():
    backend = closed(create_backend("anthropic", api_key="sk-test", model="claude-sonnet-4-5", max_concurrency=2, max_tokens=300))

    assert backend.model == "claude-sonnet-4-5"
    assert backend.throttle.concurrency == 2
    assert backend.settings.max_tokens == 300


def test_the_openai_compatible_backend_needs_a_model_and_a_base_url():
    backend = closed(create_backend("openai", model="qwen2.5:7b", base_url="http://127.0.0.1:11434/v1"))

    assert isinstance(backend, OpenAICompatibleBackend)
    assert (backend.name, backend.model, backend.sdk_version) == ("openai", "qwen2.5:7b", openai.__version__)
    with pytest.raises(BackendConfigError, match="model= and base_url="):
        create_backend("openai", base_url="http://127.0.0.1:11434/v1")


def test_an_unknown_name_lists_the_backends_there_are():
    with pytest.raises(BackendConfigError, match="unknown backend 'claude'.*offline, anthropic, openai"):
        create_backend("claude")
    assert set(BACKENDS) == {"offline", "anthropic", "openai"}
