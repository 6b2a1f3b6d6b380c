"""Template filters for how a query is shown in a sentence.

``bare``: a query that is one quoted wording (``"统一战线"``, ``“统一战线”``, ``「统一战线」``) without its quotes,
so that a page that puts it in Chinese quotation marks (``<q>`` or “…”) shows “统一战线”, not “"统一战线"”;
any other query is shown as typed.
"""

from __future__ import annotations

_PAIRS = (('"', '"'), ("“", "”"), ("「", "」"), ("『", "』"), ("'", "'"))


def bare(q: str | None) -> str:
    """``q`` without the quotes around it when it is one quoted wording."""
    text = (q or "").strip()
    for left, right in _PAIRS:
        inner = text[len(left):-len(right)]
        if len(text) > 2 and text.startswith(left) and text.endswith(right) and left not in inner \
                and right not in inner:
            return inner.strip()
    return text
