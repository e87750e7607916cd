"""Resolving the API key (explicit, environment, hidden prompt) and scrubbing it from text."""
import io

from core.backends.api_key import REDACTED, redact, resolve_api_key


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def prompt_answering(answer: str, asked: list[str]):
    def prompt(question: str) -> str:
        asked.append(question)
        return answer

    return prompt


def test_an_explicit_key_wins_over_the_environment():
    assert resolve_api_key("sk-explicit", environ={"ANTHROPIC_API_KEY": "sk-env"}) == "sk-explicit"


def test_the_environment_is_used_when_no_key_is_given_and_blank_values_do_not_count():
    assert resolve_api_key(None, environ={"ANTHROPIC_API_KEY": " sk-env\n"}) == "sk-env"
    assert resolve_api_key("  ", environ={"ANTHROPIC_API_KEY": "sk-env"}) == "sk-env"


def test_a_terminal_user_is_asked_with_a_hidden_prompt_naming_the_variable():
    asked: list[str] = []

    key = resolve_api_key(environ={}, stdin=Terminal(), prompt=prompt_answering("sk-typed ", asked))

    assert key == "sk-typed"
    assert len(asked) == 1 and "ANTHROPIC_API_KEY" in asked[0]


def test_nobody_is_asked_when_stdin_is_not_a_terminal_or_prompting_is_off():
    asked: list[str] = []
    prompt = prompt_answering("sk-typed", asked)

    assert resolve_api_key(environ={}, stdin=io.StringIO(), prompt=prompt) is None
    assert resolve_api_key(environ={}, stdin=Terminal(), prompt=None) is None
    assert asked == []


def test_an_empty_answer_at_the_prompt_means_no_key():
    assert resolve_api_key(environ={}, stdin=Terminal(), prompt=prompt_answering("", [])) is None


def test_another_variable_can_be_named():
    assert resolve_api_key(environ={"OPENAI_API_KEY": "sk-oa"}, env_var="OPENAI_API_KEY") == "sk-oa"


def test_redact_removes_every_occurrence_and_leaves_text_alone_without_a_secret():
    assert redact("key sk-1 and again sk-1.", "sk-1") == f"key {REDACTED} and again {REDACTED}."
    assert redact("nothing to hide", None) == "nothing to hide"
