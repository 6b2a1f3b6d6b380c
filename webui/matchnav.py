"""Next-match navigation on a long document page, readable without JavaScript: every highlighted match gets
an anchor just before it (``#m1`` … ``#mN``) and, after it, a small link to the next one (the last links back
to the first); the "found" line links to the first. The ``<mark>`` itself is left as it was."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup


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
                after = k % total + 1
                label = f"下一处（第 {after}/{total} 处）" if after > 1 else "回到第一处"
                inner, _, rest = piece.partition("</mark>")
                out.append(f'<span class="matchanchor" id="m{k}"></span><mark>{inner}</mark><a class="nextmatch" '
                           f'href="#m{after}" title="{label}" aria-label="{label}">{"↓" if after > 1 else "↑"}</a>'
                           f'{rest}')
            numbered.append(Markup("".join(out)))
        s["paragraphs"] = numbered
    return total
