"""Personas: three voices, one tone each, and prompts that keep the facts fixed."""
import pytest

from core.personas import PERSONAS, UnknownPersonaError, get_persona


def test_the_three_voices_and_their_tones():
    assert {name: persona.tone for name, persona in PERSONAS.items()} == {
        "neutral": "neutral", "twain": "humorous", "franklin": "didactic"}
    for name, persona in PERSONAS.items():
        assert persona.name == name
        assert persona.label and persona.description


def test_every_system_prompt_names_the_tools_and_forbids_invented_weather():
    for persona in PERSONAS.values():
        prompt = persona.system_prompt
        for tool in ("geocode_location", "get_current_weather", "get_forecast"):
            assert tool in prompt
        assert "never invent weather" in prompt
        assert "°F" in prompt


@pytest.mark.parametrize("name, marker", [("twain", "Mark Twain"), ("franklin", "almanac")])
def test_character_prompts_describe_their_voice_and_ask_for_original_writing(name, marker):
    prompt = PERSONAS[name].system_prompt
    assert marker in prompt
    assert "never quotations" in prompt


def test_unknown_persona_names_the_valid_ones():
    with pytest.raises(UnknownPersonaError, match="neutral, twain, franklin"):
        get_persona("shakespeare")
    assert get_persona("twain") is PERSONAS["twain"]
