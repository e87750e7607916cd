"""Claude through the official `anthropic` SDK (async client), Haiku 4.5 by default.

Tools and system prompt are marked cacheable (Haiku 4.5 only caches prefixes of
4,096 tokens or more; the usage reports what the API actually cached).
Temperature goes through `extra_body`: since SDK v1 `messages.create` has no
`temperature` parameter.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import anthropic

from core.backends import DEFAULT_ANTHROPIC_MODEL
from core.backends.anthropic_messages import assistant_from_blocks, system_blocks, to_anthropic, tools_to_anthropic
from core.backends.api_key import resolve_api_key
from core.backends.base import BackendError, TurnRequest, Usage
from core.backends.rate_limit import RateLimitHeaders, parse_anthropic_headers
from core.backends.retry_policy import PolicyRetries
from core.backends.sdk_backend import Reply, SdkBackend

DEFAULT_BASE_URL = "https://api.anthropic.com"


class _AnthropicClient(PolicyRetries, anthropic.AsyncAnthropic):
    pass


class AnthropicBackend(SdkBackend):
    name = "anthropic"
    sdk = anthropic
    client_class = _AnthropicClient
    key_hint = "The API key was refused: check ANTHROPIC_API_KEY (or the key entered in the studio)."

    def __init__(
        self, *, model: str | None = None, api_key: str | None = None, base_url: str | None = None, **options: Any
    ) -> None:
        key = resolve_api_key(api_key)
        if key is None:
            raise BackendError(
                "auth",
                "no Anthropic API key: set ANTHROPIC_API_KEY, enter it in the studio's key field, "
                "or use the offline backend",
            )
        super().__init__(model=model or DEFAULT_ANTHROPIC_MODEL, api_key=key, base_url=base_url or DEFAULT_BASE_URL, **options)

    async def _send_assistant(self, request: TurnRequest) -> Reply:
        tools = tools_to_anthropic(request.tools)
        return await self._create(
            system=system_blocks(request.system),
            messages=to_anthropic(request.messages),
            **({"tools": tools} if tools else {}),
        )

    async def _send_dialogue(self, system: str, messages: list[dict]) -> Reply:
        return await self._create(system=system, messages=messages)

    async def _create(self, **params: Any) -> Reply:
        temperature = self.settings.temperature
        raw = await self._client.messages.with_raw_response.create(
            model=self.model,
            max_tokens=self.settings.max_tokens,
            extra_body={"temperature": temperature} if temperature is not None else None,
            **params,
        )
        message = await raw.parse()
        usage = message.usage
        return Reply(
            message=assistant_from_blocks([block.model_dump(warnings=False) for block in message.content]),
            usage=Usage(
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                cache_creation_input_tokens=usage.cache_creation_input_tokens or 0,
                cache_read_input_tokens=usage.cache_read_input_tokens or 0,
            ),
            truncated=message.stop_reason == "max_tokens",
            headers=raw.headers,
        )

    def _rate_limit_headers(self, headers: Mapping[str, str]) -> RateLimitHeaders:
        return parse_anthropic_headers(headers)
