"""Templates: documents whose names, places and numbers are left as placeholders (XX市, xx个, ××).

Model texts circulate with such placeholders (document-selling sites, anonymised samples), and real
documents reuse their wording. A document with at least :data:`MIN_PLACEHOLDERS` placeholders is a template:
its document type becomes ``模板`` (a facet value; supplied metadata still wins) and ``template`` is set, which
pages show as a badge. Year and number blanks of a form (``20XX年``, ``第XXX号``) and Latin words do not count:
a policy document with a form attached is not a template.
"""

from __future__ import annotations

import re

#: The document type given to templates.
TEMPLATE_DOCTYPE = "模板"
MIN_PLACEHOLDERS = 3
#: Two or more placeholder characters not inside a number or a word. The condition on the character before is a
#: lookbehind after the first placeholder character (over it and the one before), not in front: a pattern
#: beginning with a lookbehind is tried at every position, one beginning with a character class only where it
#: matches.
_PLACEHOLDER = re.compile(r"[XxＸｘ×](?<![0-9A-Za-z第][XxＸｘ×])[XxＸｘ×]+(?![0-9A-Za-z号])")


def placeholders(text: str) -> list[str]:
    """The placeholders of ``text`` with a character of context either side."""
    return [text[max(0, m.start() - 1):m.end() + 1] for m in _PLACEHOLDER.finditer(text)]


def is_template(text: str) -> bool:
    """True when ``text`` holds at least MIN_PLACEHOLDERS placeholders."""
    count = 0
    for _ in _PLACEHOLDER.finditer(text):
        count += 1
        if count >= MIN_PLACEHOLDERS:
            return True
    return False
