"""Snippets: find the matched wording in the *original* text and say where it is.

Matching happens in the normalised text (so 統一戰線 in the document is found by 统一战线 in the query);
:func:`indexer.text.normalize.normalize_with_offsets` maps every normalised character back to the original
one, so the spans land on the right characters even where normalisation removed spaces or changed widths.
No HTML here: a snippet is plain text and ``[start, end)`` spans; renderers mark them.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from indexer.text.normalize import normalize, normalize_with_offsets

SNIPPET_CHARS = 160


@dataclass
class Snippet:
    """A window of a section's text and the spans of the matches inside it."""

    text: str
    spans: list[list[int]]


#: The most occurrences a snippet window is chosen among (a long section full of one common word).
_CANDIDATES = 200


@functools.lru_cache(maxsize=256)
def _normal_needles(needles: tuple[str, ...]) -> tuple[str, ...]:
    """The distinct normal forms of ``needles``, sorted: a page's hits share one query's needles, normalised
    once instead of once per hit."""
    return tuple(sorted({normalize(n) for n in needles if n} - {""}))


def _occurrences(text: str, needles: list[str]) -> list[tuple[int, int, int]]:
    """(start, end, needle number) of every occurrence of each needle (normalised) in ``text``, in order."""
    norm, origin = normalize_with_offsets(text)
    out: list[tuple[int, int, int]] = []
    for which, needle in enumerate(_normal_needles(tuple(needles))):
        start = norm.find(needle)
        while start != -1:
            end = start + len(needle)
            out.append((origin[start], origin[end - 1] + 1, which))
            start = norm.find(needle, start + 1)
    out.sort()
    return out


def match_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of ``text`` where any needle (normalised) occurs."""
    return _merged(_occurrences(text, needles))


def _merged(occurrences: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e, _ in occurrences:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def without_heading_line(text: str, heading: str | None) -> str:
    """``text`` without its first line when that line only repeats the heading (a list marker allowed)."""
    if not heading or "\n" not in text:
        return text
    first, rest = text.split("\n", 1)
    nf, nh = normalize(first), normalize(heading)
    if nh and nf.endswith(nh) and len(nf) - len(nh) <= 6:
        return rest
    return text


def _best_window(occurrences: list[tuple[int, int, int]], width: int) -> tuple[int, int]:
    """The match a snippet is placed around: of the windows that start a little before a match, the one
    holding the most different needles, then the most matches, then the first — the passage where the
    query's terms meet, not merely the first mention of one of them."""
    starts = [s for s, _, _ in occurrences]
    best: tuple[int, int, int] | None = None
    chosen = occurrences[0]
    for s, e, _ in occurrences[:_CANDIDATES]:
        lo = max(0, s - width // 4)
        window = occurrences[bisect_left(starts, lo):bisect_left(starts, lo + width)]
        inside = [w for _, b, w in window if b <= lo + width]
        key = (len(set(inside)), len(inside), -s)
        if best is None or key > best:
            best, chosen = key, (s, e, 0)
    return chosen[0], chosen[1]


def snippet(text: str, needles: list[str], width: int = SNIPPET_CHARS) -> Snippet:
    """A window of ``text`` where the matches meet (:func:`_best_window`), with the matches' spans
    (relative to the window). Line breaks become spaces; a match longer than ``width`` is shown whole."""
    flat = text.replace("\n", " ")
    occurrences = _occurrences(flat, needles)
    if not occurrences:
        return Snippet(flat[:width] + ("…" if len(flat) > width else ""), [])
    spans = _merged(occurrences)
    first_s, first_e = _best_window(occurrences, width)
    start = max(0, first_s - width // 4)
    end = min(len(flat), max(start + width, first_e))
    start = max(0, min(start, end - width))
    cut = [e for s, e in spans if s < end < e]
    if cut:  # never cut a match in two at the window's end
        end = min(len(flat), cut[0])
    prefix = "…" if start else ""
    shift = len(prefix) - start
    body = flat[start:end]
    inside = [[max(s, start) + shift, min(e, end) + shift] for s, e in spans if s < end and e > start]
    return Snippet(prefix + body + ("…" if end < len(flat) else ""), inside)


def hit_snippet(text: str, heading: str | None, needles: list[str], following: Callable[[], str],
                titles: Sequence[str | None] = ()) -> Snippet:
    """The snippet of a hit, on every backend: where the match is in the section's text (without its heading
    line, else with it); else running on into the next sections (``following()`` gives their text); else in
    one of ``titles`` — the document's stated title and its title in another language, which belong to its
    first section's text (a hit matched there shows that title, marked, not a passage without the match)."""
    snip = snippet(without_heading_line(text, heading), needles)
    if not needles or snip.spans:
        return snip
    snip = snippet(text, needles)  # the match is in the heading line
    if not snip.spans:
        snip = snippet(text + "\n" + following(), needles)
    for title in titles if not snip.spans else ():
        found = snippet(title, needles) if title else None
        if found is not None and found.spans:
            return found
    return snip
