"""Record text is escaped so markdown renders exactly its characters, never HTML, images or links."""
import re
import string

from studio_factories import live_markup

from studio.components.claims import highlight_markdown
from studio.components.safe_text import escape_markdown

HOSTILE = "<script>alert('x')</script> ![x](http://evil.example/a.png) [link](http://e.x) :red[hi] $x$ `c` **b**"


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown.replace("  \n", "\n"))


def test_every_markdown_and_html_character_is_escaped():
    assert live_markup(escape_markdown(HOSTILE), chars=string.punctuation) == []


def test_escaping_keeps_the_text_a_reader_should_see():
    assert unescape(escape_markdown(HOSTILE)) == HOSTILE
    assert unescape(escape_markdown("It is 4 °C.\nTake a coat.")) == "It is 4 °C.\nTake a coat."


def test_line_breaks_become_markdown_hard_breaks():
    assert escape_markdown("one\ntwo") == "one  \ntwo"


def test_highlighting_wraps_each_span_in_a_colour_and_escapes_all_record_text():
    text = "It is 4 °C <b>and</b> sunny."
    markdown = highlight_markdown(text, [(6, 10, True), (22, 27, False)])
    assert markdown == r"It is :green-background[4 °C] \<b\>and\<\/b\> :red-background[sunny]\."


def test_highlighting_skips_overlapping_and_out_of_range_spans():
    markdown = highlight_markdown("abcdef", [(0, 3, True), (2, 4, False), (5, 99, False), (4, 4, True)])
    assert markdown == ":green-background[abc]def"


def test_a_span_holding_hostile_text_stays_inert():
    markdown = highlight_markdown(HOSTILE, [(0, 8, False)])
    assert markdown.startswith(r":red-background[\<script\>]")
    inner = markdown[len(":red-background["):]
    assert inner.count("]") == inner.count(r"\]") + 1  # only the directive's own bracket is live
