"""Any OpenAI-compatible chat-completions endpoint (vLLM, Ollama, llama.cpp server, OpenAI).

Our messages are already in OpenAI format, so they go out as they are (minus
the training-only `weight`); a local server that needs no key gets a
placeholder, because the SDK insists on one. The key is never prompted for.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import openai

from core.backends.api_key import resolve_api_key
from core.backends.base import TurnRequest, Usage
from core.backends.rate_limit import RateLimitHeaders, parse_openai_headers
from core.backends.retry_policy import PolicyRetries
from core.backends.sdk_backend import Reply, SdkBackend

NO_KEY = "not-needed"


class _OpenAIClient(PolicyRetries, openai.AsyncOpenAI):
    pass


class OpenAICompatibleBackend(SdkBackend):
    name = "openai"
    sdk = openai
    client_class = _OpenAIClient
    key_hint = "The endpoint refused the key: check OPENAI_API_KEY or the api_key given for this base URL."

    def __init__(self, *, model: str, base_url: str, api_key: str | None = None, **options: Any) -> None:
        key = resolve_api_key(api_key, env_var="OPENAI_API_KEY", prompt=None) or NO_KEY
        super().__init__(model=model, api_key=key, base_url=base_url, **options)

    async def _send_assistant(self, request: TurnRequest) -> Reply:
        messages = [{"role": "system", "content": request.system}]
        messages += [{k: v for k, v in message.items() if k != "weight"} for message in request.messages]
        return await self._create(messages=messages, **({"tools": request.tools} if request.tools else {}))

    async def _send_dialogue(self, system: str, messages: list[dict]) -> Reply:
        return await self._create(messages=[{"role": "system", "content": system}, *messages])

    async def _create(self, **params: Any) -> Reply:
        temperature = self.settings.temperature
        raw = await self._client.chat.completions.with_raw_response.create(
            model=self.model,
            max_tokens=self.settings.max_tokens,
            **({"temperature": temperature} if temperature is not None else {}),
            **params,
        )
        completion = raw.parse()
        usage = completion.usage
        cached = (usage.prompt_tokens_details.cached_tokens or 0) if usage and usage.prompt_tokens_details else 0
        return Reply(
            message=_first_message(completion),
            usage=Usage(
                input_tokens=(usage.prompt_tokens - cached) if usage else 0,
                output_tokens=usage.completion_tokens if usage else 0,
                cache_read_input_tokens=cached,
            ),
            truncated=bool(completion.choices) and completion.choices[0].finish_reason == "length",
            headers=raw.headers,
        )

    def _rate_limit_headers(self, headers: Mapping[str, str]) -> RateLimitHeaders:
        return parse_openai_headers(headers, self._clock())



def _first_message(completion: Any) -> dict:
    """The first choice's message as a dict; an empty one when the server sent no choice."""
    if not completion.choices:
        return {"role": "assistant", "content": None}
    return completion.choices[0].message.model_dump(include={"role", "content", "tool_calls"}, exclude_none=True)
