"""Helpers the groundedness check builds on for speed: they must agree with their plain forms."""
from __future__ import annotations

import pickle

from core.validation.claim_patterns import clause_breaks
from core.validation.conversation import parse_conversation
from core.validation.groundedness import Claim, _new_claim, check_groundedness
from tests.core.validation.factories import current_record


def test_clause_breaks_punctuation_spaced_dashes_and_whole_words() -> None:
    text = "rain, but dry - although not-so (butter) thoughtful though; whereas whilex while"
    expected = [text.index(","), text.index("but"), text.index(" - ") + 1, text.index("although"),
                text.index("("), text.index(")"), text.index("though;"), text.index(";"), text.index("whereas"),
                text.rindex("while")]
    assert clause_breaks(text) == expected


def test_new_claim_is_the_same_claim() -> None:
    fields = ("temperature", "12 °C", 4, 10, 15, False, "11 °C (temperature_2m, Oslo, NO)")
    claim = _new_claim(*fields)
    assert claim == Claim(*fields) and hash(claim) == hash(Claim(*fields))
    assert claim.to_dict() == Claim(*fields).to_dict()


def test_a_result_pickles_as_its_claims_and_drops_them_on_request() -> None:
    result = check_groundedness(parse_conversation(current_record("Sunny and 30 °C, with 4 °C by evening.")))
    copy = pickle.loads(pickle.dumps(result))
    assert copy == result and copy.to_dict() == result.to_dict() and hash(copy) == hash(result)
    assert (result.supported_count, result.claim_count) == (sum(c.supported for c in result.claims), 3)
    bare = result.without_claims()
    assert (bare.score, bare.coverage, bare.claims, bare.to_dict()["total"]) == (result.score, result.coverage, (), 0)
