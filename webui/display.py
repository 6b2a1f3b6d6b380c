"""Template filters for how a query and a date are shown in a sentence.

``bare``: a query that is one quoted wording (``"统一战线"``, ``“统一战线”``, ``「统一战线」``) without its quotes,
so that a page that puts it in Chinese quotation marks (``<q>`` or “…”) shows “统一战线”, not “"统一战线"”;
any other query is shown as typed.

``dated``: a document's (a hit's, a reference's) date as pages show it — an implied year in square brackets,
``[2020]``, so that it is never taken for a stated one; empty when it has none.
"""

from __future__ import annotations

from typing import Any

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


def dated(item: Any) -> str:
    """``item``'s date, ``[date]`` when it is implied (``date_inferred``); '' when it has none."""
    def field(name: str) -> Any:
        return item.get(name) if isinstance(item, dict) else getattr(item, name, None)

    date = field("date")
    if not date:
        return ""
    return f"[{date}]" if field("date_inferred") else str(date)
