"""Record text shown as text: every markdown and HTML character is neutralised.

Records come from models and imports, so their text is untrusted. Escaping every
ASCII punctuation mark (CommonMark lets any of them be backslash-escaped) turns
`<script>`, `![x](http://…)`, links, `:red[…]` directives and `$…$` maths into
the literal characters a reader should see.
"""
from __future__ import annotations

import re

_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """`text` as markdown that renders exactly those characters, line breaks kept."""
    escaped = _ASCII_PUNCTUATION.sub(r"\\\1", text)
    return "  \n".join(escaped.splitlines())
