"""Next-match navigation on a long document page, readable without JavaScript: every highlighted match gets
an anchor just before it (``#m1`` … ``#mN``) and, after it, small links to the previous and the next one (the
first and the last link round to each other); the "found" line links to the first. The ``<mark>`` itself is
left as it was."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup


def _link(to: int, total: int, label: str, arrow: str) -> str:
    title = f"{label}（第 {to}/{total} 处）"
    return f'<a class="nextmatch" href="#m{to}" title="{title}" aria-label="{title}">{arrow}</a>'


def number_matches(sections: list[dict[str, Any]]) -> int:
    """Number the ``<mark>`` elements of the sections' paragraphs in reading order (in place); how many."""
    total = sum(str(p).count("<mark>") for s in sections for p in s["paragraphs"])
    k = 0
    for s in sections:
        numbered = []
        for p in s["paragraphs"]:
            pieces = str(p).split("<mark>")
            out = [pieces[0]]
            for piece in pieces[1:]:
                k += 1
                before, after = (k - 2) % total + 1, k % total + 1
                inner, _, rest = piece.partition("</mark>")
                out.append(f'<span class="matchanchor" id="m{k}"></span><mark>{inner}</mark>'
                           f'{_link(before, total, "上一处", "‹")}{_link(after, total, "下一处", "›")}{rest}')
            numbered.append(Markup("".join(out)))
        s["paragraphs"] = numbered
    return total
